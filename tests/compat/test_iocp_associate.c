/* A handle is associated with one completion port for its whole life; a second one fails with 87.
 */
#include <winsock2.h>
#include <windows.h>
#include "tcheck.h"

START_TEST(second_association_fails)
{
    WSADATA d;
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &d), 0);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert(s != INVALID_SOCKET);
    HANDLE p1 = CreateIoCompletionPort((HANDLE)s, NULL, 1, 0);
    ck_assert_ptr_nonnull(p1);
    HANDLE p2 = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    ck_assert_ptr_nonnull(p2);

    HANDLE h = CreateIoCompletionPort((HANDLE)s, p2, 2, 0);
    DWORD err = GetLastError();
    ck_assert_ptr_null(h);
    ck_assert_uint_eq(err, ERROR_INVALID_PARAMETER);
    h = CreateIoCompletionPort((HANDLE)s, p1, 3, 0);
    err = GetLastError();
    ck_assert_ptr_null(h);
    ck_assert_uint_eq(err, ERROR_INVALID_PARAMETER);
    h = CreateIoCompletionPort((HANDLE)s, NULL, 3, 0);
    err = GetLastError();
    ck_assert_ptr_null(h);
    ck_assert_uint_eq(err, ERROR_INVALID_PARAMETER);

    SOCKET t = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_ptr_eq(CreateIoCompletionPort((HANDLE)t, p2, 9, 0), p2);

    /* The port outlives its handle for the sockets associated with it. */
    ck_assert(CloseHandle(p1));
    closesocket(s);
    closesocket(t);
    ck_assert(CloseHandle(p2));
    WSACleanup();
}
END_TEST

START_TEST(invalid_handle_cannot_be_associated)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    ck_assert(CloseHandle(ev));
    HANDLE h = CreateIoCompletionPort(ev, port, 1, 0);
    DWORD err = GetLastError();
    ck_assert_ptr_null(h);
    ck_assert_uint_eq(err, ERROR_INVALID_HANDLE);
    ck_assert(CloseHandle(port));
}
END_TEST

NTT_MAIN(second_association_fails, invalid_handle_cannot_be_associated)
