/* Events: CreateEvent / OpenEvent / SetEvent / ResetEvent, auto- and manual-reset, named or not. */
#include "sync_int.h"

static struct ntc_object *event_import(struct ntc_wire *w)
{
    return ntc_syncobj_import(&ntc_event_ops, w);
}

const struct ntc_ops ntc_event_ops = {
    .type = NTC_T_EVENT,
    .name = "event",
    .destroy = ntc_syncobj_destroy,
    .sync = ntc_syncobj_sync,
    .export_wire = ntc_syncobj_export,
    .import_wire = event_import,
};

static enum ntc_sync_kind kind_of(BOOL manual)
{
    return manual ? NTC_SYNC_EVENT_MANUAL : NTC_SYNC_EVENT_AUTO;
}

static BOOL inherit_of(LPSECURITY_ATTRIBUTES sa)
{
    return sa && sa->bInheritHandle;
}

HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                           BOOL bInitialState, LPCSTR lpName)
{
    return ntc_syncobj_open(&ntc_event_ops, lpName, TRUE, inherit_of(lpEventAttributes),
                            kind_of(bManualReset), bInitialState ? 1 : 0, 1);
}

HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                           BOOL bInitialState, LPCWSTR lpName)
{
    return ntc_syncobj_open_w(&ntc_event_ops, lpName, TRUE, inherit_of(lpEventAttributes),
                              kind_of(bManualReset), bInitialState ? 1 : 0, 1);
}

/* compat/ has no access masks: every handle has full access. */
HANDLE WINAPI OpenEventA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    (void)dwDesiredAccess;
    if (!lpName) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return ntc_syncobj_open(&ntc_event_ops, lpName, FALSE, bInheritHandle, 0, 0, 0);
}

HANDLE WINAPI OpenEventW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
{
    (void)dwDesiredAccess;
    if (!lpName) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return ntc_syncobj_open_w(&ntc_event_ops, lpName, FALSE, bInheritHandle, 0, 0, 0);
}

static BOOL set_state(HANDLE h, int32_t state)
{
    struct ntc_object *o;
    struct ntc_sync *s = ntc_syncobj_get(h, NTC_T_EVENT, &o);
    if (!s)
        return FALSE;
    ntc_plock(&s->lock);
    bool rise = s->count == 0 && state != 0;
    s->count = state;
    ntc_punlock(&s->lock);
    /* Setting a set event changes nothing: sets do not accumulate. */
    if (rise)
        ntc_sync_changed(s);
    ntc_object_unref(o);
    return TRUE;
}

BOOL WINAPI SetEvent(HANDLE hEvent)
{
    return set_state(hEvent, 1);
}

BOOL WINAPI ResetEvent(HANDLE hEvent)
{
    return set_state(hEvent, 0);
}
