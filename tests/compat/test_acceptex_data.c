/* AcceptEx with a receive buffer completes only once the client has sent something. */
#include <winsock2.h>
#include <windows.h>
#include <mswsock.h>
#include "tcheck.h"
#include "tnet.h"
#include "taccept.h"

START_TEST(silent_client_does_not_complete)
{
    SOCKADDR_IN sa;
    SOCKET l = ntt_listener(&sa);
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    OVERLAPPED ov;
    char buf[64 + 2 * ADDRLEN];
    DWORD got = 0xdead;
    SOCKET acc = ntt_acceptex_pending(l, buf, 64, &got, &ov, ev);
    SOCKET c = ntt_connect_to(&sa);
    /* Connected but silent: a bounded wait sees no completion. */
    ck_assert_uint_eq(WaitForSingleObject(ev, 500), WAIT_TIMEOUT);
    ck_assert(!HasOverlappedIoCompleted(&ov));
    ck_assert_int_eq(send(c, "GET /", 5, 0), 5);
    ck_assert_uint_eq(WaitForSingleObject(ev, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD n = 0;
    ck_assert(GetOverlappedResult((HANDLE)l, &ov, &n, FALSE));
    ck_assert_uint_eq(n, 5);
    ck_assert(memcmp(buf, "GET /", 5) == 0);
    NTT_WINE_DIVERGES(got == 0xdead, got == 0,
                      "[AcceptEx] lpdwBytesReceived is set only on synchronous completion; Wine "
                      "writes 0 when the call pends");
    struct sockaddr *local = NULL, *remote = NULL;
    int llen = 0, rlen = 0;
    GetAcceptExSockaddrs(buf, 64, ADDRLEN, ADDRLEN, &local, &llen, &remote, &rlen);
    ck_assert_int_eq(llen, sizeof(SOCKADDR_IN));
    SOCKADDR_IN lo;
    memcpy(&lo, local, sizeof(lo));
    ck_assert_uint_eq(lo.sin_port, sa.sin_port);
    ck_assert_int_eq(setsockopt(acc, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, sizeof(l)),
                     0);
    ck_assert_int_eq(send(acc, "ok", 2, 0), 2);
    char r[2];
    ck_assert_int_eq(recv(c, r, 2, 0), 2);
    CloseHandle(ev);
    closesocket(c);
    closesocket(acc);
    closesocket(l);
    WSACleanup();
}
END_TEST

START_TEST(data_to_port_with_key_of_listener)
{
    SOCKADDR_IN sa;
    SOCKET l = ntt_listener(&sa);
    HANDLE port = CreateIoCompletionPort((HANDLE)l, NULL, 11, 0);
    OVERLAPPED ov;
    char buf[16 + 2 * ADDRLEN];
    DWORD got;
    SOCKET acc = ntt_acceptex_pending(l, buf, 16, &got, &ov, NULL);
    SOCKET c = ntt_connect_to(&sa);
    ck_assert_int_eq(send(c, "0123456789abcdefXYZ", 19, 0), 19);
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED done;
    ck_assert(GetQueuedCompletionStatus(port, &bytes, &key, &done, NTT_WAIT_MS));
    ck_assert_uint_eq(key, 11);
    ck_assert_ptr_eq(done, &ov);
    ck_assert_uint_ge(bytes, 1);
    ck_assert_uint_le(bytes, 16);
    ck_assert(memcmp(buf, "0123456789abcdef", bytes) == 0);
    closesocket(c);
    closesocket(acc);
    closesocket(l);
    CloseHandle(port);
    WSACleanup();
}
END_TEST

NTT_MAIN(silent_client_does_not_complete, data_to_port_with_key_of_listener)
