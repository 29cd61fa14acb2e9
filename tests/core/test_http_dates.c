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

/* %t's offset is the one at the time asked for, not at the first call: a DST change shows from its
 * first second on, as in httpd (which works it out per request). meson runs this test in US
 * Eastern time (TZ=EST5EDT,M3.2.0,M11.1.0, the rules the Windows CRT applies to any TZ with a
 * daylight name): -5 h in winter, -4 h in summer. */
START_TEST(local_offset_follows_time)
{
    const int64_t winter = 1610712000; /* 2021-01-15 12:00 UTC */
    const int64_t summer = 1626350400; /* 2021-07-15 12:00 UTC */
    const int64_t spring = 1615705200; /* 2021-03-14 07:00 UTC: 02:00 EST becomes 03:00 EDT */
    const int64_t autumn = 1636264800; /* 2021-11-07 06:00 UTC: 02:00 EDT becomes 01:00 EST */
    ck_assert_int_eq(http_local_offset(winter), -18000);
    ck_assert_int_eq(http_local_offset(summer), -14400);
    ck_assert_int_eq(http_local_offset(winter), -18000);
    ck_assert_int_eq(http_local_offset(spring - 1), -18000);
    ck_assert_int_eq(http_local_offset(spring), -14400);
    ck_assert_int_eq(http_local_offset(autumn - 1), -14400);
    ck_assert_int_eq(http_local_offset(autumn), -18000);
    /* The same second again comes from the cache; %t shows the offset of its own time. */
    ck_assert_int_eq(http_local_offset(autumn), -18000);
    char buf[64];
    http_clf_time(summer, buf, sizeof(buf));
    ck_assert_str_eq(buf, "[15/Jul/2021:08:00:00 -0400]");
    http_clf_time(winter, buf, sizeof(buf));
    ck_assert_str_eq(buf, "[15/Jan/2021:07:00:00 -0500]");
}
END_TEST

NTT_MAIN(format, parse_forms, parse_rejects, roundtrip_and_gmtime, clf_time,
         local_offset_follows_time)
