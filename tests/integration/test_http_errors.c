/* Every error class of a request over the wire: what the server answers, and that it closes when
 * the request's framing cannot be trusted (never answering bytes smuggled after it). */
#include "twire.h"

static struct tmpm *srv(void)
{
    return th_server("errors", NULL);
}

/* Send request on a new connection: the response's status, and whether the server then closed
 * (when closed is not NULL; a connection kept alive would make that wait out the bound). */
static int ask(const char *request, int *closed, struct th_resp *r)
{
    struct th_conn c;
    th_open(&c, srv()->port);
    th_send(&c, request);
    ck_assert_msg(th_read(&c, 0, r), "no response to: %.120s", request);
    if (closed)
        *closed = th_closes(&c, NTT_WAIT_MS);
    th_close(&c);
    return r->status;
}

static void expect(const char *request, int status, int must_close)
{
    struct th_resp r;
    int closed;
    ck_assert_int_eq(ask(request, must_close ? &closed : NULL, &r), status);
    if (must_close) {
        ck_assert_msg(closed, "still open after %d to %.120s", status, request);
        th_assert_header(&r, "Connection", "close");
    }
    /* Every error has a length-framed HTML body. */
    ck_assert_ptr_nonnull(th_header(&r, "Content-Length"));
    ck_assert_ptr_nonnull(th_header(&r, "Date"));
    th_resp_free(&r);
}

START_TEST(malformed_request_line_400)
{
    expect("GARBAGE\r\n\r\n", 400, 1);
    expect("GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400, 1);
    expect("GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400, 1);
    expect("GET / http/1.1\r\nHost: x\r\n\r\n", 400, 1);
    expect("G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400, 1);
}
END_TEST

START_TEST(malformed_header_400)
{
    expect("GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n", 400, 1);
    expect("GET / HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n", 400, 1);
    expect("GET / HTTP/1.1\r\nHost: x\r\nName : v\r\n\r\n", 400, 1);
    expect("GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n folded\r\n\r\n", 400, 1);
    expect("GET / HTTP/1.1\r\nHost: x\r\nA: b\rc\r\n\r\n", 400, 1);
}
END_TEST

START_TEST(missing_host_in_1_1_400)
{
    expect("GET / HTTP/1.1\r\n\r\n", 400, 1);
    expect("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, 1);
    /* HTTP/1.0 needs none. */
    expect("GET / HTTP/1.0\r\n\r\n", 200, 1);
}
END_TEST

START_TEST(post_to_static_405_with_allow)
{
    struct th_resp r;
    int closed;
    ck_assert_int_eq(ask("POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                         "Connection: close\r\n\r\n",
                         &closed, &r),
                     405);
    th_assert_header(&r, "Allow", "GET,HEAD,OPTIONS");
    th_resp_free(&r);
    ck_assert_int_eq(
        ask("DELETE /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", &closed, &r),
        405);
    th_assert_header(&r, "Allow", "GET,HEAD,OPTIONS");
    th_resp_free(&r);
    /* 405 keeps the connection: the next request on it is answered. */
    struct th_conn c;
    th_open(&c, srv()->port);
    th_send(&c, "PUT /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"
                "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
    ck_assert(th_read(&c, 0, &r));
    ck_assert_int_eq(r.status, 405);
    th_resp_free(&r);
    ck_assert(th_read(&c, 0, &r));
    ck_assert_int_eq(r.status, 200);
    th_resp_free(&r);
    th_close(&c);
}
END_TEST

START_TEST(unknown_method_501)
{
    expect("FROB / HTTP/1.1\r\nHost: x\r\n\r\n", 501, 1);
}
END_TEST

START_TEST(unsupported_version_505)
{
    expect("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505, 1);
    expect("GET / HTTP/0.9\r\nHost: x\r\n\r\n", 505, 1);
    expect("GET /\r\n\r\n", 505, 1);
}
END_TEST

START_TEST(uri_too_long_414)
{
    static char req[20000];
    int n = snprintf(req, sizeof(req), "GET /");
    memset(req + n, 'a', 9000);
    snprintf(req + n + 9000, sizeof(req) - (size_t)n - 9000, " HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(req, 414, 1);
    /* A long one within LimitRequestLine is read: 404 for a name nobody has. */
    n = snprintf(req, sizeof(req), "GET /");
    memset(req + n, 'b', 3000);
    snprintf(req + n + 3000, sizeof(req) - (size_t)n - 3000, " HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(req, 404, 0);
}
END_TEST

START_TEST(header_too_long_or_too_many)
{
    static char req[900000];
    /* A field line over LimitRequestFieldSize (8190). */
    int n = snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nHost: x\r\nX-Long: ");
    memset(req + n, 'v', 9000);
    snprintf(req + n + 9000, sizeof(req) - (size_t)n - 9000, "\r\n\r\n");
    struct th_resp r;
    int closed;
    int st = ask(req, &closed, &r);
    th_resp_free(&r);
    ck_assert_msg(st == 400 || st == 431, "long header: %d", st);
    ck_assert(closed);
    /* More than LimitRequestFields (100). */
    n = snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 101; i++)
        n += snprintf(req + n, sizeof(req) - (size_t)n, "X-F%d: v\r\n", i);
    snprintf(req + n, sizeof(req) - (size_t)n, "\r\n");
    st = ask(req, &closed, &r);
    th_resp_free(&r);
    ck_assert_msg(st == 400 || st == 431, "101 headers: %d", st);
    ck_assert(closed);
    /* Legal limits are served: an 8190-byte field line and 99 more fields. */
    n = snprintf(req, sizeof(req), "GET /index.html HTTP/1.1\r\nHost: x\r\nX-Big: ");
    memset(req + n, 'w', 8190 - 7);
    n += 8190 - 7;
    n += snprintf(req + n, sizeof(req) - (size_t)n, "\r\n");
    for (int i = 0; i < 98; i++)
        n += snprintf(req + n, sizeof(req) - (size_t)n, "X-F%d: v\r\n", i);
    snprintf(req + n, sizeof(req) - (size_t)n, "\r\n");
    ck_assert_int_eq(ask(req, NULL, &r), 200);
    ck_assert_str_eq(r.body, "<html><body>It works!</body></html>\n");
    th_resp_free(&r);
}
END_TEST

/* Heads as long as the limits allow (LimitRequestFields 100 of LimitRequestFieldSize 8190, about
 * 800 KB) are served; one field more is still 400. */
START_TEST(longest_heads_served)
{
    static char req[900000];
    int n = snprintf(req, sizeof(req), "GET /index.html HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 99; i++) {
        n += snprintf(req + n, sizeof(req) - (size_t)n, "X-F%02d: ", i);
        memset(req + n, 'v', 8000 - 7);
        n += 8000 - 7;
        n += snprintf(req + n, sizeof(req) - (size_t)n, "\r\n");
    }
    snprintf(req + n, sizeof(req) - (size_t)n, "\r\n");
    struct th_resp r;
    ck_assert_int_eq(ask(req, NULL, &r), 200);
    ck_assert_str_eq(r.body, "<html><body>It works!</body></html>\n");
    th_resp_free(&r);
    /* The 101st field. */
    snprintf(req + n, sizeof(req) - (size_t)n, "X-More: 1\r\n\r\n");
    int closed;
    ck_assert_int_eq(ask(req, &closed, &r), 400);
    th_resp_free(&r);
    ck_assert(closed);
}
END_TEST

/* Content-Length with Transfer-Encoding: rejected and closed; the request hidden in the "body"
 * is never answered. */
START_TEST(smuggling_rejected_and_closed)
{
    const char *smuggle = "POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 44\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n"
                          "0\r\n\r\n"
                          "GET /smuggled.html HTTP/1.1\r\nHost: x\r\n\r\n";
    th_doc(srv(), "smuggled.html", "SMUGGLED\n");
    struct th_conn c;
    th_open(&c, srv()->port);
    th_send(&c, smuggle);
    struct th_resp r;
    ck_assert(th_read(&c, 0, &r));
    ck_assert_int_eq(r.status, 400);
    th_assert_header(&r, "Connection", "close");
    th_resp_free(&r);
    ck_assert_msg(th_closes(&c, NTT_WAIT_MS), "more came after the 400: %s", c.buf);
    th_close(&c);
    /* An invalid Content-Length, and two different ones, the same way. */
    expect("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n"
           "GET /smuggled.html HTTP/1.1\r\nHost: x\r\n\r\n",
           400, 1);
    expect("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 40\r\n\r\n"
           "GET /smuggled.html HTTP/1.1\r\nHost: x\r\n\r\n",
           400, 1);
    /* Transfer-Encoding other than chunked last: 400 and closed. */
    expect("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400, 1);
}
END_TEST

START_TEST(stop)
{
    th_server_stop();
}
END_TEST

NTT_MAIN(malformed_request_line_400, malformed_header_400, missing_host_in_1_1_400,
         post_to_static_405_with_allow, unknown_method_501, unsupported_version_505,
         uri_too_long_414, header_too_long_or_too_many, longest_heads_served,
         smuggling_rejected_and_closed, stop)
