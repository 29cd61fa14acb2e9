/* WaitForMultipleObjects argument errors: counts 0 and 65, invalid handles, timeouts. */
#include "tcheck.h"

/* The last error of a wait that must fail, read before any assertion can change it. */
static DWORD fails_with(DWORD wait_result)
{
    return wait_result == WAIT_FAILED ? GetLastError() : ERROR_SUCCESS;
}

START_TEST(zero_and_too_many_handles)
{
    HANDLE h[MAXIMUM_WAIT_OBJECTS + 1];
    for (int i = 0; i <= MAXIMUM_WAIT_OBJECTS; i++)
        h[i] = CreateEventA(NULL, TRUE, TRUE, NULL);
    ck_assert_uint_eq(fails_with(WaitForMultipleObjects(0, h, FALSE, 0)), ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(fails_with(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS + 1, h, FALSE, 0)),
                      ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(fails_with(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS + 1, h, TRUE, 0)),
                      ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS, h, TRUE, 0), WAIT_OBJECT_0);
    ck_assert_uint_eq(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS, h, FALSE, 0), WAIT_OBJECT_0);
    for (int i = 0; i <= MAXIMUM_WAIT_OBJECTS; i++)
        CloseHandle(h[i]);
}
END_TEST

START_TEST(invalid_handle_fails)
{
    HANDLE h[2];
    h[0] = CreateEventA(NULL, TRUE, TRUE, NULL);
    h[1] = CreateEventA(NULL, TRUE, TRUE, NULL);
    ck_assert(CloseHandle(h[1]));
    ck_assert_uint_eq(fails_with(WaitForMultipleObjects(2, h, FALSE, 0)), ERROR_INVALID_HANDLE);
    ck_assert_uint_eq(fails_with(WaitForSingleObject(h[1], 0)), ERROR_INVALID_HANDLE);
    ck_assert_uint_eq(fails_with(WaitForSingleObject(NULL, 0)), ERROR_INVALID_HANDLE);
    CloseHandle(h[0]);
}
END_TEST

START_TEST(timeout_is_not_early)
{
    HANDLE h[2];
    h[0] = CreateEventA(NULL, FALSE, FALSE, NULL);
    h[1] = CreateEventA(NULL, TRUE, FALSE, NULL);
    LARGE_INTEGER f, a, b;
    ck_assert(QueryPerformanceFrequency(&f));
    for (DWORD ms = 20; ms <= 120; ms += 50) {
        ck_assert(QueryPerformanceCounter(&a));
        ck_assert_uint_eq(WaitForSingleObject(h[0], ms), WAIT_TIMEOUT);
        ck_assert(QueryPerformanceCounter(&b));
        /* One tick of slack: Windows rounds its timer to the tick, not below the timeout. */
        ck_assert_int_ge((b.QuadPart - a.QuadPart) * 1000 / f.QuadPart, (LONGLONG)ms - 1);
        ck_assert(QueryPerformanceCounter(&a));
        ck_assert_uint_eq(WaitForMultipleObjects(2, h, FALSE, ms), WAIT_TIMEOUT);
        ck_assert(QueryPerformanceCounter(&b));
        ck_assert_int_ge((b.QuadPart - a.QuadPart) * 1000 / f.QuadPart, (LONGLONG)ms - 1);
    }
    ck_assert_uint_eq(WaitForMultipleObjects(2, h, TRUE, 0), WAIT_TIMEOUT);
    CloseHandle(h[0]);
    CloseHandle(h[1]);
}
END_TEST

START_TEST(same_object_twice_in_wait_all)
{
    char name[64];
    snprintf(name, sizeof(name), "ntt-wait-twice-%lu", (unsigned long)GetTickCount64());
    HANDLE e = CreateEventA(NULL, TRUE, TRUE, name), d = OpenEventA(SYNCHRONIZE, FALSE, name);
    ck_assert_ptr_nonnull(d);
    HANDLE h[2] = {e, d};
    /* Wait-any tolerates it; wait-all rejects duplicates (NtWaitForMultipleObjects). */
    ck_assert_uint_eq(WaitForMultipleObjects(2, h, FALSE, 0), WAIT_OBJECT_0);
    DWORD r = WaitForMultipleObjects(2, h, TRUE, 0);
    DWORD err = r == WAIT_FAILED ? GetLastError() : 0;
    /* "It may not contain multiple copies of the same handle": Windows fails the wait with
     * ERROR_INVALID_PARAMETER (STATUS_INVALID_PARAMETER_MIX); Wine 8 just waits. */
    NTT_WINE_DIVERGES(r == WAIT_FAILED && err == ERROR_INVALID_PARAMETER, r == WAIT_OBJECT_0,
                      "[WaitForMultipleObjects] duplicates in the handle array");
    CloseHandle(d);
    CloseHandle(e);
}
END_TEST

NTT_MAIN(zero_and_too_many_handles, invalid_handle_fails, timeout_is_not_early,
         same_object_twice_in_wait_all)
