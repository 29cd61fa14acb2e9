/* A wait on an empty port times out with WAIT_TIMEOUT and the overlapped output set to NULL. */
#include "tcheck.h"

START_TEST(gqcs_timeout)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    ck_assert_ptr_nonnull(port);
    for (DWORD ms = 0; ms <= 50; ms += 50) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        OVERLAPPED dummy;
        LPOVERLAPPED got = &dummy;
        SetLastError(0);
        BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, ms);
        DWORD err = GetLastError(); /* before any ck_assert: Check may reset it */
        ck_assert(!ok);
        ck_assert_ptr_null(got);
        ck_assert_uint_eq(err, WAIT_TIMEOUT);
    }
    ck_assert(CloseHandle(port));
}
END_TEST

START_TEST(gqcs_timeout_waits_about_as_long_as_asked)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    ck_assert_ptr_nonnull(port);
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED got;
    ULONGLONG t0 = GetTickCount64();
    BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, 200);
    DWORD err = GetLastError();
    ULONGLONG dt = GetTickCount64() - t0;
    ck_assert(!ok);
    ck_assert_uint_eq(err, WAIT_TIMEOUT);
    ck_assert_uint_ge(dt, 150); /* tick granularity on Windows is ~16 ms */
    ck_assert_uint_lt(dt, NTT_WAIT_MS);
    ck_assert(CloseHandle(port));
}
END_TEST

START_TEST(gqcs_ex_timeout)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    ck_assert_ptr_nonnull(port);
    OVERLAPPED_ENTRY e[4];
    ULONG n = 99;
    SetLastError(0);
    BOOL ok = GetQueuedCompletionStatusEx(port, e, 4, &n, 20, FALSE);
    DWORD err = GetLastError(); /* before any ck_assert: Check may reset it */
    ck_assert(!ok);
    ck_assert_uint_eq(err, WAIT_TIMEOUT);
    /* ulNumEntriesRemoved after a timeout is undocumented (Wine writes 1): not asserted. */
    ck_assert(CloseHandle(port));
}
END_TEST

START_TEST(invalid_port_handle)
{
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    ck_assert_ptr_nonnull(ev);
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED got;
    SetLastError(0);
    BOOL ok = GetQueuedCompletionStatus(ev, &bytes, &key, &got, 0);
    DWORD err = GetLastError(); /* before any ck_assert: Check may reset it */
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_INVALID_HANDLE);
    ck_assert(CloseHandle(ev));
}
END_TEST

NTT_MAIN(gqcs_timeout, gqcs_timeout_waits_about_as_long_as_asked, gqcs_ex_timeout,
         invalid_port_handle)
