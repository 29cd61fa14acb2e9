/* Several byte ranges over the wire: 206 multipart/byteranges parsed strictly, each part's bytes
 * against the file, an exact Content-Length, and the connection still in sync after it. */
#include "twire.h"

#define CONF                                                                                       \
    "ServerTokens Prod\n"                                                                          \
    "<Directory \"@DIR@/htdocs/few\">\n  MaxRanges 1\n</Directory>\n"                              \
    "<Directory \"@DIR@/htdocs/off\">\n  MaxRanges none\n</Directory>\n"                           \
    "<Directory \"@DIR@/htdocs/many\">\n  MaxRanges unlimited\n</Directory>\n"

/* 26 letters: easy to check any range of it. */
#define ALPHA "abcdefghijklmnopqrstuvwxyz"

/* A file larger than the socket buffers, so parts go out over pending TransmitFile calls (and
 * small enough for the test's 1 MiB receive buffer whole). */
#define BIG_LEN (960 * 1024)
static char big[BIG_LEN + 1];

static void docs(struct tmpm *t)
{
    th_doc(t, "alpha.txt", ALPHA);
    th_doc(t, "noext", ALPHA);
    for (size_t i = 0; i < BIG_LEN; i++)
        big[i] = (char)('A' + (i * 7 + i / 1000) % 26);
    th_doc(t, "big.txt", big);
    th_doc_dir(t, "few");
    th_doc(t, "few/alpha.txt", ALPHA);
    th_doc_dir(t, "off");
    th_doc(t, "off/alpha.txt", ALPHA);
    th_doc_dir(t, "many");
    th_doc(t, "many/big.txt", big);
}

static struct tmpm *srv(void)
{
    th_before_start = docs;
    return th_server("ranges", CONF);
}

static struct th_resp r;

struct part {
    char type[128]; /* "" when the part has none */
    unsigned long long first, last, len;
    const char *data; /* into the response body */
};

/* The boundary of a multipart/byteranges response (static buffer). */
static const char *boundary_of(const struct th_resp *resp)
{
    static char b[128];
    const char *ct = th_header(resp, "Content-Type");
    ck_assert_ptr_nonnull(ct);
    ck_assert_msg(strncmp(ct, "multipart/byteranges; boundary=", 31) == 0, "%s", ct);
    snprintf(b, sizeof(b), "%s", ct + 31);
    ck_assert_uint_gt(strlen(b), 0);
    return b;
}

/* Split resp's body into parts, strictly: "\r\n--B\r\n" headers "\r\n\r\n" bytes, ..., then
 * "\r\n--B--\r\n" ending exactly at the body's end. The number of parts. */
static size_t parts_of(const struct th_resp *resp, struct part *parts, size_t max)
{
    const char *b = boundary_of(resp);
    char delim[160], close[160];
    snprintf(delim, sizeof(delim), "\r\n--%s\r\n", b);
    snprintf(close, sizeof(close), "\r\n--%s--\r\n", b);
    const char *p = resp->body, *end = resp->body + resp->body_len;
    size_t n = 0;
    for (;;) {
        if ((size_t)(end - p) == strlen(close) && memcmp(p, close, strlen(close)) == 0)
            return n;
        ck_assert_msg((size_t)(end - p) > strlen(delim) && memcmp(p, delim, strlen(delim)) == 0,
                      "part %zu: no boundary at offset %zu", n, (size_t)(p - resp->body));
        ck_assert_uint_lt(n, max);
        struct part *pt = &parts[n++];
        memset(pt, 0, sizeof(*pt));
        p += strlen(delim);
        const char *hend = strstr(p, "\r\n\r\n");
        ck_assert_ptr_nonnull(hend);
        ck_assert(hend < end);
        int have_range = 0;
        while (p < hend + 2) {
            const char *eol = strstr(p, "\r\n");
            if (tmpm_strnieq(p, "Content-Type: ", 14)) {
                snprintf(pt->type, sizeof(pt->type), "%.*s", (int)(eol - p - 14), p + 14);
            } else {
                ck_assert_msg(sscanf(p, "Content-Range: bytes %llu-%llu/%llu", &pt->first,
                                     &pt->last, &pt->len) == 3,
                              "part header: %.*s", (int)(eol - p), p);
                have_range = 1;
            }
            p = eol + 2;
        }
        ck_assert(have_range);
        p = hend + 4;
        ck_assert(pt->last >= pt->first);
        ck_assert_uint_le(pt->last - pt->first + 1, (size_t)(end - p));
        pt->data = p;
        p += pt->last - pt->first + 1;
    }
}

/* Part i is [first, last] of file (file_len bytes), with Content-Type type. */
static void check_part(const struct part *pt, unsigned long long first, unsigned long long last,
                       const char *file, size_t file_len, const char *type)
{
    ck_assert_uint_eq(pt->first, first);
    ck_assert_uint_eq(pt->last, last);
    ck_assert_uint_eq(pt->len, file_len);
    ck_assert_str_eq(pt->type, type);
    ck_assert_msg(memcmp(pt->data, file + first, last - first + 1) == 0, "bytes %llu-%llu differ",
                  first, last);
}

/* n one-byte ranges step bytes apart in big.txt at path: 206 with n parts, each the file's byte. */
static void spaced_parts(unsigned short port, const char *path, int n, int step)
{
    static char h[8192];
    static struct part many[300];
    ck_assert_int_le(n, 300);
    size_t o = (size_t)snprintf(h, sizeof(h), "Range: bytes=");
    for (int i = 0; i < n; i++)
        o += (size_t)snprintf(h + o, sizeof(h) - o, "%s%d-%d", i ? "," : "", i * step, i * step);
    snprintf(h + o, sizeof(h) - o, "\r\n");
    ck_assert_int_eq(th_get(port, path, h, &r), 206);
    ck_assert_uint_eq(parts_of(&r, many, 300), (size_t)n);
    for (int i = 0; i < n; i++)
        check_part(&many[i], (unsigned long long)i * step, (unsigned long long)i * step, big,
                   BIG_LEN, "text/plain");
    th_resp_free(&r);
}

START_TEST(multipart_parts_from_the_file)
{
    struct part p[8];
    ck_assert_int_eq(th_get(srv()->port, "/alpha.txt", "Range: bytes=0-2,10-12,-3\r\n", &r), 206);
    ck_assert_ptr_null(th_header(&r, "Content-Range"));
    th_assert_header(&r, "Accept-Ranges", "bytes");
    ck_assert_uint_eq(parts_of(&r, p, 8), 3);
    check_part(&p[0], 0, 2, ALPHA, 26, "text/plain");
    check_part(&p[1], 10, 12, ALPHA, 26, "text/plain");
    check_part(&p[2], 23, 25, ALPHA, 26, "text/plain");
    th_resp_free(&r);
    /* A file with no type: parts without Content-Type (httpd's). Order as asked. */
    ck_assert_int_eq(th_get(srv()->port, "/noext", "Range: bytes=20-,0-0\r\n", &r), 206);
    ck_assert_uint_eq(parts_of(&r, p, 8), 2);
    check_part(&p[0], 20, 25, ALPHA, 26, "");
    check_part(&p[1], 0, 0, ALPHA, 26, "");
    th_resp_free(&r);
}
END_TEST

START_TEST(merged_dropped_limited)
{
    unsigned short port = srv()->port;
    /* Overlapping and adjacent ranges merge; one left is a plain single-range 206. */
    ck_assert_int_eq(th_get(port, "/alpha.txt", "Range: bytes=0-4,3-9,10-11\r\n", &r), 206);
    th_assert_header(&r, "Content-Range", "bytes 0-11/26");
    th_assert_header(&r, "Content-Type", "text/plain");
    ck_assert_str_eq(r.body, "abcdefghijkl");
    th_resp_free(&r);
    /* Unsatisfiable ones are dropped; all of them: 416. */
    ck_assert_int_eq(th_get(port, "/alpha.txt", "Range: bytes=1-1,100-,3-3\r\n", &r), 206);
    struct part p[4];
    ck_assert_uint_eq(parts_of(&r, p, 4), 2);
    check_part(&p[0], 1, 1, ALPHA, 26, "text/plain");
    check_part(&p[1], 3, 3, ALPHA, 26, "text/plain");
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/alpha.txt", "Range: bytes=1-1,100-\r\n", &r), 206);
    th_assert_header(&r, "Content-Range", "bytes 1-1/26");
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/alpha.txt", "Range: bytes=26-,100-200\r\n", &r), 416);
    th_assert_header(&r, "Content-Range", "bytes */26");
    th_resp_free(&r);
    /* More than MaxRanges (200) separate ranges: the whole file. */
    static char h[4096];
    size_t o = (size_t)snprintf(h, sizeof(h), "Range: bytes=");
    for (int i = 0; i < 201; i++)
        o += (size_t)snprintf(h + o, sizeof(h) - o, "%s%d-%d", i ? "," : "", i * 2, i * 2);
    snprintf(h + o, sizeof(h) - o, "\r\n");
    ck_assert_int_eq(th_get(port, "/big.txt", h, &r), 200);
    ck_assert_uint_eq(r.body_len, BIG_LEN);
    th_resp_free(&r);
    /* 200 are still ranges. */
    spaced_parts(port, "/big.txt", 200, 4000);
    /* If-Range that does not match: the whole file. */
    ck_assert_int_eq(
        th_get(port, "/alpha.txt", "Range: bytes=0-0,2-2\r\nIf-Range: \"old\"\r\n", &r), 200);
    ck_assert_str_eq(r.body, ALPHA);
    th_resp_free(&r);
}
END_TEST

START_TEST(max_ranges_directive)
{
    unsigned short port = srv()->port;
    /* MaxRanges 1: one range is served, two are the whole file. */
    ck_assert_int_eq(th_get(port, "/few/alpha.txt", "Range: bytes=0-1\r\n", &r), 206);
    ck_assert_str_eq(r.body, "ab");
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/few/alpha.txt", "Range: bytes=0-1,5-6\r\n", &r), 200);
    ck_assert_str_eq(r.body, ALPHA);
    th_resp_free(&r);
    /* MaxRanges none: Range is ignored, even an unsatisfiable one: the whole file. */
    ck_assert_int_eq(th_get(port, "/off/alpha.txt", "Range: bytes=0-1\r\n", &r), 200);
    ck_assert_str_eq(r.body, ALPHA);
    th_resp_free(&r);
    ck_assert_int_eq(th_get(port, "/off/alpha.txt", "Range: bytes=100-\r\n", &r), 200);
    th_resp_free(&r);
    /* MaxRanges unlimited: 300 separate ranges are 300 parts. */
    spaced_parts(port, "/many/big.txt", 300, 3000);
}
END_TEST

/* Large parts (pending sends), then HEAD, then a plain request: all on one connection, in sync. */
START_TEST(keep_alive_in_sync)
{
    struct th_conn c;
    th_open(&c, srv()->port);
    const char *get = "GET /big.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=5-9,100000-599999,-300000,"
                      "1000-1000\r\n\r\n";
    th_send(&c, get);
    ck_assert(th_read(&c, 0, &r));
    ck_assert_int_eq(r.status, 206);
    char cl[32];
    snprintf(cl, sizeof(cl), "%s", th_header(&r, "Content-Length"));
    char type[128];
    snprintf(type, sizeof(type), "%s", th_header(&r, "Content-Type"));
    struct part p[8];
    ck_assert_uint_eq(parts_of(&r, p, 8), 4);
    check_part(&p[0], 5, 9, big, BIG_LEN, "text/plain");
    check_part(&p[1], 100000, 599999, big, BIG_LEN, "text/plain");
    check_part(&p[2], BIG_LEN - 300000, BIG_LEN - 1, big, BIG_LEN, "text/plain");
    check_part(&p[3], 1000, 1000, big, BIG_LEN, "text/plain");
    th_resp_free(&r);
    /* HEAD: the same status and headers (the boundary aside), no body. */
    th_send(&c, "HEAD /big.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=5-9,100000-599999,-300000,"
                "1000-1000\r\n\r\n");
    ck_assert(th_read(&c, 1, &r));
    ck_assert_int_eq(r.status, 206);
    th_assert_header(&r, "Content-Length", cl);
    ck_assert_uint_eq(strlen(th_header(&r, "Content-Type")), strlen(type));
    th_resp_free(&r);
    /* Pipelined: two multipart answers and a plain one, each where the previous ended. */
    th_send(&c, "GET /alpha.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-0,25-25\r\n\r\n"
                "GET /alpha.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=1-1,24-24\r\n\r\n"
                "GET /alpha.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    ck_assert(th_read(&c, 0, &r));
    ck_assert_uint_eq(parts_of(&r, p, 8), 2);
    check_part(&p[1], 25, 25, ALPHA, 26, "text/plain");
    th_resp_free(&r);
    ck_assert(th_read(&c, 0, &r));
    ck_assert_uint_eq(parts_of(&r, p, 8), 2);
    check_part(&p[0], 1, 1, ALPHA, 26, "text/plain");
    th_resp_free(&r);
    ck_assert(th_read(&c, 0, &r));
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.body, ALPHA);
    th_resp_free(&r);
    ck_assert_uint_eq(c.len, 0); /* nothing after the last answer */
    th_close(&c);
}
END_TEST

START_TEST(stop)
{
    th_server_stop();
}
END_TEST

NTT_MAIN(multipart_parts_from_the_file, merged_dropped_limited, max_ranges_directive,
         keep_alive_in_sync, stop)
