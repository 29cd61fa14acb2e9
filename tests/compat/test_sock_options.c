/* Socket options round trip with Windows' values and types (BOOL, int, struct linger of u_shorts).
 */
#include <winsock2.h>
#include <ws2tcpip.h>

#include "tcheck.h"
#include "tnet.h"

static int get_int(SOCKET s, int level, int name)
{
    int v = -12345, len = sizeof(v);
    ck_assert_int_eq(getsockopt(s, level, name, (char *)&v, &len), 0);
    return v;
}

/* Windows returns some BOOL options as one byte (optlen 1): read them into a zeroed int. */
static int get_bool(SOCKET s, int level, int name, int *len)
{
    int v = 0;
    *len = sizeof(v);
    ck_assert_int_eq(getsockopt(s, level, name, (char *)&v, len), 0);
    ck_assert(*len == 1 || *len == sizeof(int));
    return v != 0;
}

static void set_int(SOCKET s, int level, int name, int v)
{
    ck_assert_int_eq(setsockopt(s, level, name, (const char *)&v, sizeof(v)), 0);
}

START_TEST(bool_options)
{
    ntt_wsa_startup();
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int len;
    ck_assert_int_eq(get_bool(s, IPPROTO_TCP, TCP_NODELAY, &len), 0);
    ck_assert_int_eq(len, 1); /* one byte, as Windows reports it */
    set_int(s, IPPROTO_TCP, TCP_NODELAY, 1);
    ck_assert_int_eq(get_bool(s, IPPROTO_TCP, TCP_NODELAY, &len), 1);
    ck_assert_int_eq(get_bool(s, SOL_SOCKET, SO_KEEPALIVE, &len), 0);
    set_int(s, SOL_SOCKET, SO_KEEPALIVE, 1);
    ck_assert_int_eq(get_bool(s, SOL_SOCKET, SO_KEEPALIVE, &len), 1);
    set_int(s, SOL_SOCKET, SO_KEEPALIVE, 0);
    ck_assert_int_eq(get_bool(s, SOL_SOCKET, SO_KEEPALIVE, &len), 0);
    /* Windows' SO_REUSEADDR reads back as the program set it. */
    ck_assert_int_eq(get_int(s, SOL_SOCKET, SO_REUSEADDR), 0);
    set_int(s, SOL_SOCKET, SO_REUSEADDR, 1);
    ck_assert_int_ne(get_int(s, SOL_SOCKET, SO_REUSEADDR), 0);
    closesocket(s);
    WSACleanup();
}
END_TEST

START_TEST(linger_uses_u_short_fields)
{
    ntt_wsa_startup();
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_uint_eq(sizeof(struct linger), 4);
    struct linger lg = {1, 7};
    ck_assert_int_eq(setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof(lg)), 0);
    struct linger back = {0, 0};
    int len = sizeof(back);
    ck_assert_int_eq(getsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&back, &len), 0);
    ck_assert_int_eq(len, sizeof(struct linger));
    ck_assert_uint_ne(back.l_onoff, 0);
    ck_assert_uint_eq(back.l_linger, 7);
    /* SO_DONTLINGER is the negation of l_onoff. */
    ck_assert_int_eq(get_int(s, SOL_SOCKET, SO_DONTLINGER), 0);
    closesocket(s);
    WSACleanup();
}
END_TEST

START_TEST(buffer_sizes_round_trip)
{
    ntt_wsa_startup();
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    set_int(s, SOL_SOCKET, SO_RCVBUF, 65536);
    ck_assert_int_eq(get_int(s, SOL_SOCKET, SO_RCVBUF), 65536);
    int v = 0, len = 2;
    NTT_FAILS_WITH(getsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&v, &len), SOCKET_ERROR, WSAEFAULT);
    set_int(s, SOL_SOCKET, SO_SNDBUF, 32768);
    ck_assert_int_eq(get_int(s, SOL_SOCKET, SO_SNDBUF), 32768);
    closesocket(s);
    WSACleanup();
}
END_TEST

START_TEST(type_acceptconn_error_and_v6only)
{
    ntt_wsa_startup();
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_int_eq(get_int(s, SOL_SOCKET, SO_TYPE), SOCK_STREAM);
    ck_assert_int_eq(get_int(s, SOL_SOCKET, SO_ACCEPTCONN), 0);
    ck_assert_int_eq(get_int(s, SOL_SOCKET, SO_ERROR), 0);
    SOCKADDR_IN sin;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(s, (SOCKADDR *)&sin, sizeof(sin)), 0);
    ck_assert_int_eq(listen(s, 1), 0);
    ck_assert_int_ne(get_int(s, SOL_SOCKET, SO_ACCEPTCONN), 0);
    closesocket(s);

    SOCKET u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    ck_assert_int_eq(get_int(u, SOL_SOCKET, SO_TYPE), SOCK_DGRAM);
    closesocket(u);

    /* Windows' IPv6 sockets start IPv6-only. */
    SOCKET s6 = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_uint_ne(s6, INVALID_SOCKET);
    int len;
    ck_assert_int_eq(get_bool(s6, IPPROTO_IPV6, IPV6_V6ONLY, &len), 1);
    set_int(s6, IPPROTO_IPV6, IPV6_V6ONLY, 0);
    ck_assert_int_eq(get_bool(s6, IPPROTO_IPV6, IPV6_V6ONLY, &len), 0);
    closesocket(s6);
    WSACleanup();
}
END_TEST

START_TEST(unknown_option_is_wsaenoprotoopt)
{
    ntt_wsa_startup();
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int v = 0, len = sizeof(v);
    NTT_FAILS_WITH(getsockopt(s, SOL_SOCKET, 0x7777, (char *)&v, &len), SOCKET_ERROR,
                   WSAENOPROTOOPT);
    len = sizeof(v);
    NTT_FAILS_WITH(getsockopt(s, 77, 1, (char *)&v, &len), SOCKET_ERROR, WSAEINVAL);
    closesocket(s);
    WSACleanup();
}
END_TEST

NTT_MAIN(bool_options, linger_uses_u_short_fields, buffer_sizes_round_trip,
         type_acceptconn_error_and_v6only, unknown_option_is_wsaenoprotoopt)
