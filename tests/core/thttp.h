/* Shared helpers of the HTTP unit tests: parse a literal request, plan a response from a config. */
#ifndef NTT_THTTP_H
#define NTT_THTTP_H

#include "tcore.h"
#include "http_int.h"

/* Parse text (one call, the whole buffer) on a fresh connection with conf's limits. */
static inline enum http_parse_result tparse_conf(const struct server_config *conf, const char *text,
                                                 struct http_request *req)
{
    static struct http_conn hc;
    http_conn_init(&hc);
    return http_parse_request(&hc, conf, text, strlen(text), 65536, req);
}

static inline enum http_parse_result tparse(const char *text, struct http_request *req)
{
    return tparse_conf(NULL, text, req);
}

/* A slice as a NUL-terminated string (static rotating buffers). */
static inline const char *tstr(struct http_str s)
{
    static char bufs[8][1024];
    static unsigned i;
    char *b = bufs[i++ % 8];
    if (s.p == NULL)
        return "(null)";
    snprintf(b, sizeof(bufs[0]), "%.*s", (int)s.n, s.p);
    return b;
}

/* The value of header name in a plan's head ("" when absent). */
static inline const char *thead(const struct http_plan *pl, const char *name)
{
    static char buf[4][1024];
    static unsigned i;
    char *b = buf[i++ % 4];
    b[0] = '\0';
    char pat[128];
    snprintf(pat, sizeof(pat), "\r\n%s: ", name);
    const char *h = strstr(pl->head, pat);
    if (h == NULL)
        return b;
    h += strlen(pat);
    const char *e = strstr(h, "\r\n");
    snprintf(b, sizeof(buf[0]), "%.*s", (int)(e - h), h);
    return b;
}

/* Register the HTTP modules once (every test program that applies configs with them). */
static inline void tregister(void)
{
    http_register_modules();
}

#endif
