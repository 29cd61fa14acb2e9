/* multipart/byteranges bodies: the boundary and part headers sent between a file's ranges. */
#include "http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void http_byteranges_boundary(char out[HTTP_BOUNDARY_MAX])
{
    uint64_t ft = http_now_ft();
    uint64_t us = ft >= 116444736000000000ull ? (ft - 116444736000000000ull) / 10 : 0;
    snprintf(out, HTTP_BOUNDARY_MAX, "%llx%lx", (unsigned long long)us,
             (unsigned long)GetCurrentProcessId());
}

/* Part i's head into out (size 0: only measure). Its length. */
static size_t part_head(char *out, size_t size, const struct http_range *r, uint64_t len,
                        const char *type, const char *boundary)
{
    int k = snprintf(out, size, "\r\n--%s\r\n%s%s%sContent-Range: bytes %llu-%llu/%llu\r\n\r\n",
                     boundary, type ? "Content-Type: " : "", type ? type : "", type ? "\r\n" : "",
                     (unsigned long long)r->first, (unsigned long long)(r->first + r->count - 1),
                     (unsigned long long)len);
    return k > 0 ? (size_t)k : 0;
}

static size_t tail_text(char *out, size_t size, const char *boundary)
{
    int k = snprintf(out, size, "\r\n--%s--\r\n", boundary);
    return k > 0 ? (size_t)k : 0;
}

uint64_t http_byteranges_length(const struct http_range *r, size_t n, uint64_t len,
                                const char *type, const char *boundary)
{
    uint64_t total = tail_text(NULL, 0, boundary);
    for (size_t i = 0; i < n; i++)
        total += part_head(NULL, 0, &r[i], len, type, boundary) + r[i].count;
    return total;
}

int http_byteranges_plan(struct http_plan *pl, const struct http_range *r, size_t n, uint64_t len,
                         const char *type, const char *boundary)
{
    /* One block: the parts, then the texts (the response head, part heads, the tail). */
    size_t text = pl->head_len + tail_text(NULL, 0, boundary) + 1;
    for (size_t i = 0; i < n; i++)
        text += part_head(NULL, 0, &r[i], len, type, boundary);
    struct http_part *parts = malloc(n * sizeof(*parts) + text);
    if (parts == NULL)
        return -1;
    char *t = (char *)(parts + n), *end = t + text;
    memcpy(t, pl->head, pl->head_len);
    char *h = t;
    t += pl->head_len;
    for (size_t i = 0; i < n; i++) {
        size_t k = part_head(t, (size_t)(end - t), &r[i], len, type, boundary);
        parts[i] = (struct http_part){i == 0 ? h : t, i == 0 ? pl->head_len + k : k, r[i].first,
                                      r[i].count};
        t += k;
    }
    pl->tail = t;
    pl->tail_len = tail_text(t, (size_t)(end - t), boundary);
    pl->parts = parts;
    pl->n_parts = n;
    pl->owned_parts = parts;
    return 0;
}
