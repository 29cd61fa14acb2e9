/* The control channel between a parent and a child: wire transport, inheritance, the broker. */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/*
 * The channel is a SOCK_SEQPACKET unix socket pair made by CreateProcess; the child's end reaches
 * it through the NTCOMPAT_CHANNEL environment variable. Before the child's main() runs, a
 * constructor receives the inherited handles (each at its value in the parent) and then starts a
 * broker thread that enters the objects the parent pushes later (DuplicateHandle into the child,
 * WSADuplicateSocket) and replies with their values. Descriptors travel with SCM_RIGHTS.
 */

#define CHANNEL_VAR "NTCOMPAT_CHANNEL"

BOOL ntc_channel_export(struct ntc_object *o, struct ntc_wire *w)
{
    memset(w, 0, sizeof(*w));
    if (!o->ops->export_wire) {
        SetLastError(ERROR_NOT_SUPPORTED);
        return FALSE;
    }
    if (!o->ops->export_wire(o, w))
        return FALSE;
    if (w->nfds > NTC_WIRE_MAXFDS || w->len > NTC_WIRE_DATA) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return TRUE;
}

/* Wait until fd is ready for events within ms (INFINITE: forever); FALSE with WAIT_TIMEOUT. */
static BOOL wait_ready(int fd, short events, DWORD ms)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        int timeout = -1;
        if (ms != INFINITE) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            long long spent =
                (now.tv_sec - start.tv_sec) * 1000LL + (now.tv_nsec - start.tv_nsec) / 1000000LL;
            timeout = spent >= (long long)ms ? 0 : (int)((long long)ms - spent);
        }
        struct pollfd p = {fd, events, 0};
        int r = poll(&p, 1, timeout);
        if (r > 0)
            return TRUE;
        if (r == 0) {
            SetLastError(WAIT_TIMEOUT);
            return FALSE;
        }
        if (errno != EINTR) {
            ntc_set_error_errno(errno);
            return FALSE;
        }
    }
}

/* Bound on sending one message: a peer that is no compat program never reads its end. */
#define SEND_TIMEOUT_MS 10000

BOOL ntc_channel_send(int fd, const struct ntc_msg *msg)
{
    struct iovec iov = {(void *)msg, sizeof(*msg)};
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int) * NTC_WIRE_MAXFDS)];
    } ctl;
    memset(&ctl, 0, sizeof(ctl));
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
    uint32_t nfds = msg->wire.nfds;
    if (nfds > NTC_WIRE_MAXFDS) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (nfds > 0) {
        mh.msg_control = ctl.buf;
        mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
        memcpy(CMSG_DATA(c), msg->wire.fds, sizeof(int) * nfds);
    }
    for (;;) {
        ssize_t r = sendmsg(fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (r >= 0)
            return TRUE;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN) {
            if (!wait_ready(fd, POLLOUT, SEND_TIMEOUT_MS))
                return FALSE;
            continue;
        }
        SetLastError(errno == EPIPE || errno == ECONNRESET ? ERROR_BROKEN_PIPE
                                                           : ntc_win32_from_errno(errno));
        return FALSE;
    }
}

BOOL ntc_channel_recv(int fd, struct ntc_msg *msg, DWORD ms)
{
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int) * NTC_WIRE_MAXFDS)];
    } ctl;
    for (;;) {
        if (!wait_ready(fd, POLLIN, ms))
            return FALSE;
        struct iovec iov = {msg, sizeof(*msg)};
        struct msghdr mh = {.msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = ctl.buf,
                            .msg_controllen = sizeof(ctl.buf)};
        ssize_t r = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
        if (r < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (r < 0) {
            SetLastError(errno == ECONNRESET ? ERROR_BROKEN_PIPE : ntc_win32_from_errno(errno));
            return FALSE;
        }
        if (r == 0) {
            SetLastError(ERROR_BROKEN_PIPE);
            return FALSE;
        }
        /* Collect the descriptors first so that none leaks when the message is malformed. */
        int fds[NTC_WIRE_MAXFDS];
        uint32_t nfds = 0;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
            if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                continue;
            size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (size_t i = 0; i < n; i++) {
                int f;
                memcpy(&f, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
                if (nfds < NTC_WIRE_MAXFDS)
                    fds[nfds++] = f;
                else
                    close(f);
            }
        }
        if ((size_t)r != sizeof(*msg) || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
            msg->wire.len > NTC_WIRE_DATA) {
            for (uint32_t i = 0; i < nfds; i++)
                close(fds[i]);
            SetLastError(ERROR_INVALID_DATA);
            return FALSE;
        }
        msg->wire.nfds = nfds;
        memcpy(msg->wire.fds, fds, sizeof(int) * nfds);
        return TRUE;
    }
}

/* ---- the parent: inheritance ------------------------------------------------------------------
 */

struct inherit_list {
    HANDLE *values;
    struct ntc_object **objs;
    size_t n, cap;
};

static void collect(HANDLE h, struct ntc_object *o, void *arg)
{
    struct inherit_list *l = arg;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        HANDLE *v = realloc(l->values, cap * sizeof(*v));
        if (v)
            l->values = v;
        struct ntc_object **ob = realloc(l->objs, cap * sizeof(*ob));
        if (ob)
            l->objs = ob;
        if (!v || !ob)
            return; /* out of memory: this handle is not inherited */
        l->cap = cap;
    }
    ntc_object_ref(o);
    l->values[l->n] = h;
    l->objs[l->n++] = o;
}

BOOL ntc_channel_send_inherited(int fd, BOOL inherit)
{
    struct inherit_list l = {0};
    if (inherit)
        ntc_handle_foreach_inheritable(collect, &l);
    BOOL ok = TRUE;
    for (size_t i = 0; i < l.n; i++) {
        struct ntc_msg msg;
        memset(&msg, 0, sizeof(msg));
        /* An object that cannot cross processes is simply not inherited. */
        if (ok && ntc_channel_export(l.objs[i], &msg.wire)) {
            msg.kind = NTC_MSG_INHERIT;
            msg.inherit = 1;
            msg.value = (uint64_t)(UINT_PTR)l.values[i];
            ok = ntc_channel_send(fd, &msg);
        }
        ntc_object_unref(l.objs[i]);
    }
    free(l.values);
    free(l.objs);
    if (!ok)
        return FALSE;
    struct ntc_msg end;
    memset(&end, 0, sizeof(end));
    end.kind = NTC_MSG_INHERIT_END;
    return ntc_channel_send(fd, &end);
}

/* ---- the child: receiving and the broker ------------------------------------------------------
 */

/* Rebuild an object from a received wire description; NULL with the last error set. */
static struct ntc_object *import(struct ntc_wire *w)
{
    const struct ntc_ops *ops = ntc_ops_of_type((enum ntc_type)w->type);
    if (!ops || !ops->import_wire) {
        for (uint32_t i = 0; i < w->nfds; i++)
            close(w->fds[i]);
        SetLastError(ERROR_NOT_SUPPORTED);
        return NULL;
    }
    return ops->import_wire(w);
}

static void *broker_main(void *arg)
{
    int fd = (int)(INT_PTR)arg;
    struct ntc_msg msg;
    while (ntc_channel_recv(fd, &msg, INFINITE)) {
        if (msg.kind != NTC_MSG_PUSH) {
            for (uint32_t i = 0; i < msg.wire.nfds; i++)
                close(msg.wire.fds[i]);
            continue;
        }
        struct ntc_msg reply;
        memset(&reply, 0, sizeof(reply));
        reply.kind = NTC_MSG_PUSH_REPLY;
        reply.seq = msg.seq;
        struct ntc_object *o = import(&msg.wire);
        HANDLE h = o ? ntc_handle_alloc(o, msg.inherit != 0) : NULL;
        if (o && !h)
            ntc_object_unref(o);
        reply.value = (uint64_t)(UINT_PTR)h;
        reply.error = h ? 0 : GetLastError();
        if (!ntc_channel_send(fd, &reply) && h)
            ntc_handle_close(h); /* nobody will learn the value: do not leak the object */
    }
    /* The parent closed its end or ended. */
    close(fd);
    return NULL;
}

/* Bound on the whole inheritance exchange: the parent sends it right after the exec. */
#define INHERIT_TIMEOUT_MS 30000

void ntc_channel_init_child(void)
{
    const char *v = getenv(CHANNEL_VAR);
    if (!v)
        return;
    char *end;
    long fd = strtol(v, &end, 10);
    /* The variable belongs to compat/: a Windows program never sees it [GetEnvironmentVariable]. */
    unsetenv(CHANNEL_VAR);
    int type = 0;
    socklen_t len = sizeof(type);
    if (*end || fd < 3 || fd > 0x7fffffff ||
        getsockopt((int)fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_SEQPACKET)
        return;
    /* Our own children get their own channel, not this one. */
    fcntl((int)fd, F_SETFD, FD_CLOEXEC);
    struct ntc_msg msg;
    while (ntc_channel_recv((int)fd, &msg, INHERIT_TIMEOUT_MS)) {
        if (msg.kind == NTC_MSG_INHERIT_END)
            break;
        if (msg.kind != NTC_MSG_INHERIT) {
            for (uint32_t i = 0; i < msg.wire.nfds; i++)
                close(msg.wire.fds[i]);
            continue;
        }
        struct ntc_object *o = import(&msg.wire);
        if (o && !ntc_handle_alloc_at((HANDLE)(UINT_PTR)msg.value, o, TRUE))
            ntc_object_unref(o);
    }
    SetLastError(0);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    /* Signals belong to the program's threads, never to the broker. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_t t;
    if (pthread_create(&t, &attr, broker_main, (void *)(INT_PTR)fd) != 0)
        close((int)fd);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
}
