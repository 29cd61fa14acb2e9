/* Small shared helpers of src/http: character classes and a growing text buffer. */
#include "http_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int http_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int http_ieq(const char *a, size_t an, const char *b)
{
    size_t i = 0;
    for (; i < an; i++)
        if (b[i] == '\0' || http_lower((unsigned char)a[i]) != http_lower((unsigned char)b[i]))
            return 0;
    return b[i] == '\0';
}

int http_is_tchar(int c)
{
    /* RFC 9110 5.6.2: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" /
     * "`" / "|" / "~" / DIGIT / ALPHA */
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

int http_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = http_lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int grow(struct http_buf *b, size_t more)
{
    if (b->failed)
        return -1;
    if (b->n + more + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->n + more + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (p == NULL) {
        b->failed = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

void http_buf_add(struct http_buf *b, const char *s, size_t n)
{
    if (grow(b, n) != 0)
        return;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void http_buf_adds(struct http_buf *b, const char *s)
{
    http_buf_add(b, s, strlen(s));
}

void http_buf_addf(struct http_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || grow(b, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

void http_buf_add_html(struct http_buf *b, const char *s)
{
    for (const char *run = s;; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '&':
            rep = "&amp;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\0':
            http_buf_add(b, run, (size_t)(s - run));
            return;
        default:
            continue;
        }
        http_buf_add(b, run, (size_t)(s - run));
        http_buf_adds(b, rep);
        run = s + 1;
    }
}
