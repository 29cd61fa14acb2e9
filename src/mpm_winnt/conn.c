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
 */

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
    memset(c, 0, offsetof(struct conn, buf));
    c->srv = srv;
    c->s = INVALID_SOCKET;
    c->resp.file = INVALID_HANDLE_VALUE;
    InitializeSRWLock(&c->lock);
    return c;
}

void conn_free(struct conn *c)
{
    struct server *srv = c->srv;
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
    if (c->resp.file != INVALID_HANDLE_VALUE)
        CloseHandle(c->resp.file);
    if (c->s != INVALID_SOCKET) {
        /* Send our FIN after the answer instead of a reset when the peer has nothing unread. */
        shutdown(c->s, SD_SEND);
        closesocket(c->s);
    }
    conn_free(c);
    if (InterlockedDecrement(&srv->n_live) == 0 && server_stopping(srv))
        SetEvent(srv->idle);
}

/* Mark an operation out (or back) for the timer. */
static void set_pending(struct conn *c, int pending, DWORD timeout_ms)
{
    AcquireSRWLockExclusive(&c->lock);
    c->pending = pending;
    c->deadline = GetTickCount64() + timeout_ms;
    ReleaseSRWLockExclusive(&c->lock);
}

static void reset_ov(struct conn *c)
{
    memset(&c->ov, 0, sizeof(c->ov));
}

/* Post a receive. 1: data arrived synchronously (c->len grew); 0: pending; -1: close. */
static int post_recv(struct conn *c)
{
    struct server *srv = c->srv;
    int idle = c->len == 0 && c->requests > 0;
    if (idle && server_stopping(srv))
        return -1; /* a quiescing child closes idle keep-alive connections */
    c->phase = PH_READ;
    c->wb[0].buf = c->buf + c->len;
    c->wb[0].len = (ULONG)(CONN_BUF - c->len);
    c->flags = 0;
    reset_ov(c);
    set_pending(c, 1, idle ? srv->conf->keep_alive_timeout_ms : srv->conf->timeout_ms);
    DWORD got = 0;
    int rc = WSARecv(c->s, c->wb, 1, &got, &c->flags, &c->ov, NULL);
    if (rc == 0) {
        set_pending(c, 0, 0);
        if (got == 0)
            return -1;
        c->len += got;
        return 1;
    }
    if (WSAGetLastError() == WSA_IO_PENDING)
        return 0;
    set_pending(c, 0, 0);
    return -1;
}

/* Start sending c->resp. 1: sent synchronously; 0: pending; -1: close. */
static int post_send(struct conn *c, struct sb_worker *slot)
{
    struct server *srv = c->srv;
    struct http_resp *r = &c->resp;
    c->phase = PH_SEND;
    sb_set_state(slot, SB_WRITING);
    reset_ov(c);
    set_pending(c, 1, srv->conf->timeout_ms);
    BOOL ok;
    if (r->file != INVALID_HANDLE_VALUE) {
        /* The file offset comes from the OVERLAPPED (0: from the start) [TransmitFile]. */
        c->tfb.Head = r->head;
        c->tfb.HeadLength = (DWORD)r->head_len;
        c->tfb.Tail = NULL;
        c->tfb.TailLength = 0;
        ok = srv->transmit_file(c->s, r->file, (DWORD)r->file_size, 0, &c->ov, &c->tfb, 0);
    } else {
        c->wb[0].buf = r->head;
        c->wb[0].len = (ULONG)r->head_len;
        c->wb[1].buf = (char *)r->body;
        c->wb[1].len = (ULONG)r->body_len;
        DWORD sent = 0;
        ok = WSASend(c->s, c->wb, r->body_len ? 2 : 1, &sent, 0, &c->ov, NULL) == 0;
    }
    if (ok) {
        set_pending(c, 0, 0);
        return 1;
    }
    DWORD err = WSAGetLastError();
    if (err == WSA_IO_PENDING || err == ERROR_IO_PENDING)
        return 0;
    set_pending(c, 0, 0);
    return -1;
}

/* The answer went out: account for it, keep what the client pipelined, decide what is next. */
static int sent(struct conn *c, struct sb_worker *slot)
{
    struct http_resp *r = &c->resp;
    slot->bytes += r->head_len + (r->file != INVALID_HANDLE_VALUE ? r->file_size : r->body_len);
    if (r->file != INVALID_HANDLE_VALUE) {
        CloseHandle(r->file);
        r->file = INVALID_HANDLE_VALUE;
    }
    c->requests++;
    if (!r->keep_alive)
        return -1;
    memmove(c->buf, c->buf + c->used, c->len - c->used);
    c->len -= c->used;
    c->used = 0;
    sb_set_state(slot, SB_KEEPALIVE);
    return 0;
}

/* Run c until it waits on the port or closes. */
static void drive(struct conn *c, struct sb_worker *slot)
{
    struct server *srv = c->srv;
    for (;;) {
        if (c->len > 0) {
            sb_set_state(slot, SB_READING);
            size_t used = http_min_handle(srv->conf, c->buf, c->len, CONN_BUF, c->requests,
                                          !server_stopping(srv), &c->resp);
            if (used > 0) {
                c->used = used;
                slot->access_count++;
                memcpy(slot->request, c->resp.request, sizeof(slot->request));
                slot->request[sizeof(slot->request) - 1] = '\0';
                memcpy(slot->client, c->client, sizeof(slot->client));
                int rc = post_send(c, slot);
                if (rc == 0)
                    return;
                if (rc < 0 || sent(c, slot) < 0)
                    break;
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
    c->len = first_bytes;
    drive(c, slot);
}

void conn_complete(struct conn *c, BOOL ok, DWORD bytes, struct sb_worker *slot)
{
    set_pending(c, 0, 0);
    if (!ok) {
        conn_close(c);
        return;
    }
    if (c->phase == PH_READ) {
        if (bytes == 0) {
            conn_close(c);
            return;
        }
        c->len += bytes;
    } else if (sent(c, slot) < 0) {
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
        if (c->pending) {
            int idle = c->phase == PH_READ && c->len == 0 && c->requests > 0;
            if (now >= c->deadline || (stopping && idle))
                CancelIoEx((HANDLE)c->s, &c->ov);
        }
        ReleaseSRWLockExclusive(&c->lock);
    }
    ReleaseSRWLockShared(&srv->list_lock);
}
