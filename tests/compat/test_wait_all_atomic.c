/* WaitForMultipleObjects(wait-all) consumes nothing unless every object is signalled. */
#include "tcheck.h"

START_TEST(nothing_consumed_while_one_is_unsignalled)
{
    HANDLE h[4];
    h[0] = CreateEventA(NULL, FALSE, TRUE, NULL); /* auto-reset, set */
    h[1] = CreateSemaphoreA(NULL, 1, 1, NULL);
    h[2] = CreateMutexA(NULL, FALSE, NULL);
    h[3] = CreateEventA(NULL, FALSE, FALSE, NULL); /* the missing one */
    ck_assert_uint_eq(WaitForMultipleObjects(4, h, TRUE, 50), WAIT_TIMEOUT);
    /* Nothing was taken: the event is still set, the semaphore still 1. */
    ck_assert_uint_eq(WaitForSingleObject(h[0], 0), WAIT_OBJECT_0);
    ck_assert(SetEvent(h[0]));
    LONG prev = -1;
    BOOL ok = ReleaseSemaphore(h[1], 1, &prev);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_TOO_MANY_POSTS);
    ck_assert(SetEvent(h[3]));
    ck_assert_uint_eq(WaitForMultipleObjects(4, h, TRUE, 0), WAIT_OBJECT_0);
    /* Now everything was consumed at once. */
    ck_assert_uint_eq(WaitForSingleObject(h[0], 0), WAIT_TIMEOUT);
    ck_assert_uint_eq(WaitForSingleObject(h[3], 0), WAIT_TIMEOUT);
    ck_assert(ReleaseSemaphore(h[1], 1, &prev));
    ck_assert_int_eq(prev, 0);
    ck_assert(ReleaseMutex(h[2]));
    ck_assert(!ReleaseMutex(h[2]));
    for (int i = 0; i < 4; i++)
        CloseHandle(h[i]);
}
END_TEST

static HANDLE pair[2];

static DWORD WINAPI set_second(LPVOID arg)
{
    (void)arg;
    Sleep(50);
    SetEvent(pair[1]);
    return 0;
}

START_TEST(completes_when_the_last_is_signalled)
{
    pair[0] = CreateEventA(NULL, FALSE, TRUE, NULL);
    pair[1] = CreateEventA(NULL, FALSE, FALSE, NULL);
    HANDLE t = CreateThread(NULL, 0, set_second, NULL, 0, NULL);
    ck_assert_uint_eq(WaitForMultipleObjects(2, pair, TRUE, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_uint_eq(WaitForSingleObject(pair[0], 0), WAIT_TIMEOUT);
    ck_assert_uint_eq(WaitForSingleObject(t, NTT_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(t);
    CloseHandle(pair[0]);
    CloseHandle(pair[1]);
}
END_TEST

NTT_MAIN(nothing_consumed_while_one_is_unsignalled, completes_when_the_last_is_signalled)
