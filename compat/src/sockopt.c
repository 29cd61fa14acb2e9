/* Socket options and controls: setsockopt, getsockopt, ioctlsocket, WSAIoctl. */
#include "net.h"

#include <errno.h>
#include <string.h>

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

/* An int-sized option value; Windows reads a shorter BOOL buffer as one byte. */
static BOOL read_int(const char *val, int len, int *out)
{
    if (!val || len <= 0)
        return FALSE;
    if (len >= (int)sizeof(int))
        memcpy(out, val, sizeof(int));
    else
        *out = *(const unsigned char *)val;
    return TRUE;
}

static int write_int(char *val, int *len, int v)
{
    if (!val || !len || *len < (int)sizeof(int))
        return WSAEFAULT;
    memcpy(val, &v, sizeof(v));
    *len = sizeof(v);
    return 0;
}

static void set_bit(struct ntc_socket *s, unsigned bit, BOOL on)
{
    if (on)
        atomic_fetch_or(&s->state, bit);
    else
        atomic_fetch_and(&s->state, ~bit);
}

/* Options compat keeps itself; returns -1 when the option is the kernel's business. */
static int set_own(struct ntc_socket *s, int level, int name, const char *val, int len)
{
    int v = 0;
    if (level == SOL_SOCKET) {
        switch (name) {
        case SO_RCVTIMEO:
        case SO_SNDTIMEO:
            /* A DWORD of milliseconds, not a timeval [SOL_SOCKET socket options]. */
            if (!val || len < (int)sizeof(DWORD))
                return WSAEFAULT;
            DWORD ms;
            memcpy(&ms, val, sizeof(ms));
            atomic_store(name == SO_RCVTIMEO ? &s->rcvtimeo : &s->sndtimeo, ms);
            return 0;
        case SO_REUSEADDR:
        case SO_EXCLUSIVEADDRUSE:
            /* The descriptor always has Linux's SO_REUSEADDR, which gives Windows' default
             * (re-binding over TIME_WAIT, no second listener). Windows' SO_REUSEADDR would let
             * another socket take a port in use; Linux's SO_REUSEPORT is not the same thing
             * (it balances), so compat records the flag and keeps exclusive binding
             * ["Using SO_REUSEADDR and SO_EXCLUSIVEADDRUSE"]. */
            if (!read_int(val, len, &v))
                return WSAEFAULT;
            set_bit(s, name == SO_REUSEADDR ? NTC_SOCK_REUSEADDR : NTC_SOCK_EXCLUSIVE, v != 0);
            return 0;
        case SO_UPDATE_ACCEPT_CONTEXT: {
            /* The value is the listening socket [AcceptEx]. */
            SOCKET ls;
            if (!val || len < (int)sizeof(SOCKET))
                return WSAEFAULT;
            memcpy(&ls, val, sizeof(ls));
            struct ntc_socket *l = ntc_sock_get(ls);
            if (!l)
                return WSAENOTSOCK;
            pthread_mutex_lock(&s->lock);
            s->accept_ctx = ls;
            pthread_mutex_unlock(&s->lock);
            atomic_fetch_or(&s->state, NTC_SOCK_ACCEPT_CTX | NTC_SOCK_BOUND | NTC_SOCK_CONNECTED);
            atomic_fetch_or(&s->state, atomic_load(&l->state) & NTC_SOCK_NONBLOCKING);
            ntc_sock_put(l);
            return 0;
        }
        case SO_UPDATE_CONNECT_CONTEXT:
            atomic_fetch_or(&s->state, NTC_SOCK_CONNECT_CTX | NTC_SOCK_BOUND | NTC_SOCK_CONNECTED);
            return 0;
        }
    }
    return -1;
}

int WSAAPI setsockopt(SOCKET s, int level, int optname, const char *optval, int optlen)
{
    struct ntc_socket *so = enter(s);
    if (!so)
        return SOCKET_ERROR;
    if (!optval && optlen > 0)
        return fail(so, WSAEFAULT);
    int r = set_own(so, level, optname, optval, optlen);
    if (r > 0)
        return fail(so, (DWORD)r);
    if (r < 0 && ntc_sys_setsockopt(so->fd, level, optname, optval, optlen) < 0) {
        int e = errno;
        return fail(so, ntc_wsa_from_errno(e));
    }
    ntc_sock_put(so);
    return 0;
}

static int fill_info(struct ntc_socket *s, char *val, int *len, BOOL wide)
{
    int need = wide ? (int)sizeof(WSAPROTOCOL_INFOW) : (int)sizeof(WSAPROTOCOL_INFOA);
    if (!val || !len || *len < need)
        return WSAEFAULT;
    memset(val, 0, (size_t)need);
    WSAPROTOCOL_INFOA *a = (WSAPROTOCOL_INFOA *)val;
    WSAPROTOCOL_INFOW *w = (WSAPROTOCOL_INFOW *)val;
    /* The numeric fields have the same offsets in both variants. */
    a->iAddressFamily = s->family;
    a->iSocketType = s->type;
    a->iProtocol = s->protocol;
    a->iVersion = 2;
    a->iMaxSockAddr = s->family == AF_INET6 ? (int)sizeof(SOCKADDR_IN6) : (int)sizeof(SOCKADDR_IN);
    a->iMinSockAddr = a->iMaxSockAddr;
    a->iNetworkByteOrder = 0; /* BIGENDIAN */
    a->ProtocolChain.ChainLen = BASE_PROTOCOL;
    const char *name = s->type == SOCK_STREAM ? "ntcompat TCP/IP" : "ntcompat UDP/IP";
    if (wide)
        for (size_t i = 0; name[i]; i++)
            w->szProtocol[i] = (WCHAR)name[i];
    else
        strcpy(a->szProtocol, name);
    *len = need;
    return 0;
}

static int get_own(struct ntc_socket *s, int level, int name, char *val, int *len)
{
    if (level != SOL_SOCKET)
        return -1;
    unsigned st = atomic_load(&s->state);
    switch (name) {
    case SO_RCVTIMEO:
        return write_int(val, len, (int)atomic_load(&s->rcvtimeo));
    case SO_SNDTIMEO:
        return write_int(val, len, (int)atomic_load(&s->sndtimeo));
    case SO_REUSEADDR:
        return write_int(val, len, (st & NTC_SOCK_REUSEADDR) != 0);
    case SO_EXCLUSIVEADDRUSE:
        return write_int(val, len, (st & NTC_SOCK_EXCLUSIVE) != 0);
    case SO_TYPE:
        return write_int(val, len, s->type);
    case SO_ERROR: {
        int e = ntc_sys_sock_error(s->fd);
        if (e < 0)
            return (int)ntc_wsa_from_errno(errno);
        return write_int(val, len, e == 0 ? 0 : (int)ntc_wsa_from_errno(e));
    }
    case SO_CONNECT_TIME:
        /* Seconds connected, 0xFFFFFFFF when not connected [SOL_SOCKET socket options]. compat
         * does not keep the connection time and reports 0 for a connected socket. */
        return write_int(val, len, (st & NTC_SOCK_CONNECTED) ? 0 : -1);
    case SO_PROTOCOL_INFOA:
    case SO_PROTOCOL_INFOW:
        return fill_info(s, val, len, name == SO_PROTOCOL_INFOW);
    case SO_MAX_MSG_SIZE:
        return s->type == SOCK_STREAM ? WSAENOPROTOOPT : write_int(val, len, 65507);
    }
    return -1;
}

int WSAAPI getsockopt(SOCKET s, int level, int optname, char *optval, int *optlen)
{
    struct ntc_socket *so = enter(s);
    if (!so)
        return SOCKET_ERROR;
    if (!optval || !optlen)
        return fail(so, WSAEFAULT);
    int r = get_own(so, level, optname, optval, optlen);
    if (r > 0)
        return fail(so, (DWORD)r);
    if (r < 0 && ntc_sys_getsockopt(so->fd, level, optname, optval, optlen) < 0) {
        int e = errno;
        return fail(so, ntc_wsa_from_errno(e));
    }
    ntc_sock_put(so);
    return 0;
}

/* FIONBIO and FIONREAD, shared by ioctlsocket and WSAIoctl; returns 0 or a WSA error. */
static DWORD control(struct ntc_socket *s, LONG cmd, u_long *arg)
{
    if (!arg)
        return WSAEFAULT;
    switch ((DWORD)cmd) {
    case (DWORD)FIONBIO:
        pthread_mutex_lock(&s->lock);
        /* A socket under WSAEventSelect cannot go back to blocking [ioctlsocket]. */
        if (*arg == 0 && s->evsel) {
            pthread_mutex_unlock(&s->lock);
            return WSAEINVAL;
        }
        set_bit(s, NTC_SOCK_NONBLOCKING, *arg != 0);
        pthread_mutex_unlock(&s->lock);
        return 0;
    case (DWORD)FIONREAD: {
        unsigned n = 0;
        if (ntc_sys_nread(s->fd, &n) < 0)
            return ntc_wsa_from_errno(errno);
        *arg = n;
        return 0;
    }
    default:
        return WSAEOPNOTSUPP;
    }
}

int WSAAPI ioctlsocket(SOCKET s, LONG cmd, u_long *argp)
{
    struct ntc_socket *so = enter(s);
    if (!so)
        return SOCKET_ERROR;
    DWORD err = control(so, cmd, argp);
    if (err)
        return fail(so, err);
    ntc_sock_put(so);
    return 0;
}

int WSAAPI WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
                    LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
                    LPWSAOVERLAPPED lpOverlapped,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    /* Every control compat knows completes at once; an OVERLAPPED is accepted and unused. */
    (void)lpOverlapped, (void)lpCompletionRoutine;
    struct ntc_socket *so = enter(s);
    if (!so)
        return SOCKET_ERROR;
    DWORD err = 0, out = 0;
    switch (dwIoControlCode) {
    case SIO_GET_EXTENSION_FUNCTION_POINTER: {
        GUID g;
        void *fn;
        if (!lpvInBuffer || cbInBuffer < sizeof(GUID) || !lpvOutBuffer ||
            cbOutBuffer < sizeof(void *)) {
            err = WSAEFAULT;
            break;
        }
        memcpy(&g, lpvInBuffer, sizeof(g));
        fn = ntc_sock_extension(&g);
        if (!fn) {
            err = WSAEINVAL;
            break;
        }
        memcpy(lpvOutBuffer, &fn, sizeof(fn));
        out = sizeof(fn);
        break;
    }
    case (DWORD)FIONBIO:
    case (DWORD)FIONREAD: {
        u_long arg = 0;
        if (dwIoControlCode == (DWORD)FIONBIO) {
            if (!lpvInBuffer || cbInBuffer < sizeof(u_long)) {
                err = WSAEFAULT;
                break;
            }
            memcpy(&arg, lpvInBuffer, sizeof(arg));
        } else if (!lpvOutBuffer || cbOutBuffer < sizeof(u_long)) {
            err = WSAEFAULT;
            break;
        }
        err = control(so, (LONG)dwIoControlCode, &arg);
        if (!err && dwIoControlCode == (DWORD)FIONREAD) {
            memcpy(lpvOutBuffer, &arg, sizeof(arg));
            out = sizeof(arg);
        }
        break;
    }
    default:
        err = WSAEOPNOTSUPP;
    }
    if (err)
        return fail(so, err);
    if (lpcbBytesReturned)
        *lpcbBytesReturned = out;
    ntc_sock_put(so);
    return 0;
}
