/* Names and address text: getaddrinfo, getnameinfo, inet_pton/inet_ntop, inet_addr/inet_ntoa. */
#include "net.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* net_sys builds ADDRINFOA lists directly: the two layouts must be the same. */
#define SAME_FIELD(f)                                                                              \
    _Static_assert(offsetof(ADDRINFOA, f) == offsetof(struct ntc_sys_addrinfo, f), #f)
SAME_FIELD(ai_flags);
SAME_FIELD(ai_family);
SAME_FIELD(ai_socktype);
SAME_FIELD(ai_protocol);
SAME_FIELD(ai_addrlen);
SAME_FIELD(ai_canonname);
SAME_FIELD(ai_addr);
SAME_FIELD(ai_next);
_Static_assert(sizeof(ADDRINFOA) == sizeof(struct ntc_sys_addrinfo), "ADDRINFOA size");

const struct in6_addr in6addr_any = IN6ADDR_ANY_INIT;
const struct in6_addr in6addr_loopback = IN6ADDR_LOOPBACK_INIT;

/* The getaddrinfo family returns its error and also sets it as the last error [getaddrinfo]. */
static int result(int e)
{
    if (e)
        SetLastError((DWORD)e);
    return e;
}

int WSAAPI getaddrinfo(PCSTR pNodeName, PCSTR pServiceName, const ADDRINFOA *pHints,
                       PADDRINFOA *ppResult)
{
    if (!ntc_sock_started())
        return WSANOTINITIALISED;
    if (!ppResult)
        return result(WSA_INVALID_PARAMETER);
    *ppResult = NULL;
    if (!pNodeName && !pServiceName)
        return result(WSAHOST_NOT_FOUND);
    struct ntc_sys_addrinfo h = {0};
    if (pHints) {
        h.ai_flags = pHints->ai_flags;
        h.ai_family = pHints->ai_family;
        h.ai_socktype = pHints->ai_socktype;
        h.ai_protocol = pHints->ai_protocol;
    }
    struct ntc_sys_addrinfo *res = NULL;
    int e = ntc_sys_getaddrinfo(pNodeName, pServiceName, pHints ? &h : NULL, &res);
    if (e == 0)
        *ppResult = (PADDRINFOA)res;
    return result(e);
}

void WSAAPI freeaddrinfo(PADDRINFOA pAddrInfo)
{
    ntc_sys_freeaddrinfo((struct ntc_sys_addrinfo *)pAddrInfo);
}

int WSAAPI getnameinfo(const SOCKADDR *pSockaddr, socklen_t SockaddrLength, PCHAR pNodeBuffer,
                       DWORD NodeBufferSize, PCHAR pServiceBuffer, DWORD ServiceBufferSize,
                       INT Flags)
{
    if (!ntc_sock_started())
        return WSANOTINITIALISED;
    if (!pSockaddr)
        return result(WSAEFAULT);
    if (!pNodeBuffer && !pServiceBuffer)
        return result(WSAHOST_NOT_FOUND);
    return result(ntc_sys_getnameinfo(pSockaddr, SockaddrLength, pNodeBuffer,
                                      pNodeBuffer ? NodeBufferSize : 0, pServiceBuffer,
                                      pServiceBuffer ? ServiceBufferSize : 0, Flags));
}

INT WSAAPI inet_pton(INT Family, PCSTR pszAddrString, PVOID pAddrBuf)
{
    if (!pszAddrString || !pAddrBuf) {
        SetLastError(WSAEFAULT);
        return -1;
    }
    int r = ntc_sys_inet_pton(Family, pszAddrString, pAddrBuf);
    if (r < 0)
        SetLastError(WSAEAFNOSUPPORT);
    return r;
}

PCSTR WSAAPI inet_ntop(INT Family, const VOID *pAddr, PSTR pStringBuf, size_t StringBufSize)
{
    if (!pAddr || !pStringBuf) {
        SetLastError(WSAEFAULT);
        return NULL;
    }
    const char *r = ntc_sys_inet_ntop(Family, pAddr, pStringBuf, StringBufSize);
    if (!r)
        SetLastError(errno == EAFNOSUPPORT ? WSAEAFNOSUPPORT : WSAEINVAL);
    return r;
}

ULONG WSAAPI inet_addr(const char *cp)
{
    struct in_addr a;
    if (!cp || ntc_sys_inet_pton(AF_INET, cp, &a) != 1)
        return INADDR_NONE;
    return a.s_addr;
}

char *WSAAPI inet_ntoa(struct in_addr in)
{
    /* One buffer per thread, valid until the thread's next call [inet_ntoa]. */
    static _Thread_local char buf[16];
    const unsigned char *b = (const unsigned char *)&in;
    snprintf(buf, sizeof(buf), "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    return buf;
}
