/* HTTP/1.1 for the MPM's connections: bytes in, decisions out (parse, plan a response, log it). */
#ifndef NTMPM_HTTP_H
#define NTMPM_HTTP_H

#include <windows.h>

#include "../config.h"

#include <stddef.h>
#include <stdint.h>

/*
 * The connection code owns sockets, buffers, timers and I/O; this library never blocks and never
 * touches a socket. One connection's loop:
 *
 *     http_conn_init(&c->http);                              once per connection
 *     r = http_parse_request(&c->http, buf, len, &req);      on every read
 *       HTTP_NEED_MORE:  drop req.consumed bytes (a discarded body), read more (TimeOut)
 *       HTTP_COMPLETE / HTTP_ERROR:
 *         http_prepare_response(&req, &env, &plan);          req points into buf: keep it
 *         send plan.head, then plan.body (memory) or TransmitFile(plan.file, plan.file_offset,
 *           plan.file_length) -- plan.head can go as TransmitFile's Head
 *           or, with plan.n_parts > 0 (multipart/byteranges), for each part TransmitFile(
 *           plan.file, part.offset, part.length) with part.head as Head (parts[0].head already
 *           holds plan.head), plan.tail as the last call's Tail
 *         http_log_access(&req, &plan, &env, &timing);
 *         http_plan_release(&plan);
 *         plan.keep_alive ? drop req.consumed bytes and loop : close (lingering)
 *
 * Pipelining: req.consumed counts only this request's bytes (plus a discarded body's, when they
 * are already in buf); the bytes after them are the next request. A request body that is not in
 * buf yet is skipped by the next http_parse_request calls (its bytes come back as consumed with
 * HTTP_NEED_MORE), so keep-alive stays in sync with no extra calls.
 */

/* ---- registration and per-process setup -------------------------------------------------- */

/* Register the HTTP modules' directives (core HTTP extras, mime, dir, log_config, status,
 * authz_core) with the config reader. Call before config_load/config_apply in every process (the
 * control process and the child); idempotent, not thread-safe (call at startup). */
void http_register_modules(void);

/* The child, once its configuration is applied (and again after a new one): open the CustomLog /
 * TransferLog files, load TypesConfig. 0, or -1 with a reason in err. */
int http_child_init(const struct server_config *conf, char *err, size_t errlen);
/* Close the access logs (the child's exit). */
void http_child_exit(void);

/* ---- parsing ------------------------------------------------------------------------------ */

enum http_parse_result {
    HTTP_NEED_MORE = 0, /* no complete head yet: read more (req.consumed may be > 0) */
    HTTP_COMPLETE = 1,  /* a request head is in req: prepare the response */
    HTTP_ERROR = 2,     /* a bad request: req.status says which; prepare the (error) response */
};

/* Per-connection state; zeroed by http_conn_init. Plain data, no allocation. */
struct http_conn {
    unsigned requests;     /* responses prepared on this connection */
    size_t scanned;        /* bytes of the current head already split into lines */
    unsigned head_lines;   /* complete lines in those bytes (the request line counts) */
    uint64_t body_left;    /* bytes of a previous request's body still to skip */
    int chunk_state;       /* chunked decoder state (0: not in a chunked body) */
    uint64_t chunk_left;   /* bytes left of the current chunk, or of its size line */
    unsigned chunk_digits; /* hex digits read in the size line */
};
void http_conn_init(struct http_conn *hc);

/* A slice of the caller's buffer. */
struct http_str {
    const char *p;
    size_t n;
};

enum http_method {
    HTTP_M_OTHER = 0, /* a valid token we do not know: 501 */
    HTTP_M_GET,
    HTTP_M_HEAD,
    HTTP_M_OPTIONS,
    HTTP_M_POST,
    HTTP_M_PUT,
    HTTP_M_DELETE,
    HTTP_M_PATCH,
    HTTP_M_TRACE,
    HTTP_M_CONNECT,
};

/* A parsed request: slices point into the buffer given to http_parse_request. */
struct http_request {
    int status;      /* 0, or the error status when HTTP_ERROR (400, 414, 431, 501, 505...) */
    int must_close;  /* the connection must close after the answer (framing can't be trusted) */
    size_t consumed; /* bytes of buf this request (and any body skipped already) used */
    size_t head_len; /* the head's length from its request line (blank lines before it excluded) */
    struct http_str line;    /* request line without CRLF ("-" in logs when empty) */
    struct http_str method;  /* as sent */
    struct http_str target;  /* request-target as sent */
    struct http_str path;    /* target up to '?' (still percent-encoded) */
    struct http_str query;   /* after '?', without it; n == 0 when none */
    struct http_str headers; /* the header lines (for %{Name}i lookups), after the request line */
    enum http_method m;
    int version; /* 9 (never: rejected), 10, 11 */
    /* The headers the server acts on (p == NULL when absent). */
    struct http_str host, connection, if_modified_since, if_unmodified_since, if_none_match,
        if_match, if_range, range;
    int has_host;
    int conn_close, conn_keep_alive; /* Connection: close / keep-alive tokens */
    int chunked;                     /* Transfer-Encoding: chunked (its body is skipped) */
    uint64_t content_length;         /* 0 when absent */
    int expect_100;                  /* Expect: 100-continue (any version: httpd's expecting_100) */
};

/* Parse the request at the start of buf[0..len): skip what is left of a previous body, then the
 * blank lines RFC 9112 2.2 allows, then one head. Limits come from conf (LimitRequestLine,
 * LimitRequestFieldSize, LimitRequestFields); cap is the caller's buffer size: a head that cannot
 * fit is an error (431, or 414 while still in the request line). Never reads past len. */
enum http_parse_result http_parse_request(struct http_conn *hc, const struct server_config *conf,
                                          const char *buf, size_t len, size_t cap,
                                          struct http_request *req);

/* The most bytes a head within conf's limits can take: the request line (LimitRequestLine),
 * LimitRequestFields lines of LimitRequestFieldSize, their CRLFs and the blank line, as httpd
 * accepts. LimitRequestFields 0 (unlimited) is still bounded, by HTTP_HEAD_MAX_UNLIMITED. A
 * connection's buffer may grow to it; pass it as http_parse_request's cap. */
#define HTTP_HEAD_MAX_UNLIMITED ((size_t)16 << 20)
size_t http_head_max(const struct server_config *conf);

/* Look up a request header by name (case-insensitive); the first one. */
int http_request_header(const struct http_request *req, const char *name, struct http_str *value);

/* ---- the response plan -------------------------------------------------------------------- */

/* Where the request came from and the server's state, for one response. */
struct http_status_snapshot;
struct http_env {
    const struct server_config *conf;
    const char *client_ip;     /* "192.0.2.1" / "::1" */
    const char *local_ip;      /* the address the connection was accepted on */
    unsigned short local_port; /* its port */
    int may_keep_alive;        /* 0 while the server is stopping: answer, then close */
    /* server-status: fill a snapshot of the scoreboard (see below). NULL: 404 for the handler. */
    void (*status_snapshot)(void *ctx, struct http_status_snapshot *snap);
    void *status_ctx;
};

#define HTTP_HEAD_MAX 2048

/* One part of a multipart/byteranges body: its head (boundary and part headers), then its file
 * bytes. */
struct http_part {
    const char *head;
    size_t head_len;
    uint64_t offset, length;
};

/* Don't copy a plan: head may point into it. */
struct http_plan {
    int status;
    const char *head; /* status line + headers + blank line: head_buf, or owned_head when long */
    size_t head_len;
    /* The body: memory (body/body_len), or a file (file != INVALID_HANDLE_VALUE), never both.
     * HEAD and 304 responses have neither (their head still says the length). */
    const char *body;
    size_t body_len;
    HANDLE file;          /* opened for reading; http_plan_release closes it */
    uint64_t file_offset; /* TransmitFile: set the OVERLAPPED's Offset/OffsetHigh to it */
    uint64_t file_length;
    /* multipart/byteranges (n_parts > 0, file set): the parts replace file_offset/file_length, and
     * parts[0].head starts with head (TransmitFile takes one Head buffer). */
    const struct http_part *parts;
    size_t n_parts;
    const char *tail; /* the closing boundary, after the last part's bytes */
    size_t tail_len;
    int keep_alive;      /* the connection stays open after this response */
    int continue_100;    /* head starts with an interim "100 Continue" (the body is wanted) */
    uint64_t body_bytes; /* what %b logs when everything is sent: body_len or file_length */
    const char *handler; /* "static", "server-status", "error"... (diagnostics) */
    char *owned;         /* a body built for this request (server-status, listings); freed */
    char *owned_head;    /* a head longer than head_buf (a long Location); freed */
    void *owned_parts;   /* parts and their texts; freed */
    char small[512];     /* room for short generated bodies (error pages, 301) */
    char head_buf[HTTP_HEAD_MAX];
};

/* Decide the response to req (HTTP_COMPLETE or HTTP_ERROR) and build its head. Always yields a
 * sendable plan (internal failures become 500). Counts the request on hc for keep-alive. */
void http_prepare_response(struct http_conn *hc, const struct http_request *req,
                           const struct http_env *env, struct http_plan *plan);
/* A response without a parsed request: e.g. 408 after TimeOut on a partial request (the
 * connection code decides whether to send it); always Connection: close. */
void http_prepare_error(int status, const struct http_env *env, struct http_plan *plan);
/* Close the file, free any owned body. Safe to call twice. */
void http_plan_release(struct http_plan *plan);

/* ---- access logs ------------------------------------------------------------------------- */

struct http_timing {
    uint64_t received_ft; /* FILETIME (UTC, 100 ns since 1601) the request's first byte came */
    uint64_t duration_us; /* from then to the end of the response (%D, %T) */
    uint64_t body_sent;   /* body bytes actually sent (%b); plan->body_bytes when all went */
};
/* Write req's line to every CustomLog / TransferLog of the child (one WriteFile per line).
 * req may be NULL (a 408 with no request). */
void http_log_access(const struct http_request *req, const struct http_plan *plan,
                     const struct http_env *env, const struct http_timing *timing);

/* ---- server-status ---------------------------------------------------------------------- */

/* One worker slot, as mod_status shows it. */
struct http_status_worker {
    char state; /* mod_status's letter: '_' ready, 'R' reading, 'W' writing, 'K' keep-alive,
                 * 'G' graceful, 'S' starting, 'C' closing, 'L' logging, '.' open slot */
    uint32_t pid;
    uint32_t generation;
    uint64_t accesses;
    uint64_t bytes;
    const char *request;  /* last request line ("" when none); points into the scoreboard */
    const char *client;   /* last client address */
    uint64_t duration_us; /* the slot's requests' durations summed, first byte to answer sent */
};

struct http_status_snapshot {
    uint64_t now_ft;     /* FILETIME UTC */
    uint64_t restart_ft; /* when the serving child generation started (RestartTime) */
    uint64_t start_ft;   /* when the control process started (ServerUptime) */
    uint32_t parent_pid;
    unsigned generation; /* ParentServerConfigGeneration / ParentServerMPMGeneration */
    unsigned threads_per_child;
    unsigned thread_limit;
    /* Every slot of every live child row, row after row: malloc'd by the callback, free()d by the
     * library after rendering. */
    struct http_status_worker *workers;
    size_t n_workers;
};

#endif
