/* Range requests: the byte ranges of a Range header, merged and limited as httpd 2.4 does. */
#include "http_int.h"

#include <string.h>

struct spec {
    int suffix;           /* "-N" */
    uint64_t first, last; /* last == UINT64_MAX: open ("N-") */
};

static const char *ows(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

static const char *number(const char *p, const char *end, uint64_t *v, int *ok)
{
    uint64_t x = 0;
    int digits = 0;
    while (p < end && *p >= '0' && *p <= '9') {
        if (++digits > 18) {
            *ok = 0;
            return p;
        }
        x = x * 10 + (uint64_t)(*p++ - '0');
    }
    *ok = digits > 0;
    *v = x;
    return p;
}

/* One range-spec ending at ',' or end. 0, or -1 when malformed. */
static int one_spec(const char **pp, const char *end, struct spec *s)
{
    const char *p = ows(*pp, end);
    int ok;
    memset(s, 0, sizeof(*s));
    if (p < end && *p == '-') {
        s->suffix = 1;
        p = number(p + 1, end, &s->last, &ok);
        if (!ok)
            return -1;
    } else {
        p = number(p, end, &s->first, &ok);
        if (!ok || p == end || *p != '-')
            return -1;
        p++;
        if (p < end && *p >= '0' && *p <= '9') {
            p = number(p, end, &s->last, &ok);
            if (!ok || s->last < s->first)
                return -1;
        } else {
            s->last = UINT64_MAX;
        }
    }
    p = ows(p, end);
    if (p < end && *p != ',')
        return -1;
    *pp = p < end ? p + 1 : p;
    return 0;
}

/* The bytes s asks of a len-byte representation: 0 and [*first, *last], or -1 (unsatisfiable). */
static int resolve(const struct spec *s, uint64_t len, uint64_t *first, uint64_t *last)
{
    if (s->suffix) {
        if (s->last == 0 || len == 0)
            return -1;
        *first = s->last < len ? len - s->last : 0;
    } else {
        if (s->first >= len)
            return -1;
        *first = s->first;
    }
    *last = s->suffix || s->last >= len ? len - 1 : s->last;
    return 0;
}

/*
 * httpd's byterange filter (2.4) merges as it reads: a range that overlaps or touches the run
 * being built joins it (an "overlap"; joining it from below is also a "reversal"), any other range
 * closes the run and starts the next. Ranges are not sorted, so "0-1,5-6,2-3" stays three parts.
 * "0-" anywhere stands for the whole representation and ends the set.
 */
struct merge {
    struct http_range *out;
    size_t max, n; /* runs closed so far (stored while n < max) */
    int open;      /* a run is being built */
    uint64_t first, last;
    uint64_t sum; /* bytes of the closed runs */
    unsigned overlaps, reversals;
};

static void close_run(struct merge *m)
{
    if (m->n < m->max)
        m->out[m->n] = (struct http_range){m->first, m->last - m->first + 1};
    m->n++;
    m->sum += m->last - m->first + 1;
    m->open = 0;
}

static void add_range(struct merge *m, uint64_t first, uint64_t last)
{
    if (m->open) {
        int joined = first >= m->first && last <= m->last;
        if (first < m->first && last + 1 >= m->first) {
            m->first = first;
            m->reversals++;
            joined = 1;
        }
        if (last >= m->last && first <= m->last + 1) {
            m->last = last;
            joined = 1;
        }
        if (joined) {
            m->overlaps++;
            return;
        }
        close_run(m);
    }
    m->first = first;
    m->last = last;
    m->open = 1;
}

static long limit_of(long set, long dflt)
{
    if (set == HTTP_LIMIT_UNSET || set == HTTP_LIMIT_DEFAULT)
        return dflt;
    if (set == HTTP_LIMIT_NONE)
        return 0;
    if (set == HTTP_LIMIT_UNLIMITED)
        return -1;
    return set;
}

struct http_range_limits http_range_limits_of(const struct http_dir_conf *dc)
{
    static const struct http_dir_conf unset;
    if (dc == NULL)
        dc = &unset;
    struct http_range_limits l = {limit_of(dc->max_ranges, HTTP_MAX_RANGES),
                                  limit_of(dc->max_overlaps, HTTP_MAX_RANGE_OVERLAPS),
                                  limit_of(dc->max_reversals, HTTP_MAX_RANGE_REVERSALS)};
    return l;
}

size_t http_range_count_max(struct http_str range)
{
    size_t n = 1;
    for (size_t i = 0; i < range.n; i++)
        n += range.p[i] == ',';
    return n;
}

static int over(uint64_t count, long limit)
{
    return limit >= 0 && count > (uint64_t)limit;
}

enum http_range_kind http_range_parse(struct http_str range, uint64_t len, struct http_range *out,
                                      size_t max, size_t *n, const struct http_range_limits *lim)
{
    static const struct http_range_limits defaults = {HTTP_MAX_RANGES, HTTP_MAX_RANGE_OVERLAPS,
                                                      HTTP_MAX_RANGE_REVERSALS};
    if (lim == NULL)
        lim = &defaults;
    *n = 0;
    if (range.p == NULL || range.n < 6 || !http_ieq(range.p, 6, "bytes="))
        return HTTP_RANGE_NONE; /* other units are ignored (RFC 9110 14.2) */
    const char *p = range.p + 6, *end = range.p + range.n;
    struct merge m = {out, max, 0, 0, 0, 0, 0, 0, 0};
    struct spec s;
    int specs = 0;
    while (ows(p, end) < end) {
        if (one_spec(&p, end, &s) != 0)
            return HTTP_RANGE_NONE; /* an invalid set is ignored as a whole */
        specs++;
        uint64_t first, last;
        if (resolve(&s, len, &first, &last) != 0)
            continue; /* unsatisfiable ones are dropped */
        if (!s.suffix && s.first == 0 && s.last == UINT64_MAX) {
            m.n = m.sum = 0; /* "0-": the whole representation, as one range */
            m.first = 0;
            m.last = len - 1;
            m.open = 1;
            break;
        }
        add_range(&m, first, last);
    }
    if (specs == 0)
        return HTTP_RANGE_NONE;
    if (m.open)
        close_run(&m);
    if (m.n == 0)
        return HTTP_RANGE_UNSATISFIABLE;
    /* Limits against ranges that would cost more than the whole file: httpd answers 200. */
    if (m.sum > len || m.n > max || over(m.n, lim->ranges) || over(m.overlaps, lim->overlaps) ||
        over(m.reversals, lim->reversals))
        return HTTP_RANGE_NONE;
    *n = m.n;
    return m.n == 1 ? HTTP_RANGE_SINGLE : HTTP_RANGE_MULTI;
}
