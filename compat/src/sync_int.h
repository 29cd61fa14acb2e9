/* The sync area's private interface: shared sync state, process-shared locks, futexes, threads. */
#ifndef NTC_SYNC_INT_H
#define NTC_SYNC_INT_H

#include "ntc.h"

#include <time.h>

/*
 * The waitable state of an object. It lives in shared memory (a segment) for events, mutexes and
 * semaphores, so every field is plain data that means the same in every process: no pointers.
 * `lock` guards everything but `seq`, which changes whenever the state may satisfy a waiter and is
 * the futex word waiters sleep on.
 */
struct ntc_sync {
    _Atomic uint32_t lock; /* pid of the holder | NTC_LOCK_WAITERS, 0 when free */
    _Atomic uint32_t seq;
    _Atomic uint32_t ready; /* NTC_SYNC_READY once initialised (named objects race their creator) */
    uint32_t kind;          /* enum ntc_sync_kind */
    uint64_t id;            /* unique across processes: the order in which wait-all takes locks */
    int32_t count;          /* event/notify: 0 or 1; semaphore: count; mutex: recursion depth */
    int32_t max;            /* semaphore maximum */
    uint32_t owner_pid;     /* mutex owner */
    uint32_t owner_tid;
    uint32_t abandoned;        /* mutex: the owner died holding it; the next acquirer is told */
    _Atomic uint32_t sleepers; /* waiters inside futex_wait(v): a change with none skips the wake */
};
#define NTC_SYNC_READY 0x53594e43u
#define NTC_LOCK_WAITERS 0x80000000u

/* Futexes (process-shared: never FUTEX_PRIVATE_FLAG, so a wake in one process reaches another). */
/* Sleep while *w == val, until woken or the absolute CLOCK_MONOTONIC deadline (NULL: forever). */
void ntc_futex_wait(_Atomic uint32_t *w, uint32_t val, const struct timespec *deadline);
void ntc_futex_wake(_Atomic uint32_t *w, int n);
/* Sleep until any words[i] != vals[i] changes, a wake, or the deadline. */
void ntc_futex_waitv(_Atomic uint32_t *const *words, const uint32_t *vals, unsigned n,
                     const struct timespec *deadline);

/* A lock word shared between processes; a holder that died is detected by pid and displaced. */
void ntc_plock(_Atomic uint32_t *w);
void ntc_punlock(_Atomic uint32_t *w);

/* Monotonic clock helpers. */
uint64_t ntc_now_ns(void);
void ntc_deadline_from_ms(struct timespec *ts, DWORD ms);
bool ntc_pid_dead(uint32_t pid);
DWORD ntc_gettid(void);
uint32_t ntc_getpid(void); /* cached; correct after fork */

/* Initialise a sync in place; the last store publishes it (ready). */
void ntc_sync_init(struct ntc_sync *s, enum ntc_sync_kind kind, int32_t count, int32_t max);
/* Wait (bounded) until a sync made by another process is initialised; FALSE if it never was. */
BOOL ntc_sync_wait_ready(struct ntc_sync *s);
/* After changing the state under the lock: bump seq and wake every waiter. */
void ntc_sync_changed(struct ntc_sync *s);

/* Events, mutexes and semaphores: an object whose sync lives in a segment. */
struct ntc_syncobj {
    struct ntc_object obj;
    struct ntc_seg seg;
    struct ntc_sync *sync;
};
/*
 * Create (or open, with create=FALSE) an object of ops->type; name is UTF-8 or NULL. On success
 * returns a handle and sets the last error to 0 or ERROR_ALREADY_EXISTS. NULL with the error set.
 */
HANDLE ntc_syncobj_open(const struct ntc_ops *ops, const char *name, BOOL create, BOOL inherit,
                        enum ntc_sync_kind kind, int32_t count, int32_t max);
/* The same for a WCHAR name. */
HANDLE ntc_syncobj_open_w(const struct ntc_ops *ops, const WCHAR *name, BOOL create, BOOL inherit,
                          enum ntc_sync_kind kind, int32_t count, int32_t max);
void ntc_syncobj_destroy(struct ntc_object *o);
struct ntc_sync *ntc_syncobj_sync(struct ntc_object *o);
BOOL ntc_syncobj_export(struct ntc_object *o, struct ntc_wire *w);
struct ntc_object *ntc_syncobj_import(const struct ntc_ops *ops, struct ntc_wire *w);
/* Look up h as type t and return its sync (the reference goes to *obj). */
struct ntc_sync *ntc_syncobj_get(HANDLE h, enum ntc_type t, struct ntc_object **obj);

/* Threads (thread.c): the mutexes a thread owns, abandoned when it exits. */
void ntc_thread_owns_mutex(struct ntc_object *mutex);
void ntc_thread_disowns_mutex(struct ntc_object *mutex);

/* Abandon a mutex whose owner is gone (under the sync lock); returns TRUE if it was owned. */
void ntc_mutex_abandon_locked(struct ntc_sync *s);

#endif
