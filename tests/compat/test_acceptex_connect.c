/* AcceptEx without a receive buffer completes when a connection arrives (event or port). */
#include <winsock2.h>
#include <windows.h>
#include <mswsock.h>
#include "tcheck.h"
#include "tnet.h"
#include "taccept.h"

START_TEST(completes_on_connect_with_event)
{
    SOCKADDR_IN sa;
    SOCKET l = ntt_listener(&sa);
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    OVERLAPPED ov;
    char buf[2 * ADDRLEN];
    DWORD got = 0;
    SOCKET acc = ntt_acceptex_pending(l, buf, 0, &got, &ov, ev);
    ck_assert_uint_eq(WaitForSingleObject(ev, 100), WAIT_TIMEOUT); /* nobody connected yet */

    SOCKET c = ntt_connect_to(&sa);
    ck_assert_uint_eq(WaitForSingleObject(ev, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD n = 99;
    ck_assert(GetOverlappedResult((HANDLE)l, &ov, &n, FALSE));
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(setsockopt(acc, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, sizeof(l)),
                     0);

    struct sockaddr *local = NULL, *remote = NULL;
    int llen = 0, rlen = 0;
    GetAcceptExSockaddrs(buf, 0, ADDRLEN, ADDRLEN, &local, &llen, &remote, &rlen);
    ck_assert_int_eq(llen, sizeof(SOCKADDR_IN));
    ck_assert_int_eq(rlen, sizeof(SOCKADDR_IN));
    SOCKADDR_IN cl;
    int cllen = sizeof(cl);
    ck_assert_int_eq(getsockname(c, (struct sockaddr *)&cl, &cllen), 0);
    SOCKADDR_IN lo, re;
    memcpy(&lo, local, sizeof(lo));
    memcpy(&re, remote, sizeof(re));
    ck_assert_int_eq(lo.sin_family, AF_INET);
    ck_assert_uint_eq(lo.sin_port, sa.sin_port);
    ck_assert_uint_eq(lo.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    ck_assert_int_eq(re.sin_family, AF_INET);
    ck_assert_uint_eq(re.sin_port, cl.sin_port);

    /* With the accept context updated, the accepted socket knows both ends. */
    SOCKADDR_IN peer, self;
    int plen = sizeof(peer), slen = sizeof(self);
    ck_assert_int_eq(getpeername(acc, (struct sockaddr *)&peer, &plen), 0);
    ck_assert_uint_eq(peer.sin_port, cl.sin_port);
    ck_assert_int_eq(getsockname(acc, (struct sockaddr *)&self, &slen), 0);
    ck_assert_uint_eq(self.sin_port, sa.sin_port);

    char x = 0;
    ck_assert_int_eq(send(c, "x", 1, 0), 1);
    ck_assert_int_eq(recv(acc, &x, 1, 0), 1);
    ck_assert_int_eq(x, 'x');
    CloseHandle(ev);
    closesocket(c);
    closesocket(acc);
    closesocket(l);
    WSACleanup();
}
END_TEST

START_TEST(completes_to_port_through_extension_pointers)
{
    SOCKADDR_IN sa;
    SOCKET l = ntt_listener(&sa);
    GUID gid = WSAID_ACCEPTEX, gsa = WSAID_GETACCEPTEXSOCKADDRS;
    LPFN_ACCEPTEX accept_ex = NULL;
    LPFN_GETACCEPTEXSOCKADDRS sockaddrs = NULL;
    DWORD bytes = 0;
    ck_assert_int_eq(WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, &gid, sizeof(gid), &accept_ex,
                              sizeof(accept_ex), &bytes, NULL, NULL),
                     0);
    ck_assert_int_eq(WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, &gsa, sizeof(gsa), &sockaddrs,
                              sizeof(sockaddrs), &bytes, NULL, NULL),
                     0);
    ck_assert_ptr_nonnull(accept_ex);
    ck_assert_ptr_nonnull(sockaddrs);
    HANDLE port = CreateIoCompletionPort((HANDLE)l, NULL, 42, 0);
    ck_assert_ptr_nonnull(port);
    SOCKET acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    char buf[2 * ADDRLEN];
    BOOL ok = accept_ex(l, acc, buf, 0, ADDRLEN, ADDRLEN, NULL, &ov);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_IO_PENDING);
    SOCKET c = ntt_connect_to(&sa);
    ULONG_PTR key = 0;
    LPOVERLAPPED done = NULL;
    ck_assert(GetQueuedCompletionStatus(port, &bytes, &key, &done, NTT_WAIT_MS));
    ck_assert_ptr_eq(done, &ov);
    ck_assert_uint_eq(key, 42);
    ck_assert_uint_eq(bytes, 0);
    struct sockaddr *local = NULL, *remote = NULL;
    int llen = 0, rlen = 0;
    sockaddrs(buf, 0, ADDRLEN, ADDRLEN, &local, &llen, &remote, &rlen);
    ck_assert_int_eq(rlen, sizeof(SOCKADDR_IN));
    closesocket(c);
    closesocket(acc);
    closesocket(l);
    CloseHandle(port);
    WSACleanup();
}
END_TEST

START_TEST(closing_listener_aborts_pending_accept)
{
    SOCKADDR_IN sa;
    SOCKET l = ntt_listener(&sa);
    HANDLE port = CreateIoCompletionPort((HANDLE)l, NULL, 1, 0);
    OVERLAPPED ov;
    char buf[2 * ADDRLEN];
    DWORD got;
    SOCKET acc = ntt_acceptex_pending(l, buf, 0, &got, &ov, NULL);
    ck_assert_int_eq(closesocket(l), 0);
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED done = NULL;
    BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &done, NTT_WAIT_MS);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_ptr_eq(done, &ov);
    ck_assert_msg(err == ERROR_OPERATION_ABORTED || err == ERROR_NETNAME_DELETED, "error %lu",
                  (unsigned long)err);
    closesocket(acc);
    CloseHandle(port);
    WSACleanup();
}
END_TEST

START_TEST(accept_socket_must_be_fresh)
{
    SOCKADDR_IN sa;
    SOCKET l = ntt_listener(&sa);
    SOCKET acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKADDR_IN any = {0};
    any.sin_family = AF_INET;
    any.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(acc, (struct sockaddr *)&any, sizeof(any)), 0);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    char buf[2 * ADDRLEN];
    DWORD got;
    BOOL ok = AcceptEx(l, acc, buf, 0, ADDRLEN, ADDRLEN, &got, &ov);
    DWORD err = GetLastError();
    ck_assert(!ok);
    NTT_WINE_DIVERGES(
        err == WSAEINVAL, err == ERROR_IO_PENDING,
        "[AcceptEx] the accept socket must not be bound or connected: WSAEINVAL; Wine "
        "starts the accept");
    closesocket(acc); /* also ends Wine's pending accept */
    closesocket(l);
    WSACleanup();
}
END_TEST

START_TEST(address_lengths_need_sixteen_spare_bytes)
{
    SOCKADDR_IN sa;
    SOCKET l = ntt_listener(&sa);
    SOCKET acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    char buf[2 * ADDRLEN];
    DWORD got;
    BOOL ok = AcceptEx(l, acc, buf, 0, ADDRLEN - 1, ADDRLEN, &got, &ov);
    DWORD err = GetLastError();
    ck_assert(!ok);
    NTT_WINE_DIVERGES(err == WSAEINVAL, err == ERROR_IO_PENDING,
                      "[AcceptEx] address lengths must be 16 bytes more than the largest address; "
                      "Wine accepts shorter ones");
    closesocket(acc);
    closesocket(l);
    WSACleanup();
}
END_TEST

NTT_MAIN(completes_on_connect_with_event, completes_to_port_through_extension_pointers,
         closing_listener_aborts_pending_accept, accept_socket_must_be_fresh,
         address_lengths_need_sixteen_spare_bytes)
