/* URL paths to files: decoding, dot segments, DocumentRoot mapping, index files and listings. */
#include "http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decode and normalise a URL path. Rejections follow httpd: a bad escape or ".." above the root
 * is 400; %00 and (AllowEncodedSlashes Off) %2F are 404. Backslashes, ':' and segments ending in
 * '.' or ' ' are 404 too: Win32 path syntax would give them meanings (parent directories, streams,
 * a trailing dot dropped) that could step around <Location> or DocumentRoot. */
int http_path_decode(const char *p, size_t n, int allow_encoded_slashes, char *out, size_t size)
{
    if (n == 0 || p[0] != '/')
        return 400;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)p[i];
        int encoded = 0;
        if (c == '%') {
            if (i + 2 >= n)
                return 400;
            int hi = http_hexval((unsigned char)p[i + 1]),
                lo = http_hexval((unsigned char)p[i + 2]);
            if (hi < 0 || lo < 0)
                return 400;
            c = hi * 16 + lo;
            i += 2;
            encoded = 1;
        }
        if (c == 0)
            return 404;
        if (encoded && c == '/') {
            if (allow_encoded_slashes == 0)
                return 404;
            if (allow_encoded_slashes == 2) {
                /* NoDecode: keep "%2F" as it came. */
                if (o + 3 >= size)
                    return 414;
                memcpy(out + o, p + i - 2, 3);
                o += 3;
                continue;
            }
        }
        if (c == '\\' || c == ':' || c < 0x20 || c == 0x7f)
            return 404;
        if (o + 1 >= size)
            return 414;
        /* MergeSlashes: "//" is "/". */
        if (c == '/' && o > 0 && out[o - 1] == '/')
            continue;
        out[o++] = (char)c;
    }
    out[o] = '\0';

    /* Remove dot segments (RFC 3986 5.2.4) in place; out always starts with '/'. */
    size_t r = 0, w = 0;
    while (r < o) {
        /* out[r] == '/' here: look at the segment after it. */
        size_t s = r + 1, e = s;
        while (e < o && out[e] != '/')
            e++;
        size_t len = e - s;
        int last = e >= o;
        if (len == 1 && out[s] == '.') {
            if (last)
                out[w++] = '/';
        } else if (len == 2 && out[s] == '.' && out[s + 1] == '.') {
            if (w == 0)
                return 400; /* above the root */
            while (w > 0 && out[w - 1] != '/')
                w--;
            if (w > 0)
                w--; /* drop the slash before the removed segment too */
            if (last)
                out[w++] = '/';
        } else {
            if (len > 0 && (out[e - 1] == '.' || out[e - 1] == ' '))
                return 404;
            memmove(out + w, out + r, e - r);
            w += e - r;
        }
        r = e;
    }
    if (w == 0)
        out[w++] = '/';
    out[w] = '\0';
    return 0;
}

/* ---- directory listings (Options Indexes) ----------------------------------------------- */

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_href(struct http_buf *b, const char *name)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
            strchr("-._~/", *c) != NULL) {
            http_buf_add(b, (const char *)c, 1);
        } else {
            char e[3] = {'%', hex[*c >> 4], hex[*c & 15]};
            http_buf_add(b, e, 3);
        }
    }
}

/* httpd's plain mod_autoindex page. 0, or -1 when the directory cannot be read. */
int http_listing(const char *dir, const char *url_path, struct http_buf *b)
{
    size_t dn = strlen(dir);
    char *pattern = malloc(dn + 3);
    if (pattern == NULL)
        return -1;
    memcpy(pattern, dir, dn);
    memcpy(pattern + dn, "/*", 3);
    WIN32_FIND_DATAA fd;
    HANDLE h = FindFirstFileA(pattern, &fd);
    free(pattern);
    if (h == INVALID_HANDLE_VALUE)
        return -1;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int failed = 0;
    do {
        const char *nm = fd.cFileName;
        if (nm[0] == '.' && (nm[1] == '\0' || nm[1] == '.' || strcmp(nm, ".htaccess") == 0))
            continue; /* ".", "..", and hidden dot files as httpd's IndexIgnore default */
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 32;
            char **g = realloc(names, nc * sizeof(*g));
            if (g == NULL) {
                failed = 1;
                break;
            }
            names = g;
            cap = nc;
        }
        size_t ln = strlen(nm);
        int is_dir = (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
        char *copy = malloc(ln + 2);
        if (copy == NULL) {
            failed = 1;
            break;
        }
        memcpy(copy, nm, ln);
        copy[ln] = is_dir ? '/' : '\0';
        copy[ln + 1] = '\0';
        names[n++] = copy;
    } while (FindNextFileA(h, &fd));
    FindClose(h);
    if (!failed) {
        qsort(names, n, sizeof(*names), cmp_names);
        http_buf_adds(b, "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<html>\n "
                         "<head>\n  <title>Index of ");
        http_buf_add_html(b, url_path);
        http_buf_adds(b, "</title>\n </head>\n <body>\n<h1>Index of ");
        http_buf_add_html(b, url_path);
        http_buf_adds(b, "</h1>\n<ul>");
        if (strcmp(url_path, "/") != 0)
            http_buf_adds(b, "<li><a href=\"../\"> Parent Directory</a></li>\n");
        for (size_t i = 0; i < n; i++) {
            http_buf_adds(b, "<li><a href=\"");
            add_href(b, names[i]);
            http_buf_adds(b, "\"> ");
            http_buf_add_html(b, names[i]);
            http_buf_adds(b, "</a></li>\n");
        }
        http_buf_adds(b, "</ul>\n</body></html>\n");
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return failed || b->failed ? -1 : 0;
}
