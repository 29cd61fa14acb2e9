/* The readiness engine (engine.h) on epoll: persistent edge-triggered watches spread over one loop
 * per processor, each of which a thread about to sleep in GetQueuedCompletionStatus can borrow. */
#include "iocp.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

/*
 * Watches are spread over up to MAX_LOOPS loops (one per processor), each an epoll set with its own
 * engine thread, like one event loop per worker process in nginx. A loop has one holder at a time:
 * its engine thread, or a borrower (ntc_engine_borrow). Only the holder waits in epoll_wait and
 * runs callbacks, so the callbacks of a watch never run concurrently, and an events array is alive
 * only while its holder dispatches it: a freed watch goes to its loop's garbage list, which the
 * next holder frees before it waits, when no array can still name it.
 *
 * Borrowers take loops because the completions their callbacks publish are then consumed on the
 * same thread, with no wake-up of another one (iocp.c). A loop's engine thread steps aside for a
 * borrower, and takes the loop back when it sees, SAFETY_MS later, that no borrower took a turn
 * meanwhile: readiness is never left unattended while every borrower is busy elsewhere.
 */
#define MAX_LOOPS 8
#define MAX_EVENTS 64
#define SAFETY_MS 10
#define IDLE_MAX_MS 1000

enum holder { H_NONE, H_ENGINE, H_BORROWER };

struct loop {
    int epfd, wakefd;
    pthread_mutex_t lock;
    pthread_cond_t engine_cond;  /* the engine thread waits for the loop here */
    pthread_cond_t changed_cond; /* a callback ended, or the engine thread let the loop go */
    enum holder holder;
    unsigned long polls; /* turns started: the engine thread sees whether borrowers poll */
    bool engine_waiting; /* the engine thread sleeps on engine_cond */
    unsigned interval;   /* its current look interval in ms */
    int step_aside;      /* borrowers waiting for the engine thread to let the loop go */
    struct ntc_watch *current;
    pthread_t current_thread;
    struct ntc_watch *garbage;
    struct ntc_watch *live; /* every watch: the kernel's copy of the pointer is not enough for
                               leak checkers */
};

struct ntc_watch {
    struct loop *loop;
    int fd;
    unsigned events;
    ntc_watch_fn fn;
    void *arg;
    bool dead;                     /* ntc_watch_free was called: skip its pending events */
    struct ntc_watch *garbage;     /* the loop's garbage list */
    struct ntc_watch *prev, *next; /* the loop's live list */
};

struct deferred {
    struct deferred *next;
    void (*fn)(void *arg);
    void *arg;
};

static struct loop loops[MAX_LOOPS];
static unsigned n_loops;
static atomic_uint next_loop; /* round robin for new watches */
static pthread_mutex_t deferred_lock = PTHREAD_MUTEX_INITIALIZER;
static struct deferred *deferred_head, *deferred_tail; /* run by loop 0 */
static pthread_once_t engine_once = PTHREAD_ONCE_INIT;
static bool engine_ok;
static _Thread_local bool on_engine_thread;
static _Thread_local unsigned loop_hint; /* the loop this thread borrowed last */

static void kick(struct loop *l)
{
    uint64_t one = 1;
    ssize_t r = write(l->wakefd, &one, sizeof(one));
    (void)r; /* EAGAIN: the counter is saturated, a wake-up is pending anyway */
}

static unsigned to_watch_events(uint32_t e)
{
    unsigned r = 0;
    if (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
        r |= NTC_WATCH_READ;
    if (e & (EPOLLOUT | EPOLLHUP | EPOLLERR))
        r |= NTC_WATCH_WRITE;
    return r;
}

/* The holder, before it waits: no events array of an earlier turn is alive any more. */
static void free_garbage(struct loop *l)
{
    pthread_mutex_lock(&l->lock);
    struct ntc_watch *g = l->garbage;
    l->garbage = NULL;
    pthread_mutex_unlock(&l->lock);
    while (g) {
        struct ntc_watch *next = g->garbage;
        free(g);
        g = next;
    }
}

static void run_deferred(void)
{
    pthread_mutex_lock(&deferred_lock);
    struct deferred *d = deferred_head;
    deferred_head = deferred_tail = NULL;
    pthread_mutex_unlock(&deferred_lock);
    while (d) {
        struct deferred *next = d->next;
        d->fn(d->arg);
        free(d);
        d = next;
    }
}

/* One turn of loop l, by its holder: wait up to ms (-1: no limit), run what is ready. */
static void turn(struct loop *l, int ms)
{
    free_garbage(l);
    struct epoll_event evs[MAX_EVENTS];
    int n = epoll_wait(l->epfd, evs, MAX_EVENTS, ms);
    if (n < 0)
        return; /* EINTR: the caller comes back */
    pthread_t self = pthread_self();
    bool woken = false;
    for (int i = 0; i < n; i++) {
        struct ntc_watch *w = evs[i].data.ptr;
        if (!w) {
            uint64_t v;
            ssize_t r = read(l->wakefd, &v, sizeof(v));
            (void)r;
            woken = true;
            continue;
        }
        pthread_mutex_lock(&l->lock);
        if (w->dead) {
            pthread_mutex_unlock(&l->lock);
            continue;
        }
        unsigned events = to_watch_events(evs[i].events) & w->events;
        ntc_watch_fn fn = w->fn;
        void *arg = w->arg;
        l->current = w;
        l->current_thread = self;
        pthread_mutex_unlock(&l->lock);
        if (events)
            fn(w, events, arg); /* may free w: it stays allocated until the next turn */
        pthread_mutex_lock(&l->lock);
        l->current = NULL;
        pthread_cond_broadcast(&l->changed_cond);
        pthread_mutex_unlock(&l->lock);
    }
    if (woken && l == &loops[0])
        run_deferred();
}

static void *engine_main(void *arg)
{
    struct loop *l = arg;
    on_engine_thread = true;
    unsigned long seen = 0;
    bool queued = false;
    pthread_mutex_lock(&l->lock);
    for (;;) {
        /* Take the loop when it is free and nobody took a turn since the last look. */
        if (l->holder == H_NONE && l->step_aside == 0 && l->polls == seen) {
            l->holder = H_ENGINE;
            l->polls++;
            pthread_mutex_unlock(&l->lock);
            turn(l, -1);
            pthread_mutex_lock(&l->lock);
            l->holder = H_NONE;
            pthread_cond_broadcast(&l->changed_cond);
            seen = l->polls;
            l->interval = SAFETY_MS;
            continue;
        }
        /* A borrower holds the loop or held it lately. While one sits in the same turn and no
         * port has packets waiting, the process is idle: look less often. */
        if (l->holder == H_BORROWER && l->polls == seen && !queued)
            l->interval = l->interval * 2 > IDLE_MAX_MS ? IDLE_MAX_MS : l->interval * 2;
        else
            l->interval = SAFETY_MS;
        seen = l->polls;
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += l->interval / 1000;
        until.tv_nsec += (long)(l->interval % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        l->engine_waiting = true;
        pthread_cond_timedwait(&l->engine_cond, &l->lock, &until);
        l->engine_waiting = false;
        if (l == &loops[0]) {
            /* Ports are this engine's business too: packets must not wait behind a consumer
             * that blocked (iocp.c). */
            pthread_mutex_unlock(&l->lock);
            queued = ntc_port_check_stalled();
            pthread_mutex_lock(&l->lock);
        }
    }
    return NULL;
}

static bool loop_start(struct loop *l)
{
    l->epfd = epoll_create1(EPOLL_CLOEXEC);
    l->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (l->epfd < 0 || l->wakefd < 0)
        return false;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.ptr = NULL};
    if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->wakefd, &ev) != 0)
        return false;
    pthread_mutex_init(&l->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&l->engine_cond, &ca);
    pthread_condattr_destroy(&ca);
    pthread_cond_init(&l->changed_cond, NULL);
    l->interval = SAFETY_MS;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t t;
    bool ok = pthread_create(&t, &attr, engine_main, l) == 0;
    pthread_attr_destroy(&attr);
    return ok;
}

static void engine_start(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned want = cpus < 1 ? 1 : cpus > MAX_LOOPS ? MAX_LOOPS : (unsigned)cpus;
    /* Signals belong to the application's threads, never to the engine's. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    while (n_loops < want && loop_start(&loops[n_loops]))
        n_loops++;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    engine_ok = n_loops > 0;
}

static bool engine(void)
{
    pthread_once(&engine_once, engine_start);
    if (!engine_ok)
        errno = ENOMEM;
    return engine_ok;
}

static void unlink_live(struct loop *l, struct ntc_watch *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        l->live = w->next;
    if (w->next)
        w->next->prev = w->prev;
}

struct ntc_watch *ntc_watch_new(int fd, unsigned events, ntc_watch_fn fn, void *arg)
{
    if (!engine())
        return NULL;
    struct ntc_watch *w = malloc(sizeof(*w));
    if (!w) {
        errno = ENOMEM;
        return NULL;
    }
    struct loop *l =
        &loops[atomic_fetch_add_explicit(&next_loop, 1, memory_order_relaxed) % n_loops];
    /* Filled under the lock that the holder takes before it reads them. */
    pthread_mutex_lock(&l->lock);
    *w = (struct ntc_watch){
        .loop = l, .fd = fd, .events = events, .fn = fn, .arg = arg, .next = l->live};
    if (l->live)
        l->live->prev = w;
    l->live = w;
    pthread_mutex_unlock(&l->lock);
    struct epoll_event ev = {
        .events = EPOLLET | EPOLLRDHUP | ((events & NTC_WATCH_READ) ? EPOLLIN : 0) |
                  ((events & NTC_WATCH_WRITE) ? EPOLLOUT : 0),
        .data.ptr = w,
    };
    if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
        int e = errno;
        pthread_mutex_lock(&l->lock);
        unlink_live(l, w);
        pthread_mutex_unlock(&l->lock);
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
    struct loop *l = w->loop;
    /* The descriptor is still open (the contract), so this removes exactly this watch. */
    epoll_ctl(l->epfd, EPOLL_CTL_DEL, w->fd, NULL);
    pthread_t self = pthread_self();
    pthread_mutex_lock(&l->lock);
    w->dead = true;
    /* Wait for a callback running elsewhere; from inside the callback, just return. */
    while (l->current == w && !pthread_equal(l->current_thread, self))
        pthread_cond_wait(&l->changed_cond, &l->lock);
    unlink_live(l, w);
    w->garbage = l->garbage;
    l->garbage = w;
    pthread_mutex_unlock(&l->lock);
}

bool ntc_engine_defer(void (*fn)(void *arg), void *arg)
{
    if (!engine())
        return false;
    struct deferred *d = malloc(sizeof(*d));
    if (!d)
        return false;
    *d = (struct deferred){.fn = fn, .arg = arg};
    pthread_mutex_lock(&deferred_lock);
    if (deferred_tail)
        deferred_tail->next = d;
    else
        deferred_head = d;
    deferred_tail = d;
    pthread_mutex_unlock(&deferred_lock);
    kick(&loops[0]);
    return true;
}

bool ntc_engine_is_current(void)
{
    return on_engine_thread;
}

/* With l->lock held: make l the caller's (its engine thread first finishes its turn). */
static bool take_loop(struct loop *l, bool from_engine)
{
    if (l->holder == H_ENGINE && from_engine) {
        l->step_aside++;
        kick(l);
        while (l->holder == H_ENGINE)
            pthread_cond_wait(&l->changed_cond, &l->lock);
        l->step_aside--;
    }
    if (l->holder != H_NONE)
        return false;
    l->holder = H_BORROWER;
    l->polls++;
    return true;
}

bool ntc_engine_borrow(int ms, struct ntc_engine_lease *lease)
{
    if (!engine())
        return false;
    /* A free loop first, starting with the last one this thread ran; else one that only its
     * engine thread holds. */
    struct loop *l = NULL;
    for (int pass = 0; pass < 2 && !l; pass++) {
        for (unsigned i = 0; i < n_loops && !l; i++) {
            struct loop *c = &loops[(loop_hint + i) % n_loops];
            pthread_mutex_lock(&c->lock);
            if (take_loop(c, pass == 1)) {
                l = c;
                loop_hint = (loop_hint + i) % n_loops;
            } else {
                pthread_mutex_unlock(&c->lock);
            }
        }
    }
    if (!l)
        return false;
    /* After an idle stretch the engine thread looks rarely: make it look often again. */
    if (l->interval > SAFETY_MS && l->engine_waiting)
        pthread_cond_signal(&l->engine_cond);
    pthread_mutex_unlock(&l->lock);
    atomic_store_explicit(&lease->loop, l, memory_order_seq_cst);
    bool stop = atomic_load_explicit(lease->stop, memory_order_seq_cst) != 0;
    turn(l, stop ? 0 : ms);
    atomic_store_explicit(&lease->loop, NULL, memory_order_seq_cst);
    pthread_mutex_lock(&l->lock);
    l->holder = H_NONE;
    if (l->interval > SAFETY_MS && l->engine_waiting)
        pthread_cond_signal(&l->engine_cond);
    pthread_mutex_unlock(&l->lock);
    return true;
}

void ntc_engine_wake_loop(void *loop)
{
    kick(loop);
}
