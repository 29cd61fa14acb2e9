/* Inside a serving process: the server, its connections, acceptors and workers. */
#ifndef NTMPM_SERVER_INT_H
#define NTMPM_SERVER_INT_H

#include "mpm_int.h"
#include "http_min.h"

/* A connection's buffer: request heads up to 8 KiB (httpd's LimitRequestFieldSize), plus room for
 * AcceptEx's two address areas. */
#define CONN_BUF 8192
#define ACCEPT_ADDR_LEN ((DWORD)sizeof(SOCKADDR_IN6) + 16)
#define ACCEPT_DATA_LEN (CONN_BUF - 2 * ACCEPT_ADDR_LEN)

enum conn_phase { PH_READ, PH_SEND };

struct conn {
    OVERLAPPED ov; /* first: a completion's OVERLAPPED is its conn */
    struct server *srv;
    SOCKET s;
    SRWLOCK lock;       /* pending + deadline, against the timer's cancel */
    int pending;        /* an overlapped operation is out */
    ULONGLONG deadline; /* GetTickCount64 time the pending operation may last until */
    enum conn_phase phase;
    unsigned requests;
    size_t len;  /* bytes in buf */
    size_t used; /* bytes of buf the current request took */
    struct http_resp resp;
    TRANSMIT_FILE_BUFFERS tfb;
    WSABUF wb[2];
    DWORD flags;
    char client[48];
    struct conn *prev, *next; /* the server's live list */
    char buf[CONN_BUF];
};

struct acceptor;

struct server {
    const struct server_config *conf;
    HANDLE port;
    HANDLE *workers;
    int n_workers;
    struct mpm_listener *listeners;
    size_t n_listeners;
    struct acceptor *acceptors;
    HANDLE timer;
    HANDLE stop_accepting; /* manual-reset: accept threads end */
    HANDLE stop_timer;     /* manual-reset */
    HANDLE idle;           /* manual-reset: stopping and no live connection left */
    volatile LONG stopping;
    SRWLOCK list_lock;
    struct conn *live;
    volatile LONG n_live;
    CRITICAL_SECTION pool_lock;
    struct conn *pool;
    struct sb_row *row;
    struct sb_worker *slots;
    HANDLE recycle;
    volatile LONG accepted;
    volatile LONG inject_faults; /* MPM_ENV_TEST_ACCEPTEX_FAULTS */
    LPFN_TRANSMITFILE transmit_file;
};

/* Scoreboard worker state: several threads write it (the worker, server_stop). */
static inline void sb_set_state(struct sb_worker *w, enum sb_state st)
{
    InterlockedExchange((LONG volatile *)(void *)&w->state, (LONG)st);
}

static inline int server_stopping(struct server *srv)
{
    return InterlockedCompareExchange(&srv->stopping, 0, 0) != 0;
}

/* conn.c */
struct conn *conn_new(struct server *srv);
void conn_free(struct conn *c);
/* An accepted connection (s set, bytes of first data already in buf) joins the live list. */
void conn_track(struct conn *c);
/* Worker side: the first event of a handed-off connection, and every later completion. */
void conn_start(struct conn *c, DWORD first_bytes, struct sb_worker *slot);
void conn_complete(struct conn *c, BOOL ok, DWORD bytes, struct sb_worker *slot);
/* Timer: cancel operations past their deadline (and idle keep-alive ones when stopping). */
void conn_sweep(struct server *srv);

/* accept.c */
int acceptors_start(struct server *srv);
/* 1 when every accept thread has ended. */
int acceptors_join(struct server *srv, DWORD ms);
/* Give an accepted connection to the workers. */
void server_hand_off(struct server *srv, struct conn *c, DWORD bytes);

#endif
