/* Auto-reset events: SetEvent releases exactly one waiter, and repeated sets do not accumulate. */
#include "tcheck.h"

#define WAITERS 4

static HANDLE ev, go;
static volatile LONG released;

static DWORD WINAPI waiter(LPVOID arg)
{
    (void)arg;
    DWORD r = WaitForSingleObject(ev, NTT_WAIT_MS);
    if (r == WAIT_OBJECT_0) {
        InterlockedIncrement(&released);
        SetEvent(go);
    }
    return r;
}

START_TEST(set_releases_exactly_one_waiter)
{
    ev = CreateEventA(NULL, FALSE, FALSE, NULL);
    go = CreateEventA(NULL, FALSE, FALSE, NULL);
    ck_assert_ptr_nonnull(ev);
    released = 0;
    HANDLE t[WAITERS];
    for (int i = 0; i < WAITERS; i++)
        ck_assert_ptr_nonnull(t[i] = CreateThread(NULL, 0, waiter, NULL, 0, NULL));
    for (int k = 1; k <= WAITERS; k++) {
        ck_assert(SetEvent(ev));
        ck_assert_uint_eq(WaitForSingleObject(go, NTT_WAIT_MS), WAIT_OBJECT_0);
        /* Give a wrongly released second waiter the chance to show up. */
        ck_assert_uint_eq(WaitForSingleObject(go, 100), WAIT_TIMEOUT);
        ck_assert_int_eq(released, k);
    }
    ck_assert_uint_eq(WaitForMultipleObjects(WAITERS, t, TRUE, NTT_WAIT_MS), WAIT_OBJECT_0);
    for (int i = 0; i < WAITERS; i++) {
        DWORD code;
        ck_assert(GetExitCodeThread(t[i], &code));
        ck_assert_uint_eq(code, WAIT_OBJECT_0);
        ck_assert(CloseHandle(t[i]));
    }
    /* The last waiter consumed the last set: the event is reset again. */
    ck_assert_uint_eq(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    CloseHandle(ev);
    CloseHandle(go);
}
END_TEST

START_TEST(sets_do_not_accumulate)
{
    HANDLE e = CreateEventA(NULL, FALSE, FALSE, NULL);
    ck_assert(SetEvent(e));
    ck_assert(SetEvent(e));
    ck_assert(SetEvent(e));
    ck_assert_uint_eq(WaitForSingleObject(e, 0), WAIT_OBJECT_0);
    ck_assert_uint_eq(WaitForSingleObject(e, 0), WAIT_TIMEOUT);
    ck_assert(CloseHandle(e));
}
END_TEST

START_TEST(initially_set_and_reset)
{
    HANDLE e = CreateEventA(NULL, FALSE, TRUE, NULL);
    ck_assert(ResetEvent(e));
    ck_assert_uint_eq(WaitForSingleObject(e, 0), WAIT_TIMEOUT);
    ck_assert(SetEvent(e));
    ck_assert_uint_eq(WaitForSingleObject(e, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_uint_eq(WaitForSingleObject(e, 0), WAIT_TIMEOUT);
    ck_assert(CloseHandle(e));
}
END_TEST

NTT_MAIN(set_releases_exactly_one_waiter, sets_do_not_accumulate, initially_set_and_reset)
