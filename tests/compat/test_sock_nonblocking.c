/* ioctlsocket(FIONBIO): calls that would block fail with WSAEWOULDBLOCK; FIONREAD counts bytes. */
#include <winsock2.h>

#include "tcheck.h"
#include "tnet.h"

START_TEST(recv_and_accept_would_block)
{
    SOCKET l, a, c;
    ntt_connected_pair_listening(&l, &a, &c);
    u_long on = 1;
    ck_assert_int_eq(ioctlsocket(a, FIONBIO, &on), 0);
    ck_assert_int_eq(ioctlsocket(l, FIONBIO, &on), 0);
    char buf[8];
    NTT_FAILS_WITH(recv(a, buf, sizeof(buf), 0), SOCKET_ERROR, WSAEWOULDBLOCK);
    ck_assert_int_eq(WSAEWOULDBLOCK, 10035);
    NTT_FAILS_WITH(accept(l, NULL, NULL), INVALID_SOCKET, WSAEWOULDBLOCK);

    /* Back to blocking: data that is there is returned. */
    u_long off = 0;
    ck_assert_int_eq(ioctlsocket(a, FIONBIO, &off), 0);
    ck_assert_int_eq(send(c, "abc", 3, 0), 3);
    ck_assert_int_eq(recv(a, buf, sizeof(buf), 0), 3);
    ntt_close_pair(a, c, l);
}
END_TEST

START_TEST(fionread_counts_pending_bytes)
{
    SOCKET l, a, c;
    ntt_connected_pair_listening(&l, &a, &c);
    ck_assert_int_eq(send(c, "12345", 5, 0), 5);
    /* Wait for the bytes with select rather than with a sleep. */
    fd_set r;
    FD_ZERO(&r);
    FD_SET(a, &r);
    TIMEVAL tv = {NTT_WAIT_MS / 1000, 0};
    ck_assert_int_eq(select(0, &r, NULL, NULL, &tv), 1);
    u_long n = 0;
    ck_assert_int_eq(ioctlsocket(a, FIONREAD, &n), 0);
    ck_assert_uint_eq(n, 5);
    ntt_close_pair(a, c, l);
}
END_TEST

START_TEST(nonblocking_connect_would_block)
{
    SOCKET l, a, c;
    ntt_connected_pair_listening(&l, &a, &c);
    SOCKADDR_IN sin;
    int len = sizeof(sin);
    ck_assert_int_eq(getsockname(l, (SOCKADDR *)&sin, &len), 0);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    u_long on = 1;
    ck_assert_int_eq(ioctlsocket(s, FIONBIO, &on), 0);
    int r = connect(s, (SOCKADDR *)&sin, sizeof(sin));
    int e = WSAGetLastError();
    /* Loopback may connect at once; otherwise it is WSAEWOULDBLOCK, never WSAEINPROGRESS. */
    if (r == SOCKET_ERROR)
        ck_assert_int_eq(e, WSAEWOULDBLOCK);
    fd_set w;
    FD_ZERO(&w);
    FD_SET(s, &w);
    TIMEVAL tv = {NTT_WAIT_MS / 1000, 0};
    ck_assert_int_eq(select(0, NULL, &w, NULL, &tv), 1);
    ck_assert(FD_ISSET(s, &w));
    int err = -1;
    len = sizeof(err);
    ck_assert_int_eq(getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&err, &len), 0);
    ck_assert_int_eq(err, 0);
    closesocket(s);
    ntt_close_pair(a, c, l);
}
END_TEST

NTT_MAIN(recv_and_accept_would_block, fionread_counts_pending_bytes,
         nonblocking_connect_would_block)
