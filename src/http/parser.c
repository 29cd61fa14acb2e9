/* The request parser (RFC 9112): strict request line and fields, framing checks, body skipping. */
#include "http_int.h"

#include <string.h>

/* Chunked body decoder states (http_conn.chunk_state). */
enum {
    CH_NONE = 0,
    CH_SIZE,       /* hex digits of a chunk size */
    CH_EXT,        /* chunk extensions until the line's end */
    CH_SIZE_LF,    /* CR seen after the size line */
    CH_DATA,       /* chunk_left bytes of data */
    CH_DATA_CR,    /* the CRLF after data */
    CH_DATA_LF,    /*   its LF */
    CH_TRAILER,    /* at the start of a trailer line (an empty one ends the body) */
    CH_TRAILER_IN, /* inside a trailer line */
    CH_TRAILER_LF, /* CR seen at the start of a trailer line */
};
#define CHUNK_LINE_MAX 8192 /* a size line with extensions, or a trailer line */

void http_conn_init(struct http_conn *hc)
{
    memset(hc, 0, sizeof(*hc));
}

/* ---- body skipping ----------------------------------------------------------------------- */

/* Skip chunked body bytes. Returns bytes used; *st: 0 more needed, 1 done, -1 malformed. */
static size_t skip_chunked(struct http_conn *hc, const char *p, size_t n, int *st)
{
    size_t i = 0;
    *st = 0;
    while (i < n) {
        int c = (unsigned char)p[i];
        switch (hc->chunk_state) {
        case CH_SIZE: {
            int v = http_hexval(c);
            if (v >= 0) {
                if (++hc->chunk_digits > 15) { /* no chunk is 2^60 bytes: refuse the overflow */
                    *st = -1;
                    return i;
                }
                hc->chunk_left = hc->chunk_left * 16 + (uint64_t)v;
                i++;
                break;
            }
            if (hc->chunk_digits == 0) {
                *st = -1;
                return i;
            }
            hc->chunk_state = CH_EXT;
            hc->chunk_digits = 0;
            hc->head_lines = 0; /* reused: the length of the extension part */
            break;
        }
        case CH_EXT:
            i++;
            if (c == '\r') {
                hc->chunk_state = CH_SIZE_LF;
            } else if (c == '\n') {
                hc->chunk_state = hc->chunk_left ? CH_DATA : CH_TRAILER;
            } else if (++hc->head_lines > CHUNK_LINE_MAX || (c < 0x20 && c != '\t') || c == 0x7f) {
                *st = -1;
                return i;
            }
            break;
        case CH_SIZE_LF:
            if (c != '\n') {
                *st = -1;
                return i;
            }
            i++;
            hc->chunk_state = hc->chunk_left ? CH_DATA : CH_TRAILER;
            break;
        case CH_DATA: {
            uint64_t take = n - i < hc->chunk_left ? n - i : hc->chunk_left;
            i += (size_t)take;
            hc->chunk_left -= take;
            if (hc->chunk_left == 0)
                hc->chunk_state = CH_DATA_CR;
            break;
        }
        case CH_DATA_CR:
            if (c == '\r') {
                i++;
                hc->chunk_state = CH_DATA_LF;
                break;
            }
            hc->chunk_state = CH_DATA_LF; /* a bare LF ends the data too */
            break;
        case CH_DATA_LF:
            if (c != '\n') {
                *st = -1;
                return i;
            }
            i++;
            hc->chunk_state = CH_SIZE;
            hc->chunk_left = 0;
            hc->chunk_digits = 0;
            break;
        case CH_TRAILER:
            i++;
            if (c == '\r') {
                hc->chunk_state = CH_TRAILER_LF;
            } else if (c == '\n') {
                hc->chunk_state = CH_NONE;
                *st = 1;
                return i;
            } else {
                hc->chunk_state = CH_TRAILER_IN;
                hc->head_lines = 1;
            }
            break;
        case CH_TRAILER_LF:
            if (c != '\n') {
                *st = -1;
                return i;
            }
            i++;
            hc->chunk_state = CH_NONE;
            *st = 1;
            return i;
        case CH_TRAILER_IN:
            i++;
            if (c == '\n')
                hc->chunk_state = CH_TRAILER;
            else if (++hc->head_lines > CHUNK_LINE_MAX) {
                *st = -1;
                return i;
            }
            break;
        default:
            *st = -1;
            return i;
        }
    }
    return i;
}

/* ---- the head ---------------------------------------------------------------------------- */

static const struct {
    const char *name;
    enum http_method m;
} methods[] = {
    {"GET", HTTP_M_GET},
    {"HEAD", HTTP_M_HEAD},
    {"OPTIONS", HTTP_M_OPTIONS},
    {"POST", HTTP_M_POST},
    {"PUT", HTTP_M_PUT},
    {"DELETE", HTTP_M_DELETE},
    {"PATCH", HTTP_M_PATCH},
    {"TRACE", HTTP_M_TRACE},
    {"CONNECT", HTTP_M_CONNECT},
    /* WebDAV and the rest of httpd's registered methods: known, so 405 rather than 501. */
    {"PROPFIND", HTTP_M_POST},
    {"PROPPATCH", HTTP_M_POST},
    {"MKCOL", HTTP_M_POST},
    {"COPY", HTTP_M_POST},
    {"MOVE", HTTP_M_POST},
    {"LOCK", HTTP_M_POST},
    {"UNLOCK", HTTP_M_POST},
    {"VERSION-CONTROL", HTTP_M_POST},
    {"CHECKOUT", HTTP_M_POST},
    {"UNCHECKOUT", HTTP_M_POST},
    {"CHECKIN", HTTP_M_POST},
    {"UPDATE", HTTP_M_POST},
    {"LABEL", HTTP_M_POST},
    {"REPORT", HTTP_M_POST},
    {"MKWORKSPACE", HTTP_M_POST},
    {"MKACTIVITY", HTTP_M_POST},
    {"BASELINE-CONTROL", HTTP_M_POST},
    {"MERGE", HTTP_M_POST},
};

static enum http_method method_of(const char *p, size_t n)
{
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
        if (strlen(methods[i].name) == n && memcmp(methods[i].name, p, n) == 0)
            return methods[i].m;
    return HTTP_M_OTHER;
}

static enum http_parse_result fail(struct http_request *req, int status, int must_close)
{
    req->status = status;
    req->must_close = must_close;
    return HTTP_ERROR;
}

/* Whether every byte of a field value is allowed (VCHAR, obs-text, SP, HTAB). */
static int value_ok(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return 0;
    }
    return 1;
}

/* Each comma-separated token of a list value, case-insensitively against name. */
static int list_has(const char *p, size_t n, const char *name)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == ','))
            i++;
        size_t s = i;
        while (i < n && p[i] != ',')
            i++;
        size_t e = i;
        while (e > s && (p[e - 1] == ' ' || p[e - 1] == '\t'))
            e--;
        if (e > s && http_ieq(p + s, e - s, name))
            return 1;
    }
    return 0;
}

/* Content-Length: 1*DIGIT, or a list of identical values (RFC 9110 8.6). 0 or -1. */
static int parse_length(const char *p, size_t n, uint64_t *out)
{
    int have = 0;
    uint64_t v = 0;
    size_t i = 0;
    for (;;) {
        while (i < n && (p[i] == ' ' || p[i] == '\t'))
            i++;
        if (i == n || !(p[i] >= '0' && p[i] <= '9'))
            return -1;
        uint64_t x = 0;
        int digits = 0;
        while (i < n && p[i] >= '0' && p[i] <= '9') {
            if (++digits > 18) /* beyond any real body; refuse rather than overflow */
                return -1;
            x = x * 10 + (uint64_t)(p[i++] - '0');
        }
        if (have && x != v)
            return -1;
        v = x;
        have = 1;
        while (i < n && (p[i] == ' ' || p[i] == '\t'))
            i++;
        if (i == n)
            break;
        if (p[i++] != ',')
            return -1;
    }
    *out = v;
    return 0;
}

/* Host: uri-host [ ":" port ] with the characters a reg-name, IPv4 or IP-literal allows. */
static int host_ok(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (!(http_is_tchar(c) || c == ':' || c == '[' || c == ']'))
            return 0;
    }
    return 1;
}

/* Split the request-target into path and query; absolute-form gives the host too. */
static int split_target(struct http_request *req)
{
    const char *p = req->target.p;
    size_t n = req->target.n;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c <= 0x20 || c == 0x7f || c == '#')
            return -1;
    }
    if (n == 1 && p[0] == '*') {
        req->path = req->target;
        return req->m == HTTP_M_OPTIONS ? 0 : -1;
    }
    if (req->m == HTTP_M_CONNECT) {
        req->path = req->target; /* authority-form: answered 405 anyway */
        return 0;
    }
    if (p[0] != '/') {
        /* absolute-form: http(s)://authority[/path][?query]; its host replaces Host (RFC 9112
         * 3.2.2). */
        size_t s;
        if (n > 7 && http_ieq(p, 7, "http://"))
            s = 7;
        else if (n > 8 && http_ieq(p, 8, "https://"))
            s = 8;
        else
            return -1;
        size_t e = s;
        while (e < n && p[e] != '/' && p[e] != '?')
            e++;
        if (e == s || !host_ok(p + s, e - s))
            return -1;
        req->host.p = p + s;
        req->host.n = e - s;
        req->has_host = 1;
        p += e;
        n -= e;
        if (n == 0 || p[0] == '?') {
            /* An empty path is "/" (RFC 9110 4.2.3). */
            req->path.p = "/";
            req->path.n = 1;
            if (n > 0) {
                req->query.p = p + 1;
                req->query.n = n - 1;
            }
            return 0;
        }
    }
    const char *q = memchr(p, '?', n);
    req->path.p = p;
    req->path.n = q ? (size_t)(q - p) : n;
    if (q) {
        req->query.p = q + 1;
        req->query.n = n - (size_t)(q + 1 - p);
    }
    return 0;
}

static enum http_parse_result request_line(struct http_request *req, const char *p, size_t n)
{
    req->line.p = p;
    req->line.n = n;
    size_t i = 0;
    while (i < n && http_is_tchar((unsigned char)p[i]))
        i++;
    if (i == 0 || i == n || p[i] != ' ')
        return fail(req, 400, 1);
    req->method.p = p;
    req->method.n = i;
    req->m = method_of(p, i);
    size_t ts = ++i;
    while (i < n && p[i] != ' ')
        i++;
    req->target.p = p + ts;
    req->target.n = i - ts;
    if (req->target.n == 0)
        return fail(req, 400, 1);
    if (i == n) {
        /* "GET /": an HTTP/0.9 request, which we do not speak. */
        req->version = 9;
        return fail(req, 505, 1);
    }
    const char *v = p + i + 1;
    size_t vn = n - i - 1;
    if (vn != 8 || memcmp(v, "HTTP/", 5) != 0 || !(v[5] >= '0' && v[5] <= '9') || v[6] != '.' ||
        !(v[7] >= '0' && v[7] <= '9'))
        return fail(req, 400, 1);
    if (v[5] != '1')
        return fail(req, 505, 1);
    /* 1.x with x > 1 is answered as the highest 1.x we have (RFC 9110 2.5). */
    req->version = v[7] == '0' ? 10 : 11;
    if (split_target(req) != 0)
        return fail(req, 400, 1);
    return HTTP_COMPLETE;
}

struct seen {
    int cl, te, host;
};

static enum http_parse_result header(struct http_request *req, const char *p, size_t n,
                                     unsigned field_size, struct seen *seen)
{
    if (n > field_size)
        return fail(req, 400, 1);
    if (p[0] == ' ' || p[0] == '\t')
        return fail(req, 400, 1); /* obs-fold (RFC 9112 5.2) */
    size_t i = 0;
    while (i < n && http_is_tchar((unsigned char)p[i]))
        i++;
    if (i == 0 || i == n || p[i] != ':')
        return fail(req, 400, 1); /* no name, or whitespace before the colon (RFC 9112 5.1) */
    size_t nl = i++;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    size_t e = n;
    while (e > i && (p[e - 1] == ' ' || p[e - 1] == '\t'))
        e--;
    const char *v = p + i;
    size_t vn = e - i;
    if (!value_ok(v, vn))
        return fail(req, 400, 1);
    switch (nl) {
    case 4:
        if (http_ieq(p, nl, "host")) {
            if (seen->host++)
                return fail(req, 400, 1); /* more than one Host (RFC 9112 3.2) */
            if (!host_ok(v, vn))
                return fail(req, 400, 1);
            if (!req->has_host) /* the absolute-form's authority wins */
                req->host = (struct http_str){v, vn};
            req->has_host = 1;
        }
        break;
    case 5:
        if (http_ieq(p, nl, "range"))
            req->range = (struct http_str){v, vn};
        break;
    case 6:
        /* httpd ignores an empty Expect and fails any other than 100-continue, in every HTTP
         * version (only the interim 100 itself is never sent to HTTP/1.0). */
        if (http_ieq(p, nl, "expect") && vn > 0) {
            if (http_ieq(v, vn, "100-continue")) {
                req->expect_100 = 1;
            } else {
                req->status = 417; /* after the framing checks: a 400 there wins */
                req->must_close = 1;
            }
        }
        break;
    case 8:
        if (http_ieq(p, nl, "if-match"))
            req->if_match = (struct http_str){v, vn};
        else if (http_ieq(p, nl, "if-range"))
            req->if_range = (struct http_str){v, vn};
        break;
    case 10:
        if (http_ieq(p, nl, "connection")) {
            req->conn_close |= list_has(v, vn, "close");
            req->conn_keep_alive |= list_has(v, vn, "keep-alive");
            req->connection = (struct http_str){v, vn};
        }
        break;
    case 13:
        if (http_ieq(p, nl, "if-none-match"))
            req->if_none_match = (struct http_str){v, vn};
        break;
    case 14:
        if (http_ieq(p, nl, "content-length")) {
            uint64_t len;
            if (parse_length(v, vn, &len) != 0 || (seen->cl && len != req->content_length))
                return fail(req, 400, 1);
            req->content_length = len;
            seen->cl = 1;
        }
        break;
    case 17:
        if (http_ieq(p, nl, "transfer-encoding")) {
            /* Only "chunked", once. chunked not last: the length is unknowable, 400 (RFC 9112
             * 6.3); chunked last after codings we cannot decode: 501 (RFC 9112 6.1). */
            if (seen->te || !http_ieq(v, vn, "chunked")) {
                size_t e = vn;
                while (e > 0 && v[e - 1] != ',')
                    e--;
                const char *last = v + e;
                while (last < v + vn && (*last == ' ' || *last == '\t'))
                    last++;
                int chunked_last = http_ieq(last, (size_t)(v + vn - last), "chunked");
                return fail(req, chunked_last && !seen->te ? 501 : 400, 1);
            }
            req->chunked = 1;
            seen->te = 1;
        } else if (http_ieq(p, nl, "if-modified-since")) {
            req->if_modified_since = (struct http_str){v, vn};
        }
        break;
    case 19:
        if (http_ieq(p, nl, "if-unmodified-since"))
            req->if_unmodified_since = (struct http_str){v, vn};
        break;
    }
    return HTTP_COMPLETE;
}

/* The end of the line starting at p (its LF), or NULL. A bare CR inside is an error (-> *bad). */
static const char *line_end(const char *p, const char *end, int *bad)
{
    const char *lf = memchr(p, '\n', (size_t)(end - p));
    if (lf == NULL)
        return NULL;
    const char *cr = memchr(p, '\r', (size_t)(lf - p));
    if (cr != NULL && cr != lf - 1)
        *bad = 1;
    return lf;
}

/* Skip what a previous request left (its body) and the blank lines before a request. */
static int skip_prefix(struct http_conn *hc, const char *buf, size_t len, size_t *used,
                       struct http_request *req)
{
    size_t i = 0;
    if (hc->body_left > 0) {
        uint64_t take = len < hc->body_left ? len : hc->body_left;
        i += (size_t)take;
        hc->body_left -= take;
        if (hc->body_left > 0) {
            *used = i;
            return 0;
        }
    }
    if (hc->chunk_state != CH_NONE) {
        int st;
        i += skip_chunked(hc, buf + i, len - i, &st);
        if (st < 0) {
            *used = i;
            hc->chunk_state = CH_NONE;
            fail(req, 400, 1);
            return -1;
        }
        if (st == 0) {
            *used = i;
            return 0;
        }
        hc->head_lines = 0;
    }
    size_t start = i;
    /* RFC 9112 2.2: ignore empty lines before the request line. */
    while (i < len && (buf[i] == '\n' || (buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n')))
        i += buf[i] == '\r' ? 2 : 1;
    if (i > start || start > 0) {
        hc->scanned = 0;
        hc->head_lines = 0;
    }
    *used = i;
    return 1;
}

enum http_parse_result http_parse_request(struct http_conn *hc, const struct server_config *conf,
                                          const char *buf, size_t len, size_t cap,
                                          struct http_request *req)
{
    const struct http_config *cf = http_config_of(conf);
    memset(req, 0, sizeof(*req));
    size_t skipped;
    int sp = skip_prefix(hc, buf, len, &skipped, req);
    req->consumed = skipped;
    if (sp < 0)
        return HTTP_ERROR;
    if (sp == 0 || skipped == len)
        return HTTP_NEED_MORE;
    const char *head = buf + skipped, *end = buf + len;

    /* Split complete lines from where the last call stopped; stop at the empty line. */
    const char *p = head + hc->scanned;
    int bad = 0;
    const char *blank = NULL;
    while (p < end) {
        const char *lf = line_end(p, end, &bad);
        if (lf == NULL)
            break;
        size_t ln = (size_t)(lf - p) - (lf > p && lf[-1] == '\r');
        if (bad) {
            /* A bare CR in the request line or a field (RFC 9112 2.2). */
            req->line.p = head;
            req->line.n = 0;
            return fail(req, 400, 1);
        }
        if (hc->head_lines == 0 && ln > cf->limit_line) {
            req->line.p = head;
            req->line.n = cf->limit_line;
            return fail(req, 414, 1);
        }
        if (ln == 0 && hc->head_lines > 0) {
            blank = lf + 1;
            break;
        }
        if (hc->head_lines > 0 && ln > cf->limit_field_size)
            return fail(req, 400, 1);
        if (cf->limit_fields && hc->head_lines > cf->limit_fields)
            return fail(req, 400, 1);
        hc->head_lines++;
        p = lf + 1;
        hc->scanned = (size_t)(p - head);
    }
    if (blank == NULL) {
        /* Incomplete: refuse early what can never fit. */
        size_t partial = (size_t)(end - p);
        if (hc->head_lines == 0 && partial > cf->limit_line) {
            req->line.p = head;
            req->line.n = cf->limit_line;
            return fail(req, 414, 1);
        }
        if (hc->head_lines > 0 && partial > cf->limit_field_size + 2)
            return fail(req, 400, 1);
        if (len >= cap)
            return fail(req, hc->head_lines == 0 ? 414 : 431, 1);
        return HTTP_NEED_MORE;
    }

    /* A complete head: parse it for real. */
    unsigned lines = hc->head_lines;
    hc->scanned = 0;
    hc->head_lines = 0;
    req->head_len = (size_t)(blank - head);
    req->consumed = skipped + req->head_len;
    const char *lf = memchr(head, '\n', req->head_len);
    size_t ln = (size_t)(lf - head) - (lf > head && lf[-1] == '\r');
    enum http_parse_result r = request_line(req, head, ln);
    if (r != HTTP_COMPLETE)
        return r;
    if (cf->limit_fields && lines - 1 > cf->limit_fields)
        return fail(req, 400, 1);
    req->headers.p = lf + 1;
    req->headers.n = (size_t)(blank - (lf + 1));
    struct seen seen = {0, 0, 0};
    for (const char *h = lf + 1; h < blank;) {
        const char *e = memchr(h, '\n', (size_t)(blank - h));
        size_t hn = (size_t)(e - h) - (e > h && e[-1] == '\r');
        if (hn == 0)
            break;
        r = header(req, h, hn, cf->limit_field_size, &seen);
        if (r != HTTP_COMPLETE)
            return r;
        h = e + 1;
    }
    if (seen.te && req->version == 10)
        return fail(req, 400, 1); /* faulty framing in HTTP/1.0 (RFC 9112 6.1) */
    if (seen.te && seen.cl)
        return fail(req, 400, 1); /* request smuggling's favourite: never guess */
    if (req->version == 11 && !req->has_host)
        return fail(req, 400, 1); /* httpd closes after every 400 too */

    /* The body is skipped before the next request: now if it is here, else in later calls. */
    if (req->chunked) {
        hc->chunk_state = CH_SIZE;
        hc->chunk_left = 0;
        hc->chunk_digits = 0;
        int st;
        size_t k = skip_chunked(hc, blank, (size_t)(end - blank), &st);
        if (st < 0) {
            hc->chunk_state = CH_NONE;
            req->must_close = 1;
        } else if (st == 1) {
            req->consumed += k;
        }
        /* st == 0: the next calls skip the rest from the start again (state kept). */
        if (st == 0) {
            hc->chunk_state = CH_SIZE;
            hc->chunk_left = 0;
            hc->chunk_digits = 0;
        }
    } else if (req->content_length > 0) {
        uint64_t here = (uint64_t)(end - blank);
        if (here >= req->content_length) {
            req->consumed += (size_t)req->content_length;
        } else {
            hc->body_left = req->content_length;
        }
    }
    return req->status ? HTTP_ERROR : HTTP_COMPLETE;
}

size_t http_head_max(const struct server_config *conf)
{
    const struct http_config *cf = http_config_of(conf);
    size_t line = (size_t)cf->limit_line + 2, field = (size_t)cf->limit_field_size + 2;
    if (cf->limit_fields == 0 || cf->limit_fields > (HTTP_HEAD_MAX_UNLIMITED - line) / field)
        return HTTP_HEAD_MAX_UNLIMITED;
    return line + (size_t)cf->limit_fields * field + 2;
}

int http_request_header(const struct http_request *req, const char *name, struct http_str *value)
{
    const char *p = req->headers.p, *end = p + req->headers.n;
    size_t nl = strlen(name);
    while (p != NULL && p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        size_t n = e ? (size_t)(e - p) : (size_t)(end - p);
        if (n && p[n - 1] == '\r')
            n--;
        if (n > nl && p[nl] == ':' && http_ieq(p, nl, name)) {
            const char *v = p + nl + 1, *ve = p + n;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            value->p = v;
            value->n = (size_t)(ve - v);
            return 1;
        }
        p = e ? e + 1 : end;
    }
    return 0;
}
