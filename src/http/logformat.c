/* Access logs: mod_log_config's format language, httpd's escaping, one WriteFile per line. */
#include "http_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 16384

/* Directive letters we implement (mod_log_config's, plus mod_logio's %I and %O). */
static const char known[] = "aAbBDhHilmopPqrstTuUvVXIO%";

void http_log_format_free(struct http_log_format *f)
{
    for (size_t i = 0; i < f->n_items; i++)
        free(f->items[i].text);
    free(f->items);
    f->items = NULL;
    f->n_items = 0;
}

static int push(struct http_log_format *f, char kind, char final, const char *text, size_t n)
{
    struct http_log_item *g = realloc(f->items, (f->n_items + 1) * sizeof(*g));
    if (g == NULL)
        return -1;
    f->items = g;
    char *t = malloc(n + 1);
    if (t == NULL)
        return -1;
    memcpy(t, text, n);
    t[n] = '\0';
    g[f->n_items++] = (struct http_log_item){kind, final, t, n};
    return 0;
}

int http_log_compile(const char *format, struct http_log_format *out)
{
    memset(out, 0, sizeof(*out));
    const char *p = format;
    while (*p) {
        if (*p != '%') {
            const char *s = p;
            while (*p && *p != '%')
                p++;
            /* httpd turns \n and \t in formats into the characters. */
            char buf[1024];
            size_t n = 0;
            for (const char *c = s; c < p && n < sizeof(buf); c++) {
                if (*c == '\\' && c + 1 < p && (c[1] == 'n' || c[1] == 't')) {
                    buf[n++] = c[1] == 'n' ? '\n' : '\t';
                    c++;
                } else {
                    buf[n++] = *c;
                }
            }
            if (push(out, 0, 0, buf, n) != 0)
                goto fail;
            continue;
        }
        p++;
        char final = 0;
        const char *arg = NULL;
        size_t an = 0;
        for (;;) {
            if (*p == '<' || *p == '>') {
                final = *p == '>';
                p++;
            } else if (*p == '!' || *p == ',' || (*p >= '0' && *p <= '9')) {
                p++; /* status conditions: accepted, not applied */
            } else if (*p == '{') {
                arg = ++p;
                while (*p && *p != '}')
                    p++;
                if (!*p)
                    goto fail;
                an = (size_t)(p - arg);
                p++;
            } else {
                break;
            }
        }
        if (*p == '\0' || strchr(known, *p) == NULL)
            goto fail;
        if (*p == '%') {
            if (push(out, 0, 0, "%", 1) != 0)
                goto fail;
        } else if (push(out, *p, final, arg ? arg : "", arg ? an : 0) != 0) {
            goto fail;
        }
        p++;
    }
    return 0;
fail:
    http_log_format_free(out);
    return -1;
}

/* ---- formatting --------------------------------------------------------------------------- */

struct out {
    char *p;
    size_t n, size;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->n + n > o->size)
        n = o->size - o->n;
    memcpy(o->p + o->n, s, n);
    o->n += n;
}

static void puts_(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

static void putf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct out *o, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n > 0)
        put(o, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* httpd's ap_escape_logitem: quotes, backslashes and non-printables as C escapes. */
static void put_escaped(struct out *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    if (s == NULL || n == 0) {
        put(o, "-", 1);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char e[4];
        if (c == '"' || c == '\\') {
            e[0] = '\\';
            e[1] = (char)c;
            put(o, e, 2);
        } else if (c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\v') {
            e[0] = '\\';
            e[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : c == '\b' ? 'b' : 'v';
            put(o, e, 2);
        } else if (c < 0x20 || c >= 0x7f) {
            e[0] = '\\';
            e[1] = 'x';
            e[2] = hex[c >> 4];
            e[3] = hex[c & 15];
            put(o, e, 4);
        } else {
            put(o, (const char *)&s[i], 1);
        }
    }
}

/* A response header's value from the plan's head. */
static int out_header(const struct http_plan *pl, const char *name, struct http_str *v)
{
    struct http_request fake;
    memset(&fake, 0, sizeof(fake));
    const char *h = pl->head ? memchr(pl->head, '\n', pl->head_len) : NULL;
    if (h == NULL)
        return 0;
    fake.headers.p = h + 1;
    fake.headers.n = pl->head_len - (size_t)(h + 1 - pl->head);
    return http_request_header(&fake, name, v);
}

static const char *canonical_name(const struct http_env *env, char *buf, size_t size)
{
    const char *name = env->conf ? env->conf->server_name : NULL;
    if (name == NULL)
        return env->local_ip ? env->local_ip : "localhost";
    const char *s = strstr(name, "://");
    if (s)
        name = s + 3;
    snprintf(buf, size, "%s", name);
    char *colon = strrchr(buf, ':');
    char *bracket = strrchr(buf, ']');
    if (colon && (!bracket || colon > bracket))
        *colon = '\0';
    return buf;
}

size_t http_log_line(const struct http_log_format *f, const struct http_request *req,
                     const struct http_plan *plan, const struct http_env *env,
                     const struct http_timing *timing, char *buf, size_t size)
{
    struct out o = {buf, 0, size > 1 ? size - 2 : 0};
    struct http_str v;
    char name[256];
    for (size_t i = 0; i < f->n_items; i++) {
        const struct http_log_item *it = &f->items[i];
        switch (it->kind) {
        case 0:
            put(&o, it->text, it->text_len);
            break;
        case 'a':
        case 'h':
            puts_(&o, env->client_ip && *env->client_ip ? env->client_ip : "-");
            break;
        case 'A':
            puts_(&o, env->local_ip && *env->local_ip ? env->local_ip : "-");
            break;
        case 'b':
            if (timing->body_sent == 0)
                put(&o, "-", 1);
            else
                putf(&o, "%llu", (unsigned long long)timing->body_sent);
            break;
        case 'B':
            putf(&o, "%llu", (unsigned long long)timing->body_sent);
            break;
        case 'D':
            putf(&o, "%llu", (unsigned long long)timing->duration_us);
            break;
        case 'T':
            if (strcmp(it->text, "ms") == 0)
                putf(&o, "%llu", (unsigned long long)(timing->duration_us / 1000));
            else if (strcmp(it->text, "us") == 0)
                putf(&o, "%llu", (unsigned long long)timing->duration_us);
            else
                putf(&o, "%llu", (unsigned long long)(timing->duration_us / 1000000));
            break;
        case 'H':
            if (req && req->version)
                puts_(&o, req->version == 10 ? "HTTP/1.0" : "HTTP/1.1");
            else
                put(&o, "-", 1);
            break;
        case 'i':
            if (req && http_request_header(req, it->text, &v))
                put_escaped(&o, v.p, v.n);
            else
                put(&o, "-", 1);
            break;
        case 'o':
            if (plan && out_header(plan, it->text, &v))
                put_escaped(&o, v.p, v.n);
            else
                put(&o, "-", 1);
            break;
        case 'l':
        case 'u':
            put(&o, "-", 1);
            break;
        case 'm':
            put_escaped(&o, req ? req->method.p : NULL, req ? req->method.n : 0);
            break;
        case 'p':
            putf(&o, "%u", (unsigned)env->local_port);
            break;
        case 'P':
            if (strcmp(it->text, "tid") == 0)
                putf(&o, "%lu", (unsigned long)GetCurrentThreadId());
            else
                putf(&o, "%lu", (unsigned long)GetCurrentProcessId());
            break;
        case 'q':
            if (req && req->query.p != NULL) {
                put(&o, "?", 1);
                put_escaped(&o, req->query.p, req->query.n);
            }
            break;
        case 'r':
            put_escaped(&o, req ? req->line.p : NULL, req ? req->line.n : 0);
            break;
        case 's':
            putf(&o, "%d", plan ? plan->status : 0);
            break;
        case 't': {
            char t[64];
            size_t n = http_clf_time(http_ft_to_unix(timing->received_ft), t, sizeof(t));
            put(&o, t, n);
            break;
        }
        case 'U':
            put_escaped(&o, req ? req->path.p : NULL, req ? req->path.n : 0);
            break;
        case 'v':
            puts_(&o, canonical_name(env, name, sizeof(name)));
            break;
        case 'V':
            if (req && req->host.p && req->host.n) {
                size_t n = req->host.n;
                const char *colon = memchr(req->host.p, ':', n);
                if (colon && req->host.p[0] != '[')
                    n = (size_t)(colon - req->host.p);
                put_escaped(&o, req->host.p, n);
            } else {
                puts_(&o, canonical_name(env, name, sizeof(name)));
            }
            break;
        case 'X':
            put(&o, plan && plan->keep_alive ? "+" : "-", 1);
            break;
        case 'I':
            putf(&o, "%llu", (unsigned long long)(req ? req->consumed : 0));
            break;
        case 'O':
            putf(&o, "%llu", (unsigned long long)((plan ? plan->head_len : 0) + timing->body_sent));
            break;
        }
    }
    buf[o.n++] = '\n';
    buf[o.n] = '\0';
    return o.n;
}

/* ---- writing ---------------------------------------------------------------------------- */

static HANDLE open_log(const char *path)
{
    /* Append-only access: every WriteFile lands whole at the end [CreateFileA, FILE_APPEND_DATA].
     */
    return CreateFileA(path, FILE_APPEND_DATA,
                       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_ALWAYS,
                       FILE_ATTRIBUTE_NORMAL, NULL);
}

/* The target's handle, opened on first use (several workers may race: one wins). */
static HANDLE target_handle(struct http_log_target *t)
{
    HANDLE h = InterlockedCompareExchangePointer(&t->h, INVALID_HANDLE_VALUE, INVALID_HANDLE_VALUE);
    if (h != INVALID_HANDLE_VALUE)
        return h;
    HANDLE mine = open_log(t->path);
    if (mine == INVALID_HANDLE_VALUE)
        return INVALID_HANDLE_VALUE;
    HANDLE prev = InterlockedCompareExchangePointer(&t->h, mine, INVALID_HANDLE_VALUE);
    if (prev != INVALID_HANDLE_VALUE) {
        CloseHandle(mine);
        return prev;
    }
    return mine;
}

int http_child_init(const struct server_config *conf, char *err, size_t errlen)
{
    struct http_config *hc = conf ? conf->http : NULL;
    if (hc == NULL)
        return 0;
    for (size_t i = 0; i < hc->n_logs; i++) {
        if (target_handle(&hc->logs[i]) == INVALID_HANDLE_VALUE) {
            snprintf(err, errlen, "could not open transfer log file %s (error %lu)",
                     hc->logs[i].path, (unsigned long)GetLastError());
            return -1;
        }
    }
    return 0;
}

void http_child_exit(void)
{
    /* The handles belong to the configuration: server_config_free closes them. */
}

/* Held around each line's WriteFile: Wine 8 loses and tears lines that threads append to one
 * FILE_APPEND_DATA handle at the same time (test_http_logs under load), and Windows documents no
 * atomicity for concurrent appends [WriteFile]. Lines are formatted outside it. */
static SRWLOCK write_lock = SRWLOCK_INIT;

void http_log_access(const struct http_request *req, const struct http_plan *plan,
                     const struct http_env *env, const struct http_timing *timing)
{
    struct http_config *hc = env->conf ? env->conf->http : NULL;
    if (hc == NULL || hc->n_logs == 0)
        return;
    char line[LINE_MAX_LEN];
    for (size_t i = 0; i < hc->n_logs; i++) {
        struct http_log_target *t = &hc->logs[i];
        HANDLE h = target_handle(t);
        if (h == INVALID_HANDLE_VALUE)
            continue;
        size_t n = http_log_line(&t->fmt, req, plan, env, timing, line, sizeof(line));
        DWORD written;
        AcquireSRWLockExclusive(&write_lock);
        WriteFile(h, line, (DWORD)n, &written, NULL);
        ReleaseSRWLockExclusive(&write_lock);
    }
}
