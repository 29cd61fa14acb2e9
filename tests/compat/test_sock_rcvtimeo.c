/* SO_RCVTIMEO / SO_SNDTIMEO are a DWORD of milliseconds; a timed-out recv fails with WSAETIMEDOUT.
 */
#include <winsock2.h>

#include "tcheck.h"

static SOCKET pair_a, pair_c, pair_l;

static void connected_pair(void)
{
    WSADATA wsa;
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    pair_l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKADDR_IN sin;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(pair_l, (SOCKADDR *)&sin, sizeof(sin)), 0);
    ck_assert_int_eq(listen(pair_l, 4), 0);
    int len = sizeof(sin);
    ck_assert_int_eq(getsockname(pair_l, (SOCKADDR *)&sin, &len), 0);
    pair_c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_int_eq(connect(pair_c, (SOCKADDR *)&sin, sizeof(sin)), 0);
    pair_a = accept(pair_l, NULL, NULL);
    ck_assert_uint_ne(pair_a, INVALID_SOCKET);
}

static void close_pair(void)
{
    closesocket(pair_a);
    closesocket(pair_c);
    closesocket(pair_l);
    WSACleanup();
}

START_TEST(recv_times_out_with_wsaetimedout)
{
    connected_pair();
    DWORD ms = 300;
    ck_assert_int_eq(setsockopt(pair_a, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof(ms)), 0);
    DWORD back = 0;
    int len = sizeof(back);
    ck_assert_int_eq(getsockopt(pair_a, SOL_SOCKET, SO_RCVTIMEO, (char *)&back, &len), 0);
    ck_assert_int_eq(len, sizeof(DWORD));
    ck_assert_uint_eq(back, 300);

    char buf[8];
    ULONGLONG t0 = GetTickCount64();
    WSASetLastError(0);
    int r = recv(pair_a, buf, sizeof(buf), 0);
    int e = WSAGetLastError(); /* before any assertion, which may reset it on Windows */
    ULONGLONG elapsed = GetTickCount64() - t0;
    ck_assert_int_eq(r, SOCKET_ERROR);
    ck_assert_int_eq(e, WSAETIMEDOUT);
    ck_assert_int_eq(WSAETIMEDOUT, 10060);
    /* GetTickCount64 has a coarse resolution on Windows (about 16 ms). */
    ck_assert_uint_ge(elapsed + 20, 300);
    close_pair();
}
END_TEST

START_TEST(data_before_the_timeout_is_returned)
{
    connected_pair();
    DWORD ms = 5000;
    ck_assert_int_eq(setsockopt(pair_a, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof(ms)), 0);
    ck_assert_int_eq(send(pair_c, "x", 1, 0), 1);
    char buf[8];
    ck_assert_int_eq(recv(pair_a, buf, sizeof(buf), 0), 1);
    close_pair();
}
END_TEST

START_TEST(sndtimeo_round_trips)
{
    connected_pair();
    DWORD ms = 1234, back = 0;
    int len = sizeof(back);
    ck_assert_int_eq(setsockopt(pair_c, SOL_SOCKET, SO_SNDTIMEO, (const char *)&ms, sizeof(ms)), 0);
    ck_assert_int_eq(getsockopt(pair_c, SOL_SOCKET, SO_SNDTIMEO, (char *)&back, &len), 0);
    ck_assert_uint_eq(back, 1234);
    close_pair();
}
END_TEST

NTT_MAIN(recv_times_out_with_wsaetimedout, data_before_the_timeout_is_returned,
         sndtimeo_round_trips)
