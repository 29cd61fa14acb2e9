/* A connection reset before AcceptEx takes it fails that one accept; the listener stays healthy. */
#include <winsock2.h>
#include <windows.h>
#include <mswsock.h>
#include "tcheck.h"
#include "tnet.h"

#define ADDRLEN (sizeof(SOCKADDR_IN) + 16)

START_TEST(reset_fails_one_accept_only)
{
    SOCKADDR_IN sa;
    SOCKET l = ntt_listener(&sa);
    HANDLE port = CreateIoCompletionPort((HANDLE)l, NULL, 1, 0);
    SOCKET c = ntt_connect_to(&sa);
    struct linger lg = {1, 0};
    ck_assert_int_eq(setsockopt(c, SOL_SOCKET, SO_LINGER, (char *)&lg, sizeof(lg)), 0);
    ck_assert_int_eq(closesocket(c), 0); /* abortive close: RST */
    Sleep(200);                          /* let the RST reach the listener's backlog */

    SOCKET acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    char buf[2 * ADDRLEN];
    DWORD got;
    BOOL ok = AcceptEx(l, acc, buf, 0, ADDRLEN, ADDRLEN, &got, &ov);
    DWORD err = GetLastError();
    BOOL failed;
    if (!ok && err != ERROR_IO_PENDING) {
        failed = TRUE; /* failed synchronously: no packet */
    } else {
        DWORD bytes;
        ULONG_PTR key;
        LPOVERLAPPED done = NULL;
        BOOL pk = GetQueuedCompletionStatus(port, &bytes, &key, &done, 1000);
        err = GetLastError();
        if (!pk && done == NULL) {
            /* No completion at all: the reset connection was dropped from the backlog. */
            ck_assert_uint_eq(err, WAIT_TIMEOUT);
            failed = TRUE;
            ck_assert(CancelIoEx((HANDLE)l, &ov));
            ck_assert(!GetQueuedCompletionStatus(port, &bytes, &key, &done, NTT_WAIT_MS));
        } else {
            ck_assert_ptr_eq(done, &ov);
            failed = !pk;
        }
    }
    /* Windows often says ERROR_NETNAME_DELETED, Wine ERROR_UNEXP_NET_ERR: any error will do. */
    ck_assert_msg(failed, "the accept of a reset connection succeeded");
    ck_assert_uint_ne(err, 0);
    closesocket(acc);

    /* The next connection is accepted normally. */
    acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&ov, 0, sizeof(ov));
    ok = AcceptEx(l, acc, buf, 0, ADDRLEN, ADDRLEN, &got, &ov);
    err = GetLastError();
    ck_assert(ok || err == ERROR_IO_PENDING);
    c = ntt_connect_to(&sa);
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED done = NULL;
    ck_assert(GetQueuedCompletionStatus(port, &bytes, &key, &done, NTT_WAIT_MS));
    ck_assert_ptr_eq(done, &ov);
    ck_assert_int_eq(setsockopt(acc, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, sizeof(l)),
                     0);
    ck_assert_int_eq(send(c, "k", 1, 0), 1);
    char x;
    ck_assert_int_eq(recv(acc, &x, 1, 0), 1);
    closesocket(c);
    closesocket(acc);
    closesocket(l);
    CloseHandle(port);
    WSACleanup();
}
END_TEST

NTT_MAIN(reset_fails_one_accept_only)
