/* Completion ports: FIFO packets, LIFO waiters, handle association, GetQueuedCompletionStatus(Ex).
 */
#include "iocp.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/*
 * A thread that finds its port empty first tries to run one of the readiness engine's loops
 * itself (ntc_engine_borrow): the completions that its callbacks publish to this port are queued
 * for it instead of being handed to another waiter, so a request that arrives on a socket is read,
 * completed and handled by one thread, with no wake-up in between. A thread that finds no free
 * loop sleeps. Borrowers and sleepers form one stack: a packet posted from elsewhere goes to the
 * most recent of them (a borrower's turn is cut short to take it). When a turn leaves more packets
 * than its borrower takes, the most recent sleeper is woken to share them; the engine thread's
 * periodic look (ntc_port_check_stalled) wakes another one if the queue then stops moving, so
 * packets never wait long behind a consumer that blocked.
 */

struct packet {
    struct packet *next;
    ULONG_PTR key;
    LPOVERLAPPED ov;
    ULONG_PTR status;
    DWORD bytes;
};

/* Why a waiter was taken off the stack (its word; W_WAITING while on it). */
enum { W_WAITING, W_HANDED, W_LOOK };

/* A thread blocked in GetQueuedCompletionStatus(Ex); lives on that thread's stack. */
struct waiter {
    struct waiter *newer, *older;
    _Atomic uint32_t word;
    bool borrower;                 /* running a loop (woken through lease), else sleeping */
    struct ntc_engine_lease lease; /* lease.stop is &word */
    struct packet handed;          /* a packet given to this waiter directly by a poster */
};

#define FREE_PACKETS_MAX 256

struct port {
    struct ntc_object obj;
    pthread_mutex_t lock;
    struct packet *head, *tail; /* FIFO */
    struct waiter *top;         /* the most recent waiter, released first */
    bool closed;                /* every handle closed: waiters leave with ERROR_ABANDONED_WAIT_0 */
    struct packet *free_packets;
    unsigned n_free;
    unsigned long taken, taken_seen; /* packets removed: the stall check sees progress */
    struct port *prev_port, *next_port;
};

/* The port whose waiter the current thread is while it runs a loop. */
static _Thread_local struct port *borrowing;

/* Every port, for the stall check. */
static pthread_mutex_t ports_lock = PTHREAD_MUTEX_INITIALIZER;
static struct port *ports;

static struct port *port_of(struct ntc_object *o)
{
    return (struct port *)o;
}

/* The futex word is only ever shared within this process. A wake may reach a waiter that already
 * left (its stack word reused): futex waiters always re-check their word, so that is harmless. */
static void word_wait(_Atomic uint32_t *w, const struct timespec *deadline)
{
    while (atomic_load_explicit(w, memory_order_acquire) == W_WAITING) {
        long r = syscall(SYS_futex, (uint32_t *)w, FUTEX_WAIT_BITSET_PRIVATE, W_WAITING, deadline,
                         NULL, FUTEX_BITSET_MATCH_ANY);
        if (r != 0 && errno == ETIMEDOUT)
            return;
    }
}

static void unlink_waiter(struct port *p, struct waiter *w)
{
    if (w->newer)
        w->newer->older = w->older;
    else
        p->top = w->older;
    if (w->older)
        w->older->newer = w->newer;
    w->newer = w->older = NULL;
}

/* How to wake a waiter taken off the stack, read under the lock (the waiter may be gone after). */
struct wake {
    _Atomic uint32_t *word; /* a sleeper's futex word; NULL for a borrower or nobody */
    void *loop;             /* a borrower's loop; NULL while its lease is empty */
};

/* With the lock held: take w off the stack and tell it why. The caller wakes it after unlocking
 * (wake), so it never runs into the lock still held. A borrower whose lease is still empty sees
 * its word before its turn waits (word first, lease second, both sequentially consistent). */
static struct wake release_waiter(struct port *p, struct waiter *w, uint32_t why)
{
    unlink_waiter(p, w);
    atomic_store_explicit(&w->word, why, memory_order_seq_cst);
    if (w->borrower)
        return (struct wake){NULL, atomic_load_explicit(&w->lease.loop, memory_order_seq_cst)};
    return (struct wake){&w->word, NULL};
}

/* After unlocking. A futex wake that reaches a stack word already reused is harmless: futex
 * waiters always re-check their word. */
static void wake(struct wake k)
{
    if (k.word)
        syscall(SYS_futex, (uint32_t *)k.word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    else if (k.loop)
        ntc_engine_wake_loop(k.loop);
}

/* With the lock held: the most recent sleeper (not a borrower), or NULL. */
static struct waiter *top_sleeper(struct port *p)
{
    struct waiter *w = p->top;
    while (w && w->borrower)
        w = w->older;
    return w;
}

static void port_last_handle_closed(struct ntc_object *o)
{
    struct port *p = port_of(o);
    for (;;) {
        pthread_mutex_lock(&p->lock);
        p->closed = true;
        struct waiter *w = p->top;
        struct wake k = {NULL, NULL};
        if (w)
            k = release_waiter(p, w, W_LOOK);
        pthread_mutex_unlock(&p->lock);
        if (!w)
            break;
        wake(k);
    }
}

static void free_list(struct packet *k)
{
    for (struct packet *next; k; k = next) {
        next = k->next;
        free(k);
    }
}

static void port_destroy(struct ntc_object *o)
{
    struct port *p = port_of(o);
    pthread_mutex_lock(&ports_lock);
    if (p->prev_port)
        p->prev_port->next_port = p->next_port;
    else
        ports = p->next_port;
    if (p->next_port)
        p->next_port->prev_port = p->prev_port;
    pthread_mutex_unlock(&ports_lock);
    free_list(p->head);
    free_list(p->free_packets);
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
    pthread_mutex_lock(&ports_lock);
    p->next_port = ports;
    if (ports)
        ports->prev_port = p;
    ports = p;
    pthread_mutex_unlock(&ports_lock);
    return &p->obj;
}

BOOL ntc_port_post(struct ntc_object *o, ULONG_PTR key, LPOVERLAPPED ov, ULONG_PTR status,
                   DWORD bytes)
{
    struct port *p = port_of(o);
    struct packet pk = {.key = key, .ov = ov, .status = status, .bytes = bytes};
    pthread_mutex_lock(&p->lock);
    if (p->closed) {
        pthread_mutex_unlock(&p->lock);
        return TRUE;
    }
    if (p->top && borrowing != p) {
        /* Hand the packet to the most recent waiter so no other thread can take it first. */
        struct waiter *w = p->top;
        w->handed = pk;
        struct wake k = release_waiter(p, w, W_HANDED);
        pthread_mutex_unlock(&p->lock);
        wake(k);
        return TRUE;
    }
    /* Queued: completed by this thread's own turn, or nobody waits. */
    struct packet *k = p->free_packets;
    if (k) {
        p->free_packets = k->next;
        p->n_free--;
    } else if (!(k = malloc(sizeof(*k)))) {
        pthread_mutex_unlock(&p->lock);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    *k = pk;
    if (p->tail)
        p->tail->next = k;
    else
        p->head = k;
    p->tail = k;
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
        if (p->n_free < FREE_PACKETS_MAX) {
            k->next = p->free_packets;
            p->free_packets = k;
            p->n_free++;
        } else {
            free(k);
        }
    }
    p->taken += n;
    return n;
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

/* Milliseconds left until deadline (rounded up), 0 when it passed. */
static int ms_left(const struct timespec *deadline)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long ns = (long long)(deadline->tv_sec - now.tv_sec) * 1000000000LL +
                   (deadline->tv_nsec - now.tv_nsec);
    if (ns <= 0)
        return 0;
    long long ms = (ns + 999999) / 1000000;
    return ms > INT_MAX ? INT_MAX : (int)ms;
}

/*
 * Remove 1..max packets, waiting up to ms. Returns how many; 0 with *err = WAIT_TIMEOUT or
 * ERROR_ABANDONED_WAIT_0. Waiters form a stack so that the most recent one is served first
 * [I/O Completion Ports]: a thread that just finished a packet is likely still hot in cache.
 */
static ULONG port_remove(struct port *p, struct packet *out, ULONG max, DWORD ms, DWORD *err)
{
    struct timespec deadline;
    bool timed = ms != INFINITE;
    if (timed)
        deadline_after(&deadline, ms);
    struct waiter w;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        if (p->closed) {
            pthread_mutex_unlock(&p->lock);
            *err = ERROR_ABANDONED_WAIT_0;
            return 0;
        }
        ULONG n = take_queued(p, out, max);
        if (n > 0) {
            pthread_mutex_unlock(&p->lock);
            return n;
        }
        int left = timed ? ms_left(&deadline) : -1;
        if (left == 0) {
            pthread_mutex_unlock(&p->lock);
            *err = WAIT_TIMEOUT;
            return 0;
        }
        w = (struct waiter){.older = p->top, .borrower = true};
        atomic_init(&w.word, W_WAITING);
        w.lease.stop = &w.word;
        atomic_init(&w.lease.loop, NULL);
        if (p->top)
            p->top->newer = &w;
        p->top = &w;
        pthread_mutex_unlock(&p->lock);
        /* The callbacks of the turn run on this thread: they must not leave their errors here. */
        DWORD saved = GetLastError();
        borrowing = p;
        bool turned = ntc_engine_borrow(left, &w.lease);
        borrowing = NULL;
        SetLastError(saved);
        pthread_mutex_lock(&p->lock);
        if (!turned && atomic_load_explicit(&w.word, memory_order_acquire) == W_WAITING) {
            /* Every loop is taken: sleep until something is posted. */
            w.borrower = false;
            pthread_mutex_unlock(&p->lock);
            word_wait(&w.word, timed ? &deadline : NULL);
            pthread_mutex_lock(&p->lock);
        }
        uint32_t why = atomic_load_explicit(&w.word, memory_order_acquire);
        if (why == W_WAITING)
            unlink_waiter(p, &w); /* the turn or the sleep ended: the loop decides */
        n = 0;
        if (why == W_HANDED) {
            out[n++] = w.handed;
            p->taken++;
        }
        if (!p->closed)
            n += take_queued(p, out + n, max - n);
        if (n > 0) {
            /* A turn that completed more than we take: the most recent sleeper shares them. */
            struct waiter *s = p->head ? top_sleeper(p) : NULL;
            struct wake k = {NULL, NULL};
            if (s)
                k = release_waiter(p, s, W_LOOK);
            pthread_mutex_unlock(&p->lock);
            wake(k);
            return n;
        }
    }
}

bool ntc_port_check_stalled(void)
{
    bool pending = false;
    pthread_mutex_lock(&ports_lock);
    for (struct port *p = ports; p; p = p->next_port) {
        pthread_mutex_lock(&p->lock);
        struct waiter *s = p->head ? top_sleeper(p) : NULL;
        struct wake k = {NULL, NULL};
        if (s) {
            pending = true;
            if (p->taken == p->taken_seen)
                k = release_waiter(p, s, W_LOOK);
        }
        p->taken_seen = p->taken;
        pthread_mutex_unlock(&p->lock);
        wake(k);
    }
    pthread_mutex_unlock(&ports_lock);
    return pending;
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
