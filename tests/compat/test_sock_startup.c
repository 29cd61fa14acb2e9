/* WSAStartup / WSACleanup: WSANOTINITIALISED before startup and after the last cleanup. */
#include <winsock2.h>

#include "tcheck.h"
#include "tnet.h"

START_TEST(calls_before_startup_fail_with_not_initialised)
{
    NTT_FAILS_WITH(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), INVALID_SOCKET, WSANOTINITIALISED);
    ck_assert_int_eq(WSANOTINITIALISED, 10093);
    NTT_FAILS_WITH(WSACleanup(), SOCKET_ERROR, WSANOTINITIALISED);
}
END_TEST

START_TEST(startup_reports_version_and_cleanup_balances)
{
    WSADATA wsa;
    memset(&wsa, 0xcc, sizeof(wsa));
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    ck_assert_uint_eq(wsa.wVersion, MAKEWORD(2, 2));
    ck_assert_uint_eq(wsa.wHighVersion, MAKEWORD(2, 2));
    /* Startups nest: two startups need two cleanups. */
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_uint_ne(s, INVALID_SOCKET);
    ck_assert_int_eq(closesocket(s), 0);
    ck_assert_int_eq(WSACleanup(), 0);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_uint_ne(s, INVALID_SOCKET);
    ck_assert_int_eq(closesocket(s), 0);
    ck_assert_int_eq(WSACleanup(), 0);
    NTT_FAILS_WITH(WSACleanup(), SOCKET_ERROR, WSANOTINITIALISED);
}
END_TEST

START_TEST(wsa_last_error_is_the_last_error)
{
    WSASetLastError(WSAEWOULDBLOCK);
    ck_assert_uint_eq(GetLastError(), WSAEWOULDBLOCK);
    SetLastError(ERROR_INVALID_HANDLE);
    ck_assert_int_eq(WSAGetLastError(), ERROR_INVALID_HANDLE);
}
END_TEST

START_TEST(version_one_one_is_granted)
{
    WSADATA wsa;
    ck_assert_int_eq(WSAStartup(MAKEWORD(1, 1), &wsa), 0);
    ck_assert_uint_eq(wsa.wVersion, MAKEWORD(1, 1));
    ck_assert_int_eq(WSACleanup(), 0);
}
END_TEST

NTT_MAIN(calls_before_startup_fail_with_not_initialised,
         startup_reports_version_and_cleanup_balances, wsa_last_error_is_the_last_error,
         version_one_one_is_granted)
