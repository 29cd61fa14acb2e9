/* Shared waitable state: futexes, process-shared locks, NOTIFY syncs, sync-backed objects. */
#include "sync_int.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif

/* ---- clocks and pids ---------------------------------------------------------------------- */

uint64_t ntc_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void ntc_deadline_from_ms(struct timespec *ts, DWORD ms)
{
    uint64_t t = ntc_now_ns() + (uint64_t)ms * 1000000u;
    ts->tv_sec = (time_t)(t / 1000000000u);
    ts->tv_nsec = (long)(t % 1000000000u);
}

bool ntc_pid_dead(uint32_t pid)
{
    return pid != 0 && kill((pid_t)pid, 0) == -1 && errno == ESRCH;
}

/* getpid() is a system call on current glibc and every lock asks for it: cache it. A forked child
 * forgets both caches (its one thread inherits the forking thread's _Thread_local tid). */
static _Atomic uint32_t cached_pid;
static _Thread_local DWORD cached_tid;

static void forget_ids(void)
{
    atomic_store_explicit(&cached_pid, 0, memory_order_relaxed);
    cached_tid = 0;
}

static void register_atfork(void)
{
    pthread_atfork(NULL, NULL, forget_ids);
}

uint32_t ntc_getpid(void)
{
    uint32_t pid = atomic_load_explicit(&cached_pid, memory_order_relaxed);
    if (!pid) {
        static pthread_once_t once = PTHREAD_ONCE_INIT;
        pthread_once(&once, register_atfork);
        pid = (uint32_t)getpid();
        atomic_store_explicit(&cached_pid, pid, memory_order_relaxed);
    }
    return pid;
}

DWORD ntc_gettid(void)
{
    if (!cached_tid) {
        ntc_getpid(); /* registers the fork handler before anything is cached */
        cached_tid = (DWORD)syscall(SYS_gettid);
    }
    return cached_tid;
}

/* ---- futexes ------------------------------------------------------------------------------ */

void ntc_futex_wait(_Atomic uint32_t *w, uint32_t val, const struct timespec *deadline)
{
    /* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline (FUTEX_WAIT a relative one). */
    int saved = errno;
    syscall(SYS_futex, w, FUTEX_WAIT_BITSET, val, deadline, NULL, FUTEX_BITSET_MATCH_ANY);
    errno = saved;
}

void ntc_futex_wake(_Atomic uint32_t *w, int n)
{
    int saved = errno;
    syscall(SYS_futex, w, FUTEX_WAKE, n, NULL, NULL, 0);
    errno = saved;
}

static atomic_bool no_waitv;

void ntc_futex_waitv(_Atomic uint32_t *const *words, const uint32_t *vals, unsigned n,
                     const struct timespec *deadline)
{
    if (n == 1) {
        ntc_futex_wait(words[0], vals[0], deadline);
        return;
    }
    int saved = errno;
    if (!atomic_load_explicit(&no_waitv, memory_order_relaxed)) {
        struct futex_waitv v[MAXIMUM_WAIT_OBJECTS];
        for (unsigned i = 0; i < n; i++) {
            v[i].val = vals[i];
            v[i].uaddr = (uint64_t)(uintptr_t)words[i];
            v[i].flags = FUTEX_32;
            v[i].__reserved = 0;
        }
        if (syscall(SYS_futex_waitv, v, n, 0, deadline, CLOCK_MONOTONIC) != -1 || errno != ENOSYS) {
            errno = saved;
            return;
        }
        atomic_store_explicit(&no_waitv, true, memory_order_relaxed);
    }
    /* Kernels before 5.16: sleep on the first word and poll the others every 2 ms. */
    struct timespec t;
    ntc_deadline_from_ms(&t, 2);
    if (deadline && (deadline->tv_sec < t.tv_sec ||
                     (deadline->tv_sec == t.tv_sec && deadline->tv_nsec < t.tv_nsec)))
        t = *deadline;
    ntc_futex_wait(words[0], vals[0], &t);
    errno = saved;
}

/* ---- process-shared locks ----------------------------------------------------------------- */

/*
 * The word holds the pid of the holder. Critical sections are a few stores long, so a holder can
 * only keep the lock forever by dying inside one (a crashed process): a waiter that has slept a
 * while checks the holder's pid and takes the lock over if that process is gone.
 */
void ntc_plock(_Atomic uint32_t *w)
{
    uint32_t me = ntc_getpid();
    uint32_t v = 0;
    if (atomic_compare_exchange_strong_explicit(w, &v, me, memory_order_acquire,
                                                memory_order_relaxed))
        return;
    for (int spin = 0; spin < 64; spin++) {
        __builtin_ia32_pause();
        v = 0;
        if (atomic_compare_exchange_weak_explicit(w, &v, me, memory_order_acquire,
                                                  memory_order_relaxed))
            return;
    }
    for (;;) {
        v = atomic_load_explicit(w, memory_order_relaxed);
        if (v == 0) {
            /* Take it marked contended: we cannot know whether others still sleep on it. */
            if (atomic_compare_exchange_weak_explicit(w, &v, me | NTC_LOCK_WAITERS,
                                                      memory_order_acquire, memory_order_relaxed))
                return;
            continue;
        }
        if (!(v & NTC_LOCK_WAITERS) &&
            !atomic_compare_exchange_weak_explicit(w, &v, v | NTC_LOCK_WAITERS,
                                                   memory_order_relaxed, memory_order_relaxed))
            continue;
        struct timespec t;
        ntc_deadline_from_ms(&t, 50);
        ntc_futex_wait(w, v | NTC_LOCK_WAITERS, &t);
        uint32_t holder = v & ~NTC_LOCK_WAITERS;
        if (holder != me &&
            atomic_load_explicit(w, memory_order_relaxed) == (v | NTC_LOCK_WAITERS) &&
            ntc_pid_dead(holder)) {
            uint32_t cur = v | NTC_LOCK_WAITERS;
            if (atomic_compare_exchange_strong_explicit(w, &cur, me | NTC_LOCK_WAITERS,
                                                        memory_order_acquire, memory_order_relaxed))
                return;
        }
    }
}

void ntc_punlock(_Atomic uint32_t *w)
{
    if (atomic_exchange_explicit(w, 0, memory_order_release) & NTC_LOCK_WAITERS)
        ntc_futex_wake(w, 1);
}

/* ---- sync state --------------------------------------------------------------------------- */

static atomic_uint id_counter;

void ntc_sync_init(struct ntc_sync *s, enum ntc_sync_kind kind, int32_t count, int32_t max)
{
    atomic_store_explicit(&s->lock, 0, memory_order_relaxed);
    atomic_store_explicit(&s->seq, 0, memory_order_relaxed);
    s->kind = kind;
    /* pid in the upper half makes the id unique among live processes. */
    s->id = ((uint64_t)ntc_getpid() << 32) |
            (atomic_fetch_add_explicit(&id_counter, 1, memory_order_relaxed) + 1);
    s->count = count;
    s->max = max;
    /* A mutex created with an initial count is owned by its creator (bInitialOwner). */
    bool owned = kind == NTC_SYNC_MUTEX && count > 0;
    s->owner_pid = owned ? ntc_getpid() : 0;
    s->owner_tid = owned ? ntc_gettid() : 0;
    s->abandoned = 0;
    atomic_store_explicit(&s->sleepers, 0, memory_order_relaxed);
    atomic_store_explicit(&s->ready, NTC_SYNC_READY, memory_order_release);
}

BOOL ntc_sync_wait_ready(struct ntc_sync *s)
{
    for (int i = 0; i < 2000; i++) {
        uint32_t r = atomic_load_explicit(&s->ready, memory_order_acquire);
        if (r == NTC_SYNC_READY)
            return TRUE;
        struct timespec t;
        ntc_deadline_from_ms(&t, 1);
        ntc_futex_wait(&s->ready, r, &t);
    }
    return FALSE;
}

void ntc_sync_changed(struct ntc_sync *s)
{
    /* seq_cst on both sides (here and in ntc_wait) makes this a Dekker pair: either we see the
     * sleeper, or its futex wait sees the new seq and does not sleep. A sleeper that died leaves
     * the count high, which only costs wakes. */
    atomic_fetch_add_explicit(&s->seq, 1, memory_order_seq_cst);
    if (atomic_load_explicit(&s->sleepers, memory_order_seq_cst) != 0)
        ntc_futex_wake(&s->seq, INT32_MAX);
}

struct ntc_sync *ntc_sync_new_notify(void)
{
    struct ntc_sync *s = calloc(1, sizeof(*s));
    if (s)
        ntc_sync_init(s, NTC_SYNC_NOTIFY, 0, 1);
    return s;
}

void ntc_sync_free_notify(struct ntc_sync *s)
{
    free(s);
}

void ntc_sync_notify(struct ntc_sync *s)
{
    ntc_plock(&s->lock);
    bool was = s->count != 0;
    s->count = 1;
    ntc_punlock(&s->lock);
    if (!was)
        ntc_sync_changed(s);
}

BOOL ntc_sync_is_signaled(struct ntc_sync *s)
{
    ntc_plock(&s->lock);
    BOOL r;
    switch (s->kind) {
    case NTC_SYNC_MUTEX:
        r = s->count == 0;
        break;
    default:
        r = s->count > 0;
        break;
    }
    ntc_punlock(&s->lock);
    return r;
}

/* ---- objects whose sync lives in a segment (events, mutexes, semaphores) ------------------ */

/* What an exported sync object carries besides its segment descriptor. */
struct sync_wire {
    uint32_t named;
    uint64_t payload_size;
};

static struct ntc_syncobj *syncobj_new(const struct ntc_ops *ops, const char *name, BOOL create,
                                       enum ntc_sync_kind kind, int32_t count, int32_t max,
                                       BOOL *existed)
{
    struct ntc_syncobj *so = calloc(1, sizeof(*so));
    if (!so) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    *existed = FALSE;
    BOOL ok;
    if (name)
        ok =
            ntc_seg_open_named(name, ops->type, sizeof(struct ntc_sync), create, &so->seg, existed);
    else
        ok = ntc_seg_create_anon(sizeof(struct ntc_sync), &so->seg);
    if (!ok) {
        free(so);
        return NULL;
    }
    so->sync = so->seg.payload;
    if (*existed) {
        if (!ntc_sync_wait_ready(so->sync)) {
            ntc_seg_release(&so->seg);
            free(so);
            SetLastError(ERROR_INVALID_HANDLE);
            return NULL;
        }
    } else {
        ntc_sync_init(so->sync, kind, count, max);
    }
    ntc_object_init(&so->obj, ops);
    return so;
}

HANDLE ntc_syncobj_open(const struct ntc_ops *ops, const char *name, BOOL create, BOOL inherit,
                        enum ntc_sync_kind kind, int32_t count, int32_t max)
{
    /* An empty name makes an unnamed object, as on Windows. */
    if (name && !*name) {
        if (!create) {
            SetLastError(ERROR_INVALID_PARAMETER);
            return NULL;
        }
        name = NULL;
    }
    BOOL existed;
    struct ntc_syncobj *so = syncobj_new(ops, name, create, kind, count, max, &existed);
    if (!so)
        return NULL;
    HANDLE h = ntc_handle_alloc(&so->obj, inherit);
    if (!h) {
        ntc_object_unref(&so->obj);
        return NULL;
    }
    /* Windows sets the last error on success too: 0, or 183 for an existing named object. */
    SetLastError(create && existed ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
    return h;
}

HANDLE ntc_syncobj_open_w(const struct ntc_ops *ops, const WCHAR *name, BOOL create, BOOL inherit,
                          enum ntc_sync_kind kind, int32_t count, int32_t max)
{
    char *n = NULL;
    if (name && !(n = ntc_utf8_from_wide(name)))
        return NULL;
    HANDLE h = ntc_syncobj_open(ops, n, create, inherit, kind, count, max);
    free(n);
    return h;
}

void ntc_syncobj_destroy(struct ntc_object *o)
{
    struct ntc_syncobj *so = (struct ntc_syncobj *)o;
    ntc_seg_release(&so->seg);
    free(so);
}

struct ntc_sync *ntc_syncobj_sync(struct ntc_object *o)
{
    return ((struct ntc_syncobj *)o)->sync;
}

BOOL ntc_syncobj_export(struct ntc_object *o, struct ntc_wire *w)
{
    struct ntc_syncobj *so = (struct ntc_syncobj *)o;
    struct sync_wire sw = {so->seg.named, so->seg.payload_size};
    w->type = o->ops->type;
    w->nfds = 1;
    w->fds[0] = so->seg.fd;
    w->len = sizeof(sw);
    memcpy(w->data, &sw, sizeof(sw));
    return TRUE;
}

struct ntc_object *ntc_syncobj_import(const struct ntc_ops *ops, struct ntc_wire *w)
{
    struct sync_wire sw;
    if (w->nfds < 1 || w->len < sizeof(sw)) {
        for (uint32_t i = 0; i < w->nfds && i < NTC_WIRE_MAXFDS; i++)
            close(w->fds[i]);
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    memcpy(&sw, w->data, sizeof(sw));
    for (uint32_t i = 1; i < w->nfds && i < NTC_WIRE_MAXFDS; i++)
        close(w->fds[i]);
    struct ntc_syncobj *so = calloc(1, sizeof(*so));
    if (!so) {
        close(w->fds[0]);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    if (!ntc_seg_import(w->fds[0], sw.named != 0, (size_t)sw.payload_size, &so->seg)) {
        free(so);
        return NULL;
    }
    so->sync = so->seg.payload;
    ntc_object_init(&so->obj, ops);
    return &so->obj;
}

struct ntc_sync *ntc_syncobj_get(HANDLE h, enum ntc_type t, struct ntc_object **obj)
{
    struct ntc_object *o = ntc_handle_get(h, t);
    *obj = o;
    return o ? ((struct ntc_syncobj *)o)->sync : NULL;
}
