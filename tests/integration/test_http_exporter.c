/* Debian's prometheus-apache-exporter scrapes the server's server-status?auto: up, and the worker
 * counts add up to ThreadsPerChild. Native only (the Linux tool; meson registers it off Windows).
 * Skips (77) without the exporter. */
#include "twire.h"

#define CONF "<Location \"/server-status\">\n  SetHandler server-status\n</Location>\n"

/* The value of a metric line "name value" in text, or -1. */
static double metric(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, name, n) == 0 && p[n] == ' ')
            return strtod(p + n + 1, NULL);
    return -1;
}

/* GET /metrics from the exporter (HTTP/1.0: it closes after the body). 1 with the text in *c. */
static int scrape(unsigned short port, struct th_conn *c)
{
    SOCKET s = tmpm_connect(port);
    if (s == INVALID_SOCKET)
        return 0;
    closesocket(s);
    th_open(c, port);
    th_send(c, "GET /metrics HTTP/1.0\r\n\r\n");
    th_read_all(c);
    return strncmp(c->buf, "HTTP/1.0 200", 12) == 0 || strncmp(c->buf, "HTTP/1.1 200", 12) == 0;
}

START_TEST(exporter_reports_up_and_workers)
{
    struct tmpm *t = th_server("exporter", CONF);
    unsigned short eport = tmpm_free_port();
    char cmd[2048], out[1200];
    snprintf(cmd, sizeof(cmd),
             "prometheus-apache-exporter --scrape_uri=http://127.0.0.1:%u/server-status?auto "
             "--telemetry.address=127.0.0.1:%u",
             (unsigned)t->port, (unsigned)eport);
    snprintf(out, sizeof(out), "%.600s/logs/exporter.out", t->dir);
    HANDLE ex = th_tool_start(cmd, out);
    ck_assert_ptr_nonnull(ex);
    struct th_conn c;
    int ok = 0;
    ULONGLONG until = GetTickCount64() + NTT_WAIT_MS;
    while (!ok && GetTickCount64() < until) {
        c.buf = NULL;
        ok = scrape(eport, &c);
        if (!ok) {
            if (c.buf)
                th_close(&c);
            /* It listens a moment after it starts: a readiness probe, no handle to wait on. */
            Sleep(100);
        }
    }
    TerminateProcess(ex, 0);
    WaitForSingleObject(ex, NTT_WAIT_MS);
    CloseHandle(ex);
    char *log = tmpm_read_file(out);
    ck_assert_msg(ok, "no metrics from the exporter:\n%s", log);
    free(log);
    const char *text = c.buf;
    ck_assert_msg(metric(text, "apache_up") == 1, "apache_up is not 1:\n%s", text);
    double busy = metric(text, "apache_workers{state=\"busy\"}");
    double idle = metric(text, "apache_workers{state=\"idle\"}");
    ck_assert_msg(busy >= 1 && idle >= 0 && busy + idle == 4,
                  "busy %g + idle %g != ThreadsPerChild 4:\n%s", busy, idle, text);
    ck_assert_msg(strstr(text, "apache_info{mpm=\"WinNT\"") != NULL, "%s", text);
    th_close(&c);
    th_server_stop();
}
END_TEST

int main(void)
{
    /* Without the tool there is nothing to check: meson's "skipped". */
    char probe[64];
    snprintf(probe, sizeof(probe), "exporter-probe-%lu.out", (unsigned long)GetCurrentProcessId());
    HANDLE p = th_tool_start("prometheus-apache-exporter --version", probe);
    if (p == NULL) {
        fprintf(stderr, "prometheus-apache-exporter is not installed: skipped\n");
        return 77;
    }
    WaitForSingleObject(p, NTT_WAIT_MS);
    CloseHandle(p);
    DeleteFileA(probe);
    const TTest *tests[] = {exporter_reports_up_and_workers};
    return ntt_run(__FILE__, tests, 1);
}
