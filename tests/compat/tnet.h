/* Loopback TCP helpers of the socket tests: startup, a listening socket, connected pairs. */
#ifndef NTT_TNET_H
#define NTT_TNET_H

#include <winsock2.h>
#include <windows.h>
#include "tcheck.h"

/* Check's assertions may reset the last error on Windows: read it before asserting. */
#define NTT_FAILS_WITH(call, failure, wsaerr)                                                      \
    do {                                                                                           \
        WSASetLastError(0);                                                                        \
        long long r_ = (long long)(call);                                                          \
        int e_ = WSAGetLastError();                                                                \
        ck_assert_int_eq(r_, (long long)(failure));                                                \
        ck_assert_int_eq(e_, (wsaerr));                                                            \
    } while (0)

/* WSAStartup for Winsock 2.2; each test balances it with WSACleanup. */
static inline void ntt_wsa_startup(void)
{
    WSADATA d;
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &d), 0);
}

/* A socket listening on 127.0.0.1 at a free port (Winsock already started); *sa gets its address.
 */
static inline SOCKET ntt_listen_loopback(SOCKADDR_IN *sa)
{
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert(l != INVALID_SOCKET);
    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int len = sizeof(*sa);
    ck_assert_int_eq(bind(l, (struct sockaddr *)sa, sizeof(*sa)), 0);
    ck_assert_int_eq(listen(l, 8), 0);
    ck_assert_int_eq(getsockname(l, (struct sockaddr *)sa, &len), 0);
    return l;
}

/* WSAStartup, then ntt_listen_loopback. */
static inline SOCKET ntt_listener(SOCKADDR_IN *sa)
{
    ntt_wsa_startup();
    return ntt_listen_loopback(sa);
}

/* A blocking client connected to sa. */
static inline SOCKET ntt_connect_to(const SOCKADDR_IN *sa)
{
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_int_eq(connect(c, (const struct sockaddr *)sa, sizeof(*sa)), 0);
    return c;
}

/* WSAStartup, then a loopback connection: *a its accepted end, *c its client end, *l the listener
 * it came through (still open, for tests that accept or connect again). */
static inline void ntt_connected_pair_listening(SOCKET *l, SOCKET *a, SOCKET *c)
{
    SOCKADDR_IN sa;
    *l = ntt_listener(&sa);
    *c = ntt_connect_to(&sa);
    *a = accept(*l, NULL, NULL);
    ck_assert(*a != INVALID_SOCKET);
}

/* WSAStartup, then a loopback connection: *a its accepted end, *c its client end. */
static inline void ntt_connected_pair(SOCKET *a, SOCKET *c)
{
    SOCKET l;
    ntt_connected_pair_listening(&l, a, c);
    closesocket(l);
}

/* Close a pair's two ends and, unless INVALID_SOCKET, its listener; then WSACleanup. */
static inline void ntt_close_pair(SOCKET a, SOCKET c, SOCKET l)
{
    closesocket(a);
    closesocket(c);
    if (l != INVALID_SOCKET)
        closesocket(l);
    WSACleanup();
}

/* An overlapped WSARecv into the n bufs on s that must pend (no data has been sent yet): *flags set
 * to 0, ov zeroed and given hEvent ev (may be NULL), got passed as lpNumberOfBytesRecvd. */
static inline void ntt_recv_pending(SOCKET s, WSABUF *bufs, DWORD n, DWORD *got, DWORD *flags,
                                    OVERLAPPED *ov, HANDLE ev)
{
    *flags = 0;
    memset(ov, 0, sizeof(*ov));
    ov->hEvent = ev;
    int r = WSARecv(s, bufs, n, got, flags, ov, NULL);
    int err = WSAGetLastError();
    ck_assert_int_eq(r, SOCKET_ERROR);
    ck_assert_int_eq(err, WSA_IO_PENDING);
}

#endif
