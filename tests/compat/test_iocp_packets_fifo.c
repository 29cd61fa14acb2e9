/* Completion port packets come out in the order they were posted, with their key, bytes and
 * overlapped. */
#include "tcheck.h"

START_TEST(packets_are_fifo)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    ck_assert_ptr_nonnull(port);
    OVERLAPPED ov[5];
    memset(ov, 0, sizeof(ov));
    for (int i = 0; i < 5; i++)
        ck_assert(PostQueuedCompletionStatus(port, (DWORD)(100 + i), (ULONG_PTR)(10 + i), &ov[i]));
    for (int i = 0; i < 5; i++) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        LPOVERLAPPED got = NULL;
        ck_assert(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0));
        ck_assert_uint_eq(bytes, 100 + i);
        ck_assert_uint_eq(key, 10 + i);
        ck_assert_ptr_eq(got, &ov[i]);
    }
    ck_assert(CloseHandle(port));
}
END_TEST

START_TEST(null_overlapped_post_is_success)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    ck_assert_ptr_nonnull(port);
    ck_assert(PostQueuedCompletionStatus(port, 7, 42, NULL));
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED dummy;
    LPOVERLAPPED got = &dummy;
    ck_assert(GetQueuedCompletionStatus(port, &bytes, &key, &got, NTT_WAIT_MS));
    ck_assert_ptr_null(got);
    ck_assert_uint_eq(key, 42);
    ck_assert_uint_eq(bytes, 7);
    ck_assert(CloseHandle(port));
}
END_TEST

START_TEST(closed_port_rejects_posts)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    ck_assert_ptr_nonnull(port);
    ck_assert(PostQueuedCompletionStatus(port, 0, 1, NULL)); /* a packet left behind is freed */
    ck_assert(CloseHandle(port));
    SetLastError(0);
    BOOL ok = PostQueuedCompletionStatus(port, 0, 1, NULL);
    DWORD err = GetLastError(); /* before any ck_assert: Check may reset it */
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_INVALID_HANDLE);
}
END_TEST

START_TEST(existing_port_with_invalid_file_fails)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    ck_assert_ptr_nonnull(port);
    SetLastError(0);
    HANDLE h = CreateIoCompletionPort(INVALID_HANDLE_VALUE, port, 1, 0);
    DWORD err = GetLastError(); /* before any ck_assert: Check may reset it */
    ck_assert_ptr_null(h);
    ck_assert_uint_eq(err, ERROR_INVALID_PARAMETER);
    ck_assert(CloseHandle(port));
}
END_TEST

NTT_MAIN(packets_are_fifo, null_overlapped_post_is_success, closed_port_rejects_posts,
         existing_port_with_invalid_file_fails)
