/* One connection's life on the completion port: read a request, send the answer, wait for the next.
 */
#include "server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Ownership: a connection belongs either to a worker (running here) or, while an overlapped
 * operation is out, to the completion port. Nothing else touches it except the timer, which only
 * cancels an operation past its deadline, under c->lock, while the live list keeps c alive.
 * Synchronous completions are handled inline (FILE_SKIP_COMPLETION_PORT_ON_SUCCESS), so an idle
 * keep-alive connection costs no thread: just a posted WSARecv.
 *
 * The HTTP work is src/http's (http.h's loop): parse -> prepare -> send -> log -> release.
 */

/* TransmitFile sends at most 2^31 - 2 bytes a call [TransmitFile]: larger bodies go in pieces. */
#define TRANSMIT_MAX (1u << 30)

struct conn *conn_new(struct server *srv)
{
    EnterCriticalSection(&srv->pool_lock);
    struct conn *c = srv->pool;
    if (c)
        srv->pool = c->next;
    LeaveCriticalSection(&srv->pool_lock);
    if (!c) {
        c = malloc(sizeof(*c));
        if (!c)
            return NULL;
    }
    memset(c, 0, offsetof(struct conn, plan));
    memset(&c->have_plan, 0, offsetof(struct conn, inline_buf) - offsetof(struct conn, have_plan));
    c->srv = srv;
    c->s = INVALID_SOCKET;
    c->buf = c->inline_buf;
    c->cap = CONN_BUF;
    c->plan.file = INVALID_HANDLE_VALUE;
    InitializeSRWLock(&c->lock);
    return c;
}

void conn_free(struct conn *c)
{
    struct server *srv = c->srv;
    if (c->buf != c->inline_buf)
        free(c->buf);
    c->buf = c->inline_buf;
    EnterCriticalSection(&srv->pool_lock);
    c->next = srv->pool;
    srv->pool = c;
    LeaveCriticalSection(&srv->pool_lock);
}

void conn_track(struct conn *c)
{
    struct server *srv = c->srv;
    AcquireSRWLockExclusive(&srv->list_lock);
    c->prev = NULL;
    c->next = srv->live;
    if (srv->live)
        srv->live->prev = c;
    srv->live = c;
    InterlockedIncrement(&srv->n_live);
    ReleaseSRWLockExclusive(&srv->list_lock);
}

static void conn_close(struct conn *c)
{
    struct server *srv = c->srv;
    AcquireSRWLockExclusive(&srv->list_lock);
    if (c->prev)
        c->prev->next = c->next;
    else
        srv->live = c->next;
    if (c->next)
        c->next->prev = c->prev;
    ReleaseSRWLockExclusive(&srv->list_lock);
    if (c->have_plan) {
        http_plan_release(&c->plan);
        c->have_plan = 0;
    }
    if (c->s != INVALID_SOCKET) {
        /* Send our FIN after the answer instead of a reset when the peer has nothing unread. */
        shutdown(c->s, SD_SEND);
        closesocket(c->s);
    }
    conn_free(c);
    if (InterlockedDecrement(&srv->n_live) == 0 && server_stopping(srv))
        SetEvent(srv->idle);
}

/* Mark an operation out (or back) for the timer. Returns whether the timer cancelled the one that
 * just came back. */
static int set_pending(struct conn *c, int pending, int idle, DWORD timeout_ms)
{
    AcquireSRWLockExclusive(&c->lock);
    int timed_out = c->timed_out;
    c->pending = pending;
    c->idle = idle;
    c->timed_out = 0;
    c->deadline = GetTickCount64() + timeout_ms;
    ReleaseSRWLockExclusive(&c->lock);
    return timed_out;
}

static void reset_ov(struct conn *c)
{
    memset(&c->ov, 0, sizeof(c->ov));
}

/* A previous request's body is still being skipped. */
static int in_body(const struct conn *c)
{
    return c->http.body_left > 0 || c->http.chunk_state != 0;
}

static struct http_env env_of(struct conn *c)
{
    struct server *srv = c->srv;
    struct http_env env;
    env.conf = srv->conf;
    env.client_ip = c->client;
    env.local_ip = c->local;
    env.local_port = c->local_port;
    env.may_keep_alive = !server_stopping(srv);
    env.status_snapshot = server_status_snapshot;
    env.status_ctx = srv;
    return env;
}

/* Drop the first n bytes of buf (a request answered, a body skipped). Back to the inline buffer
 * once what is left fits it. */
static void drop(struct conn *c, size_t n)
{
    if (n > c->len)
        n = c->len;
    c->len -= n;
    if (c->buf != c->inline_buf && c->len <= CONN_BUF) {
        memcpy(c->inline_buf, c->buf + n, c->len);
        free(c->buf);
        c->buf = c->inline_buf;
        c->cap = CONN_BUF;
    } else if (c->len > 0 && n > 0) {
        memmove(c->buf, c->buf + n, c->len);
    }
}

/* Room for a head that does not fit yet. 0, or -1 (out of memory). */
static int grow(struct conn *c)
{
    size_t max = c->srv->head_max > CONN_BUF ? c->srv->head_max : CONN_BUF;
    size_t cap = c->cap * 2 > max ? max : c->cap * 2;
    char *b = malloc(cap);
    if (!b)
        return -1;
    memcpy(b, c->buf, c->len);
    if (c->buf != c->inline_buf)
        free(c->buf);
    c->buf = b;
    c->cap = cap;
    return 0;
}

/* Post a receive. 1: data arrived synchronously (c->len grew); 0: pending; -1: close. */
static int post_recv(struct conn *c)
{
    struct server *srv = c->srv;
    int idle = c->len == 0 && c->http.requests > 0 && !in_body(c);
    if (idle && server_stopping(srv))
        return -1; /* a quiescing child closes idle keep-alive connections */
    c->phase = PH_READ;
    c->wb[0].buf = c->buf + c->len;
    c->wb[0].len = (ULONG)(c->cap - c->len);
    c->flags = 0;
    reset_ov(c);
    set_pending(c, 1, idle, idle ? srv->conf->keep_alive_timeout_ms : srv->conf->timeout_ms);
    DWORD got = 0;
    int rc = WSARecv(c->s, c->wb, 1, &got, &c->flags, &c->ov, NULL);
    if (rc == 0) {
        set_pending(c, 0, 0, 0);
        if (got == 0)
            return -1;
        c->len += got;
        return 1;
    }
    if (WSAGetLastError() == WSA_IO_PENDING)
        return 0;
    set_pending(c, 0, 0, 0);
    return -1;
}

/* Lingering close: our FIN is out; read and drop until the client's, an error, or LINGER_MS.
 * 1: more to drop (call again); 0: pending; -1: close now. */
static int post_linger(struct conn *c)
{
    ULONGLONG now = GetTickCount64();
    if (now >= c->linger_until)
        return -1;
    c->phase = PH_LINGER;
    c->len = 0;
    c->wb[0].buf = c->buf;
    c->wb[0].len = (ULONG)c->cap;
    c->flags = 0;
    reset_ov(c);
    set_pending(c, 1, 0, (DWORD)(c->linger_until - now));
    DWORD got = 0;
    int rc = WSARecv(c->s, c->wb, 1, &got, &c->flags, &c->ov, NULL);
    if (rc == 0) {
        set_pending(c, 0, 0, 0);
        return got == 0 ? -1 : 1;
    }
    if (WSAGetLastError() == WSA_IO_PENDING)
        return 0;
    set_pending(c, 0, 0, 0);
    return -1;
}

/* Start (or continue) sending c->plan. 1: sent synchronously; 0: pending; -1: close. */
static int post_send(struct conn *c, struct sb_worker *slot)
{
    struct server *srv = c->srv;
    struct http_plan *pl = &c->plan;
    c->phase = PH_SEND;
    sb_set_state(slot, SB_WRITING);
    reset_ov(c);
    set_pending(c, 1, 0, srv->conf->timeout_ms);
    BOOL ok;
    if (pl->file != INVALID_HANDLE_VALUE && c->file_left > 0) {
        DWORD n = c->file_left > TRANSMIT_MAX ? TRANSMIT_MAX : (DWORD)c->file_left;
        /* multipart/byteranges: one call (or more) per part, its boundary and headers as Head
         * (the first part's include the response head), the closing boundary as the last Tail. */
        const struct http_part *part = pl->n_parts ? &pl->parts[c->part] : NULL;
        const char *head = part ? part->head : pl->head;
        size_t head_len = part ? part->head_len : pl->head_len;
        int last = n == c->file_left && c->part + 1 >= pl->n_parts;
        c->tfb.Head = c->head_sent ? NULL : (void *)head;
        c->tfb.HeadLength = c->head_sent ? 0 : (DWORD)head_len;
        c->tfb.Tail = last && pl->tail_len ? (void *)pl->tail : NULL;
        c->tfb.TailLength = last ? (DWORD)pl->tail_len : 0;
        /* The file offset comes from the OVERLAPPED [TransmitFile]. */
        c->ov.Offset = (DWORD)c->file_pos;
        c->ov.OffsetHigh = (DWORD)(c->file_pos >> 32);
        /* Progress is recorded before the call: once it pends, the completion may run on another
         * worker before the call returns, and c is no longer ours (a failure closes anyway). */
        c->head_sent = 1;
        c->file_pos += n;
        c->file_left -= n;
        if (c->file_left == 0 && part && c->part + 1 < pl->n_parts) {
            c->part++;
            c->head_sent = 0;
            c->file_pos = pl->parts[c->part].offset;
            c->file_left = pl->parts[c->part].length;
        }
        ok = srv->transmit_file(c->s, pl->file, n, 0, &c->ov, &c->tfb, 0);
    } else {
        c->wb[0].buf = (char *)pl->head;
        c->wb[0].len = (ULONG)pl->head_len;
        c->wb[1].buf = (char *)pl->body;
        c->wb[1].len = (ULONG)pl->body_len;
        DWORD sent = 0;
        c->head_sent = 1;
        ok = WSASend(c->s, c->wb, pl->body_len ? 2 : 1, &sent, 0, &c->ov, NULL) == 0;
    }
    if (ok) {
        set_pending(c, 0, 0, 0);
        return 1;
    }
    DWORD err = WSAGetLastError();
    if (err == WSA_IO_PENDING || err == ERROR_IO_PENDING)
        return 0;
    set_pending(c, 0, 0, 0);
    return -1;
}

static uint64_t now_ft(void)
{
    FILETIME f;
    GetSystemTimeAsFileTime(&f);
    return ((uint64_t)f.dwHighDateTime << 32) | f.dwLowDateTime;
}

/* Note when a request's first byte was seen (for %t, %D and %T). */
static void mark_received(struct conn *c)
{
    if (c->received_ft)
        return;
    c->received_ft = now_ft();
    QueryPerformanceCounter(&c->received_qpc);
}

/* The answer to c->req is planned: show it on the scoreboard and start sending it. */
static int respond(struct conn *c, struct sb_worker *slot)
{
    struct server *srv = c->srv;
    struct http_env env = env_of(c);
    /* Read: from now on the worker is busy with the reply (mod_status' 'W', as for httpd). */
    sb_set_state(slot, SB_WRITING);
    http_prepare_response(&c->http, &c->req, &env, &c->plan);
    c->have_plan = 1;
    c->head_sent = 0;
    c->part = 0;
    c->file_pos = c->plan.n_parts ? c->plan.parts[0].offset : c->plan.file_offset;
    c->file_left = c->plan.file == INVALID_HANDLE_VALUE ? 0
                   : c->plan.n_parts                    ? c->plan.parts[0].length
                                                        : c->plan.file_length;
    /* The slot's texts: the request line and the client (ExtendedStatus' table). */
    AcquireSRWLockExclusive(slot_lock(srv, slot));
    size_t n =
        c->req.line.n < sizeof(slot->request) - 1 ? c->req.line.n : sizeof(slot->request) - 1;
    if (c->req.line.p)
        memcpy(slot->request, c->req.line.p, n);
    slot->request[n] = '\0';
    memcpy(slot->client, c->client, sizeof(slot->client));
    ReleaseSRWLockExclusive(slot_lock(srv, slot));
    return post_send(c, slot);
}

/* The answer went out (ok) or failed: count it, log it, release it. Returns whether the connection
 * stays open for a next request. */
static int finish(struct conn *c, struct sb_worker *slot, int ok)
{
    struct server *srv = c->srv;
    struct http_plan *pl = &c->plan;
    struct http_timing t;
    t.received_ft = c->received_ft ? c->received_ft : now_ft();
    LARGE_INTEGER end;
    QueryPerformanceCounter(&end);
    t.duration_us = 0;
    if (c->received_ft && srv->qpc_freq.QuadPart > 0)
        t.duration_us = (uint64_t)(end.QuadPart - c->received_qpc.QuadPart) * 1000000u /
                        (uint64_t)srv->qpc_freq.QuadPart;
    t.body_sent = ok ? pl->body_bytes : 0;
    struct http_env env = env_of(c);
    http_log_access(c->req.line.p || c->req.status ? &c->req : NULL, pl, &env, &t);
    AcquireSRWLockExclusive(slot_lock(srv, slot));
    slot->access_count++;
    slot->bytes += (ok ? pl->head_len : 0) + t.body_sent;
    slot->duration_us += t.duration_us;
    ReleaseSRWLockExclusive(slot_lock(srv, slot));
    int keep = ok && pl->keep_alive;
    http_plan_release(pl);
    c->have_plan = 0;
    c->received_ft = 0;
    return keep;
}

/* Whether closing now could reset the connection under the answer: the client sent (or is
 * sending) bytes we have not read. */
static int unread_input(struct conn *c)
{
    if (c->len > c->req.consumed || in_body(c) || c->req.must_close || c->req.status)
        return 1;
    u_long pending = 0;
    return ioctlsocket(c->s, FIONREAD, &pending) == 0 && pending > 0;
}

/* After an answer on a connection that closes: linger if needed, else close at once. */
static void end_connection(struct conn *c, struct sb_worker *slot)
{
    if (!unread_input(c)) {
        conn_close(c);
        return;
    }
    sb_set_state(slot, SB_READY);
    shutdown(c->s, SD_SEND);
    c->linger_until = GetTickCount64() + LINGER_MS;
    int rc;
    while ((rc = post_linger(c)) == 1)
        ;
    if (rc < 0)
        conn_close(c);
}

/* Run c until it waits on the port or closes. */
static void drive(struct conn *c, struct sb_worker *slot)
{
    struct server *srv = c->srv;
    for (;;) {
        if (c->len > 0) {
            sb_set_state(slot, SB_READING);
            mark_received(c);
            enum http_parse_result r =
                http_parse_request(&c->http, srv->conf, c->buf, c->len, srv->head_max, &c->req);
            if (r == HTTP_NEED_MORE) {
                /* A skipped body's bytes, or blank lines: gone. */
                drop(c, c->req.consumed);
                if (c->len == 0 && !in_body(c))
                    c->received_ft = 0;
                if (c->len == c->cap && grow(c) != 0)
                    break;
            } else {
                int rc = respond(c, slot);
                if (rc == 0)
                    return;
                while (rc > 0 && c->file_left > 0)
                    if ((rc = post_send(c, slot)) == 0)
                        return;
                int keep = finish(c, slot, rc > 0);
                if (rc < 0) {
                    conn_close(c);
                    return;
                }
                if (!keep) {
                    end_connection(c, slot);
                    return;
                }
                drop(c, c->req.consumed);
                sb_set_state(slot, SB_KEEPALIVE);
                continue;
            }
        }
        int rc = post_recv(c);
        if (rc == 0)
            return;
        if (rc < 0)
            break;
    }
    conn_close(c);
}

void conn_start(struct conn *c, DWORD first_bytes, struct sb_worker *slot)
{
    struct server *srv = c->srv;
    if (!CreateIoCompletionPort((HANDLE)c->s, srv->port, MPM_KEY_CONN, 0)) {
        mpm_logf(CONFIG_LOG_ERR, "Child: could not associate a connection with the port (%lu)",
                 (unsigned long)GetLastError());
        conn_close(c);
        return;
    }
    /* Synchronous successes are handled inline, with no packet. */
    SetFileCompletionNotificationModes((HANDLE)c->s, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS |
                                                         FILE_SKIP_SET_EVENT_ON_HANDLE);
    http_conn_init(&c->http);
    c->len = first_bytes;
    drive(c, slot);
}

/* TimeOut ran out while a request was half read: answer 408 and close, as httpd does. */
static void request_timeout(struct conn *c, struct sb_worker *slot)
{
    struct http_env env = env_of(c);
    memset(&c->req, 0, sizeof(c->req));
    c->req.status = 408;
    c->req.must_close = 1;
    http_prepare_error(408, &env, &c->plan);
    c->have_plan = 1;
    c->head_sent = 0;
    c->file_left = 0;
    int rc = post_send(c, slot);
    if (rc == 0)
        return;
    finish(c, slot, rc > 0);
    if (rc > 0)
        end_connection(c, slot);
    else
        conn_close(c);
}

void conn_complete(struct conn *c, BOOL ok, DWORD bytes, struct sb_worker *slot)
{
    int timed_out = set_pending(c, 0, 0, 0);
    switch (c->phase) {
    case PH_READ:
        if (!ok && timed_out && c->len > 0 && !in_body(c)) {
            request_timeout(c, slot);
            return;
        }
        if (!ok || bytes == 0) {
            conn_close(c);
            return;
        }
        c->len += bytes;
        break;
    case PH_SEND:
        if (ok && c->file_left > 0) {
            int rc;
            while ((rc = post_send(c, slot)) > 0 && c->file_left > 0)
                ;
            if (rc == 0)
                return;
            ok = rc > 0;
        }
        if (!finish(c, slot, ok)) {
            if (ok)
                end_connection(c, slot);
            else
                conn_close(c);
            return;
        }
        drop(c, c->req.consumed);
        sb_set_state(slot, SB_KEEPALIVE);
        break;
    case PH_LINGER:
        if (ok && bytes > 0) {
            int rc;
            while ((rc = post_linger(c)) == 1)
                ;
            if (rc == 0)
                return;
        }
        conn_close(c);
        return;
    }
    drive(c, slot);
}

void conn_sweep(struct server *srv)
{
    ULONGLONG now = GetTickCount64();
    int stopping = server_stopping(srv);
    AcquireSRWLockShared(&srv->list_lock);
    for (struct conn *c = srv->live; c; c = c->next) {
        AcquireSRWLockExclusive(&c->lock);
        /* While an operation is out the worker does not touch c: its fields are stable. */
        if (c->pending && !c->timed_out && (now >= c->deadline || (stopping && c->idle))) {
            c->timed_out = now >= c->deadline;
            CancelIoEx((HANDLE)c->s, &c->ov);
        }
        ReleaseSRWLockExclusive(&c->lock);
    }
    ReleaseSRWLockShared(&srv->list_lock);
}
