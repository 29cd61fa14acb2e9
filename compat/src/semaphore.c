/* Semaphores: CreateSemaphore / ReleaseSemaphore with a maximum count. */
#include "sync_int.h"

static struct ntc_object *semaphore_import(struct ntc_wire *w)
{
    return ntc_syncobj_import(&ntc_semaphore_ops, w);
}

const struct ntc_ops ntc_semaphore_ops = {
    .type = NTC_T_SEMAPHORE,
    .name = "semaphore",
    .destroy = ntc_syncobj_destroy,
    .sync = ntc_syncobj_sync,
    .export_wire = ntc_syncobj_export,
    .import_wire = semaphore_import,
};

static bool valid_counts(LONG initial, LONG max)
{
    if (max > 0 && initial >= 0 && initial <= max)
        return true;
    SetLastError(ERROR_INVALID_PARAMETER);
    return false;
}

HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes, LONG lInitialCount,
                               LONG lMaximumCount, LPCSTR lpName)
{
    if (!valid_counts(lInitialCount, lMaximumCount))
        return NULL;
    return ntc_syncobj_open(&ntc_semaphore_ops, lpName, TRUE,
                            lpSemaphoreAttributes && lpSemaphoreAttributes->bInheritHandle,
                            NTC_SYNC_SEMAPHORE, lInitialCount, lMaximumCount);
}

HANDLE WINAPI CreateSemaphoreW(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes, LONG lInitialCount,
                               LONG lMaximumCount, LPCWSTR lpName)
{
    if (!valid_counts(lInitialCount, lMaximumCount))
        return NULL;
    return ntc_syncobj_open_w(&ntc_semaphore_ops, lpName, TRUE,
                              lpSemaphoreAttributes && lpSemaphoreAttributes->bInheritHandle,
                              NTC_SYNC_SEMAPHORE, lInitialCount, lMaximumCount);
}

BOOL WINAPI ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount, LPLONG lpPreviousCount)
{
    struct ntc_object *o;
    struct ntc_sync *s = ntc_syncobj_get(hSemaphore, NTC_T_SEMAPHORE, &o);
    if (!s)
        return FALSE;
    if (lReleaseCount <= 0) {
        ntc_object_unref(o);
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    ntc_plock(&s->lock);
    LONG prev = s->count;
    /* Over the maximum: nothing changes [ReleaseSemaphore]. */
    bool ok = lReleaseCount <= s->max - prev;
    if (ok)
        s->count = prev + lReleaseCount;
    ntc_punlock(&s->lock);
    if (ok) {
        ntc_sync_changed(s);
        if (lpPreviousCount)
            *lpPreviousCount = prev;
    } else {
        SetLastError(ERROR_TOO_MANY_POSTS);
    }
    ntc_object_unref(o);
    return ok;
}
