/* Condition variables with critical sections and SRW locks: wake, wake-all, timeout (1460). */
#include "tcheck.h"

static CRITICAL_SECTION cs;
static SRWLOCK srw = SRWLOCK_INIT;
static CONDITION_VARIABLE cv = CONDITION_VARIABLE_INIT;
static int ready, woken;

static DWORD WINAPI cs_waiter(LPVOID arg)
{
    (void)arg;
    EnterCriticalSection(&cs);
    while (!ready)
        if (!SleepConditionVariableCS(&cv, &cs, NTT_WAIT_MS))
            break;
    int ok = ready;
    woken++;
    LeaveCriticalSection(&cs);
    return ok ? 0 : 1;
}

START_TEST(wake_all_with_critical_section)
{
    InitializeCriticalSection(&cs);
    ready = woken = 0;
    HANDLE t[3];
    for (int i = 0; i < 3; i++)
        t[i] = CreateThread(NULL, 0, cs_waiter, NULL, 0, NULL);
    Sleep(20); /* not needed for correctness: the predicate loop covers early wakes */
    EnterCriticalSection(&cs);
    ready = 1;
    LeaveCriticalSection(&cs);
    WakeAllConditionVariable(&cv);
    ck_assert_uint_eq(WaitForMultipleObjects(3, t, TRUE, NTT_WAIT_MS), WAIT_OBJECT_0);
    for (int i = 0; i < 3; i++) {
        DWORD code;
        GetExitCodeThread(t[i], &code);
        ck_assert_uint_eq(code, 0);
        CloseHandle(t[i]);
    }
    ck_assert_int_eq(woken, 3);
    DeleteCriticalSection(&cs);
}
END_TEST

static int queue;

static DWORD WINAPI srw_consumer(LPVOID arg)
{
    (void)arg;
    AcquireSRWLockExclusive(&srw);
    while (queue == 0)
        if (!SleepConditionVariableSRW(&cv, &srw, NTT_WAIT_MS, 0))
            break;
    int got = queue > 0;
    if (got)
        queue--;
    ReleaseSRWLockExclusive(&srw);
    return got ? 0 : 1;
}

START_TEST(wake_one_with_srw)
{
    queue = 0;
    HANDLE t[2];
    for (int i = 0; i < 2; i++)
        t[i] = CreateThread(NULL, 0, srw_consumer, NULL, 0, NULL);
    for (int i = 0; i < 2; i++) {
        AcquireSRWLockExclusive(&srw);
        queue++;
        ReleaseSRWLockExclusive(&srw);
        WakeConditionVariable(&cv);
    }
    ck_assert_uint_eq(WaitForMultipleObjects(2, t, TRUE, NTT_WAIT_MS), WAIT_OBJECT_0);
    for (int i = 0; i < 2; i++) {
        DWORD code;
        GetExitCodeThread(t[i], &code);
        ck_assert_uint_eq(code, 0);
        CloseHandle(t[i]);
    }
    ck_assert_int_eq(queue, 0);
}
END_TEST

START_TEST(timeout_returns_false_1460)
{
    InitializeCriticalSection(&cs);
    CONDITION_VARIABLE c;
    InitializeConditionVariable(&c);
    EnterCriticalSection(&cs);
    ULONGLONG t0 = GetTickCount64();
    SetLastError(0);
    BOOL ok = SleepConditionVariableCS(&c, &cs, 50);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_TIMEOUT);
    /* Two readings of a clock that ticks every ~16 ms on Windows can differ by up to a tick less
     * than the time that passed [GetTickCount64]: allow one tick plus a margin, as sock_rcvtimeo.
     */
    ck_assert_uint_ge(GetTickCount64() - t0 + 20, 50);
    /* The lock is held again after the timeout. */
    LeaveCriticalSection(&cs);
    AcquireSRWLockShared(&srw);
    SetLastError(0);
    ok = SleepConditionVariableSRW(&c, &srw, 10, CONDITION_VARIABLE_LOCKMODE_SHARED);
    err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_TIMEOUT);
    ReleaseSRWLockShared(&srw);
    DeleteCriticalSection(&cs);
}
END_TEST

NTT_MAIN(wake_all_with_critical_section, wake_one_with_srw, timeout_returns_false_1460)
