/* Several AcceptEx with a receive buffer: whichever client speaks first completes first. */
#include <winsock2.h>
#include <windows.h>
#include <mswsock.h>
#include "tcheck.h"

#define ADDRLEN (sizeof(SOCKADDR_IN) + 16)
#define N 3

START_TEST(the_second_client_completes_before_the_silent_first)
{
    WSADATA d;
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &d), 0);
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKADDR_IN sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int len = sizeof(sa);
    ck_assert_int_eq(bind(l, (struct sockaddr *)&sa, sizeof(sa)), 0);
    ck_assert_int_eq(listen(l, 8), 0);
    ck_assert_int_eq(getsockname(l, (struct sockaddr *)&sa, &len), 0);

    SOCKET acc[N];
    HANDLE ev[N];
    OVERLAPPED ov[N];
    static char buf[N][64 + 2 * ADDRLEN];
    for (int i = 0; i < N; i++) {
        acc[i] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        ev[i] = CreateEventA(NULL, TRUE, FALSE, NULL);
        memset(&ov[i], 0, sizeof(ov[i]));
        ov[i].hEvent = ev[i];
        DWORD got = 0;
        BOOL ok = AcceptEx(l, acc[i], buf[i], 64, ADDRLEN, ADDRLEN, &got, &ov[i]);
        DWORD err = GetLastError();
        ck_assert(!ok);
        ck_assert_uint_eq(err, ERROR_IO_PENDING);
    }
    SOCKET c1 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_int_eq(connect(c1, (struct sockaddr *)&sa, sizeof(sa)), 0);
    SOCKET c2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_int_eq(connect(c2, (struct sockaddr *)&sa, sizeof(sa)), 0);
    /* Only the second client speaks: one AcceptEx completes with its data. */
    ck_assert_int_eq(send(c2, "two", 3, 0), 3);
    DWORD w = WaitForMultipleObjects(N, ev, FALSE, NTT_WAIT_MS);
    ck_assert_uint_lt(w, WAIT_OBJECT_0 + N);
    int k = (int)(w - WAIT_OBJECT_0);
    DWORD n = 0;
    ck_assert(GetOverlappedResult((HANDLE)l, &ov[k], &n, FALSE));
    ck_assert_uint_eq(n, 3);
    ck_assert(memcmp(buf[k], "two", 3) == 0);
    /* Then the first one. */
    ck_assert_int_eq(send(c1, "one", 3, 0), 3);
    HANDLE rest[N - 1];
    int idx[N - 1], m = 0;
    for (int i = 0; i < N; i++)
        if (i != k)
            idx[m] = i, rest[m++] = ev[i];
    w = WaitForMultipleObjects(N - 1, rest, FALSE, NTT_WAIT_MS);
    ck_assert_uint_lt(w, WAIT_OBJECT_0 + N - 1);
    int j = idx[w - WAIT_OBJECT_0];
    ck_assert(GetOverlappedResult((HANDLE)l, &ov[j], &n, FALSE));
    ck_assert(memcmp(buf[j], "one", 3) == 0);
    closesocket(c1);
    closesocket(c2);
    for (int i = 0; i < N; i++) {
        closesocket(acc[i]);
        CloseHandle(ev[i]);
    }
    closesocket(l);
    WSACleanup();
}
END_TEST

NTT_MAIN(the_second_client_completes_before_the_silent_first)
