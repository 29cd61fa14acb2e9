/* Access log lines: common/combined shapes, escaping, directives, and the writer's append file. */
#include "thttp.h"

static struct http_env env = {NULL, "192.0.2.7", "127.0.0.1", 8080, 1, NULL, NULL};

static const char *line_for(const char *format, const char *request, int status, uint64_t sent)
{
    static char out[4096];
    struct http_log_format f;
    ck_assert_int_eq(http_log_compile(format, &f), 0);
    struct http_request r;
    tparse(request, &r);
    struct http_plan pl;
    memset(&pl, 0, sizeof(pl));
    pl.status = status;
    pl.head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n";
    pl.head_len = strlen(pl.head);
    struct http_timing t = {http_unix_to_ft(784111777), 1234567, sent};
    http_log_line(&f, &r, &pl, &env, &t, out, sizeof(out));
    http_log_format_free(&f);
    return out;
}

/* The time field in the local zone, as the line must carry it. */
static const char *clf(void)
{
    static char t[64];
    http_clf_time(784111777, t, sizeof(t));
    return t;
}

START_TEST(common_and_combined)
{
    char expect[512];
    snprintf(expect, sizeof(expect), "192.0.2.7 - - %s \"GET /a?b HTTP/1.1\" 200 5\n", clf());
    ck_assert_str_eq(
        line_for("%h %l %u %t \"%r\" %>s %b", "GET /a?b HTTP/1.1\r\nHost: h\r\n\r\n", 200, 5),
        expect);
    snprintf(expect, sizeof(expect),
             "192.0.2.7 - - %s \"GET / HTTP/1.1\" 304 - \"http://r/\" \"curl/8 \\\"x\\\"\"\n",
             clf());
    ck_assert_str_eq(
        line_for(
            "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"",
            "GET / HTTP/1.1\r\nHost: h\r\nReferer: http://r/\r\nUser-Agent: curl/8 \"x\"\r\n\r\n",
            304, 0),
        expect);
    /* Missing headers are "-". */
    snprintf(expect, sizeof(expect), "\"-\" \"-\"\n");
    ck_assert_str_eq(
        line_for("\"%{Referer}i\" \"%{User-Agent}i\"", "GET / HTTP/1.1\r\nHost: h\r\n\r\n", 200, 1),
        expect);
}
END_TEST

START_TEST(directives)
{
    ck_assert_str_eq(line_for("%D %T %{ms}T %p %v %V %m %U %q %H %B %X %s %% %a %A",
                              "HEAD /x%20y?q=1 HTTP/1.0\r\nHost: www.h:81\r\n\r\n", 404, 0),
                     "1234567 1 1234 8080 127.0.0.1 www.h HEAD /x%20y ?q=1 HTTP/1.0 0 - 404 % "
                     "192.0.2.7 127.0.0.1\n");
    ck_assert_str_eq(
        line_for("%{Content-Type}o|%{X-None}o", "GET / HTTP/1.1\r\nHost: h\r\n\r\n", 200, 1),
        "text/plain|-\n");
    /* Escaping of the request line (httpd's ap_escape_logitem). */
    ck_assert_str_eq(
        line_for("%r|%{X}i", "GET /\xff\" HTTP/1.1\r\nHost: h\r\nX: a\\b\t\r\n\r\n", 400, 0),
        "GET /\\xff\\\" HTTP/1.1|a\\\\b\n");
    ck_assert_str_eq(
        line_for("%{X}i", "GET / HTTP/1.1\r\nHost: h\r\nX: a\\b\"\xe9\r\n\r\n", 200, 0),
        "a\\\\b\\\"\\xe9\n");
    struct http_log_format f;
    ck_assert_int_eq(http_log_compile("%Z", &f), -1);
    ck_assert_int_eq(http_log_compile("%{oops", &f), -1);
    ck_assert_int_eq(http_log_compile("100%", &f), -1);
    ck_assert_int_eq(http_log_compile("%>s %<s %!200,304s tab\\there", &f), 0);
    http_log_format_free(&f);
}
END_TEST

/* goaccess's COMBINED is '%h %^[%d:%t %^] "%r" %s %b "%R" "%u"': check the pieces it splits on. */
START_TEST(goaccess_shape)
{
    const char *l =
        line_for("%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"",
                 "GET /index.html HTTP/1.1\r\nHost: h\r\nUser-Agent: t\r\n\r\n", 200, 12);
    const char *br = strchr(l, '[');
    ck_assert_ptr_nonnull(br);
    /* [dd/Mon/yyyy:HH:MM:SS +zzzz] */
    ck_assert(br[3] == '/' && br[7] == '/' && br[12] == ':' && br[21] == ' ' && br[27] == ']');
    ck_assert_int_eq(strncmp(br + 28, " \"GET /index.html HTTP/1.1\" 200 12 \"-\" \"t\"\n", 44), 0);
}
END_TEST

START_TEST(writer_appends_whole_lines)
{
    tregister();
    struct tdir d;
    tdir_make(&d);
    tmkdir(&d, "logs");
    struct server_config *c;
    struct config_error err;
    ck_assert_msg(tconfig(&d,
                          "Listen 80\nLogFormat \"%h %>s\" short\nCustomLog logs/a.log short\n"
                          "CustomLog logs/c.log combined\nTransferLog logs/t.log\n",
                          NULL, NULL, &c, &err) == 0,
                  "%s", err.message);
    char why[256];
    ck_assert_int_eq(http_child_init(c, why, sizeof(why)), 0);
    struct http_request r;
    tparse("GET /x HTTP/1.1\r\nHost: h\r\n\r\n", &r);
    struct http_plan pl;
    memset(&pl, 0, sizeof(pl));
    pl.status = 200;
    struct http_env e = env;
    e.conf = c;
    struct http_timing t = {http_now_ft(), 10, 3};
    for (int i = 0; i < 3; i++)
        http_log_access(&r, &pl, &e, &t);
    server_config_free(c); /* closes the handles */
    HANDLE h = CreateFileA(tpath(&d, "logs/a.log"), GENERIC_READ, FILE_SHARE_READ, NULL,
                           OPEN_EXISTING, 0, NULL);
    ck_assert(h != INVALID_HANDLE_VALUE);
    char buf[256];
    DWORD got = 0;
    ck_assert(ReadFile(h, buf, sizeof(buf) - 1, &got, NULL));
    buf[got] = '\0';
    CloseHandle(h);
    ck_assert_str_eq(buf, "192.0.2.7 200\n192.0.2.7 200\n192.0.2.7 200\n");
    h = CreateFileA(tpath(&d, "logs/t.log"), GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0,
                    NULL);
    ck_assert(h != INVALID_HANDLE_VALUE);
    ck_assert(ReadFile(h, buf, sizeof(buf) - 1, &got, NULL));
    buf[got] = '\0';
    CloseHandle(h);
    ck_assert_ptr_nonnull(strstr(buf, "\"GET /x HTTP/1.1\" 200 3\n"));
    /* A log directory that does not exist: the child cannot start. */
    ck_assert_int_eq(tconfig(&d, "Listen 80\nCustomLog nodir/a.log common\n", NULL, NULL, &c, &err),
                     0);
    ck_assert_int_eq(http_child_init(c, why, sizeof(why)), -1);
    ck_assert_ptr_nonnull(strstr(why, "nodir/a.log"));
    server_config_free(c);
    /* Piped logs are refused at config time. */
    ck_assert_int_eq(
        tconfig(&d, "Listen 80\nCustomLog \"|/bin/cat\" common\n", NULL, NULL, &c, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.message, "Piped logs are not supported"));
    tdir_remove(&d);
}
END_TEST

NTT_MAIN(common_and_combined, directives, goaccess_shape, writer_appends_whole_lines)
