/* Connection management over the wire: keep-alive rules, pipelining, request bodies skipped in
 * sync, KeepAliveTimeout and TimeOut, Date and Server headers. */
#include "twire.h"

#define CONF "KeepAlive On\nMaxKeepAliveRequests 3\nKeepAliveTimeout 1\nTimeOut 2\n"

static void docs(struct tmpm *t)
{
    th_doc(t, "a.txt", "A");
    th_doc(t, "b.txt", "BB");
    th_doc(t, "c.txt", "CCC");
}

static struct tmpm *srv(void)
{
    th_before_start = docs;
    return th_server("keepalive", CONF);
}

static struct th_conn c;
static struct th_resp r;

static void open_conn(void)
{
    th_open(&c, srv()->port);
}

/* Read a response on c and check its status and body. */
static void read_expect(int status, const char *body)
{
    ck_assert_msg(th_read(&c, 0, &r), "connection closed before a response");
    ck_assert_msg(r.status == status, "status %d, expected %d:\n%s", r.status, status, r.head);
    if (body)
        ck_assert_str_eq(r.body, body);
    th_resp_free(&r);
}

START_TEST(http10_keep_alive_only_on_request)
{
    open_conn();
    th_send(&c, "GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    ck_assert(th_read(&c, 0, &r));
    ck_assert_int_eq(r.status, 200);
    th_assert_header(&r, "Connection", "Keep-Alive");
    ck_assert_ptr_nonnull(th_header(&r, "Keep-Alive"));
    th_resp_free(&r);
    /* Still open: a plain 1.0 request on it is answered, then the server closes. */
    th_send(&c, "GET /b.txt HTTP/1.0\r\n\r\n");
    ck_assert(th_read(&c, 0, &r));
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.body, "BB");
    th_assert_header(&r, "Connection", "close");
    th_resp_free(&r);
    ck_assert(th_closes(&c, NTT_WAIT_MS));
    th_close(&c);
}
END_TEST

START_TEST(connection_close_honoured)
{
    open_conn();
    th_send(&c, "GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    ck_assert(th_read(&c, 0, &r));
    ck_assert_int_eq(r.status, 200);
    th_assert_header(&r, "Connection", "close");
    th_resp_free(&r);
    ck_assert(th_closes(&c, NTT_WAIT_MS));
    th_close(&c);
}
END_TEST

/* MaxKeepAliveRequests 3: three answers keep the connection (max= counting down), the fourth
 * closes it -- httpd's count. */
START_TEST(max_keep_alive_requests)
{
    open_conn();
    const char *max[] = {"timeout=1, max=3", "timeout=1, max=2", "timeout=1, max=1"};
    for (int i = 0; i < 3; i++) {
        th_send(&c, "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
        ck_assert(th_read(&c, 0, &r));
        ck_assert_int_eq(r.status, 200);
        th_assert_header(&r, "Connection", "Keep-Alive");
        th_assert_header(&r, "Keep-Alive", max[i]);
        th_resp_free(&r);
    }
    th_send(&c, "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    ck_assert(th_read(&c, 0, &r));
    ck_assert_int_eq(r.status, 200);
    th_assert_header(&r, "Connection", "close");
    th_resp_free(&r);
    ck_assert(th_closes(&c, NTT_WAIT_MS));
    th_close(&c);
}
END_TEST

/* KeepAliveTimeout 1: an idle keep-alive connection is closed after about a second. */
START_TEST(keep_alive_timeout_closes_idle)
{
    open_conn();
    th_send(&c, "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    read_expect(200, "A");
    ULONGLONG start = GetTickCount64();
    ck_assert(th_closes(&c, 5000));
    ULONGLONG took = GetTickCount64() - start;
    ck_assert_msg(took >= 700 && took < 4000, "closed after %llu ms", (unsigned long long)took);
    th_close(&c);
}
END_TEST

START_TEST(pipelined_answered_in_order)
{
    open_conn();
    th_send(&c, "GET /c.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                "HEAD /b.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    read_expect(200, "CCC");
    ck_assert(th_read(&c, 1, &r));
    ck_assert_int_eq(r.status, 200);
    th_assert_header(&r, "Content-Length", "2");
    th_resp_free(&r);
    read_expect(200, "A");
    th_close(&c);
    /* A pipelined request after a missing file and a 405 still comes in order. */
    open_conn();
    th_send(&c, "GET /nope.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                "PUT /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyz"
                "GET /b.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    read_expect(404, NULL);
    read_expect(405, NULL);
    read_expect(200, "BB");
    th_close(&c);
}
END_TEST

/* A body on a static resource is read and dropped: the next request on the connection is seen
 * at the right place, whether the body came with the head or later, in pieces. */
START_TEST(content_length_body_discarded)
{
    open_conn();
    th_send(&c, "POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n"
                "GET /c.txt"
                "GET /b.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    read_expect(405, NULL);
    read_expect(200, "BB");
    th_close(&c);

    /* A body larger than the connection buffer, sent after the answer, in pieces. */
    open_conn();
    th_send(&c, "POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
    read_expect(405, NULL);
    static char body[100000];
    memset(body, 'G', sizeof(body));
    memcpy(body, "GET /c.txt HTTP/1.1\r\n\r\n", 23); /* looks like a request: must be skipped */
    th_send_n(&c, body, 30000);
    th_send_n(&c, body + 30000, 70000);
    th_send(&c, "GET /b.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    read_expect(200, "BB");
    th_close(&c);
}
END_TEST

START_TEST(chunked_body_discarded)
{
    open_conn();
    th_send(&c,
            "POST /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            "5\r\nhello\r\n1a;ext=1\r\nGET /c.txt HTTP/1.1\r\n\r\n...\r\n0\r\nTrailer: t\r\n\r\n"
            "GET /b.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    read_expect(405, NULL);
    read_expect(200, "BB");
    th_close(&c);

    /* The chunks arrive after the answer, split at awkward places. */
    open_conn();
    th_send(&c, "POST /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3");
    read_expect(405, NULL);
    const char *pieces[] = {"\r", "\nab", "c\r\n10\r\n0123456789", "abcdef\r", "\n0\r\n", "\r\n"};
    for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++)
        th_send(&c, pieces[i]);
    th_send(&c, "GET /c.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    read_expect(200, "CCC");
    th_close(&c);
}
END_TEST

/* TimeOut 2: a client that sends half a request and stops gets 408 and the connection closes. */
START_TEST(timeout_closes_half_request)
{
    open_conn();
    th_send(&c, "GET /a.txt HTTP/1.1\r\nHo");
    ULONGLONG start = GetTickCount64();
    ck_assert(th_read(&c, 0, &r));
    ck_assert_int_eq(r.status, 408);
    th_assert_header(&r, "Connection", "close");
    th_resp_free(&r);
    ck_assert(th_closes(&c, NTT_WAIT_MS));
    ULONGLONG took = GetTickCount64() - start;
    ck_assert_msg(took >= 1500 && took < 6000, "closed after %llu ms", (unsigned long long)took);
    th_close(&c);
    /* Half a body too (no answer is due: the request was answered; just closed). */
    open_conn();
    th_send(&c, "POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nhalf");
    read_expect(405, NULL);
    ck_assert(th_closes(&c, NTT_WAIT_MS));
    th_close(&c);
}
END_TEST

/* Date (IMF-fixdate, now) and Server (ServerTokens Full by default) on every answer. */
START_TEST(date_and_server_headers)
{
    ck_assert_int_eq(th_get(srv()->port, "/a.txt", NULL, &r), 200);
    const char *date = th_header(&r, "Date");
    ck_assert_ptr_nonnull(date);
    char wd[4], mon[4], tz[4];
    int day, year, h, m, s;
    ck_assert_msg(sscanf(date, "%3s, %2d %3s %4d %2d:%2d:%2d %3s", wd, &day, mon, &year, &h, &m, &s,
                         tz) == 8 &&
                      strlen(date) == 29 && strcmp(tz, "GMT") == 0,
                  "Date: %s", date);
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    uint64_t secs =
        ((((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime) / 10000000u) - 11644473600u;
    int this_year = 1970 + (int)(secs / 31556952u); /* mean Gregorian year: within a day */
    ck_assert_msg(year >= this_year - 1 && year <= this_year + 1, "Date: %s", date);
    const char *server = th_header(&r, "Server");
    ck_assert_ptr_nonnull(server);
    ck_assert_msg(strncmp(server, "ntmpm/", 6) == 0 && strchr(server, '(') != NULL, "Server: %s",
                  server);
    th_resp_free(&r);
    /* Errors too. */
    ck_assert_int_eq(th_get(srv()->port, "/missing", NULL, &r), 404);
    ck_assert_ptr_nonnull(th_header(&r, "Date"));
    ck_assert_ptr_nonnull(th_header(&r, "Server"));
    th_resp_free(&r);
}
END_TEST

START_TEST(stop)
{
    th_server_stop();
}
END_TEST

NTT_MAIN(http10_keep_alive_only_on_request, connection_close_honoured, max_keep_alive_requests,
         keep_alive_timeout_closes_idle, pipelined_answered_in_order, content_length_body_discarded,
         chunked_body_discarded, timeout_closes_half_request, date_and_server_headers, stop)
