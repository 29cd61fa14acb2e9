/* The readiness engine (engine.h) on libevent: one loop thread, persistent edge-triggered watches.
 */
#include "ntc.h"

#include <errno.h>
#include <event2/event.h>
#include <event2/thread.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

struct ntc_watch {
    struct event *ev;
    ntc_watch_fn fn;
    void *arg;
};

struct deferred {
    void (*fn)(void *arg);
    void *arg;
};

static struct event_base *base;
static pthread_t engine_thread;
static pthread_once_t engine_once = PTHREAD_ONCE_INIT;
static _Thread_local bool on_engine_thread;

static void *engine_main(void *arg)
{
    (void)arg;
    on_engine_thread = true;
    /* Runs forever: the loop is shared by the whole process and never has reason to stop. */
    event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY);
    return NULL;
}

static void engine_start(void)
{
    if (evthread_use_pthreads() != 0)
        return;
    struct event_base *b = event_base_new();
    if (!b)
        return;
    /* Signals belong to the application's threads, never to the engine's. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    base = b;
    if (pthread_create(&engine_thread, &attr, engine_main, NULL) != 0) {
        base = NULL;
        event_base_free(b);
    }
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* The running loop's base, or NULL (errno ENOMEM) when it could not be started. */
static struct event_base *engine(void)
{
    pthread_once(&engine_once, engine_start);
    if (!base)
        errno = ENOMEM;
    return base;
}

static void watch_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    struct ntc_watch *w = arg;
    unsigned events =
        ((what & EV_READ) ? NTC_WATCH_READ : 0) | ((what & EV_WRITE) ? NTC_WATCH_WRITE : 0);
    /* fn may free w: nothing here touches w afterwards. */
    w->fn(w, events, w->arg);
}

struct ntc_watch *ntc_watch_new(int fd, unsigned events, ntc_watch_fn fn, void *arg)
{
    struct event_base *b = engine();
    if (!b)
        return NULL;
    struct ntc_watch *w = malloc(sizeof(*w));
    if (!w) {
        errno = ENOMEM;
        return NULL;
    }
    short what = EV_PERSIST | EV_ET | ((events & NTC_WATCH_READ) ? EV_READ : 0) |
                 ((events & NTC_WATCH_WRITE) ? EV_WRITE : 0);
    w->fn = fn;
    w->arg = arg;
    w->ev = event_new(b, fd, what, watch_cb, w);
    if (!w->ev) {
        free(w);
        errno = ENOMEM;
        return NULL;
    }
    if (event_add(w->ev, NULL) != 0) {
        int e = errno ? errno : EINVAL;
        event_free(w->ev);
        free(w);
        errno = e;
        return NULL;
    }
    return w;
}

void ntc_watch_free(struct ntc_watch *w)
{
    if (!w)
        return;
    /* libevent's event_del waits for a callback running on the engine thread, unless it is called
     * from that callback itself; event_free calls it. */
    event_free(w->ev);
    free(w);
}

static void deferred_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct deferred d = *(struct deferred *)arg;
    free(arg);
    d.fn(d.arg);
}

bool ntc_engine_defer(void (*fn)(void *arg), void *arg)
{
    struct event_base *b = engine();
    if (!b)
        return false;
    struct deferred *d = malloc(sizeof(*d));
    if (!d)
        return false;
    d->fn = fn;
    d->arg = arg;
    const struct timeval now = {0, 0};
    if (event_base_once(b, -1, EV_TIMEOUT, deferred_cb, d, &now) != 0) {
        free(d);
        return false;
    }
    return true;
}

bool ntc_engine_is_current(void)
{
    return on_engine_thread;
}

/* libevent's loop belongs to its thread: borrowers always sleep instead. */
bool ntc_engine_borrow(int ms, struct ntc_engine_lease *lease)
{
    (void)ms, (void)lease;
    return false;
}

void ntc_engine_wake_loop(void *loop)
{
    (void)loop;
}
