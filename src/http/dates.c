/* HTTP dates: IMF-fixdate out; IMF-fixdate, rfc850 and asctime in (RFC 9110 5.6.7); CLF's %t. */
#include "http_int.h"
#include "localtime.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char wdays[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
#define FT_UNIX_EPOCH 116444736000000000ull /* 1970-01-01 in 100 ns units since 1601 */

int64_t http_ft_to_unix(uint64_t ft)
{
    return ((int64_t)ft - (int64_t)FT_UNIX_EPOCH) / 10000000;
}

uint64_t http_unix_to_ft(int64_t t)
{
    return (uint64_t)(t * 10000000 + (int64_t)FT_UNIX_EPOCH);
}

uint64_t http_now_ft(void)
{
    FILETIME f;
    GetSystemTimeAsFileTime(&f);
    return ((uint64_t)f.dwHighDateTime << 32) | f.dwLowDateTime;
}

/* Days since 1970-01-01 <-> civil date (H. Hinnant's public-domain algorithms). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void http_gmtime(int64_t t, struct http_tm *tm)
{
    int64_t days = t / 86400, s = t % 86400;
    if (s < 0) {
        s += 86400;
        days--;
    }
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    tm->year = (int)(yoe + era * 400 + (m <= 2));
    tm->mon = m - 1;
    tm->mday = d;
    tm->hour = (int)(s / 3600);
    tm->min = (int)(s / 60 % 60);
    tm->sec = (int)(s % 60);
    tm->wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
}

int64_t http_timegm(const struct http_tm *tm)
{
    return days_from_civil(tm->year, tm->mon + 1, tm->mday) * 86400 + tm->hour * 3600 +
           tm->min * 60 + tm->sec;
}

void http_date_format(int64_t t, char out[HTTP_DATE_LEN])
{
    struct http_tm tm;
    http_gmtime(t, &tm);
    snprintf(out, HTTP_DATE_LEN, "%s, %02d %s %04d %02d:%02d:%02d GMT", wdays[tm.wday], tm.mday,
             months[tm.mon], tm.year % 10000, tm.hour, tm.min, tm.sec);
}

/* ---- parsing ------------------------------------------------------------------------------ */

struct cur {
    const char *p, *end;
};

static int lit(struct cur *c, const char *s)
{
    size_t n = strlen(s);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
        return -1;
    c->p += n;
    return 0;
}

/* Exactly n digits (n > 0), or 1..n digits when flexible. */
static int digits(struct cur *c, int n, int flexible, int *v)
{
    int k = 0, x = 0;
    while (k < n && c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        x = x * 10 + (*c->p++ - '0');
        k++;
    }
    if (k == 0 || (!flexible && k != n))
        return -1;
    *v = x;
    return 0;
}

static int name_of(struct cur *c, const char (*names)[4], int count, int *v)
{
    if (c->end - c->p < 3)
        return -1;
    for (int i = 0; i < count; i++)
        if (memcmp(c->p, names[i], 3) == 0) {
            c->p += 3;
            *v = i;
            return 0;
        }
    return -1;
}

static int hms(struct cur *c, struct http_tm *tm)
{
    if (digits(c, 2, 0, &tm->hour) || lit(c, ":") || digits(c, 2, 0, &tm->min) || lit(c, ":") ||
        digits(c, 2, 0, &tm->sec))
        return -1;
    return 0;
}

static int valid(const struct http_tm *tm)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (tm->mday < 1 || tm->mday > mdays[tm->mon] || tm->hour > 23 || tm->min > 59 || tm->sec > 60)
        return 0;
    if (tm->mon == 1 && tm->mday == 29) {
        int y = tm->year;
        if (!(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
            return 0;
    }
    return 1;
}

static const char long_days[7][10] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                      "Thursday", "Friday", "Saturday"};

int http_date_parse(const char *s, size_t n, int64_t *t)
{
    struct cur c = {s, s + n};
    struct http_tm tm = {0};
    int wd, yy;
    while (c.p < c.end && (*c.p == ' ' || *c.p == '\t'))
        c.p++;
    while (c.end > c.p && (c.end[-1] == ' ' || c.end[-1] == '\t'))
        c.end--;
    const char *comma = memchr(c.p, ',', (size_t)(c.end - c.p));
    if (comma != NULL && comma - c.p == 3) {
        /* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
        if (name_of(&c, wdays, 7, &wd) || lit(&c, ", ") || digits(&c, 2, 0, &tm.mday) ||
            lit(&c, " ") || name_of(&c, months, 12, &tm.mon) || lit(&c, " ") ||
            digits(&c, 4, 0, &tm.year) || lit(&c, " ") || hms(&c, &tm) || lit(&c, " GMT"))
            return -1;
    } else if (comma != NULL) {
        /* rfc850: Sunday, 06-Nov-94 08:49:37 GMT */
        size_t dn = (size_t)(comma - c.p);
        int found = 0;
        for (int i = 0; i < 7; i++)
            found |= strlen(long_days[i]) == dn && memcmp(c.p, long_days[i], dn) == 0;
        if (!found)
            return -1;
        c.p = comma;
        if (lit(&c, ", ") || digits(&c, 2, 0, &tm.mday) || lit(&c, "-") ||
            name_of(&c, months, 12, &tm.mon) || lit(&c, "-") || digits(&c, 2, 0, &yy) ||
            lit(&c, " ") || hms(&c, &tm) || lit(&c, " GMT"))
            return -1;
        /* Two-digit years: RFC 9110 5.6.7 says more than 50 years ahead means the past century. */
        struct http_tm now;
        http_gmtime(http_ft_to_unix(http_now_ft()), &now);
        tm.year = now.year / 100 * 100 + yy;
        if (tm.year > now.year + 50)
            tm.year -= 100;
    } else {
        /* asctime: Sun Nov  6 08:49:37 1994 */
        if (name_of(&c, wdays, 7, &wd) || lit(&c, " ") || name_of(&c, months, 12, &tm.mon) ||
            lit(&c, " "))
            return -1;
        if (c.p < c.end && *c.p == ' ')
            c.p++;
        if (digits(&c, 2, 1, &tm.mday) || lit(&c, " ") || hms(&c, &tm) || lit(&c, " ") ||
            digits(&c, 4, 0, &tm.year))
            return -1;
    }
    if (c.p != c.end || !valid(&tm))
        return -1;
    if (tm.sec == 60)
        tm.sec = 59;
    *t = http_timegm(&tm);
    return 0;
}

/* ---- local time for the access log ------------------------------------------------------- */

/* The offset of the last second asked for: httpd works %t out per request, cached per second.
 * A second that changes costs one localtime (which may read the zone file); every other request
 * of that second costs a shared lock. */
static SRWLOCK tz_lock = SRWLOCK_INIT;
static int64_t tz_second = INT64_MIN;
static long tz_offset;

long http_local_offset(int64_t t)
{
    AcquireSRWLockShared(&tz_lock);
    int hit = tz_second == t;
    long off = tz_offset;
    ReleaseSRWLockShared(&tz_lock);
    if (hit)
        return off;
    /* Standard C only: localtime's fields against the UTC ones (under the process's one
     * localtime lock, which the error log takes too). */
    struct tm lt;
    off = 0;
    if (ntmpm_localtime(t, &lt) == 0) {
        struct http_tm l = {lt.tm_year + 1900, lt.tm_mon, lt.tm_mday, lt.tm_hour,
                            lt.tm_min,         lt.tm_sec, 0};
        off = (long)(http_timegm(&l) - t);
    }
    AcquireSRWLockExclusive(&tz_lock);
    tz_second = t;
    tz_offset = off;
    ReleaseSRWLockExclusive(&tz_lock);
    return off;
}

size_t http_clf_time(int64_t t, char *out, size_t size)
{
    long off = http_local_offset(t);
    struct http_tm tm;
    http_gmtime(t + off, &tm);
    char sign = off < 0 ? '-' : '+';
    long a = off < 0 ? -off : off;
    int n = snprintf(out, size, "[%02d/%s/%04d:%02d:%02d:%02d %c%02ld%02ld]", tm.mday,
                     months[tm.mon], tm.year, tm.hour, tm.min, tm.sec, sign, a / 3600, a / 60 % 60);
    return n < 0 ? 0 : (size_t)n >= size ? size - 1 : (size_t)n;
}
