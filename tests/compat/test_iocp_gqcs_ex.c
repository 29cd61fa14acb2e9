/* GetQueuedCompletionStatusEx removes up to ulCount packets at once, in order, statuses included.
 */
#include "tcheck.h"

START_TEST(batches_up_to_count)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    ck_assert_ptr_nonnull(port);
    OVERLAPPED ov[5];
    memset(ov, 0, sizeof(ov));
    for (int i = 0; i < 5; i++)
        ck_assert(PostQueuedCompletionStatus(port, (DWORD)i, (ULONG_PTR)(1000 + i), &ov[i]));
    OVERLAPPED_ENTRY e[3];
    ULONG n = 0;
    ck_assert(GetQueuedCompletionStatusEx(port, e, 3, &n, NTT_WAIT_MS, FALSE));
    ck_assert_uint_eq(n, 3);
    for (ULONG i = 0; i < 3; i++) {
        ck_assert_uint_eq(e[i].lpCompletionKey, 1000 + i);
        ck_assert_ptr_eq(e[i].lpOverlapped, &ov[i]);
        ck_assert_uint_eq(e[i].dwNumberOfBytesTransferred, i);
        ck_assert_uint_eq(e[i].Internal, 0); /* STATUS_SUCCESS */
    }
    ck_assert(GetQueuedCompletionStatusEx(port, e, 3, &n, NTT_WAIT_MS, TRUE));
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(e[0].lpCompletionKey, 1003);
    ck_assert_uint_eq(e[1].lpCompletionKey, 1004);
    ck_assert(CloseHandle(port));
}
END_TEST

START_TEST(null_overlapped_entries)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    ck_assert_ptr_nonnull(port);
    ck_assert(PostQueuedCompletionStatus(port, 3, 77, NULL));
    OVERLAPPED_ENTRY e[2];
    ULONG n = 0;
    ck_assert(GetQueuedCompletionStatusEx(port, e, 2, &n, NTT_WAIT_MS, FALSE));
    ck_assert_uint_eq(n, 1);
    ck_assert_ptr_null(e[0].lpOverlapped);
    ck_assert_uint_eq(e[0].lpCompletionKey, 77);
    ck_assert_uint_eq(e[0].dwNumberOfBytesTransferred, 3);
    ck_assert(CloseHandle(port));
}
END_TEST

NTT_MAIN(batches_up_to_count, null_overlapped_entries)
