/* Critical sections: recursion, TryEnter fails from another thread while held, mutual exclusion. */
#include "tcheck.h"

static CRITICAL_SECTION cs;

static DWORD WINAPI try_enter(LPVOID arg)
{
    (void)arg;
    if (!TryEnterCriticalSection(&cs))
        return 0;
    LeaveCriticalSection(&cs);
    return 1;
}

static DWORD run(LPTHREAD_START_ROUTINE fn)
{
    HANDLE t = CreateThread(NULL, 0, fn, NULL, 0, NULL);
    ck_assert_uint_eq(WaitForSingleObject(t, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 99;
    GetExitCodeThread(t, &code);
    CloseHandle(t);
    return code;
}

START_TEST(recursion_and_try_enter)
{
    InitializeCriticalSection(&cs);
    EnterCriticalSection(&cs);
    EnterCriticalSection(&cs);
    ck_assert(TryEnterCriticalSection(&cs));
    ck_assert_uint_eq(run(try_enter), 0);
    LeaveCriticalSection(&cs);
    LeaveCriticalSection(&cs);
    ck_assert_uint_eq(run(try_enter), 0);
    LeaveCriticalSection(&cs);
    ck_assert_uint_eq(run(try_enter), 1);
    DeleteCriticalSection(&cs);
}
END_TEST

#define THREADS 4
#define ROUNDS 20000
static long counter;

static DWORD WINAPI add(LPVOID arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        EnterCriticalSection(&cs);
        counter++;
        LeaveCriticalSection(&cs);
    }
    return 0;
}

START_TEST(mutual_exclusion)
{
    ck_assert(InitializeCriticalSectionAndSpinCount(&cs, 100));
    counter = 0;
    HANDLE t[THREADS];
    for (int i = 0; i < THREADS; i++)
        t[i] = CreateThread(NULL, 0, add, NULL, 0, NULL);
    ck_assert_uint_eq(WaitForMultipleObjects(THREADS, t, TRUE, NTT_WAIT_MS), WAIT_OBJECT_0);
    for (int i = 0; i < THREADS; i++)
        CloseHandle(t[i]);
    ck_assert_int_eq(counter, (long)THREADS * ROUNDS);
    DeleteCriticalSection(&cs);
}
END_TEST

NTT_MAIN(recursion_and_try_enter, mutual_exclusion)
