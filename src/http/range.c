/* Range requests: one byte range is served (206); several ranges get the whole file (200). */
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

static int satisfiable(const struct spec *s, uint64_t len)
{
    return s->suffix ? s->last > 0 && len > 0 : s->first < len;
}

enum http_range_kind http_range_parse(struct http_str range, uint64_t len, uint64_t *first,
                                      uint64_t *count)
{
    if (range.p == NULL || range.n < 6 || !http_ieq(range.p, 6, "bytes="))
        return HTTP_RANGE_NONE; /* other units are ignored (RFC 9110 14.2) */
    const char *p = range.p + 6, *end = range.p + range.n;
    struct spec s, chosen = {0, 0, 0};
    int n = 0, good = 0;
    while (ows(p, end) < end) {
        if (one_spec(&p, end, &s) != 0)
            return HTTP_RANGE_NONE; /* an invalid set is ignored as a whole */
        if (satisfiable(&s, len)) {
            if (good++ == 0)
                chosen = s;
        }
        n++;
    }
    if (n == 0)
        return HTTP_RANGE_NONE;
    if (good == 0)
        return HTTP_RANGE_UNSATISFIABLE;
    if (n > 1)
        return HTTP_RANGE_NONE; /* several ranges: the whole file, which RFC 9110 14.2 allows */
    if (chosen.suffix) {
        uint64_t k = chosen.last < len ? chosen.last : len;
        *first = len - k;
        *count = k;
    } else {
        uint64_t last = chosen.last >= len ? len - 1 : chosen.last;
        *first = chosen.first;
        *count = last - chosen.first + 1;
    }
    return HTTP_RANGE_SINGLE;
}
