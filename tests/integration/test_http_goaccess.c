/* Debian's goaccess reads the server's real access log with its COMBINED format: no invalid line.
 * Native only (the Linux tool; meson registers it off Windows). Skips (77) without goaccess. */
#include "twire.h"

#define CONF "CustomLog logs/access.log combined\nDirectoryIndex index.html\n"

static const char *browser = "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:115.0) "
                             "Gecko/20100101 Firefox/115.0\r\n";

/* The traffic a browser and a few tools make: every status a static site gives. */
static int traffic(unsigned short port)
{
    struct th_resp r;
    int n = 0;
    char h[1024];
    th_doc(&th_srv, "style.css", "body{}");
    th_doc_dir(&th_srv, "docs");
    th_doc(&th_srv, "docs/index.html", "docs");
    snprintf(h, sizeof(h), "%sReferer: http://127.0.0.1:%u/\r\n", browser, (unsigned)port);
    const char *paths[] = {
        "/", "/index.html?utm=1&x=%20y", "/style.css", "/missing.png", "/docs", "/docs/"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++, n++) {
        th_get(port, paths[i], h, &r);
        th_resp_free(&r);
    }
    ck_assert_int_eq(th_get(port, "/index.html", "User-Agent: curl/7.88.1\r\n", &r), 200);
    char etag[128];
    snprintf(etag, sizeof(etag), "If-None-Match: %s\r\n", th_header(&r, "ETag"));
    th_resp_free(&r);
    n++;
    th_get(port, "/index.html", etag, &r), n++;
    th_resp_free(&r);
    th_get(port, "/index.html", "Range: bytes=0-3\r\n", &r), n++;
    th_resp_free(&r);
    th_exchange(port, "HEAD / HTTP/1.0\r\n\r\n", 1, &r), n++;
    th_resp_free(&r);
    th_exchange(port,
                "POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                "Connection: close\r\n\r\nab",
                0, &r),
        n++;
    th_resp_free(&r);
    th_exchange(port,
                "GET /index.html HTTP/1.1\r\nHost: x\r\nUser-Agent: \"quoted\" \\ agent\r\n"
                "Connection: close\r\n\r\n",
                0, &r),
        n++;
    th_resp_free(&r);
    return n;
}

/* "name": N in goaccess' JSON report. */
static long json_number(const char *json, const char *name)
{
    char key[128];
    snprintf(key, sizeof(key), "\"%s\":", name);
    const char *p = strstr(json, key);
    ck_assert_msg(p != NULL, "no %s in the report", name);
    return strtol(p + strlen(key), NULL, 10);
}

START_TEST(goaccess_reads_every_line)
{
    struct tmpm *t = th_server("goaccess", CONF);
    int requests = traffic(t->port);
    th_server_stop(); /* every line written */
    char log[1200], report[1200], invalid[1200], out[1200], cmd[4096];
    snprintf(log, sizeof(log), "%.600s/logs/access.log", t->dir);
    snprintf(report, sizeof(report), "%.600s/logs/goaccess.json", t->dir);
    snprintf(invalid, sizeof(invalid), "%.600s/logs/goaccess-invalid.log", t->dir);
    snprintf(out, sizeof(out), "%.600s/logs/goaccess.out", t->dir);
    snprintf(cmd, sizeof(cmd),
             "goaccess \"%s\" --log-format=COMBINED --no-global-config --no-progress "
             "--invalid-requests=\"%s\" -o \"%s\"",
             log, invalid, report);
    long code = th_tool_run(cmd, out, 6 * NTT_WAIT_MS);
    char *text = tmpm_read_file(out);
    ck_assert_msg(code == 0, "goaccess exited %ld:\n%s", code, text);
    free(text);
    char *json = tmpm_read_file(report);
    char *bad = tmpm_read_file(invalid);
    long failed = json_number(json, "failed_requests");
    long valid = json_number(json, "valid_requests");
    ck_assert_msg(failed == 0, "goaccess refused %ld lines:\n%s", failed, bad);
    ck_assert_str_eq(bad, "");
    /* Every line is a valid request: ours, and the start-up probe's. */
    char *lines = tmpm_read_file(log);
    long n = 0;
    for (const char *q = lines; *q; q++)
        n += *q == '\n';
    free(lines);
    ck_assert_int_ge(n, requests);
    ck_assert_int_eq(valid, n);
    free(json);
    free(bad);
}
END_TEST

int main(void)
{
    /* Without the tool there is nothing to check: meson's "skipped". */
    char probe[64];
    snprintf(probe, sizeof(probe), "goaccess-probe-%lu.out", (unsigned long)GetCurrentProcessId());
    HANDLE p = th_tool_start("goaccess --version", probe);
    if (p == NULL) {
        fprintf(stderr, "goaccess is not installed: skipped\n");
        return 77;
    }
    WaitForSingleObject(p, NTT_WAIT_MS);
    CloseHandle(p);
    DeleteFileA(probe);
    const TTest *tests[] = {goaccess_reads_every_line};
    return ntt_run(__FILE__, tests, 1);
}
