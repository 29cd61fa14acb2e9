/* Validators and preconditions: httpd's ETag form and RFC 9110 13.2.2's evaluation order. */
#include "http_int.h"

#include <stdio.h>
#include <string.h>

size_t http_etag_make(unsigned flags, uint64_t size, uint64_t mtime_us, uint64_t inode, char *out,
                      size_t outsize)
{
    /* httpd: the enabled parts in the order inode, size, mtime, hex, joined by '-'. */
    char tmp[80];
    size_t n = 0;
    tmp[n++] = '"';
    int first = 1;
    if (flags & HTTP_ETAG_INODE) {
        n += (size_t)snprintf(tmp + n, sizeof(tmp) - n, "%llx", (unsigned long long)inode);
        first = 0;
    }
    if (flags & HTTP_ETAG_SIZE) {
        n += (size_t)snprintf(tmp + n, sizeof(tmp) - n, "%s%llx", first ? "" : "-",
                              (unsigned long long)size);
        first = 0;
    }
    if (flags & HTTP_ETAG_MTIME) {
        n += (size_t)snprintf(tmp + n, sizeof(tmp) - n, "%s%llx", first ? "" : "-",
                              (unsigned long long)mtime_us);
        first = 0;
    }
    if (first || n + 2 > outsize)
        return 0;
    tmp[n++] = '"';
    memcpy(out, tmp, n);
    out[n] = '\0';
    return n;
}

/* Walk an If-Match / If-None-Match list: 1 when one entity-tag matches etag ("*" matches any
 * current representation). strong: both must be strong (If-Match, If-Range). */
static int etag_list_matches(struct http_str list, const char *etag, int strong)
{
    const char *p = list.p, *end = p + list.n;
    int etag_weak = etag[0] == 'W';
    const char *opaque = etag_weak ? etag + 2 : etag;
    size_t on = strlen(opaque);
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
            p++;
        if (p == end)
            break;
        if (*p == '*')
            return etag[0] != '\0';
        int weak = 0;
        if (end - p >= 2 && p[0] == 'W' && p[1] == '/') {
            weak = 1;
            p += 2;
        }
        if (p == end || *p != '"')
            return 0; /* malformed: nothing matches */
        const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));
        if (q == NULL)
            return 0;
        size_t tn = (size_t)(q + 1 - p);
        if (tn == on && memcmp(p, opaque, on) == 0 && (!strong || (!weak && !etag_weak)))
            return 1;
        p = q + 1;
    }
    return 0;
}

int http_conditional(const struct http_request *req, const char *etag, int64_t mtime)
{
    int get_or_head = req->m == HTTP_M_GET || req->m == HTTP_M_HEAD;
    int64_t t;
    /* 1. If-Match, else 2. If-Unmodified-Since. */
    if (req->if_match.p != NULL) {
        if (!etag_list_matches(req->if_match, etag, 1))
            return 412;
    } else if (req->if_unmodified_since.p != NULL &&
               http_date_parse(req->if_unmodified_since.p, req->if_unmodified_since.n, &t) == 0) {
        if (mtime > t)
            return 412;
    }
    /* 3. If-None-Match, else 4. If-Modified-Since (GET and HEAD only). */
    if (req->if_none_match.p != NULL) {
        if (etag_list_matches(req->if_none_match, etag, 0))
            return get_or_head ? 304 : 412;
    } else if (get_or_head && req->if_modified_since.p != NULL &&
               http_date_parse(req->if_modified_since.p, req->if_modified_since.n, &t) == 0) {
        /* A date later than now is not a valid validator (RFC 7232 3.3's rule, kept by httpd). */
        if (t <= http_ft_to_unix(http_now_ft()) && mtime <= t)
            return 304;
    }
    return 0;
}

int http_if_range_ok(const struct http_request *req, const char *etag, int64_t mtime)
{
    if (req->if_range.p == NULL)
        return 1;
    const char *v = req->if_range.p;
    size_t n = req->if_range.n;
    if (n > 0 && (v[0] == '"' || (n > 1 && v[0] == 'W' && v[1] == '/')))
        return etag_list_matches(req->if_range, etag, 1);
    int64_t t;
    /* A date must equal Last-Modified exactly (RFC 9110 13.1.5). */
    return http_date_parse(v, n, &t) == 0 && t == mtime;
}
