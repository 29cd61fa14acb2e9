/* ConnectEx (non-blocking connect + optional first send), DisconnectEx, and socket reuse. */
#include "sockio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct connect_op {
    struct ntc_sock_op op;
    bool started; /* connect(2) has been issued */
    SOCKADDR_STORAGE addr;
    int addrlen;
    struct ntc_sys_buf data; /* consumed as it is sent */
};

static int again_or(int e)
{
    return (e == EAGAIN || e == EWOULDBLOCK || e == EINPROGRESS) ? NTC_OP_AGAIN : e;
}

/* Is the connection of fd established? 0 yes, NTC_OP_AGAIN not yet, else its error. */
static int connected(int fd)
{
    int e = ntc_sys_sock_error(fd);
    if (e != 0)
        return e < 0 ? errno : e;
    SOCKADDR_STORAGE peer;
    int len = (int)sizeof(peer);
    if (ntc_sys_getpeername(fd, &peer, &len) == 0)
        return 0;
    return errno == ENOTCONN ? NTC_OP_AGAIN : errno;
}

static int connect_attempt(struct ntc_sock_op *op)
{
    struct connect_op *c = (struct connect_op *)op;
    struct ntc_socket *s = op->s;
    int r;
    if (!c->started) {
        c->started = true;
        atomic_fetch_or(&s->state, NTC_SOCK_CONNECTING);
        r = ntc_sys_connect(s->fd, &c->addr, c->addrlen) == 0 ? 0 : again_or(errno);
    } else {
        r = connected(s->fd);
    }
    if (r == 0 && (atomic_load(&s->state) & NTC_SOCK_CONNECTING)) {
        atomic_fetch_and(&s->state, ~NTC_SOCK_CONNECTING);
        atomic_fetch_or(&s->state, NTC_SOCK_CONNECTED);
    } else if (r != 0 && r != NTC_OP_AGAIN) {
        atomic_fetch_and(&s->state, ~NTC_SOCK_CONNECTING);
        return r;
    }
    while (r == 0 && c->data.len > 0) {
        long n = ntc_sys_sendv(s->fd, &c->data, 1, 0);
        if (n < 0)
            return again_or(errno);
        c->data.base = (char *)c->data.base + n;
        c->data.len -= (size_t)n;
        op->bytes += (DWORD)n;
    }
    return r;
}

static const struct ntc_sock_op_kind connect_kind = {connect_attempt, NULL, NULL};

static DWORD connect_ex(SOCKET so, const struct sockaddr *name, int namelen, PVOID send_buf,
                        DWORD send_len, LPDWORD sent, LPOVERLAPPED ov)
{
    if (!ov)
        return WSA_INVALID_PARAMETER;
    ntc_io_begin(ov);
    struct ntc_socket *s = ntc_sock_get(so);
    if (!s)
        return WSAENOTSOCK;
    unsigned st = atomic_load(&s->state);
    DWORD err = ERROR_SUCCESS;
    if (!name || namelen <= 0 || namelen > (int)sizeof(SOCKADDR_STORAGE))
        err = WSAEFAULT;
    else if (st & (NTC_SOCK_CONNECTED | NTC_SOCK_ACCEPTED))
        err = WSAEISCONN;
    else if (!(st & NTC_SOCK_BOUND) || (st & NTC_SOCK_LISTENING))
        err = WSAEINVAL; /* ConnectEx requires a bound socket [ConnectEx] */
    struct connect_op *c = err ? NULL : calloc(1, sizeof(*c));
    if (!err && !c)
        err = WSAENOBUFS;
    if (err) {
        ntc_sock_put(s);
        return err;
    }
    ntc_sock_op_init(&c->op, &connect_kind, s, ov, NTC_OP_WRITE);
    ntc_sock_put(s);
    memcpy(&c->addr, name, (size_t)namelen);
    c->addrlen = namelen;
    c->data = (struct ntc_sys_buf){send_buf, send_buf ? send_len : 0};
    int r = ntc_sock_op_start(&c->op);
    if (r == 0) {
        if (sent)
            *sent = c->op.bytes;
        ntc_sock_op_finish_sync(&c->op);
        return ERROR_SUCCESS;
    }
    if (r == NTC_OP_AGAIN)
        return ERROR_IO_PENDING;
    ntc_sock_op_free(&c->op);
    ov->Internal = ntc_status_from_error(ntc_sock_op_win32_error(r));
    return ntc_wsa_from_errno(r);
}

BOOL WINAPI ntc_connect_ex(SOCKET s, const struct sockaddr *name, int namelen, PVOID send_buf,
                           DWORD send_len, LPDWORD sent, LPOVERLAPPED ov)
{
    DWORD err = connect_ex(s, name, namelen, send_buf, send_len, sent, ov);
    SetLastError(err);
    return err == ERROR_SUCCESS;
}

void ntc_sock_reset_for_reuse(struct ntc_socket *s)
{
    int fd = ntc_sys_socket(s->family, s->type, s->protocol);
    if (fd < 0)
        return; /* the socket stays as it is: a later AcceptEx or ConnectEx will fail on it */
    ntc_sock_io_unwatch(s);
    ntc_sock_adopt_fd(s, fd);
    const unsigned used = NTC_SOCK_BOUND | NTC_SOCK_LISTENING | NTC_SOCK_CONNECTING |
                          NTC_SOCK_CONNECTED | NTC_SOCK_SHUT_RECV | NTC_SOCK_SHUT_SEND |
                          NTC_SOCK_ACCEPTED | NTC_SOCK_ACCEPT_CTX | NTC_SOCK_CONNECT_CTX;
    atomic_fetch_and(&s->state, ~used);
}

/* Completes at once: the FIN is queued by shutdown(2); compat/ does not wait for the peer's. */
BOOL WINAPI ntc_disconnect_ex(SOCKET so, LPOVERLAPPED ov, DWORD flags, DWORD reserved)
{
    if (reserved) {
        SetLastError(WSAEINVAL);
        return FALSE;
    }
    struct ntc_socket *s = ntc_sock_get(so);
    if (!s)
        return FALSE;
    if (!(atomic_load(&s->state) & (NTC_SOCK_CONNECTED | NTC_SOCK_ACCEPTED))) {
        ntc_sock_put(s);
        SetLastError(WSAENOTCONN);
        return FALSE;
    }
    ntc_sys_shutdown(s->fd, SD_SEND);
    atomic_fetch_or(&s->state, NTC_SOCK_SHUT_SEND);
    if (flags & TF_REUSE_SOCKET)
        ntc_sock_reset_for_reuse(s);
    if (ov) {
        ntc_io_begin(ov);
        ntc_io_complete(&s->target, ov, ERROR_SUCCESS, 0, TRUE);
    }
    ntc_sock_put(s);
    SetLastError(ERROR_SUCCESS);
    return TRUE;
}
