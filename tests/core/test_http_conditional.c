/* Validators, RFC 9110 13.2.2 precedence (304 / 412), If-Range, and byte ranges (206 / 416). */
#include "thttp.h"

#define MTIME 784111777 /* Sun, 06 Nov 1994 08:49:37 GMT */
#define ETAG "\"2d-432a5e4a73a80\""

static struct http_request req_with(const char *headers, const char *method)
{
    static char buf[1024];
    snprintf(buf, sizeof(buf), "%s / HTTP/1.1\r\nHost: a\r\n%s\r\n", method, headers);
    struct http_request r;
    ck_assert_int_eq(tparse(buf, &r), HTTP_COMPLETE);
    return r;
}

static int cond(const char *headers, const char *method)
{
    struct http_request r = req_with(headers, method);
    return http_conditional(&r, ETAG, MTIME);
}

START_TEST(etag_form)
{
    char e[96];
    /* httpd's default FileETag MTime Size: "<size hex>-<mtime usec hex>". */
    ck_assert_uint_gt(
        http_etag_make(HTTP_ETAG_MTIME | HTTP_ETAG_SIZE, 45, 0x432a5e4a73a80ull, 7, e, sizeof(e)),
        0);
    ck_assert_str_eq(e, ETAG);
    http_etag_make(HTTP_ETAG_MTIME | HTTP_ETAG_SIZE | HTTP_ETAG_INODE, 45, 0x10, 0xab, e,
                   sizeof(e));
    ck_assert_str_eq(e, "\"ab-2d-10\"");
    ck_assert_uint_eq(http_etag_make(0, 45, 1, 1, e, sizeof(e)), 0);
}
END_TEST

START_TEST(precedence)
{
    ck_assert_int_eq(cond("", "GET"), 0);
    /* If-None-Match */
    ck_assert_int_eq(cond("If-None-Match: " ETAG "\r\n", "GET"), 304);
    ck_assert_int_eq(cond("If-None-Match: W/" ETAG "\r\n", "GET"), 304); /* weak comparison */
    ck_assert_int_eq(cond("If-None-Match: \"x\", " ETAG "\r\n", "HEAD"), 304);
    ck_assert_int_eq(cond("If-None-Match: *\r\n", "GET"), 304);
    ck_assert_int_eq(cond("If-None-Match: \"other\"\r\n", "GET"), 0);
    ck_assert_int_eq(cond("If-None-Match: " ETAG "\r\n", "POST"), 412);
    /* If-Modified-Since */
    ck_assert_int_eq(cond("If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n", "GET"), 304);
    ck_assert_int_eq(cond("If-Modified-Since: Sun, 06 Nov 1994 08:49:36 GMT\r\n", "GET"), 0);
    ck_assert_int_eq(cond("If-Modified-Since: Sunday, 06-Nov-94 08:49:37 GMT\r\n", "GET"), 304);
    ck_assert_int_eq(cond("If-Modified-Since: Sun Nov  6 08:49:37 1994\r\n", "GET"), 304);
    ck_assert_int_eq(cond("If-Modified-Since: garbage\r\n", "GET"), 0);
    ck_assert_int_eq(cond("If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\r\n", "GET"), 0);
    ck_assert_int_eq(cond("If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n", "POST"), 0);
    /* If-None-Match wins over If-Modified-Since. */
    ck_assert_int_eq(cond("If-None-Match: \"other\"\r\n"
                          "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n",
                          "GET"),
                     0);
    /* If-Match (strong) */
    ck_assert_int_eq(cond("If-Match: " ETAG "\r\n", "GET"), 0);
    ck_assert_int_eq(cond("If-Match: *\r\n", "GET"), 0);
    ck_assert_int_eq(cond("If-Match: \"other\"\r\n", "GET"), 412);
    ck_assert_int_eq(cond("If-Match: W/" ETAG "\r\n", "GET"), 412);
    /* If-Unmodified-Since */
    ck_assert_int_eq(cond("If-Unmodified-Since: Sun, 06 Nov 1994 08:49:36 GMT\r\n", "GET"), 412);
    ck_assert_int_eq(cond("If-Unmodified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n", "GET"), 0);
    /* If-Match wins over If-Unmodified-Since; a failing If-Match beats If-None-Match. */
    ck_assert_int_eq(cond("If-Match: " ETAG "\r\n"
                          "If-Unmodified-Since: Sun, 06 Nov 1994 08:49:36 GMT\r\n",
                          "GET"),
                     0);
    ck_assert_int_eq(cond("If-Match: \"other\"\r\nIf-None-Match: " ETAG "\r\n", "GET"), 412);
    ck_assert_int_eq(cond("If-Match: " ETAG "\r\nIf-None-Match: " ETAG "\r\n", "GET"), 304);
    /* A weak current ETag never satisfies If-Match. */
    struct http_request r = req_with("If-Match: W/" ETAG "\r\n", "GET");
    ck_assert_int_eq(http_conditional(&r, "W/" ETAG, MTIME), 412);
}
END_TEST

START_TEST(if_range)
{
    struct http_request r = req_with("If-Range: " ETAG "\r\n", "GET");
    ck_assert(http_if_range_ok(&r, ETAG, MTIME));
    ck_assert(!http_if_range_ok(&r, "\"x\"", MTIME));
    ck_assert(!http_if_range_ok(&r, "W/" ETAG, MTIME));
    r = req_with("If-Range: Sun, 06 Nov 1994 08:49:37 GMT\r\n", "GET");
    ck_assert(http_if_range_ok(&r, ETAG, MTIME));
    ck_assert(!http_if_range_ok(&r, ETAG, MTIME + 1));
    r = req_with("", "GET");
    ck_assert(http_if_range_ok(&r, ETAG, MTIME));
}
END_TEST

static enum http_range_kind rng(const char *v, uint64_t len, uint64_t *f, uint64_t *c)
{
    struct http_str s = {v, strlen(v)};
    struct http_range out[HTTP_MAX_RANGES];
    size_t n = 999;
    *f = *c = 999;
    enum http_range_kind k = http_range_parse(s, len, out, HTTP_MAX_RANGES, &n, NULL);
    if (k == HTTP_RANGE_SINGLE) {
        ck_assert_uint_eq(n, 1);
        *f = out[0].first;
        *c = out[0].count;
    }
    return k;
}

START_TEST(ranges)
{
    uint64_t f, c;
    ck_assert_int_eq(rng("bytes=0-9", 100, &f, &c), HTTP_RANGE_SINGLE);
    ck_assert(f == 0 && c == 10);
    ck_assert_int_eq(rng("bytes=90-", 100, &f, &c), HTTP_RANGE_SINGLE);
    ck_assert(f == 90 && c == 10);
    ck_assert_int_eq(rng("bytes=-5", 100, &f, &c), HTTP_RANGE_SINGLE);
    ck_assert(f == 95 && c == 5);
    ck_assert_int_eq(rng("bytes=-500", 100, &f, &c), HTTP_RANGE_SINGLE);
    ck_assert(f == 0 && c == 100);
    ck_assert_int_eq(rng("bytes=50-5000", 100, &f, &c), HTTP_RANGE_SINGLE);
    ck_assert(f == 50 && c == 50);
    ck_assert_int_eq(rng("BYTES = 1-1", 100, &f, &c), HTTP_RANGE_NONE); /* "bytes=" exactly */
    ck_assert_int_eq(rng("bytes= 1-1 ", 100, &f, &c), HTTP_RANGE_SINGLE);
    /* Unsatisfiable: 416 */
    ck_assert_int_eq(rng("bytes=100-", 100, &f, &c), HTTP_RANGE_UNSATISFIABLE);
    ck_assert_int_eq(rng("bytes=-0", 100, &f, &c), HTTP_RANGE_UNSATISFIABLE);
    ck_assert_int_eq(rng("bytes=0-", 0, &f, &c), HTTP_RANGE_UNSATISFIABLE);
    ck_assert_int_eq(rng("bytes=200-300,400-", 100, &f, &c), HTTP_RANGE_UNSATISFIABLE);
    /* Ignored (200 with the whole file): other units, bad syntax (several ranges:
     * test_http_ranges.c). */
    ck_assert_int_eq(rng("items=0-1", 100, &f, &c), HTTP_RANGE_NONE);
    ck_assert_int_eq(rng("bytes=9-1", 100, &f, &c), HTTP_RANGE_NONE);
    ck_assert_int_eq(rng("bytes=a-b", 100, &f, &c), HTTP_RANGE_NONE);
    ck_assert_int_eq(rng("bytes=", 100, &f, &c), HTTP_RANGE_NONE);
    ck_assert_int_eq(rng("bytes=1", 100, &f, &c), HTTP_RANGE_NONE);
    ck_assert_int_eq(rng("bytes=0-1,x", 100, &f, &c), HTTP_RANGE_NONE);
}
END_TEST

NTT_MAIN(etag_form, precedence, if_range, ranges)
