/* Accept threads, one per listener: AcceptFilter connect | data (AcceptEx) or none (accept()).
 *
 * Test switch: NTMPM_TEST_ACCEPTEX_FAULTS=N in the server's environment makes the next N AcceptEx
 * calls of each child fail as if the provider had refused them (error WSAEINVAL), so the fallback
 * to 'AcceptFilter none' after more than 10 consecutive faults can be tested on every platform.
 */
#include "server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Outstanding AcceptEx per listener. data mode keeps many, so a few silent clients cannot block
 * accepting (httpd's one-per-listener design was Apache PR 59970). */
#define OPS_CONNECT 8
#define OPS_DATA 32
#define MAX_FAULTS 10
/* How often the data mode looks for silent clients. */
#define SILENT_CHECK_MS 250

struct accept_op {
    OVERLAPPED ov;
    HANDLE ev;
    struct conn *c; /* its buf is AcceptEx's output buffer */
    SOCKET acc;
    int pending;
    ULONGLONG connected_at; /* when SO_CONNECT_TIME first said "connected"; 0: not yet */
    int closed_silent;      /* we closed acc: the completion is ours */
};

struct acceptor {
    struct server *srv;
    struct mpm_listener *l;
    HANDLE thread;
    int data;
    int n_ops;
    int faults;
    LPFN_ACCEPTEX accept_ex;
    LPFN_GETACCEPTEXSOCKADDRS sockaddrs;
    struct accept_op ops[OPS_DATA];
};

void server_hand_off(struct server *srv, struct conn *c, DWORD bytes)
{
    LONG n = InterlockedIncrement(&srv->accepted);
    int max = srv->conf->max_connections_per_child;
    if (max > 0 && n == max && srv->recycle) {
        /* Keep accepting until the parent has a replacement ready and tells us to exit. */
        mpm_logf(CONFIG_LOG_NOTICE,
                 "Child: MaxConnectionsPerChild (%d) reached, asking for a "
                 "replacement",
                 max);
        SetEvent(srv->recycle);
    }
    conn_track(c);
    if (!PostQueuedCompletionStatus(srv->port, bytes, MPM_KEY_ACCEPTED, &c->ov)) {
        mpm_logf(CONFIG_LOG_ERR, "Child: could not queue a connection (%lu)",
                 (unsigned long)GetLastError());
    }
}

static void address_text(const struct sockaddr *sa, char *out, size_t size)
{
    int family = sa->sa_family;
    const void *addr = family == AF_INET6
                           ? (const void *)&((const SOCKADDR_IN6 *)(const void *)sa)->sin6_addr
                           : (const void *)&((const SOCKADDR_IN *)(const void *)sa)->sin_addr;
    /* An IPv4 client of a dual-stack listener arrives as ::ffff:a.b.c.d: logged as a.b.c.d, as
     * httpd (APR) shows it. */
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (family == AF_INET6 && memcmp(addr, mapped, sizeof(mapped)) == 0) {
        family = AF_INET;
        addr = (const unsigned char *)addr + sizeof(mapped);
    }
    if (!inet_ntop(family, addr, out, size))
        snprintf(out, size, "?");
}

/* The address a connection was accepted on (server-status, %A, redirects without Host). */
static void local_text(struct conn *c, const struct sockaddr *sa)
{
    address_text(sa, c->local, sizeof(c->local));
    c->local_port =
        ntohs(sa->sa_family == AF_INET6 ? ((const SOCKADDR_IN6 *)(const void *)sa)->sin6_port
                                        : ((const SOCKADDR_IN *)(const void *)sa)->sin_port);
}

static int get_ext(SOCKET s, GUID g, void *fn, size_t size)
{
    DWORD bytes = 0;
    /* Through the provider, as Microsoft recommends [AcceptEx]. */
    return WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof(g), fn, (DWORD)size, &bytes,
                    NULL, NULL);
}

/* ---- AcceptEx (connect and data) ---------------------------------------------------------- */

/* Start op. 0: pending or completed (check op->ev); -1: a fault. */
static int post(struct acceptor *a, struct accept_op *op)
{
    struct server *srv = a->srv;
    if (!op->c && !(op->c = conn_new(srv)))
        return -1;
    op->acc = WSASocketW(a->l->family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (op->acc == INVALID_SOCKET)
        return -1;
    memset(&op->ov, 0, sizeof(op->ov));
    op->ov.hEvent = op->ev;
    ResetEvent(op->ev);
    op->connected_at = 0;
    op->closed_silent = 0;
    if (InterlockedCompareExchange(&srv->inject_faults, 0, 0) > 0 &&
        InterlockedDecrement(&srv->inject_faults) >= 0) {
        closesocket(op->acc);
        op->acc = INVALID_SOCKET;
        WSASetLastError(WSAEINVAL);
        return -1;
    }
    DWORD got = 0;
    BOOL ok = a->accept_ex(a->l->s, op->acc, op->c->buf, a->data ? ACCEPT_DATA_LEN : 0,
                           ACCEPT_ADDR_LEN, ACCEPT_ADDR_LEN, &got, &op->ov);
    if (ok || WSAGetLastError() == ERROR_IO_PENDING) {
        /* A synchronous success also signals ev: one completion path. */
        op->pending = 1;
        return 0;
    }
    int err = WSAGetLastError();
    closesocket(op->acc);
    op->acc = INVALID_SOCKET;
    WSASetLastError(err);
    return -1;
}

static int is_reset(DWORD err)
{
    return err == ERROR_NETNAME_DELETED || err == WSAECONNRESET ||
           err == ERROR_CONNECTION_ABORTED || err == WSAECONNABORTED ||
           err == ERROR_OPERATION_ABORTED;
}

/* op's AcceptEx finished. Returns 1 when it counts as a fault. */
static int finish(struct acceptor *a, struct accept_op *op)
{
    DWORD bytes = 0;
    op->pending = 0;
    BOOL ok = GetOverlappedResult((HANDLE)a->l->s, &op->ov, &bytes, FALSE);
    DWORD err = ok ? 0 : GetLastError();
    if (ok && op->closed_silent)
        ok = FALSE, err = ERROR_OPERATION_ABORTED;
    if (!ok) {
        if (!op->closed_silent)
            closesocket(op->acc);
        op->acc = INVALID_SOCKET;
        return !is_reset(err);
    }
    struct conn *c = op->c;
    op->c = NULL;
    c->s = op->acc;
    op->acc = INVALID_SOCKET;
    setsockopt(c->s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (const char *)&a->l->s, sizeof(SOCKET));
    struct sockaddr *local = NULL, *remote = NULL;
    int llen = 0, rlen = 0;
    a->sockaddrs(c->buf, a->data ? ACCEPT_DATA_LEN : 0, ACCEPT_ADDR_LEN, ACCEPT_ADDR_LEN, &local,
                 &llen, &remote, &rlen);
    if (remote && rlen > 0)
        address_text(remote, c->client, sizeof(c->client));
    if (local && llen > 0)
        local_text(c, local);
    server_hand_off(a->srv, c, bytes);
    return 0;
}

/* data mode: close accept sockets whose client connected but sent nothing within TimeOut. */
static void close_silent(struct acceptor *a)
{
    ULONGLONG now = GetTickCount64();
    for (int i = 0; i < a->n_ops; i++) {
        struct accept_op *op = &a->ops[i];
        if (!op->pending || op->closed_silent)
            continue;
        DWORD secs = 0xFFFFFFFF;
        int len = sizeof(secs);
        if (getsockopt(op->acc, SOL_SOCKET, SO_CONNECT_TIME, (char *)&secs, &len) != 0 ||
            secs == 0xFFFFFFFF)
            continue;
        /* SO_CONNECT_TIME counts whole seconds (compat/ may report 0 throughout): also time it
         * from when we first saw the connection. */
        if (!op->connected_at)
            op->connected_at = now - (ULONGLONG)secs * 1000;
        if (now - op->connected_at >= a->srv->conf->timeout_ms) {
            op->closed_silent = 1;
            closesocket(op->acc); /* the AcceptEx completes with an error */
        }
    }
}

static int connected(struct accept_op *op)
{
    DWORD secs = 0xFFFFFFFF;
    int len = sizeof(secs);
    return getsockopt(op->acc, SOL_SOCKET, SO_CONNECT_TIME, (char *)&secs, &len) == 0 &&
           secs != 0xFFFFFFFF;
}

/* Returns 1 when the listener must fall back to accept(). */
static int run_acceptex(struct acceptor *a)
{
    struct server *srv = a->srv;
    a->n_ops = a->data ? OPS_DATA : OPS_CONNECT;
    for (int i = 0; i < a->n_ops; i++)
        a->ops[i].ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    int fallback = 0;
    HANDLE evs[OPS_DATA + 1];
    while (!server_stopping(srv) && !fallback) {
        for (int i = 0; i < a->n_ops && !fallback; i++) {
            struct accept_op *op = &a->ops[i];
            if (op->pending)
                continue;
            if (post(a, op) == 0)
                continue;
            if (++a->faults > MAX_FAULTS)
                fallback = 1;
        }
        if (fallback)
            break;
        evs[0] = srv->stop_accepting;
        int n = 1;
        for (int i = 0; i < a->n_ops; i++)
            if (a->ops[i].pending)
                evs[n++] = a->ops[i].ev;
        /* Nothing out (every post just failed): retry soon rather than wait forever. */
        DWORD ms = n == 1 ? 50 : a->data ? SILENT_CHECK_MS : INFINITE;
        DWORD w = WaitForMultipleObjects((DWORD)n, evs, FALSE, ms);
        if (w == WAIT_FAILED) {
            Sleep(10); /* never spin on a broken wait */
            continue;
        }
        for (int i = 0; i < a->n_ops; i++) {
            struct accept_op *op = &a->ops[i];
            if (op->pending && WaitForSingleObject(op->ev, 0) == WAIT_OBJECT_0) {
                if (finish(a, op))
                    a->faults++;
                else
                    a->faults = 0;
            }
        }
        if (a->data)
            close_silent(a);
    }
    if (fallback) {
        mpm_logf(CONFIG_LOG_ERR,
                 "Child: Encountered too many AcceptEx faults accepting client connections.");
        mpm_logf(CONFIG_LOG_NOTICE, "winnt_mpm: falling back to 'AcceptFilter none'.");
    }

    /* Stop: cancel the AcceptEx that hold no connection. A data-mode one whose client is already
     * connected keeps waiting for its first data (bounded by the silent check): it was accepted. */
    ULONGLONG until = GetTickCount64() + srv->conf->timeout_ms + 1000;
    for (;;) {
        int left = 0;
        for (int i = 0; i < a->n_ops; i++) {
            struct accept_op *op = &a->ops[i];
            if (!op->pending)
                continue;
            if (WaitForSingleObject(op->ev, 0) == WAIT_OBJECT_0) {
                finish(a, op);
                continue;
            }
            if (!(a->data && connected(op)))
                CancelIoEx((HANDLE)a->l->s, &op->ov);
            left++;
        }
        if (!left || GetTickCount64() >= until)
            break;
        if (a->data)
            close_silent(a);
        Sleep(20); /* cancelled operations complete promptly; this loop is bounded */
    }
    for (int i = 0; i < a->n_ops; i++) {
        struct accept_op *op = &a->ops[i];
        if (op->pending) {
            /* Still out after the bound: leave it to process exit. */
            continue;
        }
        if (op->c)
            conn_free(op->c);
        op->c = NULL;
        CloseHandle(op->ev);
    }
    return fallback && !server_stopping(srv);
}

/* ---- accept() (none, and the fallback) ------------------------------------------------------ */

static void run_accept(struct acceptor *a)
{
    struct server *srv = a->srv;
    /* Non-blocking: the other child may take a connection select() showed us. */
    u_long on = 1;
    ioctlsocket(a->l->s, FIONBIO, &on);
    while (!server_stopping(srv)) {
        fd_set r;
        FD_ZERO(&r);
        FD_SET(a->l->s, &r);
        struct timeval tv = {0, 200 * 1000};
        int n = select(0, &r, NULL, NULL, &tv);
        if (n <= 0)
            continue;
        SOCKADDR_STORAGE ss;
        int slen = sizeof(ss);
        SOCKET s = accept(a->l->s, (struct sockaddr *)&ss, &slen);
        if (s == INVALID_SOCKET)
            continue;
        u_long off = 0;
        ioctlsocket(s, FIONBIO, &off);
        struct conn *c = conn_new(srv);
        if (!c) {
            closesocket(s);
            continue;
        }
        c->s = s;
        address_text((struct sockaddr *)&ss, c->client, sizeof(c->client));
        SOCKADDR_STORAGE ls;
        int llen = sizeof(ls);
        if (getsockname(s, (struct sockaddr *)&ls, &llen) == 0)
            local_text(c, (struct sockaddr *)&ls);
        server_hand_off(srv, c, 0);
    }
}

static DWORD WINAPI acceptor_main(void *arg)
{
    struct acceptor *a = arg;
    int fallback = 0;
    if (a->l->mode != CONFIG_ACCEPT_NONE) {
        GUID ax = WSAID_ACCEPTEX, gs = WSAID_GETACCEPTEXSOCKADDRS;
        if (get_ext(a->l->s, ax, &a->accept_ex, sizeof(a->accept_ex)) != 0 ||
            get_ext(a->l->s, gs, &a->sockaddrs, sizeof(a->sockaddrs)) != 0) {
            mpm_logf(CONFIG_LOG_ERR, "Child: AcceptEx is not available (%d)", WSAGetLastError());
            fallback = 1;
        } else {
            fallback = run_acceptex(a);
        }
    }
    if (a->l->mode == CONFIG_ACCEPT_NONE || fallback)
        run_accept(a);
    return 0;
}

int acceptors_start(struct server *srv)
{
    srv->acceptors = calloc(srv->n_listeners ? srv->n_listeners : 1, sizeof(*srv->acceptors));
    if (!srv->acceptors)
        return -1;
    for (size_t i = 0; i < srv->n_listeners; i++) {
        struct acceptor *a = &srv->acceptors[i];
        a->srv = srv;
        a->l = &srv->listeners[i];
        a->data = a->l->mode == CONFIG_ACCEPT_DATA;
        a->thread = CreateThread(NULL, 0, acceptor_main, a, 0, NULL);
        if (!a->thread) {
            mpm_logf(CONFIG_LOG_CRIT, "Child: could not start an accept thread (%lu)",
                     (unsigned long)GetLastError());
            return -1;
        }
    }
    return 0;
}

int acceptors_join(struct server *srv, DWORD ms)
{
    int all = 1;
    for (size_t i = 0; i < srv->n_listeners; i++) {
        struct acceptor *a = &srv->acceptors[i];
        /* One that is still out keeps its handle: server_stop reports it. */
        if (a->thread && WaitForSingleObject(a->thread, ms) == WAIT_OBJECT_0) {
            CloseHandle(a->thread);
            a->thread = NULL;
        }
        all &= a->thread == NULL;
    }
    return all;
}
