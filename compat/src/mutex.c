/* Mutexes: recursive ownership, ERROR_NOT_OWNER, abandonment when the owner thread or process dies.
 */
#include "sync_int.h"

#include <unistd.h>

static struct ntc_object *mutex_import(struct ntc_wire *w)
{
    return ntc_syncobj_import(&ntc_mutex_ops, w);
}

const struct ntc_ops ntc_mutex_ops = {
    .type = NTC_T_MUTEX,
    .name = "mutex",
    .destroy = ntc_syncobj_destroy,
    .sync = ntc_syncobj_sync,
    .export_wire = ntc_syncobj_export,
    .import_wire = mutex_import,
};

void ntc_mutex_abandon_locked(struct ntc_sync *s)
{
    s->count = 0;
    s->owner_pid = 0;
    s->owner_tid = 0;
    s->abandoned = 1;
}

/* A new mutex created with bInitialOwner is owned by the creating thread (an existing named one
 * ignores bInitialOwner [CreateMutex]). */
static HANDLE created(HANDLE h, BOOL initial_owner)
{
    if (h && initial_owner && GetLastError() == ERROR_SUCCESS) {
        struct ntc_object *o = ntc_handle_get(h, NTC_T_MUTEX);
        if (o) {
            ntc_thread_owns_mutex(o);
            ntc_object_unref(o);
        }
        SetLastError(ERROR_SUCCESS);
    }
    return h;
}

HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                           LPCSTR lpName)
{
    HANDLE h = ntc_syncobj_open(&ntc_mutex_ops, lpName, TRUE,
                                lpMutexAttributes && lpMutexAttributes->bInheritHandle,
                                NTC_SYNC_MUTEX, bInitialOwner ? 1 : 0, 0);
    return created(h, bInitialOwner);
}

HANDLE WINAPI CreateMutexW(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                           LPCWSTR lpName)
{
    HANDLE h = ntc_syncobj_open_w(&ntc_mutex_ops, lpName, TRUE,
                                  lpMutexAttributes && lpMutexAttributes->bInheritHandle,
                                  NTC_SYNC_MUTEX, bInitialOwner ? 1 : 0, 0);
    return created(h, bInitialOwner);
}

HANDLE WINAPI OpenMutexA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    (void)dwDesiredAccess; /* no access masks in compat/ */
    if (!lpName) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return ntc_syncobj_open(&ntc_mutex_ops, lpName, FALSE, bInheritHandle, NTC_SYNC_MUTEX, 0, 0);
}

HANDLE WINAPI OpenMutexW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
{
    (void)dwDesiredAccess;
    if (!lpName) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return ntc_syncobj_open_w(&ntc_mutex_ops, lpName, FALSE, bInheritHandle, NTC_SYNC_MUTEX, 0, 0);
}

BOOL WINAPI ReleaseMutex(HANDLE hMutex)
{
    struct ntc_object *o;
    struct ntc_sync *s = ntc_syncobj_get(hMutex, NTC_T_MUTEX, &o);
    if (!s)
        return FALSE;
    uint32_t pid = ntc_getpid(), tid = ntc_gettid();
    ntc_plock(&s->lock);
    bool mine = s->count > 0 && s->owner_pid == pid && s->owner_tid == tid;
    bool freed = mine && --s->count == 0;
    if (freed) {
        s->owner_pid = 0;
        s->owner_tid = 0;
    }
    ntc_punlock(&s->lock);
    if (freed) {
        ntc_sync_changed(s);
        ntc_thread_disowns_mutex(o);
    }
    ntc_object_unref(o);
    if (!mine)
        SetLastError(ERROR_NOT_OWNER);
    return mine;
}
