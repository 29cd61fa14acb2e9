/* Winsock error codes: refused connect, address in use, not a socket, calls in the wrong state. */
#include <winsock2.h>

#include "tcheck.h"
#include "tnet.h"

static SOCKADDR_IN loopback(USHORT port)
{
    SOCKADDR_IN sin;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sin.sin_port = htons(port);
    return sin;
}

/* A loopback port nobody listens on: bound but not listening while the test uses it. */
static SOCKET reserve_port(SOCKADDR_IN *sin)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    *sin = loopback(0);
    ck_assert_int_eq(bind(s, (SOCKADDR *)sin, sizeof(*sin)), 0);
    int len = sizeof(*sin);
    ck_assert_int_eq(getsockname(s, (SOCKADDR *)sin, &len), 0);
    return s;
}

START_TEST(connect_refused)
{
    ntt_wsa_startup();
    SOCKADDR_IN sin;
    SOCKET r = reserve_port(&sin);
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    NTT_FAILS_WITH(connect(c, (SOCKADDR *)&sin, sizeof(sin)), SOCKET_ERROR, WSAECONNREFUSED);
    ck_assert_int_eq(WSAECONNREFUSED, 10061);
    closesocket(c);
    closesocket(r);
    WSACleanup();
}
END_TEST

START_TEST(bind_to_a_listening_port_is_in_use)
{
    SOCKADDR_IN sin;
    SOCKET l = ntt_listener(&sin);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    NTT_FAILS_WITH(bind(s, (SOCKADDR *)&sin, sizeof(sin)), SOCKET_ERROR, WSAEADDRINUSE);
    ck_assert_int_eq(WSAEADDRINUSE, 10048);
    closesocket(s);
    closesocket(l);
    WSACleanup();
}
END_TEST

START_TEST(port_rebinds_after_a_closed_connection)
{
    /* A listener's port can be bound again while its old connections are in TIME_WAIT. */
    SOCKADDR_IN sin;
    SOCKET l = ntt_listener(&sin);
    SOCKET c = ntt_connect_to(&sin);
    SOCKET a = accept(l, NULL, NULL);
    ck_assert_uint_ne(a, INVALID_SOCKET);
    /* The server side closes first, so the TIME_WAIT is on the listener's port. */
    ck_assert_int_eq(closesocket(a), 0);
    char b;
    ck_assert_int_eq(recv(c, &b, 1, 0), 0);
    ck_assert_int_eq(closesocket(c), 0);
    ck_assert_int_eq(closesocket(l), 0);
    SOCKET l2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_int_eq(bind(l2, (SOCKADDR *)&sin, sizeof(sin)), 0);
    ck_assert_int_eq(listen(l2, 4), 0);
    closesocket(l2);
    WSACleanup();
}
END_TEST

START_TEST(not_a_socket)
{
    ntt_wsa_startup();
    char buf[4];
    NTT_FAILS_WITH(recv((SOCKET)0x1230, buf, sizeof(buf), 0), SOCKET_ERROR, WSAENOTSOCK);
    ck_assert_int_eq(WSAENOTSOCK, 10038);
    NTT_FAILS_WITH(closesocket(INVALID_SOCKET), SOCKET_ERROR, WSAENOTSOCK);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_int_eq(closesocket(s), 0);
    NTT_FAILS_WITH(closesocket(s), SOCKET_ERROR, WSAENOTSOCK);
    /* An event handle is not a socket either. */
    HANDLE e = CreateEventA(NULL, TRUE, FALSE, NULL);
    NTT_FAILS_WITH(send((SOCKET)e, "x", 1, 0), SOCKET_ERROR, WSAENOTSOCK);
    CloseHandle(e);
    WSACleanup();
}
END_TEST

START_TEST(wrong_state)
{
    ntt_wsa_startup();
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    /* listen on an unbound socket */
    NTT_FAILS_WITH(listen(s, 1), SOCKET_ERROR, WSAEINVAL);
    /* accept on a socket that is not listening */
    NTT_FAILS_WITH(accept(s, NULL, NULL), INVALID_SOCKET, WSAEINVAL);
    /* getsockname of an unbound socket */
    SOCKADDR_IN sin;
    int len = sizeof(sin);
    NTT_FAILS_WITH(getsockname(s, (SOCKADDR *)&sin, &len), SOCKET_ERROR, WSAEINVAL);
    /* recv and getpeername on an unconnected socket */
    char b[4];
    NTT_FAILS_WITH(recv(s, b, sizeof(b), 0), SOCKET_ERROR, WSAENOTCONN);
    len = sizeof(sin);
    NTT_FAILS_WITH(getpeername(s, (SOCKADDR *)&sin, &len), SOCKET_ERROR, WSAENOTCONN);
    /* an address of another family */
    sin = loopback(0);
    sin.sin_family = AF_INET6;
    NTT_FAILS_WITH(bind(s, (SOCKADDR *)&sin, sizeof(sin)), SOCKET_ERROR, WSAEFAULT);
    closesocket(s);
    WSACleanup();
}
END_TEST

START_TEST(bad_socket_arguments)
{
    ntt_wsa_startup();
    NTT_FAILS_WITH(socket(12345, SOCK_STREAM, 0), INVALID_SOCKET, WSAEAFNOSUPPORT);
    NTT_FAILS_WITH(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), INVALID_SOCKET, WSAEPROTONOSUPPORT);
    WSACleanup();
}
END_TEST

NTT_MAIN(connect_refused, bind_to_a_listening_port_is_in_use,
         port_rebinds_after_a_closed_connection, not_a_socket, wrong_state, bad_socket_arguments)
