/* The socket object (ops, lookup, blocking waits), WSAStartup/WSACleanup, byte order, WSA events.
 */
#include "net.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- WSAStartup / WSACleanup ------------------------------------------------------------------
 */

static atomic_int startups;

BOOL ntc_sock_started(void)
{
    if (atomic_load_explicit(&startups, memory_order_acquire) > 0)
        return TRUE;
    SetLastError(WSANOTINITIALISED);
    return FALSE;
}

int WSAAPI WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData)
{
    BYTE major = LOBYTE(wVersionRequested), minor = HIBYTE(wVersionRequested);
    /* The result is returned, not set as the last error [WSAStartup]. */
    if (major < 1)
        return WSAVERNOTSUPPORTED;
    if (!lpWSAData)
        return WSAEFAULT;
    memset(lpWSAData, 0, sizeof(*lpWSAData));
    lpWSAData->wVersion =
        (major > 2 || (major == 2 && minor >= 2)) ? MAKEWORD(2, 2) : wVersionRequested;
    lpWSAData->wHighVersion = MAKEWORD(2, 2);
    strcpy(lpWSAData->szDescription, "WinSock 2.0");
    strcpy(lpWSAData->szSystemStatus, "Running");
    atomic_fetch_add_explicit(&startups, 1, memory_order_acq_rel);
    return 0;
}

/*
 * Sockets stay open after the last WSACleanup: Windows documents that they are reset and
 * deallocated [WSACleanup], but a program that relies on it is already wrong, and the sockets may
 * be in use by pending overlapped operations that compat/ would have to abort from here.
 */
int WSAAPI WSACleanup(void)
{
    int n = atomic_load_explicit(&startups, memory_order_acquire);
    while (n > 0 && !atomic_compare_exchange_weak_explicit(
                        &startups, &n, n - 1, memory_order_acq_rel, memory_order_acquire))
        ;
    if (n <= 0) {
        SetLastError(WSANOTINITIALISED);
        return SOCKET_ERROR;
    }
    return 0;
}

int WSAAPI WSAGetLastError(void)
{
    return (int)GetLastError();
}

void WSAAPI WSASetLastError(int iError)
{
    SetLastError((DWORD)iError);
}

/* ---- The object ------------------------------------------------------------------------------ */

struct ntc_sock_waiter {
    struct ntc_sock_waiter *next;
    int wake_fd;
};

static struct ntc_socket *sock_of(struct ntc_object *o)
{
    return (struct ntc_socket *)o;
}

/* The last handle went: blocked calls fail with WSAEINTR, overlapped ones with 995. */
static void sock_last_handle_closed(struct ntc_object *o)
{
    struct ntc_socket *s = sock_of(o);
    pthread_mutex_lock(&s->lock);
    atomic_fetch_or(&s->state, NTC_SOCK_CLOSING);
    for (struct ntc_sock_waiter *w = s->waiters; w; w = w->next)
        ntc_sys_wake(w->wake_fd);
    pthread_mutex_unlock(&s->lock);
    ntc_sock_evsel_close(s);
    ntc_sock_io_close(s);
}

static void sock_destroy(struct ntc_object *o)
{
    struct ntc_socket *s = sock_of(o);
    ntc_sock_evsel_close(s);
    ntc_sock_io_free(s);
    ntc_io_target_release(&s->target);
    /* Never shutdown(): another process may share the descriptor [closesocket]. */
    if (s->fd >= 0)
        ntc_sys_close(s->fd);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* What crosses a process boundary besides the descriptor. */
struct sock_wire {
    int32_t family, type, protocol;
    uint32_t flags, state, rcvtimeo, sndtimeo;
};

#define WIRE_STATE_MASK                                                                            \
    (NTC_SOCK_BOUND | NTC_SOCK_LISTENING | NTC_SOCK_CONNECTED | NTC_SOCK_SHUT_RECV |               \
     NTC_SOCK_SHUT_SEND | NTC_SOCK_ACCEPT_CTX | NTC_SOCK_CONNECT_CTX | NTC_SOCK_NONBLOCKING |      \
     NTC_SOCK_REUSEADDR | NTC_SOCK_EXCLUSIVE)

static BOOL sock_export_wire(struct ntc_object *o, struct ntc_wire *w)
{
    struct ntc_socket *s = sock_of(o);
    struct sock_wire sw = {
        .family = s->family,
        .type = s->type,
        .protocol = s->protocol,
        .flags = s->flags,
        .state = atomic_load(&s->state) & WIRE_STATE_MASK,
        .rcvtimeo = atomic_load(&s->rcvtimeo),
        .sndtimeo = atomic_load(&s->sndtimeo),
    };
    w->type = NTC_T_SOCKET;
    w->nfds = 1;
    w->fds[0] = s->fd;
    w->len = sizeof(sw);
    memcpy(w->data, &sw, sizeof(sw));
    return TRUE;
}

static struct ntc_object *sock_import_wire(struct ntc_wire *w)
{
    struct sock_wire sw;
    if (w->type != NTC_T_SOCKET || w->nfds != 1 || w->len != sizeof(sw)) {
        for (uint32_t i = 0; i < w->nfds && i < NTC_WIRE_MAXFDS; i++)
            ntc_sys_close(w->fds[i]);
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    memcpy(&sw, w->data, sizeof(sw));
    if (ntc_sys_prepare_fd(w->fds[0]) < 0) {
        ntc_set_error_errno(errno);
        ntc_sys_close(w->fds[0]);
        return NULL;
    }
    struct ntc_socket *s = ntc_sock_new(w->fds[0], sw.family, sw.type, sw.protocol, sw.flags);
    if (!s) {
        ntc_sys_close(w->fds[0]);
        return NULL;
    }
    atomic_store(&s->state, sw.state & WIRE_STATE_MASK);
    atomic_store(&s->rcvtimeo, sw.rcvtimeo);
    atomic_store(&s->sndtimeo, sw.sndtimeo);
    return &s->hdr;
}

static struct ntc_io_target *sock_io_target(struct ntc_object *o)
{
    return &sock_of(o)->target;
}

static BOOL sock_cancel(struct ntc_object *o, LPOVERLAPPED ov, BOOL this_thread_only)
{
    return ntc_sock_io_cancel(sock_of(o), ov, this_thread_only);
}

const struct ntc_ops ntc_socket_ops = {
    .type = NTC_T_SOCKET,
    .name = "socket",
    .last_handle_closed = sock_last_handle_closed,
    .destroy = sock_destroy,
    .export_wire = sock_export_wire,
    .import_wire = sock_import_wire,
    .io_target = sock_io_target,
    .cancel = sock_cancel,
};

struct ntc_socket *ntc_sock_new(int fd, int family, int type, int protocol, DWORD flags)
{
    struct ntc_socket *s = calloc(1, sizeof(*s));
    if (!s) {
        SetLastError(WSAENOBUFS);
        return NULL;
    }
    ntc_object_init(&s->hdr, &ntc_socket_ops);
    pthread_mutex_init(&s->lock, NULL);
    s->fd = fd;
    s->family = family;
    s->type = type;
    s->protocol = protocol;
    s->flags = flags;
    atomic_init(&s->state, 0);
    atomic_init(&s->rcvtimeo, 0);
    atomic_init(&s->sndtimeo, 0);
    atomic_init(&s->target.port, NULL);
    atomic_init(&s->target.modes, 0);
    return s;
}

SOCKET ntc_sock_publish(struct ntc_socket *s)
{
    HANDLE h = ntc_handle_alloc(&s->hdr, !(s->flags & WSA_FLAG_NO_HANDLE_INHERIT));
    if (!h) {
        ntc_object_unref(&s->hdr);
        SetLastError(WSAEMFILE);
        return INVALID_SOCKET;
    }
    return (SOCKET)h;
}

struct ntc_socket *ntc_sock_get(SOCKET s)
{
    if (s == INVALID_SOCKET || s == 0) {
        SetLastError(WSAENOTSOCK);
        return NULL;
    }
    struct ntc_object *o = ntc_handle_get((HANDLE)s, NTC_T_SOCKET);
    if (!o) {
        SetLastError(WSAENOTSOCK);
        return NULL;
    }
    return sock_of(o);
}

DWORD ntc_sock_wait(struct ntc_socket *s, unsigned events, DWORD ms)
{
    int wfd = ntc_sys_thread_wake_fd();
    if (wfd < 0)
        return ntc_wsa_from_errno(errno);
    struct ntc_sock_waiter w = {.wake_fd = wfd};
    pthread_mutex_lock(&s->lock);
    if (atomic_load(&s->state) & NTC_SOCK_CLOSING) {
        pthread_mutex_unlock(&s->lock);
        return WSAEINTR;
    }
    w.next = s->waiters;
    s->waiters = &w;
    pthread_mutex_unlock(&s->lock);

    int r = ntc_sys_wait(s->fd, events, wfd,
                         ms == INFINITE ? -1 : (ms > INT32_MAX ? INT32_MAX : (int)ms));
    int err = errno;

    pthread_mutex_lock(&s->lock);
    for (struct ntc_sock_waiter **p = &s->waiters; *p; p = &(*p)->next) {
        if (*p == &w) {
            *p = w.next;
            break;
        }
    }
    pthread_mutex_unlock(&s->lock);
    /* A wake meant for another socket of this thread may be pending too: that is only a
     * spurious wake-up, which the caller's retry absorbs. */
    if (r > 0 && ((unsigned)r & NTC_SYS_WOKEN))
        ntc_sys_drain(wfd);
    if (atomic_load(&s->state) & NTC_SOCK_CLOSING)
        return WSAEINTR;
    if (r < 0)
        return ntc_wsa_from_errno(err);
    return r == 0 ? WSAETIMEDOUT : 0;
}

void ntc_sock_adopt_fd(struct ntc_socket *s, int fd)
{
    pthread_mutex_lock(&s->lock);
    int old = s->fd;
    s->fd = fd;
    pthread_mutex_unlock(&s->lock);
    if (old >= 0)
        ntc_sys_close(old);
}

/* ---- Byte order and host name -------------------------------------------------------------- */

u_short WSAAPI htons(u_short hostshort)
{
    return __builtin_bswap16(hostshort);
}

u_long WSAAPI htonl(u_long hostlong)
{
    return __builtin_bswap32(hostlong);
}

u_short WSAAPI ntohs(u_short netshort)
{
    return __builtin_bswap16(netshort);
}

u_long WSAAPI ntohl(u_long netlong)
{
    return __builtin_bswap32(netlong);
}

int WSAAPI gethostname(char *name, int namelen)
{
    if (!ntc_sock_started())
        return SOCKET_ERROR;
    if (!name || namelen <= 0) {
        SetLastError(WSAEFAULT);
        return SOCKET_ERROR;
    }
    if (ntc_sys_gethostname(name, (size_t)namelen) < 0 || !memchr(name, '\0', (size_t)namelen)) {
        SetLastError(WSAEFAULT); /* the buffer is too small [gethostname] */
        return SOCKET_ERROR;
    }
    return 0;
}

/* ---- WSA events: thin over manual-reset events [WSACreateEvent] ----------------------------- */

WSAEVENT WSAAPI WSACreateEvent(void)
{
    HANDLE h = CreateEventA(NULL, TRUE, FALSE, NULL);
    return h ? h : WSA_INVALID_EVENT;
}

BOOL WSAAPI WSACloseEvent(WSAEVENT hEvent)
{
    return CloseHandle(hEvent);
}

BOOL WSAAPI WSASetEvent(WSAEVENT hEvent)
{
    return SetEvent(hEvent);
}

BOOL WSAAPI WSAResetEvent(WSAEVENT hEvent)
{
    return ResetEvent(hEvent);
}

DWORD WSAAPI WSAWaitForMultipleEvents(DWORD cEvents, const WSAEVENT *lphEvents, BOOL fWaitAll,
                                      DWORD dwTimeout, BOOL fAlertable)
{
    if (cEvents == 0 || cEvents > WSA_MAXIMUM_WAIT_EVENTS || !lphEvents) {
        SetLastError(WSA_INVALID_PARAMETER);
        return WSA_WAIT_FAILED;
    }
    return WaitForMultipleObjectsEx(cEvents, lphEvents, fWaitAll, dwTimeout, fAlertable);
}
