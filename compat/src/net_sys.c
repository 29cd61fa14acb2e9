/* The POSIX side of the sockets: translates Win32 values and calls the system (see net_sys.h). */
#include "net_sys.h"

/* Only the Win32 error numbers (plain macros); no other Win32 header may come in here. */
#include <winerror.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* ---- Win32 values this file translates (kept local: winsock2.h cannot be included here) ----- */
enum {
    W_AF_UNSPEC = 0,
    W_AF_UNIX = 1,
    W_AF_INET = 2,
    W_AF_INET6 = 23,
    W_SOL_SOCKET = 0xffff,
    W_IPPROTO_IP = 0,
    W_IPPROTO_TCP = 6,
    W_IPPROTO_UDP = 17,
    W_IPPROTO_IPV6 = 41,
    W_MSG_OOB = 0x1,
    W_MSG_PEEK = 0x2,
    W_MSG_DONTROUTE = 0x4,
    W_MSG_WAITALL = 0x8,
    W_MSG_PUSH_IMMEDIATE = 0x20,
    W_SO_LINGER = 0x0080,
    W_SO_DONTLINGER = ~0x0080,
    W_SO_SNDBUF = 0x1001,
    W_SO_RCVBUF = 0x1002,
};

static int af_to_posix(int waf)
{
    switch (waf) {
    case W_AF_UNSPEC:
        return AF_UNSPEC;
    case W_AF_UNIX:
        return AF_UNIX;
    case W_AF_INET:
        return AF_INET;
    case W_AF_INET6:
        return AF_INET6;
    default:
        return -1;
    }
}

static int af_to_win(int af)
{
    switch (af) {
    case AF_UNIX:
        return W_AF_UNIX;
    case AF_INET:
        return W_AF_INET;
    case AF_INET6:
        return W_AF_INET6;
    default:
        return af == AF_UNSPEC ? W_AF_UNSPEC : -1;
    }
}

/* The POSIX size of a family's address; the Windows structures have the same layout and size
 * (sockaddr_in 16, sockaddr_in6 28, sockaddr_un 110), only the family numbers differ. */
static socklen_t addr_size(int af)
{
    switch (af) {
    case AF_INET:
        return sizeof(struct sockaddr_in);
    case AF_INET6:
        return sizeof(struct sockaddr_in6);
    case AF_UNIX:
        return sizeof(struct sockaddr_un);
    default:
        return 0;
    }
}

/* A Windows socket address into a POSIX one. */
static int addr_in(const void *wsa, int len, struct sockaddr_storage *ss, socklen_t *sl)
{
    if (!wsa || len < (int)sizeof(uint16_t)) {
        errno = EFAULT;
        return -1;
    }
    uint16_t wfam;
    memcpy(&wfam, wsa, sizeof(wfam));
    int af = af_to_posix(wfam);
    socklen_t need = af < 0 ? 0 : addr_size(af);
    if (need == 0) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    if (af == AF_UNIX) {
        if (len < (int)sizeof(uint16_t) || len > (int)need) {
            errno = EFAULT;
            return -1;
        }
        need = (socklen_t)len;
    } else if (len < (int)need) {
        errno = EFAULT; /* Windows: "namelen ... is too small" is WSAEFAULT [bind] */
        return -1;
    }
    memset(ss, 0, sizeof(*ss));
    memcpy(ss, wsa, need);
    ss->ss_family = (sa_family_t)af;
    *sl = need;
    return 0;
}

/* A POSIX socket address out to a Windows one; *len in/out. A short buffer is EFAULT on Windows
 * [getsockname], not a truncation. */
static int addr_out(const struct sockaddr_storage *ss, socklen_t sl, void *wsa, int *len)
{
    if (!wsa && !len)
        return 0;
    if (!wsa || !len || *len < 0 || (socklen_t)*len < sl) {
        errno = EFAULT;
        return -1;
    }
    memcpy(wsa, ss, sl);
    uint16_t wfam = (uint16_t)af_to_win(ss->ss_family);
    memcpy(wsa, &wfam, sizeof(wfam));
    *len = (int)sl;
    return 0;
}

static int msg_flags(int wflags, bool sending)
{
    int f = sending ? MSG_NOSIGNAL : 0;
    if (wflags & ~(W_MSG_OOB | W_MSG_PEEK | W_MSG_DONTROUTE | W_MSG_WAITALL | W_MSG_PUSH_IMMEDIATE))
        return -1;
    if (wflags & W_MSG_OOB)
        f |= MSG_OOB;
    if (wflags & W_MSG_PEEK)
        f |= MSG_PEEK;
    if (wflags & W_MSG_DONTROUTE)
        f |= MSG_DONTROUTE;
    if (wflags & W_MSG_WAITALL)
        f |= MSG_WAITALL;
    return f;
}

/* ---- Sockets ------------------------------------------------------------------------------- */

int ntc_sys_socket(int waf, int wtype, int wproto)
{
    int af = af_to_posix(waf);
    if (af < 0 || af == AF_UNSPEC) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    /* SOCK_* and IPPROTO_* numbers are the same on Windows and Linux. */
    int fd = socket(af, wtype | SOCK_NONBLOCK | SOCK_CLOEXEC, wproto);
    if (fd < 0)
        return -1;
    int one = 1;
    /* Windows lets a listener re-bind its port while old connections sit in TIME_WAIT; Linux
     * needs SO_REUSEADDR for that. Linux's SO_REUSEADDR does not allow two live listeners on a
     * port, so Windows' exclusive default holds ["Using SO_REUSEADDR and SO_EXCLUSIVEADDRUSE"]. */
    if (wtype == SOCK_STREAM && (af == AF_INET || af == AF_INET6))
        (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    /* Windows' IPv6 sockets are IPv6-only until IPV6_V6ONLY is cleared [IPPROTO_IPV6 options]. */
    if (af == AF_INET6)
        (void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    return fd;
}

int ntc_sys_close(int fd)
{
    return close(fd);
}

int ntc_sys_prepare_fd(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || (!(fl & O_NONBLOCK) && fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0))
        return -1;
    int fdf = fcntl(fd, F_GETFD);
    if (fdf < 0 || (!(fdf & FD_CLOEXEC) && fcntl(fd, F_SETFD, fdf | FD_CLOEXEC) < 0))
        return -1;
    return 0;
}

int ntc_sys_bind(int fd, const void *wsa, int len)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    if (addr_in(wsa, len, &ss, &sl) < 0)
        return -1;
    return bind(fd, (struct sockaddr *)&ss, sl);
}

int ntc_sys_listen(int fd, int backlog)
{
    /* SOMAXCONN is 0x7fffffff on Windows and SOMAXCONN_HINT(n) is -n: both mean "n or the max". */
    if (backlog < 0)
        backlog = backlog == INT32_MIN ? SOMAXCONN : -backlog;
    return listen(fd, backlog);
}

int ntc_sys_accept(int fd, void *wsa, int *len)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    if (wsa && (!len || *len < (int)sizeof(struct sockaddr_in))) {
        errno = EFAULT; /* Windows checks addrlen before waiting [accept] */
        return -1;
    }
    int nfd = accept4(fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (nfd < 0)
        return -1;
    if (wsa && addr_out(&ss, sl, wsa, len) < 0) {
        int e = errno;
        close(nfd);
        errno = e;
        return -1;
    }
    return nfd;
}

int ntc_sys_connect(int fd, const void *wsa, int len)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    if (addr_in(wsa, len, &ss, &sl) < 0)
        return -1;
    return connect(fd, (struct sockaddr *)&ss, sl);
}

int ntc_sys_shutdown(int fd, int whow)
{
    /* SD_RECEIVE / SD_SEND / SD_BOTH are 0 / 1 / 2 like SHUT_RD / SHUT_WR / SHUT_RDWR. */
    if (whow < 0 || whow > 2) {
        errno = EINVAL;
        return -1;
    }
    return shutdown(fd, whow);
}

int ntc_sys_getsockname(int fd, void *wsa, int *len)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
        return -1;
    return addr_out(&ss, sl, wsa, len);
}

int ntc_sys_getpeername(int fd, void *wsa, int *len)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    if (getpeername(fd, (struct sockaddr *)&ss, &sl) < 0)
        return -1;
    return addr_out(&ss, sl, wsa, len);
}

/* ---- Data ---------------------------------------------------------------------------------- */

#define MAX_IOV 64

static long xfer_posix(int fd, const struct ntc_sys_buf *bufs, unsigned n, int f, bool sending)
{
    struct iovec iov[MAX_IOV];
    if (n > MAX_IOV)
        n = MAX_IOV; /* a partial transfer, which stream sockets allow */
    for (unsigned i = 0; i < n; i++) {
        iov[i].iov_base = bufs[i].base;
        iov[i].iov_len = bufs[i].len;
    }
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = n};
    ssize_t r = sending ? sendmsg(fd, &m, f) : recvmsg(fd, &m, f);
    return (long)r;
}

static long xfer(int fd, const struct ntc_sys_buf *bufs, unsigned n, int wflags, bool sending)
{
    int f = msg_flags(wflags, sending);
    if (f < 0) {
        errno = EOPNOTSUPP;
        return -1;
    }
    return xfer_posix(fd, bufs, n, f, sending);
}

long ntc_sys_sendv(int fd, const struct ntc_sys_buf *bufs, unsigned n, int wflags)
{
    return xfer(fd, bufs, n, wflags, true);
}

long ntc_sys_sendv_more(int fd, const struct ntc_sys_buf *bufs, unsigned n)
{
    return xfer_posix(fd, bufs, n, MSG_NOSIGNAL | MSG_MORE, true);
}

long ntc_sys_recvv(int fd, const struct ntc_sys_buf *bufs, unsigned n, int wflags)
{
    return xfer(fd, bufs, n, wflags, false);
}

long ntc_sys_sendto(int fd, const void *buf, size_t len, int wflags, const void *wsa, int salen)
{
    int f = msg_flags(wflags, true);
    if (f < 0) {
        errno = EOPNOTSUPP;
        return -1;
    }
    if (!wsa)
        return (long)send(fd, buf, len, f);
    struct sockaddr_storage ss;
    socklen_t sl;
    if (addr_in(wsa, salen, &ss, &sl) < 0)
        return -1;
    return (long)sendto(fd, buf, len, f, (struct sockaddr *)&ss, sl);
}

long ntc_sys_recvfrom(int fd, void *buf, size_t len, int wflags, void *wsa, int *salen)
{
    int f = msg_flags(wflags, false);
    if (f < 0) {
        errno = EOPNOTSUPP;
        return -1;
    }
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    ssize_t r = recvfrom(fd, buf, len, f, (struct sockaddr *)&ss, &sl);
    if (r >= 0 && wsa && sl > 0 && addr_out(&ss, sl, wsa, salen) < 0)
        return -1;
    return (long)r;
}

/* ---- Options ------------------------------------------------------------------------------- */

/*
 * Map a Win32 (level, name) whose value is an int on Linux. Windows reports a few BOOL options as
 * a single byte (getsockopt sets optlen to 1; Wine's conformance tests record it): `byte`.
 * Unknown level: EINVAL (WSAEINVAL); unknown option of a known level: ENOPROTOOPT [getsockopt].
 */
static int int_option(int wlevel, int wname, int *level, int *name, bool *byte)
{
    static const struct {
        int wlevel, wname, level, name;
        bool byte;
    } map[] = {
        {W_SOL_SOCKET, 0x0001, SOL_SOCKET, SO_DEBUG, false},
        {W_SOL_SOCKET, 0x0002, SOL_SOCKET, SO_ACCEPTCONN, false},
        {W_SOL_SOCKET, 0x0008, SOL_SOCKET, SO_KEEPALIVE, true},
        {W_SOL_SOCKET, 0x0010, SOL_SOCKET, SO_DONTROUTE, true},
        {W_SOL_SOCKET, 0x0020, SOL_SOCKET, SO_BROADCAST, false},
        {W_SOL_SOCKET, 0x0100, SOL_SOCKET, SO_OOBINLINE, false},
        {W_SOL_SOCKET, W_SO_SNDBUF, SOL_SOCKET, SO_SNDBUF, false},
        {W_SOL_SOCKET, W_SO_RCVBUF, SOL_SOCKET, SO_RCVBUF, false},
        {W_IPPROTO_TCP, 0x0001, IPPROTO_TCP, TCP_NODELAY, true},
        {W_IPPROTO_IP, 3, IPPROTO_IP, IP_TOS, false},
        {W_IPPROTO_IP, 4, IPPROTO_IP, IP_TTL, false},
        {W_IPPROTO_IPV6, 4, IPPROTO_IPV6, IPV6_UNICAST_HOPS, false},
        {W_IPPROTO_IPV6, 27, IPPROTO_IPV6, IPV6_V6ONLY, true},
        {W_IPPROTO_IPV6, 39, IPPROTO_IPV6, IPV6_TCLASS, false},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (map[i].wlevel == wlevel && map[i].wname == wname) {
            *level = map[i].level;
            *name = map[i].name;
            *byte = map[i].byte;
            return 0;
        }
    }
    bool known = wlevel == W_SOL_SOCKET || wlevel == W_IPPROTO_IP || wlevel == W_IPPROTO_TCP ||
                 wlevel == W_IPPROTO_IPV6 || wlevel == W_IPPROTO_UDP;
    errno = known ? ENOPROTOOPT : EINVAL;
    return -1;
}

/* Windows' struct linger: two u_shorts. */
struct wlinger {
    uint16_t l_onoff;
    uint16_t l_linger;
};

int ntc_sys_setsockopt(int fd, int wlevel, int wname, const void *val, int len)
{
    if (!val || len <= 0) {
        errno = EFAULT;
        return -1;
    }
    if (wlevel == W_SOL_SOCKET && (wname == W_SO_LINGER || wname == W_SO_DONTLINGER)) {
        struct linger l;
        if (wname == W_SO_LINGER) {
            struct wlinger wl;
            if (len < (int)sizeof(wl)) {
                errno = EFAULT;
                return -1;
            }
            memcpy(&wl, val, sizeof(wl));
            l.l_onoff = wl.l_onoff != 0;
            l.l_linger = wl.l_linger;
        } else {
            int v = 0;
            memcpy(&v, val, len < (int)sizeof(v) ? (size_t)len : sizeof(v));
            l.l_onoff = v == 0;
            l.l_linger = 0;
        }
        return setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    }
    int level, name;
    bool byte;
    if (int_option(wlevel, wname, &level, &name, &byte) < 0)
        return -1;
    /* Windows reads BOOL options from a buffer shorter than an int as one byte. */
    int v = 0;
    if (len >= (int)sizeof(int))
        memcpy(&v, val, sizeof(v));
    else
        v = *(const unsigned char *)val;
    return setsockopt(fd, level, name, &v, sizeof(v));
}

int ntc_sys_getsockopt(int fd, int wlevel, int wname, void *val, int *len)
{
    if (!val || !len) {
        errno = EFAULT;
        return -1;
    }
    if (wlevel == W_SOL_SOCKET && (wname == W_SO_LINGER || wname == W_SO_DONTLINGER)) {
        struct linger l;
        socklen_t sl = sizeof(l);
        if (getsockopt(fd, SOL_SOCKET, SO_LINGER, &l, &sl) < 0)
            return -1;
        if (wname == W_SO_LINGER) {
            struct wlinger wl = {(uint16_t)(l.l_onoff != 0), (uint16_t)l.l_linger};
            if (*len < (int)sizeof(wl)) {
                errno = EFAULT;
                return -1;
            }
            memcpy(val, &wl, sizeof(wl));
            *len = sizeof(wl);
        } else {
            int v = !l.l_onoff;
            if (*len < (int)sizeof(v)) {
                errno = EFAULT;
                return -1;
            }
            memcpy(val, &v, sizeof(v));
            *len = sizeof(v);
        }
        return 0;
    }
    int level, name;
    bool byte;
    if (int_option(wlevel, wname, &level, &name, &byte) < 0)
        return -1;
    if (*len < (byte ? 1 : (int)sizeof(int))) {
        errno = EFAULT;
        return -1;
    }
    int v = 0;
    socklen_t sl = sizeof(v);
    if (getsockopt(fd, level, name, &v, &sl) < 0)
        return -1;
    if (byte) {
        *(unsigned char *)val = v != 0;
        *len = 1;
        return 0;
    }
    /* Linux reports twice the buffer size that was set (its bookkeeping share) [socket(7)];
     * Windows reports the size that was set. */
    if (level == SOL_SOCKET && (name == SO_SNDBUF || name == SO_RCVBUF))
        v /= 2;
    memcpy(val, &v, sizeof(v));
    *len = sizeof(v);
    return 0;
}

int ntc_sys_sock_error(int fd)
{
    int v = 0;
    socklen_t sl = sizeof(v);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &v, &sl) < 0)
        return -1;
    return v;
}

int ntc_sys_nread(int fd, unsigned *n)
{
    int v = 0;
    if (ioctl(fd, FIONREAD, &v) < 0)
        return -1;
    *n = (unsigned)v;
    return 0;
}

int ntc_sys_is_listening(int fd)
{
    int v = 0;
    socklen_t sl = sizeof(v);
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &sl) < 0)
        return -1;
    return v != 0;
}

/* ---- Waiting ------------------------------------------------------------------------------- */

static short poll_events(unsigned ev)
{
    return (short)(((ev & NTC_SYS_IN) ? POLLIN : 0) | ((ev & NTC_SYS_OUT) ? POLLOUT : 0) |
                   ((ev & NTC_SYS_PRI) ? POLLPRI : 0));
}

static unsigned sys_events(short re)
{
    return ((re & POLLIN) ? NTC_SYS_IN : 0) | ((re & POLLOUT) ? NTC_SYS_OUT : 0) |
           ((re & POLLPRI) ? NTC_SYS_PRI : 0) | ((re & (POLLERR | POLLNVAL)) ? NTC_SYS_ERR : 0) |
           ((re & POLLHUP) ? NTC_SYS_HUP : 0);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* poll() that retries EINTR with the time that is left. */
static int poll_retry(struct pollfd *p, nfds_t n, int ms)
{
    int64_t deadline = ms < 0 ? 0 : now_ms() + ms;
    for (;;) {
        int r = poll(p, n, ms);
        if (r >= 0 || errno != EINTR)
            return r;
        if (ms >= 0) {
            int64_t left = deadline - now_ms();
            ms = left > 0 ? (int)left : 0;
        }
    }
}

int ntc_sys_wait(int fd, unsigned events, int wake_fd, int ms)
{
    struct pollfd p[2] = {{.fd = fd, .events = poll_events(events)},
                          {.fd = wake_fd, .events = POLLIN}};
    int r = poll_retry(p, wake_fd >= 0 ? 2 : 1, ms);
    if (r <= 0)
        return r;
    unsigned out = sys_events(p[0].revents);
    if (wake_fd >= 0 && (p[1].revents & POLLIN))
        out |= NTC_SYS_WOKEN;
    return (int)out;
}

int ntc_sys_poll(struct ntc_sys_pollfd *p, unsigned n, int ms)
{
    struct pollfd stack[64];
    struct pollfd *pf = n <= 64 ? stack : calloc(n, sizeof(*pf));
    if (!pf)
        return -1;
    for (unsigned i = 0; i < n; i++) {
        pf[i].fd = p[i].fd;
        pf[i].events = poll_events(p[i].events);
        pf[i].revents = 0;
    }
    int r = poll_retry(pf, n, ms);
    for (unsigned i = 0; i < n; i++)
        p[i].revents = r > 0 ? sys_events(pf[i].revents) : 0;
    if (pf != stack)
        free(pf);
    return r;
}

static pthread_key_t wake_key;
static pthread_once_t wake_once = PTHREAD_ONCE_INIT;
static _Thread_local int wake_fd_tls = -1;

static void wake_fd_release(void *p)
{
    close((int)(intptr_t)p - 1);
}

static void wake_key_init(void)
{
    (void)pthread_key_create(&wake_key, wake_fd_release);
}

int ntc_sys_thread_wake_fd(void)
{
    if (wake_fd_tls >= 0)
        return wake_fd_tls;
    pthread_once(&wake_once, wake_key_init);
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0)
        return -1;
    /* Stored as fd + 1 so that descriptor 0 is not mistaken for "no value". */
    if (pthread_setspecific(wake_key, (void *)(intptr_t)(fd + 1)) != 0) {
        close(fd);
        errno = ENOMEM;
        return -1;
    }
    wake_fd_tls = fd;
    return fd;
}

void ntc_sys_wake(int wake_fd)
{
    uint64_t one = 1;
    ssize_t r = write(wake_fd, &one, sizeof(one));
    (void)r; /* EAGAIN only when the counter is saturated: it is readable anyway */
}

void ntc_sys_drain(int wake_fd)
{
    uint64_t v;
    ssize_t r = read(wake_fd, &v, sizeof(v));
    (void)r;
}

int ntc_sys_gethostname(char *name, size_t len)
{
    return gethostname(name, len);
}

/* ---- Names --------------------------------------------------------------------------------- */

static int wsa_from_eai(int e)
{
    switch (e) {
    case 0:
        return 0;
    case EAI_AGAIN:
        return WSATRY_AGAIN;
    case EAI_BADFLAGS:
        return WSAEINVAL;
    case EAI_FAIL:
        return WSANO_RECOVERY;
    case EAI_FAMILY:
        return WSAEAFNOSUPPORT;
    case EAI_MEMORY:
        return WSA_NOT_ENOUGH_MEMORY;
    case EAI_NONAME:
        return WSAHOST_NOT_FOUND;
    case EAI_SERVICE:
        return WSATYPE_NOT_FOUND;
    case EAI_SOCKTYPE:
        return WSAESOCKTNOSUPPORT;
    case EAI_OVERFLOW:
        return WSAEFAULT;
#ifdef EAI_NODATA
    case EAI_NODATA:
    case EAI_ADDRFAMILY:
        return WSANO_DATA;
#endif
    default:
        return WSANO_RECOVERY;
    }
}

static int ai_flags_to_posix(int w)
{
    int f = 0;
    f |= (w & 0x1) ? AI_PASSIVE : 0;
    f |= (w & 0x2) ? AI_CANONNAME : 0;
    f |= (w & 0x4) ? AI_NUMERICHOST : 0;
    f |= (w & 0x8) ? AI_NUMERICSERV : 0;
    f |= (w & 0x100) ? AI_ALL : 0;
    f |= (w & 0x400) ? AI_ADDRCONFIG : 0;
    f |= (w & 0x800) ? AI_V4MAPPED : 0;
    return f;
}

/* One allocation per node: the node, then its address, then its canonical name. */
static struct ntc_sys_addrinfo *node_from(const struct addrinfo *a, bool any_type)
{
    size_t cl = a->ai_canonname ? strlen(a->ai_canonname) + 1 : 0;
    struct ntc_sys_addrinfo *n = calloc(1, sizeof(*n) + a->ai_addrlen + cl);
    if (!n)
        return NULL;
    n->ai_flags = 0;
    n->ai_family = af_to_win(a->ai_family);
    /* Windows returns one entry per address, type and protocol 0, when the hints leave them
     * open; glibc returns one per socket type. */
    n->ai_socktype = any_type ? 0 : a->ai_socktype;
    n->ai_protocol = any_type ? 0 : a->ai_protocol;
    n->ai_addrlen = a->ai_addrlen;
    n->ai_addr = n + 1;
    memcpy(n->ai_addr, a->ai_addr, a->ai_addrlen);
    uint16_t wfam = (uint16_t)n->ai_family;
    memcpy(n->ai_addr, &wfam, sizeof(wfam));
    if (cl) {
        n->ai_canonname = (char *)n->ai_addr + a->ai_addrlen;
        memcpy(n->ai_canonname, a->ai_canonname, cl);
    }
    return n;
}

static bool seen_addr(const struct ntc_sys_addrinfo *list, const struct ntc_sys_addrinfo *n)
{
    for (; list; list = list->ai_next)
        if (list->ai_addrlen == n->ai_addrlen && !memcmp(list->ai_addr, n->ai_addr, n->ai_addrlen))
            return true;
    return false;
}

int ntc_sys_getaddrinfo(const char *node, const char *service, const struct ntc_sys_addrinfo *hints,
                        struct ntc_sys_addrinfo **res)
{
    struct addrinfo h = {0};
    bool any_type = true;
    if (hints) {
        int af = af_to_posix(hints->ai_family);
        if (af < 0 || af == AF_UNIX)
            return WSAEAFNOSUPPORT;
        h.ai_family = af;
        h.ai_flags = ai_flags_to_posix(hints->ai_flags);
        h.ai_socktype = hints->ai_socktype;
        h.ai_protocol = hints->ai_protocol;
        any_type = hints->ai_socktype == 0 && hints->ai_protocol == 0;
    }
    struct addrinfo *out = NULL;
    int e = getaddrinfo(node, service, hints ? &h : NULL, &out);
    if (e != 0)
        return e == EAI_SYSTEM ? WSANO_RECOVERY : wsa_from_eai(e);
    struct ntc_sys_addrinfo *head = NULL, **tail = &head;
    for (struct addrinfo *a = out; a; a = a->ai_next) {
        if (af_to_win(a->ai_family) < 0)
            continue;
        struct ntc_sys_addrinfo *n = node_from(a, any_type);
        if (!n) {
            freeaddrinfo(out);
            ntc_sys_freeaddrinfo(head);
            return WSA_NOT_ENOUGH_MEMORY;
        }
        if (any_type && seen_addr(head, n)) {
            free(n);
            continue;
        }
        *tail = n;
        tail = &n->ai_next;
    }
    freeaddrinfo(out);
    if (!head)
        return WSAHOST_NOT_FOUND;
    *res = head;
    return 0;
}

void ntc_sys_freeaddrinfo(struct ntc_sys_addrinfo *ai)
{
    while (ai) {
        struct ntc_sys_addrinfo *next = ai->ai_next;
        free(ai);
        ai = next;
    }
}

int ntc_sys_getnameinfo(const void *wsa, int salen, char *host, size_t hostlen, char *serv,
                        size_t servlen, int wflags)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    if (addr_in(wsa, salen, &ss, &sl) < 0)
        return errno == EAFNOSUPPORT ? WSAEAFNOSUPPORT : WSAEFAULT;
    int f = 0;
    f |= (wflags & 0x01) ? NI_NOFQDN : 0;
    f |= (wflags & 0x02) ? NI_NUMERICHOST : 0;
    f |= (wflags & 0x04) ? NI_NAMEREQD : 0;
    f |= (wflags & 0x08) ? NI_NUMERICSERV : 0;
    f |= (wflags & 0x10) ? NI_DGRAM : 0;
    int e = getnameinfo((struct sockaddr *)&ss, sl, host, (socklen_t)hostlen, serv,
                        (socklen_t)servlen, f);
    return e == EAI_SYSTEM ? WSANO_RECOVERY : wsa_from_eai(e);
}

int ntc_sys_inet_pton(int waf, const char *src, void *dst)
{
    int af = af_to_posix(waf);
    if (af != AF_INET && af != AF_INET6) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    return inet_pton(af, src, dst);
}

const char *ntc_sys_inet_ntop(int waf, const void *src, char *dst, size_t len)
{
    int af = af_to_posix(waf);
    if (af != AF_INET && af != AF_INET6) {
        errno = EAFNOSUPPORT;
        return NULL;
    }
    const char *r = inet_ntop(af, src, dst, (socklen_t)len);
    if (!r && errno == ENOSPC)
        errno = EINVAL; /* Windows: a buffer too small is WSAEINVAL [inet_ntop] */
    return r;
}
