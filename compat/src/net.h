/* The internal socket object shared by the winsock sources, and the hooks between its two owners.
 */
#ifndef NTC_NET_H
#define NTC_NET_H

/* winsock2.h first: it keeps glibc's colliding definitions (fd_set, timeval, u_long) out. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>

#include "ntc.h"
#include "net_sys.h"

#include <pthread.h>

/*
 * Ownership. winsock.c (WINSOCK engineer) owns the object: creation, handles, the synchronous API,
 * the blocking waits, options, the ops table. overlapped.c / acceptex.c / transmitfile.c (IOCP
 * engineer) own everything behind `io`: overlapped WSARecv / WSASend, AcceptEx, ConnectEx,
 * DisconnectEx, TransmitFile, and the cancellation of what they started. eventselect.c owns
 * `evsel`.
 *
 * Descriptors. s->fd is always O_NONBLOCK and O_CLOEXEC (children get sockets through the wire,
 * never through exec). Nothing in compat/ blocks inside a socket system call: a blocking Win32 call
 * is a loop of "try the non-blocking call, then ntc_sock_wait". The descriptor is closed only by
 * ops->destroy, when the last reference goes, so a thread holding a reference (ntc_sock_get) can
 * use s->fd without a lock and never sees it reused. close() never implies shutdown(): a listener
 * shared with a child must keep working there.
 */

struct ntc_sock_io;     /* overlapped.c: pending overlapped operations and their engine watch */
struct ntc_sock_evsel;  /* eventselect.c: WSAEventSelect registration */
struct ntc_sock_waiter; /* winsock.c: a thread blocked in ntc_sock_wait */

/* s->state bits. */
#define NTC_SOCK_BOUND 0x0001u
#define NTC_SOCK_LISTENING 0x0002u
#define NTC_SOCK_CONNECTING 0x0004u /* non-blocking connect in progress */
#define NTC_SOCK_CONNECTED 0x0008u
#define NTC_SOCK_SHUT_RECV 0x0010u
#define NTC_SOCK_SHUT_SEND 0x0020u
#define NTC_SOCK_ACCEPTED 0x0040u    /* filled by AcceptEx (context not yet updated) */
#define NTC_SOCK_ACCEPT_CTX 0x0080u  /* SO_UPDATE_ACCEPT_CONTEXT was set */
#define NTC_SOCK_CONNECT_CTX 0x0100u /* SO_UPDATE_CONNECT_CONTEXT was set */
#define NTC_SOCK_NONBLOCKING 0x0200u /* user-visible mode: FIONBIO or WSAEventSelect */
#define NTC_SOCK_REUSEADDR 0x0400u   /* what the program set (the descriptor always has it) */
#define NTC_SOCK_EXCLUSIVE 0x0800u   /* SO_EXCLUSIVEADDRUSE as the program set it */
#define NTC_SOCK_CLOSING 0x1000u     /* the last handle was closed: blocked calls fail */

struct ntc_socket {
    struct ntc_object hdr;
    pthread_mutex_t lock; /* state changes, waiters, io and evsel pointers */
    int fd;               /* see above; replaced only by AcceptEx, see ntc_sock_adopt_fd */
    int family;           /* Win32 values, as given to socket() */
    int type;
    int protocol;
    DWORD flags;          /* WSA_FLAG_* of the creation */
    atomic_uint state;    /* NTC_SOCK_* */
    atomic_uint rcvtimeo; /* SO_RCVTIMEO / SO_SNDTIMEO in ms; 0 = wait forever */
    atomic_uint sndtimeo;
    SOCKET accept_ctx;               /* the listener given to SO_UPDATE_ACCEPT_CONTEXT */
    struct ntc_sock_waiter *waiters; /* threads in ntc_sock_wait, woken by closesocket */
    struct ntc_io_target target;     /* CreateIoCompletionPort association */
    struct ntc_sock_io *io;          /* overlapped.c; NULL until it needs one */
    struct ntc_sock_evsel *evsel;    /* eventselect.c; NULL unless WSAEventSelect is active */
};

/* ---- winsock.c ------------------------------------------------------------------------------- */

/* WSAStartup has been called (and not balanced by WSACleanup); else sets WSANOTINITIALISED. */
BOOL ntc_sock_started(void);
/* A new reference to the socket behind s, or NULL with WSAENOTSOCK. Drop it with ntc_sock_put. */
struct ntc_socket *ntc_sock_get(SOCKET s);
static inline void ntc_sock_put(struct ntc_socket *s)
{
    ntc_object_unref(&s->hdr);
}
/* Wrap a descriptor (already non-blocking, close-on-exec) into a new object, refs = 1, no handle.
 * NULL with the last error set (the descriptor is then still the caller's). */
struct ntc_socket *ntc_sock_new(int fd, int family, int type, int protocol, DWORD flags);
/* Give s a handle: consumes the caller's reference. INVALID_SOCKET with the last error set
 * (the object is then released). Sockets are inheritable unless WSA_FLAG_NO_HANDLE_INHERIT. */
SOCKET ntc_sock_publish(struct ntc_socket *s);
/*
 * Block until s->fd is ready for NTC_SYS_IN / NTC_SYS_OUT or until ms (INFINITE for none) pass.
 * Returns 0 when ready (or on a spurious wake: callers retry their non-blocking call), else the
 * WSA error: WSAETIMEDOUT on timeout, WSAEINTR when the socket was closed meanwhile [closesocket:
 * "the blocking call ... will fail with WSAEINTR"].
 */
DWORD ntc_sock_wait(struct ntc_socket *s, unsigned events, DWORD ms);
/* AcceptEx: put the accepted descriptor into the (unbound, idle) accept socket, closing its own,
 * under s->lock. The old descriptor was never used, so nobody can be polling it. */
void ntc_sock_adopt_fd(struct ntc_socket *s, int fd);
/* Blocking send/recv over buffers (lpOverlapped == NULL), honouring the user-visible non-blocking
 * mode and SO_RCVTIMEO / SO_SNDTIMEO. Return bytes, or -1 with the WSA error set. */
int ntc_sock_recv_blocking(struct ntc_socket *s, LPWSABUF bufs, DWORD n, DWORD *flags);
int ntc_sock_send_blocking(struct ntc_socket *s, LPWSABUF bufs, DWORD n, DWORD flags);

/* dupsocket.c: if provider is compat's WSADuplicateSocket provider, *out is the socket that the
 * WSAPROTOCOL_INFO names in this process (INVALID_SOCKET with the last error set when it is gone)
 * and the result is TRUE; FALSE for any other protocol description. */
BOOL ntc_sock_from_protocol_info(const GUID *provider, DWORD reserved, SOCKET *out);

/* ---- overlapped.c / acceptex.c / transmitfile.c (IOCP engineer) ------------------------------ */

/*
 * WSARecv / WSASend are exported by winsock.c: with lpOverlapped == NULL (and no completion
 * routine) they are the blocking calls above; otherwise winsock.c validates s and calls these,
 * which return 0 (completed synchronously, outputs set, completion published as the contract in
 * ntc.h says) or SOCKET_ERROR with the last error set (WSA_IO_PENDING when started).
 */
int ntc_sock_recv_overlapped(struct ntc_socket *s, LPWSABUF bufs, DWORD n, LPDWORD bytes,
                             LPDWORD flags, LPWSAOVERLAPPED ov,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE cr);
int ntc_sock_send_overlapped(struct ntc_socket *s, LPWSABUF bufs, DWORD n, LPDWORD bytes,
                             DWORD flags, LPWSAOVERLAPPED ov,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE cr);
/* The last handle to s was closed (from ops->last_handle_closed, after NTC_SOCK_CLOSING is set and
 * blocked threads are woken): complete every pending operation with ERROR_OPERATION_ABORTED and
 * stop watching s->fd. Must not close s->fd. */
void ntc_sock_io_close(struct ntc_socket *s);
/* ops->cancel of sockets: as struct ntc_ops.cancel in ntc.h. */
BOOL ntc_sock_io_cancel(struct ntc_socket *s, LPOVERLAPPED ov, BOOL this_thread_only);
/* ops->destroy: free s->io (nothing is pending any more: pending operations hold references). */
void ntc_sock_io_free(struct ntc_socket *s);
/* WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER): the function for an extension GUID, or NULL. */
void *ntc_sock_extension(const GUID *g);
/* (IOCP engineer) acceptex.c exports AcceptEx and GetAcceptExSockaddrs, transmitfile.c
 * TransmitFile; ConnectEx / DisconnectEx (connectex.c) are reachable only through
 * ntc_sock_extension, as on Windows. */

/* ---- eventselect.c ------------------------------------------------------------------------- */
/* The last handle was closed / the object is destroyed: drop the WSAEventSelect registration. */
void ntc_sock_evsel_close(struct ntc_socket *s);
/* A call that re-enables network events was made (accept: FD_ACCEPT, recv: FD_READ, a send that
 * would block: FD_WRITE; 0 after a state change such as a connect in progress): re-evaluate. */
void ntc_sock_evsel_reenable(struct ntc_socket *s, LONG events);
/* accept: the accepted socket gets the listener's event selection [accept]. */
void ntc_sock_evsel_inherit(struct ntc_socket *listener, struct ntc_socket *s);

#endif
