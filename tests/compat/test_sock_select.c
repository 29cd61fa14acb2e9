/* select() with Windows' fd_set: a counted SOCKET array, nfds ignored, sets rewritten in place. */
#include <winsock2.h>

#include "tcheck.h"

/* Check's assertions may reset the last error on Windows: read it before asserting. */
#define FAILS_WITH(call, failure, wsaerr)                                                          \
    do {                                                                                           \
        WSASetLastError(0);                                                                        \
        long long r_ = (long long)(call);                                                          \
        int e_ = WSAGetLastError();                                                                \
        ck_assert_int_eq(r_, (long long)(failure));                                                \
        ck_assert_int_eq(e_, (wsaerr));                                                            \
    } while (0)

static SOCKET l, c, a;

static void setup_pair(void)
{
    WSADATA wsa;
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKADDR_IN sin;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(l, (SOCKADDR *)&sin, sizeof(sin)), 0);
    ck_assert_int_eq(listen(l, 4), 0);
    int len = sizeof(sin);
    ck_assert_int_eq(getsockname(l, (SOCKADDR *)&sin, &len), 0);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_int_eq(connect(c, (SOCKADDR *)&sin, sizeof(sin)), 0);
    a = accept(l, NULL, NULL);
    ck_assert_uint_ne(a, INVALID_SOCKET);
}

static void teardown_pair(void)
{
    closesocket(a);
    closesocket(c);
    closesocket(l);
    WSACleanup();
}

START_TEST(fd_set_is_a_counted_array)
{
    ck_assert_int_eq(FD_SETSIZE, 64);
    fd_set s;
    FD_ZERO(&s);
    ck_assert_uint_eq(s.fd_count, 0);
    FD_SET((SOCKET)100, &s);
    FD_SET((SOCKET)200, &s);
    FD_SET((SOCKET)100, &s); /* once only */
    ck_assert_uint_eq(s.fd_count, 2);
    ck_assert_uint_eq(s.fd_array[0], 100);
    ck_assert_uint_eq(s.fd_array[1], 200);
    FD_CLR((SOCKET)100, &s);
    ck_assert_uint_eq(s.fd_count, 1);
    ck_assert_uint_eq(s.fd_array[0], 200);
}
END_TEST

START_TEST(readiness_and_timeout)
{
    setup_pair();
    fd_set r, w;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(a, &r);
    FD_SET(c, &r);
    FD_SET(c, &w);
    TIMEVAL tv = {NTT_WAIT_MS / 1000, 0};
    /* Nothing to read yet; c is writable. nfds is ignored (0 here). */
    ck_assert_int_eq(select(0, &r, &w, NULL, &tv), 1);
    ck_assert_uint_eq(r.fd_count, 0);
    ck_assert_uint_eq(w.fd_count, 1);
    ck_assert_uint_eq(w.fd_array[0], c);

    ck_assert_int_eq(send(c, "x", 1, 0), 1);
    FD_ZERO(&r);
    FD_SET(c, &r);
    FD_SET(a, &r);
    ck_assert_int_eq(select(0, &r, NULL, NULL, &tv), 1);
    ck_assert_uint_eq(r.fd_count, 1);
    ck_assert(FD_ISSET(a, &r));
    ck_assert(!FD_ISSET(c, &r));

    /* A timeout returns 0 and empties the sets. */
    FD_ZERO(&r);
    FD_SET(c, &r);
    TIMEVAL short_tv = {0, 50000};
    ck_assert_int_eq(select(0, &r, NULL, NULL, &short_tv), 0);
    ck_assert_uint_eq(r.fd_count, 0);

    /* A pending connection makes the listener readable. */
    SOCKADDR_IN sin;
    int len = sizeof(sin);
    ck_assert_int_eq(getsockname(l, (SOCKADDR *)&sin, &len), 0);
    SOCKET c2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_int_eq(connect(c2, (SOCKADDR *)&sin, sizeof(sin)), 0);
    FD_ZERO(&r);
    FD_SET(l, &r);
    ck_assert_int_eq(select(0, &r, NULL, NULL, &tv), 1);
    ck_assert(FD_ISSET(l, &r));
    closesocket(c2);
    teardown_pair();
}
END_TEST

START_TEST(errors)
{
    setup_pair();
    fd_set r;
    FD_ZERO(&r);
    TIMEVAL tv = {0, 0};
    /* Three empty sets are an error, not a sleep. */
    FAILS_WITH(select(0, &r, NULL, NULL, &tv), SOCKET_ERROR, WSAEINVAL);
    FD_SET((SOCKET)0x1230, &r);
    FAILS_WITH(select(0, &r, NULL, NULL, &tv), SOCKET_ERROR, WSAENOTSOCK);
    teardown_pair();
}
END_TEST

NTT_MAIN(fd_set_is_a_counted_array, readiness_and_timeout, errors)
