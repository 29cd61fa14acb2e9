/* TransmitFile: head buffer, file (over sendfile(2), never read into memory), tail buffer. */
#include "sockio.h"
#include "sendfile_sys.h"

#include <errno.h>
#include <stdlib.h>

struct tf_op {
    struct ntc_sock_op op;
    struct ntc_object *file; /* a reference, or NULL when only buffers are sent */
    int fd;
    int64_t offset;
    bool use_position;          /* synchronous calls send from (and advance) the file pointer */
    bool whole_file;            /* nNumberOfBytesToWrite == 0: up to the end of the file */
    uint64_t remaining;         /* of the file part, when !whole_file */
    struct ntc_sys_buf part[2]; /* head, tail: consumed as they are sent */
    int stage;                  /* 0 head, 1 file, 2 tail, 3 done */
    DWORD flags;
};

static int again_or(int e)
{
    return (e == EAGAIN || e == EWOULDBLOCK) ? NTC_OP_AGAIN : e;
}

/* Send what is left of a buffer; 0 when it is all gone. With more_follows the kernel holds the
 * bytes for the file behind them: Windows sends head and file as one stream, and a lone small
 * segment would otherwise wait out the client's delayed ACK (Nagle) before the file goes. */
static int send_part(struct tf_op *t, struct ntc_sys_buf *b, bool more_follows)
{
    while (b->len > 0) {
        long r = more_follows ? ntc_sys_sendv_more(t->op.s->fd, b, 1)
                              : ntc_sys_sendv(t->op.s->fd, b, 1, 0);
        if (r < 0)
            return again_or(errno);
        b->base = (char *)b->base + r;
        b->len -= (size_t)r;
        t->op.bytes += (DWORD)r;
    }
    return 0;
}

static int send_file(struct tf_op *t)
{
    while (t->fd >= 0 && (t->whole_file || t->remaining > 0)) {
        size_t chunk = 1u << 30;
        if (!t->whole_file && t->remaining < chunk)
            chunk = (size_t)t->remaining;
        long r = ntc_sys_sendfile(t->op.s->fd, t->fd, t->use_position ? NULL : &t->offset, chunk);
        if (r < 0)
            return again_or(errno);
        if (r == 0)
            break; /* the end of the file came first */
        t->op.bytes += (DWORD)r;
        if (!t->whole_file)
            t->remaining -= (uint64_t)r;
    }
    return 0;
}

static int tf_attempt(struct ntc_sock_op *op)
{
    struct tf_op *t = (struct tf_op *)op;
    int r = 0;
    while (r == 0 && t->stage < 3) {
        if (t->stage == 0)
            r = send_part(t, &t->part[0],
                          (t->fd >= 0 && (t->whole_file || t->remaining > 0)) ||
                              t->part[1].len > 0);
        else if (t->stage == 1)
            r = send_file(t);
        else
            r = send_part(t, &t->part[1], false);
        if (r == 0)
            t->stage++;
    }
    if (r == EPIPE && (atomic_load(&op->s->state) & NTC_SOCK_SHUT_SEND))
        return ESHUTDOWN;
    if (r == 0 && (t->flags & (TF_DISCONNECT | TF_REUSE_SOCKET))) {
        ntc_sys_shutdown(op->s->fd, SD_SEND);
        atomic_fetch_or(&op->s->state, NTC_SOCK_SHUT_SEND);
    }
    return r;
}

static void tf_release(struct ntc_sock_op *op)
{
    struct tf_op *t = (struct tf_op *)op;
    if (t->file)
        ntc_object_unref(t->file);
}

static void tf_before_publish(struct ntc_sock_op *op)
{
    struct tf_op *t = (struct tf_op *)op;
    if (op->error == 0 && (t->flags & TF_REUSE_SOCKET))
        ntc_sock_reset_for_reuse(op->s);
}

static const struct ntc_sock_op_kind tf_kind = {tf_attempt, tf_release, tf_before_publish};

/* Returns ERROR_SUCCESS, ERROR_IO_PENDING, or a WSAE* code. */
static DWORD transmit(SOCKET hSocket, HANDLE hFile, DWORD nbytes, LPOVERLAPPED ov,
                      bool use_position, LPTRANSMIT_FILE_BUFFERS tb, DWORD flags)
{
    struct ntc_socket *s = ntc_sock_get(hSocket);
    if (!s)
        return WSAENOTSOCK;
    struct ntc_object *file = NULL;
    int fd = -1;
    if (hFile) {
        file = ntc_handle_get(hFile, NTC_T_FILE);
        fd = file ? ntc_file_fd(file) : -1;
        if (fd < 0) {
            if (file)
                ntc_object_unref(file);
            ntc_sock_put(s);
            return WSAEINVAL;
        }
    }
    struct tf_op *t = calloc(1, sizeof(*t));
    if (!t) {
        if (file)
            ntc_object_unref(file);
        ntc_sock_put(s);
        return WSAENOBUFS;
    }
    ntc_sock_op_init(&t->op, &tf_kind, s, ov, NTC_OP_WRITE);
    ntc_sock_put(s);
    t->file = file;
    t->fd = fd;
    t->use_position = use_position;
    t->offset = ((int64_t)ov->OffsetHigh << 32) | ov->Offset;
    t->whole_file = nbytes == 0;
    t->remaining = nbytes;
    /* Ask sendfile(2) for exactly what is left of the file: with a larger count the kernel marks
     * the last chunk "more to come" too and holds it back, like a corked socket. A count the caller
     * gives is trusted without an fstat (servers pass the size they just measured): one beyond
     * the end of the file only delays the last segment. */
    int64_t left =
        fd >= 0 && t->whole_file ? ntc_sys_file_left(fd, use_position ? NULL : &t->offset) : -1;
    if (left >= 0 && (t->whole_file || (uint64_t)left < t->remaining)) {
        t->whole_file = false;
        t->remaining = (uint64_t)left;
    }
    t->flags = flags;
    if (tb) {
        t->part[0] = (struct ntc_sys_buf){tb->Head, tb->Head ? tb->HeadLength : 0};
        t->part[1] = (struct ntc_sys_buf){tb->Tail, tb->Tail ? tb->TailLength : 0};
    }
    ntc_io_begin(ov);
    int r = ntc_sock_op_start(&t->op);
    if (r == 0) {
        ntc_sock_op_finish_sync(&t->op);
        return ERROR_SUCCESS;
    }
    if (r == NTC_OP_AGAIN)
        return ERROR_IO_PENDING;
    ntc_sock_op_free(&t->op);
    ov->Internal = ntc_status_from_error(ntc_sock_op_win32_error(r));
    return ntc_wsa_from_errno(r == EPIPE ? ECONNRESET : r);
}

/* nNumberOfBytesPerSend only tunes Windows' send sizes: sendfile(2) picks its own. */
BOOL WINAPI TransmitFile(SOCKET hSocket, HANDLE hFile, DWORD nNumberOfBytesToWrite,
                         DWORD nNumberOfBytesPerSend, LPOVERLAPPED lpOverlapped,
                         LPTRANSMIT_FILE_BUFFERS lpTransmitBuffers, DWORD dwReserved)
{
    (void)nNumberOfBytesPerSend;
    DWORD err;
    if (lpOverlapped) {
        err = transmit(hSocket, hFile, nNumberOfBytesToWrite, lpOverlapped, false,
                       lpTransmitBuffers, dwReserved);
    } else {
        /* Without an OVERLAPPED the call blocks and sends from the file pointer: run it on a
         * private one whose event low bit keeps it away from any port, and wait for it. */
        OVERLAPPED own = {0};
        own.hEvent = (HANDLE)1;
        err = transmit(hSocket, hFile, nNumberOfBytesToWrite, &own, true, lpTransmitBuffers,
                       dwReserved);
        if (err == ERROR_IO_PENDING) {
            DWORD bytes;
            err = GetOverlappedResult(NULL, &own, &bytes, TRUE)
                      ? ERROR_SUCCESS
                      : ntc_sock_wsa_from_win32(GetLastError());
        }
    }
    SetLastError(err);
    return err == ERROR_SUCCESS;
}
