/* Response plans end to end: a config, a DocumentRoot on disk, requests in, plans out. */
#include "thttp.h"

static struct tdir d;
static struct server_config *conf;

static void site(const char *extra)
{
    tregister();
    tdir_make(&d);
    tmkdir(&d, "conf");
    tmkdir(&d, "htdocs");
    tmkdir(&d, "htdocs/dir");
    tmkdir(&d, "htdocs/empty");
    tmkdir(&d, "htdocs/listed");
    tmkdir(&d, "htdocs/secret");
    twrite(&d, "conf/mime.types",
           "# test\ntext/plain txt text\ntext/html html htm\n"
           "application/x-tar tar\n");
    twrite(&d, "htdocs/hello.txt", "hello");
    twrite(&d, "htdocs/dir/index.html", "<p>index</p>");
    twrite(&d, "htdocs/listed/a file.txt", "a");
    twrite(&d, "htdocs/listed/b.html", "b");
    twrite(&d, "htdocs/secret/s.txt", "s");
    twrite(&d, "htdocs/page.html.bak", "old");
    twrite(&d, "htdocs/noext", "x");
    char text[4096];
    snprintf(text, sizeof(text),
             "Listen 80\nServerName www.example.com\nDocumentRoot htdocs\n"
             "<Directory \"%s/htdocs/listed\">\n  Options +Indexes\n</Directory>\n"
             "<Directory htdocs/secret>\n  Require all denied\n</Directory>\n"
             "<Location /private>\n  Require all denied\n</Location>\n"
             "<Location \"/server-status\">\n  SetHandler server-status\n</Location>\n%s",
             d.path, extra ? extra : "");
    struct config_error err;
    ck_assert_msg(tconfig(&d, text, NULL, NULL, &conf, &err) == 0, "%s", err.message);
}

static void site_done(void)
{
    server_config_free(conf);
    conf = NULL;
    tdir_remove(&d);
}

static void snapshot(void *ctx, struct http_status_snapshot *s)
{
    (void)ctx;
    s->now_ft = http_unix_to_ft(1000100);
    s->restart_ft = http_unix_to_ft(1000000);
    s->start_ft = http_unix_to_ft(999000);
    s->generation = 2;
    s->threads_per_child = 3;
    s->thread_limit = 3;
    s->n_workers = 3;
    s->workers = calloc(3, sizeof(*s->workers));
    s->workers[0] = (struct http_status_worker){'_', 42, 2, 10, 20480, "GET / HTTP/1.1", "::1", 0};
    s->workers[1] = (struct http_status_worker){'W', 42, 2, 5, 1024, "GET /x HTTP/1.1", "::1", 0};
    s->workers[2] = (struct http_status_worker){'K', 42, 2, 1, 0, "", "", 0};
}

static struct http_env env = {NULL, "127.0.0.1", "127.0.0.1", 8080, 1, snapshot, NULL};

/* Plan the answer to text on connection hc (fresh when NULL). */
static int plan(struct http_conn *hc, const char *text, struct http_plan *pl)
{
    static struct http_conn fresh;
    if (hc == NULL) {
        http_conn_init(&fresh);
        hc = &fresh;
    }
    struct http_request r;
    enum http_parse_result res = http_parse_request(hc, conf, text, strlen(text), 65536, &r);
    ck_assert_int_ne(res, HTTP_NEED_MORE);
    env.conf = conf;
    http_prepare_response(hc, &r, &env, pl);
    ck_assert_msg(strncmp(pl->head, "HTTP/1.1 ", 9) == 0, "%s", pl->head);
    ck_assert_int_eq(atoi(pl->head + 9), pl->status);
    ck_assert_uint_eq(strlen(pl->head), pl->head_len);
    ck_assert(pl->head_len >= 4 && memcmp(pl->head + pl->head_len - 4, "\r\n\r\n", 4) == 0);
    return pl->status;
}

static const char *file_text(const struct http_plan *pl)
{
    static char buf[256];
    ck_assert(pl->file != INVALID_HANDLE_VALUE);
    LARGE_INTEGER off;
    off.QuadPart = (LONGLONG)pl->file_offset;
    ck_assert(SetFilePointerEx(pl->file, off, NULL, FILE_BEGIN));
    DWORD got = 0;
    ck_assert(ReadFile(pl->file, buf, (DWORD)pl->file_length, &got, NULL));
    buf[got] = '\0';
    return buf;
}

#define GET(path) "GET " path " HTTP/1.1\r\nHost: a\r\n\r\n"

START_TEST(static_file)
{
    site(NULL);
    struct http_plan pl;
    ck_assert_int_eq(plan(NULL, GET("/hello.txt"), &pl), 200);
    ck_assert_str_eq(thead(&pl, "Content-Length"), "5");
    ck_assert_str_eq(thead(&pl, "Content-Type"), "text/plain");
    ck_assert_str_eq(thead(&pl, "Accept-Ranges"), "bytes");
    ck_assert_str_eq(thead(&pl, "Server"), "ntmpm/0.1.0 (" NTMPM_TEST_OS ")");
    ck_assert_uint_eq(strlen(thead(&pl, "Date")), 29);
    ck_assert_uint_eq(strlen(thead(&pl, "Last-Modified")), 29);
    ck_assert_ptr_nonnull(strstr(thead(&pl, "ETag"), "\"5-"));
    ck_assert_str_eq(thead(&pl, "Connection"), "Keep-Alive");
    ck_assert_str_eq(thead(&pl, "Keep-Alive"), "timeout=5, max=100");
    ck_assert(pl.keep_alive);
    ck_assert_ptr_null(pl.body);
    ck_assert_uint_eq(pl.file_offset, 0);
    ck_assert_uint_eq(pl.file_length, 5);
    ck_assert_uint_eq(pl.body_bytes, 5);
    ck_assert_str_eq(file_text(&pl), "hello");
    http_plan_release(&pl);
    ck_assert(pl.file == INVALID_HANDLE_VALUE);
    /* HEAD: the same head, no body. */
    ck_assert_int_eq(plan(NULL, "HEAD /hello.txt HTTP/1.1\r\nHost: a\r\n\r\n", &pl), 200);
    ck_assert_str_eq(thead(&pl, "Content-Length"), "5");
    ck_assert(pl.file == INVALID_HANDLE_VALUE && pl.body == NULL && pl.body_bytes == 0);
    http_plan_release(&pl);
    /* mod_mime: every extension counts; unknown ones get no Content-Type (httpd 2.4). */
    ck_assert_int_eq(plan(NULL, GET("/page.html.bak"), &pl), 200);
    ck_assert_str_eq(thead(&pl, "Content-Type"), "text/html");
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL, GET("/noext"), &pl), 200);
    ck_assert_ptr_null(strstr(pl.head, "Content-Type"));
    http_plan_release(&pl);
    site_done();
}
END_TEST

START_TEST(directories)
{
    site(NULL);
    struct http_plan pl;
    ck_assert_int_eq(plan(NULL, GET("/dir?x=1"), &pl), 301);
    ck_assert_str_eq(thead(&pl, "Location"), "http://a/dir/?x=1");
    ck_assert_ptr_nonnull(strstr(pl.body, "<a href=\"http://a/dir/?x=1\">here</a>"));
    ck_assert_str_eq(thead(&pl, "Content-Type"), "text/html; charset=iso-8859-1");
    http_plan_release(&pl);
    /* HTTP/1.0 without Host: ServerName. */
    ck_assert_int_eq(plan(NULL, "GET /dir HTTP/1.0\r\n\r\n", &pl), 301);
    ck_assert_str_eq(thead(&pl, "Location"), "http://www.example.com/dir/");
    ck_assert_str_eq(thead(&pl, "Connection"), "close");
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL, GET("/dir/"), &pl), 200);
    ck_assert_str_eq(thead(&pl, "Content-Type"), "text/html");
    ck_assert_str_eq(file_text(&pl), "<p>index</p>");
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL, GET("/empty/"), &pl), 403);
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL, GET("/listed/"), &pl), 200);
    ck_assert_ptr_nonnull(strstr(pl.body, "<title>Index of /listed/</title>"));
    ck_assert_ptr_nonnull(strstr(pl.body, "<a href=\"a%20file.txt\"> a file.txt</a>"));
    ck_assert_ptr_nonnull(strstr(pl.body, "<a href=\"b.html\"> b.html</a>"));
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL, GET("/hello.txt/"), &pl), 404);
    http_plan_release(&pl);
    site_done();
}
END_TEST

START_TEST(errors_and_access)
{
    site(NULL);
    struct http_plan pl;
    ck_assert_int_eq(plan(NULL, GET("/nope"), &pl), 404);
    ck_assert_ptr_nonnull(strstr(pl.body, "<title>404 Not Found</title>"));
    ck_assert_str_eq(thead(&pl, "Content-Length"), "196");
    ck_assert_uint_eq(pl.body_len, 196);
    ck_assert(pl.keep_alive); /* a 404 keeps the connection */
    http_plan_release(&pl);
    ck_assert_int_eq(
        plan(NULL, "POST /hello.txt HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", &pl), 405);
    ck_assert_str_eq(thead(&pl, "Allow"), "GET,HEAD,OPTIONS");
    ck_assert_ptr_nonnull(strstr(pl.body, "The requested method POST is not allowed"));
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL, "DELETE /nope HTTP/1.1\r\nHost: a\r\n\r\n", &pl), 404);
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL, "FOO /hello.txt HTTP/1.1\r\nHost: a\r\n\r\n", &pl), 501);
    ck_assert(!pl.keep_alive);
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL, "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", &pl), 200);
    ck_assert_str_eq(thead(&pl, "Allow"), "GET,HEAD,OPTIONS");
    ck_assert_str_eq(thead(&pl, "Content-Length"), "0");
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL, GET("/private/x"), &pl), 403);
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL, GET("/privately"), &pl), 404);
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL, GET("/secret/s.txt"), &pl), 403);
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL, GET("/../conf/mime.types"), &pl), 400);
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL, GET("/dir%2F..%2F..%2Fconf/mime.types"), &pl), 404);
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL, GET("/hello.txt%00.html"), &pl), 404);
    http_plan_release(&pl);
    /* Parse errors become error pages and close. */
    ck_assert_int_eq(plan(NULL, "GET / HTTP/1.1\r\n\r\n", &pl), 400);
    ck_assert_str_eq(thead(&pl, "Connection"), "close");
    ck_assert(!pl.keep_alive);
    ck_assert_ptr_nonnull(strstr(pl.body, "<h1>Bad Request</h1>"));
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL, "GET / HTTP/2.0\r\n\r\n", &pl), 505);
    http_plan_release(&pl);
    /* HEAD of an error: its length, no body. */
    ck_assert_int_eq(plan(NULL, "HEAD /nope HTTP/1.1\r\nHost: a\r\n\r\n", &pl), 404);
    ck_assert_str_eq(thead(&pl, "Content-Length"), "196");
    ck_assert_ptr_null(pl.body);
    http_plan_release(&pl);
    /* A timeout answer without a request. */
    env.conf = conf;
    http_prepare_error(408, &env, &pl);
    ck_assert_int_eq(pl.status, 408);
    ck_assert(!pl.keep_alive);
    http_plan_release(&pl);
    site_done();
}
END_TEST

START_TEST(conditionals_and_ranges)
{
    site(NULL);
    struct http_plan pl;
    char etag[128], req[512];
    ck_assert_int_eq(plan(NULL, GET("/hello.txt"), &pl), 200);
    snprintf(etag, sizeof(etag), "%s", thead(&pl, "ETag"));
    char lm[64];
    snprintf(lm, sizeof(lm), "%s", thead(&pl, "Last-Modified"));
    http_plan_release(&pl);
    snprintf(req, sizeof(req), "GET /hello.txt HTTP/1.1\r\nHost: a\r\nIf-None-Match: %s\r\n\r\n",
             etag);
    ck_assert_int_eq(plan(NULL, req, &pl), 304);
    ck_assert_str_eq(thead(&pl, "ETag"), etag);
    ck_assert_ptr_null(strstr(pl.head, "Content-Length"));
    ck_assert(pl.file == INVALID_HANDLE_VALUE && pl.body == NULL);
    http_plan_release(&pl);
    snprintf(req, sizeof(req),
             "GET /hello.txt HTTP/1.1\r\nHost: a\r\nIf-Modified-Since: %s\r\n\r\n", lm);
    ck_assert_int_eq(plan(NULL, req, &pl), 304);
    http_plan_release(&pl);
    ck_assert_int_eq(
        plan(NULL, "GET /hello.txt HTTP/1.1\r\nHost: a\r\nIf-Match: \"x\"\r\n\r\n", &pl), 412);
    http_plan_release(&pl);
    ck_assert_int_eq(
        plan(NULL, "GET /hello.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=1-2\r\n\r\n", &pl), 206);
    ck_assert_str_eq(thead(&pl, "Content-Range"), "bytes 1-2/5");
    ck_assert_str_eq(thead(&pl, "Content-Length"), "2");
    ck_assert_str_eq(file_text(&pl), "el");
    http_plan_release(&pl);
    ck_assert_int_eq(
        plan(NULL, "GET /hello.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=-2\r\n\r\n", &pl), 206);
    ck_assert_str_eq(file_text(&pl), "lo");
    http_plan_release(&pl);
    ck_assert_int_eq(
        plan(NULL, "GET /hello.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=9-\r\n\r\n", &pl), 416);
    ck_assert_str_eq(thead(&pl, "Content-Range"), "bytes */5");
    http_plan_release(&pl);
    /* Several ranges: multipart/byteranges, parts from the file, an exact Content-Length. */
    ck_assert_int_eq(
        plan(NULL, "GET /hello.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=0-0,2-3\r\n\r\n", &pl), 206);
    const char *ct = thead(&pl, "Content-Type");
    ck_assert_msg(strncmp(ct, "multipart/byteranges; boundary=", 31) == 0, "%s", ct);
    char boundary[64];
    snprintf(boundary, sizeof(boundary), "%s", ct + 31);
    ck_assert_str_eq(thead(&pl, "Content-Range"), "");
    ck_assert(pl.file != INVALID_HANDLE_VALUE && pl.n_parts == 2);
    ck_assert(pl.parts[0].offset == 0 && pl.parts[0].length == 1);
    ck_assert(pl.parts[1].offset == 2 && pl.parts[1].length == 2);
    ck_assert_ptr_nonnull(strstr(pl.parts[1].head, "Content-Type: text/plain\r\n"));
    ck_assert_ptr_nonnull(strstr(pl.parts[1].head, "Content-Range: bytes 2-3/5\r\n\r\n"));
    uint64_t body = pl.tail_len + pl.parts[0].head_len - pl.head_len + 1 + pl.parts[1].head_len + 2;
    char cl[32];
    snprintf(cl, sizeof(cl), "%llu", (unsigned long long)body);
    ck_assert_str_eq(thead(&pl, "Content-Length"), cl);
    ck_assert_uint_eq(pl.body_bytes, body);
    http_plan_release(&pl);
    ck_assert(pl.n_parts == 0 && pl.parts == NULL);
    /* HEAD: the same status and headers, no body (httpd's byterange filter runs for HEAD). */
    ck_assert_int_eq(
        plan(NULL, "HEAD /hello.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=0-0,2-3\r\n\r\n", &pl),
        206);
    ck_assert_str_eq(thead(&pl, "Content-Length"), cl);
    ck_assert_uint_eq(strlen(thead(&pl, "Content-Type")), strlen(ct));
    ck_assert(pl.file == INVALID_HANDLE_VALUE && pl.n_parts == 0 && pl.body_bytes == 0);
    http_plan_release(&pl);
    /* Merged into one: a plain single-range 206. */
    ck_assert_int_eq(
        plan(NULL, "GET /hello.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=0-1,2-3\r\n\r\n", &pl), 206);
    ck_assert_str_eq(thead(&pl, "Content-Range"), "bytes 0-3/5");
    ck_assert_str_eq(file_text(&pl), "hell");
    ck_assert_uint_eq(pl.n_parts, 0);
    http_plan_release(&pl);
    ck_assert_int_eq(
        plan(NULL, "GET /hello.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=7-8,9-\r\n\r\n", &pl), 416);
    ck_assert_str_eq(thead(&pl, "Content-Range"), "bytes */5");
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL,
                          "GET /hello.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=0-0,2-3\r\n"
                          "If-Range: \"old\"\r\n\r\n",
                          &pl),
                     200);
    ck_assert_uint_eq(pl.n_parts, 0);
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL,
                          "GET /hello.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=1-2\r\n"
                          "If-Range: \"old\"\r\n\r\n",
                          &pl),
                     200);
    http_plan_release(&pl);
    ck_assert_int_eq(
        plan(NULL, "HEAD /hello.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=1-2\r\n\r\n", &pl),
        206); /* HEAD as GET, as httpd */
    ck_assert_str_eq(thead(&pl, "Content-Range"), "bytes 1-2/5");
    ck_assert_str_eq(thead(&pl, "Content-Length"), "2");
    ck_assert(pl.file == INVALID_HANDLE_VALUE && pl.body_bytes == 0);
    http_plan_release(&pl);
    site_done();
}
END_TEST

START_TEST(keep_alive_rules)
{
    site(NULL);
    struct http_plan pl;
    ck_assert_int_eq(
        plan(NULL, "GET /hello.txt HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", &pl), 200);
    ck_assert(!pl.keep_alive);
    ck_assert_str_eq(thead(&pl, "Connection"), "close");
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL, "GET /hello.txt HTTP/1.0\r\n\r\n", &pl), 200);
    ck_assert(!pl.keep_alive);
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL, "GET /hello.txt HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &pl),
                     200);
    ck_assert(pl.keep_alive);
    ck_assert_str_eq(thead(&pl, "Connection"), "Keep-Alive");
    http_plan_release(&pl);
    env.may_keep_alive = 0; /* a stopping server */
    ck_assert_int_eq(plan(NULL, GET("/hello.txt"), &pl), 200);
    ck_assert(!pl.keep_alive);
    http_plan_release(&pl);
    env.may_keep_alive = 1;
    site_done();

    site("MaxKeepAliveRequests 2\nKeepAliveTimeout 7\n");
    struct http_conn hc;
    http_conn_init(&hc);
    ck_assert_int_eq(plan(&hc, GET("/hello.txt"), &pl), 200);
    ck_assert_str_eq(thead(&pl, "Keep-Alive"), "timeout=7, max=2");
    http_plan_release(&pl);
    ck_assert_int_eq(plan(&hc, GET("/hello.txt"), &pl), 200);
    ck_assert_str_eq(thead(&pl, "Keep-Alive"), "timeout=7, max=1");
    http_plan_release(&pl);
    ck_assert_int_eq(plan(&hc, GET("/hello.txt"), &pl), 200);
    ck_assert(!pl.keep_alive); /* httpd's count: max 2 keeps alive twice, the third closes */
    http_plan_release(&pl);
    site_done();

    site("KeepAlive Off\nServerTokens Prod\n");
    ck_assert_int_eq(plan(NULL, GET("/hello.txt"), &pl), 200);
    ck_assert(!pl.keep_alive);
    ck_assert_str_eq(thead(&pl, "Server"), "ntmpm");
    http_plan_release(&pl);
    site_done();
}
END_TEST

START_TEST(server_tokens)
{
    static const char *const cases[][2] = {
        {"Prod", "ntmpm"},
        {"ProductOnly", "ntmpm"},
        {"Major", "ntmpm/0"},
        {"Minor", "ntmpm/0.1"},
        {"Min", "ntmpm/0.1.0"},
        {"Minimal", "ntmpm/0.1.0"},
        {"OS", "ntmpm/0.1.0 (" NTMPM_TEST_OS ")"},
        {"Full", "ntmpm/0.1.0 (" NTMPM_TEST_OS ")"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char extra[64];
        snprintf(extra, sizeof(extra), "ServerTokens %s\n", cases[i][0]);
        site(extra);
        struct http_plan pl;
        plan(NULL, GET("/nope"), &pl);
        ck_assert_str_eq(thead(&pl, "Server"), cases[i][1]);
        http_plan_release(&pl);
        site_done();
    }
}
END_TEST

START_TEST(server_status)
{
    site(NULL);
    struct http_plan pl;
    ck_assert_int_eq(plan(NULL, GET("/server-status?auto"), &pl), 200);
    ck_assert_str_eq(thead(&pl, "Content-Type"), "text/plain; charset=ISO-8859-1");
    ck_assert_ptr_nonnull(strstr(pl.body, "\nTotal Accesses: 16\n"));
    ck_assert_ptr_nonnull(
        strstr(pl.body, "\nBusyWorkers: 2\nGracefulWorkers: 0\nIdleWorkers: 1\n"));
    ck_assert_ptr_nonnull(strstr(pl.body, "\nScoreboard: _WK\n"));
    char len[32];
    snprintf(len, sizeof(len), "%zu", pl.body_len);
    ck_assert_str_eq(thead(&pl, "Content-Length"), len);
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL, GET("/server-status"), &pl), 200);
    ck_assert_ptr_nonnull(strstr(pl.body, "<pre>_WK</pre>"));
    http_plan_release(&pl);
    ck_assert_int_eq(plan(NULL, "POST /server-status HTTP/1.1\r\nHost: a\r\n\r\n", &pl), 405);
    http_plan_release(&pl);
    site_done();
}
END_TEST

/* Plan the answer to a request with Expect: 100-continue ("Expect: " value, then more header
 * lines). Returns the final status; *cont: whether the head starts with the interim 100. */
static int plan_expect(const char *line, const char *fields, struct http_plan *pl, int *cont)
{
    char text[1024];
    snprintf(text, sizeof(text), "%s\r\nHost: a\r\n%s\r\n", line, fields);
    struct http_conn hc;
    http_conn_init(&hc);
    struct http_request r;
    ck_assert_int_ne(http_parse_request(&hc, conf, text, strlen(text), 65536, &r), HTTP_NEED_MORE);
    env.conf = conf;
    http_prepare_response(&hc, &r, &env, pl);
    static const char interim[] = "HTTP/1.1 100 Continue\r\n\r\n";
    *cont = strncmp(pl->head, interim, sizeof(interim) - 1) == 0;
    ck_assert_int_eq(*cont, pl->continue_100);
    const char *final = pl->head + (*cont ? sizeof(interim) - 1 : 0);
    ck_assert_msg(strncmp(final, "HTTP/1.1 ", 9) == 0, "%s", pl->head);
    ck_assert_int_eq(atoi(final + 9), pl->status);
    ck_assert_ptr_null(strstr(final, " 100 Continue"));
    return pl->status;
}

#define EXP "Expect: 100-continue\r\n"
#define BODY "Content-Length: 3\r\n"

/* httpd's rules: the interim 100 when the handler reads the body (the default handler, whatever it
 * answers then), else no 100 and the connection closes after the answer. */
START_TEST(expect_continue)
{
    site(NULL);
    struct http_plan pl;
    int cont;
    static const struct {
        const char *line, *fields;
        int status, cont, keep_alive;
    } cases[] = {
        /* The default handler reads the body: 100 first, then the answer; kept alive. */
        {"GET /hello.txt HTTP/1.1", EXP BODY, 200, 1, 1},
        {"HEAD /hello.txt HTTP/1.1", EXP BODY, 200, 1, 1},
        {"POST /hello.txt HTTP/1.1", EXP BODY, 405, 1, 1},
        {"GET /nope.txt HTTP/1.1", EXP BODY, 404, 1, 1},
        {"GET /dir/ HTTP/1.1", EXP BODY, 200, 1, 1},
        {"OPTIONS * HTTP/1.1", EXP BODY, 200, 1, 1},
        {"GET /hello.txt HTTP/1.1", "Expect: 100-Continue\r\nTransfer-Encoding: chunked\r\n", 200,
         1, 1},
        /* Answered before any handler reads: no 100, and close. */
        {"GET /private/x HTTP/1.1", EXP BODY, 403, 0, 0},
        {"GET /dir HTTP/1.1", EXP BODY, 301, 0, 0},
        {"GET /listed/ HTTP/1.1", EXP BODY, 200, 0, 0},
        {"GET /empty/ HTTP/1.1", EXP BODY, 403, 0, 0},
        {"GET /server-status HTTP/1.1", EXP BODY, 200, 0, 0},
        {"GET /a%00b HTTP/1.1", EXP BODY, 404, 0, 0},
        /* No body to read: the expectation stays unmet (httpd closes too). */
        {"GET /hello.txt HTTP/1.1", EXP, 200, 0, 0},
        {"GET /hello.txt HTTP/1.1", EXP "Content-Length: 0\r\n", 200, 0, 0},
        /* HTTP/1.0 never gets a 100; httpd still closes. */
        {"POST /hello.txt HTTP/1.0", EXP BODY "Connection: keep-alive\r\n", 405, 0, 0},
        /* Other expectations fail, in every version; an empty one is ignored. */
        {"GET /hello.txt HTTP/1.1", "Expect: 200-ok\r\n" BODY, 417, 0, 0},
        {"GET /hello.txt HTTP/1.0", "Expect: 100-continue, x\r\n", 417, 0, 0},
        {"GET /hello.txt HTTP/1.1", "Expect:\r\n" BODY, 200, 0, 1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int st = plan_expect(cases[i].line, cases[i].fields, &pl, &cont);
        ck_assert_msg(st == cases[i].status && cont == cases[i].cont &&
                          pl.keep_alive == cases[i].keep_alive,
                      "%s + %s: %d, 100 %d, keep-alive %d:\n%s", cases[i].line, cases[i].fields, st,
                      cont, pl.keep_alive, pl.head);
        http_plan_release(&pl);
    }
    site_done();
}
END_TEST

NTT_MAIN(static_file, directories, errors_and_access, conditionals_and_ranges, keep_alive_rules,
         server_tokens, server_status, expect_continue)
