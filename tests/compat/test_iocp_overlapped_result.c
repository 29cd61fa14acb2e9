/* GetOverlappedResult reads the status of an OVERLAPPED: pending, success with bytes, or an error.
 */
#include "tcheck.h"

START_TEST(pending_without_wait_is_incomplete)
{
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.Internal = STATUS_PENDING;
    DWORD bytes = 123;
    SetLastError(0);
    BOOL ok = GetOverlappedResult(NULL, &ov, &bytes, FALSE);
    DWORD err = GetLastError(); /* before any ck_assert: Check may reset it */
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_IO_INCOMPLETE);
    ck_assert(!HasOverlappedIoCompleted(&ov));
}
END_TEST

START_TEST(success_reports_bytes)
{
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.Internal = 0; /* STATUS_SUCCESS */
    ov.InternalHigh = 5;
    DWORD bytes = 0;
    ck_assert(GetOverlappedResult(NULL, &ov, &bytes, TRUE));
    ck_assert_uint_eq(bytes, 5);
    ck_assert(HasOverlappedIoCompleted(&ov));
}
END_TEST

START_TEST(cancelled_reports_operation_aborted)
{
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.Internal = 0xC0000120; /* STATUS_CANCELLED (ntstatus.h) */
    ov.InternalHigh = 2;
    DWORD bytes = 0;
    SetLastError(0);
    BOOL ok = GetOverlappedResult(NULL, &ov, &bytes, FALSE);
    DWORD err = GetLastError(); /* before any ck_assert: Check may reset it */
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_OPERATION_ABORTED);
    ck_assert_uint_eq(bytes, 2);
}
END_TEST

NTT_MAIN(pending_without_wait_is_incomplete, success_reports_bytes,
         cancelled_reports_operation_aborted)
