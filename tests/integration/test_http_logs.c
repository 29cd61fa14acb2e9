/* The logs the running server writes: the access log in the combined format (each line whole
 * under concurrent load) and the error log in httpd's line shape. */
#include "twire.h"

#define CONF "CustomLog logs/access.log combined\n"

static char *wait_lines(int n);

static const char *access_log(void)
{
    static char path[1200];
    snprintf(path, sizeof(path), "%.600s/logs/access.log", th_srv.dir);
    return path;
}

static struct tmpm *srv(void)
{
    static int settled;
    struct tmpm *t = th_server("logs", CONF);
    if (!settled) {
        /* The start-up probe's line: written after its answer went out, maybe after the probe
         * returned. Counting lines from here on is exact. */
        settled = 1;
        free(wait_lines(1));
    }
    return t;
}

static int count_lines(const char *text)
{
    int n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n;
}

/* Wait (bounded) until the access log has at least n lines: a line is written once the answer
 * went out, which the client may see first. Returns the log (malloc'd). */
static char *wait_lines(int n)
{
    ULONGLONG until = GetTickCount64() + NTT_WAIT_MS;
    for (;;) {
        char *text = tmpm_read_file(access_log());
        if (count_lines(text) >= n || GetTickCount64() >= until)
            return text;
        free(text);
        Sleep(20); /* a file has no change notification we can wait on here */
    }
}

/* A quoted field of a combined line: p at the opening quote; escapes as httpd writes them. */
static const char *quoted(const char *p, char *out, size_t size)
{
    if (*p != '"')
        return NULL;
    size_t o = 0;
    for (p++; *p && *p != '"'; p++) {
        if (*p == '\\' && p[1])
            p++;
        if (o + 1 < size)
            out[o++] = *p;
    }
    out[o] = '\0';
    return *p == '"' ? p + 1 : NULL;
}

struct combined {
    char host[64], ident[64], user[64], time[64], request[2048], referer[1024], agent[1024];
    int status;
    long long bytes; /* -1 for "-" */
};

/* Parse one combined line (without its '\n'): 1 when it has exactly the shape
 *   %h %l %u [%d/%b/%Y:%H:%M:%S %z] "%r" %>s %b "%{Referer}i" "%{User-Agent}i" */
static int parse_combined(const char *line, struct combined *c)
{
    memset(c, 0, sizeof(*c));
    int n = 0;
    if (sscanf(line, "%63s %63s %63s [%63[^]]]%n", c->host, c->ident, c->user, c->time, &n) != 4)
        return 0;
    int d, y, hh, mm, ss, z;
    char mon[4];
    if (sscanf(c->time, "%2d/%3s/%4d:%2d:%2d:%2d %5d", &d, mon, &y, &hh, &mm, &ss, &z) != 7 ||
        strlen(c->time) != 26 || (c->time[21] != '+' && c->time[21] != '-'))
        return 0;
    const char *p = line + n;
    if (*p++ != ' ')
        return 0;
    if (!(p = quoted(p, c->request, sizeof(c->request))))
        return 0;
    char bytes[32];
    int k = 0;
    if (sscanf(p, " %3d %31s %n", &c->status, bytes, &k) != 2 || k == 0)
        return 0;
    c->bytes = strcmp(bytes, "-") == 0 ? -1 : strtoll(bytes, NULL, 10);
    p += k;
    if (!(p = quoted(p, c->referer, sizeof(c->referer))) || *p++ != ' ')
        return 0;
    if (!(p = quoted(p, c->agent, sizeof(c->agent))))
        return 0;
    return *p == '\0';
}

/* The last line of text (up to its '\n') into out. */
static void last_line(const char *text, char *out, size_t size)
{
    size_t n = strlen(text);
    if (n && text[n - 1] == '\n')
        n--;
    size_t s = n;
    while (s > 0 && text[s - 1] != '\n')
        s--;
    snprintf(out, size, "%.*s", (int)(n - s), text + s);
}

START_TEST(access_log_combined_shape)
{
    unsigned short port = srv()->port;
    char *before = tmpm_read_file(access_log());
    int have = count_lines(before);
    free(before);
    struct th_resp r;
    ck_assert_int_eq(th_get(port, "/index.html?q=1",
                            "Referer: http://example.com/from\r\nUser-Agent: wire-test/1.0\r\n",
                            &r),
                     200);
    size_t body = r.body_len;
    th_resp_free(&r);
    char *text = wait_lines(have + 1);
    char line[4096];
    last_line(text, line, sizeof(line));
    free(text);
    struct combined c;
    ck_assert_msg(parse_combined(line, &c), "not a combined line: %s", line);
    ck_assert_str_eq(c.host, "127.0.0.1");
    ck_assert_str_eq(c.ident, "-");
    ck_assert_str_eq(c.user, "-");
    ck_assert_str_eq(c.request, "GET /index.html?q=1 HTTP/1.1");
    ck_assert_int_eq(c.status, 200);
    ck_assert_int_eq(c.bytes, (long long)body);
    ck_assert_str_eq(c.referer, "http://example.com/from");
    ck_assert_str_eq(c.agent, "wire-test/1.0");

    /* An error, a HEAD (no body: "-") and a request with quotes to escape. */
    ck_assert_int_eq(th_get(port, "/missing", NULL, &r), 404);
    th_resp_free(&r);
    th_exchange(port, "HEAD /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 1, &r);
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/q\"x", "User-Agent: a \"quoted\" agent\r\n", &r), 404);
    th_resp_free(&r);
    text = wait_lines(have + 4);
    char *p = text;
    for (int i = 0; i < have + 1; i++)
        p = strchr(p, '\n') + 1;
    char l1[4096], l2[4096], l3[4096];
    ck_assert_int_eq(sscanf(p, "%4095[^\n]\n%4095[^\n]\n%4095[^\n]", l1, l2, l3), 3);
    free(text);
    ck_assert_msg(parse_combined(l1, &c) && c.status == 404 && c.bytes > 0, "%s", l1);
    ck_assert_msg(parse_combined(l2, &c) && c.status == 200 && c.bytes == -1, "%s", l2);
    ck_assert_msg(parse_combined(l3, &c) && c.status == 404, "%s", l3);
    ck_assert_str_eq(c.agent, "a \"quoted\" agent");
    ck_assert_msg(strstr(l3, "\"a \\\"quoted\\\" agent\"") != NULL, "%s", l3);
}
END_TEST

/* ---- many threads at once: every access log line whole -------------------------------------- */

#define LOAD_THREADS 8
#define LOAD_REQUESTS 40

static volatile LONG load_failures;

static DWORD WINAPI load_main(void *arg)
{
    int id = (int)(INT_PTR)arg;
    unsigned short port = th_srv.port;
    SOCKET s = tmpm_connect(port);
    if (s == INVALID_SOCKET) {
        InterlockedIncrement(&load_failures);
        return 0;
    }
    /* A long User-Agent makes torn lines likely to show. */
    char agent[600];
    memset(agent, 'a' + id, sizeof(agent) - 1);
    agent[sizeof(agent) - 1] = '\0';
    for (int i = 0; i < LOAD_REQUESTS; i++) {
        char req[1024];
        int n = snprintf(req, sizeof(req),
                         "GET /index.html?t=%d&i=%d HTTP/1.1\r\nHost: x\r\nUser-Agent: %s\r\n\r\n",
                         id, i, agent);
        if (send(s, req, n, 0) != n || tmpm_read_response(s, 0, NULL, 0) != 200) {
            InterlockedIncrement(&load_failures);
            /* MaxKeepAliveRequests may close it: go on with a new connection. */
            closesocket(s);
            s = tmpm_connect(port);
            if (s == INVALID_SOCKET)
                return 0;
        }
    }
    closesocket(s);
    return 0;
}

START_TEST(access_log_lines_whole_under_load)
{
    srv();
    char *before = tmpm_read_file(access_log());
    int have = count_lines(before);
    free(before);
    HANDLE th[LOAD_THREADS];
    for (int i = 0; i < LOAD_THREADS; i++) {
        th[i] = CreateThread(NULL, 0, load_main, (void *)(INT_PTR)i, 0, NULL);
        ck_assert_ptr_nonnull(th[i]);
    }
    ck_assert_uint_eq(WaitForMultipleObjects(LOAD_THREADS, th, TRUE, 6 * NTT_WAIT_MS),
                      WAIT_OBJECT_0);
    for (int i = 0; i < LOAD_THREADS; i++)
        CloseHandle(th[i]);
    int want = have + LOAD_THREADS * LOAD_REQUESTS;
    char *text = wait_lines(want);
    ck_assert_int_eq(count_lines(text), want);
    /* Every line after the earlier ones parses, and each request is there exactly once. */
    static int seen[LOAD_THREADS][LOAD_REQUESTS];
    memset(seen, 0, sizeof(seen));
    char *p = text;
    for (int i = 0; i < have; i++)
        p = strchr(p, '\n') + 1;
    static struct combined c;
    for (int i = have; i < want; i++) {
        char *e = strchr(p, '\n');
        ck_assert_ptr_nonnull(e);
        *e = '\0';
        ck_assert_msg(parse_combined(p, &c), "torn or malformed line %d: %.300s", i + 1, p);
        int t, k;
        ck_assert_msg(sscanf(c.request, "GET /index.html?t=%d&i=%d HTTP/1.1", &t, &k) == 2 &&
                          t >= 0 && t < LOAD_THREADS && k >= 0 && k < LOAD_REQUESTS,
                      "request %s", c.request);
        ck_assert_int_eq(c.status, 200);
        ck_assert_uint_eq(strlen(c.agent), 599);
        ck_assert_int_eq(c.agent[0], 'a' + t);
        ck_assert_int_eq(c.agent[598], 'a' + t);
        seen[t][k]++;
        p = e + 1;
    }
    free(text);
    for (int t = 0; t < LOAD_THREADS; t++)
        for (int k = 0; k < LOAD_REQUESTS; k++)
            ck_assert_msg(seen[t][k] == 1, "request t=%d i=%d logged %d times", t, k, seen[t][k]);
    ck_assert_int_eq(load_failures, 0);
}
END_TEST

/* The error log: every line "[date] [module:level] [pid N:tid M] message". */
START_TEST(error_log_line_shape)
{
    srv();
    th_server_stop(); /* the stop lines are in it too */
    char *text = tmpm_read_file(th_srv.log);
    int lines = 0;
    for (char *p = text, *e; *p; p = e + 1) {
        e = strchr(p, '\n');
        ck_assert_ptr_nonnull(e);
        *e = '\0';
        char wd[4], mon[4], module[64], level[16];
        int day, hh, mm, ss, usec, year, n = 0;
        unsigned long pid, tid;
        ck_assert_msg(
            sscanf(p, "[%3s %3s %2d %2d:%2d:%2d.%6d %4d] [%63[^:]:%15[^]]] [pid %lu:tid %lu] %n",
                   wd, mon, &day, &hh, &mm, &ss, &usec, &year, module, level, &pid, &tid,
                   &n) == 12 &&
                n > 0 && p[n] != '\0',
            "error log line: %s", p);
        ck_assert_msg(strcmp(level, "emerg") == 0 || strcmp(level, "alert") == 0 ||
                          strcmp(level, "crit") == 0 || strcmp(level, "error") == 0 ||
                          strcmp(level, "warn") == 0 || strcmp(level, "notice") == 0 ||
                          strcmp(level, "info") == 0 || strcmp(level, "debug") == 0,
                      "level %s", level);
        ck_assert_uint_gt(pid, 0);
        lines++;
    }
    free(text);
    ck_assert_int_ge(lines, 4);
}
END_TEST

NTT_MAIN(access_log_combined_shape, access_log_lines_whole_under_load, error_log_line_shape)
