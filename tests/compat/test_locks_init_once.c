/* InitOnceExecuteOnce runs the function once across racing threads; a failure allows a retry. */
#include "tcheck.h"

#define THREADS 8

static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
static volatile LONG calls;
static HANDLE start;
static int payload = 1234;

static BOOL WINAPI init_fn(PINIT_ONCE o, PVOID param, PVOID *ctx)
{
    (void)o;
    InterlockedIncrement(&calls);
    Sleep(20); /* let the others pile up behind it */
    *ctx = param;
    return TRUE;
}

static DWORD WINAPI racer(LPVOID arg)
{
    (void)arg;
    WaitForSingleObject(start, NTT_WAIT_MS);
    PVOID ctx = NULL;
    if (!InitOnceExecuteOnce(&once, init_fn, &payload, &ctx))
        return 1;
    return ctx == &payload ? 0 : 2;
}

START_TEST(runs_once_across_racing_threads)
{
    start = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE t[THREADS];
    for (int i = 0; i < THREADS; i++)
        t[i] = CreateThread(NULL, 0, racer, NULL, 0, NULL);
    ck_assert(SetEvent(start));
    ck_assert_uint_eq(WaitForMultipleObjects(THREADS, t, TRUE, NTT_WAIT_MS), WAIT_OBJECT_0);
    for (int i = 0; i < THREADS; i++) {
        DWORD code = 99;
        GetExitCodeThread(t[i], &code);
        ck_assert_uint_eq(code, 0);
        CloseHandle(t[i]);
    }
    ck_assert_int_eq(calls, 1);
    CloseHandle(start);
}
END_TEST

static int attempts;

static BOOL WINAPI fail_first(PINIT_ONCE o, PVOID param, PVOID *ctx)
{
    (void)o, (void)param;
    *ctx = NULL;
    return ++attempts > 1;
}

START_TEST(failure_allows_retry)
{
    INIT_ONCE io;
    InitOnceInitialize(&io);
    PVOID ctx;
    ck_assert(!InitOnceExecuteOnce(&io, fail_first, NULL, &ctx));
    ck_assert(InitOnceExecuteOnce(&io, fail_first, NULL, &ctx));
    ck_assert(InitOnceExecuteOnce(&io, fail_first, NULL, NULL));
    ck_assert_int_eq(attempts, 2);
}
END_TEST

NTT_MAIN(runs_once_across_racing_threads, failure_allows_retry)
