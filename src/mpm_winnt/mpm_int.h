/* The winnt MPM's internal contract: logging, listeners, the in-child server, parent and child. */
#ifndef NTMPM_MPM_INT_H
#define NTMPM_MPM_INT_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>

#include "../mpm.h"
#include "scoreboard.h"

#include <stddef.h>
#include <stdint.h>

/* Exit codes of a child that the parent reads. */
#define MPM_CHILD_EXIT_OK 0    /* told to exit */
#define MPM_CHILD_EXIT_FATAL 3 /* could not start: do not retry at once */

/* Completion keys of the child's port. */
#define MPM_KEY_CONN 1     /* I/O of a connection (the OVERLAPPED is a struct conn's) */
#define MPM_KEY_ACCEPTED 2 /* a new connection from an accept thread */
#define MPM_KEY_SHUTDOWN 3 /* a worker exits */

/* ---- logging (log.c's sink through struct mpm_log; stderr until one is given) -----------------
 */
void mpm_log_set(const struct mpm_log *log);
void mpm_logf(enum config_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Reopen the ErrorLog for conf (NULL sink: nothing). */
void mpm_log_reopen(const struct server_config *conf);
/* A config_sink that logs warnings. */
struct config_sink mpm_config_sink(void);
/* Log a config error the way -t shows it (file, line, directive). */
void mpm_log_config_error(const char *what, const struct config_error *err);

/* ---- listeners (listen.c) ---------------------------------------------------------------------
 */
struct mpm_listener {
    SOCKET s;
    int family;
    char *host; /* as configured (NULL: every address) */
    unsigned short port;
    char *protocol;
    enum config_accept_mode mode;
};

/* Bind conf's Listen lines, reusing the matching sockets of prev (restart; may be NULL), whose
 * unused ones are closed once the caller commits. 0, or -1 after logging file:line. */
int mpm_listen_open(const struct server_config *conf, struct mpm_listener *prev, size_t n_prev,
                    struct mpm_listener **out, size_t *n_out);
void mpm_listen_close(struct mpm_listener *ls, size_t n);
/* Release the list without closing sockets (they moved to another list). */
void mpm_listen_forget(struct mpm_listener *ls, size_t n);
/* "127.0.0.1:80" / "[::1]:80" / "0.0.0.0:80" for messages. */
void mpm_listen_name(const struct mpm_listener *l, char *buf, size_t size);

/* ---- the serving core of a child (server.c and friends) ---------------------------------------
 */
struct server;
struct server_start {
    const struct server_config *conf;
    struct mpm_listener *listeners; /* the server owns and closes the sockets */
    size_t n_listeners;
    struct sb_row *row;      /* this process's scoreboard row */
    struct sb_worker *slots; /* its ThreadLimit worker slots */
    HANDLE recycle;          /* set once MaxConnectionsPerChild is reached (may be NULL) */
    struct sb_header *sb;    /* the whole scoreboard, for server-status */
};
/* Start workers, accept threads and the timer. NULL after logging on failure. */
struct server *server_start(const struct server_start *s);
/* Graceful stop: stop accepting, close idle connections, give in-flight ones TimeOut. 1 when
 * every thread has ended (the configuration may be freed), 0 when some are still stuck. */
int server_stop(struct server *srv);

/* ---- scoreboard (scoreboard.c) ----------------------------------------------------------------
 */
struct scoreboard {
    HANDLE mapping;
    HANDLE file; /* ScoreBoardFile, else INVALID_HANDLE_VALUE */
    struct sb_header *sb;
    size_t size;
};
int scoreboard_create(const struct server_config *conf, struct scoreboard *out);
int scoreboard_attach(HANDLE mapping, size_t size, struct scoreboard *out);
void scoreboard_close(struct scoreboard *sb);
/* A free row (pid 0), or the oldest generation's. */
int scoreboard_take_row(struct scoreboard *sb, unsigned generation);
void scoreboard_clear_row(struct scoreboard *sb, int row);

/* ---- PidFile and control (pidfile.c, control.c) -----------------------------------------------
 */
int pidfile_write(const char *path, DWORD pid);
int pidfile_read(const char *path, DWORD *pid);
void pidfile_remove(const char *path);
/* "ntmpm<pid>_shutdown" / "ntmpm<pid>_restart". */
void control_event_name(char *buf, size_t size, DWORD pid, const char *what);
/* Run a -k verb against the running server. Exit code. */
int control_signal(const struct mpm_run *r);
/* -k start: start ourselves detached and wait until we accept connections. Exit code. */
int control_start_detached(const struct mpm_run *r);
/* Environment variable with the inheritable event -k start waits on (handle value, decimal). */
#define MPM_ENV_START_EVENT "NTMPM_START_EVENT"

/* ---- handshake (handshake.c) ------------------------------------------------------------------
 */
struct handshake {
    uint32_t generation;
    uint32_t parent_pid;
    HANDLE ready, exit, start_mutex, scoreboard, recycle; /* values valid in the child */
    uint32_t sb_row;
    uint64_t sb_size;
    const char *config; /* serialised config_flat */
    size_t config_len;
    WSAPROTOCOL_INFOW *sockets;
    uint32_t n_sockets;
    int32_t *modes; /* accept mode per socket */
};
int handshake_send(HANDLE pipe, const struct handshake *h);
/* Reads from pipe; allocates config, sockets and modes (free them). 0 or -1. */
int handshake_receive(HANDLE pipe, struct handshake *h);

/* ---- processes
 * ---------------------------------------------------------------------------------*/
int parent_run(const struct mpm_run *r);
int child_run(const struct mpm_run *r);
int one_process_run(const struct mpm_run *r);
/* Console control (Ctrl+C, SIGINT, SIGTERM) sets this event. */
void mpm_console_on_stop(HANDLE ev);

#endif
