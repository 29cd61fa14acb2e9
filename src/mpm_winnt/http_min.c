/* Minimal HTTP/1.x: parse one request, map it under DocumentRoot, build the response head. */
#include "http_min.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERVER_TOKEN "ntmpm/0.1.0"

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int ieq_n(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return 0;
    return 1;
}

/* "Sun, 06 Nov 1994 08:49:37 GMT" from a FILETIME value (100 ns since 1601). */
static void http_date(uint64_t ft, char *out, size_t size)
{
    static const char *days[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int64_t t = (int64_t)(ft / 10000000u) - 11644473600LL;
    if (t < 0)
        t = 0;
    int64_t d = t / 86400, s = t % 86400;
    const char *wd = days[d % 7];
    /* Days to civil date (Howard Hinnant's algorithm). */
    int64_t z = d + 719468, era = z / 146097, doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153, day = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    snprintf(out, size, "%s, %02d %s %04d %02d:%02d:%02d GMT", wd, (int)day, months[m - 1], (int)y,
             (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
}

static uint64_t now_ft(void)
{
    FILETIME f;
    GetSystemTimeAsFileTime(&f);
    return ((uint64_t)f.dwHighDateTime << 32) | f.dwLowDateTime;
}

static const char *content_type(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html"},      {".htm", "text/html"},       {".txt", "text/plain"},
        {".css", "text/css"},        {".js", "text/javascript"},  {".json", "application/json"},
        {".png", "image/png"},       {".jpg", "image/jpeg"},      {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},       {".svg", "image/svg+xml"},   {".ico", "image/x-icon"},
        {".xml", "application/xml"}, {".pdf", "application/pdf"}, {".wasm", "application/wasm"},
    };
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash)) {
        size_t n = strlen(dot);
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
            if (strlen(types[i].ext) == n && ieq_n(dot, types[i].ext, n))
                return types[i].type;
    }
    return "application/octet-stream";
}

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 301:
        return "Moved Permanently";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 414:
        return "Request-URI Too Long";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 505:
        return "HTTP Version Not Supported";
    }
    return "Error";
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode the path of target into out; 0, or -1 for a path that must not reach the disk. */
static int decode_path(const char *target, size_t n, char *out, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < n && target[i] != '?' && target[i] != '#'; i++) {
        int c = (unsigned char)target[i];
        if (c == '%') {
            int h = i + 2 < n ? hexval(target[i + 1]) : -1,
                l = i + 2 < n ? hexval(target[i + 2]) : -1;
            if (h < 0 || l < 0)
                return -1;
            c = h * 16 + l;
            i += 2;
        }
        /* No NUL, no backslash or colon (Windows path syntax), no control characters. */
        if (c == 0 || c == '\\' || c == ':' || c < 0x20 || o + 1 >= size)
            return -1;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    if (out[0] != '/')
        return -1;
    /* No "." or ".." segments. */
    for (char *p = out; (p = strchr(p, '/')) != NULL; p++) {
        if (p[1] == '.' &&
            (p[2] == '/' || p[2] == '\0' || (p[2] == '.' && (p[3] == '/' || p[3] == '\0'))))
            return -1;
    }
    return 0;
}

static void finish_head(struct http_resp *r, const char *extra, uint64_t length, const char *type)
{
    char date[40];
    http_date(now_ft(), date, sizeof(date));
    int n = snprintf(r->head, sizeof(r->head),
                     "HTTP/1.1 %d %s\r\nDate: %s\r\nServer: " SERVER_TOKEN "\r\n%s"
                     "Content-Length: %llu\r\nContent-Type: %s\r\nConnection: %s\r\n\r\n",
                     r->status, reason(r->status), date, extra ? extra : "",
                     (unsigned long long)length, type, r->keep_alive ? "keep-alive" : "close");
    r->head_len = n < 0 ? 0 : (size_t)n >= sizeof(r->head) ? sizeof(r->head) - 1 : (size_t)n;
}

static void error_response(struct http_resp *r, int status, const char *extra, int head_only)
{
    static char bodies[6][160];
    static const int codes[] = {400, 403, 404, 405, 431, 500};
    int k = 5;
    for (int i = 0; i < 6; i++)
        if (codes[i] == status)
            k = i;
    /* The bodies are the same for every request: build them once (benign race: same bytes). */
    if (!bodies[k][0])
        snprintf(bodies[k], sizeof(bodies[k]),
                 "<!DOCTYPE html>\n<html><head><title>%d %s</title></head><body><h1>%s</h1>"
                 "</body></html>\n",
                 codes[k], reason(codes[k]), reason(codes[k]));
    r->status = status;
    r->body = head_only ? NULL : bodies[k];
    r->body_len = head_only ? 0 : strlen(bodies[k]);
    finish_head(r, extra, strlen(bodies[k]), "text/html; charset=iso-8859-1");
}

static const char *find_end(const char *buf, size_t len, size_t *head_len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (buf[i] == '\n' && buf[i + 1] == '\n') {
            *head_len = i + 2;
            return buf + i;
        }
        if (i + 3 < len && buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' &&
            buf[i + 3] == '\n') {
            *head_len = i + 4;
            return buf + i;
        }
    }
    return NULL;
}

size_t http_min_handle(const struct server_config *conf, const char *buf, size_t len, size_t cap,
                       unsigned requests_so_far, int may_keep_alive, struct http_resp *r)
{
    memset(r, 0, sizeof(*r));
    r->file = INVALID_HANDLE_VALUE;
    /* Blank lines before a request are allowed [RFC 9112 2.2]. */
    size_t skip = 0;
    while (skip < len && (buf[skip] == '\r' || buf[skip] == '\n'))
        skip++;
    size_t head_len = 0;
    if (!find_end(buf + skip, len - skip, &head_len)) {
        if (len < cap)
            return 0;
        r->keep_alive = 0;
        snprintf(r->request, sizeof(r->request), "-");
        error_response(r, 431, NULL, 0);
        return len;
    }
    const char *p = buf + skip, *end = p + head_len;
    size_t used = skip + head_len;

    /* Request line: method SP target SP version. */
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    size_t line_len = (size_t)(eol - p);
    if (line_len && p[line_len - 1] == '\r')
        line_len--;
    snprintf(r->request, sizeof(r->request), "%.*s", (int)line_len, p);
    const char *sp1 = memchr(p, ' ', line_len);
    const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', line_len - (size_t)(sp1 + 1 - p)) : NULL;
    int minor = -1;
    if (sp2 && (size_t)(p + line_len - (sp2 + 1)) == 8 && memcmp(sp2 + 1, "HTTP/1.", 7) == 0 &&
        (sp2[8] == '0' || sp2[8] == '1'))
        minor = sp2[8] - '0';
    if (minor < 0 || sp1 == p || sp2 == sp1 + 1) {
        r->keep_alive = 0;
        error_response(r, 400, NULL, 0);
        return used;
    }

    /* Headers we care about. */
    int conn_close = 0, conn_keep = 0, has_host = 0, has_body = 0;
    unsigned long long clen = 0;
    for (const char *h = eol + 1; h < end;) {
        const char *e = memchr(h, '\n', (size_t)(end - h));
        size_t n = (size_t)(e - h);
        if (n && h[n - 1] == '\r')
            n--;
        if (n == 0)
            break;
        const char *colon = memchr(h, ':', n);
        if (!colon) {
            r->keep_alive = 0;
            error_response(r, 400, NULL, 0);
            return used;
        }
        size_t name = (size_t)(colon - h);
        const char *v = colon + 1;
        while (v < h + n && (*v == ' ' || *v == '\t'))
            v++;
        size_t vn = (size_t)(h + n - v);
        if (name == 10 && ieq_n(h, "connection", 10)) {
            for (size_t i = 0; i + 5 <= vn; i++)
                if (ieq_n(v + i, "close", 5))
                    conn_close = 1;
            for (size_t i = 0; i + 10 <= vn; i++)
                if (ieq_n(v + i, "keep-alive", 10))
                    conn_keep = 1;
        } else if (name == 4 && ieq_n(h, "host", 4)) {
            has_host = 1;
        } else if (name == 14 && ieq_n(h, "content-length", 14)) {
            clen = strtoull(v, NULL, 10);
            has_body |= clen > 0;
        } else if (name == 17 && ieq_n(h, "transfer-encoding", 17)) {
            has_body = 1;
            clen = 0;
        }
        h = e + 1;
    }
    /* A body we do not read: consume it when it is all here, else close after answering. */
    if (has_body && clen > 0 && used + clen <= len)
        used += (size_t)clen, has_body = 0;

    r->keep_alive = may_keep_alive && conf->keep_alive && !conn_close && !has_body &&
                    (minor == 1 || conn_keep) &&
                    (conf->max_keep_alive_requests == 0 ||
                     requests_so_far + 1 < (unsigned)conf->max_keep_alive_requests);

    size_t mlen = (size_t)(sp1 - p);
    int head = mlen == 4 && memcmp(p, "HEAD", 4) == 0;
    int get = mlen == 3 && memcmp(p, "GET", 3) == 0;
    if (minor == 1 && !has_host) {
        r->keep_alive = 0;
        error_response(r, 400, NULL, head);
        return used;
    }
    if (!get && !head) {
        error_response(r, 405, "Allow: GET, HEAD\r\n", 0);
        return used;
    }

    char path[2048];
    if (decode_path(sp1 + 1, (size_t)(sp2 - sp1 - 1), path, sizeof(path)) != 0) {
        error_response(r, sp1[1] == '/' ? 403 : 400, NULL, head);
        return used;
    }
    char full[4096];
    int fl = snprintf(full, sizeof(full), "%s%s%s", conf->document_root, path,
                      path[strlen(path) - 1] == '/' ? "index.html" : "");
    if (fl < 0 || (size_t)fl >= sizeof(full)) {
        error_response(r, 404, NULL, head);
        return used;
    }
    DWORD attrs = GetFileAttributesA(full);
    if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY)) {
        char loc[2200];
        snprintf(loc, sizeof(loc), "Location: %s/\r\n", path);
        error_response(r, 301, loc, head);
        return used;
    }
    HANDLE f = attrs == INVALID_FILE_ATTRIBUTES
                   ? INVALID_HANDLE_VALUE
                   : CreateFileA(full, GENERIC_READ,
                                 FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                                 OPEN_EXISTING, FILE_FLAG_SEQUENTIAL_SCAN, NULL);
    if (f == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        error_response(r, e == ERROR_ACCESS_DENIED ? 403 : 404, NULL, head);
        return used;
    }
    BY_HANDLE_FILE_INFORMATION info;
    if (!GetFileInformationByHandle(f, &info)) {
        CloseHandle(f);
        error_response(r, 500, NULL, head);
        return used;
    }
    r->status = 200;
    r->file_size = ((uint64_t)info.nFileSizeHigh << 32) | info.nFileSizeLow;
    char extra[80];
    char lm[40];
    http_date(((uint64_t)info.ftLastWriteTime.dwHighDateTime << 32) |
                  info.ftLastWriteTime.dwLowDateTime,
              lm, sizeof(lm));
    snprintf(extra, sizeof(extra), "Last-Modified: %s\r\nAccept-Ranges: none\r\n", lm);
    finish_head(r, extra, r->file_size, content_type(full));
    if (head || r->file_size == 0)
        CloseHandle(f);
    else
        r->file = f;
    return used;
}
