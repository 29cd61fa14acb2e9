/* Blocking connect / accept / send / recv over 127.0.0.1 and [::1], with getsockname / getpeername.
 */
#include <winsock2.h>
#include <ws2tcpip.h>

#include "tcheck.h"
#include "tnet.h"

/* A loopback listener of family af on an ephemeral port; its address in *addr. */
static SOCKET listener(int af, SOCKADDR_STORAGE *addr, int *len)
{
    SOCKET l = socket(af, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_uint_ne(l, INVALID_SOCKET);
    SOCKADDR_STORAGE ss;
    memset(&ss, 0, sizeof(ss));
    int sl;
    if (af == AF_INET) {
        SOCKADDR_IN *sin = (SOCKADDR_IN *)&ss;
        sin->sin_family = AF_INET;
        sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        sl = sizeof(*sin);
    } else {
        SOCKADDR_IN6 *sin6 = (SOCKADDR_IN6 *)&ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_addr = in6addr_loopback;
        sl = sizeof(*sin6);
    }
    ck_assert_int_eq(bind(l, (SOCKADDR *)&ss, sl), 0);
    ck_assert_int_eq(listen(l, SOMAXCONN), 0);
    *len = sizeof(*addr);
    ck_assert_int_eq(getsockname(l, (SOCKADDR *)addr, len), 0);
    ck_assert_int_eq(*len, sl);
    return l;
}

static void round_trip(int af)
{
    ntt_wsa_startup();
    SOCKADDR_STORAGE la;
    int ll;
    SOCKET l = listener(af, &la, &ll);
    ck_assert_uint_eq(la.ss_family, af);

    SOCKET c = socket(af, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_uint_ne(c, INVALID_SOCKET);
    ck_assert_int_eq(connect(c, (SOCKADDR *)&la, ll), 0);

    SOCKADDR_STORAGE from;
    int fl = sizeof(from);
    SOCKET a = accept(l, (SOCKADDR *)&from, &fl);
    ck_assert_uint_ne(a, INVALID_SOCKET);
    ck_assert_int_eq(fl, ll);
    ck_assert_uint_eq(from.ss_family, af);

    /* The accepted peer is the connecting socket's local address. */
    SOCKADDR_STORAGE cl;
    int cll = sizeof(cl);
    ck_assert_int_eq(getsockname(c, (SOCKADDR *)&cl, &cll), 0);
    ck_assert_int_eq(cll, fl);
    ck_assert_mem_eq(&cl, &from, (size_t)fl);
    SOCKADDR_STORAGE peer;
    int pl = sizeof(peer);
    ck_assert_int_eq(getpeername(c, (SOCKADDR *)&peer, &pl), 0);
    ck_assert_int_eq(pl, ll);
    ck_assert_mem_eq(&peer, &la, (size_t)ll);

    ck_assert_int_eq(send(c, "hello", 5, 0), 5);
    char buf[16] = {0};
    ck_assert_int_eq(recv(a, buf, sizeof(buf), 0), 5);
    ck_assert_str_eq(buf, "hello");
    ck_assert_int_eq(send(a, "world!", 6, 0), 6);
    ck_assert_int_eq(recv(c, buf, sizeof(buf), 0), 6);
    ck_assert_mem_eq(buf, "world!", 6);

    /* An orderly shutdown reads as 0 bytes. */
    ck_assert_int_eq(shutdown(c, SD_SEND), 0);
    ck_assert_int_eq(recv(a, buf, sizeof(buf), 0), 0);

    ck_assert_int_eq(closesocket(a), 0);
    ck_assert_int_eq(closesocket(c), 0);
    ck_assert_int_eq(closesocket(l), 0);
    WSACleanup();
}

START_TEST(ipv4_loopback)
{
    round_trip(AF_INET);
}
END_TEST

START_TEST(ipv6_loopback)
{
    round_trip(AF_INET6);
}
END_TEST

START_TEST(wsasend_wsarecv_without_overlapped_block)
{
    ntt_wsa_startup();
    SOCKADDR_STORAGE la;
    int ll;
    SOCKET l = listener(AF_INET, &la, &ll);
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_int_eq(connect(c, (SOCKADDR *)&la, ll), 0);
    SOCKET a = accept(l, NULL, NULL);
    ck_assert_uint_ne(a, INVALID_SOCKET);

    char p1[] = "abc", p2[] = "defg";
    WSABUF out[2] = {{3, p1}, {4, p2}};
    DWORD sent = 0;
    ck_assert_int_eq(WSASend(c, out, 2, &sent, 0, NULL, NULL), 0);
    ck_assert_uint_eq(sent, 7);

    char b1[2], b2[16];
    WSABUF in[2] = {{2, b1}, {sizeof(b2), b2}};
    DWORD got = 0, flags = 0;
    /* One loopback segment: all seven bytes arrive together and scatter over both buffers. */
    ck_assert_int_eq(WSARecv(a, in, 2, &got, &flags, NULL, NULL), 0);
    ck_assert_uint_eq(got, 7);
    ck_assert_uint_eq(flags, 0);
    ck_assert_mem_eq(b1, "ab", 2);
    ck_assert_mem_eq(b2, "cdefg", 5);
    closesocket(a);
    closesocket(c);
    closesocket(l);
    WSACleanup();
}
END_TEST

NTT_MAIN(ipv4_loopback, ipv6_loopback, wsasend_wsarecv_without_overlapped_block)
