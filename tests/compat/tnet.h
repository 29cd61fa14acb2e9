/* Loopback TCP helpers of the socket tests: a listening socket and a connected client. */
#ifndef NTT_TNET_H
#define NTT_TNET_H

#include <winsock2.h>
#include <windows.h>
#include "tcheck.h"

/* WSAStartup, then a socket listening on 127.0.0.1 at a free port; *sa gets its address. */
static inline SOCKET ntt_listener(SOCKADDR_IN *sa)
{
    WSADATA d;
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &d), 0);
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

/* A blocking client connected to sa. */
static inline SOCKET ntt_connect_to(const SOCKADDR_IN *sa)
{
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_int_eq(connect(c, (const struct sockaddr *)sa, sizeof(*sa)), 0);
    return c;
}

#endif
