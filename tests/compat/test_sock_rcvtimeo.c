/* SO_RCVTIMEO / SO_SNDTIMEO are a DWORD of milliseconds; a timed-out recv fails with WSAETIMEDOUT.
 */
#include <winsock2.h>

#include "tcheck.h"
#include "tnet.h"

START_TEST(recv_times_out_with_wsaetimedout)
{
    SOCKET pair_a, pair_c;
    ntt_connected_pair(&pair_a, &pair_c);
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
    ntt_close_pair(pair_a, pair_c, INVALID_SOCKET);
}
END_TEST

START_TEST(data_before_the_timeout_is_returned)
{
    SOCKET pair_a, pair_c;
    ntt_connected_pair(&pair_a, &pair_c);
    DWORD ms = 5000;
    ck_assert_int_eq(setsockopt(pair_a, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof(ms)), 0);
    ck_assert_int_eq(send(pair_c, "x", 1, 0), 1);
    char buf[8];
    ck_assert_int_eq(recv(pair_a, buf, sizeof(buf), 0), 1);
    ntt_close_pair(pair_a, pair_c, INVALID_SOCKET);
}
END_TEST

START_TEST(sndtimeo_round_trips)
{
    SOCKET pair_a, pair_c;
    ntt_connected_pair(&pair_a, &pair_c);
    DWORD ms = 1234, back = 0;
    int len = sizeof(back);
    ck_assert_int_eq(setsockopt(pair_c, SOL_SOCKET, SO_SNDTIMEO, (const char *)&ms, sizeof(ms)), 0);
    ck_assert_int_eq(getsockopt(pair_c, SOL_SOCKET, SO_SNDTIMEO, (char *)&back, &len), 0);
    ck_assert_uint_eq(back, 1234);
    ntt_close_pair(pair_a, pair_c, INVALID_SOCKET);
}
END_TEST

NTT_MAIN(recv_times_out_with_wsaetimedout, data_before_the_timeout_is_returned,
         sndtimeo_round_trips)
