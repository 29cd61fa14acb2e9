/* Synchronous completions: success queues a packet unless skipped; failure queues nothing. */
#include <winsock2.h>
#include <windows.h>
#include "tcheck.h"
#include "tnet.h"

/* Send n bytes from b and wait until a can read them. */
static void make_readable(SOCKET a, SOCKET b, const char *data, int n)
{
    ck_assert_int_eq(send(b, data, n, 0), n);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(a, &r);
    struct timeval tv = {NTT_WAIT_MS / 1000, 0};
    ck_assert_int_eq(select(0, &r, NULL, NULL, &tv), 1);
}

static BOOL packet(HANDLE port, DWORD ms, LPOVERLAPPED *ov, DWORD *bytes, DWORD *err)
{
    ULONG_PTR key;
    BOOL ok = GetQueuedCompletionStatus(port, bytes, &key, ov, ms);
    *err = GetLastError();
    return ok;
}

START_TEST(ready_data_completes_synchronously_and_queues)
{
    SOCKET a, b;
    ntt_connected_pair(&a, &b);
    HANDLE port = CreateIoCompletionPort((HANDLE)a, NULL, 3, 0);
    make_readable(a, b, "abc", 3);
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    DWORD got = 0, flags = 0;
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ck_assert_int_eq(WSARecv(a, &wb, 1, &got, &flags, &ov, NULL), 0);
    ck_assert_uint_eq(got, 3);
    LPOVERLAPPED done = NULL;
    DWORD bytes = 0, err;
    ck_assert(packet(port, NTT_WAIT_MS, &done, &bytes, &err));
    ck_assert_ptr_eq(done, &ov);
    ck_assert_uint_eq(bytes, 3);
    closesocket(a);
    closesocket(b);
    CloseHandle(port);
    WSACleanup();
}
END_TEST

START_TEST(skip_on_success_suppresses_only_synchronous_packets)
{
    SOCKET a, b;
    ntt_connected_pair(&a, &b);
    HANDLE port = CreateIoCompletionPort((HANDLE)a, NULL, 3, 0);
    ck_assert(SetFileCompletionNotificationModes((HANDLE)a, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    make_readable(a, b, "abc", 3);
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    DWORD got = 0, flags = 0;
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ck_assert_int_eq(WSARecv(a, &wb, 1, &got, &flags, &ov, NULL), 0);
    ck_assert_uint_eq(got, 3);
    LPOVERLAPPED done = NULL;
    DWORD bytes = 0, err;
    ck_assert(!packet(port, 200, &done, &bytes, &err));
    ck_assert_uint_eq(err, WAIT_TIMEOUT);

    /* A pending operation still completes through the port. */
    int r = WSARecv(a, &wb, 1, &got, &flags, &ov, NULL);
    err = WSAGetLastError();
    ck_assert_int_eq(r, SOCKET_ERROR);
    ck_assert_int_eq(err, WSA_IO_PENDING);
    ck_assert_int_eq(send(b, "de", 2, 0), 2);
    ck_assert(packet(port, NTT_WAIT_MS, &done, &bytes, &err));
    ck_assert_ptr_eq(done, &ov);
    ck_assert_uint_eq(bytes, 2);
    closesocket(a);
    closesocket(b);
    CloseHandle(port);
    WSACleanup();
}
END_TEST

START_TEST(synchronous_failure_queues_nothing)
{
    WSADATA d;
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &d), 0);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 3, 0);
    ck_assert_ptr_nonnull(port);
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    DWORD got = 0, flags = 0;
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    int r = WSARecv(s, &wb, 1, &got, &flags, &ov, NULL);
    int err = WSAGetLastError();
    ck_assert_int_eq(r, SOCKET_ERROR);
    ck_assert_int_eq(err, WSAENOTCONN);
    LPOVERLAPPED done = NULL;
    DWORD bytes, e2;
    ck_assert(!packet(port, 200, &done, &bytes, &e2));
    ck_assert_uint_eq(e2, WAIT_TIMEOUT);
    closesocket(s);
    CloseHandle(port);
    WSACleanup();
}
END_TEST

START_TEST(event_low_bit_suppresses_packet)
{
    SOCKET a, b;
    ntt_connected_pair(&a, &b);
    HANDLE port = CreateIoCompletionPort((HANDLE)a, NULL, 3, 0);
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags;
    OVERLAPPED ov;
    ntt_recv_pending(a, &wb, 1, NULL, &flags, &ov, (HANDLE)((UINT_PTR)ev | 1));
    ck_assert_int_eq(send(b, "xyz", 3, 0), 3);
    ck_assert_uint_eq(WaitForSingleObject(ev, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD n = 0;
    ck_assert(GetOverlappedResult((HANDLE)a, &ov, &n, FALSE));
    ck_assert_uint_eq(n, 3);
    LPOVERLAPPED done = NULL;
    DWORD bytes, e2;
    ck_assert(!packet(port, 200, &done, &bytes, &e2));
    ck_assert_uint_eq(e2, WAIT_TIMEOUT);
    CloseHandle(ev);
    closesocket(a);
    closesocket(b);
    CloseHandle(port);
    WSACleanup();
}
END_TEST

NTT_MAIN(ready_data_completes_synchronously_and_queues,
         skip_on_success_suppresses_only_synchronous_packets, synchronous_failure_queues_nothing,
         event_low_bit_suppresses_packet)
