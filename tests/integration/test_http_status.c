/* server-status from the running server: the HTML page and ?auto, from the live scoreboard. */
#include "twire.h"

#define CONF                                                                                       \
    "ThreadLimit 16\nExtendedStatus On\n"                                                          \
    "<Location \"/server-status\">\n  SetHandler server-status\n</Location>\n"

static struct tmpm *srv(void)
{
    return th_server("status", CONF);
}

/* The value after "name: " on its own line of text, or NULL (static buffer). */
static const char *field(const char *text, const char *name)
{
    static char v[4096];
    size_t n = strlen(name);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncmp(p, name, n) == 0 && p[n] == ':' && p[n + 1] == ' ') {
            const char *e = strchr(p, '\n');
            snprintf(v, sizeof(v), "%.*s", (int)(e ? (size_t)(e - p - n - 2) : strlen(p + n + 2)),
                     p + n + 2);
            return v;
        }
    }
    return NULL;
}

static long num(const char *text, const char *name)
{
    const char *v = field(text, name);
    ck_assert_msg(v != NULL, "no %s in:\n%s", name, text);
    return strtol(v, NULL, 10);
}

/* GET ?auto until Total Accesses reaches min (bounded): a request is counted once its answer went
 * out, which its client may see first. */
static void auto_until(unsigned short port, long min, struct th_resp *r)
{
    ULONGLONG until = GetTickCount64() + NTT_WAIT_MS;
    for (;;) {
        ck_assert_int_eq(th_get(port, "/server-status?auto", NULL, r), 200);
        if (num(r->body, "Total Accesses") >= min || GetTickCount64() >= until)
            return;
        th_resp_free(r);
        Sleep(20); /* the count has no event to wait on */
    }
}

START_TEST(auto_format)
{
    unsigned short port = srv()->port;
    struct th_resp r;
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(th_get(port, "/index.html", NULL, &r), 200);
        th_resp_free(&r);
    }
    auto_until(port, 5, &r);
    th_assert_header(&r, "Content-Type", "text/plain; charset=ISO-8859-1");
    const char *t = r.body;
    long busy = num(t, "BusyWorkers"), idle = num(t, "IdleWorkers");
    ck_assert_msg(busy + idle == 4, "BusyWorkers %ld + IdleWorkers %ld != ThreadsPerChild 4", busy,
                  idle);
    ck_assert_int_ge(busy, 1); /* this request */
    const char *sb = field(t, "Scoreboard");
    ck_assert_ptr_nonnull(sb);
    ck_assert_uint_eq(strlen(sb), 16); /* ThreadLimit slots of the serving child */
    int dots = 0, live = 0;
    for (const char *p = sb; *p; p++) {
        dots += *p == '.';
        live += *p != '.';
        ck_assert_msg(strchr("_RWKGSCL.I", *p) != NULL, "scoreboard letter %c", *p);
    }
    ck_assert_int_eq(live, 4);
    ck_assert_int_eq(dots, 12);
    long accesses = num(t, "Total Accesses");
    long duration = num(t, "Total Duration");
    ck_assert_int_ge(accesses, 5);
    num(t, "Total kBytes");
    num(t, "Uptime");
    num(t, "ServerUptimeSeconds");
    ck_assert_ptr_nonnull(field(t, "ServerVersion"));
    ck_assert_str_eq(field(t, "ServerMPM"), "WinNT");
    th_resp_free(&r);

    /* Total Duration (ms) grows by what a request lasted: this one's head comes in two pieces
     * 300 ms apart (a pause to make a duration, not to wait for anything). */
    struct th_conn c;
    th_open(&c, port);
    th_send(&c, "GET /index.html HTTP/1.1\r\nHost: x\r\n");
    Sleep(300);
    th_send(&c, "Connection: close\r\n\r\n");
    ck_assert(th_read(&c, 0, &r));
    ck_assert_int_eq(r.status, 200);
    th_resp_free(&r);
    th_close(&c);
    auto_until(port, accesses + 2, &r);
    long grown = num(r.body, "Total Duration") - duration;
    ck_assert_msg(grown >= 250, "Total Duration grew by %ld ms", grown);
    ck_assert_ptr_nonnull(field(r.body, "DurationPerReq"));
    ck_assert_double_gt(strtod(field(r.body, "DurationPerReq"), NULL), 0);
    accesses = num(r.body, "Total Accesses");
    th_resp_free(&r);

    /* Accesses only grow. */
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(th_get(port, "/index.html", NULL, &r), 200);
        th_resp_free(&r);
    }
    auto_until(port, accesses + 3, &r);
    ck_assert_int_ge(num(r.body, "Total Accesses"), accesses + 3);
    th_resp_free(&r);
}
END_TEST

START_TEST(html_page)
{
    unsigned short port = srv()->port;
    struct th_resp r;
    ck_assert_int_eq(th_get(port, "/index.html?marker=42", NULL, &r), 200);
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/server-status", NULL, &r), 200);
    th_assert_header(&r, "Content-Type", "text/html; charset=ISO-8859-1");
    const char *b = r.body;
    ck_assert_ptr_nonnull(strstr(b, "Server Status for"));
    ck_assert_ptr_nonnull(strstr(b, "Server uptime:"));
    ck_assert_ptr_nonnull(strstr(b, "Total accesses:"));
    ck_assert_ptr_nonnull(strstr(b, "requests currently being processed"));
    ck_assert_ptr_nonnull(strstr(b, "<pre>"));
    ck_assert_ptr_nonnull(strstr(b, "Scoreboard Key"));
    /* ExtendedStatus: the workers' table names clients and last requests. */
    ck_assert_ptr_nonnull(strstr(b, "<td>127.0.0.1</td>"));
    ck_assert_msg(strstr(b, "GET /index.html?marker=42 HTTP/1.1") != NULL, "%s", b);
    th_resp_free(&r);
    /* Only GET and HEAD. */
    th_exchange(port, "POST /server-status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 0,
                &r);
    ck_assert_int_eq(r.status, 405);
    th_resp_free(&r);
}
END_TEST

START_TEST(stop)
{
    th_server_stop();
}
END_TEST

NTT_MAIN(auto_format, html_page, stop)
