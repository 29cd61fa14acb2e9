/* Overlapped WSARecv / WSASend on a socket associated with a port complete there with their key. */
#include <winsock2.h>
#include <windows.h>
#include "tcheck.h"
#include "tnet.h"

START_TEST(pending_recv_completes_to_port)
{
    SOCKET a, b;
    ntt_connected_pair(&a, &b);
    HANDLE port = CreateIoCompletionPort((HANDLE)a, NULL, 77, 0);
    ck_assert_ptr_nonnull(port);
    char b1[3], b2[10];
    WSABUF bufs[2] = {{sizeof(b1), b1}, {sizeof(b2), b2}};
    DWORD flags, got = 0xdead;
    OVERLAPPED ov;
    ntt_recv_pending(a, bufs, 2, &got, &flags, &ov, NULL);
    ck_assert_uint_eq(got, 0xdead); /* set only on synchronous completion */

    DWORD bytes = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED done = NULL;
    BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &done, 0);
    DWORD e2 = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(e2, WAIT_TIMEOUT);

    ck_assert_int_eq(send(b, "hello world", 11, 0), 11);
    ck_assert(GetQueuedCompletionStatus(port, &bytes, &key, &done, NTT_WAIT_MS));
    ck_assert_ptr_eq(done, &ov);
    ck_assert_uint_eq(key, 77);
    ck_assert_uint_eq(bytes, 11);
    ck_assert(memcmp(b1, "hel", 3) == 0);
    ck_assert(memcmp(b2, "lo world", 8) == 0);
    DWORD n = 0, fl = 99;
    ck_assert(WSAGetOverlappedResult(a, &ov, &n, FALSE, &fl));
    ck_assert_uint_eq(n, 11);
    ck_assert(HasOverlappedIoCompleted(&ov));
    closesocket(a);
    closesocket(b);
    CloseHandle(port);
    WSACleanup();
}
END_TEST

struct drain_arg {
    SOCKET s;
    DWORD total;
};

static DWORD WINAPI drain(LPVOID p)
{
    struct drain_arg *d = p;
    char buf[65536];
    for (;;) {
        int r = recv(d->s, buf, sizeof(buf), 0);
        if (r <= 0)
            return 0;
        d->total += (DWORD)r;
    }
}

START_TEST(large_send_completes_with_everything)
{
    SOCKET a, b;
    ntt_connected_pair(&a, &b);
    HANDLE port = CreateIoCompletionPort((HANDLE)a, NULL, 5, 0);
    ck_assert_ptr_nonnull(port);
    const DWORD size = 8u << 20; /* more than any socket buffer: the send has to wait */
    char *big = malloc(size);
    ck_assert_ptr_nonnull(big);
    memset(big, 'x', size);
    char hdr[] = "HDR";
    WSABUF bufs[2] = {{3, hdr}, {size, big}};
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    DWORD sent = 0;
    int r = WSASend(a, bufs, 2, &sent, 0, &ov, NULL);
    int err = WSAGetLastError();
    ck_assert(r == 0 || err == WSA_IO_PENDING);
    if (r == 0)
        ck_assert_uint_eq(sent, size + 3);
    struct drain_arg d = {b, 0};
    HANDLE th = CreateThread(NULL, 0, drain, &d, 0, NULL);
    ck_assert_ptr_nonnull(th);
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED done = NULL;
    ck_assert(GetQueuedCompletionStatus(port, &bytes, &key, &done, NTT_WAIT_MS));
    ck_assert_ptr_eq(done, &ov);
    ck_assert_uint_eq(key, 5);
    ck_assert_uint_eq(bytes, size + 3);
    ck_assert_int_eq(shutdown(a, SD_SEND), 0);
    ck_assert_uint_eq(WaitForSingleObject(th, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_uint_eq(d.total, size + 3);
    CloseHandle(th);
    free(big);
    closesocket(a);
    closesocket(b);
    CloseHandle(port);
    WSACleanup();
}
END_TEST

START_TEST(zero_byte_recv_completes_when_data_arrives)
{
    SOCKET a, b;
    ntt_connected_pair(&a, &b);
    HANDLE port = CreateIoCompletionPort((HANDLE)a, NULL, 1, 0);
    WSABUF z = {0, NULL};
    DWORD flags;
    OVERLAPPED ov;
    ntt_recv_pending(a, &z, 1, NULL, &flags, &ov, NULL);
    ck_assert_int_eq(send(b, "ab", 2, 0), 2);
    DWORD bytes = 99;
    ULONG_PTR key;
    LPOVERLAPPED done;
    ck_assert(GetQueuedCompletionStatus(port, &bytes, &key, &done, NTT_WAIT_MS));
    ck_assert_uint_eq(bytes, 0);
    char buf[4];
    ck_assert_int_eq(recv(a, buf, sizeof(buf), 0), 2); /* nothing was consumed */
    closesocket(a);
    closesocket(b);
    CloseHandle(port);
    WSACleanup();
}
END_TEST

NTT_MAIN(pending_recv_completes_to_port, large_send_completes_with_everything,
         zero_byte_recv_completes_when_data_arrives)
