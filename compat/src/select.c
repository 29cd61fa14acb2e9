/* select() over Windows' fd_set (a counted array of SOCKETs), on poll(2). */
#include "net.h"

#include <errno.h>
#include <string.h>

int WSAAPI __WSAFDIsSet(SOCKET fd, fd_set *set)
{
    for (u_int i = 0; set && i < set->fd_count; i++)
        if (set->fd_array[i] == fd)
            return 1;
    return 0;
}

#define MAX_ENTRIES (3 * FD_SETSIZE)

struct entry {
    struct ntc_socket *s;
    SOCKET h;
    int which; /* 0 read, 1 write, 2 except */
};

static unsigned events_for(struct ntc_socket *s, int which)
{
    if (which == 0)
        return NTC_SYS_IN;
    if (which == 1)
        return NTC_SYS_OUT;
    (void)s;
    return NTC_SYS_PRI; /* errors and hang-ups are always reported */
}

/* Whether a socket counts as ready for its set given the poll result [select]. */
static BOOL ready(struct ntc_socket *s, int which, unsigned re)
{
    unsigned st = atomic_load(&s->state);
    BOOL connecting = (st & NTC_SOCK_CONNECTING) != 0;
    switch (which) {
    case 0: /* data, a pending connection, or a closed or reset connection */
        return !connecting && (re & (NTC_SYS_IN | NTC_SYS_HUP | NTC_SYS_ERR)) != 0;
    case 1: /* connected (a failed connect is reported in the except set instead) */
        if (connecting && (re & NTC_SYS_ERR))
            return FALSE;
        if ((re & NTC_SYS_OUT) && connecting) {
            atomic_fetch_and(&s->state, ~NTC_SOCK_CONNECTING);
            atomic_fetch_or(&s->state, NTC_SOCK_CONNECTED);
        }
        return (re & NTC_SYS_OUT) != 0;
    default: /* a failed connect, or out-of-band data */
        return (connecting && (re & NTC_SYS_ERR)) || (re & NTC_SYS_PRI);
    }
}

int WSAAPI select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                  const TIMEVAL *timeout)
{
    (void)nfds; /* ignored, for compatibility with Berkeley sockets [select] */
    if (!ntc_sock_started())
        return SOCKET_ERROR;
    fd_set *sets[3] = {readfds, writefds, exceptfds};
    struct entry e[MAX_ENTRIES];
    struct ntc_sys_pollfd p[MAX_ENTRIES];
    unsigned n = 0;
    DWORD err = 0;
    for (int k = 0; k < 3 && !err; k++) {
        if (!sets[k])
            continue;
        if (sets[k]->fd_count > FD_SETSIZE) {
            err = WSAEINVAL;
            break;
        }
        for (u_int i = 0; i < sets[k]->fd_count; i++) {
            struct ntc_socket *s = ntc_sock_get(sets[k]->fd_array[i]);
            if (!s) {
                err = WSAENOTSOCK;
                break;
            }
            e[n].s = s;
            e[n].h = sets[k]->fd_array[i];
            e[n].which = k;
            p[n].fd = s->fd;
            p[n].events = events_for(s, k);
            p[n].revents = 0;
            n++;
        }
    }
    /* Three empty sets are an error on Windows, not a sleep [select]. */
    if (!err && n == 0)
        err = WSAEINVAL;
    if (!err && timeout && (timeout->tv_sec < 0 || timeout->tv_usec < 0))
        err = WSAEINVAL;
    int r = 0;
    if (!err) {
        int ms = -1;
        if (timeout) {
            long long t = (long long)timeout->tv_sec * 1000 + (timeout->tv_usec + 999) / 1000;
            ms = t > INT32_MAX ? INT32_MAX : (int)t;
        }
        r = ntc_sys_poll(p, n, ms);
        if (r < 0)
            err = ntc_wsa_from_errno(errno);
    }
    int total = 0;
    if (!err) {
        /* Rewrite each set in place with its ready sockets, in their original order. */
        for (int k = 0; k < 3; k++)
            if (sets[k])
                sets[k]->fd_count = 0;
        for (unsigned i = 0; i < n; i++) {
            if (r > 0 && ready(e[i].s, e[i].which, p[i].revents)) {
                fd_set *set = sets[e[i].which];
                set->fd_array[set->fd_count++] = e[i].h;
                total++;
            }
        }
    }
    for (unsigned i = 0; i < n; i++)
        ntc_sock_put(e[i].s);
    if (err) {
        SetLastError(err);
        return SOCKET_ERROR;
    }
    return total;
}
