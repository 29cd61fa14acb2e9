/* Overlapped socket I/O: the per-socket operation queues, WSARecv / WSASend, cancel and close. */
#include "sockio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct ntc_sock_io {
    struct ntc_watch *watch; /* on s->fd, READ | WRITE, created with the first queued op */
    struct ntc_sock_op *head[2], *tail[2];
    bool closed; /* the last handle went: nothing may be queued any more */
    /* A stream socket's receive queue was empty at the last receive, and no readable edge came
     * since: a new receive is queued without trying, as the watch will report the next data. */
    bool drained;
};

/* A FIFO of finished operations, completed outside every lock. */
struct op_list {
    struct ntc_sock_op *head, *tail;
};

static void list_push(struct op_list *l, struct ntc_sock_op *op)
{
    op->next = NULL;
    if (l->tail)
        l->tail->next = op;
    else
        l->head = op;
    l->tail = op;
}

DWORD ntc_sock_op_win32_error(int e)
{
    /* Windows reports a reset connection as ERROR_NETNAME_DELETED; Linux says EPIPE for a send
     * after the peer's reset. */
    if (e == EPIPE)
        e = ECONNRESET;
    return ntc_win32_from_errno(e);
}

void ntc_sock_op_init(struct ntc_sock_op *op, const struct ntc_sock_op_kind *kind,
                      struct ntc_socket *s, LPOVERLAPPED ov, int dir)
{
    memset(op, 0, sizeof(*op));
    op->kind = kind;
    ntc_object_ref(&s->hdr);
    ntc_object_ref(&s->hdr);
    op->s = s;
    op->owner = s;
    op->ov = ov;
    op->thread = pthread_self();
    op->dir = dir;
}

void ntc_sock_op_free(struct ntc_sock_op *op)
{
    if (op->kind->release)
        op->kind->release(op);
    ntc_sock_put(op->s);
    ntc_sock_put(op->owner);
    free(op);
}

static void complete_async(struct ntc_sock_op *op)
{
    if (op->kind->before_publish)
        op->kind->before_publish(op);
    DWORD err = op->error ? ntc_sock_op_win32_error(op->error) : ERROR_SUCCESS;
    ntc_io_complete(&op->owner->target, op->ov, err, op->bytes, FALSE);
    ntc_sock_op_free(op);
}

static void complete_all(struct op_list *l)
{
    for (struct ntc_sock_op *op = l->head, *next; op; op = next) {
        next = op->next;
        complete_async(op);
    }
}

void ntc_sock_op_finish_sync(struct ntc_sock_op *op)
{
    if (op->kind->before_publish)
        op->kind->before_publish(op);
    ntc_io_complete(&op->owner->target, op->ov, ERROR_SUCCESS, op->bytes, TRUE);
    ntc_sock_op_free(op);
}

/* With s->lock held: retry the head of a queue until it would block; finished ones go to done. */
static void run_queue(struct ntc_sock_io *io, int dir, struct op_list *done)
{
    struct ntc_sock_op *op;
    while ((op = io->head[dir]) != NULL) {
        /* Read before the attempt: an op that moves to another socket's queue resets its next. */
        struct ntc_sock_op *next = op->next;
        int r = op->kind->attempt(op);
        if (r == NTC_OP_AGAIN)
            break;
        io->head[dir] = next;
        if (!io->head[dir])
            io->tail[dir] = NULL;
        /* A moved op is in the other socket's queue, under that socket's lock: hands off. */
        if (r == NTC_OP_MOVED)
            continue;
        op->error = r;
        list_push(done, op);
    }
}

/* The engine callback. s stays valid: its watch is freed before the object can go. */
static void on_ready(struct ntc_watch *w, unsigned events, void *arg)
{
    (void)w;
    struct ntc_socket *s = arg;
    struct op_list done = {NULL, NULL};
    pthread_mutex_lock(&s->lock);
    struct ntc_sock_io *io = s->io;
    if (io && (events & NTC_WATCH_READ))
        io->drained = false;
    if (io && !io->closed) {
        /* Both queues whatever the event: an error or hang-up concerns both directions. */
        run_queue(io, NTC_OP_READ, &done);
        run_queue(io, NTC_OP_WRITE, &done);
    }
    pthread_mutex_unlock(&s->lock);
    complete_all(&done);
}

/* With t->lock held: append op to t's queue, watching t->fd first if needed. */
static int enqueue_locked(struct ntc_socket *t, struct ntc_sock_op *op)
{
    struct ntc_sock_io *io = t->io;
    if (!io->watch) {
        io->watch = ntc_watch_new(t->fd, NTC_WATCH_READ | NTC_WATCH_WRITE, on_ready, t);
        if (!io->watch)
            return errno ? errno : ENOMEM;
        io->drained = false; /* learnt about the descriptor before this watch, if any */
    }
    op->next = NULL;
    if (io->tail[op->dir])
        io->tail[op->dir]->next = op;
    else
        io->head[op->dir] = op;
    io->tail[op->dir] = op;
    return 0;
}

/* With t->lock held: t's io state, created on first use; an errno when t cannot take work. */
static int usable_io_locked(struct ntc_socket *t)
{
    if (atomic_load(&t->state) & NTC_SOCK_CLOSING)
        return ENOTSOCK;
    if (!t->io) {
        t->io = calloc(1, sizeof(*t->io));
        if (!t->io)
            return ENOMEM;
    }
    return t->io->closed ? ENOTSOCK : 0;
}

int ntc_sock_op_start(struct ntc_sock_op *op)
{
    struct ntc_socket *s = op->s;
    pthread_mutex_lock(&s->lock);
    int r = usable_io_locked(s);
    if (r == 0 && s->io->head[op->dir] == NULL)
        r = op->kind->attempt(op);
    else if (r == 0)
        r = NTC_OP_AGAIN;
    if (r == NTC_OP_AGAIN) {
        int e = enqueue_locked(s, op);
        if (e)
            r = e;
    }
    pthread_mutex_unlock(&s->lock);
    return r == NTC_OP_MOVED ? NTC_OP_AGAIN : r;
}

int ntc_sock_op_move_locked(struct ntc_sock_op *op, struct ntc_socket *t)
{
    int r = usable_io_locked(t);
    if (r)
        return r;
    ntc_object_ref(&t->hdr);
    struct ntc_socket *old = op->s;
    op->s = t;
    r = enqueue_locked(t, op);
    if (r) {
        op->s = old;
        ntc_sock_put(t);
        return r;
    }
    /* The old queue socket is locked by our caller and still referenced by the owner field or
     * by its own handle, so this never drops the last reference. */
    ntc_sock_put(old);
    return 0;
}

/* With the lock held: move every op of io matching (ov, thread) to l. */
static bool take_matching(struct ntc_sock_io *io, LPOVERLAPPED ov, bool this_thread_only,
                          struct op_list *l)
{
    bool found = false;
    pthread_t self = pthread_self();
    for (int dir = 0; dir < 2; dir++) {
        struct ntc_sock_op **pp = &io->head[dir], *prev = NULL;
        while (*pp) {
            struct ntc_sock_op *op = *pp;
            if ((ov == NULL || op->ov == ov) &&
                (!this_thread_only || pthread_equal(op->thread, self))) {
                *pp = op->next;
                if (io->tail[dir] == op)
                    io->tail[dir] = prev;
                op->error = ECANCELED;
                list_push(l, op);
                found = true;
            } else {
                prev = op;
                pp = &op->next;
            }
        }
    }
    return found;
}

BOOL ntc_sock_io_cancel(struct ntc_socket *s, LPOVERLAPPED ov, BOOL this_thread_only)
{
    struct op_list l = {NULL, NULL};
    pthread_mutex_lock(&s->lock);
    bool found = s->io && take_matching(s->io, ov, this_thread_only, &l);
    pthread_mutex_unlock(&s->lock);
    complete_all(&l);
    return found;
}

void ntc_sock_io_close(struct ntc_socket *s)
{
    struct op_list l = {NULL, NULL};
    struct ntc_watch *w = NULL;
    pthread_mutex_lock(&s->lock);
    if (s->io) {
        s->io->closed = true;
        take_matching(s->io, NULL, false, &l);
        w = s->io->watch;
        s->io->watch = NULL;
    }
    pthread_mutex_unlock(&s->lock);
    /* Not under s->lock: freeing waits for a running callback, which takes that lock. */
    ntc_watch_free(w);
    complete_all(&l);
}

void ntc_sock_io_unwatch(struct ntc_socket *s)
{
    struct ntc_watch *w = NULL;
    pthread_mutex_lock(&s->lock);
    if (s->io) {
        w = s->io->watch;
        s->io->watch = NULL;
    }
    pthread_mutex_unlock(&s->lock);
    ntc_watch_free(w);
}

void ntc_sock_io_free(struct ntc_socket *s)
{
    if (!s->io)
        return;
    ntc_watch_free(s->io->watch);
    free(s->io);
    s->io = NULL;
}

/* ---- WSARecv / WSASend ------------------------------------------------------------------------
 */

struct buf_op {
    struct ntc_sock_op op;
    int wflags;
    unsigned n, idx; /* bufs[idx..n) remain (sends consume them as they go) */
    struct ntc_sys_buf bufs[];
};

static int would_block(void)
{
    return (errno == EAGAIN || errno == EWOULDBLOCK) ? NTC_OP_AGAIN : errno;
}

static int recv_attempt(struct ntc_sock_op *op)
{
    struct buf_op *b = (struct buf_op *)op;
    size_t total = 0;
    for (unsigned i = 0; i < b->n; i++)
        total += b->bufs[i].len;
    long r;
    if (total == 0) {
        /* A zero-byte receive completes when data (or the end) arrives, without consuming it. */
        char c;
        struct ntc_sys_buf peek = {&c, 1};
        r = ntc_sys_recvv(op->s->fd, &peek, 1, MSG_PEEK);
        if (r > 0)
            r = 0;
    } else {
        /* Only a plain stream receive with the socket watched learns anything from a short read:
         * TCP returns less than asked only when its queue ran empty, and every later arrival
         * raises a new edge. A datagram, a peek, the end of the stream or an error say nothing. */
        struct ntc_sock_io *io = op->s->io;
        bool learn = io->watch && op->s->type == SOCK_STREAM && b->wflags == 0;
        if (learn && io->drained)
            return NTC_OP_AGAIN;
        r = ntc_sys_recvv(op->s->fd, b->bufs, b->n, b->wflags);
        if (learn)
            io->drained = r < 0 ? would_block() == NTC_OP_AGAIN : r > 0 && (size_t)r < total;
    }
    if (r < 0)
        return would_block();
    op->bytes = (DWORD)r;
    return 0;
}

static int send_attempt(struct ntc_sock_op *op)
{
    struct buf_op *b = (struct buf_op *)op;
    /* An overlapped send completes only when all of it is buffered [WSASend]. */
    while (b->idx < b->n) {
        if (b->bufs[b->idx].len == 0) {
            b->idx++;
            continue;
        }
        long r = ntc_sys_sendv(op->s->fd, b->bufs + b->idx, b->n - b->idx, b->wflags);
        if (r < 0) {
            if (errno == EPIPE && (atomic_load(&op->s->state) & NTC_SOCK_SHUT_SEND))
                return ESHUTDOWN;
            return would_block();
        }
        op->bytes += (DWORD)r;
        size_t left = (size_t)r;
        while (left > 0 && b->idx < b->n) {
            struct ntc_sys_buf *x = &b->bufs[b->idx];
            size_t k = left < x->len ? left : x->len;
            x->base = (char *)x->base + k;
            x->len -= k;
            left -= k;
            if (x->len == 0)
                b->idx++;
        }
    }
    return 0;
}

static const struct ntc_sock_op_kind recv_kind = {recv_attempt, NULL, NULL};
static const struct ntc_sock_op_kind send_kind = {send_attempt, NULL, NULL};

/* Write a synchronous failure into ov without publishing it (no event, no packet). */
static void fail_sync(LPOVERLAPPED ov, int e)
{
    ov->Internal = ntc_status_from_error(ntc_sock_op_win32_error(e));
    ntc_set_wsa_errno(e == EPIPE ? ECONNRESET : e);
}

static int buf_io(struct ntc_socket *s, LPWSABUF bufs, DWORD n, LPDWORD bytes, LPDWORD flags,
                  DWORD wflags, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, int dir)
{
    if (cr) {
        /* Completion routines run as APCs in an alertable wait, which compat/ does not have
         * [WSARecv; WSASend]: use an event or a completion port. */
        SetLastError(WSAEOPNOTSUPP);
        return SOCKET_ERROR;
    }
    if ((n && !bufs) || !ov) {
        SetLastError(WSAEFAULT);
        return SOCKET_ERROR;
    }
    struct buf_op *b = malloc(sizeof(*b) + n * sizeof(b->bufs[0]));
    if (!b) {
        SetLastError(WSAENOBUFS);
        return SOCKET_ERROR;
    }
    ntc_sock_op_init(&b->op, dir == NTC_OP_READ ? &recv_kind : &send_kind, s, ov, dir);
    b->wflags = (int)wflags;
    b->n = n;
    b->idx = 0;
    for (DWORD i = 0; i < n; i++)
        b->bufs[i] = (struct ntc_sys_buf){bufs[i].buf, bufs[i].len};
    ntc_io_begin(ov);
    int r = ntc_sock_op_start(&b->op);
    if (r == 0) {
        /* Outputs first: once published, another thread may own ov and whatever holds it. */
        if (bytes)
            *bytes = b->op.bytes;
        if (flags)
            *flags = 0;
        ntc_sock_op_finish_sync(&b->op);
        SetLastError(ERROR_SUCCESS);
        return 0;
    }
    if (r == NTC_OP_AGAIN) {
        SetLastError(WSA_IO_PENDING);
        return SOCKET_ERROR;
    }
    ntc_sock_op_free(&b->op);
    fail_sync(ov, r);
    return SOCKET_ERROR;
}

int ntc_sock_recv_overlapped(struct ntc_socket *s, LPWSABUF bufs, DWORD n, LPDWORD bytes,
                             LPDWORD flags, LPWSAOVERLAPPED ov,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE cr)
{
    if (!flags) {
        SetLastError(WSAEFAULT);
        return SOCKET_ERROR;
    }
    return buf_io(s, bufs, n, bytes, flags, *flags, ov, cr, NTC_OP_READ);
}

int ntc_sock_send_overlapped(struct ntc_socket *s, LPWSABUF bufs, DWORD n, LPDWORD bytes,
                             DWORD flags, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr)
{
    return buf_io(s, bufs, n, bytes, NULL, flags, ov, cr, NTC_OP_WRITE);
}

/* ---- Errors -----------------------------------------------------------------------------------
 */

DWORD ntc_sock_wsa_from_win32(DWORD e)
{
    /* An invalid argument found while the operation runs is WSAEINVAL, not 87. */
    return e == ERROR_INVALID_PARAMETER ? WSAEINVAL : ntc_wsa_from_win32(e);
}
