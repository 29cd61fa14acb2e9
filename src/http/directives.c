/* The HTTP modules' directives, their defaults, <Directory>/<Location> and the per-request merge.
 */
#include "http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OOM "Out of memory while applying the configuration"
#define DEFAULT_LIMIT 8190u
#define DEFAULT_FIELDS 100u

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    return p ? memcpy(p, s, n) : NULL;
}

static int ieq(const char *a, const char *b)
{
    return http_ieq(a, strlen(a), b);
}

/* ---- the configuration's life ------------------------------------------------------------- */

static const struct http_config defaults = {
    .limit_line = DEFAULT_LIMIT,
    .limit_field_size = DEFAULT_LIMIT,
    .limit_fields = DEFAULT_FIELDS,
    .tokens = HTTP_TOKENS_FULL,
    .etag = HTTP_ETAG_MTIME | HTTP_ETAG_SIZE,
    .extended_status = 1,
    .server = {.options = HTTP_OPT_FOLLOW_SYMLINKS, .options_set = 1},
};

const struct http_config *http_config_of(const struct server_config *conf)
{
    return conf != NULL && conf->http != NULL ? conf->http : &defaults;
}

static void dir_conf_free(struct http_dir_conf *dc)
{
    for (size_t i = 0; i < dc->n_index; i++)
        free(dc->index[i]);
    free(dc->index);
    free(dc->handler);
}

static void http_config_free(void *p)
{
    struct http_config *hc = p;
    if (hc == NULL)
        return;
    free(hc->types_config);
    free(hc->default_type);
    for (size_t i = 0; i < hc->n_add_types; i++) {
        free(hc->add_types[i].ext);
        free(hc->add_types[i].type);
    }
    free(hc->add_types);
    http_mime_free(hc);
    dir_conf_free(&hc->server);
    for (size_t i = 0; i < hc->n_dirs; i++) {
        free(hc->dirs[i].path);
        dir_conf_free(&hc->dirs[i].dc);
    }
    free(hc->dirs);
    for (size_t i = 0; i < hc->n_locs; i++) {
        free(hc->locs[i].path);
        dir_conf_free(&hc->locs[i].dc);
    }
    free(hc->locs);
    for (size_t i = 0; i < hc->n_nicks; i++) {
        free(hc->nicks[i].name);
        free(hc->nicks[i].format);
    }
    free(hc->nicks);
    free(hc->default_format);
    for (size_t i = 0; i < hc->n_logs; i++) {
        free(hc->logs[i].path);
        http_log_format_free(&hc->logs[i].fmt);
        if (hc->logs[i].h != INVALID_HANDLE_VALUE && hc->logs[i].h != NULL)
            CloseHandle(hc->logs[i].h);
        free(hc->logs[i].raw);
    }
    free(hc->logs);
    free(hc);
}

static const char *http_pre(struct server_config *conf)
{
    struct http_config *hc = calloc(1, sizeof(*hc));
    if (hc == NULL)
        return OOM;
    *hc = defaults;
    hc->server.options_set = 1;
    if (conf->http_free != NULL)
        conf->http_free(conf->http);
    conf->http = hc;
    conf->http_free = http_config_free;
    return NULL;
}

static struct http_config *cfg(struct config_parms *p)
{
    return p->server->http;
}

/* The settings a directive changes: the enclosing section's, or the server's. */
static struct http_dir_conf *dconf(struct config_parms *p, void *ctx)
{
    return p->section != NULL ? ctx : &cfg(p)->server;
}

/* ---- core: limits, tokens, ETags, slashes, DefaultType ------------------------------------ */

static const char *set_limit(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)ctx, (void)argc;
    char *end;
    long v = strtol(argv[0], &end, 10);
    const char *name = p->cmd->name;
    if (*argv[0] == '\0' || *end != '\0' || v < 0)
        return config_errorf(p, "%s \"%s\" must be a non-negative integer", name, argv[0]);
    struct http_config *hc = cfg(p);
    if (ieq(name, "LimitRequestLine")) {
        if (v == 0 || v > 65536) /* the request line must fit the connection's buffer */
            return config_errorf(p, "LimitRequestLine \"%s\" must be 1..65536", argv[0]);
        hc->limit_line = (unsigned)v;
    } else if (ieq(name, "LimitRequestFieldSize")) {
        if (v == 0 || v > 65536)
            return config_errorf(p, "LimitRequestFieldSize \"%s\" must be 1..65536", argv[0]);
        hc->limit_field_size = (unsigned)v;
    } else {
        if (v > 32767)
            return config_errorf(p, "LimitRequestFields \"%s\" must be 0..32767", argv[0]);
        hc->limit_fields = (unsigned)v;
    }
    return NULL;
}

static const char *set_tokens(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)ctx;
    static const struct {
        const char *name;
        enum http_tokens t;
    } names[] = {{"OS", HTTP_TOKENS_OS},
                 {"Min", HTTP_TOKENS_MINIMAL},
                 {"Minimal", HTTP_TOKENS_MINIMAL},
                 {"Minor", HTTP_TOKENS_MINOR},
                 {"Major", HTTP_TOKENS_MAJOR},
                 {"Prod", HTTP_TOKENS_PROD},
                 {"ProductOnly", HTTP_TOKENS_PROD},
                 {"Full", HTTP_TOKENS_FULL}};
    if (argc != 1)
        return config_errorf(p, "ServerTokens takes 1 argument: 'Prod(uctOnly)', 'Major', "
                                "'Minor', 'Min(imal)', 'OS', or 'Full'");
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (ieq(argv[0], names[i].name)) {
            cfg(p)->tokens = names[i].t;
            return NULL;
        }
    /* httpd treats anything else as Full. */
    cfg(p)->tokens = HTTP_TOKENS_FULL;
    return NULL;
}

static const char *set_signature(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)ctx, (void)argc;
    if (ieq(argv[0], "On") || ieq(argv[0], "EMail"))
        cfg(p)->server_signature = 1;
    else if (ieq(argv[0], "Off"))
        cfg(p)->server_signature = 0;
    else
        return "ServerSignature: use one of: off | on | email";
    return NULL;
}

static const char *set_etag(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)ctx, (void)argc;
    struct http_config *hc = cfg(p);
    const char *w = argv[0];
    int sign = (*w == '+' || *w == '-') ? *w++ : 0;
    unsigned bit;
    if (ieq(w, "MTime"))
        bit = HTTP_ETAG_MTIME;
    else if (ieq(w, "Size"))
        bit = HTTP_ETAG_SIZE;
    else if (ieq(w, "INode"))
        bit = HTTP_ETAG_INODE;
    else if (ieq(w, "All") && !sign)
        bit = HTTP_ETAG_MTIME | HTTP_ETAG_SIZE | HTTP_ETAG_INODE;
    else if (ieq(w, "None") && !sign)
        bit = 0;
    else
        return config_errorf(p, "Unknown keyword '%s' for FileETag", argv[0]);
    /* A first absolute keyword starts over (FileETag is ITERATE: one call per word). */
    if (sign == '+')
        hc->etag |= bit;
    else if (sign == '-')
        hc->etag &= ~bit;
    else if (p->node != NULL && hc->etag_node != p->node) {
        hc->etag = bit;
    } else {
        hc->etag |= bit;
    }
    hc->etag_node = p->node;
    return NULL;
}

static const char *set_encoded_slashes(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)ctx, (void)argc;
    if (ieq(argv[0], "On"))
        cfg(p)->allow_encoded_slashes = 1;
    else if (ieq(argv[0], "Off"))
        cfg(p)->allow_encoded_slashes = 0;
    else if (ieq(argv[0], "NoDecode"))
        cfg(p)->allow_encoded_slashes = 2;
    else
        return "AllowEncodedSlashes must be On, Off, or NoDecode";
    return NULL;
}

static const char *set_default_type(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)ctx, (void)argc;
    struct http_config *hc = cfg(p);
    free(hc->default_type);
    hc->default_type = NULL;
    /* httpd 2.4 only knows "none" (no Content-Type for unknown files) and ignores the rest with a
     * warning; ntmpm honours a type as httpd 2.2 did, which is what such a line means. */
    if (ieq(argv[0], "none"))
        return NULL;
    hc->default_type = dup(argv[0]);
    return hc->default_type ? NULL : OOM;
}

/* ---- Options, SetHandler, Require ------------------------------------------------------- */

static const char *set_options(struct config_parms *p, void *ctx, int argc, char **argv)
{
    struct http_dir_conf *dc = dconf(p, ctx);
    unsigned opts = 0, add = 0, del = 0;
    int signed_seen = 0, plain_seen = 0;
    if (argc == 0)
        return "Options requires at least one argument";
    for (int i = 0; i < argc; i++) {
        const char *w = argv[i];
        int sign = (*w == '+' || *w == '-') ? *w++ : 0;
        unsigned bit;
        if (ieq(w, "Indexes"))
            bit = HTTP_OPT_INDEXES;
        else if (ieq(w, "FollowSymLinks"))
            bit = HTTP_OPT_FOLLOW_SYMLINKS;
        else if (ieq(w, "SymLinksIfOwnerMatch"))
            bit = HTTP_OPT_SYM_OWNER;
        else if (ieq(w, "ExecCGI"))
            bit = HTTP_OPT_EXECCGI;
        else if (ieq(w, "Includes") || ieq(w, "IncludesNOEXEC"))
            bit = HTTP_OPT_INCLUDES;
        else if (ieq(w, "MultiViews"))
            bit = HTTP_OPT_MULTIVIEWS;
        else if (ieq(w, "All") && !sign)
            bit = HTTP_OPT_ALL;
        else if (ieq(w, "None") && !sign)
            bit = 0;
        else
            return config_errorf(p, "Illegal option %s", argv[i]);
        if (sign)
            signed_seen = 1;
        else
            plain_seen = 1;
        if (signed_seen && plain_seen)
            return "Either all Options must start with + or -, or no Option may.";
        if (sign == '+') {
            add |= bit;
            del &= ~bit;
        } else if (sign == '-') {
            del |= bit;
            add &= ~bit;
        } else {
            opts |= bit;
        }
    }
    if (plain_seen) {
        dc->options = opts;
        dc->options_set = 1;
        dc->options_add = dc->options_del = 0;
    } else {
        dc->options_add = (dc->options_add & ~del) | add;
        dc->options_del = (dc->options_del & ~add) | del;
    }
    return NULL;
}

/* MaxRanges, MaxRangeOverlaps, MaxRangeReversals: default | unlimited | none | a count > 0. */
static const char *set_range_limit(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)argc;
    struct http_dir_conf *dc = dconf(p, ctx);
    const char *name = p->cmd->name;
    long *slot = ieq(name, "MaxRanges")          ? &dc->max_ranges
                 : ieq(name, "MaxRangeOverlaps") ? &dc->max_overlaps
                                                 : &dc->max_reversals;
    char *end;
    long v = strtol(argv[0], &end, 10);
    if (ieq(argv[0], "default"))
        *slot = HTTP_LIMIT_DEFAULT; /* set: it overrides an outer section's value */
    else if (ieq(argv[0], "unlimited"))
        *slot = HTTP_LIMIT_UNLIMITED;
    else if (ieq(argv[0], "none"))
        *slot = HTTP_LIMIT_NONE;
    else if (*argv[0] != '\0' && *end == '\0' && v > 0)
        *slot = v;
    else
        return config_errorf(p, "%s requires 'none', 'default', 'unlimited' or a positive integer",
                             name);
    return NULL;
}

static const char *set_handler(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)argc;
    struct http_dir_conf *dc = dconf(p, ctx);
    free(dc->handler);
    dc->handler = NULL;
    dc->handler_set = 1;
    if (ieq(argv[0], "None"))
        return NULL;
    dc->handler = dup(argv[0]);
    return dc->handler ? NULL : OOM;
}

static const char *set_require(struct config_parms *p, void *ctx, int argc, char **argv)
{
    struct http_dir_conf *dc = dconf(p, ctx);
    if (argc == 2 && ieq(argv[0], "all") && ieq(argv[1], "granted"))
        dc->require = HTTP_REQUIRE_GRANTED;
    else if (argc == 2 && ieq(argv[0], "all") && ieq(argv[1], "denied"))
        dc->require = HTTP_REQUIRE_DENIED;
    else if (argc == 0)
        return "Require requires at least one argument";
    else
        return config_errorf(p,
                             "Require %s%s%s: only 'Require all granted' and 'Require all "
                             "denied' are supported",
                             argv[0], argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
    return NULL;
}

/* ---- sections --------------------------------------------------------------------------- */

static char *normalise_dir(struct config_parms *p, const char *arg)
{
    char *path = config_server_root_relative(p, arg);
    if (path == NULL)
        return NULL;
    for (char *c = path; *c; c++)
        if (*c == '\\')
            *c = '/';
    size_t n = strlen(path);
    while (n > 0 && path[n - 1] == '/')
        path[--n] = '\0';
    return path;
}

static const char *section(struct config_parms *p, int argc, char **argv, int is_location)
{
    const char *kind = is_location ? "<Location" : "<Directory";
    if (argc >= 1 && (strcmp(argv[0], "~") == 0 || strpbrk(argv[0], "*?[") != NULL))
        return config_errorf(p, "%s>: regular expressions and wildcards are not supported", kind);
    if (argc != 1 || argv[0][0] == '\0')
        return config_errorf(p, "%s> takes one argument", kind);
    struct http_config *hc = cfg(p);
    struct http_section **arr = is_location ? &hc->locs : &hc->dirs;
    size_t *n = is_location ? &hc->n_locs : &hc->n_dirs;
    struct http_section *grown = realloc(*arr, (*n + 1) * sizeof(**arr));
    if (grown == NULL)
        return OOM;
    *arr = grown;
    struct http_section *s = &grown[*n];
    memset(s, 0, sizeof(*s));
    s->is_location = is_location;
    if (is_location) {
        s->path = dup(argv[0]);
    } else {
        s->path = normalise_dir(p, argv[0]);
    }
    if (s->path == NULL)
        return OOM;
    s->len = strlen(s->path);
    (*n)++;
    /* Sections do not nest (their directives are CONFIG_CTX_SERVER only): s stays put. */
    return config_walk_children(p, CONFIG_CTX_DIRECTORY, &s->dc);
}

static const char *directory_section(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)ctx;
    return section(p, argc, argv, 0);
}

static const char *location_section(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)ctx;
    return section(p, argc, argv, 1);
}

static unsigned components(const char *path)
{
    unsigned n = 0;
    for (; *path; path++)
        n += *path == '/';
    return n;
}

static int ends_with_slash(const char *s, size_t n)
{
    return n > 0 && s[n - 1] == '/';
}

static void merge(struct http_dir_conf *out, const struct http_dir_conf *in)
{
    if (in->options_set) {
        out->options = in->options;
        out->options_set = 1;
    }
    out->options = (out->options & ~in->options_del) | in->options_add;
    if (in->index_set) {
        out->index = in->index;
        out->n_index = in->n_index;
        out->index_set = 1;
    }
    if (in->handler_set) {
        out->handler = in->handler;
        out->handler_set = 1;
    }
    if (in->require != HTTP_REQUIRE_UNSET)
        out->require = in->require;
    if (in->max_ranges != HTTP_LIMIT_UNSET)
        out->max_ranges = in->max_ranges;
    if (in->max_overlaps != HTTP_LIMIT_UNSET)
        out->max_overlaps = in->max_overlaps;
    if (in->max_reversals != HTTP_LIMIT_UNSET)
        out->max_reversals = in->max_reversals;
}

void http_dir_conf_for(const struct http_config *hc, const char *fs_path, const char *url_path,
                       struct http_dir_conf *out)
{
    memset(out, 0, sizeof(*out));
    merge(out, &hc->server);
    if (fs_path != NULL) {
        size_t fn = strlen(fs_path);
        /* dirs are sorted by component count, shortest first (httpd's order). */
        for (size_t i = 0; i < hc->n_dirs; i++) {
            const struct http_section *s = &hc->dirs[i];
            if (s->len <= fn && memcmp(s->path, fs_path, s->len) == 0 &&
                (fs_path[s->len] == '/' || fs_path[s->len] == '\0' || s->len == 0))
                merge(out, &s->dc);
        }
    }
    if (url_path != NULL) {
        size_t un = strlen(url_path);
        for (size_t i = 0; i < hc->n_locs; i++) {
            const struct http_section *s = &hc->locs[i];
            /* "/private" matches /private, /private/ and /private/x, not /privately. */
            if (s->len <= un && memcmp(s->path, url_path, s->len) == 0 &&
                (ends_with_slash(s->path, s->len) || url_path[s->len] == '/' ||
                 url_path[s->len] == '\0'))
                merge(out, &s->dc);
        }
    }
}

unsigned http_dir_options(const struct http_dir_conf *dc)
{
    return dc->options;
}

/* ---- mod_dir, mod_mime, mod_status -------------------------------------------------------- */

static const char *set_index(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)argc;
    struct http_dir_conf *dc = dconf(p, ctx);
    /* ITERATE: a new DirectoryIndex line replaces the list, its later words extend it. */
    if (dc->index_node != p->node) {
        for (size_t i = 0; i < dc->n_index; i++)
            free(dc->index[i]);
        dc->n_index = 0;
        dc->index_node = p->node;
    }
    dc->index_set = 1;
    if (ieq(argv[0], "disabled"))
        return dc->n_index == 0 ? NULL : "DirectoryIndex 'disabled' must be its only argument";
    char **grown = realloc(dc->index, (dc->n_index + 1) * sizeof(*grown));
    if (grown == NULL)
        return OOM;
    dc->index = grown;
    if ((grown[dc->n_index] = dup(argv[0])) == NULL)
        return OOM;
    dc->n_index++;
    return NULL;
}

static const char *set_types_config(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)ctx, (void)argc;
    struct http_config *hc = cfg(p);
    free(hc->types_config);
    hc->types_config = config_server_root_relative(p, argv[0]);
    hc->types_config_set = 1;
    return hc->types_config ? NULL : OOM;
}

static const char *set_add_type(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)ctx;
    if (argc < 2)
        return "AddType requires at least two arguments, a mime type followed by one or more "
               "file extensions";
    struct http_config *hc = cfg(p);
    for (int i = 1; i < argc; i++) {
        struct http_mime_ext *grown =
            realloc(hc->add_types, (hc->n_add_types + 1) * sizeof(*grown));
        if (grown == NULL)
            return OOM;
        hc->add_types = grown;
        const char *ext = argv[i][0] == '.' ? argv[i] + 1 : argv[i];
        char *e = dup(ext), *t = dup(argv[0]);
        if (e == NULL || t == NULL) {
            free(e);
            free(t);
            return OOM;
        }
        for (char *c = e; *c; c++)
            *c = (char)http_lower((unsigned char)*c);
        for (char *c = t; *c; c++)
            *c = (char)http_lower((unsigned char)*c);
        grown[hc->n_add_types++] = (struct http_mime_ext){e, t};
    }
    return NULL;
}

static const char *set_extended_status(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)ctx, (void)argc;
    cfg(p)->extended_status = argv[0][0] == '1';
    return NULL;
}

/* ---- mod_log_config ---------------------------------------------------------------------- */

static const char *set_log_format(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)ctx;
    struct http_config *hc = cfg(p);
    struct http_log_format check;
    if (http_log_compile(argv[0], &check) != 0)
        return config_errorf(p, "LogFormat: unrecognised format \"%s\"", argv[0]);
    http_log_format_free(&check);
    if (argc == 1) {
        free(hc->default_format);
        hc->default_format = dup(argv[0]);
        return hc->default_format ? NULL : OOM;
    }
    for (size_t i = 0; i < hc->n_nicks; i++)
        if (strcmp(hc->nicks[i].name, argv[1]) == 0) {
            char *f = dup(argv[0]);
            if (f == NULL)
                return OOM;
            free(hc->nicks[i].format);
            hc->nicks[i].format = f;
            return NULL;
        }
    struct http_log_nick *grown = realloc(hc->nicks, (hc->n_nicks + 1) * sizeof(*grown));
    if (grown == NULL)
        return OOM;
    hc->nicks = grown;
    grown[hc->n_nicks].name = dup(argv[1]);
    grown[hc->n_nicks].format = dup(argv[0]);
    hc->n_nicks++;
    return grown[hc->n_nicks - 1].name && grown[hc->n_nicks - 1].format ? NULL : OOM;
}

static const char *add_log(struct config_parms *p, const char *file, const char *format)
{
    struct http_config *hc = cfg(p);
    if (file[0] == '|')
        return "Piped logs are not supported yet";
    struct http_log_target *grown = realloc(hc->logs, (hc->n_logs + 1) * sizeof(*grown));
    if (grown == NULL)
        return OOM;
    hc->logs = grown;
    struct http_log_target *t = &grown[hc->n_logs];
    memset(t, 0, sizeof(*t));
    t->h = INVALID_HANDLE_VALUE;
    t->path = config_server_root_relative(p, file);
    t->raw = format ? dup(format) : NULL;
    hc->n_logs++;
    return t->path && (format == NULL || t->raw) ? NULL : OOM;
}

static const char *set_custom_log(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)ctx;
    if (argc == 3) {
        if (strncmp(argv[2], "env=", 4) != 0 && strncmp(argv[2], "expr=", 5) != 0)
            return "CustomLog: the third argument must begin with env= or expr=";
        config_warnf(p,
                     "CustomLog %s: conditional logging (%s) is not supported; logging "
                     "every request",
                     argv[0], argv[2]);
    }
    return add_log(p, argv[0], argv[1]);
}

static const char *set_transfer_log(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)ctx, (void)argc;
    return add_log(p, argv[0], NULL);
}

#define HTTP_COMMON_FORMAT "%h %l %u %t \"%r\" %>s %b"
#define HTTP_COMBINED_FORMAT "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\""

static const char *nick_format(const struct http_config *hc, const char *name)
{
    for (size_t i = 0; i < hc->n_nicks; i++)
        if (strcmp(hc->nicks[i].name, name) == 0)
            return hc->nicks[i].format;
    /* The nicknames every httpd.conf defines; a config may redefine them. */
    if (strcmp(name, "common") == 0)
        return HTTP_COMMON_FORMAT;
    if (strcmp(name, "combined") == 0)
        return HTTP_COMBINED_FORMAT;
    return NULL;
}

/* ---- checks after the directives ---------------------------------------------------------- */

/* Stable insertion sort by component count, shortest first (config order among equals). */
static void sort_dirs(struct http_config *hc)
{
    for (size_t i = 1; i < hc->n_dirs; i++) {
        struct http_section s = hc->dirs[i];
        unsigned cs = s.len ? components(s.path) : 0;
        size_t j = i;
        while (j > 0 && (hc->dirs[j - 1].len ? components(hc->dirs[j - 1].path) : 0) > cs) {
            hc->dirs[j] = hc->dirs[j - 1];
            j--;
        }
        hc->dirs[j] = s;
    }
}

static const char *http_post(struct server_config *conf, const struct config_sink *sink,
                             struct config_error *err)
{
    struct http_config *hc = conf->http;
    sort_dirs(hc);
    for (size_t i = 0; i < hc->n_logs; i++) {
        struct http_log_target *t = &hc->logs[i];
        const char *fmt = t->raw;
        if (fmt == NULL)
            fmt = hc->default_format ? hc->default_format : HTTP_COMMON_FORMAT;
        else if (nick_format(hc, fmt) != NULL)
            fmt = nick_format(hc, fmt);
        /* Otherwise the argument is the format itself (httpd does the same). */
        if (http_log_compile(fmt, &t->fmt) != 0) {
            snprintf(err->message, sizeof(err->message), "CustomLog %s: bad format \"%s\"", t->path,
                     fmt);
            return err->message;
        }
    }
    /* TypesConfig: the bundled conf/mime.types under ServerRoot by default; a missing default
     * is a warning (the server then knows only AddType), a missing explicit file an error. */
    if (hc->types_config == NULL) {
        char *path = malloc(strlen(conf->server_root) + sizeof("/conf/mime.types"));
        if (path == NULL) {
            snprintf(err->message, sizeof(err->message), OOM);
            return err->message;
        }
        sprintf(path, "%s/conf/mime.types", conf->server_root);
        hc->types_config = path;
    }
    char why[256];
    if (http_mime_load_file(hc, hc->types_config, why, sizeof(why)) != 0) {
        if (hc->types_config_set) {
            snprintf(err->message, sizeof(err->message),
                     "could not open mime types config file %s: %s", hc->types_config, why);
            return err->message;
        }
        if (sink != NULL && sink->fn != NULL) {
            char msg[1400];
            snprintf(msg, sizeof(msg),
                     "could not open mime types config file %s: %s; only AddType types are "
                     "known",
                     hc->types_config, why);
            sink->fn(sink->ctx, msg);
        }
        if (http_mime_load_text(hc, "", 0) != 0) {
            snprintf(err->message, sizeof(err->message), OOM);
            return err->message;
        }
    }
    return NULL;
}

/* ---- the modules ------------------------------------------------------------------------- */

#define SRV CONFIG_CTX_SERVER
#define DIR CONFIG_CTX_DIRECTORY
#define ANY (CONFIG_CTX_SERVER | CONFIG_CTX_VHOST | CONFIG_CTX_DIRECTORY)

static const struct config_cmd core_http_cmds[] = {
    {"<Directory", CONFIG_TAKE_ARGV, SRV | CONFIG_CTX_VHOST, directory_section,
     "Container for directives affecting resources located in the specified directories"},
    {"<Location", CONFIG_TAKE_ARGV, SRV | CONFIG_CTX_VHOST, location_section,
     "Container for directives affecting resources accessed through the specified URL paths"},
    {"Options", CONFIG_TAKE_ARGV, ANY, set_options,
     "Set a number of attributes for a given directory"},
    {"SetHandler", CONFIG_TAKE1, ANY, set_handler,
     "a handler name that overrides any other configured handler"},
    {"LimitRequestLine", CONFIG_TAKE1, SRV | CONFIG_CTX_VHOST, set_limit,
     "Limit on maximum size of an HTTP request line"},
    {"LimitRequestFieldSize", CONFIG_TAKE1, SRV | CONFIG_CTX_VHOST, set_limit,
     "Limit on maximum size of an HTTP request header field"},
    {"LimitRequestFields", CONFIG_TAKE1, SRV | CONFIG_CTX_VHOST, set_limit,
     "Limit (0 = unlimited) on max number of header fields in a request message"},
    {"ServerTokens", CONFIG_TAKE_ARGV, SRV, set_tokens,
     "Tokens to include in the Server header: 'Full', 'OS', 'Minor', 'Minimal', 'Major' or "
     "'Prod'"},
    {"ServerSignature", CONFIG_TAKE1, ANY, set_signature,
     "En-/disable server signature (on|off|email)"},
    {"FileETag", CONFIG_ITERATE, ANY, set_etag,
     "One or more of 'INode', 'MTime', 'Size', 'All' or 'None'"},
    {"AllowEncodedSlashes", CONFIG_TAKE1, SRV | CONFIG_CTX_VHOST, set_encoded_slashes,
     "Allow URLs containing '/' encoded as '%2F'"},
    {"DefaultType", CONFIG_TAKE1, ANY, set_default_type,
     "the content type of files whose type is unknown ('none': no Content-Type)"},
    {"MaxRanges", CONFIG_TAKE1, ANY, set_range_limit,
     "Maximum number of Ranges in a request before returning the entire resource, or 0 for "
     "unlimited"},
    {"MaxRangeOverlaps", CONFIG_TAKE1, ANY, set_range_limit,
     "Maximum number of overlaps in Ranges in a request before returning the entire resource, or "
     "0 for unlimited"},
    {"MaxRangeReversals", CONFIG_TAKE1, ANY, set_range_limit,
     "Maximum number of reversals in Ranges in a request before returning the entire resource, or "
     "0 for unlimited"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct config_cmd dir_cmds[] = {
    {"DirectoryIndex", CONFIG_ITERATE, ANY, set_index,
     "a list of file names to handle a directory request"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct config_cmd mime_cmds[] = {
    {"TypesConfig", CONFIG_TAKE1, SRV, set_types_config, "the MIME types config file"},
    {"AddType", CONFIG_TAKE_ARGV, ANY, set_add_type,
     "a mime type followed by one or more file extensions"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct config_cmd authz_cmds[] = {
    {"Require", CONFIG_TAKE_ARGV, DIR, set_require,
     "specifies authorization directives which must be met (all granted | all denied)"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct config_cmd log_cmds[] = {
    {"LogFormat", CONFIG_TAKE12, SRV | CONFIG_CTX_VHOST, set_log_format,
     "a log format string (see docs) and an optional format name"},
    {"CustomLog", CONFIG_TAKE23, SRV | CONFIG_CTX_VHOST, set_custom_log,
     "a file name, a custom log format string or format name, and an optional \"env=\" or "
     "\"expr=\" clause (see docs)"},
    {"TransferLog", CONFIG_TAKE1, SRV | CONFIG_CTX_VHOST, set_transfer_log,
     "the filename of the access log"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct config_cmd status_cmds[] = {
    {"ExtendedStatus", CONFIG_FLAG, SRV, set_extended_status,
     "\"On\" to track extended status information, \"Off\" to disable"},
    {NULL, 0, 0, NULL, NULL},
};

/* pre/post run once, with the first module (every module of this file is always present). */
static const struct config_module modules[] = {
    {"http_static_module", "http_static.c", CONFIG_MODULE_BUILTIN, core_http_cmds, http_pre,
     http_post},
    {"authz_core_module", "mod_authz_core.c", CONFIG_MODULE_BUILTIN, authz_cmds, NULL, NULL},
    {"mime_module", "mod_mime.c", CONFIG_MODULE_BUILTIN, mime_cmds, NULL, NULL},
    {"log_config_module", "mod_log_config.c", CONFIG_MODULE_BUILTIN, log_cmds, NULL, NULL},
    {"status_module", "mod_status.c", CONFIG_MODULE_BUILTIN, status_cmds, NULL, NULL},
    {"dir_module", "mod_dir.c", CONFIG_MODULE_BUILTIN, dir_cmds, NULL, NULL},
};

void http_register_modules(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++)
        config_register_module(&modules[i]);
}
