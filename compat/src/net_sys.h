/* Neutral wrappers over the POSIX socket calls: Win32 values and plain types in, POSIX inside. */
#ifndef NTC_NET_SYS_H
#define NTC_NET_SYS_H

/*
 * net_sys.c is the only compat source that includes POSIX network headers (they collide with
 * winsock2.h), so this header uses nothing but plain C types. Address families, socket address
 * structures (Windows layout, Windows family numbers), option levels and names, MSG_* flags and
 * shutdown values are the Win32 ones; the wrappers translate. On failure they return -1 with errno
 * set (callers map it with ntc_set_wsa_errno); getaddrinfo-like calls return a Winsock error.
 */
#include <stddef.h>
#include <stdint.h>

/* Readiness bits for ntc_sys_wait / ntc_sys_poll. */
#define NTC_SYS_IN 0x1u
#define NTC_SYS_OUT 0x2u
#define NTC_SYS_ERR 0x4u
#define NTC_SYS_HUP 0x8u
#define NTC_SYS_PRI 0x10u

/* A new descriptor, O_NONBLOCK and O_CLOEXEC. TCP sockets get SO_REUSEADDR (Windows re-binds a
 * port whose connections are in TIME_WAIT) and AF_INET6 sockets IPV6_V6ONLY = 1 (Windows' default).
 */
int ntc_sys_socket(int waf, int wtype, int wproto);
int ntc_sys_close(int fd);
/* Make a descriptor received from elsewhere O_NONBLOCK and O_CLOEXEC; 0 or -1. */
int ntc_sys_prepare_fd(int fd);
int ntc_sys_bind(int fd, const void *wsa, int len);
int ntc_sys_listen(int fd, int backlog);
/* The accepted descriptor (O_NONBLOCK, O_CLOEXEC); *len in/out as for accept. */
int ntc_sys_accept(int fd, void *wsa, int *len);
int ntc_sys_connect(int fd, const void *wsa, int len);
int ntc_sys_shutdown(int fd, int whow);
int ntc_sys_getsockname(int fd, void *wsa, int *len);
int ntc_sys_getpeername(int fd, void *wsa, int *len);

/* Scatter/gather buffer; the caller's WSABUF array is converted by the callee. */
struct ntc_sys_buf {
    void *base;
    size_t len;
};
/* Bytes moved (0 on orderly shutdown for recv) or -1. Sends never raise SIGPIPE. */
long ntc_sys_sendv(int fd, const struct ntc_sys_buf *bufs, unsigned n, int wflags);
/* The same, telling TCP that more data follows at once (Linux MSG_MORE), so a head and the file
 * behind it leave as full segments instead of a small one that waits for a delayed ACK. */
long ntc_sys_sendv_more(int fd, const struct ntc_sys_buf *bufs, unsigned n);
long ntc_sys_recvv(int fd, const struct ntc_sys_buf *bufs, unsigned n, int wflags);
long ntc_sys_sendto(int fd, const void *buf, size_t len, int wflags, const void *wsa, int salen);
long ntc_sys_recvfrom(int fd, void *buf, size_t len, int wflags, void *wsa, int *salen);

/* Options with Win32 level/name/value (struct linger with u_short fields, BOOLs and ints as int).
 * Options compat keeps itself (timeouts, SO_REUSEADDR, SO_EXCLUSIVEADDRUSE, SO_TYPE...) are
 * handled by winsock.c and never reach these. Unknown options fail with ENOPROTOOPT. */
int ntc_sys_setsockopt(int fd, int wlevel, int wname, const void *val, int len);
int ntc_sys_getsockopt(int fd, int wlevel, int wname, void *val, int *len);
/* The pending socket error as an errno value (0 when none); -1 on failure. Clears it. */
int ntc_sys_sock_error(int fd);
/* Bytes ready to read (FIONREAD). */
int ntc_sys_nread(int fd, unsigned *n);
/* 1 if fd is a listening socket, 0 if not, -1 on failure. */
int ntc_sys_is_listening(int fd);

/* Wait until fd is ready for events or wake_fd is readable or ms pass (ms < 0: forever).
 * Returns the NTC_SYS_* bits of fd that are ready, NTC_SYS_WOKEN if wake_fd fired, 0 on timeout.
 * EINTR is retried internally with the remaining time. */
#define NTC_SYS_WOKEN 0x100u
int ntc_sys_wait(int fd, unsigned events, int wake_fd, int ms);

struct ntc_sys_pollfd {
    int fd;
    unsigned events;  /* NTC_SYS_IN / NTC_SYS_OUT / NTC_SYS_PRI */
    unsigned revents; /* NTC_SYS_* */
};
/* poll(2) over n entries; returns the number ready, 0 on timeout, -1 on failure. */
int ntc_sys_poll(struct ntc_sys_pollfd *p, unsigned n, int ms);

/* A wake-up descriptor for the calling thread (an eventfd, closed when the thread ends), -1 on
 * failure. ntc_sys_wake makes it readable; ntc_sys_drain resets it. */
int ntc_sys_thread_wake_fd(void);
void ntc_sys_wake(int wake_fd);
void ntc_sys_drain(int wake_fd);

int ntc_sys_gethostname(char *name, size_t len);

/* Name resolution, Windows' layout: the same fields in the same order as ADDRINFOA (addrinfo.c
 * checks it at compile time), addresses with Windows' family numbers. Nodes and strings are
 * malloc'd as one block per entry; free with ntc_sys_freeaddrinfo. Returns 0 or a WSA error. */
struct ntc_sys_addrinfo {
    int ai_flags;
    int ai_family;
    int ai_socktype;
    int ai_protocol;
    size_t ai_addrlen;
    char *ai_canonname;
    void *ai_addr;
    struct ntc_sys_addrinfo *ai_next;
};
int ntc_sys_getaddrinfo(const char *node, const char *service, const struct ntc_sys_addrinfo *hints,
                        struct ntc_sys_addrinfo **res);
void ntc_sys_freeaddrinfo(struct ntc_sys_addrinfo *ai);
/* getnameinfo with Win32 flags (NI_* have the same meaning); returns 0 or a WSA error. */
int ntc_sys_getnameinfo(const void *wsa, int salen, char *host, size_t hostlen, char *serv,
                        size_t servlen, int wflags);
/* inet_pton / inet_ntop with a Win32 family: 1 / non-NULL on success; -1 / NULL with errno. */
int ntc_sys_inet_pton(int waf, const char *src, void *dst);
const char *ntc_sys_inet_ntop(int waf, const void *src, char *dst, size_t len);

#endif
