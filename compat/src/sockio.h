/* Pending overlapped socket operations: the queues and engine watch behind struct ntc_sock_io. */
#ifndef NTC_SOCKIO_H
#define NTC_SOCKIO_H

#include "net.h"

/*
 * Each socket with overlapped work has two FIFO queues, reads (WSARecv, AcceptEx on a listener)
 * and writes (WSASend, TransmitFile, ConnectEx), and one persistent edge-triggered engine watch on
 * its descriptor. An operation is tried at once when its queue is empty; when it would block it
 * is queued, and the engine callback retries the head of each queue until it would block again.
 * Every attempt runs under s->lock, so an edge can never fall between a try and a queueing.
 */
enum { NTC_OP_READ = 0, NTC_OP_WRITE = 1 };

/* attempt() results besides 0 (done) and an errno value (failed with it). */
#define NTC_OP_AGAIN (-1) /* would block: keep it queued */
#define NTC_OP_MOVED (-2) /* the op queued itself on another socket (AcceptEx's receive phase) */

struct ntc_sock_op;
struct ntc_sock_op_kind {
    /* Make progress on op, under op->s->lock. Sets op->bytes as it goes. */
    int (*attempt)(struct ntc_sock_op *op);
    /* Optional: release what the op owns beyond the common fields (after completion). */
    void (*release)(struct ntc_sock_op *op);
    /* Optional: runs once the op is done, outside every lock, before its result is published
     * (TF_REUSE_SOCKET resets the socket there). */
    void (*before_publish)(struct ntc_sock_op *op);
};

struct ntc_sock_op {
    struct ntc_sock_op *next;
    const struct ntc_sock_op_kind *kind;
    struct ntc_socket *s;     /* the socket whose queue holds the op (a reference) */
    struct ntc_socket *owner; /* the socket the operation was started on (a reference) */
    LPOVERLAPPED ov;
    pthread_t thread; /* the initiator, for CancelIo */
    int dir;          /* NTC_OP_READ or NTC_OP_WRITE */
    DWORD bytes;
    int error; /* errno of the result once done; ECANCELED when cancelled */
};

/* Fill the common fields; takes a reference to s (as both queue socket and owner). */
void ntc_sock_op_init(struct ntc_sock_op *op, const struct ntc_sock_op_kind *kind,
                      struct ntc_socket *s, LPOVERLAPPED ov, int dir);
/*
 * Start op: try it now if its queue is empty, else (or if it would block) queue it. Returns 0 when
 * it completed synchronously (op->bytes set; the caller sets its outputs, then calls
 * ntc_sock_op_finish_sync), NTC_OP_AGAIN when queued (the op now belongs to the engine), or an
 * errno when it failed synchronously (the caller frees op with ntc_sock_op_free).
 */
int ntc_sock_op_start(struct ntc_sock_op *op);
/* Queue op on socket t (already locked by the caller, t != op->s): for NTC_OP_MOVED. Moves op's
 * queue reference to t. Returns 0, or an errno when t is closing or cannot be watched. */
int ntc_sock_op_move_locked(struct ntc_sock_op *op, struct ntc_socket *t);
/* Publish a synchronous success and free op. */
void ntc_sock_op_finish_sync(struct ntc_sock_op *op);
/* Free op without publishing anything. */
void ntc_sock_op_free(struct ntc_sock_op *op);

/* ConnectEx and DisconnectEx (connectex.c): reachable only through WSAIoctl, as on Windows. */
BOOL WINAPI ntc_connect_ex(SOCKET s, const struct sockaddr *name, int namelen, PVOID send_buf,
                           DWORD send_len, LPDWORD sent, LPOVERLAPPED ov);
BOOL WINAPI ntc_disconnect_ex(SOCKET s, LPOVERLAPPED ov, DWORD flags, DWORD reserved);

/* Stop watching s->fd (before its descriptor is replaced): the next queued op watches the new one.
 * Outside s->lock. */
void ntc_sock_io_unwatch(struct ntc_socket *s);
/* After a TF_DISCONNECT | TF_REUSE_SOCKET: give s a fresh descriptor so that AcceptEx or ConnectEx
 * can use it again (connectex.c). Outside s->lock. */
void ntc_sock_reset_for_reuse(struct ntc_socket *s);

/* The Win32 error that GetQueuedCompletionStatus reports for an errno of a socket operation. */
DWORD ntc_sock_op_win32_error(int e);
/* And back: the WSAE* code of such a Win32 error (WSAGetOverlappedResult). */
DWORD ntc_sock_wsa_from_win32(DWORD e);

#endif
