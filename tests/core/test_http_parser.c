/* The request parser: complete heads, incremental input, pipelining, every error class, bodies. */
#include "thttp.h"

#define H11 " HTTP/1.1\r\nHost: a\r\n"

START_TEST(simple_get)
{
    struct http_request r;
    const char *t = "GET /a/b?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\n\r\n";
    ck_assert_int_eq(tparse(t, &r), HTTP_COMPLETE);
    ck_assert_int_eq(r.status, 0);
    ck_assert_int_eq(r.m, HTTP_M_GET);
    ck_assert_int_eq(r.version, 11);
    ck_assert_str_eq(tstr(r.method), "GET");
    ck_assert_str_eq(tstr(r.target), "/a/b?x=1");
    ck_assert_str_eq(tstr(r.path), "/a/b");
    ck_assert_str_eq(tstr(r.query), "x=1");
    ck_assert_str_eq(tstr(r.host), "example.com");
    ck_assert_str_eq(tstr(r.line), "GET /a/b?x=1 HTTP/1.1");
    ck_assert_uint_eq(r.consumed, strlen(t));
    struct http_str v;
    ck_assert(http_request_header(&r, "user-agent", &v));
    ck_assert_str_eq(tstr(v), "t");
    ck_assert(!http_request_header(&r, "Referer", &v));
}
END_TEST

START_TEST(incremental_and_bare_lf)
{
    const char *t = "\r\n\r\nHEAD /x HTTP/1.0\nConnection: keep-alive\n\n";
    struct http_conn hc;
    http_conn_init(&hc);
    struct http_request r;
    char buf[256];
    size_t len = 0;
    enum http_parse_result res = HTTP_NEED_MORE;
    /* Byte by byte, dropping what the parser says was consumed (the blank lines). */
    for (size_t i = 0; t[i]; i++) {
        buf[len++] = t[i];
        res = http_parse_request(&hc, NULL, buf, len, sizeof(buf), &r);
        if (res != HTTP_NEED_MORE)
            break;
        memmove(buf, buf + r.consumed, len - r.consumed);
        len -= r.consumed;
    }
    ck_assert_int_eq(res, HTTP_COMPLETE);
    ck_assert_int_eq(r.m, HTTP_M_HEAD);
    ck_assert_int_eq(r.version, 10);
    ck_assert(r.conn_keep_alive);
    ck_assert(!r.has_host); /* fine in HTTP/1.0 */
    ck_assert_uint_eq(r.consumed, len);
}
END_TEST

START_TEST(pipelined)
{
    const char *t = "GET /1" H11 "\r\nGET /2" H11 "Connection: close\r\n\r\nGET /3";
    struct http_conn hc;
    http_conn_init(&hc);
    struct http_request r;
    size_t off = 0, len = strlen(t);
    ck_assert_int_eq(http_parse_request(&hc, NULL, t, len, 4096, &r), HTTP_COMPLETE);
    ck_assert_str_eq(tstr(r.path), "/1");
    off += r.consumed;
    ck_assert_int_eq(http_parse_request(&hc, NULL, t + off, len - off, 4096, &r), HTTP_COMPLETE);
    ck_assert_str_eq(tstr(r.path), "/2");
    ck_assert(r.conn_close);
    off += r.consumed;
    ck_assert_int_eq(http_parse_request(&hc, NULL, t + off, len - off, 4096, &r), HTTP_NEED_MORE);
    ck_assert_uint_eq(r.consumed, 0);
}
END_TEST

/* Every error class: the status and whether the connection must close. */
static void expect_error(const char *text, int status, int must_close)
{
    struct http_request r;
    enum http_parse_result res = tparse(text, &r);
    ck_assert_msg(res == HTTP_ERROR, "no error for %s", text);
    ck_assert_msg(r.status == status, "status %d, expected %d for %s", r.status, status, text);
    ck_assert_msg(r.must_close == must_close, "must_close %d for %s", r.must_close, text);
}

START_TEST(request_line_errors)
{
    expect_error("GET / HTTP/1.1\r\n\r\n", 400, 1);              /* HTTP/1.1 without Host */
    expect_error("GET  /" H11 "\r\n", 400, 1);                   /* two spaces */
    expect_error(" GET /" H11 "\r\n", 400, 1);                   /* leading space */
    expect_error("G(T /" H11 "\r\n", 400, 1);                    /* not a token */
    expect_error("GET / http/1.1\r\nHost: a\r\n\r\n", 400, 1);   /* case of HTTP */
    expect_error("GET / HTTP/1\r\nHost: a\r\n\r\n", 400, 1);     /* no minor */
    expect_error("GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400, 1);  /* two digits */
    expect_error("GET / HTTP/1.1 x\r\nHost: a\r\n\r\n", 400, 1); /* trailing garbage */
    expect_error("GET\r\n\r\n", 400, 1);                         /* method only */
    expect_error("GET /\r\n\r\n", 505, 1);                       /* HTTP/0.9 */
    expect_error("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, 1);
    expect_error("GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505, 1);
    expect_error("GET a/b" H11 "\r\n", 400, 1);      /* not origin-form */
    expect_error("GET /a#frag" H11 "\r\n", 400, 1);  /* fragment */
    expect_error("GET /a\x01" H11 "\r\n", 400, 1);   /* control character */
    expect_error("GET *" H11 "\r\n", 400, 1);        /* asterisk only for OPTIONS */
    expect_error("GET ftp://x/" H11 "\r\n", 400, 1); /* scheme */
    expect_error("GET /a\rb" H11 "\r\n", 400, 1);    /* bare CR */
    /* HTTP/1.2: answered as 1.1 (RFC 9110 2.5). */
    struct http_request r;
    ck_assert_int_eq(tparse("GET / HTTP/1.2\r\nHost: a\r\n\r\n", &r), HTTP_COMPLETE);
    ck_assert_int_eq(r.version, 11);
}
END_TEST

START_TEST(methods)
{
    struct http_request r;
    ck_assert_int_eq(tparse("FOO /" H11 "\r\n", &r), HTTP_COMPLETE);
    ck_assert_int_eq(r.m, HTTP_M_OTHER); /* 501 when planned */
    ck_assert_int_eq(tparse("get /" H11 "\r\n", &r), HTTP_COMPLETE);
    ck_assert_int_eq(r.m, HTTP_M_OTHER); /* methods are case-sensitive */
    ck_assert_int_eq(tparse("POST /" H11 "\r\n", &r), HTTP_COMPLETE);
    ck_assert_int_eq(r.m, HTTP_M_POST);
    ck_assert_int_eq(tparse("PROPFIND /" H11 "\r\n", &r), HTTP_COMPLETE);
    ck_assert_int_eq(r.m, HTTP_M_POST); /* known to httpd: 405, not 501 */
    ck_assert_int_eq(tparse("OPTIONS *" H11 "\r\n", &r), HTTP_COMPLETE);
    ck_assert_int_eq(r.m, HTTP_M_OPTIONS);
    ck_assert_str_eq(tstr(r.path), "*");
}
END_TEST

START_TEST(absolute_form)
{
    struct http_request r;
    ck_assert_int_eq(tparse("GET http://Example.com:8080/a%20b?q HTTP/1.1\r\n\r\n", &r),
                     HTTP_COMPLETE);
    ck_assert_str_eq(tstr(r.host), "Example.com:8080");
    ck_assert_str_eq(tstr(r.path), "/a%20b");
    ck_assert_str_eq(tstr(r.query), "q");
    ck_assert_int_eq(tparse("GET http://h HTTP/1.1\r\nHost: other\r\n\r\n", &r), HTTP_COMPLETE);
    ck_assert_str_eq(tstr(r.host), "h"); /* the absolute-form's authority wins */
    ck_assert_str_eq(tstr(r.path), "/");
}
END_TEST

START_TEST(header_errors)
{
    expect_error("GET /" H11 "Bad Name: x\r\n\r\n", 400, 1);
    expect_error("GET /" H11 "Name : x\r\n\r\n", 400, 1); /* space before the colon */
    expect_error("GET /" H11 "NoColon\r\n\r\n", 400, 1);
    expect_error("GET /" H11 "X: a\r\n  folded\r\n\r\n", 400, 1); /* obs-fold */
    expect_error("GET /" H11 "X: a\x01b\r\n\r\n", 400, 1);
    expect_error("GET /" H11 "Host: b\r\n\r\n", 400, 1); /* two Hosts */
    expect_error("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400, 1);
    expect_error("GET /" H11 "Expect: something\r\n\r\n", 417, 1);
    struct http_request r;
    ck_assert_int_eq(tparse("GET /" H11 "Expect: 100-continue\r\n\r\n", &r), HTTP_COMPLETE);
    ck_assert_int_eq(tparse("GET /" H11 "Empty:\r\nX-T: \t v \t\r\n\r\n", &r), HTTP_COMPLETE);
    struct http_str v;
    ck_assert(http_request_header(&r, "x-t", &v));
    ck_assert_str_eq(tstr(v), "v");
}
END_TEST

START_TEST(framing_errors)
{
    /* No request smuggling: every doubtful framing is 400 (501 for an unknown coding) + close. */
    expect_error("POST /" H11 "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400, 1);
    expect_error("POST /" H11 "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 400, 1);
    expect_error("POST /" H11 "Content-Length: abc\r\n\r\n", 400, 1);
    expect_error("POST /" H11 "Content-Length: -1\r\n\r\n", 400, 1);
    expect_error("POST /" H11 "Content-Length: +5\r\n\r\n", 400, 1);
    expect_error("POST /" H11 "Content-Length: 1, 2\r\n\r\n", 400, 1);
    expect_error("POST /" H11 "Content-Length: 1\r\nContent-Length: 2\r\n\r\n", 400, 1);
    expect_error("POST /" H11 "Content-Length: 99999999999999999999\r\n\r\n", 400, 1);
    expect_error("POST /" H11 "Content-Length:\r\n\r\n", 400, 1);
    expect_error("POST /" H11 "Transfer-Encoding: gzip, chunked\r\n\r\n", 501, 1);
    expect_error("POST /" H11 "Transfer-Encoding: chunked, gzip\r\n\r\n", 400, 1);
    expect_error("POST /" H11 "Transfer-Encoding: gzip\r\n\r\n", 400, 1);
    expect_error("POST /" H11 "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
                 400, 1);
    expect_error("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400, 1);
    struct http_request r;
    ck_assert_int_eq(tparse("POST /" H11 "Content-Length: 3, 3\r\n\r\nabc", &r), HTTP_COMPLETE);
    ck_assert_uint_eq(r.content_length, 3);
}
END_TEST

START_TEST(limits)
{
    static char big[20000];
    /* URI longer than LimitRequestLine: 414, whether the line is complete or still coming. */
    memset(big, 0, sizeof(big));
    strcpy(big, "GET /");
    memset(big + 5, 'a', 8200);
    strcat(big, H11 "\r\n");
    expect_error(big, 414, 1);
    big[8000] = '\0';
    struct http_request r;
    ck_assert_int_eq(tparse(big, &r), HTTP_NEED_MORE);
    memset(big + 5, 'a', 9000);
    big[9005] = '\0';
    expect_error(big, 414, 1);
    /* A header line over LimitRequestFieldSize: 400. */
    strcpy(big, "GET /" H11 "X: ");
    size_t n = strlen(big);
    memset(big + n, 'b', 8200);
    strcpy(big + n + 8200, "\r\n\r\n");
    expect_error(big, 400, 1);
    /* 100 fields are fine, 101 are not. */
    strcpy(big, "GET / HTTP/1.1\r\n");
    for (int i = 0; i < 100; i++)
        sprintf(big + strlen(big), "%s: %d\r\n", i == 0 ? "Host" : "X-F", i);
    strcat(big, "\r\n");
    ck_assert_int_eq(tparse(big, &r), HTTP_COMPLETE);
    big[strlen(big) - 2] = '\0';
    strcat(big, "X-G: 1\r\n\r\n");
    expect_error(big, 400, 1);
    /* A head that cannot fit the caller's buffer: 431. */
    struct http_conn hc;
    http_conn_init(&hc);
    const char *t = "GET /" H11 "X-Long: 0123456789";
    ck_assert_int_eq(http_parse_request(&hc, NULL, t, strlen(t), strlen(t), &r), HTTP_ERROR);
    ck_assert_int_eq(r.status, 431);
}
END_TEST

START_TEST(limits_from_config)
{
    tregister();
    struct tdir d;
    tdir_make(&d);
    struct server_config *c;
    struct config_error err;
    ck_assert_msg(tconfig(&d,
                          "Listen 80\nLimitRequestLine 20\nLimitRequestFieldSize 10\n"
                          "LimitRequestFields 1\n",
                          NULL, NULL, &c, &err) == 0,
                  "%s", err.message);
    struct http_request r;
    ck_assert_int_eq(tparse_conf(c, "GET /0123456789012345 HTTP/1.1\r\nHost: a\r\n\r\n", &r),
                     HTTP_ERROR);
    ck_assert_int_eq(r.status, 414);
    ck_assert_int_eq(tparse_conf(c, "GET / HTTP/1.1\r\nHost: aaaaaaaaaa\r\n\r\n", &r), HTTP_ERROR);
    ck_assert_int_eq(r.status, 400);
    ck_assert_int_eq(tparse_conf(c, "GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n\r\n", &r), HTTP_ERROR);
    ck_assert_int_eq(r.status, 400);
    ck_assert_int_eq(tparse_conf(c, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", &r), HTTP_COMPLETE);
    /* The largest legal head fills http_head_max exactly, so a buffer of that size takes it. */
    const char *longest = "GET /abcdef HTTP/1.1\r\nHost: abcd\r\n\r\n";
    ck_assert_uint_eq(http_head_max(c), strlen(longest));
    struct http_conn hc;
    http_conn_init(&hc);
    ck_assert_int_eq(http_parse_request(&hc, c, longest, strlen(longest), http_head_max(c), &r),
                     HTTP_COMPLETE);
    server_config_free(c);
    /* The defaults: 8190-byte lines, 100 fields, as httpd; LimitRequestFields 0 is bounded. */
    ck_assert_uint_eq(http_head_max(NULL), 8192 + 100 * 8192 + 2);
    ck_assert_msg(tconfig(&d, "Listen 80\nLimitRequestFields 0\n", NULL, NULL, &c, &err) == 0, "%s",
                  err.message);
    ck_assert_uint_eq(http_head_max(c), HTTP_HEAD_MAX_UNLIMITED);
    server_config_free(c);
    tdir_remove(&d);
}
END_TEST

START_TEST(content_length_body_skipped)
{
    struct http_conn hc;
    http_conn_init(&hc);
    struct http_request r;
    /* Whole body present: consumed with the head. */
    const char *t = "POST /" H11 "Content-Length: 5\r\n\r\nhelloGET /n" H11 "\r\n";
    ck_assert_int_eq(http_parse_request(&hc, NULL, t, strlen(t), 4096, &r), HTTP_COMPLETE);
    ck_assert_uint_eq(r.content_length, 5);
    size_t off = r.consumed;
    ck_assert_str_eq(t + off, "GET /n" H11 "\r\n");
    ck_assert_int_eq(http_parse_request(&hc, NULL, t + off, strlen(t + off), 4096, &r),
                     HTTP_COMPLETE);
    ck_assert_str_eq(tstr(r.path), "/n");
    /* Body arriving later: skipped by the next calls. */
    const char *h = "POST /" H11 "Content-Length: 10\r\n\r\nhel";
    ck_assert_int_eq(http_parse_request(&hc, NULL, h, strlen(h), 4096, &r), HTTP_COMPLETE);
    ck_assert_uint_eq(r.consumed, strlen(h) - 3);
    ck_assert_int_eq(http_parse_request(&hc, NULL, "hel", 3, 4096, &r), HTTP_NEED_MORE);
    ck_assert_uint_eq(r.consumed, 3);
    const char *rest = "lo12345GET /after" H11 "\r\n";
    ck_assert_int_eq(http_parse_request(&hc, NULL, rest, strlen(rest), 4096, &r), HTTP_COMPLETE);
    ck_assert_str_eq(tstr(r.path), "/after");
    ck_assert_uint_eq(r.consumed, strlen(rest));
}
END_TEST

START_TEST(chunked_body_skipped)
{
    struct http_conn hc;
    http_conn_init(&hc);
    struct http_request r;
    const char *t =
        "POST /" H11 "Transfer-Encoding: chunked\r\n\r\n"
        "5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nTrailer: x\r\n\r\n"
        "GET /next" H11 "\r\n";
    ck_assert_int_eq(http_parse_request(&hc, NULL, t, strlen(t), 4096, &r), HTTP_COMPLETE);
    ck_assert(r.chunked);
    const char *next = t + r.consumed;
    ck_assert_str_eq(next, "GET /next" H11 "\r\n");
    /* The same body one byte at a time. */
    const char *body = "5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n";
    const char *h = "POST /" H11 "Transfer-Encoding: chunked\r\n\r\n";
    ck_assert_int_eq(http_parse_request(&hc, NULL, h, strlen(h), 4096, &r), HTTP_COMPLETE);
    ck_assert_uint_eq(r.consumed, strlen(h));
    for (size_t i = 0; body[i]; i++) {
        ck_assert_int_eq(http_parse_request(&hc, NULL, body + i, 1, 4096, &r), HTTP_NEED_MORE);
        ck_assert_uint_eq(r.consumed, 1);
    }
    const char *g = "GET /x" H11 "\r\n";
    ck_assert_int_eq(http_parse_request(&hc, NULL, g, strlen(g), 4096, &r), HTTP_COMPLETE);
    ck_assert_str_eq(tstr(r.path), "/x");
    /* A malformed chunk size: 400 and close, whenever it is found. */
    const char *bad = "POST /" H11 "Transfer-Encoding: chunked\r\n\r\n";
    ck_assert_int_eq(http_parse_request(&hc, NULL, bad, strlen(bad), 4096, &r), HTTP_COMPLETE);
    ck_assert_int_eq(http_parse_request(&hc, NULL, "zz\r\n", 4, 4096, &r), HTTP_ERROR);
    ck_assert_int_eq(r.status, 400);
    ck_assert(r.must_close);
    http_conn_init(&hc);
    const char *bad2 = "POST /" H11 "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX";
    ck_assert_int_eq(http_parse_request(&hc, NULL, bad2, strlen(bad2), 4096, &r), HTTP_COMPLETE);
    ck_assert(r.must_close); /* found in the same buffer: the answer closes */
}
END_TEST

NTT_MAIN(simple_get, incremental_and_bare_lf, pipelined, request_line_errors, methods,
         absolute_form, header_errors, framing_errors, limits, limits_from_config,
         content_length_body_skipped, chunked_body_skipped)
