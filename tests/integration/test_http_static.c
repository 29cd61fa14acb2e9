/* Static files over the wire: DirectoryIndex, redirects, Content-Type, validators and conditional
 * requests, ranges, path safety, access control, ServerTokens. */
#include "twire.h"

#define CONF                                                                                       \
    "ServerTokens Prod\n"                                                                          \
    "DirectoryIndex start.html index.html\n"                                                       \
    "AddType application/x-test .tst\n"                                                            \
    "<Directory \"@DIR@/htdocs/private\">\n  Require all denied\n</Directory>\n"                   \
    "<Location \"/hidden\">\n  Require all denied\n</Location>\n"                                  \
    "<Directory \"@DIR@/htdocs/list\">\n  Options Indexes\n</Directory>\n"

/* 26 letters: easy to check any range of it. */
#define ALPHA "abcdefghijklmnopqrstuvwxyz"

static void docs(struct tmpm *t)
{
    th_doc(t, "alpha.txt", ALPHA);
    th_doc(t, "data.json", "{}");
    th_doc(t, "thing.tst", "t");
    th_doc(t, "noext", "n");
    th_doc_dir(t, "d1");
    th_doc(t, "d1/start.html", "START");
    th_doc(t, "d1/index.html", "INDEX");
    th_doc_dir(t, "d2");
    th_doc(t, "d2/index.html", "D2");
    th_doc_dir(t, "empty");
    th_doc_dir(t, "private");
    th_doc(t, "private/secret.txt", "SECRET");
    th_doc_dir(t, "hidden");
    th_doc(t, "hidden/x.txt", "X");
    th_doc_dir(t, "list");
    th_doc(t, "list/one.txt", "1");
    th_doc(t, "list/two.txt", "2");
}

static struct tmpm *srv(void)
{
    th_before_start = docs;
    return th_server("static", CONF);
}

static struct th_resp r;

START_TEST(server_tokens_prod)
{
    ck_assert_int_eq(th_get(srv()->port, "/alpha.txt", NULL, &r), 200);
    th_assert_header(&r, "Server", "ntmpm");
    ck_assert_str_eq(r.body, ALPHA);
    th_resp_free(&r);
}
END_TEST

START_TEST(directory_index_and_redirect)
{
    unsigned short port = srv()->port;
    /* The first DirectoryIndex name that exists. */
    ck_assert_int_eq(th_get(port, "/d1/", NULL, &r), 200);
    ck_assert_str_eq(r.body, "START");
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/d2/", NULL, &r), 200);
    ck_assert_str_eq(r.body, "D2");
    th_resp_free(&r);
    /* Without the slash: 301 to the URL with it (the query kept). */
    ck_assert_int_eq(th_get(port, "/d2?x=1", NULL, &r), 301);
    th_assert_header(&r, "Location", "http://test/d2/?x=1");
    th_resp_free(&r);
    /* No index and no Options Indexes: 403. */
    ck_assert_int_eq(th_get(port, "/empty/", NULL, &r), 403);
    th_resp_free(&r);
    /* With Options Indexes: a listing. */
    ck_assert_int_eq(th_get(port, "/list/", NULL, &r), 200);
    ck_assert_ptr_nonnull(strstr(r.body, "Index of /list"));
    ck_assert_ptr_nonnull(strstr(r.body, "one.txt"));
    ck_assert_ptr_nonnull(strstr(r.body, "two.txt"));
    th_resp_free(&r);
}
END_TEST

START_TEST(content_type)
{
    unsigned short port = srv()->port;
    ck_assert_int_eq(th_get(port, "/alpha.txt", NULL, &r), 200);
    th_assert_header(&r, "Content-Type", "text/plain");
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/data.json", NULL, &r), 200);
    th_assert_header(&r, "Content-Type", "application/json");
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/thing.tst", NULL, &r), 200);
    th_assert_header(&r, "Content-Type", "application/x-test");
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/d2/index.html", NULL, &r), 200);
    th_assert_header(&r, "Content-Type", "text/html");
    th_resp_free(&r);
    /* Unknown: no Content-Type (httpd 2.4's DefaultType none). */
    ck_assert_int_eq(th_get(port, "/noext", NULL, &r), 200);
    ck_assert_ptr_null(th_header(&r, "Content-Type"));
    th_resp_free(&r);
}
END_TEST

/* The validators of alpha.txt, once its ETag is strong (httpd makes it weak while the file is
 * younger than a second). */
static void validators(char *etag, size_t esize, char *lm, size_t lsize)
{
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(th_get(srv()->port, "/alpha.txt", NULL, &r), 200);
        const char *e = th_header(&r, "ETag"), *l = th_header(&r, "Last-Modified");
        ck_assert_ptr_nonnull(e);
        ck_assert_ptr_nonnull(l);
        snprintf(etag, esize, "%s", e);
        snprintf(lm, lsize, "%s", l);
        th_resp_free(&r);
        if (etag[0] == '"')
            return;
        Sleep(1100); /* the file ages: a strong ETag from then on */
    }
    ck_abort_msg("ETag stays weak: %s", etag);
}

START_TEST(conditionals_304_412)
{
    unsigned short port = srv()->port;
    char etag[128], lm[64], h[512];
    validators(etag, sizeof(etag), lm, sizeof(lm));
    snprintf(h, sizeof(h), "If-None-Match: %s\r\n", etag);
    ck_assert_int_eq(th_get(port, "/alpha.txt", h, &r), 304);
    ck_assert_uint_eq(r.body_len, 0);
    th_assert_header(&r, "ETag", etag);
    th_resp_free(&r);
    snprintf(h, sizeof(h), "If-Modified-Since: %s\r\n", lm);
    ck_assert_int_eq(th_get(port, "/alpha.txt", h, &r), 304);
    th_resp_free(&r);
    ck_assert_int_eq(
        th_get(port, "/alpha.txt", "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT\r\n", &r),
        200);
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/alpha.txt", "If-None-Match: \"other\"\r\n", &r), 200);
    th_resp_free(&r);
    /* If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2). */
    snprintf(h, sizeof(h), "If-None-Match: \"other\"\r\nIf-Modified-Since: %s\r\n", lm);
    ck_assert_int_eq(th_get(port, "/alpha.txt", h, &r), 200);
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/alpha.txt", "If-Match: \"other\"\r\n", &r), 412);
    th_resp_free(&r);
    snprintf(h, sizeof(h), "If-Match: %s\r\n", etag);
    ck_assert_int_eq(th_get(port, "/alpha.txt", h, &r), 200);
    th_resp_free(&r);
    ck_assert_int_eq(
        th_get(port, "/alpha.txt", "If-Unmodified-Since: Sat, 01 Jan 2000 00:00:00 GMT\r\n", &r),
        412);
    th_resp_free(&r);
}
END_TEST

START_TEST(ranges_206_416_if_range)
{
    unsigned short port = srv()->port;
    char etag[128], lm[64], h[512];
    validators(etag, sizeof(etag), lm, sizeof(lm));
    ck_assert_int_eq(th_get(port, "/alpha.txt", "Range: bytes=2-5\r\n", &r), 206);
    ck_assert_str_eq(r.body, "cdef");
    th_assert_header(&r, "Content-Range", "bytes 2-5/26");
    th_assert_header(&r, "Content-Length", "4");
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/alpha.txt", "Range: bytes=-3\r\n", &r), 206);
    ck_assert_str_eq(r.body, "xyz");
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/alpha.txt", "Range: bytes=20-\r\n", &r), 206);
    ck_assert_str_eq(r.body, "uvwxyz");
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/alpha.txt", "Range: bytes=100-200\r\n", &r), 416);
    th_assert_header(&r, "Content-Range", "bytes */26");
    th_resp_free(&r);
    /* If-Range: the range when the validator matches, the whole file when not. */
    snprintf(h, sizeof(h), "Range: bytes=0-1\r\nIf-Range: %s\r\n", etag);
    ck_assert_int_eq(th_get(port, "/alpha.txt", h, &r), 206);
    ck_assert_str_eq(r.body, "ab");
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/alpha.txt", "Range: bytes=0-1\r\nIf-Range: \"old\"\r\n", &r),
                     200);
    ck_assert_str_eq(r.body, ALPHA);
    th_resp_free(&r);
    /* Ranges on a kept-alive connection, one after the other. */
    struct th_conn c;
    th_open(&c, port);
    th_send(&c, "GET /alpha.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=25-\r\n\r\n"
                "GET /alpha.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-0\r\n\r\n");
    ck_assert(th_read(&c, 0, &r));
    ck_assert_str_eq(r.body, "z");
    th_resp_free(&r);
    ck_assert(th_read(&c, 0, &r));
    ck_assert_str_eq(r.body, "a");
    th_resp_free(&r);
    th_close(&c);
}
END_TEST

/* Nothing outside DocumentRoot, whatever the encoding. */
START_TEST(path_traversal_never_escapes)
{
    unsigned short port = srv()->port;
    static const char *paths[] = {
        "/../ntmpm.conf",
        "/%2e%2e/ntmpm.conf",
        "/%2E%2E/ntmpm.conf",
        "/d1/../../ntmpm.conf",
        "/d1/%2e%2e/%2e%2e/ntmpm.conf",
        "/..%2Fntmpm.conf",
        "/d1%2F..%2F..%2Fntmpm.conf",
        "/..%5Cntmpm.conf",
        "/..\\ntmpm.conf",
        "/alpha.txt%00.html",
        "/%00",
        "/./../ntmpm.conf",
        "/.%2e/ntmpm.conf",
    };
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        int st = th_get(port, paths[i], NULL, &r);
        ck_assert_msg(st == 400 || st == 403 || st == 404, "%s: %d", paths[i], st);
        ck_assert_msg(strstr(r.body, "ServerRoot") == NULL, "%s served the config", paths[i]);
        th_resp_free(&r);
    }
    /* Dot segments that stay inside are resolved. */
    ck_assert_int_eq(th_get(port, "/d1/../alpha.txt", NULL, &r), 200);
    ck_assert_str_eq(r.body, ALPHA);
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/d1/./start.html", NULL, &r), 200);
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/%61lpha.txt", NULL, &r), 200);
    th_resp_free(&r);
}
END_TEST

START_TEST(require_all_denied_403)
{
    unsigned short port = srv()->port;
    ck_assert_int_eq(th_get(port, "/private/secret.txt", NULL, &r), 403);
    ck_assert(strstr(r.body, "SECRET") == NULL);
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/private/", NULL, &r), 403);
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/hidden/x.txt", NULL, &r), 403);
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/d1/start.html", NULL, &r), 200);
    th_resp_free(&r);
}
END_TEST

START_TEST(head_and_options)
{
    struct th_conn c;
    th_open(&c, srv()->port);
    th_send(&c, "HEAD /alpha.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"
                "GET /alpha.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    ck_assert(th_read(&c, 1, &r));
    ck_assert_int_eq(r.status, 200);
    th_assert_header(&r, "Content-Length", "26");
    th_resp_free(&r);
    ck_assert(th_read(&c, 0, &r));
    ck_assert_int_eq(r.status, 200);
    th_assert_header(&r, "Allow", "GET,HEAD,OPTIONS");
    th_resp_free(&r);
    ck_assert(th_read(&c, 0, &r));
    ck_assert_str_eq(r.body, ALPHA);
    th_resp_free(&r);
    th_close(&c);
}
END_TEST

/* A file larger than any single send: every byte arrives, in order. */
START_TEST(large_file_whole)
{
    struct tmpm *t = srv();
    static char big[3 * 1024 * 1024 / 4 + 1];
    for (size_t i = 0; i + 1 < sizeof(big); i++)
        big[i] = (char)('A' + (i * 7 + i / 1000) % 26);
    big[sizeof(big) - 1] = '\0';
    th_doc(t, "big.bin", big);
    ck_assert_int_eq(th_get(t->port, "/big.bin", NULL, &r), 200);
    ck_assert_uint_eq(r.body_len, sizeof(big) - 1);
    ck_assert(memcmp(r.body, big, sizeof(big) - 1) == 0);
    th_resp_free(&r);
    ck_assert_int_eq(th_get(t->port, "/big.bin", "Range: bytes=500000-500009\r\n", &r), 206);
    ck_assert(memcmp(r.body, big + 500000, 10) == 0);
    th_resp_free(&r);
}
END_TEST

START_TEST(stop)
{
    th_server_stop();
}
END_TEST

NTT_MAIN(server_tokens_prod, directory_index_and_redirect, content_type, conditionals_304_412,
         ranges_206_416_if_range, path_traversal_never_escapes, require_all_denied_403,
         head_and_options, large_file_whole, stop)
