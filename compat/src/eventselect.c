/* WSAEventSelect and WSAEnumNetworkEvents: network events recorded from the readiness engine. */
#include "net.h"

#include <errno.h>
#include <stdlib.h>

/*
 * Windows records a network event once, signals the event object, and records that event again
 * only after the call that "re-enables" it: accept for FD_ACCEPT, recv for FD_READ, a send that
 * failed with WSAEWOULDBLOCK for FD_WRITE; FD_CONNECT and FD_CLOSE happen once [WSAEventSelect].
 * The engine's watch reports edges; at each edge and at each re-enabling call the current state of
 * the descriptor is evaluated (a zero-timeout poll), so a condition that still holds after the
 * re-enabling call is recorded again at once, as on Windows.
 */
struct ntc_sock_evsel {
    struct ntc_watch *watch;
    HANDLE event;
    LONG mask;     /* events the program asked for */
    LONG record;   /* recorded, not yet enumerated */
    LONG disabled; /* recorded and waiting for the re-enabling call */
    int errors[FD_MAX_EVENTS];
};

/* With s->lock held. */
static void occur(struct ntc_socket *s, struct ntc_sock_evsel *ev, int bit, int error)
{
    LONG ev_bit = 1L << bit;
    if (!(ev->mask & ev_bit) || (ev->disabled & ev_bit))
        return;
    ev->record |= ev_bit;
    ev->disabled |= ev_bit;
    ev->errors[bit] = error;
    (void)s;
    SetEvent(ev->event);
}

static int wsa_error(int e)
{
    return e == 0 ? 0 : (int)ntc_wsa_from_errno(e);
}

/* Look at the descriptor now and record what holds. With s->lock held. */
static void evaluate(struct ntc_socket *s, struct ntc_sock_evsel *ev)
{
    int r = ntc_sys_wait(s->fd, NTC_SYS_IN | NTC_SYS_OUT, -1, 0);
    if (r <= 0)
        return;
    unsigned re = (unsigned)r;
    unsigned st = atomic_load(&s->state);
    if (st & NTC_SOCK_LISTENING) {
        if (re & NTC_SYS_IN)
            occur(s, ev, FD_ACCEPT_BIT, 0);
        return;
    }
    if (st & NTC_SOCK_CONNECTING) {
        if (!(re & (NTC_SYS_OUT | NTC_SYS_ERR | NTC_SYS_HUP)))
            return;
        int e = ntc_sys_sock_error(s->fd);
        atomic_fetch_and(&s->state, ~NTC_SOCK_CONNECTING);
        if (e == 0)
            atomic_fetch_or(&s->state, NTC_SOCK_CONNECTED);
        occur(s, ev, FD_CONNECT_BIT, wsa_error(e < 0 ? errno : e));
        if (e != 0)
            return;
        st = atomic_load(&s->state);
    }
    if (!(st & NTC_SOCK_CONNECTED))
        return;
    if (re & (NTC_SYS_IN | NTC_SYS_HUP | NTC_SYS_ERR)) {
        unsigned n = 0;
        if (ntc_sys_nread(s->fd, &n) == 0 && n > 0) {
            occur(s, ev, FD_READ_BIT, 0);
        } else {
            /* Readable with nothing to read: the peer closed (0) or reset the connection. */
            int e = ntc_sys_sock_error(s->fd);
            occur(s, ev, FD_CLOSE_BIT, e > 0 ? wsa_error(e) : 0);
        }
    }
    if (re & NTC_SYS_OUT)
        occur(s, ev, FD_WRITE_BIT, 0);
}

static void on_ready(struct ntc_watch *w, unsigned events, void *arg)
{
    (void)w, (void)events;
    struct ntc_socket *s = arg;
    pthread_mutex_lock(&s->lock);
    if (s->evsel)
        evaluate(s, s->evsel);
    pthread_mutex_unlock(&s->lock);
}

/* Detach the registration of s (under its lock) and free it outside: ntc_watch_free waits for a
 * running callback, which takes s->lock. */
static void detach(struct ntc_socket *s)
{
    pthread_mutex_lock(&s->lock);
    struct ntc_sock_evsel *ev = s->evsel;
    s->evsel = NULL;
    pthread_mutex_unlock(&s->lock);
    if (ev) {
        if (ev->watch)
            ntc_watch_free(ev->watch);
        free(ev);
    }
}

void ntc_sock_evsel_close(struct ntc_socket *s)
{
    detach(s);
}

void ntc_sock_evsel_reenable(struct ntc_socket *s, LONG events)
{
    pthread_mutex_lock(&s->lock);
    struct ntc_sock_evsel *ev = s->evsel;
    if (ev) {
        ev->disabled &= ~events;
        evaluate(s, ev);
    }
    pthread_mutex_unlock(&s->lock);
}

/* Register (or with events == 0, cancel) the event selection of s; returns 0 or a WSA error. */
static DWORD event_select(struct ntc_socket *s, HANDLE event, LONG events)
{
    detach(s);
    /* The socket becomes non-blocking, and stays so after a cancel [WSAEventSelect]. */
    atomic_fetch_or(&s->state, NTC_SOCK_NONBLOCKING);
    if (events == 0)
        return 0;
    struct ntc_sock_evsel *ev = calloc(1, sizeof(*ev));
    if (!ev)
        return WSAENOBUFS;
    ev->event = event;
    ev->mask = events;
    pthread_mutex_lock(&s->lock);
    /* Under the lock, so that no edge can be evaluated before the state below is in place. */
    ev->watch = ntc_watch_new(s->fd, NTC_WATCH_READ | NTC_WATCH_WRITE, on_ready, s);
    if (!ev->watch) {
        int e = errno;
        pthread_mutex_unlock(&s->lock);
        free(ev);
        return ntc_wsa_from_errno(e);
    }
    if (s->evsel) {
        /* Another thread registered meanwhile: the last call wins. */
        struct ntc_sock_evsel *old = s->evsel;
        s->evsel = ev;
        evaluate(s, ev);
        pthread_mutex_unlock(&s->lock);
        ntc_watch_free(old->watch);
        free(old);
        return 0;
    }
    s->evsel = ev;
    evaluate(s, ev);
    pthread_mutex_unlock(&s->lock);
    return 0;
}

void ntc_sock_evsel_inherit(struct ntc_socket *listener, struct ntc_socket *s)
{
    pthread_mutex_lock(&listener->lock);
    HANDLE event = listener->evsel ? listener->evsel->event : NULL;
    LONG mask = listener->evsel ? listener->evsel->mask : 0;
    pthread_mutex_unlock(&listener->lock);
    if (mask)
        (void)event_select(s, event, mask);
}

int WSAAPI WSAEventSelect(SOCKET s, WSAEVENT hEventObject, LONG lNetworkEvents)
{
    if (!ntc_sock_started())
        return SOCKET_ERROR;
    struct ntc_socket *so = ntc_sock_get(s);
    if (!so)
        return SOCKET_ERROR;
    DWORD err = (lNetworkEvents != 0 && !hEventObject)
                    ? WSAEINVAL
                    : event_select(so, hEventObject, lNetworkEvents);
    ntc_sock_put(so);
    if (err) {
        SetLastError(err);
        return SOCKET_ERROR;
    }
    return 0;
}

int WSAAPI WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, LPWSANETWORKEVENTS lpNetworkEvents)
{
    if (!ntc_sock_started())
        return SOCKET_ERROR;
    struct ntc_socket *so = ntc_sock_get(s);
    if (!so)
        return SOCKET_ERROR;
    if (!lpNetworkEvents) {
        ntc_sock_put(so);
        SetLastError(WSAEFAULT);
        return SOCKET_ERROR;
    }
    pthread_mutex_lock(&so->lock);
    struct ntc_sock_evsel *ev = so->evsel;
    lpNetworkEvents->lNetworkEvents = ev ? ev->record : 0;
    for (int i = 0; i < FD_MAX_EVENTS; i++) {
        lpNetworkEvents->iErrorCode[i] = ev ? ev->errors[i] : 0;
        if (ev)
            ev->errors[i] = 0;
    }
    if (ev)
        ev->record = 0;
    /* The event is reset with the record, atomically with respect to new records. */
    if (hEventObject)
        ResetEvent(hEventObject);
    pthread_mutex_unlock(&so->lock);
    ntc_sock_put(so);
    return 0;
}
