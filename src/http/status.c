/* server-status: mod_status's HTML page and its ?auto machine-readable text, from a snapshot. */
#include "http_int.h"

#include <stdio.h>
#include <string.h>

#ifndef NTMPM_HTTP_BUILT
#define NTMPM_HTTP_BUILT __DATE__ " " __TIME__
#endif

struct totals {
    uint64_t accesses, bytes;
    uint64_t duration_ms; /* mod_status' Total Duration */
    unsigned busy, ready, graceful;
    int64_t uptime, server_uptime;
};

static void count(const struct http_status_snapshot *s, struct totals *t)
{
    memset(t, 0, sizeof(*t));
    uint64_t duration_us = 0;
    for (size_t i = 0; i < s->n_workers; i++) {
        const struct http_status_worker *w = &s->workers[i];
        t->accesses += w->accesses;
        t->bytes += w->bytes;
        duration_us += w->duration_us;
        /* mod_status: ready is '_'; busy is every live state but starting ('S'), and graceful
         * slots count as busy too. */
        if (w->state == '_') {
            t->ready++;
        } else if (w->state != '.' && w->state != 'S' && w->state != 'I') {
            t->busy++;
            if (w->state == 'G')
                t->graceful++;
        }
    }
    t->duration_ms = duration_us / 1000; /* mod_status sums microseconds, shows milliseconds */
    t->uptime = http_ft_to_unix(s->now_ft) - http_ft_to_unix(s->restart_ft);
    t->server_uptime =
        http_ft_to_unix(s->now_ft) - http_ft_to_unix(s->start_ft ? s->start_ft : s->restart_ft);
    if (t->uptime < 0)
        t->uptime = 0;
    if (t->server_uptime < 0)
        t->server_uptime = 0;
}

/* httpd's DEFAULT_TIME_FORMAT ("%A, %d-%b-%Y %H:%M:%S %Z"), in UTC. */
static void long_time(uint64_t ft, char *out, size_t size)
{
    static const char *days[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                 "Thursday", "Friday", "Saturday"};
    static const char *mons[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct http_tm tm;
    http_gmtime(http_ft_to_unix(ft), &tm);
    snprintf(out, size, "%s, %02d-%s-%04d %02d:%02d:%02d UTC", days[tm.wday], tm.mday, mons[tm.mon],
             tm.year, tm.hour, tm.min, tm.sec);
}

/* mod_status's show_time: " 1 day 2 hours 3 minutes 4 seconds" (zero parts left out). */
static void show_time(struct http_buf *b, int64_t secs)
{
    int64_t d = secs / 86400, h = secs / 3600 % 24, m = secs / 60 % 60, s = secs % 60;
    if (d)
        http_buf_addf(b, " %lld day%s", (long long)d, d == 1 ? "" : "s");
    if (h)
        http_buf_addf(b, " %lld hour%s", (long long)h, h == 1 ? "" : "s");
    if (m)
        http_buf_addf(b, " %lld minute%s", (long long)m, m == 1 ? "" : "s");
    if (s)
        http_buf_addf(b, " %lld second%s", (long long)s, s == 1 ? "" : "s");
}

static const char *host_name(const struct server_config *conf)
{
    return conf && conf->server_name ? conf->server_name : "localhost";
}

static void render_auto(const struct http_config *hc, const struct http_status_snapshot *s,
                        const struct totals *t, const struct server_config *conf,
                        struct http_buf *b)
{
    char now[64], restart[64];
    long_time(s->now_ft, now, sizeof(now));
    long_time(s->restart_ft, restart, sizeof(restart));
    http_buf_addf(b, "%s\n", host_name(conf));
    http_buf_addf(b, "ServerVersion: %s\n", http_server_banner(hc->tokens));
    http_buf_adds(b, "ServerMPM: WinNT\n");
    http_buf_addf(b, "Server Built: %s\n", NTMPM_HTTP_BUILT);
    http_buf_addf(b, "CurrentTime: %s\n", now);
    http_buf_addf(b, "RestartTime: %s\n", restart);
    http_buf_addf(b, "ParentServerConfigGeneration: %u\n", s->generation);
    http_buf_addf(b, "ParentServerMPMGeneration: %u\n", s->generation ? s->generation - 1 : 0);
    http_buf_addf(b, "ServerUptimeSeconds: %lld\n", (long long)t->server_uptime);
    http_buf_adds(b, "ServerUptime:");
    show_time(b, t->server_uptime);
    http_buf_adds(b, "\n");
    /* Win32 has no load average: httpd's ap_get_loadavg reports -1 there. */
    http_buf_adds(b, "Load1: -1.00\nLoad5: -1.00\nLoad15: -1.00\n");
    if (hc->extended_status) {
        http_buf_addf(b, "Total Accesses: %llu\nTotal kBytes: %llu\nTotal Duration: %llu\n",
                      (unsigned long long)t->accesses, (unsigned long long)(t->bytes >> 10),
                      (unsigned long long)t->duration_ms);
        http_buf_addf(b, "Uptime: %lld\n", (long long)t->uptime);
        if (t->uptime > 0) {
            http_buf_addf(b, "ReqPerSec: %g\n", (double)t->accesses / (double)t->uptime);
            http_buf_addf(b, "BytesPerSec: %g\n", (double)t->bytes / (double)t->uptime);
        }
        if (t->accesses > 0) {
            http_buf_addf(b, "BytesPerReq: %g\n", (double)t->bytes / (double)t->accesses);
            http_buf_addf(b, "DurationPerReq: %g\n", (double)t->duration_ms / (double)t->accesses);
        }
    }
    http_buf_addf(b, "BusyWorkers: %u\nGracefulWorkers: %u\nIdleWorkers: %u\n", t->busy,
                  t->graceful, t->ready);
    http_buf_adds(b, "Scoreboard: ");
    for (size_t i = 0; i < s->n_workers; i++)
        http_buf_add(b, &s->workers[i].state, 1);
    http_buf_adds(b, "\n");
}

static void human_bytes(struct http_buf *b, double v)
{
    if (v < 1024)
        http_buf_addf(b, "%d B", (int)v);
    else if (v < 1024 * 1024)
        http_buf_addf(b, "%.1f kB", v / 1024);
    else if (v < 1024.0 * 1024 * 1024)
        http_buf_addf(b, "%.1f MB", v / 1024 / 1024);
    else
        http_buf_addf(b, "%.1f GB", v / 1024 / 1024 / 1024);
}

static const char *const key = "<p>Scoreboard Key:<br />\n"
                               "\"<b><code>_</code></b>\" Waiting for Connection, \n"
                               "\"<b><code>S</code></b>\" Starting up, \n"
                               "\"<b><code>R</code></b>\" Reading Request,<br />\n"
                               "\"<b><code>W</code></b>\" Sending Reply, \n"
                               "\"<b><code>K</code></b>\" Keepalive (read), \n"
                               "\"<b><code>D</code></b>\" DNS Lookup,<br />\n"
                               "\"<b><code>C</code></b>\" Closing connection, \n"
                               "\"<b><code>L</code></b>\" Logging, \n"
                               "\"<b><code>G</code></b>\" Gracefully finishing,<br /> \n"
                               "\"<b><code>I</code></b>\" Idle cleanup of worker, \n"
                               "\"<b><code>.</code></b>\" Open slot with no current process<br />\n"
                               "</p>\n";

static void render_html(const struct http_config *hc, const struct http_status_snapshot *s,
                        const struct totals *t, const struct server_config *conf,
                        struct http_buf *b)
{
    char now[64], restart[64];
    long_time(s->now_ft, now, sizeof(now));
    long_time(s->restart_ft, restart, sizeof(restart));
    http_buf_adds(b, "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<html><head>\n"
                     "<title>ntmpm Status</title>\n</head><body>\n<h1>ntmpm Server Status for ");
    http_buf_add_html(b, host_name(conf));
    http_buf_adds(b, "</h1>\n\n<dl><dt>Server Version: ");
    http_buf_add_html(b, http_server_banner(hc->tokens));
    http_buf_addf(b,
                  "</dt>\n<dt>Server MPM: WinNT</dt>\n<dt>Server Built: %s\n</dt></dl><hr "
                  "/><dl>\n",
                  NTMPM_HTTP_BUILT);
    http_buf_addf(b, "<dt>Current Time: %s</dt>\n<dt>Restart Time: %s</dt>\n", now, restart);
    http_buf_addf(b, "<dt>Parent Server Config. Generation: %u</dt>\n", s->generation);
    http_buf_addf(b, "<dt>Parent Server MPM Generation: %u</dt>\n",
                  s->generation ? s->generation - 1 : 0);
    http_buf_adds(b, "<dt>Server uptime: ");
    show_time(b, t->server_uptime);
    http_buf_adds(b, "</dt>\n");
    if (hc->extended_status) {
        http_buf_addf(
            b, "<dt>Total accesses: %llu - Total Traffic: ", (unsigned long long)t->accesses);
        human_bytes(b, (double)t->bytes);
        http_buf_addf(b, " - Total Duration: %llu</dt>\n<dt>", (unsigned long long)t->duration_ms);
        if (t->uptime > 0) {
            http_buf_addf(b, "%g requests/sec - ", (double)t->accesses / (double)t->uptime);
            human_bytes(b, (double)t->bytes / (double)t->uptime);
            http_buf_adds(b, "/second - ");
        }
        if (t->accesses > 0) {
            human_bytes(b, (double)t->bytes / (double)t->accesses);
            http_buf_adds(b, "/request");
        }
        http_buf_adds(b, "</dt>\n");
    }
    http_buf_addf(b, "<dt>%u requests currently being processed, %u idle workers</dt>\n</dl>",
                  t->busy, t->ready);
    http_buf_adds(b, "<pre>");
    for (size_t i = 0; i < s->n_workers; i++) {
        http_buf_add(b, &s->workers[i].state, 1);
        if (i % 64 == 63)
            http_buf_adds(b, "\n");
    }
    http_buf_adds(b, "</pre>\n");
    http_buf_adds(b, key);
    if (hc->extended_status) {
        http_buf_adds(b, "\n\n<table border=\"0\"><tr><th>Srv</th><th>PID</th><th>Acc</th>"
                         "<th>M</th><th>MB</th><th>Client</th><th>Request</th></tr>\n\n");
        unsigned per_row = s->thread_limit ? s->thread_limit : (unsigned)s->n_workers;
        for (size_t i = 0; i < s->n_workers; i++) {
            const struct http_status_worker *w = &s->workers[i];
            if (w->state == '.' || (w->accesses == 0 && w->state == '_'))
                continue;
            http_buf_addf(b,
                          "<tr><td><b>%lu-%u</b></td><td>%lu</td><td>%llu</td><td><b>%c</b>"
                          "</td><td>%.2f</td><td>",
                          (unsigned long)(per_row ? i / per_row : 0), w->generation,
                          (unsigned long)w->pid, (unsigned long long)w->accesses, w->state,
                          (double)w->bytes / (1024.0 * 1024.0));
            http_buf_add_html(b, w->client ? w->client : "");
            http_buf_adds(b, "</td><td nowrap>");
            http_buf_add_html(b, w->request ? w->request : "");
            http_buf_adds(b, "</td></tr>\n\n");
        }
        http_buf_adds(b, "</table>\n<hr /> <table>\n <tr><th>Srv</th><td>Child Server number - "
                         "generation</td></tr>\n <tr><th>PID</th><td>OS process ID</td></tr>\n "
                         "<tr><th>Acc</th><td>Number of accesses this slot</td></tr>\n "
                         "<tr><th>M</th><td>Mode of operation</td></tr>\n <tr><th>MB</th>"
                         "<td>Megabytes transferred this slot</td></tr>\n</table>\n");
    }
    http_buf_adds(b, "</body></html>\n");
}

void http_status_render(const struct http_config *hc, const struct http_status_snapshot *snap,
                        int autoformat, const struct server_config *conf, struct http_buf *b)
{
    struct totals t;
    count(snap, &t);
    if (autoformat)
        render_auto(hc, snap, &t, conf, b);
    else
        render_html(hc, snap, &t, conf, b);
}
