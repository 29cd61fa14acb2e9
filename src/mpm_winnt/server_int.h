/* Inside a serving process: the server, its connections, acceptors and workers. */
#ifndef NTMPM_SERVER_INT_H
#define NTMPM_SERVER_INT_H

#include "mpm_int.h"
#include "../http/http.h"

/* A connection's buffer: CONN_BUF inline (AcceptEx's first data and two address areas land there,
 * and most request heads fit), growing on the heap up to the server's head_max for a long head
 * (every legal head under the configured limits fits); beyond it the parser answers 431 (414 in
 * the request line). An idle keep-alive connection is back on the inline buffer. */
#define CONN_BUF 8192
#define ACCEPT_ADDR_LEN ((DWORD)sizeof(SOCKADDR_IN6) + 16)
#define ACCEPT_DATA_LEN (CONN_BUF - 2 * ACCEPT_ADDR_LEN)
/* httpd's lingering close: after our FIN, read and drop what the client still sends for at most
 * this long, so it gets the answer instead of a reset (SECONDS_TO_LINGER). */
#define LINGER_MS 2000

enum conn_phase { PH_READ, PH_SEND, PH_LINGER };

struct conn {
    OVERLAPPED ov; /* first: a completion's OVERLAPPED is its conn */
    struct server *srv;
    SOCKET s;
    SRWLOCK lock;       /* pending, idle, deadline, timed_out: against the timer */
    int pending;        /* an overlapped operation is out */
    int idle;           /* it is the wait for a next request (KeepAliveTimeout) */
    int timed_out;      /* the timer cancelled it at its deadline */
    ULONGLONG deadline; /* GetTickCount64 time the pending operation may last until */
    enum conn_phase phase;
    char *buf;  /* inline_buf, or a heap buffer while a head is long */
    size_t cap; /* its size */
    size_t len; /* bytes in buf */
    struct http_conn http;
    struct http_request req; /* the request being answered: slices of buf */
    struct http_plan plan;   /* its answer, while have_plan */
    int have_plan;
    uint64_t file_pos, file_left; /* TransmitFile progress (calls are capped at 1 GiB) */
    size_t part;                  /* the multipart/byteranges part being sent */
    int head_sent;                /* of the response, or of the current part */
    uint64_t received_ft; /* FILETIME the current request's first byte was seen; 0: none yet */
    LARGE_INTEGER received_qpc;
    ULONGLONG linger_until;
    TRANSMIT_FILE_BUFFERS tfb;
    WSABUF wb[2];
    DWORD flags;
    unsigned short local_port;
    char client[48];
    char local[48];
    struct conn *prev, *next; /* the server's live list */
    char inline_buf[CONN_BUF];
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
    struct sb_header *sb; /* the whole scoreboard (server-status shows every live row) */
    SRWLOCK *slot_locks;  /* one per slot of our row: its counters and texts */
    uint64_t started_ft;  /* FILETIME this serving core started (server-status' RestartTime) */
    LARGE_INTEGER qpc_freq;
    size_t head_max; /* http_head_max of conf: the most a connection's buffer grows to */
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

/* A connection of this server needs its own slot's lock for the slot's counters and texts. */
static inline SRWLOCK *slot_lock(struct server *srv, struct sb_worker *slot)
{
    return &srv->slot_locks[slot - srv->slots];
}

/* status.c: server-status' snapshot of the scoreboard (http_env.status_snapshot). */
void server_status_snapshot(void *ctx, struct http_status_snapshot *snap);

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
