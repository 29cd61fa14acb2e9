/* select() with Windows' fd_set: a counted SOCKET array, nfds ignored, sets rewritten in place. */
#include <winsock2.h>

#include "tcheck.h"
#include "tnet.h"

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
    SOCKET l, a, c;
    ntt_connected_pair_listening(&l, &a, &c);
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
    SOCKET c2 = ntt_connect_to(&sin);
    FD_ZERO(&r);
    FD_SET(l, &r);
    ck_assert_int_eq(select(0, &r, NULL, NULL, &tv), 1);
    ck_assert(FD_ISSET(l, &r));
    closesocket(c2);
    ntt_close_pair(a, c, l);
}
END_TEST

START_TEST(errors)
{
    SOCKET l, a, c;
    ntt_connected_pair_listening(&l, &a, &c);
    fd_set r;
    FD_ZERO(&r);
    TIMEVAL tv = {0, 0};
    /* Three empty sets are an error, not a sleep. */
    NTT_FAILS_WITH(select(0, &r, NULL, NULL, &tv), SOCKET_ERROR, WSAEINVAL);
    FD_SET((SOCKET)0x1230, &r);
    NTT_FAILS_WITH(select(0, &r, NULL, NULL, &tv), SOCKET_ERROR, WSAENOTSOCK);
    ntt_close_pair(a, c, l);
}
END_TEST

NTT_MAIN(fd_set_is_a_counted_array, readiness_and_timeout, errors)
