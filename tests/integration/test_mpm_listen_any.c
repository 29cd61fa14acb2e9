/* "Listen <port>" with no address: one listener that serves IPv4 and IPv6 clients, logged as such.
 */
#include "tmpm.h"

#include <stdlib.h>

static struct tmpm t;

static void kill_server(void)
{
    tmpm_kill(&t);
}

/* A GET / over IPv6 loopback: the status, or -1. */
static int get6(unsigned short port)
{
    SOCKET s = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    ck_assert(s != INVALID_SOCKET);
    SOCKADDR_IN6 sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin6_family = AF_INET6;
    sa.sin6_addr = in6addr_loopback;
    sa.sin6_port = htons(port);
    DWORD tmo = NTT_WAIT_MS;
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&tmo, sizeof(tmo));
    int status = -1;
    if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
        const char req[] = "GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";
        if (send(s, req, (int)sizeof(req) - 1, 0) == (int)sizeof(req) - 1)
            status = tmpm_read_response(s, 0, NULL, 0);
    }
    closesocket(s);
    return status;
}

/* The access log once it has both lines (bounded); malloc'd. */
static char *log_with(const char *path, const char *a, const char *b)
{
    ULONGLONG until = GetTickCount64() + NTT_WAIT_MS;
    for (;;) {
        char *text = tmpm_read_file(path);
        if ((strstr(text, a) && strstr(text, b)) || GetTickCount64() >= until)
            return text;
        free(text);
        Sleep(20); /* a line is written after the answer went out; a file has no change event */
    }
}

START_TEST(one_listener_serves_both_families)
{
    atexit(kill_server);
    tmpm_init(&t, "listen-any", "CustomLog logs/access.log \"%h %A %p\"\n");
    /* The generated config listens on 127.0.0.1:port: make it "Listen port". */
    char *conf = tmpm_read_file(t.conf);
    char *at = strstr(conf, "Listen 127.0.0.1:");
    ck_assert_ptr_nonnull(at);
    memmove(at + 7, at + 17, strlen(at + 17) + 1);
    tmpm_write_file(t.conf, conf);
    free(conf);
    tmpm_start(&t);

    ck_assert_int_eq(tmpm_get(t.port, "/", NULL, 0), 200);
    ck_assert_int_eq(get6(t.port), 200);

    char path[1200], v4[64], v6[64];
    snprintf(path, sizeof(path), "%.600s/logs/access.log", t.dir);
    /* IPv4 clients are logged as IPv4, not as ::ffff:127.0.0.1 (httpd's way). */
    snprintf(v4, sizeof(v4), "127.0.0.1 127.0.0.1 %u\n", t.port);
    snprintf(v6, sizeof(v6), "::1 ::1 %u\n", t.port);
    char *log = log_with(path, v4, v6);
    ck_assert_msg(strstr(log, v4) != NULL, "no line \"%s\" in:\n%s", v4, log);
    ck_assert_msg(strstr(log, v6) != NULL, "no line \"%s\" in:\n%s", v6, log);
    ck_assert_ptr_null(strstr(log, "::ffff:"));
    free(log);
    tmpm_stop(&t);
}
END_TEST

NTT_MAIN(one_listener_serves_both_families)
