/* Sync objects shared with a child process: inherited handles, named mutexes, abandonment by a
 * process that exits owning a mutex. */
#include "tcheck.h"
#include "tproc.h"

static SECURITY_ATTRIBUTES inheritable = {sizeof(SECURITY_ATTRIBUTES), NULL, TRUE};

START_TEST(child_signals_inherited_objects)
{
    HANDLE ev = CreateEventA(&inheritable, FALSE, FALSE, NULL);
    HANDLE sem = CreateSemaphoreA(&inheritable, 0, 2, NULL);
    char args[96];
    snprintf(args, sizeof(args), "signal %llu %llu", (unsigned long long)(UINT_PTR)ev,
             (unsigned long long)(UINT_PTR)sem);
    PROCESS_INFORMATION pi = ntt_spawn("sync_child", args, TRUE);
    HANDLE hs[2] = {ev, sem};
    ck_assert_uint_eq(WaitForMultipleObjects(2, hs, TRUE, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_uint_eq(ntt_finish(pi), 0);
    ck_assert_uint_eq(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);   /* auto-reset: consumed */
    ck_assert_uint_eq(WaitForSingleObject(sem, 0), WAIT_OBJECT_0); /* 2 - 1 (wait-all) = 1 */
    ck_assert_uint_eq(WaitForSingleObject(sem, 0), WAIT_TIMEOUT);
    CloseHandle(ev);
    CloseHandle(sem);
}
END_TEST

START_TEST(parent_wakes_waiting_child)
{
    HANDLE ev = CreateEventA(&inheritable, TRUE, FALSE, NULL);
    char args[64];
    snprintf(args, sizeof(args), "wait %llu", (unsigned long long)(UINT_PTR)ev);
    PROCESS_INFORMATION pi = ntt_spawn("sync_child", args, TRUE);
    /* The child is (most likely) asleep in its wait by now; it must be woken, not time out. */
    ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, 100), WAIT_TIMEOUT);
    ck_assert(SetEvent(ev));
    ck_assert_uint_eq(ntt_finish(pi), 0);
    CloseHandle(ev);
}
END_TEST

static void check_abandoned_by_process(BOOL named)
{
    char mname[64], rname[64], args[200];
    snprintf(mname, sizeof(mname), "ntt_sync_mutex_%lu", (unsigned long)GetCurrentProcessId());
    snprintf(rname, sizeof(rname), "ntt_sync_ready_%lu", (unsigned long)GetCurrentProcessId());
    HANDLE m = CreateMutexA(&inheritable, FALSE, named ? mname : NULL);
    HANDLE ready = CreateEventA(&inheritable, TRUE, FALSE, named ? rname : NULL);
    if (named)
        snprintf(args, sizeof(args), "own-named %s %s", mname, rname);
    else
        snprintf(args, sizeof(args), "own-handle %llu %llu", (unsigned long long)(UINT_PTR)m,
                 (unsigned long long)(UINT_PTR)ready);
    PROCESS_INFORMATION pi = ntt_spawn("sync_child", args, !named);
    HANDLE hs[2] = {ready, pi.hProcess};
    ck_assert_uint_eq(WaitForMultipleObjects(2, hs, FALSE, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_uint_eq(ntt_finish(pi), 5);
    /* The owner process is gone: the next waiter gets the mutex, told it was abandoned. */
    ck_assert_uint_eq(WaitForSingleObject(m, NTT_WAIT_MS), WAIT_ABANDONED);
    ck_assert(ReleaseMutex(m));
    ck_assert_uint_eq(WaitForSingleObject(m, 0), WAIT_OBJECT_0);
    ck_assert(ReleaseMutex(m));
    CloseHandle(ready);
    CloseHandle(m);
}

START_TEST(inherited_mutex_abandoned_by_dead_process)
{
    check_abandoned_by_process(FALSE);
}
END_TEST

START_TEST(named_mutex_abandoned_by_dead_process)
{
    check_abandoned_by_process(TRUE);
}
END_TEST

static HANDLE blocked_mutex;

static DWORD WINAPI wait_mutex(LPVOID arg)
{
    (void)arg;
    DWORD r = WaitForSingleObject(blocked_mutex, NTT_WAIT_MS);
    if (r == WAIT_ABANDONED || r == WAIT_OBJECT_0)
        ReleaseMutex(blocked_mutex);
    return r;
}

START_TEST(waiter_blocked_before_the_owner_dies)
{
    char mname[64], rname[64], args[200];
    snprintf(mname, sizeof(mname), "ntt_sync_bmutex_%lu", (unsigned long)GetCurrentProcessId());
    snprintf(rname, sizeof(rname), "ntt_sync_bready_%lu", (unsigned long)GetCurrentProcessId());
    blocked_mutex = CreateMutexA(NULL, FALSE, mname);
    HANDLE ready = CreateEventA(NULL, TRUE, FALSE, rname);
    HANDLE gate = CreateMutexA(NULL, TRUE, NULL); /* unused by the child: keeps it honest */
    snprintf(args, sizeof(args), "own-named %s %s", mname, rname);
    PROCESS_INFORMATION pi = ntt_spawn("sync_child", args, FALSE);
    ck_assert_uint_eq(WaitForSingleObject(ready, NTT_WAIT_MS), WAIT_OBJECT_0);
    /* A thread already waiting when the owner process dies is released with WAIT_ABANDONED
     * (the child exits right after setting ready, so the thread may also start after). */
    HANDLE t = CreateThread(NULL, 0, wait_mutex, NULL, 0, NULL);
    ck_assert_uint_eq(ntt_finish(pi), 5);
    ck_assert_uint_eq(WaitForSingleObject(t, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 0;
    ck_assert(GetExitCodeThread(t, &code));
    ck_assert_uint_eq(code, WAIT_ABANDONED);
    CloseHandle(t);
    ReleaseMutex(gate);
    CloseHandle(gate);
    CloseHandle(ready);
    CloseHandle(blocked_mutex);
}
END_TEST

NTT_MAIN(child_signals_inherited_objects, parent_wakes_waiting_child,
         inherited_mutex_abandoned_by_dead_process, named_mutex_abandoned_by_dead_process,
         waiter_blocked_before_the_owner_dies)
