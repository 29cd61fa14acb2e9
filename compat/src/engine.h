/* The readiness engine interface: what compat/ needs from epoll/kqueue, behind one small API. */
#ifndef NTC_ENGINE_H
#define NTC_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Engine threads, started on first use, run the loops (engine_epoll.c: one loop per processor,
 * which threads waiting on a completion port may borrow; engine_libevent.c: one loop and thread;
 * the meson option `engine` picks). A watch is persistent and edge-triggered: the callback runs
 * each time the descriptor becomes readable or writable, on the thread running its loop, never
 * twice at once. Callers that register after trying the operation themselves must hold the lock
 * their callback takes, so that no edge is lost between their try and their registration.
 */
#define NTC_WATCH_READ 0x1u
#define NTC_WATCH_WRITE 0x2u

struct ntc_watch;
typedef void (*ntc_watch_fn)(struct ntc_watch *w, unsigned events, void *arg);

/* Start watching fd for events; NULL with errno set on failure. */
struct ntc_watch *ntc_watch_new(int fd, unsigned events, ntc_watch_fn fn, void *arg);
/* Stop watching and free. On return fn is not running and never runs again, except when called
 * from fn itself (allowed), where fn finishes normally. The descriptor is not closed. */
void ntc_watch_free(struct ntc_watch *w);
/* Run fn(arg) on a loop soon (used to complete work outside a caller's locks). */
bool ntc_engine_defer(void (*fn)(void *arg), void *arg);
/* True when called from an engine thread (not from a borrower). */
bool ntc_engine_is_current(void);

/*
 * Borrowing a loop (completion ports, iocp.c): a thread about to sleep runs one turn of a loop
 * itself, so that what its callbacks complete is consumed without waking another thread. The turn
 * waits up to ms (-1: no limit) for readiness, unless *lease->stop is non-zero once the loop is
 * taken, runs the callbacks due and returns true. While it runs, lease->loop names the loop (set
 * before *lease->stop is read, both sequentially consistent) for ntc_engine_wake_loop. Returns
 * false at once when no loop can be lent (all taken by borrowers, or libevent, which lends none).
 */
struct ntc_engine_lease {
    _Atomic uint32_t *stop;
    _Atomic(void *) loop;
};
bool ntc_engine_borrow(int ms, struct ntc_engine_lease *lease);
/* End the wait of a loop's current turn soon (its borrower has a packet to take). */
void ntc_engine_wake_loop(void *loop);

#endif
