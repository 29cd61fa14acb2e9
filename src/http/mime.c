/* Content types: TypesConfig (mime.types format) plus AddType, looked up by file extension. */
#include "http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TYPES_FILE_MAX (16u << 20) /* no sane mime.types is larger */

struct entry {
    struct http_mime_ext e;
    size_t order;
};

static int cmp_entry(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    int c = strcmp(x->e.ext, y->e.ext);
    if (c != 0)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

void http_mime_free(struct http_config *hc)
{
    free(hc->types);
    free(hc->types_text);
    hc->types = NULL;
    hc->types_text = NULL;
    hc->n_types = 0;
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

int http_mime_load_text(struct http_config *hc, const char *text, size_t len)
{
    http_mime_free(hc);
    char *t = malloc(len + 1);
    if (t == NULL)
        return -1;
    memcpy(t, text, len);
    t[len] = '\0';
    /* Count words for an upper bound of entries. */
    size_t cap = hc->n_add_types + 1;
    for (size_t i = 0; i < len; i++)
        cap += is_space((unsigned char)t[i]);
    struct entry *es = malloc(cap * sizeof(*es));
    if (es == NULL) {
        free(t);
        return -1;
    }
    size_t n = 0;
    char *p = t;
    while (*p) {
        char *eol = strchr(p, '\n');
        char *next = eol ? eol + 1 : p + strlen(p);
        if (eol)
            *eol = '\0';
        char *hash = strchr(p, '#');
        if (hash)
            *hash = '\0';
        char *type = NULL;
        for (char *w = p; *w;) {
            while (*w && is_space((unsigned char)*w))
                w++;
            if (!*w)
                break;
            char *s = w;
            while (*w && !is_space((unsigned char)*w))
                w++;
            if (*w)
                *w++ = '\0';
            for (char *c = s; *c; c++)
                *c = (char)http_lower((unsigned char)*c);
            if (type == NULL)
                type = s;
            else if (n < cap) {
                es[n] = (struct entry){{s, type}, n};
                n++;
            }
        }
        p = next;
    }
    /* AddType after the file: it wins. */
    for (size_t i = 0; i < hc->n_add_types && n < cap; i++) {
        es[n] = (struct entry){hc->add_types[i], n};
        n++;
    }
    qsort(es, n, sizeof(*es), cmp_entry);
    /* Keep the last definition of each extension. */
    struct http_mime_ext *out = malloc((n ? n : 1) * sizeof(*out));
    if (out == NULL) {
        free(es);
        free(t);
        return -1;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && strcmp(es[i].e.ext, es[i + 1].e.ext) == 0)
            continue;
        out[m++] = es[i].e;
    }
    free(es);
    hc->types = out;
    hc->n_types = m;
    hc->types_text = t;
    return 0;
}

int http_mime_load_file(struct http_config *hc, const char *path, char *why, size_t whylen)
{
    HANDLE f = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (f == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        snprintf(why, whylen, "%s",
                 e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND
                     ? "No such file or directory"
                 : e == ERROR_ACCESS_DENIED ? "Permission denied"
                                            : "cannot open");
        return -1;
    }
    LARGE_INTEGER size;
    char *buf = NULL;
    DWORD got = 0;
    int rc = -1;
    if (!GetFileSizeEx(f, &size) || size.QuadPart < 0 || size.QuadPart > TYPES_FILE_MAX) {
        snprintf(why, whylen, "cannot read its size, or larger than 16 MiB");
    } else if ((buf = malloc((size_t)size.QuadPart + 1)) == NULL) {
        snprintf(why, whylen, "out of memory");
    } else if (!ReadFile(f, buf, (DWORD)size.QuadPart, &got, NULL)) {
        snprintf(why, whylen, "read error");
    } else if (http_mime_load_text(hc, buf, got) != 0) {
        snprintf(why, whylen, "out of memory");
    } else {
        rc = 0;
    }
    free(buf);
    CloseHandle(f);
    return rc;
}

static const char *find(const struct http_config *hc, const char *ext, size_t n)
{
    char key[64];
    if (n == 0 || n >= sizeof(key))
        return NULL;
    for (size_t i = 0; i < n; i++)
        key[i] = (char)http_lower((unsigned char)ext[i]);
    key[n] = '\0';
    size_t lo = 0, hi = hc->n_types;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(hc->types[mid].ext, key);
        if (c == 0)
            return hc->types[mid].type;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *http_mime_type(const struct http_config *hc, const char *name)
{
    const char *base = name;
    for (const char *c = name; *c; c++)
        if (*c == '/' || *c == '\\')
            base = c + 1;
    /* Every extension counts, left to right, the last known one wins (mod_mime's rule:
     * "page.html.bak" is still text/html). */
    const char *type = NULL;
    const char *dot = strchr(base, '.');
    while (dot != NULL) {
        const char *next = strchr(dot + 1, '.');
        size_t n = next ? (size_t)(next - dot - 1) : strlen(dot + 1);
        const char *t = find(hc, dot + 1, n);
        if (t != NULL)
            type = t;
        dot = next;
    }
    return type ? type : hc->default_type;
}
