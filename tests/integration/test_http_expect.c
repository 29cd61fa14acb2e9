/* Expect: 100-continue over the wire: a client holding its body back gets its answer promptly,
 * with the interim 100 when the server reads the body (kept alive), else without it (closed). */
#include "twire.h"

static void docs(struct tmpm *t)
{
    th_doc(t, "a.txt", "A");
    th_doc(t, "b.txt", "BB");
    th_doc_dir(t, "d");
}

static struct tmpm *srv(void)
{
    th_before_start = docs;
    return th_server("expect", "KeepAlive On\nTimeOut 20\n");
}

static struct th_conn c;
static struct th_resp r;

/* Read a response on c: its status, and the Connection header's value. */
static void read_expect(int status, const char *connection)
{
    ck_assert_msg(th_read(&c, 0, &r), "connection closed before a %d", status);
    ck_assert_msg(r.status == status, "status %d, expected %d:\n%s", r.status, status, r.head);
    if (connection)
        th_assert_header(&r, "Connection", connection);
    th_resp_free(&r);
}

/* The server reads the body (a static file's handler): 100 Continue, the answer, and once the
 * client sends the body, the connection goes on with the next request. Every read is bounded
 * (NTT_WAIT_MS) while the body is still held back, well below the server's TimeOut. */
START_TEST(continue_then_keep_alive)
{
    th_open(&c, srv()->port);
    th_send(&c,
            "GET /a.txt HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    read_expect(100, NULL);
    ck_assert(th_read(&c, 0, &r));
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.body, "A");
    th_assert_header(&r, "Connection", "Keep-Alive");
    th_resp_free(&r);
    th_send(&c, "hello");
    th_send(&c, "GET /b.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    ck_assert(th_read(&c, 0, &r));
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.body, "BB");
    th_resp_free(&r);
    /* The default handler's 405 reads the body too (httpd discards it first); chunked alike. */
    th_send(&c, "PUT /a.txt HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                "Transfer-Encoding: chunked\r\n\r\n");
    read_expect(100, NULL);
    read_expect(405, "Keep-Alive");
    th_send(&c, "5\r\nhello\r\n0\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    read_expect(200, "Keep-Alive");
    th_close(&c);
}
END_TEST

/* Answered before any handler reads (mod_dir's redirect): no 100, Connection: close, and the
 * server closes at once instead of waiting for a body the client holds back. */
START_TEST(no_continue_then_close)
{
    th_open(&c, srv()->port);
    th_send(&c, "GET /d HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    read_expect(301, "close");
    ck_assert_msg(th_closes(&c, NTT_WAIT_MS), "more came after the 301: %s", c.buf);
    th_close(&c);
    /* No body announced: the expectation is never met, httpd closes after the answer too. */
    th_open(&c, srv()->port);
    th_send(&c, "GET /a.txt HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n");
    read_expect(200, "close");
    ck_assert(th_closes(&c, NTT_WAIT_MS));
    th_close(&c);
}
END_TEST

/* HTTP/1.0 gets no interim response (RFC 9110 10.1.1); httpd answers and closes. */
START_TEST(http10_no_continue)
{
    th_open(&c, srv()->port);
    th_send(&c, "POST /a.txt HTTP/1.0\r\nExpect: 100-continue\r\nConnection: keep-alive\r\n"
                "Content-Length: 5\r\n\r\nhello");
    read_expect(405, "close");
    ck_assert(th_closes(&c, NTT_WAIT_MS));
    th_close(&c);
}
END_TEST

/* Any other expectation: 417 and close, the body never read. */
START_TEST(other_expectation_417)
{
    th_open(&c, srv()->port);
    th_send(&c,
            "POST /a.txt HTTP/1.1\r\nHost: x\r\nExpect: something\r\nContent-Length: 5\r\n\r\n");
    read_expect(417, "close");
    ck_assert(th_closes(&c, NTT_WAIT_MS));
    th_close(&c);
}
END_TEST

START_TEST(stop)
{
    th_server_stop();
}
END_TEST

NTT_MAIN(continue_then_keep_alive, no_continue_then_close, http10_no_continue,
         other_expectation_417, stop)
