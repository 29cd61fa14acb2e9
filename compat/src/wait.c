/* The wait engine: WaitForSingleObject(Ex) and WaitForMultipleObjects(Ex) over shared syncs. */
#include "sync_int.h"

#include <unistd.h>

/* How often a waiter looks whether the process owning a mutex it waits for has died. */
#define OWNER_CHECK_NS (64u * 1000000u)

#define NONE_YET ((DWORD)-2)

struct waitctx {
    struct ntc_object *const *objs;
    struct ntc_sync *s[MAXIMUM_WAIT_OBJECTS];
    DWORD n;
    uint32_t pid, tid;
    bool check_owners;  /* this round may test whether foreign owners died (a kill(2) each) */
    bool foreign_owner; /* some mutex is held by another process: keep re-checking */
};

/* With s locked: a mutex held by a process that no longer exists is abandoned [ReleaseMutex]. */
static bool reap_dead_owner(struct waitctx *c, struct ntc_sync *s)
{
    if (s->kind != NTC_SYNC_MUTEX || s->count == 0 || s->owner_pid == c->pid)
        return false;
    c->foreign_owner = true;
    /*
     * Windows abandons a mutex as its owner exits. Another process's exit is invisible to us, so a
     * waiter polls the owner's pid: the first time it looks and then every OWNER_CHECK_NS.
     */
    if (!c->check_owners || !ntc_pid_dead(s->owner_pid))
        return false;
    ntc_mutex_abandon_locked(s);
    return true;
}

static bool satisfiable(const struct waitctx *c, const struct ntc_sync *s)
{
    if (s->kind == NTC_SYNC_MUTEX)
        return s->count == 0 || (s->owner_pid == c->pid && s->owner_tid == c->tid);
    return s->count > 0;
}

/* With s locked and satisfiable: take it. Returns whether a mutex was abandoned; *owned tells
 * that the caller's thread now owns a mutex it did not own before. */
static bool consume(const struct waitctx *c, struct ntc_sync *s, bool *owned)
{
    bool abandoned = false;
    *owned = false;
    switch (s->kind) {
    case NTC_SYNC_EVENT_AUTO:
        s->count = 0;
        break;
    case NTC_SYNC_SEMAPHORE:
        s->count--;
        break;
    case NTC_SYNC_MUTEX:
        if (s->count == 0) {
            s->owner_pid = c->pid;
            s->owner_tid = c->tid;
            abandoned = s->abandoned != 0;
            s->abandoned = 0;
            *owned = true;
        }
        s->count++;
        break;
    default: /* manual-reset events and NOTIFY stay signalled */
        break;
    }
    return abandoned;
}

static DWORD try_any(struct waitctx *c)
{
    for (DWORD i = 0; i < c->n; i++) {
        struct ntc_sync *s = c->s[i];
        bool owned = false, abandoned = false, ok, reaped;
        ntc_plock(&s->lock);
        reaped = reap_dead_owner(c, s);
        ok = satisfiable(c, s);
        if (ok)
            abandoned = consume(c, s, &owned);
        ntc_punlock(&s->lock);
        if (reaped && !ok)
            ntc_sync_changed(s);
        if (ok) {
            if (owned)
                ntc_thread_owns_mutex(c->objs[i]);
            return (abandoned ? WAIT_ABANDONED_0 : WAIT_OBJECT_0) + i;
        }
    }
    return NONE_YET;
}

/* Wait-all is atomic: every lock is taken (in id order, the same in every process, so two
 * processes waiting on overlapping sets cannot deadlock), then all or nothing is consumed. */
static DWORD try_all(struct waitctx *c, const DWORD *order)
{
    bool ok = true, reaped[MAXIMUM_WAIT_OBJECTS] = {0};
    for (DWORD k = 0; k < c->n; k++) {
        struct ntc_sync *s = c->s[order[k]];
        ntc_plock(&s->lock);
        reaped[order[k]] = reap_dead_owner(c, s);
        ok = ok && satisfiable(c, s);
    }
    DWORD first_abandoned = NONE_YET;
    bool owned[MAXIMUM_WAIT_OBJECTS] = {0};
    if (ok) {
        for (DWORD i = 0; i < c->n; i++)
            if (consume(c, c->s[i], &owned[i]) && first_abandoned == NONE_YET)
                first_abandoned = i;
    }
    for (DWORD k = c->n; k-- > 0;)
        ntc_punlock(&c->s[order[k]]->lock);
    for (DWORD i = 0; i < c->n; i++) {
        if (reaped[i] && !ok)
            ntc_sync_changed(c->s[i]);
        if (owned[i])
            ntc_thread_owns_mutex(c->objs[i]);
    }
    if (!ok)
        return NONE_YET;
    return first_abandoned == NONE_YET ? WAIT_OBJECT_0 : WAIT_ABANDONED_0 + first_abandoned;
}

/* Indexes of s sorted by sync id (insertion sort: at most 64 entries). */
static void sort_by_id(struct ntc_sync *const *s, DWORD n, DWORD *order)
{
    for (DWORD i = 0; i < n; i++) {
        DWORD k = i;
        for (; k > 0 && s[order[k - 1]]->id > s[i]->id; k--)
            order[k] = order[k - 1];
        order[k] = i;
    }
}

DWORD ntc_wait(struct ntc_object *const *objs, DWORD n, BOOL wait_all, DWORD ms)
{
    if (n == 0 || n > MAXIMUM_WAIT_OBJECTS) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return WAIT_FAILED;
    }
    struct waitctx c = {.objs = objs, .n = n, .pid = ntc_getpid(), .tid = ntc_gettid()};
    for (DWORD i = 0; i < n; i++) {
        c.s[i] = objs[i]->ops->sync ? objs[i]->ops->sync(objs[i]) : NULL;
        if (!c.s[i]) {
            SetLastError(ERROR_INVALID_HANDLE); /* not waitable (a port, a socket...) */
            return WAIT_FAILED;
        }
    }
    DWORD order[MAXIMUM_WAIT_OBJECTS];
    if (wait_all) {
        sort_by_id(c.s, n, order);
        /* The same object twice in a wait-all is rejected by NtWaitForMultipleObjects. */
        for (DWORD k = 1; k < n; k++) {
            if (c.s[order[k]]->id == c.s[order[k - 1]]->id) {
                SetLastError(ERROR_INVALID_PARAMETER);
                return WAIT_FAILED;
            }
        }
    }
    _Atomic uint32_t *words[MAXIMUM_WAIT_OBJECTS];
    uint32_t vals[MAXIMUM_WAIT_OBJECTS];
    for (DWORD i = 0; i < n; i++)
        words[i] = &c.s[i]->seq;
    uint64_t start = ntc_now_ns(), deadline = start + (uint64_t)ms * 1000000u;
    uint64_t next_check = start;
    for (;;) {
        /* Read the words before looking at the state: any change after this makes the futex
         * wait below return at once instead of missing the wake. */
        for (DWORD i = 0; i < n; i++)
            vals[i] = atomic_load_explicit(words[i], memory_order_acquire);
        uint64_t now = ntc_now_ns();
        c.check_owners = now >= next_check;
        if (c.check_owners)
            next_check = now + OWNER_CHECK_NS;
        c.foreign_owner = false;
        DWORD r = wait_all ? try_all(&c, order) : try_any(&c);
        if (r != NONE_YET)
            return r;
        if (ms == 0)
            return WAIT_TIMEOUT;
        now = ntc_now_ns();
        if (ms != INFINITE && now >= deadline)
            return WAIT_TIMEOUT;
        uint64_t wake = ms == INFINITE ? UINT64_MAX : deadline;
        if (c.foreign_owner && next_check < wake)
            wake = next_check;
        struct timespec ts = {(time_t)(wake / 1000000000u), (long)(wake % 1000000000u)};
        for (DWORD i = 0; i < n; i++)
            atomic_fetch_add_explicit(&c.s[i]->sleepers, 1, memory_order_seq_cst);
        ntc_futex_waitv(words, vals, n, wake == UINT64_MAX ? NULL : &ts);
        for (DWORD i = 0; i < n; i++)
            atomic_fetch_sub_explicit(&c.s[i]->sleepers, 1, memory_order_relaxed);
    }
}

/* compat/ has no APCs, so an alertable wait is an ordinary wait (it can never return
 * WAIT_IO_COMPLETION) [WaitForMultipleObjectsEx]. */
DWORD WINAPI WaitForMultipleObjectsEx(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll,
                                      DWORD dwMilliseconds, BOOL bAlertable)
{
    (void)bAlertable;
    if (nCount == 0 || nCount > MAXIMUM_WAIT_OBJECTS || !lpHandles) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return WAIT_FAILED;
    }
    struct ntc_object *objs[MAXIMUM_WAIT_OBJECTS];
    for (DWORD i = 0; i < nCount; i++) {
        objs[i] = ntc_handle_get(lpHandles[i], NTC_T_NONE);
        if (!objs[i]) {
            while (i-- > 0)
                ntc_object_unref(objs[i]);
            SetLastError(ERROR_INVALID_HANDLE);
            return WAIT_FAILED;
        }
    }
    DWORD r = ntc_wait(objs, nCount, bWaitAll, dwMilliseconds);
    for (DWORD i = 0; i < nCount; i++)
        ntc_object_unref(objs[i]);
    return r;
}

DWORD WINAPI WaitForMultipleObjects(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll,
                                    DWORD dwMilliseconds)
{
    return WaitForMultipleObjectsEx(nCount, lpHandles, bWaitAll, dwMilliseconds, FALSE);
}

DWORD WINAPI WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds, BOOL bAlertable)
{
    return WaitForMultipleObjectsEx(1, &hHandle, FALSE, dwMilliseconds, bAlertable);
}

DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds)
{
    return WaitForMultipleObjectsEx(1, &hHandle, FALSE, dwMilliseconds, FALSE);
}
