/* The readiness engine interface: what compat/ needs from epoll/kqueue, behind one small API. */
#ifndef NTC_ENGINE_H
#define NTC_ENGINE_H

#include <stdbool.h>

/*
 * One engine thread, started on first use, runs the loop. A watch is persistent and edge-triggered:
 * the callback runs (on the engine thread) each time the descriptor becomes readable or writable.
 * Callers that register after trying the operation themselves must hold the lock their callback
 * takes, so that no edge is lost between their try and their registration. Another engine (direct
 * epoll, io_uring) can implement the same four functions in its own file.
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
/* Run fn(arg) on the engine thread soon (used to complete work outside a caller's locks). */
bool ntc_engine_defer(void (*fn)(void *arg), void *arg);
/* True when called from the engine thread. */
bool ntc_engine_is_current(void);

#endif
