/* The ErrorLog of the real binary: a server that cannot bind its Listen address logs why in
 * httpd's line shape ("[date] [mpm_winnt:crit] [pid N:tid N] ..."), exits non-zero and says on
 * stderr where the reason is. */
#include <winsock2.h>

#include "tint.h"

#include <ctype.h>

static struct tint_result r;
static struct tdir d;

/* A listening socket on a free loopback port, which ntmpm then cannot bind. */
static SOCKET hold_port(unsigned short *port)
{
    WSADATA wsa;
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert(s != INVALID_SOCKET);
    /* Windows lets another socket take a bound port unless this one forbids it
     * [SO_EXCLUSIVEADDRUSE]; POSIX refuses anyway. */
    BOOL on = TRUE;
    setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&on, sizeof(on));
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
    ck_assert_int_eq(listen(s, 5), 0);
    int len = sizeof(a);
    ck_assert_int_eq(getsockname(s, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return s;
}

/* Does line start with "[Www Mmm dd hh:mm:ss.uuuuuu yyyy] [module:level] [pid N:tid N] "? */
static int httpd_shape(const char *line, const char *module_level)
{
    const char *p = line;
    if (*p++ != '[' || !isupper((unsigned char)p[0]) || p[3] != ' ' || p[7] != ' ')
        return 0;
    p += 8;
    const char *shape = "dd dd:dd:dd.dddddd dddd] [";
    for (; *shape; shape++, p++)
        if (*shape == 'd' ? !isdigit((unsigned char)*p) : *p != *shape)
            return 0;
    size_t n = strlen(module_level);
    if (strncmp(p, module_level, n) != 0 || strncmp(p + n, "] [pid ", 7) != 0)
        return 0;
    p += n + 7;
    while (isdigit((unsigned char)*p))
        p++;
    if (strncmp(p, ":tid ", 5) != 0)
        return 0;
    p += 5;
    while (isdigit((unsigned char)*p))
        p++;
    return strncmp(p, "] ", 2) == 0;
}

START_TEST(bind_failure_logged)
{
    unsigned short port;
    SOCKET held = hold_port(&port);
    tdir_make(&d);
    tmkdir(&d, "htdocs");
    tmkdir(&d, "logs");
    char conf[256];
    snprintf(conf, sizeof(conf), "Listen 127.0.0.1:%u\nErrorLog logs/error.log\nLogLevel warn\n",
             port);
    twrite(&d, "t.conf", tint_conf(conf));
    tint_run_in(&r, &d, "-f t.conf");
    closesocket(held);
    WSACleanup();
    ck_assert_uint_ne(r.exit_code, 0);
    tint_assert_has(r.err, "see the error log ");
    tint_assert_has(r.err, "error.log");

    static char log[65536];
    tint_read(&d, "logs/error.log", log, sizeof(log));
    const char *line = strstr(log, "could not bind");
    ck_assert_msg(line != NULL, "error.log:\n%s", log);
    while (line > log && line[-1] != '\n')
        line--;
    ck_assert_msg(httpd_shape(line, "mpm_winnt:crit") || httpd_shape(line, "mpm_winnt:emerg") ||
                      httpd_shape(line, "mpm_winnt:alert"),
                  "not httpd's line shape:\n%s", line);
    char want[32];
    snprintf(want, sizeof(want), ":%u", port);
    tint_assert_has(line, want);
    /* Every line of the file has the shape. */
    for (const char *l = log; *l; l = strchr(l, '\n') + 1) {
        ck_assert_msg(strchr(l, '\n') != NULL, "unterminated line: %s", l);
        ck_assert_msg(l[0] == '[' && strstr(l, "] [mpm_winnt:") != NULL, "line: %s", l);
    }
    char pid[64];
    ck_assert_str_eq(tint_read(&d, "logs/ntmpm.pid", pid, sizeof(pid)), "");
    tint_dir_remove(d.path);
}
END_TEST

NTT_MAIN(bind_failure_logged)
