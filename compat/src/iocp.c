/* Completion ports: FIFO packets, LIFO waiters, handle association, GetQueuedCompletionStatus(Ex).
 */
#include "iocp.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct packet {
    struct packet *next;
    ULONG_PTR key;
    LPOVERLAPPED ov;
    ULONG_PTR status;
    DWORD bytes;
};

/* A thread blocked in GetQueuedCompletionStatus(Ex); lives on that thread's stack. */
struct waiter {
    struct waiter *newer, *older;
    pthread_cond_t cond;
    struct packet *handed; /* a packet given to this waiter directly by a poster */
};

struct port {
    struct ntc_object obj;
    pthread_mutex_t lock;
    struct packet *head, *tail; /* FIFO; only non-empty while nobody waits */
    struct waiter *top;         /* the most recent waiter, released first */
    bool closed;                /* every handle closed: waiters leave with ERROR_ABANDONED_WAIT_0 */
};

static struct port *port_of(struct ntc_object *o)
{
    return (struct port *)o;
}

static void port_last_handle_closed(struct ntc_object *o)
{
    struct port *p = port_of(o);
    pthread_mutex_lock(&p->lock);
    p->closed = true;
    for (struct waiter *w = p->top; w; w = w->older)
        pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&p->lock);
}

static void port_destroy(struct ntc_object *o)
{
    struct port *p = port_of(o);
    for (struct packet *k = p->head, *next; k; k = next) {
        next = k->next;
        free(k);
    }
    pthread_mutex_destroy(&p->lock);
    free(p);
}

const struct ntc_ops ntc_port_ops = {
    .type = NTC_T_PORT,
    .name = "port",
    .last_handle_closed = port_last_handle_closed,
    .destroy = port_destroy,
};

static struct ntc_object *port_new(void)
{
    struct port *p = calloc(1, sizeof(*p));
    if (!p) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    ntc_object_init(&p->obj, &ntc_port_ops);
    pthread_mutex_init(&p->lock, NULL);
    return &p->obj;
}

BOOL ntc_port_post(struct ntc_object *o, ULONG_PTR key, LPOVERLAPPED ov, ULONG_PTR status,
                   DWORD bytes)
{
    struct port *p = port_of(o);
    struct packet *k = malloc(sizeof(*k));
    if (!k) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    *k = (struct packet){.key = key, .ov = ov, .status = status, .bytes = bytes};
    pthread_mutex_lock(&p->lock);
    if (p->closed) {
        free(k);
    } else if (p->top) {
        /* Hand the packet to the most recent waiter so no other thread can take it first. */
        struct waiter *w = p->top;
        p->top = w->older;
        if (p->top)
            p->top->newer = NULL;
        w->older = NULL;
        w->handed = k;
        pthread_cond_signal(&w->cond);
    } else {
        if (p->tail)
            p->tail->next = k;
        else
            p->head = k;
        p->tail = k;
    }
    pthread_mutex_unlock(&p->lock);
    return TRUE;
}

/* With the lock held: move up to max queued packets into out. */
static ULONG take_queued(struct port *p, struct packet *out, ULONG max)
{
    ULONG n = 0;
    while (n < max && p->head) {
        struct packet *k = p->head;
        p->head = k->next;
        if (!p->head)
            p->tail = NULL;
        out[n++] = *k;
        free(k);
    }
    return n;
}

static void unlink_waiter(struct port *p, struct waiter *w)
{
    if (w->newer)
        w->newer->older = w->older;
    else
        p->top = w->older;
    if (w->older)
        w->older->newer = w->newer;
}

static void deadline_after(struct timespec *ts, DWORD ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/*
 * Remove 1..max packets, waiting up to ms. Returns how many; 0 with *err = WAIT_TIMEOUT or
 * ERROR_ABANDONED_WAIT_0. Waiters form a stack so that the most recent one is served first
 * [I/O Completion Ports]: a thread that just finished a packet is likely still hot in cache.
 */
static ULONG port_remove(struct port *p, struct packet *out, ULONG max, DWORD ms, DWORD *err)
{
    pthread_mutex_lock(&p->lock);
    ULONG n = p->closed ? 0 : take_queued(p, out, max);
    if (n > 0 || p->closed || ms == 0) {
        bool closed = p->closed;
        pthread_mutex_unlock(&p->lock);
        *err = closed ? ERROR_ABANDONED_WAIT_0 : WAIT_TIMEOUT;
        return n;
    }
    struct waiter w = {.older = p->top};
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w.cond, &ca);
    pthread_condattr_destroy(&ca);
    if (p->top)
        p->top->newer = &w;
    p->top = &w;
    struct timespec deadline;
    if (ms != INFINITE)
        deadline_after(&deadline, ms);
    int rc = 0;
    while (!w.handed && !p->closed && rc != ETIMEDOUT) {
        if (ms == INFINITE)
            pthread_cond_wait(&w.cond, &p->lock);
        else
            rc = pthread_cond_timedwait(&w.cond, &p->lock, &deadline);
    }
    if (w.handed) {
        out[n++] = *w.handed;
        free(w.handed);
        n += take_queued(p, out + 1, max - 1);
    } else {
        unlink_waiter(p, &w);
        *err = p->closed ? ERROR_ABANDONED_WAIT_0 : WAIT_TIMEOUT;
    }
    pthread_mutex_unlock(&p->lock);
    pthread_cond_destroy(&w.cond);
    return n;
}

/* Serialises associations so that a target's key is never overwritten by a losing second one. */
static pthread_mutex_t associate_lock = PTHREAD_MUTEX_INITIALIZER;

static BOOL associate(struct ntc_object *file, struct ntc_object *port, ULONG_PTR key)
{
    struct ntc_io_target *t = file->ops->io_target ? file->ops->io_target(file) : NULL;
    if (!t) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    BOOL ok = FALSE;
    pthread_mutex_lock(&associate_lock);
    /* A handle belongs to one port for its whole life [CreateIoCompletionPort]. */
    if (atomic_load_explicit(&t->port, memory_order_acquire) == NULL) {
        ntc_object_ref(port);
        t->key = key;
        atomic_store_explicit(&t->port, port, memory_order_release);
        ok = TRUE;
    }
    pthread_mutex_unlock(&associate_lock);
    if (!ok)
        SetLastError(ERROR_INVALID_PARAMETER);
    return ok;
}

void ntc_io_target_release(struct ntc_io_target *t)
{
    struct ntc_object *port = atomic_exchange_explicit(&t->port, NULL, memory_order_acq_rel);
    if (port)
        ntc_object_unref(port);
}

/*
 * NumberOfConcurrentThreads is accepted and ignored: it limits *running* threads, and whether a
 * thread that took a packet is running or blocked elsewhere (in recv, in a wait) is invisible to
 * user space. Wine does the same [CreateIoCompletionPort].
 */
HANDLE WINAPI CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
                                     ULONG_PTR CompletionKey, DWORD NumberOfConcurrentThreads)
{
    (void)NumberOfConcurrentThreads;
    if (FileHandle == INVALID_HANDLE_VALUE) {
        if (ExistingCompletionPort) {
            SetLastError(ERROR_INVALID_PARAMETER);
            return NULL;
        }
        struct ntc_object *p = port_new();
        if (!p)
            return NULL;
        HANDLE h = ntc_handle_alloc(p, FALSE);
        if (!h)
            ntc_object_unref(p);
        return h;
    }
    struct ntc_object *file = ntc_handle_get(FileHandle, NTC_T_NONE);
    if (!file)
        return NULL;
    HANDLE result = NULL;
    if (ExistingCompletionPort) {
        struct ntc_object *p = ntc_handle_get(ExistingCompletionPort, NTC_T_PORT);
        if (p) {
            if (associate(file, p, CompletionKey))
                result = ExistingCompletionPort;
            ntc_object_unref(p);
        }
    } else {
        struct ntc_object *p = port_new();
        if (p) {
            ntc_object_ref(p); /* ours, beyond the one the handle takes */
            HANDLE h = ntc_handle_alloc(p, FALSE);
            if (!h) {
                ntc_object_unref(p);
            } else if (associate(file, p, CompletionKey)) {
                result = h;
            } else {
                DWORD e = GetLastError();
                ntc_handle_close(h);
                SetLastError(e);
            }
            ntc_object_unref(p);
        }
    }
    ntc_object_unref(file);
    return result;
}

static BOOL post(HANDLE CompletionPort, DWORD bytes, ULONG_PTR key, LPOVERLAPPED ov)
{
    struct ntc_object *p = ntc_handle_get(CompletionPort, NTC_T_PORT);
    if (!p)
        return FALSE;
    BOOL ok = ntc_port_post(p, key, ov, STATUS_SUCCESS, bytes);
    ntc_object_unref(p);
    return ok;
}

BOOL WINAPI PostQueuedCompletionStatus(HANDLE CompletionPort, DWORD dwNumberOfBytesTransferred,
                                       ULONG_PTR dwCompletionKey, LPOVERLAPPED lpOverlapped)
{
    return post(CompletionPort, dwNumberOfBytesTransferred, dwCompletionKey, lpOverlapped);
}

BOOL WINAPI GetQueuedCompletionStatus(HANDLE CompletionPort, LPDWORD lpNumberOfBytesTransferred,
                                      PULONG_PTR lpCompletionKey, LPOVERLAPPED *lpOverlapped,
                                      DWORD dwMilliseconds)
{
    if (!lpOverlapped || !lpNumberOfBytesTransferred || !lpCompletionKey) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    *lpOverlapped = NULL;
    struct ntc_object *p = ntc_handle_get(CompletionPort, NTC_T_PORT);
    if (!p)
        return FALSE;
    struct packet k;
    DWORD err = 0;
    ULONG n = port_remove(port_of(p), &k, 1, dwMilliseconds, &err);
    ntc_object_unref(p);
    if (n == 0) {
        SetLastError(err);
        return FALSE;
    }
    *lpNumberOfBytesTransferred = k.bytes;
    *lpCompletionKey = k.key;
    *lpOverlapped = k.ov;
    if (k.status != STATUS_SUCCESS) {
        SetLastError(ntc_error_from_status(k.status));
        return FALSE;
    }
    return TRUE;
}

/* fAlertable is accepted: compat/ has no APCs, so an alertable wait is an ordinary one. */
BOOL WINAPI GetQueuedCompletionStatusEx(HANDLE CompletionPort,
                                        LPOVERLAPPED_ENTRY lpCompletionPortEntries, ULONG ulCount,
                                        PULONG ulNumEntriesRemoved, DWORD dwMilliseconds,
                                        BOOL fAlertable)
{
    (void)fAlertable;
    if (!lpCompletionPortEntries || !ulNumEntriesRemoved || ulCount == 0) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    *ulNumEntriesRemoved = 0;
    struct ntc_object *p = ntc_handle_get(CompletionPort, NTC_T_PORT);
    if (!p)
        return FALSE;
    struct packet small[16];
    struct packet *k = ulCount <= 16 ? small : malloc(ulCount * sizeof(*k));
    if (!k) {
        ntc_object_unref(p);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    DWORD err = 0;
    ULONG n = port_remove(port_of(p), k, ulCount, dwMilliseconds, &err);
    ntc_object_unref(p);
    for (ULONG i = 0; i < n; i++) {
        lpCompletionPortEntries[i] = (OVERLAPPED_ENTRY){
            .lpCompletionKey = k[i].key,
            .lpOverlapped = k[i].ov,
            .Internal = k[i].status,
            .dwNumberOfBytesTransferred = k[i].bytes,
        };
    }
    if (k != small)
        free(k);
    *ulNumEntriesRemoved = n;
    if (n == 0)
        SetLastError(err);
    return n > 0;
}

BOOL WINAPI SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags)
{
    const UCHAR known = FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE;
    struct ntc_object *o = ntc_handle_get(FileHandle, NTC_T_NONE);
    if (!o)
        return FALSE;
    struct ntc_io_target *t = o->ops->io_target ? o->ops->io_target(o) : NULL;
    BOOL ok = t != NULL && (Flags & ~known) == 0;
    /* A mode once set cannot be removed [SetFileCompletionNotificationModes]. */
    if (ok)
        atomic_fetch_or_explicit(&t->modes, Flags, memory_order_release);
    ntc_object_unref(o);
    if (!ok)
        SetLastError(ERROR_INVALID_PARAMETER);
    return ok;
}
