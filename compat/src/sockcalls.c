/* The synchronous socket calls: create, bind, listen, accept, connect, send, recv, shutdown, close.
 */
#include "net.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A started Winsock and a socket reference, or NULL with the last error set. */
static struct ntc_socket *enter(SOCKET s)
{
    return ntc_sock_started() ? ntc_sock_get(s) : NULL;
}

static int fail(struct ntc_socket *s, DWORD err)
{
    if (s)
        ntc_sock_put(s);
    SetLastError(err);
    return SOCKET_ERROR;
}

static BOOL nonblocking(struct ntc_socket *s)
{
    return (atomic_load(&s->state) & NTC_SOCK_NONBLOCKING) != 0;
}

/* Milliseconds left of a timeout that started at `start` (INFINITE stays INFINITE). */
static DWORD remaining(DWORD timeout, ULONGLONG start)
{
    if (timeout == INFINITE)
        return INFINITE;
    ULONGLONG spent = GetTickCount64() - start;
    return spent >= timeout ? 0 : (DWORD)(timeout - spent);
}

/* After a failed non-blocking call with errno e on s: 0 to try again (interrupted, or s became
 * ready in time), else the WSA error to fail with. A blocking socket waits for dir (NTC_SYS_IN or
 * NTC_SYS_OUT) for what is left of timeout, which started at start. */
static DWORD retry_or_error(struct ntc_socket *s, int e, unsigned dir, DWORD timeout,
                            ULONGLONG start)
{
    if (e == EINTR)
        return 0;
    if (e != EAGAIN && e != EWOULDBLOCK)
        return ntc_wsa_from_errno(e);
    if (nonblocking(s))
        return WSAEWOULDBLOCK;
    return ntc_sock_wait(s, dir, remaining(timeout, start));
}

/* The address family in the first two bytes of a socket address must be the socket's [bind]. */
static BOOL family_matches(struct ntc_socket *s, const struct sockaddr *name, int namelen)
{
    return name && namelen >= (int)sizeof(USHORT) && name->sa_family == s->family;
}

/* ---- Creation -------------------------------------------------------------------------------- */

static SOCKET create(int af, int type, int protocol, DWORD flags)
{
    int fd = ntc_sys_socket(af, type, protocol);
    if (fd < 0) {
        int e = errno;
        /* Linux says EINVAL for an unknown type; Windows WSAESOCKTNOSUPPORT [socket]. */
        SetLastError(e == EINVAL ? WSAESOCKTNOSUPPORT : ntc_wsa_from_errno(e));
        return INVALID_SOCKET;
    }
    if (protocol == 0 && (af == AF_INET || af == AF_INET6))
        protocol = type == SOCK_STREAM ? IPPROTO_TCP : type == SOCK_DGRAM ? IPPROTO_UDP : 0;
    struct ntc_socket *s = ntc_sock_new(fd, af, type, protocol, flags);
    if (!s) {
        ntc_sys_close(fd);
        return INVALID_SOCKET;
    }
    return ntc_sock_publish(s);
}

SOCKET WSAAPI socket(int af, int type, int protocol)
{
    if (!ntc_sock_started())
        return INVALID_SOCKET;
    /* socket() makes overlapped-capable sockets [socket]. */
    return create(af, type, protocol, WSA_FLAG_OVERLAPPED);
}

static SOCKET wsa_socket(int af, int type, int protocol, const GUID *provider, DWORD reserved,
                         int info_af, int info_type, int info_protocol, DWORD flags)
{
    if (!ntc_sock_started())
        return INVALID_SOCKET;
    if (provider) {
        SOCKET dup;
        if (ntc_sock_from_protocol_info(provider, reserved, &dup))
            return dup;
        /* Not one of ours: a protocol description to create a socket from. */
        if (af == FROM_PROTOCOL_INFO)
            af = info_af;
        if (type == FROM_PROTOCOL_INFO)
            type = info_type;
        if (protocol == FROM_PROTOCOL_INFO)
            protocol = info_protocol;
    }
    return create(af, type, protocol, flags);
}

SOCKET WSAAPI WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA info, GROUP g,
                         DWORD dwFlags)
{
    (void)g; /* socket groups are reserved [WSASocket] */
    if (!info)
        return wsa_socket(af, type, protocol, NULL, 0, 0, 0, 0, dwFlags);
    return wsa_socket(af, type, protocol, &info->ProviderId, info->dwProviderReserved,
                      info->iAddressFamily, info->iSocketType, info->iProtocol, dwFlags);
}

SOCKET WSAAPI WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g,
                         DWORD dwFlags)
{
    (void)g;
    if (!info)
        return wsa_socket(af, type, protocol, NULL, 0, 0, 0, 0, dwFlags);
    return wsa_socket(af, type, protocol, &info->ProviderId, info->dwProviderReserved,
                      info->iAddressFamily, info->iSocketType, info->iProtocol, dwFlags);
}

int WSAAPI closesocket(SOCKET s)
{
    struct ntc_socket *so = enter(s);
    if (!so)
        return SOCKET_ERROR;
    ntc_sock_put(so);
    if (!ntc_handle_close((HANDLE)s)) {
        SetLastError(WSAENOTSOCK);
        return SOCKET_ERROR;
    }
    return 0;
}

/* ---- Addresses and connections ------------------------------------------------------------ */

int WSAAPI bind(SOCKET s, const struct sockaddr *name, int namelen)
{
    struct ntc_socket *so = enter(s);
    if (!so)
        return SOCKET_ERROR;
    if (!family_matches(so, name, namelen))
        return fail(so, WSAEFAULT);
    if (ntc_sys_bind(so->fd, name, namelen) < 0)
        return fail(so, ntc_wsa_from_errno(errno));
    atomic_fetch_or(&so->state, NTC_SOCK_BOUND);
    ntc_sock_put(so);
    return 0;
}

int WSAAPI listen(SOCKET s, int backlog)
{
    struct ntc_socket *so = enter(s);
    if (!so)
        return SOCKET_ERROR;
    unsigned st = atomic_load(&so->state);
    if (st & NTC_SOCK_CONNECTED)
        return fail(so, WSAEISCONN);
    /* Linux would bind an unbound socket to an ephemeral port; Windows refuses [listen]. */
    if (!(st & NTC_SOCK_BOUND))
        return fail(so, WSAEINVAL);
    if (so->type != SOCK_STREAM)
        return fail(so, WSAEOPNOTSUPP);
    if (ntc_sys_listen(so->fd, backlog) < 0)
        return fail(so, ntc_wsa_from_errno(errno));
    atomic_fetch_or(&so->state, NTC_SOCK_LISTENING);
    ntc_sock_put(so);
    return 0;
}

SOCKET WSAAPI accept(SOCKET s, struct sockaddr *addr, int *addrlen)
{
    struct ntc_socket *so = enter(s);
    if (!so)
        return INVALID_SOCKET;
    DWORD err = 0;
    int fd = -1;
    if (!(atomic_load(&so->state) & NTC_SOCK_LISTENING))
        err = WSAEINVAL;
    else if (addr && (!addrlen || *addrlen < (int)sizeof(struct sockaddr)))
        err = WSAEFAULT;
    while (!err) {
        fd = ntc_sys_accept(so->fd, addr, addrlen);
        if (fd >= 0)
            break;
        int e = errno;
        /* A connection reset before it was accepted is not the listener's failure. */
        if (e == EINTR || e == ECONNABORTED)
            continue;
        if (e != EAGAIN && e != EWOULDBLOCK)
            err = ntc_wsa_from_errno(e);
        else if (nonblocking(so))
            err = WSAEWOULDBLOCK;
        else
            err = ntc_sock_wait(so, NTC_SYS_IN, INFINITE);
    }
    ntc_sock_evsel_reenable(so, FD_ACCEPT);
    if (err) {
        fail(so, err);
        return INVALID_SOCKET;
    }
    struct ntc_socket *ns = ntc_sock_new(fd, so->family, so->type, so->protocol, so->flags);
    if (!ns) {
        ntc_sys_close(fd);
        ntc_sock_put(so);
        return INVALID_SOCKET;
    }
    /* The accepted socket has the listener's properties, its non-blocking mode included
     * [accept]. */
    atomic_store(&ns->state, NTC_SOCK_BOUND | NTC_SOCK_CONNECTED |
                                 (atomic_load(&so->state) & NTC_SOCK_NONBLOCKING));
    atomic_store(&ns->rcvtimeo, atomic_load(&so->rcvtimeo));
    atomic_store(&ns->sndtimeo, atomic_load(&so->sndtimeo));
    ntc_sock_evsel_inherit(so, ns);
    ntc_sock_put(so);
    return ntc_sock_publish(ns);
}

int WSAAPI connect(SOCKET s, const struct sockaddr *name, int namelen)
{
    struct ntc_socket *so = enter(s);
    if (!so)
        return SOCKET_ERROR;
    if (!family_matches(so, name, namelen))
        return fail(so, WSAEFAULT);
    if (atomic_load(&so->state) & NTC_SOCK_LISTENING)
        return fail(so, WSAEINVAL);
    if (ntc_sys_connect(so->fd, name, namelen) == 0) {
        atomic_fetch_or(&so->state, NTC_SOCK_BOUND | NTC_SOCK_CONNECTED);
        ntc_sock_put(so);
        return 0;
    }
    int e = errno;
    if (e != EINPROGRESS)
        return fail(so, ntc_wsa_from_errno(e));
    atomic_fetch_or(&so->state, NTC_SOCK_BOUND | NTC_SOCK_CONNECTING);
    ntc_sock_evsel_reenable(so, 0); /* an edge may have come before CONNECTING was set */
    /* A non-blocking connect in progress is WSAEWOULDBLOCK, not WSAEINPROGRESS [connect]. */
    if (nonblocking(so))
        return fail(so, WSAEWOULDBLOCK);
    DWORD err = ntc_sock_wait(so, NTC_SYS_OUT, INFINITE);
    if (!err) {
        int se = ntc_sys_sock_error(so->fd);
        err = se == 0 ? 0 : ntc_wsa_from_errno(se < 0 ? errno : se);
    }
    atomic_fetch_and(&so->state, ~NTC_SOCK_CONNECTING);
    if (err)
        return fail(so, err);
    atomic_fetch_or(&so->state, NTC_SOCK_CONNECTED);
    ntc_sock_put(so);
    return 0;
}

int WSAAPI shutdown(SOCKET s, int how)
{
    struct ntc_socket *so = enter(s);
    if (!so)
        return SOCKET_ERROR;
    if (how < SD_RECEIVE || how > SD_BOTH)
        return fail(so, WSAEINVAL);
    if (ntc_sys_shutdown(so->fd, how) < 0)
        return fail(so, ntc_wsa_from_errno(errno));
    unsigned bits = how == SD_RECEIVE ? NTC_SOCK_SHUT_RECV
                    : how == SD_SEND  ? NTC_SOCK_SHUT_SEND
                                      : NTC_SOCK_SHUT_RECV | NTC_SOCK_SHUT_SEND;
    atomic_fetch_or(&so->state, bits);
    ntc_sock_put(so);
    return 0;
}

static int name_call(SOCKET s, struct sockaddr *name, int *namelen, BOOL peer)
{
    struct ntc_socket *so = enter(s);
    if (!so)
        return SOCKET_ERROR;
    if (!name || !namelen)
        return fail(so, WSAEFAULT);
    /* Linux reports 0.0.0.0:0 for an unbound socket; Windows fails [getsockname]. */
    if (!peer && !(atomic_load(&so->state) & NTC_SOCK_BOUND))
        return fail(so, WSAEINVAL);
    int r = peer ? ntc_sys_getpeername(so->fd, name, namelen)
                 : ntc_sys_getsockname(so->fd, name, namelen);
    if (r < 0)
        return fail(so, ntc_wsa_from_errno(errno));
    ntc_sock_put(so);
    return 0;
}

int WSAAPI getsockname(SOCKET s, struct sockaddr *name, int *namelen)
{
    return name_call(s, name, namelen, FALSE);
}

int WSAAPI getpeername(SOCKET s, struct sockaddr *name, int *namelen)
{
    return name_call(s, name, namelen, TRUE);
}

/* ---- Data ------------------------------------------------------------------------------------ */

#define STACK_BUFS 16

static struct ntc_sys_buf *sys_bufs(LPWSABUF bufs, DWORD n, struct ntc_sys_buf *stack)
{
    struct ntc_sys_buf *b = n <= STACK_BUFS ? stack : malloc(n * sizeof(*b));
    if (!b)
        return NULL;
    for (DWORD i = 0; i < n; i++) {
        b[i].base = bufs[i].buf;
        b[i].len = bufs[i].len;
    }
    return b;
}

int ntc_sock_recv_blocking(struct ntc_socket *s, LPWSABUF bufs, DWORD n, DWORD *flags)
{
    unsigned st = atomic_load(&s->state);
    if (st & NTC_SOCK_SHUT_RECV) {
        SetLastError(WSAESHUTDOWN);
        return -1;
    }
    if (st & NTC_SOCK_LISTENING) {
        SetLastError(WSAENOTCONN);
        return -1;
    }
    struct ntc_sys_buf stack[STACK_BUFS];
    struct ntc_sys_buf *b = sys_bufs(bufs, n, stack);
    if (!b) {
        SetLastError(WSAENOBUFS);
        return -1;
    }
    DWORD timeout = atomic_load(&s->rcvtimeo);
    if (timeout == 0)
        timeout = INFINITE;
    ULONGLONG start = GetTickCount64();
    long r;
    DWORD err = 0;
    for (;;) {
        r = ntc_sys_recvv(s->fd, b, n, (int)*flags);
        if (r >= 0)
            break;
        err = retry_or_error(s, errno, NTC_SYS_IN, timeout, start);
        if (err)
            break;
    }
    if (b != stack)
        free(b);
    ntc_sock_evsel_reenable(s, FD_READ | FD_OOB);
    if (err) {
        SetLastError(err);
        return -1;
    }
    *flags = 0;
    return r > INT32_MAX ? INT32_MAX : (int)r;
}

/* Skip `done` bytes of b[0..*n): advances the array in place. */
static struct ntc_sys_buf *advance(struct ntc_sys_buf *b, DWORD *n, size_t done)
{
    while (*n > 0 && done >= b->len) {
        done -= b->len;
        b++;
        (*n)--;
    }
    if (*n > 0) {
        b->base = (char *)b->base + done;
        b->len -= done;
    }
    return b;
}

int ntc_sock_send_blocking(struct ntc_socket *s, LPWSABUF bufs, DWORD n, DWORD flags)
{
    if (atomic_load(&s->state) & NTC_SOCK_SHUT_SEND) {
        SetLastError(WSAESHUTDOWN);
        return -1;
    }
    struct ntc_sys_buf stack[STACK_BUFS];
    struct ntc_sys_buf *b0 = sys_bufs(bufs, n, stack), *b = b0;
    if (!b0) {
        SetLastError(WSAENOBUFS);
        return -1;
    }
    size_t total = 0;
    for (DWORD i = 0; i < n; i++)
        total += bufs[i].len;
    DWORD timeout = atomic_load(&s->sndtimeo);
    if (timeout == 0)
        timeout = INFINITE;
    ULONGLONG start = GetTickCount64();
    size_t sent = 0;
    DWORD err = 0;
    /* A blocking send returns when everything is buffered; a non-blocking one may be partial. */
    while (!err && (sent < total || total == 0)) {
        long r = ntc_sys_sendv(s->fd, b, n, (int)flags);
        if (r >= 0) {
            sent += (size_t)r;
            b = advance(b, &n, (size_t)r);
            if (nonblocking(s) || total == 0)
                break;
            continue;
        }
        int e = errno;
        if (e == EPIPE) /* Linux's EPIPE after a reset; Windows reports the reset */
            err = (atomic_load(&s->state) & NTC_SOCK_SHUT_SEND) ? WSAESHUTDOWN : WSAECONNRESET;
        else
            err = retry_or_error(s, e, NTC_SYS_OUT, timeout, start);
    }
    if (b0 != stack)
        free(b0);
    if (err == WSAEWOULDBLOCK)
        ntc_sock_evsel_reenable(s, FD_WRITE);
    if (err && sent == 0) {
        SetLastError(err);
        return -1;
    }
    return sent > INT32_MAX ? INT32_MAX : (int)sent;
}

int WSAAPI send(SOCKET s, const char *buf, int len, int flags)
{
    struct ntc_socket *so = enter(s);
    if (!so)
        return SOCKET_ERROR;
    if (len < 0 || (!buf && len > 0))
        return fail(so, WSAEFAULT);
    WSABUF b = {(ULONG)len, (CHAR *)buf};
    int r = ntc_sock_send_blocking(so, &b, 1, (DWORD)flags);
    ntc_sock_put(so);
    return r < 0 ? SOCKET_ERROR : r;
}

int WSAAPI recv(SOCKET s, char *buf, int len, int flags)
{
    struct ntc_socket *so = enter(s);
    if (!so)
        return SOCKET_ERROR;
    if (len < 0 || (!buf && len > 0))
        return fail(so, WSAEFAULT);
    WSABUF b = {(ULONG)len, buf};
    DWORD f = (DWORD)flags;
    int r = ntc_sock_recv_blocking(so, &b, 1, &f);
    ntc_sock_put(so);
    return r < 0 ? SOCKET_ERROR : r;
}

int WSAAPI sendto(SOCKET s, const char *buf, int len, int flags, const struct sockaddr *to,
                  int tolen)
{
    struct ntc_socket *so = enter(s);
    if (!so)
        return SOCKET_ERROR;
    /* A connected stream socket ignores the address [sendto]. */
    if (!to || so->type == SOCK_STREAM) {
        ntc_sock_put(so);
        return send(s, buf, len, flags);
    }
    if (len < 0 || (!buf && len > 0))
        return fail(so, WSAEFAULT);
    DWORD timeout = atomic_load(&so->sndtimeo);
    ULONGLONG start = GetTickCount64();
    DWORD err = 0;
    long r;
    for (;;) {
        r = ntc_sys_sendto(so->fd, buf, (size_t)len, flags, to, tolen);
        if (r >= 0)
            break;
        err = retry_or_error(so, errno, NTC_SYS_OUT, timeout ? timeout : INFINITE, start);
        if (err)
            return fail(so, err);
    }
    atomic_fetch_or(&so->state, NTC_SOCK_BOUND);
    ntc_sock_put(so);
    return (int)r;
}

int WSAAPI recvfrom(SOCKET s, char *buf, int len, int flags, struct sockaddr *from, int *fromlen)
{
    struct ntc_socket *so = enter(s);
    if (!so)
        return SOCKET_ERROR;
    if (len < 0 || (!buf && len > 0) || (from && !fromlen))
        return fail(so, WSAEFAULT);
    /* Windows fails a receive on an unbound datagram socket [recvfrom]. */
    if (!(atomic_load(&so->state) & NTC_SOCK_BOUND))
        return fail(so, WSAEINVAL);
    DWORD timeout = atomic_load(&so->rcvtimeo);
    ULONGLONG start = GetTickCount64();
    DWORD err = 0;
    long r;
    for (;;) {
        r = ntc_sys_recvfrom(so->fd, buf, (size_t)len, flags, from, fromlen);
        if (r >= 0)
            break;
        err = retry_or_error(so, errno, NTC_SYS_IN, timeout ? timeout : INFINITE, start);
        if (err)
            return fail(so, err);
    }
    ntc_sock_put(so);
    return (int)r;
}

int WSAAPI WSARecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                   LPDWORD lpFlags, LPWSAOVERLAPPED lpOverlapped,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    struct ntc_socket *so = enter(s);
    if (!so)
        return SOCKET_ERROR;
    if (!lpFlags || (!lpBuffers && dwBufferCount > 0))
        return fail(so, WSAEFAULT);
    int r;
    if (lpOverlapped) {
        r = ntc_sock_recv_overlapped(so, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags,
                                     lpOverlapped, lpCompletionRoutine);
    } else {
        /* Without an OVERLAPPED the call is blocking and the routine is ignored [WSARecv]. */
        int n = ntc_sock_recv_blocking(so, lpBuffers, dwBufferCount, lpFlags);
        if (n >= 0 && lpNumberOfBytesRecvd)
            *lpNumberOfBytesRecvd = (DWORD)n;
        r = n < 0 ? SOCKET_ERROR : 0;
    }
    ntc_sock_put(so);
    return r;
}

int WSAAPI WSASend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent,
                   DWORD dwFlags, LPWSAOVERLAPPED lpOverlapped,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    struct ntc_socket *so = enter(s);
    if (!so)
        return SOCKET_ERROR;
    if (!lpBuffers && dwBufferCount > 0)
        return fail(so, WSAEFAULT);
    int r;
    if (lpOverlapped) {
        r = ntc_sock_send_overlapped(so, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags,
                                     lpOverlapped, lpCompletionRoutine);
    } else {
        int n = ntc_sock_send_blocking(so, lpBuffers, dwBufferCount, dwFlags);
        if (n >= 0 && lpNumberOfBytesSent)
            *lpNumberOfBytesSent = (DWORD)n;
        r = n < 0 ? SOCKET_ERROR : 0;
    }
    ntc_sock_put(so);
    return r;
}

/* GetOverlappedResult speaks Win32 errors; WSAGetOverlappedResult speaks Winsock's. */
static DWORD wsa_from_win32(DWORD e)
{
    return e == ERROR_INVALID_HANDLE ? WSAENOTSOCK : ntc_wsa_from_win32(e);
}

BOOL WSAAPI WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                                   BOOL fWait, LPDWORD lpdwFlags)
{
    struct ntc_socket *so = enter(s);
    if (!so)
        return FALSE;
    ntc_sock_put(so);
    if (!lpOverlapped || !lpcbTransfer || !lpdwFlags) {
        SetLastError(WSAEFAULT);
        return FALSE;
    }
    BOOL ok = GetOverlappedResult((HANDLE)s, lpOverlapped, lpcbTransfer, fWait);
    *lpdwFlags = 0;
    if (!ok)
        SetLastError(wsa_from_win32(GetLastError()));
    return ok;
}
