/* Several byte ranges: httpd 2.4's merging, dropping and limits, and the multipart/byteranges body.
 */
#include "thttp.h"

static struct http_range out[HTTP_MAX_RANGES];
static size_t n;

static enum http_range_kind rng(const char *v, uint64_t len)
{
    struct http_str s = {v, strlen(v)};
    memset(out, 0xAB, sizeof(out));
    n = 999;
    return http_range_parse(s, len, out, HTTP_MAX_RANGES, &n, NULL);
}

/* out[i] is [first, last]. */
#define ck_range(i, a, b)                                                                          \
    do {                                                                                           \
        ck_assert_uint_eq(out[i].first, (a));                                                      \
        ck_assert_uint_eq(out[i].count, (uint64_t)(b) - (a) + 1);                                  \
    } while (0)

START_TEST(several_in_request_order)
{
    ck_assert_int_eq(rng("bytes=0-9,20-29", 100), HTTP_RANGE_MULTI);
    ck_assert_uint_eq(n, 2);
    ck_range(0, 0, 9);
    ck_range(1, 20, 29);
    /* Not sorted: the order asked is the order sent. */
    ck_assert_int_eq(rng("bytes=50-59, -5 ,0-0", 100), HTTP_RANGE_MULTI);
    ck_assert_uint_eq(n, 3);
    ck_range(0, 50, 59);
    ck_range(1, 95, 99);
    ck_range(2, 0, 0);
    /* Ends past the end are cut to it. */
    ck_assert_int_eq(rng("bytes=0-0,90-1000", 100), HTTP_RANGE_MULTI);
    ck_range(1, 90, 99);
}
END_TEST

START_TEST(overlapping_and_adjacent_merge)
{
    /* Adjacent: one range, so a plain single-range 206. */
    ck_assert_int_eq(rng("bytes=0-9,10-19", 100), HTTP_RANGE_SINGLE);
    ck_assert_uint_eq(n, 1);
    ck_range(0, 0, 19);
    /* Overlapping, contained, from below (a reversal). */
    ck_assert_int_eq(rng("bytes=10-19,15-30", 100), HTTP_RANGE_SINGLE);
    ck_range(0, 10, 30);
    ck_assert_int_eq(rng("bytes=10-30,12-13", 100), HTTP_RANGE_SINGLE);
    ck_range(0, 10, 30);
    ck_assert_int_eq(rng("bytes=10-19,5-9", 100), HTTP_RANGE_SINGLE);
    ck_range(0, 5, 19);
    ck_assert_int_eq(rng("bytes=10-19,0-50", 100), HTTP_RANGE_SINGLE);
    ck_range(0, 0, 50);
    /* Merging is with the run being built only, as httpd's: "0-1,5-6,2-3" stays three. */
    ck_assert_int_eq(rng("bytes=0-1,2-3,10-11,12-13,5-6", 100), HTTP_RANGE_MULTI);
    ck_assert_uint_eq(n, 3);
    ck_range(0, 0, 3);
    ck_range(1, 10, 13);
    ck_range(2, 5, 6);
    /* A gap of one byte is not adjacent. */
    ck_assert_int_eq(rng("bytes=0-9,11-19", 100), HTTP_RANGE_MULTI);
    ck_assert_uint_eq(n, 2);
}
END_TEST

START_TEST(unsatisfiable_dropped)
{
    ck_assert_int_eq(rng("bytes=0-1,500-600", 100), HTTP_RANGE_SINGLE);
    ck_range(0, 0, 1);
    ck_assert_int_eq(rng("bytes=200-,0-1,-0,5-6,100-", 100), HTTP_RANGE_MULTI);
    ck_assert_uint_eq(n, 2);
    ck_range(0, 0, 1);
    ck_range(1, 5, 6);
    ck_assert_int_eq(rng("bytes=100-,200-300,-0", 100), HTTP_RANGE_UNSATISFIABLE);
    /* One bad spec and the header is ignored, satisfiable or not. */
    ck_assert_int_eq(rng("bytes=0-1,5-6,7", 100), HTTP_RANGE_NONE);
    ck_assert_int_eq(rng("bytes=0-1,,5-6", 100), HTTP_RANGE_NONE);
    ck_assert_int_eq(rng("bytes=0-1,6-5", 100), HTTP_RANGE_NONE);
}
END_TEST

START_TEST(zero_dash_is_the_whole)
{
    /* httpd: "0-" stands for everything and ends the set, whatever came before or after. */
    ck_assert_int_eq(rng("bytes=5-6,0-,8-9", 100), HTTP_RANGE_SINGLE);
    ck_assert_uint_eq(n, 1);
    ck_range(0, 0, 99);
}
END_TEST

START_TEST(limits_give_the_whole_file)
{
    static char v[8192];
    size_t o = (size_t)snprintf(v, sizeof(v), "bytes=");
    /* 200 separate ranges: still ranges (MaxRanges 200). */
    for (int i = 0; i < HTTP_MAX_RANGES; i++)
        o += (size_t)snprintf(v + o, sizeof(v) - o, "%s%d-%d", i ? "," : "", i * 3, i * 3);
    ck_assert_int_eq(rng(v, 1000), HTTP_RANGE_MULTI);
    ck_assert_uint_eq(n, HTTP_MAX_RANGES);
    ck_range(199, 597, 597);
    /* 201: the whole file. */
    snprintf(v + o, sizeof(v) - o, ",900-900");
    ck_assert_int_eq(rng(v, 1000), HTTP_RANGE_NONE);
    /* ...unless merging brings them back under the limit. */
    o = (size_t)snprintf(v, sizeof(v), "bytes=");
    for (int i = 0; i < 20; i++)
        o += (size_t)snprintf(v + o, sizeof(v) - o, "%s%d-%d", i ? "," : "", i, i);
    ck_assert_int_eq(rng(v, 1000), HTTP_RANGE_SINGLE);
    ck_range(0, 0, 19);
    /* More than 20 overlaps (MaxRangeOverlaps) or 20 reversals (MaxRangeReversals). */
    snprintf(v + o, sizeof(v) - o, ",20-20,21-21");
    ck_assert_int_eq(rng(v, 1000), HTTP_RANGE_NONE);
    o = (size_t)snprintf(v, sizeof(v), "bytes=500-500");
    for (int i = 1; i <= 21; i++)
        o += (size_t)snprintf(v + o, sizeof(v) - o, ",%d-%d", 500 - i, 500 - i);
    ck_assert_int_eq(rng(v, 1000), HTTP_RANGE_NONE);
    /* Ranges that add up to more than the file (they overlap, not one after the other). */
    ck_assert_int_eq(rng("bytes=0-59,70-79,10-19", 100), HTTP_RANGE_MULTI);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(rng("bytes=0-59,70-79,10-69", 100), HTTP_RANGE_NONE);
}
END_TEST

START_TEST(configured_limits)
{
    struct http_str two = {"bytes=0-1,5-6", 13}, overlap = {"bytes=0-1,1-2", 13},
                    reversal = {"bytes=5-6,4-4", 13};
    /* MaxRanges 1: two ranges are the whole file; MaxRanges unlimited: more than 200. */
    struct http_range_limits lim = {1, -1, -1};
    ck_assert_int_eq(http_range_parse(two, 100, out, HTTP_MAX_RANGES, &n, &lim), HTTP_RANGE_NONE);
    lim.ranges = 2;
    ck_assert_int_eq(http_range_parse(two, 100, out, HTTP_MAX_RANGES, &n, &lim), HTTP_RANGE_MULTI);
    /* MaxRangeOverlaps none: any overlap gives the whole file; so does a reversal with
     * MaxRangeReversals none. */
    lim = (struct http_range_limits){-1, 0, -1};
    ck_assert_int_eq(http_range_parse(overlap, 100, out, HTTP_MAX_RANGES, &n, &lim),
                     HTTP_RANGE_NONE);
    lim = (struct http_range_limits){-1, -1, 0};
    ck_assert_int_eq(http_range_parse(reversal, 100, out, HTTP_MAX_RANGES, &n, &lim),
                     HTTP_RANGE_NONE);
    lim = (struct http_range_limits){-1, -1, -1};
    ck_assert_int_eq(http_range_parse(reversal, 100, out, HTTP_MAX_RANGES, &n, &lim),
                     HTTP_RANGE_SINGLE);
    /* The directory settings give these limits (unset: httpd's defaults). */
    struct http_dir_conf dc;
    memset(&dc, 0, sizeof(dc));
    lim = http_range_limits_of(&dc);
    ck_assert_int_eq(lim.ranges, 200);
    ck_assert_int_eq(lim.overlaps, 20);
    ck_assert_int_eq(lim.reversals, 20);
    dc.max_ranges = HTTP_LIMIT_NONE;
    dc.max_overlaps = HTTP_LIMIT_UNLIMITED;
    dc.max_reversals = 3;
    lim = http_range_limits_of(&dc);
    ck_assert_int_eq(lim.ranges, 0);
    ck_assert_int_eq(lim.overlaps, -1);
    ck_assert_int_eq(lim.reversals, 3);
    dc.max_ranges = HTTP_LIMIT_DEFAULT;
    ck_assert_int_eq(http_range_limits_of(&dc).ranges, 200);
    /* Room enough for every spec of a header. */
    struct http_str three = {"bytes=1-1, 2-2,3-3", 18};
    ck_assert_uint_eq(http_range_count_max(three), 3);
}
END_TEST

/* The body a client receives for pl over a file holding data. */
static size_t render(const struct http_plan *pl, const char *data, char *body, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < pl->n_parts; i++) {
        const char *h = pl->parts[i].head;
        size_t hn = pl->parts[i].head_len;
        if (i == 0) {
            ck_assert(hn > pl->head_len && memcmp(h, pl->head, pl->head_len) == 0);
            h += pl->head_len;
            hn -= pl->head_len;
        }
        ck_assert(o + hn + pl->parts[i].length < size);
        memcpy(body + o, h, hn);
        o += hn;
        memcpy(body + o, data + pl->parts[i].offset, (size_t)pl->parts[i].length);
        o += (size_t)pl->parts[i].length;
    }
    ck_assert(o + pl->tail_len < size);
    memcpy(body + o, pl->tail, pl->tail_len);
    o += pl->tail_len;
    body[o] = '\0';
    return o;
}

START_TEST(multipart_body_shape)
{
    const char *data = "abcdefghijklmnopqrstuvwxyz";
    struct http_range r[2] = {{2, 3}, {20, 6}};
    struct http_plan pl;
    memset(&pl, 0, sizeof(pl));
    pl.file = INVALID_HANDLE_VALUE;
    strcpy(pl.head_buf, "HTTP/1.1 206 Partial Content\r\n\r\n");
    pl.head = pl.head_buf;
    pl.head_len = strlen(pl.head_buf);
    ck_assert_int_eq(http_byteranges_plan(&pl, r, 2, 26, "text/plain", "B0UND"), 0);
    ck_assert_uint_eq(pl.n_parts, 2);
    char body[1024];
    size_t len = render(&pl, data, body, sizeof(body));
    ck_assert_str_eq(body, "\r\n--B0UND\r\nContent-Type: text/plain\r\n"
                           "Content-Range: bytes 2-4/26\r\n\r\ncde"
                           "\r\n--B0UND\r\nContent-Type: text/plain\r\n"
                           "Content-Range: bytes 20-25/26\r\n\r\nuvwxyz"
                           "\r\n--B0UND--\r\n");
    ck_assert_uint_eq(http_byteranges_length(r, 2, 26, "text/plain", "B0UND"), len);
    http_plan_release(&pl);
    ck_assert_ptr_null(pl.parts);
    /* No Content-Type for the file: none in the parts either. */
    ck_assert_int_eq(http_byteranges_plan(&pl, r, 2, 26, NULL, "B0UND"), 0);
    len = render(&pl, data, body, sizeof(body));
    ck_assert_str_eq(body, "\r\n--B0UND\r\nContent-Range: bytes 2-4/26\r\n\r\ncde"
                           "\r\n--B0UND\r\nContent-Range: bytes 20-25/26\r\n\r\nuvwxyz"
                           "\r\n--B0UND--\r\n");
    ck_assert_uint_eq(http_byteranges_length(r, 2, 26, NULL, "B0UND"), len);
    http_plan_release(&pl);
}
END_TEST

START_TEST(boundary_is_a_token)
{
    char b[HTTP_BOUNDARY_MAX];
    http_byteranges_boundary(b);
    ck_assert_uint_gt(strlen(b), 8);
    for (const char *p = b; *p; p++)
        ck_assert_msg((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'), "%s", b);
}
END_TEST

NTT_MAIN(several_in_request_order, configured_limits, overlapping_and_adjacent_merge,
         unsatisfiable_dropped, zero_dash_is_the_whole, limits_give_the_whole_file,
         multipart_body_shape, boundary_is_a_token)
