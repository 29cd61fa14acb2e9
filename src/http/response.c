/* The response plan: access, handler choice, static files, errors, keep-alive, the header block. */
#include "http_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef NTMPM_HTTP_VERSION
#define NTMPM_HTTP_VERSION "0.1.0"
#endif
#ifndef NTMPM_HTTP_OS
#define NTMPM_HTTP_OS "Unix"
#endif

#define ERROR_TYPE "text/html; charset=iso-8859-1"
#define ALLOW "GET,HEAD,OPTIONS"
#define PATH_MAX_LEN 4096

const char *http_reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 412:
        return "Precondition Failed";
    case 413:
        return "Request Entity Too Large";
    case 414:
        return "Request-URI Too Long";
    case 416:
        return "Requested Range Not Satisfiable";
    case 417:
        return "Expectation Failed";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    }
    return status < 300   ? "OK"
           : status < 400 ? "Redirect"
           : status < 500 ? "Bad Request"
                          : "Internal Server Error";
}

const char *http_server_banner(enum http_tokens tokens)
{
    switch (tokens) {
    case HTTP_TOKENS_PROD:
        return "ntmpm";
    case HTTP_TOKENS_MAJOR:
        return "ntmpm/0";
    case HTTP_TOKENS_MINOR:
        return "ntmpm/0.1";
    case HTTP_TOKENS_MINIMAL:
        return "ntmpm/" NTMPM_HTTP_VERSION;
    case HTTP_TOKENS_OS:
    case HTTP_TOKENS_FULL:
        break;
    }
    return "ntmpm/" NTMPM_HTTP_VERSION " (" NTMPM_HTTP_OS ")";
}

/* httpd's ap_status_drops_connection: after these the connection closes. */
static int drops_connection(int status)
{
    switch (status) {
    case 400:
    case 408:
    case 411:
    case 413:
    case 414:
    case 417:
    case 431:
    case 500:
    case 501:
    case 503:
    case 505:
        return 1;
    }
    return 0;
}

/* ---- the header block ------------------------------------------------------------------- */

static void head_add(struct http_plan *pl, const char *s, size_t n)
{
    char *base = pl->owned_head ? pl->owned_head : pl->head_buf;
    size_t cap = pl->owned_head ? (size_t)-1 : sizeof(pl->head_buf);
    if (pl->owned_head == NULL && pl->head_len + n + 1 > cap) {
        /* A long header (Location): move to the heap once, sized generously. */
        size_t want = pl->head_len + n + 1 + 16384;
        char *h = malloc(want);
        if (h == NULL)
            return; /* truncated head: the caller's send still ends... keep it short */
        memcpy(h, pl->head_buf, pl->head_len);
        pl->owned_head = h;
        base = h;
    }
    memcpy(base + pl->head_len, s, n);
    pl->head_len += n;
    base[pl->head_len] = '\0';
    pl->head = base;
}

static void head_adds(struct http_plan *pl, const char *s)
{
    head_add(pl, s, strlen(s));
}

static void head_addf(struct http_plan *pl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void head_addf(struct http_plan *pl, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n > 0)
        head_add(pl, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static const char *date_now(void)
{
    static _Thread_local int64_t last = -1;
    static _Thread_local char text[HTTP_DATE_LEN];
    int64_t now = http_ft_to_unix(http_now_ft());
    if (now != last) {
        http_date_format(now, text);
        last = now;
    }
    return text;
}

static void head_start(struct http_plan *pl, const struct http_config *hc, int status)
{
    pl->status = status;
    pl->head_len = 0;
    pl->head = pl->head_buf;
    if (pl->continue_100)
        head_adds(pl, "HTTP/1.1 100 Continue\r\n\r\n");
    head_addf(pl, "HTTP/1.1 %d %s\r\nDate: %s\r\nServer: %s\r\n", status, http_reason(status),
              date_now(), http_server_banner(hc->tokens));
}

static void head_finish(struct http_plan *pl, const struct server_config *conf, unsigned left,
                        int send_length, uint64_t length, const char *type)
{
    if (send_length)
        head_addf(pl, "Content-Length: %llu\r\n", (unsigned long long)length);
    if (pl->keep_alive) {
        unsigned timeout = conf ? (conf->keep_alive_timeout_ms + 999) / 1000 : 5;
        if (conf && conf->max_keep_alive_requests > 0)
            head_addf(pl, "Keep-Alive: timeout=%u, max=%u\r\n", timeout, left);
        else
            head_addf(pl, "Keep-Alive: timeout=%u\r\n", timeout);
        head_adds(pl, "Connection: Keep-Alive\r\n");
    } else {
        head_adds(pl, "Connection: close\r\n");
    }
    if (type != NULL)
        head_addf(pl, "Content-Type: %s\r\n", type);
    head_add(pl, "\r\n", 2);
}

/* ---- plans ------------------------------------------------------------------------------ */

static void plan_init(struct http_plan *pl)
{
    memset(pl, 0, offsetof(struct http_plan, small));
    pl->file = INVALID_HANDLE_VALUE;
    pl->head = pl->head_buf;
    pl->head_buf[0] = '\0';
}

void http_plan_release(struct http_plan *pl)
{
    if (pl->file != INVALID_HANDLE_VALUE && pl->file != NULL)
        CloseHandle(pl->file);
    pl->file = INVALID_HANDLE_VALUE;
    free(pl->owned);
    pl->owned = NULL;
    free(pl->owned_parts);
    pl->owned_parts = NULL;
    pl->parts = NULL;
    pl->n_parts = 0;
    pl->tail = NULL;
    pl->tail_len = 0;
    if (pl->owned_head != NULL) {
        free(pl->owned_head);
        pl->owned_head = NULL;
        pl->head = pl->head_buf;
        pl->head_len = 0;
    }
}

/* Per-request facts the pieces below share. */
struct ctx {
    struct http_conn *hc;
    const struct http_request *req;
    const struct http_env *env;
    const struct server_config *conf;
    const struct http_config *cf;
    struct http_plan *pl;
    int head_only;
    int reads_body; /* the handler reads (discards) the body, as httpd's default handler does */
    const struct http_dir_conf *dc; /* the settings of the file's directory and URL */
    unsigned left;                  /* Keep-Alive max= */
    char url[PATH_MAX_LEN];
};

static void decide_keep_alive(struct ctx *c, int status)
{
    const struct http_request *req = c->req;
    const struct server_config *conf = c->conf;
    int max = conf ? conf->max_keep_alive_requests : 100;
    unsigned done = c->hc ? c->hc->requests : 0;
    /* Expect: 100-continue, as httpd: the interim 100 goes out when a handler starts reading the
     * body (ap_http_filter's first read: HTTP/1.1, a body announced, status still 2xx), which
     * makes the client send it. A request whose 100 never went out leaves the connection closing
     * after the answer (ap_set_keepalive's !expecting_100): the client may still be holding its
     * body back, and waiting for it would stall both sides. */
    int want_body = req != NULL && req->expect_100 && c->reads_body && req->version == 11 &&
                    (req->content_length > 0 || req->chunked);
    int ka = c->env->may_keep_alive && (conf == NULL || conf->keep_alive) && req != NULL &&
             !req->must_close && !drops_connection(status) && !req->conn_close &&
             (req->version == 11 || (req->version == 10 && req->conn_keep_alive)) &&
             (max == 0 || done < (unsigned)max) && (!req->expect_100 || want_body);
    c->pl->keep_alive = ka;
    c->pl->continue_100 = want_body;
    c->left = max > 0 && done < (unsigned)max ? (unsigned)max - done : 0;
}

/* Escape a decoded path for a Location header (RFC 3986 path characters stay). */
static size_t escape_path(const char *s, char *out, size_t size)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int keep = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                   (*p >= '0' && *p <= '9') || strchr("-._~!$&'()*+,;=:@/", *p) != NULL;
        if (o + 4 >= size)
            break;
        if (keep) {
            out[o++] = (char)*p;
        } else {
            out[o++] = '%';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 15];
        }
    }
    out[o] = '\0';
    return o;
}

static void error_body(struct ctx *c, int status, const char *location, struct http_buf *b)
{
    const struct http_request *req = c->req;
    char method[64] = "GET";
    if (req != NULL && req->method.n > 0)
        snprintf(method, sizeof(method), "%.*s", (int)req->method.n, req->method.p);
    http_buf_addf(b,
                  "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n"
                  "<title>%d %s</title>\n</head><body>\n<h1>%s</h1>\n",
                  status, http_reason(status), http_reason(status));
    switch (status) {
    case 301:
        http_buf_adds(b, "<p>The document has moved <a href=\"");
        http_buf_add_html(b, location);
        http_buf_adds(b, "\">here</a>.</p>\n");
        break;
    case 400:
        http_buf_adds(b, "<p>Your browser sent a request that this server could not "
                         "understand.<br />\n</p>\n");
        break;
    case 403:
        http_buf_adds(b, "<p>You don't have permission to access this resource.</p>\n");
        break;
    case 404:
        http_buf_adds(b, "<p>The requested URL was not found on this server.</p>\n");
        break;
    case 405:
        http_buf_adds(b, "<p>The requested method ");
        http_buf_add_html(b, method);
        http_buf_adds(b, " is not allowed for this URL.</p>\n");
        break;
    case 408:
        http_buf_adds(b, "<p>Server timeout waiting for the HTTP request from the client.</p>\n");
        break;
    case 412:
        http_buf_adds(b, "<p>The precondition on the request for this URL evaluated to "
                         "false.</p>\n");
        break;
    case 414:
        http_buf_adds(b, "<p>The requested URL's length exceeds the capacity\nlimit for this "
                         "server.<br />\n</p>\n");
        break;
    case 416:
        http_buf_adds(b, "<p>None of the range-specifier values in the Range\nrequest-header "
                         "field overlap the current extent\nof the selected resource.</p>\n");
        break;
    case 417:
        http_buf_adds(b, "<p>The expectation given in the Expect request-header\nfield could not "
                         "be met by this server.</p><p>Only the 100-continue expectation is "
                         "supported.</p>\n");
        break;
    case 431:
        http_buf_adds(b, "<p>Your browser sent a request whose header fields are larger than "
                         "this server accepts.</p>\n");
        break;
    case 501:
        http_buf_add_html(b, method);
        http_buf_adds(b, "<p> not supported for current URL.<br />\n</p>\n");
        break;
    case 505:
        http_buf_adds(b, "<p>The server does not support the HTTP version used in the "
                         "request.</p>\n");
        break;
    default:
        http_buf_adds(b, "<p>The server encountered an internal error or\nmisconfiguration and "
                         "was unable to complete\nyour request.</p>\n");
        break;
    }
    if (c->cf->server_signature)
        http_buf_addf(b, "<hr>\n<address>%s Server at %s Port %u</address>\n",
                      http_server_banner(c->cf->tokens),
                      c->conf && c->conf->server_name ? c->conf->server_name : "localhost",
                      (unsigned)c->env->local_port);
    http_buf_adds(b, "</body></html>\n");
}

/* An error (or redirect) response with its HTML body; extra: more header lines. */
static void respond_error(struct ctx *c, int status, const char *extra, const char *location)
{
    struct http_plan *pl = c->pl;
    struct http_buf b = {0};
    error_body(c, status, location, &b);
    decide_keep_alive(c, status);
    head_start(pl, c->cf, status);
    if (extra != NULL)
        head_adds(pl, extra);
    if (location != NULL) {
        head_adds(pl, "Location: ");
        head_adds(pl, location);
        head_adds(pl, "\r\n");
    }
    size_t len = b.failed ? 0 : b.n;
    head_finish(pl, c->conf, c->left, 1, len, ERROR_TYPE);
    pl->handler = "error";
    if (!c->head_only && len > 0) {
        if (len < sizeof(pl->small)) {
            memcpy(pl->small, b.p, len);
            pl->body = pl->small;
        } else {
            pl->owned = b.p;
            b.p = NULL;
            pl->body = pl->owned;
        }
        pl->body_len = len;
        pl->body_bytes = len;
    }
    free(b.p);
}

/* The scheme://authority the client used, for Location. */
static void self_url(struct ctx *c, char *out, size_t size)
{
    const struct http_request *req = c->req;
    if (req != NULL && req->host.p != NULL && req->host.n > 0) {
        snprintf(out, size, "http://%.*s", (int)req->host.n, req->host.p);
        return;
    }
    const char *name = c->conf ? c->conf->server_name : NULL;
    if (name != NULL) {
        const char *s = strstr(name, "://");
        snprintf(out, size, "http://%s", s ? s + 3 : name);
        return;
    }
    const char *ip = c->env->local_ip ? c->env->local_ip : "localhost";
    int v6 = strchr(ip, ':') != NULL;
    if (c->env->local_port == 80 || c->env->local_port == 0)
        snprintf(out, size, "http://%s%s%s", v6 ? "[" : "", ip, v6 ? "]" : "");
    else
        snprintf(out, size, "http://%s%s%s:%u", v6 ? "[" : "", ip, v6 ? "]" : "",
                 (unsigned)c->env->local_port);
}

static void redirect_slash(struct ctx *c)
{
    size_t need = PATH_MAX_LEN * 3 + 512 + c->req->query.n;
    char *loc = malloc(need);
    if (loc == NULL) {
        respond_error(c, 500, NULL, NULL);
        return;
    }
    self_url(c, loc, 512);
    size_t n = strlen(loc);
    n += escape_path(c->url, loc + n, need - n - c->req->query.n - 4);
    loc[n++] = '/';
    if (c->req->query.n > 0) {
        loc[n++] = '?';
        memcpy(loc + n, c->req->query.p, c->req->query.n);
        n += c->req->query.n;
    }
    loc[n] = '\0';
    respond_error(c, 301, NULL, loc);
    free(loc);
}

static void respond_options(struct ctx *c)
{
    c->reads_body = 1; /* httpd's default handler answers OPTIONS after discarding the body */
    decide_keep_alive(c, 200);
    head_start(c->pl, c->cf, 200);
    head_adds(c->pl, "Allow: " ALLOW "\r\n");
    head_finish(c->pl, c->conf, c->left, 1, 0, NULL);
    c->pl->handler = "options";
}

/* ---- server-status ---------------------------------------------------------------------- */

static void respond_status(struct ctx *c)
{
    if (c->env->status_snapshot == NULL) {
        respond_error(c, 404, NULL, NULL);
        return;
    }
    struct http_status_snapshot snap;
    memset(&snap, 0, sizeof(snap));
    c->env->status_snapshot(c->env->status_ctx, &snap);
    int autoformat = 0;
    if (c->req->query.n >= 4)
        for (size_t i = 0; i + 4 <= c->req->query.n; i++)
            autoformat |= memcmp(c->req->query.p + i, "auto", 4) == 0;
    struct http_buf b = {0};
    http_status_render(c->cf, &snap, autoformat, c->conf, &b);
    free(snap.workers);
    if (b.failed) {
        free(b.p);
        respond_error(c, 500, NULL, NULL);
        return;
    }
    decide_keep_alive(c, 200);
    head_start(c->pl, c->cf, 200);
    head_finish(c->pl, c->conf, c->left, 1, b.n,
                autoformat ? "text/plain; charset=ISO-8859-1" : "text/html; charset=ISO-8859-1");
    c->pl->handler = "server-status";
    if (c->head_only) {
        free(b.p);
        return;
    }
    c->pl->owned = b.p;
    c->pl->body = b.p;
    c->pl->body_len = b.n;
    c->pl->body_bytes = b.n;
}

/* ---- static files ----------------------------------------------------------------------- */

struct file_info {
    HANDLE h;
    int is_dir;
    uint64_t size;
    int64_t mtime;     /* seconds */
    uint64_t mtime_us; /* for the ETag, as httpd's apr_time_t */
    uint64_t inode;
};

/* 0: opened (regular file or directory); else the status (404, 403). */
static int open_path(const char *path, struct file_info *fi)
{
    /* FILE_FLAG_BACKUP_SEMANTICS lets a directory open too [CreateFileA]. */
    fi->h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                        NULL, OPEN_EXISTING, FILE_FLAG_SEQUENTIAL_SCAN | FILE_FLAG_BACKUP_SEMANTICS,
                        NULL);
    if (fi->h == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        if (e == ERROR_ACCESS_DENIED) {
            /* A directory opened without backup semantics, or no permission. */
            DWORD a = GetFileAttributesA(path);
            if (a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY)) {
                fi->is_dir = 1;
                return 0;
            }
            return 403;
        }
        return 404;
    }
    BY_HANDLE_FILE_INFORMATION info;
    if (!GetFileInformationByHandle(fi->h, &info)) {
        CloseHandle(fi->h);
        fi->h = INVALID_HANDLE_VALUE;
        return 403;
    }
    fi->is_dir = (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
    fi->size = ((uint64_t)info.nFileSizeHigh << 32) | info.nFileSizeLow;
    uint64_t ft =
        ((uint64_t)info.ftLastWriteTime.dwHighDateTime << 32) | info.ftLastWriteTime.dwLowDateTime;
    fi->mtime = http_ft_to_unix(ft);
    fi->mtime_us = (ft - 116444736000000000ull) / 10;
    fi->inode = ((uint64_t)info.nFileIndexHigh << 32) | info.nFileIndexLow;
    if (fi->is_dir) {
        CloseHandle(fi->h);
        fi->h = INVALID_HANDLE_VALUE;
    }
    return 0;
}

/* serve_file under the range limits lim, with room for cap ranges in ranges. */
static void serve_ranges(struct ctx *c, const char *path, struct file_info *fi,
                         const struct http_range_limits *lim, struct http_range *ranges, size_t cap)
{
    struct http_plan *pl = c->pl;
    const struct http_request *req = c->req;
    /* httpd's default handler discards the body first, whatever it answers then. */
    c->reads_body = 1;
    char etag[96] = "";
    char *tag = etag;
    /* httpd makes the ETag weak while the file is younger than a second (it may still change
     * within the same timestamp). */
    int64_t now = http_ft_to_unix(http_now_ft());
    if (now - fi->mtime < 1 && c->cf->etag != 0) {
        etag[0] = 'W';
        etag[1] = '/';
        tag = etag + 2;
    }
    if (http_etag_make(c->cf->etag, fi->size, fi->mtime_us, fi->inode, tag, sizeof(etag) - 2) == 0)
        etag[0] = '\0';
    char lm[HTTP_DATE_LEN];
    http_date_format(fi->mtime, lm);

    int cond = http_conditional(req, etag, fi->mtime);
    if (cond == 304) {
        CloseHandle(fi->h);
        fi->h = INVALID_HANDLE_VALUE;
        decide_keep_alive(c, 304);
        head_start(pl, c->cf, 304);
        if (etag[0])
            head_addf(pl, "ETag: %s\r\n", etag);
        head_finish(pl, c->conf, c->left, 0, 0, NULL);
        pl->handler = "static";
        return;
    }
    if (cond == 412) {
        CloseHandle(fi->h);
        fi->h = INVALID_HANDLE_VALUE;
        respond_error(c, 412, NULL, NULL);
        return;
    }
    /* Ranges apply to HEAD as to GET: httpd's byterange filter sees HEAD as a GET whose body the
     * header filter drops, so HEAD gets the same status and headers. */
    size_t n_ranges = 0;
    enum http_range_kind k = HTTP_RANGE_NONE;
    /* MaxRanges none: Range headers are ignored. */
    if ((req->m == HTTP_M_GET || req->m == HTTP_M_HEAD) && req->range.p != NULL &&
        lim->ranges != 0 && http_if_range_ok(req, etag, fi->mtime))
        k = http_range_parse(req->range, fi->size, ranges, cap, &n_ranges, lim);
    if (k == HTTP_RANGE_UNSATISFIABLE) {
        CloseHandle(fi->h);
        fi->h = INVALID_HANDLE_VALUE;
        char extra[64];
        snprintf(extra, sizeof(extra), "Content-Range: bytes */%llu\r\n",
                 (unsigned long long)fi->size);
        respond_error(c, 416, extra, NULL);
        return;
    }
    uint64_t first = 0, count = fi->size;
    int status = k == HTTP_RANGE_NONE ? 200 : 206;
    const char *type = http_mime_type(c->cf, path);
    char boundary[HTTP_BOUNDARY_MAX], multipart[96];
    if (k == HTTP_RANGE_SINGLE) {
        first = ranges[0].first;
        count = ranges[0].count;
    } else if (k == HTTP_RANGE_MULTI) {
        http_byteranges_boundary(boundary);
        count = http_byteranges_length(ranges, n_ranges, fi->size, type, boundary);
        snprintf(multipart, sizeof(multipart), "multipart/byteranges; boundary=%s", boundary);
    }
    decide_keep_alive(c, status);
    head_start(pl, c->cf, status);
    head_addf(pl, "Last-Modified: %s\r\n", lm);
    if (etag[0])
        head_addf(pl, "ETag: %s\r\n", etag);
    head_adds(pl, "Accept-Ranges: bytes\r\n");
    if (k == HTTP_RANGE_SINGLE)
        head_addf(pl, "Content-Range: bytes %llu-%llu/%llu\r\n", (unsigned long long)first,
                  (unsigned long long)(first + count - 1), (unsigned long long)fi->size);
    head_finish(pl, c->conf, c->left, 1, count, k == HTTP_RANGE_MULTI ? multipart : type);
    pl->handler = "static";
    if (c->head_only || count == 0) {
        CloseHandle(fi->h);
        fi->h = INVALID_HANDLE_VALUE;
        return;
    }
    if (k == HTTP_RANGE_MULTI &&
        http_byteranges_plan(pl, ranges, n_ranges, fi->size, type, boundary) != 0) {
        CloseHandle(fi->h);
        fi->h = INVALID_HANDLE_VALUE;
        respond_error(c, 500, NULL, NULL);
        return;
    }
    pl->file = fi->h;
    fi->h = INVALID_HANDLE_VALUE;
    pl->file_offset = first;
    pl->file_length = count;
    pl->body_bytes = count;
}

static void serve_file(struct ctx *c, const char *path, struct file_info *fi)
{
    struct http_range_limits lim = http_range_limits_of(c->dc);
    struct http_range on_stack[HTTP_MAX_RANGES];
    size_t want = c->req->range.p != NULL ? http_range_count_max(c->req->range) : 0;
    /* Room beyond MaxRanges is never used (more merged ranges are the whole file): the heap only
     * where the limit allows more than the stack holds. */
    if (lim.ranges >= 0 && want > (size_t)lim.ranges)
        want = (size_t)lim.ranges;
    struct http_range *heap = want > HTTP_MAX_RANGES ? malloc(want * sizeof(*heap)) : NULL;
    if (heap != NULL)
        serve_ranges(c, path, fi, &lim, heap, want);
    else
        serve_ranges(c, path, fi, &lim, on_stack, HTTP_MAX_RANGES);
    free(heap);
}

static int allowed_method(struct ctx *c)
{
    enum http_method m = c->req->m;
    return m == HTTP_M_GET || m == HTTP_M_HEAD || m == HTTP_M_OPTIONS;
}

static void handle(struct ctx *c)
{
    const struct http_request *req = c->req;
    const struct http_config *cf = c->cf;
    if (req->m == HTTP_M_OTHER) {
        respond_error(c, 501, NULL, NULL);
        return;
    }
    if (req->m == HTTP_M_OPTIONS && req->path.n == 1 && req->path.p[0] == '*') {
        respond_options(c);
        return;
    }
    if (req->m == HTTP_M_CONNECT) {
        respond_error(c, 405, "Allow: " ALLOW "\r\n", NULL);
        return;
    }
    int st = http_path_decode(req->path.p, req->path.n, cf->allow_encoded_slashes, c->url,
                              sizeof(c->url));
    if (st != 0) {
        respond_error(c, st, NULL, NULL);
        return;
    }
    const char *root = c->conf && c->conf->document_root ? c->conf->document_root : ".";
    size_t rn = strlen(root);
    while (rn > 1 && (root[rn - 1] == '/' || root[rn - 1] == '\\'))
        rn--;
    size_t un = strlen(c->url);
    /* Room for the path plus the longest DirectoryIndex name. */
    char *path = malloc(rn + un + 260);
    if (path == NULL) {
        respond_error(c, 500, NULL, NULL);
        return;
    }
    memcpy(path, root, rn);
    memcpy(path + rn, c->url, un + 1);
    for (char *p = path; *p; p++)
        if (*p == '\\')
            *p = '/';
    int trailing = c->url[un - 1] == '/';
    if (trailing && un > 1)
        path[rn + un - 1] = '\0'; /* "dir/" is opened as "dir" */

    struct file_info fi = {INVALID_HANDLE_VALUE, 0, 0, 0, 0, 0};
    int found = open_path(path, &fi);

    /* The settings: Directory sections for the directory (itself, or the file's parent), then
     * Location sections for the URL. */
    struct http_dir_conf dc;
    char *slash = strrchr(path + rn, '/');
    if (found == 0 && fi.is_dir) {
        http_dir_conf_for(cf, path, c->url, &dc);
    } else if (slash != NULL) {
        char saved = *slash;
        *slash = '\0';
        http_dir_conf_for(cf, path, c->url, &dc);
        *slash = saved;
    } else {
        http_dir_conf_for(cf, path, c->url, &dc);
    }
    c->dc = &dc;
    if (dc.require == HTTP_REQUIRE_DENIED) {
        found = 403;
        goto fail;
    }
    if (dc.handler != NULL && http_ieq(dc.handler, strlen(dc.handler), "server-status")) {
        if (fi.h != INVALID_HANDLE_VALUE)
            CloseHandle(fi.h);
        free(path);
        if (req->m == HTTP_M_OPTIONS)
            respond_options(c);
        else if (req->m != HTTP_M_GET && req->m != HTTP_M_HEAD)
            respond_error(c, 405, "Allow: " ALLOW "\r\n", NULL);
        else
            respond_status(c);
        return;
    }
    if (found != 0) {
        c->reads_body = found == 404; /* a missing file is the default handler's 404 */
        goto fail;
    }
    if (!(dc.options & HTTP_OPT_FOLLOW_SYMLINKS) && http_has_link_below(path, rn, fi.h)) {
        found = 403;
        goto fail;
    }
    if (!allowed_method(c)) {
        c->reads_body = 1; /* the default handler's 405, after its discard */
        if (fi.h != INVALID_HANDLE_VALUE)
            CloseHandle(fi.h);
        free(path);
        respond_error(c, 405, "Allow: " ALLOW "\r\n", NULL);
        return;
    }
    if (!fi.is_dir) {
        if (trailing) {
            found = 404; /* "file/": no path info on static files (httpd's AcceptPathInfo) */
            c->reads_body = 1;
            goto fail;
        }
        if (req->m == HTTP_M_OPTIONS) {
            CloseHandle(fi.h);
            free(path);
            respond_options(c);
            return;
        }
        serve_file(c, path, &fi);
        free(path);
        return;
    }
    if (!trailing) {
        free(path);
        redirect_slash(c);
        return;
    }
    if (req->m == HTTP_M_OPTIONS) {
        free(path);
        respond_options(c);
        return;
    }
    /* A directory: the first DirectoryIndex that is a file (default index.html). */
    size_t pn = strlen(path);
    static char *const default_index[] = {"index.html"};
    char *const *names = dc.index_set ? dc.index : default_index;
    size_t n_names = dc.index_set ? dc.n_index : 1;
    for (size_t i = 0; i < n_names; i++) {
        size_t ln = strlen(names[i]);
        if (ln > 255 || strchr(names[i], '/') != NULL)
            continue; /* a URL-path index (httpd allows) is not supported */
        path[pn] = '/';
        memcpy(path + pn + 1, names[i], ln + 1);
        struct file_info xi = {INVALID_HANDLE_VALUE, 0, 0, 0, 0, 0};
        if (open_path(path, &xi) == 0) {
            /* An index that is a link where links are not followed is passed over, as httpd's
             * mod_dir passes over an index its subrequest may not serve. */
            if (!xi.is_dir && !(dc.options & HTTP_OPT_FOLLOW_SYMLINKS) &&
                http_has_link_below(path, rn, xi.h)) {
                CloseHandle(xi.h);
                continue;
            }
            if (!xi.is_dir) {
                serve_file(c, path, &xi);
                free(path);
                return;
            }
        }
    }
    path[pn] = '\0';
    if (dc.options & HTTP_OPT_INDEXES) {
        struct http_buf b = {0};
        if (http_listing(path, c->url, &b) == 0) {
            free(path);
            decide_keep_alive(c, 200);
            head_start(c->pl, cf, 200);
            head_finish(c->pl, c->conf, c->left, 1, b.n, "text/html;charset=UTF-8");
            c->pl->handler = "autoindex";
            if (c->head_only) {
                free(b.p);
            } else {
                c->pl->owned = b.p;
                c->pl->body = b.p;
                c->pl->body_len = b.n;
                c->pl->body_bytes = b.n;
            }
            return;
        }
        free(b.p);
    }
    found = 403;
fail:
    if (fi.h != INVALID_HANDLE_VALUE)
        CloseHandle(fi.h);
    free(path);
    respond_error(c, found, NULL, NULL);
}

void http_prepare_response(struct http_conn *hc, const struct http_request *req,
                           const struct http_env *env, struct http_plan *plan)
{
    struct ctx ctx;
    struct ctx *c = &ctx;
    plan_init(plan);
    c->hc = hc;
    c->req = req;
    c->env = env;
    c->conf = env->conf;
    c->cf = http_config_of(env->conf);
    c->pl = plan;
    c->head_only = req->m == HTTP_M_HEAD;
    c->dc = NULL;
    c->reads_body = 0;
    c->left = 0;
    if (req->status != 0)
        respond_error(c, req->status, NULL, NULL);
    else
        handle(c);
    if (hc != NULL)
        hc->requests++;
}

void http_prepare_error(int status, const struct http_env *env, struct http_plan *plan)
{
    struct http_request req;
    memset(&req, 0, sizeof(req));
    req.status = status;
    req.must_close = 1;
    http_prepare_response(NULL, &req, env, plan);
}
