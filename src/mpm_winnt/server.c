/* The serving core of a child (or of -X): completion port, workers, accept threads, the timer. */
#include "server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The timer's resolution: deadlines (TimeOut, KeepAliveTimeout) are met within this. */
#define TIMER_TICK_MS 250

struct worker_arg {
    struct server *srv;
    struct sb_worker *slot;
};

static DWORD WINAPI worker_main(void *arg)
{
    struct worker_arg *w = arg;
    struct server *srv = w->srv;
    struct sb_worker *slot = w->slot;
    free(w);
    for (;;) {
        sb_set_state(slot, server_stopping(srv) ? SB_GRACEFUL : SB_READY);
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        OVERLAPPED *ov = NULL;
        BOOL ok = GetQueuedCompletionStatus(srv->port, &bytes, &key, &ov, INFINITE);
        if (!ov) {
            /* A SHUTDOWN packet, or the port is gone [GetQueuedCompletionStatus]. */
            if (key == MPM_KEY_SHUTDOWN || (!ok && GetLastError() != WAIT_TIMEOUT))
                break;
            continue;
        }
        struct conn *c = (struct conn *)ov;
        if (key == MPM_KEY_ACCEPTED)
            conn_start(c, bytes, slot);
        else
            conn_complete(c, ok, bytes, slot);
    }
    sb_set_state(slot, SB_DEAD);
    return 0;
}

static DWORD WINAPI timer_main(void *arg)
{
    struct server *srv = arg;
    while (WaitForSingleObject(srv->stop_timer, TIMER_TICK_MS) == WAIT_TIMEOUT)
        conn_sweep(srv);
    return 0;
}

struct server *server_start(const struct server_start *s)
{
    struct server *srv = calloc(1, sizeof(*srv));
    if (!srv)
        return NULL;
    srv->conf = s->conf;
    srv->head_max = http_head_max(srv->conf);
    srv->listeners = s->listeners;
    srv->n_listeners = s->n_listeners;
    srv->row = s->row;
    srv->slots = s->slots;
    srv->recycle = s->recycle;
    srv->sb = s->sb;
    FILETIME now;
    GetSystemTimeAsFileTime(&now);
    srv->started_ft = ((uint64_t)now.dwHighDateTime << 32) | now.dwLowDateTime;
    QueryPerformanceFrequency(&srv->qpc_freq);
    srv->slot_locks = calloc(srv->sb->thread_limit ? srv->sb->thread_limit : 1, sizeof(SRWLOCK));
    if (!srv->slot_locks)
        return NULL;
    for (uint32_t i = 0; i < srv->sb->thread_limit; i++)
        InitializeSRWLock(&srv->slot_locks[i]);
    InitializeSRWLock(&srv->list_lock);
    InitializeCriticalSection(&srv->pool_lock);
    char faults[16];
    DWORD fn = GetEnvironmentVariableA(MPM_ENV_TEST_ACCEPTEX_FAULTS, faults, sizeof(faults));
    if (fn > 0 && fn < sizeof(faults))
        srv->inject_faults = atol(faults);

    srv->port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    srv->stop_accepting = CreateEventA(NULL, TRUE, FALSE, NULL);
    srv->stop_timer = CreateEventA(NULL, TRUE, FALSE, NULL);
    srv->idle = CreateEventA(NULL, TRUE, FALSE, NULL);
    if (!srv->port || !srv->stop_accepting || !srv->stop_timer || !srv->idle) {
        mpm_logf(CONFIG_LOG_CRIT, "Child: could not create the completion port (%lu)",
                 (unsigned long)GetLastError());
        return NULL;
    }
    GUID tf = WSAID_TRANSMITFILE;
    DWORD bytes = 0;
    if (srv->n_listeners == 0 ||
        WSAIoctl(srv->listeners[0].s, SIO_GET_EXTENSION_FUNCTION_POINTER, &tf, sizeof(tf),
                 &srv->transmit_file, sizeof(srv->transmit_file), &bytes, NULL, NULL) != 0) {
        mpm_logf(CONFIG_LOG_CRIT, "Child: TransmitFile is not available (%d)", WSAGetLastError());
        return NULL;
    }

    /* The access logs (CustomLog, TransferLog) and TypesConfig of this configuration. */
    char why[512] = "";
    if (http_child_init(srv->conf, why, sizeof(why)) != 0) {
        mpm_logf(CONFIG_LOG_CRIT, "Child: %s", why);
        return NULL;
    }

    int n = srv->conf->threads_per_child;
    srv->workers = calloc((size_t)n, sizeof(HANDLE));
    if (!srv->workers)
        return NULL;
    for (int i = 0; i < n; i++) {
        struct worker_arg *w = malloc(sizeof(*w));
        if (!w)
            return NULL;
        w->srv = srv;
        w->slot = &srv->slots[i];
        sb_set_state(w->slot, SB_READY);
        /* ThreadStackSize 0 is the executable's default [CreateThread]. */
        srv->workers[i] = CreateThread(
            NULL, srv->conf->thread_stack_size, worker_main, w,
            srv->conf->thread_stack_size ? STACK_SIZE_PARAM_IS_A_RESERVATION : 0, NULL);
        if (!srv->workers[i]) {
            mpm_logf(CONFIG_LOG_CRIT, "Child: CreateThread failed for worker %d (%lu)", i,
                     (unsigned long)GetLastError());
            free(w);
            return NULL;
        }
        srv->n_workers++;
    }
    srv->row->threads = (uint32_t)n;
    srv->timer = CreateThread(NULL, 0, timer_main, srv, 0, NULL);
    if (!srv->timer || acceptors_start(srv) != 0)
        return NULL;
    srv->row->ready = 1;
    return srv;
}

int server_stop(struct server *srv)
{
    const struct server_config *conf = srv->conf;
    InterlockedExchange(&srv->stopping, 1);
    srv->row->ready = 0;
    srv->row->quiescing = 1;
    for (int i = 0; i < srv->n_workers; i++)
        sb_set_state(&srv->slots[i], SB_GRACEFUL);
    SetEvent(srv->stop_accepting);
    /* The accept threads finish the accepts in progress, then end (bounded inside). */
    int accepted_all = acceptors_join(srv, conf->timeout_ms + 5000);
    for (size_t i = 0; i < srv->n_listeners; i++) {
        closesocket(srv->listeners[i].s);
        srv->listeners[i].s = INVALID_SOCKET;
    }
    /* In-flight requests get TimeOut; the timer closes idle keep-alive connections now. */
    if (InterlockedCompareExchange(&srv->n_live, 0, 0) > 0)
        WaitForSingleObject(srv->idle, conf->timeout_ms);
    LONG left = InterlockedCompareExchange(&srv->n_live, 0, 0);
    if (left > 0)
        mpm_logf(CONFIG_LOG_WARNING, "Child: %ld connections still open after TimeOut; closing",
                 (long)left);
    for (int i = 0; i < srv->n_workers; i++)
        PostQueuedCompletionStatus(srv->port, 0, MPM_KEY_SHUTDOWN, NULL);
    int clean = 1;
    ULONGLONG until = GetTickCount64() + 5000;
    for (int i = 0; i < srv->n_workers; i++) {
        ULONGLONG now = GetTickCount64();
        if (WaitForSingleObject(srv->workers[i], now < until ? (DWORD)(until - now) : 0) !=
            WAIT_OBJECT_0)
            clean = 0;
    }
    SetEvent(srv->stop_timer);
    if (WaitForSingleObject(srv->timer, 2000) != WAIT_OBJECT_0)
        clean = 0;
    clean &= accepted_all;
    if (clean)
        http_child_exit();
    srv->row->threads = 0;
    return clean;
    /* The process ends next: leave the rest (threads still stuck, pooled memory) to exit. */
}
