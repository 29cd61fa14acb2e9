/* server-status ?auto: mod_status's machine-readable lines, in its order, from a snapshot. */
#include "thttp.h"

START_TEST(auto_lines)
{
    struct http_status_worker w[4] = {
        {'_', 7, 1, 100, 1 << 20, "GET / HTTP/1.1", "::1", 1500000},
        {'W', 7, 1, 50, 1 << 20, "GET /server-status?auto HTTP/1.1", "::1", 600400},
        {'G', 6, 0, 10, 0, "", "", 100000},
        {'.', 0, 0, 0, 0, "", "", 0},
    };
    struct http_status_snapshot s = {0};
    s.now_ft = http_unix_to_ft(1000000 + 3723);
    s.restart_ft = http_unix_to_ft(1000000);
    s.start_ft = http_unix_to_ft(1000000 - 86400);
    s.generation = 1;
    s.threads_per_child = 2;
    s.thread_limit = 2;
    s.workers = w;
    s.n_workers = 4;
    struct http_buf b = {0};
    struct http_config hc = *http_config_of(NULL);
    http_status_render(&hc, &s, 1, NULL, &b);
    ck_assert(!b.failed);
    static const char *const expect[] = {
        "localhost\n",
        "ServerVersion: ntmpm/0.1.0 (",
        "ServerMPM: WinNT\n",
        "Server Built: ",
        "CurrentTime: Monday, 12-Jan-1970 14:48:43 UTC\n",
        "RestartTime: Monday, 12-Jan-1970 13:46:40 UTC\n",
        "ParentServerConfigGeneration: 1\n",
        "ParentServerMPMGeneration: 0\n",
        "ServerUptimeSeconds: 90123\n",
        "ServerUptime: 1 day 1 hour 2 minutes 3 seconds\n",
        "Load1: ",
        "Load5: ",
        "Load15: ",
        "Total Accesses: 160\n",
        "Total kBytes: 2048\n",
        "Total Duration: 2200\n", /* ms: the slots' microseconds summed */
        "Uptime: 3723\n",
        "ReqPerSec: 0.0429761\n",
        "BytesPerSec: 563.296\n",
        "BytesPerReq: 13107.2\n",
        "DurationPerReq: 13.75\n",
        "BusyWorkers: 2\n",
        "GracefulWorkers: 1\n",
        "IdleWorkers: 1\n",
        "Scoreboard: _WG.\n",
    };
    const char *p = b.p;
    for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
        ck_assert_msg(strncmp(p, expect[i], strlen(expect[i])) == 0, "line %zu: '%.40s' vs '%s'", i,
                      p, expect[i]);
        p = strchr(p, '\n') + 1;
    }
    ck_assert_str_eq(p, "");
    free(b.p);
    /* Every line but the first is "Key: value" (what prometheus-apache-exporter splits on). */
    b = (struct http_buf){0};
    http_status_render(&hc, &s, 1, NULL, &b);
    for (p = strchr(b.p, '\n') + 1; *p; p = strchr(p, '\n') + 1) {
        const char *colon = strstr(p, ": ");
        ck_assert(colon != NULL && colon < strchr(p, '\n'));
    }
    free(b.p);
}
END_TEST

START_TEST(html_page)
{
    struct http_status_worker w[2] = {{'_', 7, 1, 1, 10, "GET /<x> HTTP/1.1", "::1", 4321000},
                                      {'R', 7, 1, 0, 0, "", "", 0}};
    struct http_status_snapshot s = {0};
    s.now_ft = http_unix_to_ft(2000);
    s.restart_ft = http_unix_to_ft(1000);
    s.workers = w;
    s.n_workers = 2;
    s.thread_limit = 2;
    struct http_buf b = {0};
    struct http_config hc = *http_config_of(NULL);
    http_status_render(&hc, &s, 0, NULL, &b);
    ck_assert_ptr_nonnull(strstr(b.p, "<pre>_R</pre>"));
    ck_assert_ptr_nonnull(strstr(b.p, "1 requests currently being processed, 1 idle workers"));
    ck_assert_ptr_nonnull(strstr(b.p, "GET /&lt;x&gt; HTTP/1.1")); /* per-worker, escaped */
    ck_assert_ptr_nonnull(strstr(b.p, "Scoreboard Key"));
    ck_assert_ptr_nonnull(strstr(b.p, " - Total Duration: 4321</dt>"));
    free(b.p);
}
END_TEST

NTT_MAIN(auto_lines, html_page)
