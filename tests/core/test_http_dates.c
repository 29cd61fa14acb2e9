/* HTTP dates: IMF-fixdate out; the three accepted forms in (RFC 9110 5.6.7); CLF's %t. */
#include "thttp.h"

START_TEST(format)
{
    char d[HTTP_DATE_LEN];
    http_date_format(784111777, d);
    ck_assert_str_eq(d, "Sun, 06 Nov 1994 08:49:37 GMT");
    http_date_format(0, d);
    ck_assert_str_eq(d, "Thu, 01 Jan 1970 00:00:00 GMT");
    http_date_format(951782400, d); /* a leap day */
    ck_assert_str_eq(d, "Tue, 29 Feb 2000 00:00:00 GMT");
    http_date_format(4102444799, d);
    ck_assert_str_eq(d, "Thu, 31 Dec 2099 23:59:59 GMT");
}
END_TEST

static int64_t parse(const char *s)
{
    int64_t t = -12345;
    if (http_date_parse(s, strlen(s), &t) != 0)
        return -1;
    return t;
}

START_TEST(parse_forms)
{
    ck_assert_int_eq(parse("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
    ck_assert_int_eq(parse("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
    ck_assert_int_eq(parse("Sun Nov  6 08:49:37 1994"), 784111777);
    ck_assert_int_eq(parse("Sun Nov 16 08:49:37 1994"), 784111777 + 10 * 86400);
    ck_assert_int_eq(parse("  Sun, 06 Nov 1994 08:49:37 GMT "), 784111777);
    ck_assert_int_eq(parse("Tue, 29 Feb 2000 00:00:00 GMT"), 951782400);
}
END_TEST

START_TEST(parse_rejects)
{
    ck_assert_int_eq(parse(""), -1);
    ck_assert_int_eq(parse("yesterday"), -1);
    ck_assert_int_eq(parse("Sun, 06 Nov 1994 08:49:37 UTC"), -1);
    ck_assert_int_eq(parse("Sun, 6 Nov 1994 08:49:37 GMT"), -1);
    ck_assert_int_eq(parse("Sun, 06 Foo 1994 08:49:37 GMT"), -1);
    ck_assert_int_eq(parse("Sun, 06 Nov 1994 24:49:37 GMT"), -1);
    ck_assert_int_eq(parse("Sun, 31 Nov 1994 08:49:37 GMT"), -1);
    ck_assert_int_eq(parse("Mon, 29 Feb 1900 00:00:00 GMT"), -1);
    ck_assert_int_eq(parse("Sun, 06 Nov 1994 08:49:37 GMT x"), -1);
    ck_assert_int_eq(parse("Funday, 06-Nov-94 08:49:37 GMT"), -1);
    ck_assert_int_eq(parse("Sun Nov  6 08:49:37"), -1);
}
END_TEST

START_TEST(roundtrip_and_gmtime)
{
    for (int64_t t = 0; t < 5000000000LL; t += 86399 * 37 + 11) {
        char d[HTTP_DATE_LEN];
        http_date_format(t, d);
        ck_assert_int_eq(parse(d), t);
        struct http_tm tm;
        http_gmtime(t, &tm);
        ck_assert_int_eq(http_timegm(&tm), t);
    }
}
END_TEST

START_TEST(clf_time)
{
    char buf[64];
    size_t n = http_clf_time(784111777, buf, sizeof(buf));
    ck_assert_uint_eq(n, strlen(buf));
    /* [06/Nov/1994:08:49:37 +0000] shape, in local time with its offset. */
    ck_assert_uint_eq(n, 28);
    ck_assert(buf[0] == '[' && buf[3] == '/' && buf[7] == '/' && buf[12] == ':' && buf[21] == ' ');
    ck_assert(buf[22] == '+' || buf[22] == '-');
    ck_assert(buf[27] == ']');
    long off = http_local_offset(784111777);
    struct http_tm tm;
    http_gmtime(784111777 + off, &tm);
    char expect[64];
    snprintf(expect, sizeof(expect), "[%02d/Nov/1994:%02d:%02d:%02d", tm.mday, tm.hour, tm.min,
             tm.sec);
    ck_assert_int_eq(strncmp(buf, expect, strlen(expect)), 0);
}
END_TEST

NTT_MAIN(format, parse_forms, parse_rejects, roundtrip_and_gmtime, clf_time)
