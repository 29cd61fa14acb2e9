/* A thread that exits owning a mutex abandons it: the next waiter gets WAIT_ABANDONED. */
#include "tcheck.h"

static HANDLE mtx;

static DWORD WINAPI take_and_return(LPVOID arg)
{
    (void)arg;
    return WaitForSingleObject(mtx, NTT_WAIT_MS);
}

static DWORD WINAPI take_and_exit(LPVOID arg)
{
    (void)arg;
    WaitForSingleObject(mtx, NTT_WAIT_MS);
    WaitForSingleObject(mtx, NTT_WAIT_MS); /* owned twice: still abandoned as a whole */
    ExitThread(7);
}

static void check_abandoned(LPTHREAD_START_ROUTINE fn)
{
    mtx = CreateMutexA(NULL, FALSE, NULL);
    HANDLE t = CreateThread(NULL, 0, fn, NULL, 0, NULL);
    ck_assert_uint_eq(WaitForSingleObject(t, NTT_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(t);
    ck_assert_uint_eq(WaitForSingleObject(mtx, NTT_WAIT_MS), WAIT_ABANDONED);
    /* We own it now, normally: abandonment is reported once. */
    ck_assert(ReleaseMutex(mtx));
    ck_assert_uint_eq(WaitForSingleObject(mtx, 0), WAIT_OBJECT_0);
    ck_assert(ReleaseMutex(mtx));
    CloseHandle(mtx);
}

START_TEST(thread_returns_owning_mutex)
{
    check_abandoned(take_and_return);
}
END_TEST

START_TEST(thread_exits_owning_mutex)
{
    check_abandoned(take_and_exit);
}
END_TEST

static HANDLE started;

static DWORD WINAPI take_signal_exit(LPVOID arg)
{
    (void)arg;
    WaitForSingleObject(mtx, NTT_WAIT_MS);
    SetEvent(started);
    Sleep(50);
    return 0;
}

START_TEST(waiter_blocked_during_exit_gets_abandoned)
{
    mtx = CreateMutexA(NULL, FALSE, NULL);
    started = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE t = CreateThread(NULL, 0, take_signal_exit, NULL, 0, NULL);
    ck_assert_uint_eq(WaitForSingleObject(started, NTT_WAIT_MS), WAIT_OBJECT_0);
    HANDLE h[2] = {started, mtx};
    /* In a wait-all the abandoned index is reported: WAIT_ABANDONED_0 + 1. */
    DWORD r = WaitForMultipleObjects(2, h, TRUE, NTT_WAIT_MS);
    ck_assert_uint_ge(r, WAIT_ABANDONED_0);
    ck_assert_uint_le(r, WAIT_ABANDONED_0 + 1);
    ck_assert(ReleaseMutex(mtx));
    ck_assert_uint_eq(WaitForSingleObject(t, NTT_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(t);
    CloseHandle(started);
    CloseHandle(mtx);
}
END_TEST

NTT_MAIN(thread_returns_owning_mutex, thread_exits_owning_mutex,
         waiter_blocked_during_exit_gets_abandoned)
