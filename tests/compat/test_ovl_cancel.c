/* CancelIoEx completes a pending operation with ERROR_OPERATION_ABORTED; nothing pending: 1168. */
#include <winsock2.h>
#include <windows.h>
#include "tcheck.h"
#include "tnet.h"

static void start_recv(SOCKET s, char *buf, WSABUF *w, DWORD *flags, OVERLAPPED *ov)
{
    w->len = 8;
    w->buf = buf;
    ntt_recv_pending(s, w, 1, NULL, flags, ov, NULL);
}

START_TEST(cancel_one)
{
    SOCKET a, b;
    ntt_connected_pair(&a, &b);
    HANDLE port = CreateIoCompletionPort((HANDLE)a, NULL, 4, 0);
    char buf[8];
    WSABUF w;
    DWORD flags;
    OVERLAPPED ov;
    start_recv(a, buf, &w, &flags, &ov);
    ck_assert(CancelIoEx((HANDLE)a, &ov));
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED done = NULL;
    BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &done, NTT_WAIT_MS);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_OPERATION_ABORTED);
    ck_assert_ptr_eq(done, &ov);
    ck_assert_uint_eq(key, 4);

    /* Nothing left: the same OVERLAPPED, or all operations. */
    ok = CancelIoEx((HANDLE)a, &ov);
    err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_NOT_FOUND);
    ok = CancelIoEx((HANDLE)a, NULL);
    err = GetLastError();
    NTT_WINE_DIVERGES(!ok && err == ERROR_NOT_FOUND, ok,
                      "[CancelIoEx] no request to cancel: FALSE and ERROR_NOT_FOUND; Wine returns "
                      "TRUE when lpOverlapped is NULL");

    /* The socket still works. */
    start_recv(a, buf, &w, &flags, &ov);
    ck_assert_int_eq(send(b, "q", 1, 0), 1);
    ck_assert(GetQueuedCompletionStatus(port, &bytes, &key, &done, NTT_WAIT_MS));
    ck_assert_uint_eq(bytes, 1);
    closesocket(a);
    closesocket(b);
    CloseHandle(port);
    WSACleanup();
}
END_TEST

START_TEST(cancel_all)
{
    SOCKET a, b;
    ntt_connected_pair(&a, &b);
    HANDLE port = CreateIoCompletionPort((HANDLE)a, NULL, 4, 0);
    char b1[8], b2[8];
    WSABUF w1, w2;
    DWORD f1, f2;
    OVERLAPPED ov1, ov2;
    start_recv(a, b1, &w1, &f1, &ov1);
    start_recv(a, b2, &w2, &f2, &ov2);
    ck_assert(CancelIoEx((HANDLE)a, NULL));
    for (int i = 0; i < 2; i++) {
        DWORD bytes;
        ULONG_PTR key;
        LPOVERLAPPED done = NULL;
        BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &done, NTT_WAIT_MS);
        DWORD err = GetLastError();
        ck_assert(!ok);
        ck_assert_uint_eq(err, ERROR_OPERATION_ABORTED);
        ck_assert(done == &ov1 || done == &ov2);
    }
    closesocket(a);
    closesocket(b);
    CloseHandle(port);
    WSACleanup();
}
END_TEST

START_TEST(cancel_invalid_handle)
{
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    ck_assert(CloseHandle(ev));
    BOOL ok = CancelIoEx(ev, NULL);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_INVALID_HANDLE);
}
END_TEST

START_TEST(cancel_io_with_nothing_pending)
{
    SOCKET a, b;
    ntt_connected_pair(&a, &b);
    SetLastError(0);
    BOOL ok = CancelIo((HANDLE)a);
    DWORD err = GetLastError();
    fprintf(stderr, "CancelIo with nothing pending: %d, %lu\n", ok, (unsigned long)err);
    ck_assert(ok);
    closesocket(a);
    closesocket(b);
    WSACleanup();
}
END_TEST

NTT_MAIN(cancel_one, cancel_all, cancel_invalid_handle, cancel_io_with_nothing_pending)
