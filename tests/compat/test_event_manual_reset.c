/* Manual-reset events release every waiter and stay signalled until ResetEvent. */
#include "tcheck.h"

#define WAITERS 6

static HANDLE ev;
static volatile LONG released;

static DWORD WINAPI waiter(LPVOID arg)
{
    (void)arg;
    DWORD r = WaitForSingleObject(ev, NTT_WAIT_MS);
    if (r == WAIT_OBJECT_0)
        InterlockedIncrement(&released);
    return r;
}

START_TEST(set_releases_all_and_stays_set)
{
    ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    ck_assert_ptr_nonnull(ev);
    HANDLE t[WAITERS];
    for (int i = 0; i < WAITERS; i++)
        ck_assert_ptr_nonnull(t[i] = CreateThread(NULL, 0, waiter, NULL, 0, NULL));
    ck_assert(SetEvent(ev));
    ck_assert_uint_eq(WaitForMultipleObjects(WAITERS, t, TRUE, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_int_eq(released, WAITERS);
    ck_assert_uint_eq(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    ck_assert_uint_eq(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    ck_assert(ResetEvent(ev));
    ck_assert_uint_eq(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    for (int i = 0; i < WAITERS; i++)
        ck_assert(CloseHandle(t[i]));
    ck_assert(CloseHandle(ev));
}
END_TEST

NTT_MAIN(set_releases_all_and_stays_set)
