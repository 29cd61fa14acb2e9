/* WaitForMultipleObjects(wait-any) returns the lowest signalled index and consumes only it. */
#include "tcheck.h"

START_TEST(lowest_signalled_index_wins)
{
    HANDLE h[5];
    for (int i = 0; i < 5; i++)
        h[i] = CreateEventA(NULL, FALSE, FALSE, NULL);
    ck_assert(SetEvent(h[3]));
    ck_assert(SetEvent(h[1]));
    ck_assert(SetEvent(h[4]));
    ck_assert_uint_eq(WaitForMultipleObjects(5, h, FALSE, 0), WAIT_OBJECT_0 + 1);
    ck_assert_uint_eq(WaitForMultipleObjects(5, h, FALSE, 0), WAIT_OBJECT_0 + 3);
    ck_assert_uint_eq(WaitForMultipleObjects(5, h, FALSE, 0), WAIT_OBJECT_0 + 4);
    ck_assert_uint_eq(WaitForMultipleObjects(5, h, FALSE, 0), WAIT_TIMEOUT);
    for (int i = 0; i < 5; i++)
        CloseHandle(h[i]);
}
END_TEST

START_TEST(mixed_types)
{
    HANDLE h[4];
    h[0] = CreateEventA(NULL, TRUE, FALSE, NULL);
    h[1] = CreateSemaphoreA(NULL, 0, 5, NULL);
    h[2] = CreateMutexA(NULL, FALSE, NULL);
    h[3] = CreateEventA(NULL, TRUE, TRUE, NULL);
    /* The free mutex is the lowest signalled object. */
    ck_assert_uint_eq(WaitForMultipleObjects(4, h, FALSE, 0), WAIT_OBJECT_0 + 2);
    ck_assert(ReleaseMutex(h[2]));
    ck_assert(ReleaseSemaphore(h[1], 1, NULL));
    ck_assert_uint_eq(WaitForMultipleObjects(4, h, FALSE, 0), WAIT_OBJECT_0 + 1);
    ck_assert_uint_eq(WaitForMultipleObjects(4, h, FALSE, 0), WAIT_OBJECT_0 + 2);
    ck_assert(ReleaseMutex(h[2]));
    for (int i = 0; i < 4; i++)
        CloseHandle(h[i]);
}
END_TEST

static HANDLE late;

static DWORD WINAPI set_later(LPVOID arg)
{
    (void)arg;
    Sleep(50);
    SetEvent(late);
    return 0;
}

START_TEST(wakes_on_a_later_signal)
{
    HANDLE h[3];
    for (int i = 0; i < 3; i++)
        h[i] = CreateEventA(NULL, FALSE, FALSE, NULL);
    late = h[2];
    HANDLE t = CreateThread(NULL, 0, set_later, NULL, 0, NULL);
    ck_assert_uint_eq(WaitForMultipleObjects(3, h, FALSE, NTT_WAIT_MS), WAIT_OBJECT_0 + 2);
    ck_assert_uint_eq(WaitForSingleObject(t, NTT_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(t);
    for (int i = 0; i < 3; i++)
        CloseHandle(h[i]);
}
END_TEST

NTT_MAIN(lowest_signalled_index_wins, mixed_types, wakes_on_a_later_signal)
