/* HTTP over raw sockets against the real server: one shared server per test file, responses
 * parsed strictly enough to see framing errors, pipelining, and when the server closes. */
#ifndef NTT_TWIRE_H
#define NTT_TWIRE_H

#include "tmpm.h"

#include <stdlib.h>

/* ---- the file's server ---------------------------------------------------------------------- */

static struct tmpm th_srv;
static int th_started;

static void th_kill_at_exit(void)
{
    tmpm_kill(&th_srv);
}

/* The TypesConfig every test server has (conf/mime.types under its ServerRoot). */
#define TH_MIME_TYPES                                                                              \
    "# test types\ntext/html\thtml htm\ntext/plain\ttxt\napplication/json json\n"                  \
    "image/png\tpng\n"

/* Hooks a file may set before its first th_server call: files to create before the start. */
static void (*th_before_start)(struct tmpm *t);

/* Start the file's server once (name: its directory; extra: config lines, where @DIR@ stands for
 * its ServerRoot), then reuse it. */
static inline struct tmpm *th_server(const char *name, const char *extra)
{
    if (!th_started) {
        tmpm_init(&th_srv, name, NULL);
        static char text[16384];
        size_t o = 0;
        for (const char *p = extra ? extra : ""; *p && o + 600 < sizeof(text); p++) {
            if (strncmp(p, "@DIR@", 5) == 0) {
                o += (size_t)snprintf(text + o, sizeof(text) - o, "%s", th_srv.dir);
                p += 4;
            } else {
                text[o++] = *p;
            }
        }
        text[o] = '\0';
        tmpm_config(&th_srv, text);
        char path[1200];
        snprintf(path, sizeof(path), "%.600s/conf", th_srv.dir);
        CreateDirectoryA(path, NULL);
        snprintf(path, sizeof(path), "%.600s/conf/mime.types", th_srv.dir);
        tmpm_write_file(path, TH_MIME_TYPES);
        if (th_before_start)
            th_before_start(&th_srv);
        atexit(th_kill_at_exit);
        tmpm_start(&th_srv);
        th_started = 1;
    }
    return &th_srv;
}

/* The last test of a file: stop it (-k stop, exit 0). */
static inline void th_server_stop(void)
{
    if (th_started)
        tmpm_stop(&th_srv);
    th_started = 0;
}

/* A file under the server's DocumentRoot (rel uses '/'). */
static inline void th_doc(struct tmpm *t, const char *rel, const char *text)
{
    char path[2048];
    snprintf(path, sizeof(path), "%.600s/htdocs/%.1200s", t->dir, rel);
    tmpm_write_file(path, text);
}

static inline void th_doc_dir(struct tmpm *t, const char *rel)
{
    char path[2048];
    snprintf(path, sizeof(path), "%.600s/htdocs/%.1200s", t->dir, rel);
    CreateDirectoryA(path, NULL);
}

/* ---- a connection --------------------------------------------------------------------------- */

#define TH_BUF (1024 * 1024)

struct th_conn {
    SOCKET s;
    size_t len; /* received, not yet parsed */
    char *buf;
    int eof; /* the server closed (or reset) */
};

static inline void th_open(struct th_conn *c, unsigned short port)
{
    memset(c, 0, sizeof(*c));
    c->s = tmpm_connect(port);
    ck_assert_msg(c->s != INVALID_SOCKET, "connect to port %u failed", (unsigned)port);
    c->buf = malloc(TH_BUF + 1);
    ck_assert_ptr_nonnull(c->buf);
}

static inline void th_close(struct th_conn *c)
{
    if (c->s != INVALID_SOCKET)
        closesocket(c->s);
    c->s = INVALID_SOCKET;
    free(c->buf);
    c->buf = NULL;
}

static inline void th_send_n(struct th_conn *c, const char *data, size_t n)
{
    while (n > 0) {
        int k = send(c->s, data, n > 65536 ? 65536 : (int)n, 0);
        ck_assert_msg(k > 0, "send failed: %d", WSAGetLastError());
        data += k;
        n -= (size_t)k;
    }
}

static inline void th_send(struct th_conn *c, const char *text)
{
    th_send_n(c, text, strlen(text));
}

/* Receive more within ms. 1: got bytes; 0: the server closed (eof set); -1: nothing came. */
static inline int th_fill(struct th_conn *c, DWORD ms)
{
    if (c->eof)
        return 0;
    fd_set r;
    FD_ZERO(&r);
    FD_SET(c->s, &r);
    struct timeval tv = {(long)(ms / 1000), (long)(ms % 1000) * 1000};
    if (select(0, &r, NULL, NULL, &tv) <= 0)
        return -1;
    ck_assert_msg(c->len < TH_BUF, "response larger than the test buffer");
    int k = recv(c->s, c->buf + c->len, (int)(TH_BUF - c->len), 0);
    if (k <= 0) {
        c->eof = 1;
        return 0;
    }
    c->len += (size_t)k;
    c->buf[c->len] = '\0';
    return 1;
}

/* One parsed response. */
struct th_resp {
    int status;
    char head[16384]; /* status line and headers, NUL-terminated */
    char *body;       /* malloc'd, NUL-terminated */
    size_t body_len;
};

static inline void th_resp_free(struct th_resp *r)
{
    free(r->body);
    r->body = NULL;
}

/* The value of header name in r (case-insensitive), or NULL (static rotating buffers). */
static inline const char *th_header(const struct th_resp *r, const char *name)
{
    static char vals[4][8192];
    static unsigned k;
    size_t nl = strlen(name);
    for (const char *p = strstr(r->head, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n")) {
        const char *line = p + 2;
        if (tmpm_strnieq(line, name, nl) && line[nl] == ':') {
            const char *v = line + nl + 1;
            while (*v == ' ')
                v++;
            const char *e = strstr(v, "\r\n");
            size_t n = e ? (size_t)(e - v) : strlen(v);
            char *out = vals[k++ % 4];
            snprintf(out, sizeof(vals[0]), "%.*s", (int)n, v);
            return out;
        }
    }
    return NULL;
}

/* Read one response (head_only: a HEAD request's, no body). 1, or 0 when the connection closed
 * before a whole response came. Bounded by NTT_WAIT_MS. */
static inline int th_read(struct th_conn *c, int head_only, struct th_resp *r)
{
    memset(r, 0, sizeof(*r));
    ULONGLONG until = GetTickCount64() + NTT_WAIT_MS;
    char *end;
    while ((end = c->len ? strstr(c->buf, "\r\n\r\n") : NULL) == NULL) {
        if (GetTickCount64() >= until)
            ck_abort_msg("no response head within %d ms (have %zu bytes)", NTT_WAIT_MS, c->len);
        if (th_fill(c, 200) == 0)
            return 0;
    }
    size_t hlen = (size_t)(end + 4 - c->buf);
    ck_assert_uint_lt(hlen, sizeof(r->head));
    memcpy(r->head, c->buf, hlen);
    r->head[hlen] = '\0';
    ck_assert_msg(sscanf(r->head, "HTTP/1.1 %d ", &r->status) == 1, "bad status line: %.80s",
                  r->head);
    const char *cl = th_header(r, "Content-Length");
    size_t blen = head_only || r->status == 304 || !cl ? 0 : (size_t)strtoull(cl, NULL, 10);
    while (c->len < hlen + blen) {
        if (GetTickCount64() >= until)
            ck_abort_msg("body incomplete within %d ms", NTT_WAIT_MS);
        if (th_fill(c, 200) == 0)
            return 0;
    }
    r->body = malloc(blen + 1);
    ck_assert_ptr_nonnull(r->body);
    memcpy(r->body, c->buf + hlen, blen);
    r->body[blen] = '\0';
    r->body_len = blen;
    memmove(c->buf, c->buf + hlen + blen, c->len - hlen - blen);
    c->len -= hlen + blen;
    c->buf[c->len] = '\0';
    return 1;
}

/* Whether the server closes the connection within ms with nothing more sent. */
static inline int th_closes(struct th_conn *c, DWORD ms)
{
    ULONGLONG until = GetTickCount64() + ms;
    while (!c->eof) {
        ULONGLONG now = GetTickCount64();
        if (now >= until)
            return 0;
        int k = th_fill(c, (DWORD)(until - now));
        if (k < 0)
            return 0;
    }
    return c->len == 0;
}

/* One request on a new connection; the response (its connection is closed). */
static inline void th_exchange(unsigned short port, const char *request, int head_only,
                               struct th_resp *r)
{
    struct th_conn c;
    th_open(&c, port);
    th_send(&c, request);
    int ok = th_read(&c, head_only, r);
    th_close(&c);
    ck_assert_msg(ok, "no response to: %.200s", request);
}

/* GET path (HTTP/1.1, Host, Connection: close, extra header lines); the status. */
static inline int th_get(unsigned short port, const char *path, const char *extra,
                         struct th_resp *r)
{
    char req[8192];
    snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: test\r\n%sConnection: close\r\n\r\n", path,
             extra ? extra : "");
    th_exchange(port, req, 0, r);
    return r->status;
}

/* Everything the peer sends until it closes (HTTP/1.0 style), into c->buf. */
static inline void th_read_all(struct th_conn *c)
{
    ULONGLONG until = GetTickCount64() + NTT_WAIT_MS;
    while (!c->eof && GetTickCount64() < until)
        th_fill(c, 200);
    ck_assert_msg(c->eof, "the peer did not close within %d ms", NTT_WAIT_MS);
}

/* ---- other programs (the Debian tools the server must work with) ----------------------------- */

/* Start cmdline (the program is searched like CreateProcess does) with stdout and stderr to
 * out_path. The process, or NULL when it cannot be started (not installed). */
static inline HANDLE th_tool_start(const char *cmdline, const char *out_path)
{
    static char cmd[8192];
    snprintf(cmd, sizeof(cmd), "%s", cmdline);
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    /* No ck_assert here: main() calls it before any test runs. */
    HANDLE out = CreateFileA(out_path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                             CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    HANDLE in = CreateFileA("NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                            OPEN_EXISTING, 0, NULL);
    if (out == INVALID_HANDLE_VALUE || in == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "cannot open %s or NUL for %s: %lu\n", out_path, cmdline,
                (unsigned long)GetLastError());
        if (out != INVALID_HANDLE_VALUE)
            CloseHandle(out);
        if (in != INVALID_HANDLE_VALUE)
            CloseHandle(in);
        return NULL;
    }
    STARTUPINFOA si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = in;
    si.hStdOutput = out;
    si.hStdError = out;
    PROCESS_INFORMATION pi;
    BOOL ok = CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    CloseHandle(out);
    CloseHandle(in);
    if (!ok)
        return NULL;
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

/* Run cmdline to its end (bounded); its exit code, or -1 when it cannot be started. */
static inline long th_tool_run(const char *cmdline, const char *out_path, DWORD ms)
{
    HANDLE p = th_tool_start(cmdline, out_path);
    if (p == NULL)
        return -1;
    DWORD w = WaitForSingleObject(p, ms);
    if (w != WAIT_OBJECT_0)
        TerminateProcess(p, 99);
    DWORD code = 99;
    GetExitCodeProcess(p, &code);
    CloseHandle(p);
    ck_assert_msg(w == WAIT_OBJECT_0, "%s did not finish within %lu ms", cmdline,
                  (unsigned long)ms);
    return (long)code;
}

#define th_assert_header(r, name, value)                                                           \
    do {                                                                                           \
        const char *v_ = th_header((r), (name));                                                   \
        ck_assert_msg(v_ != NULL && strcmp(v_, (value)) == 0, "%s: %s, expected %s in\n%s",        \
                      (name), v_ ? v_ : "(absent)", (value), (r)->head);                           \
    } while (0)

#endif
