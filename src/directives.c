/* The directives ntmpm understands: names, argument shapes, defaults, ranges, warnings, clamping.
 */
#include "config_int.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_THREAD_LIMIT 1920
#define DEFAULT_THREADS_PER_CHILD 64
#define DEFAULT_LISTEN_BACKLOG 511
#define DEFAULT_TIMEOUT_MS 60000u
#define DEFAULT_KEEPALIVE_TIMEOUT_MS 5000u
#define DEFAULT_KEEPALIVE_MAX 100
#define DEFAULT_MAX_MEM_FREE_KIB 2048ul

/* ---- value parsing ------------------------------------------------------------------------- */

/* A whole decimal integer in [min, max]; NULL or the error message. */
static const char *parse_int(struct config_parms *p, const char *arg, long min, long max, long *v)
{
    char *end;
    errno = 0;
    long x = strtol(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || errno == ERANGE || isspace((unsigned char)*arg))
        return config_errorf(p, "Invalid value '%s' for directive %s, expected integer", arg,
                             p->cmd->name);
    if (x < min || x > max)
        return config_errorf(p, "Invalid value '%s' for directive %s, expected %ld..%ld", arg,
                             p->cmd->name, min, max);
    *v = x;
    return NULL;
}

/* httpd's ap_timeout_parameter_parse: a number with an optional unit ms, s, mi or h (default s). */
static const char *parse_timeout(struct config_parms *p, const char *arg, unsigned *ms)
{
    char *end;
    errno = 0;
    long x = strtol(arg, &end, 10);
    unsigned long long scale = 1000;
    if (*end == '\0' || cfg_strcasecmp(end, "s") == 0)
        scale = 1000;
    else if (cfg_strcasecmp(end, "ms") == 0)
        scale = 1;
    else if (cfg_strcasecmp(end, "mi") == 0)
        scale = 60000;
    else if (cfg_strcasecmp(end, "h") == 0)
        scale = 3600000;
    else
        x = -1;
    if (*arg == '\0' || end == arg || errno == ERANGE || x < 0 ||
        (unsigned long long)x * scale > 0xFFFFFFFFull)
        return config_errorf(p, "Invalid %s value '%s'", p->cmd->name, arg);
    *ms = (unsigned)((unsigned long long)x * scale);
    return NULL;
}

static const char *set_path(struct config_parms *p, char **slot, const char *arg)
{
    char *path = config_server_root_relative(p, arg);
    if (path == NULL)
        return "Out of memory while applying the configuration";
    free(*slot);
    *slot = path;
    return NULL;
}

/* ---- core -------------------------------------------------------------------------------------
 */

static const char *no_op(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)p, (void)ctx, (void)argc, (void)argv;
    return NULL;
}

static const char *set_server_name(struct config_parms *p, void *ctx, int argc, char **argv)
{
    struct server_config *c = ctx;
    (void)argc;
    const char *host = argv[0];
    const char *scheme = strstr(host, "://");
    if (scheme != NULL)
        host = scheme + 3;
    const char *colon = strrchr(host, ':');
    const char *bracket = strrchr(host, ']');
    if (colon != NULL && (bracket == NULL || colon > bracket)) {
        char *end;
        long port = strtol(colon + 1, &end, 10);
        if (colon[1] == '\0' || *end != '\0' || port < 1 || port > 65535)
            return config_errorf(p,
                                 "The port number \"%s\" is outside the appropriate range (i.e., "
                                 "1..65535).",
                                 colon + 1);
    }
    free(c->server_name);
    c->server_name = cfg_strdup(argv[0]);
    return c->server_name ? NULL : "Out of memory while applying the configuration";
}

static const char *set_document_root(struct config_parms *p, void *ctx, int argc, char **argv)
{
    struct server_config *c = ctx;
    (void)argc;
    const char *msg = set_path(p, &c->document_root, argv[0]);
    if (msg == NULL && !cfg_is_directory(c->document_root))
        return config_errorf(p, "DocumentRoot '%s' is not a directory, or is not readable",
                             c->document_root);
    return msg;
}

static const char *set_timeout(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)argc;
    return parse_timeout(p, argv[0], &((struct server_config *)ctx)->timeout_ms);
}

static const char *set_error_log(struct config_parms *p, void *ctx, int argc, char **argv)
{
    struct server_config *c = ctx;
    (void)argc;
    /* Piped and syslog logs are not paths. */
    if (argv[0][0] == '|' || strncmp(argv[0], "syslog", 6) == 0) {
        free(c->error_log);
        c->error_log = cfg_strdup(argv[0]);
        return c->error_log ? NULL : "Out of memory while applying the configuration";
    }
    return set_path(p, &c->error_log, argv[0]);
}

static const char *const level_names[] = {
    "emerg",  "alert",  "crit",   "error",  "warn",   "notice", "info",   "debug",
    "trace1", "trace2", "trace3", "trace4", "trace5", "trace6", "trace7", "trace8"};

const char *config_log_level_name(enum config_log_level level)
{
    if ((unsigned)level >= sizeof(level_names) / sizeof(level_names[0]))
        return "unknown";
    return level_names[level];
}

static int parse_level(const char *s)
{
    for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
        if (cfg_strcasecmp(s, level_names[i]) == 0)
            return (int)i;
    return -1;
}

static const char *set_log_level(struct config_parms *p, void *ctx, int argc, char **argv)
{
    struct server_config *c = ctx;
    static const char keywords[] =
        "LogLevel requires level keyword: one of "
        "emerg/alert/crit/error/warn/notice/info/debug/trace1/.../trace8";
    if (argc < 1)
        return "LogLevel requires at least one argument";
    for (int i = 0; i < argc; i++) {
        char *colon = strchr(argv[i], ':');
        if (colon == NULL) {
            int level = parse_level(argv[i]);
            if (level < 0)
                return keywords;
            c->log_level = (enum config_log_level)level;
            continue;
        }
        /* Per-module levels ("core:info") are checked and accepted; ntmpm logs with one level. */
        *colon = '\0';
        if (parse_level(colon + 1) < 0)
            return keywords;
        char *module = cfg_format("%s_module", argv[i]);
        int known = cfg_find_module(argv[i]) != NULL || (module && cfg_find_module(module));
        free(module);
        if (!known)
            return config_errorf(p, "Cannot find module %s", argv[i]);
    }
    return NULL;
}

static const char *set_accept_filter(struct config_parms *p, void *ctx, int argc, char **argv)
{
    struct server_config *c = ctx;
    (void)argc;
    enum config_accept_mode mode;
    if (strcmp(argv[1], "connect") == 0)
        mode = CONFIG_ACCEPT_CONNECT;
    else if (strcmp(argv[1], "data") == 0)
        mode = CONFIG_ACCEPT_DATA;
    else if (strcmp(argv[1], "none") == 0)
        mode = CONFIG_ACCEPT_NONE;
    else
        return config_errorf(
            p, "AcceptFilter '%s' is not supported here: use connect, data or none", argv[1]);
    cfg_lower(argv[0]);
    for (size_t i = 0; i < c->n_accept_filters; i++) {
        if (strcmp(c->accept_filters[i].protocol, argv[0]) == 0) {
            c->accept_filters[i].mode = mode;
            return NULL;
        }
    }
    struct config_accept_filter *f =
        realloc(c->accept_filters, (c->n_accept_filters + 1) * sizeof(*f));
    if (f == NULL)
        return "Out of memory while applying the configuration";
    c->accept_filters = f;
    f[c->n_accept_filters].protocol = cfg_strdup(argv[0]);
    f[c->n_accept_filters].mode = mode;
    if (f[c->n_accept_filters].protocol == NULL)
        return "Out of memory while applying the configuration";
    c->n_accept_filters++;
    return NULL;
}

enum config_accept_mode config_accept_mode_for(const struct server_config *conf,
                                               const char *protocol)
{
    for (size_t i = 0; i < conf->n_accept_filters; i++)
        if (cfg_strcasecmp(conf->accept_filters[i].protocol, protocol) == 0)
            return conf->accept_filters[i].mode;
    return CONFIG_ACCEPT_CONNECT;
}

static const char *core_pre(struct server_config *c)
{
    c->document_root = cfg_path_join(c->server_root, "htdocs");
    c->error_log = cfg_path_join(c->server_root, "logs/error.log");
    c->timeout_ms = DEFAULT_TIMEOUT_MS;
    c->log_level = CONFIG_LOG_WARNING;
    c->accept_filters = calloc(2, sizeof(*c->accept_filters));
    if (c->document_root == NULL || c->error_log == NULL || c->accept_filters == NULL)
        return "Out of memory while applying the configuration";
    /* [AcceptFilter] On Windows both http and https default to connect (AcceptEx). */
    c->accept_filters[0] = (struct config_accept_filter){cfg_strdup("http"), CONFIG_ACCEPT_CONNECT};
    c->accept_filters[1] =
        (struct config_accept_filter){cfg_strdup("https"), CONFIG_ACCEPT_CONNECT};
    c->n_accept_filters = 2;
    if (c->accept_filters[0].protocol == NULL || c->accept_filters[1].protocol == NULL)
        return "Out of memory while applying the configuration";
    return NULL;
}

#define SRV CONFIG_CTX_SERVER
#define ANY (CONFIG_CTX_SERVER | CONFIG_CTX_VHOST | CONFIG_CTX_DIRECTORY)

static const struct config_cmd core_cmds[] = {
    {"ServerRoot", CONFIG_TAKE1, SRV, no_op,
     "Common directory of server-related files (logs, confs, etc.)"},
    {"ServerName", CONFIG_TAKE1, SRV | CONFIG_CTX_VHOST, set_server_name,
     "The hostname and port of the server"},
    {"DocumentRoot", CONFIG_TAKE1, SRV | CONFIG_CTX_VHOST, set_document_root,
     "Root directory of the document tree"},
    {"TimeOut", CONFIG_TAKE1, SRV | CONFIG_CTX_VHOST, set_timeout, "Timeout duration (sec)"},
    {"ErrorLog", CONFIG_TAKE1, SRV | CONFIG_CTX_VHOST, set_error_log,
     "The filename of the error log"},
    {"LogLevel", CONFIG_TAKE_ARGV, ANY, set_log_level, "Level of verbosity in error logging"},
    {"AcceptFilter", CONFIG_TAKE2, SRV, set_accept_filter,
     "Set the Accept Filter to use for a protocol"},
    /* Handled while reading (they never reach the apply stage); listed for -L. */
    {"Include", CONFIG_TAKE1, ANY, no_op,
     "Name(s) of the config file(s) to be included; fails if the wildcard does not match at "
     "least one file"},
    {"IncludeOptional", CONFIG_TAKE1, ANY, no_op,
     "Name or pattern of the config file(s) to be included; ignored if the file(s) do not exist "
     "or the pattern does not match any files"},
    {"<IfModule", CONFIG_TAKE1, ANY, no_op,
     "Container for directives based on existence of "
     "specified modules"},
    {"<IfDefine", CONFIG_TAKE1, ANY, no_op,
     "Container for directives based on existence of "
     "command line defines"},
    {NULL, 0, 0, NULL, NULL},
};

/* ---- http_core ---------------------------------------------------------------------------------
 */

static const char *set_keep_alive(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)p, (void)argc;
    ((struct server_config *)ctx)->keep_alive = argv[0][0] == '1';
    return NULL;
}

/* The directives that only store an integer: the field and the range parse_int accepts. Values
 * that parse but are out of a directive's own bounds (ThreadsPerChild) are clamped with a warning
 * after all directives, as httpd does. */
static const struct int_directive {
    const char *name;
    size_t offset;
    long min, max;
} int_directives[] = {
    {"MaxKeepAliveRequests", offsetof(struct server_config, max_keep_alive_requests), 0, INT_MAX},
    {"ThreadsPerChild", offsetof(struct server_config, threads_per_child), INT_MIN, INT_MAX},
    {"ThreadLimit", offsetof(struct server_config, thread_limit), INT_MIN, INT_MAX},
    {"MaxConnectionsPerChild", offsetof(struct server_config, max_connections_per_child), 0,
     INT_MAX},
    {"MaxRequestsPerChild", offsetof(struct server_config, max_connections_per_child), 0, INT_MAX},
};

static const char *set_int(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)argc;
    for (size_t i = 0; i < sizeof(int_directives) / sizeof(int_directives[0]); i++) {
        const struct int_directive *d = &int_directives[i];
        if (cfg_strcasecmp(p->cmd->name, d->name) != 0)
            continue;
        long v = 0; /* parse_int sets it on success; -O3 cannot prove that */
        const char *msg = parse_int(p, argv[0], d->min, d->max, &v);
        if (msg == NULL)
            *(int *)(void *)((char *)ctx + d->offset) = (int)v;
        return msg;
    }
    return "internal error: no field for this directive";
}

static const char *set_keep_alive_timeout(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)argc;
    return parse_timeout(p, argv[0], &((struct server_config *)ctx)->keep_alive_timeout_ms);
}

static const char *http_pre(struct server_config *c)
{
    c->keep_alive = 1;
    c->keep_alive_timeout_ms = DEFAULT_KEEPALIVE_TIMEOUT_MS;
    c->max_keep_alive_requests = DEFAULT_KEEPALIVE_MAX;
    return NULL;
}

static const struct config_cmd http_cmds[] = {
    {"KeepAlive", CONFIG_FLAG, SRV | CONFIG_CTX_VHOST, set_keep_alive,
     "Whether persistent connections should be On or Off"},
    {"KeepAliveTimeout", CONFIG_TAKE1, SRV | CONFIG_CTX_VHOST, set_keep_alive_timeout,
     "Keep-Alive timeout duration (sec)"},
    {"MaxKeepAliveRequests", CONFIG_TAKE1, SRV | CONFIG_CTX_VHOST, set_int,
     "Maximum number of Keep-Alive requests per connection, or 0 for infinite"},
    {NULL, 0, 0, NULL, NULL},
};

/* ---- mod_so ------------------------------------------------------------------------------------
 */

/* LoadModule takes effect while reading and before the directives are applied (config_apply). */
static const struct config_cmd so_cmds[] = {
    {"LoadModule", CONFIG_TAKE2, SRV, no_op,
     "a module name and the name of a shared object file to load it from"},
    {NULL, 0, 0, NULL, NULL},
};

/* ---- mpm_winnt: listeners ----------------------------------------------------------------------
 */

static int valid_host(const char *h, int v6)
{
    if (*h == '\0')
        return 0;
    for (; *h; h++) {
        unsigned char c = (unsigned char)*h;
        if (v6 ? !(isxdigit(c) || c == ':' || c == '.') : !(isalnum(c) || c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

/* "[addr:]port": IPv4, host name, "*", or "[v6]". host is NULL for every address. */
static const char *parse_addr_port(const char *arg, char **host, unsigned short *port)
{
    const char *port_str = arg;
    char *h = NULL;
    *host = NULL;
    if (arg[0] == '[') {
        const char *close = strchr(arg, ']');
        if (close == NULL)
            return "Invalid address or port";
        h = cfg_strndup(arg + 1, (size_t)(close - arg - 1));
        if (h == NULL)
            return "Out of memory while applying the configuration";
        if (strchr(h, '%') != NULL) {
            free(h);
            return "Scope id is not supported";
        }
        if (!valid_host(h, 1) || strchr(h, ':') == NULL || (close[1] != '\0' && close[1] != ':')) {
            free(h);
            return "Invalid address or port";
        }
        if (close[1] == '\0') {
            free(h);
            return "Port must be specified";
        }
        port_str = close + 2;
    } else {
        const char *colon = strrchr(arg, ':');
        if (colon != NULL) {
            if (strchr(arg, ':') != colon) /* bare IPv6 needs brackets */
                return "Invalid address or port";
            h = cfg_strndup(arg, (size_t)(colon - arg));
            if (h == NULL)
                return "Out of memory while applying the configuration";
            if (strcmp(h, "*") != 0 && !valid_host(h, 0)) {
                free(h);
                return "Invalid address or port";
            }
            port_str = colon + 1;
        } else if (!isdigit((unsigned char)arg[0])) {
            /* A lone name: apr takes it as a host without a port. */
            return valid_host(arg, 0) ? "Port must be specified" : "Invalid address or port";
        }
    }
    char *end;
    long p = strtol(port_str, &end, 10);
    if (*port_str == '\0' || !isdigit((unsigned char)*port_str) || *end != '\0' || p > 65535) {
        free(h);
        return "Invalid address or port";
    }
    if (p == 0) {
        free(h);
        return "Port must be specified";
    }
    if (h != NULL && strcmp(h, "*") == 0) {
        free(h);
        h = NULL;
    }
    if (h != NULL)
        cfg_lower(h);
    *host = h;
    *port = (unsigned short)p;
    return NULL;
}

static const char *set_listener(struct config_parms *p, void *ctx, int argc, char **argv)
{
    struct server_config *c = ctx;
    char *host;
    unsigned short port;
    if (argc < 1 || argc > 2)
        return "Listen requires 1 or 2 arguments.";
    const char *msg = parse_addr_port(argv[0], &host, &port);
    if (msg != NULL)
        return msg;
    for (size_t i = 0; i < c->n_listens; i++) {
        const struct config_listen *l = &c->listens[i];
        if (l->port == port && ((l->host == NULL && host == NULL) ||
                                (l->host != NULL && host != NULL && strcmp(l->host, host) == 0))) {
            free(host);
            return "Cannot define multiple Listeners on the same IP:port";
        }
    }
    char *proto = cfg_strdup(argc == 2 ? argv[1] : port == 443 ? "https" : "http");
    char *file = cfg_strdup(p->file);
    struct config_listen *ls = realloc(c->listens, (c->n_listens + 1) * sizeof(*ls));
    if (ls != NULL)
        c->listens = ls;
    if (proto == NULL || file == NULL || ls == NULL) {
        free(host);
        free(proto);
        free(file);
        return "Out of memory while applying the configuration";
    }
    cfg_lower(proto);
    ls[c->n_listens++] = (struct config_listen){host, port, proto, file, p->line};
    return NULL;
}

static const char *set_listen_backlog(struct config_parms *p, void *ctx, int argc, char **argv)
{
    long v = 0; /* parse_int sets it on success; -O3 cannot prove that */
    (void)argc;
    const char *msg = parse_int(p, argv[0], LONG_MIN, INT_MAX, &v);
    if (msg == NULL && v < 1)
        return "ListenBacklog must be > 0";
    if (msg == NULL)
        ((struct server_config *)ctx)->listen_backlog = (int)v;
    return msg;
}

static const char *set_buffer_size(struct config_parms *p, void *ctx, int argc, char **argv)
{
    struct server_config *c = ctx;
    int send = cfg_strcasecmp(p->cmd->name, "SendBufferSize") == 0;
    long v = 0; /* parse_int sets it on success; -O3 cannot prove that */
    (void)argc;
    const char *msg = parse_int(p, argv[0], LONG_MIN, INT_MAX, &v);
    if (msg != NULL)
        return msg;
    if (v < 512 && v != 0)
        return send ? "SendBufferSize must be >= 512 bytes, or 0 for system default."
                    : "ReceiveBufferSize must be >= 512 bytes, or 0 for system default.";
    *(send ? &c->send_buffer_size : &c->receive_buffer_size) = (int)v;
    return NULL;
}

/* ---- mpm_winnt: threads and process ------------------------------------------------------------
 */

static const char *set_disable_acceptex(struct config_parms *p, void *ctx, int argc, char **argv)
{
    struct server_config *c = ctx;
    (void)argc, (void)argv;
    /* httpd 2.4 rejects this 2.2 directive; ntmpm accepts it to help people migrate. */
    config_warnf(p,
                 "Win32DisableAcceptEx is deprecated (line %u of %s): use 'AcceptFilter http none' "
                 "and 'AcceptFilter https none' instead",
                 p->line, p->file);
    c->win32_disable_acceptex = 1;
    char http[] = "http", https[] = "https", none[] = "none";
    char *a1[] = {http, none}, *a2[] = {https, none};
    const char *msg = set_accept_filter(p, ctx, 2, a1);
    return msg ? msg : set_accept_filter(p, ctx, 2, a2);
}

static const char *set_core_dump_directory(struct config_parms *p, void *ctx, int argc, char **argv)
{
    struct server_config *c = ctx;
    (void)argc;
    char *path = config_server_root_relative(p, argv[0]);
    if (path == NULL)
        return "Out of memory while applying the configuration";
    DWORD a = GetFileAttributesA(path);
    const char *msg = NULL;
    if (a == INVALID_FILE_ATTRIBUTES)
        msg = config_errorf(p, "CoreDumpDirectory %s does not exist", path);
    else if (!(a & FILE_ATTRIBUTE_DIRECTORY))
        msg = config_errorf(p, "CoreDumpDirectory %s is not a directory", path);
    if (msg != NULL) {
        free(path);
        return msg;
    }
    free(c->core_dump_directory);
    c->core_dump_directory = path;
    return NULL;
}

static const char *set_max_connections(struct config_parms *p, void *ctx, int argc, char **argv)
{
    if (cfg_strcasecmp(p->cmd->name, "MaxRequestsPerChild") == 0)
        config_warnf(p, "MaxRequestsPerChild is deprecated, use MaxConnectionsPerChild instead.");
    return set_int(p, ctx, argc, argv);
}

static const char *set_max_mem_free(struct config_parms *p, void *ctx, int argc, char **argv)
{
    long v = 0; /* parse_int sets it on success; -O3 cannot prove that */
    (void)argc;
    const char *msg = parse_int(p, argv[0], 0, LONG_MAX, &v);
    if (msg == NULL)
        ((struct server_config *)ctx)->max_mem_free_kib = (unsigned long)v;
    return msg;
}

static const char *set_pid_file(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)argc;
    return set_path(p, &((struct server_config *)ctx)->pid_file, argv[0]);
}

static const char *set_scoreboard_file(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)argc;
    return set_path(p, &((struct server_config *)ctx)->scoreboard_file, argv[0]);
}

static const char *set_thread_stack_size(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)argc;
    char *end;
    errno = 0;
    long v = strtol(argv[0], &end, 0);
    if (*argv[0] == '\0' || *end != '\0' || errno == ERANGE || v < 0)
        return config_errorf(p, "Invalid ThreadStackSize value: %s", argv[0]);
    ((struct server_config *)ctx)->thread_stack_size = (unsigned long)v;
    return NULL;
}

static const char *mpm_pre(struct server_config *c)
{
    c->listen_backlog = DEFAULT_LISTEN_BACKLOG;
    c->thread_limit = DEFAULT_THREAD_LIMIT;
    c->threads_per_child = DEFAULT_THREADS_PER_CHILD;
    c->max_mem_free_kib = DEFAULT_MAX_MEM_FREE_KIB;
    c->core_dump_directory = cfg_strdup(c->server_root);
    c->pid_file = cfg_path_join(c->server_root, "logs/ntmpm.pid");
    if (c->core_dump_directory == NULL || c->pid_file == NULL)
        return "Out of memory while applying the configuration";
    return NULL;
}

static void clamp_threads_per_child(struct server_config *c, const struct config_sink *sink)
{
    if (c->threads_per_child > c->thread_limit) {
        cfg_sink_warnf(
            sink,
            "WARNING: ThreadsPerChild of %d exceeds ThreadLimit of %d threads, decreasing to %d. "
            "To increase, please see the ThreadLimit directive.",
            c->threads_per_child, c->thread_limit, c->thread_limit);
        c->threads_per_child = c->thread_limit;
    } else if (c->threads_per_child < 1) {
        cfg_sink_warnf(sink, "WARNING: ThreadsPerChild of %d not allowed, increasing to 1.",
                       c->threads_per_child);
        c->threads_per_child = 1;
    }
}

static const char *mpm_post(struct server_config *c, const struct config_sink *sink,
                            struct config_error *err)
{
    if (c->thread_limit > CONFIG_MAX_THREAD_LIMIT) {
        cfg_sink_warnf(
            sink,
            "WARNING: ThreadLimit of %d exceeds compile-time limit of %d threads, decreasing to "
            "%d.",
            c->thread_limit, CONFIG_MAX_THREAD_LIMIT, CONFIG_MAX_THREAD_LIMIT);
        c->thread_limit = CONFIG_MAX_THREAD_LIMIT;
    } else if (c->thread_limit < 1) {
        cfg_sink_warnf(sink, "WARNING: ThreadLimit of %d not allowed, increasing to 1.",
                       c->thread_limit);
        c->thread_limit = 1;
    }
    clamp_threads_per_child(c, sink);
    if (c->n_listens == 0) {
        cfg_error_plain(err, "no listening sockets available, shutting down");
        return err->message;
    }
    return NULL;
}

int config_check_restart(const struct server_config *prev, struct server_config *next,
                         const struct config_sink *sink)
{
    if (next->thread_limit == prev->thread_limit)
        return 0;
    cfg_sink_warnf(
        sink, "changing ThreadLimit to %d from original value of %d not allowed during restart",
        next->thread_limit, prev->thread_limit);
    next->thread_limit = prev->thread_limit;
    clamp_threads_per_child(next, sink);
    return 1;
}

static const struct config_cmd mpm_winnt_cmds[] = {
    {"Listen", CONFIG_TAKE_ARGV, SRV, set_listener,
     "A port number or a numeric IP address and a port number, and an optional protocol"},
    {"ListenBacklog", CONFIG_TAKE1, SRV, set_listen_backlog,
     "Maximum length of the queue of pending connections, as used by listen(2)"},
    {"SendBufferSize", CONFIG_TAKE1, SRV, set_buffer_size, "Send buffer size in bytes"},
    {"ReceiveBufferSize", CONFIG_TAKE1, SRV, set_buffer_size, "Receive buffer size in bytes"},
    {"ThreadsPerChild", CONFIG_TAKE1, SRV, set_int, "Number of threads each child creates"},
    {"ThreadLimit", CONFIG_TAKE1, SRV, set_int,
     "Maximum worker threads in a server for this run of Apache"},
    {"Win32DisableAcceptEx", CONFIG_NO_ARGS, SRV, set_disable_acceptex,
     "Disable use of the high performance AcceptEx WinSock2 API to work around buggy VPN or "
     "Firewall software"},
    {"CoreDumpDirectory", CONFIG_TAKE1, SRV, set_core_dump_directory,
     "The location of the directory Apache changes to before dumping core"},
    {"MaxConnectionsPerChild", CONFIG_TAKE1, SRV, set_max_connections,
     "Maximum number of connections a particular child serves before dying."},
    {"MaxRequestsPerChild", CONFIG_TAKE1, SRV, set_max_connections,
     "Maximum number of connections a particular child serves before dying. (deprecated, use "
     "MaxConnectionsPerChild)"},
    {"MaxMemFree", CONFIG_TAKE1, SRV, set_max_mem_free,
     "Maximum number of 1k blocks a particular child's allocator may hold."},
    {"PidFile", CONFIG_TAKE1, SRV, set_pid_file, "A file for logging the server process ID"},
    {"ScoreBoardFile", CONFIG_TAKE1, SRV, set_scoreboard_file,
     "A file for Apache to maintain runtime process management information"},
    {"ThreadStackSize", CONFIG_TAKE1, SRV, set_thread_stack_size,
     "Size in bytes of stack used by threads handling client connections"},
    {NULL, 0, 0, NULL, NULL},
};

/* ---- the module list ------------------------------------------------------------------------- */

static const struct config_module core_module = {"core_module", "core.c", CONFIG_MODULE_BUILTIN,
                                                 core_cmds,     core_pre, NULL};
static const struct config_module mpm_winnt_module = {"mpm_winnt_module",
                                                      "mpm_winnt.c",
                                                      CONFIG_MODULE_BUILTIN | CONFIG_MODULE_MPM |
                                                          CONFIG_MODULE_LOADABLE,
                                                      mpm_winnt_cmds,
                                                      mpm_pre,
                                                      mpm_post};
static const struct config_module http_module = {
    "http_module", "http_core.c", CONFIG_MODULE_BUILTIN, http_cmds, http_pre, NULL};
static const struct config_module so_module = {"so_module", "mod_so.c", CONFIG_MODULE_BUILTIN,
                                               so_cmds,     NULL,       NULL};

/* In httpd -l order. */
static const struct config_module *const builtin_modules[] = {&core_module, &mpm_winnt_module,
                                                              &http_module, &so_module};
#define N_BUILTIN (sizeof(builtin_modules) / sizeof(builtin_modules[0]))

static const struct config_module *registered[16];
static size_t n_registered;

size_t config_module_count(void)
{
    return N_BUILTIN + n_registered;
}

const struct config_module *config_module_get(size_t i)
{
    return i < N_BUILTIN ? builtin_modules[i] : registered[i - N_BUILTIN];
}

int config_register_module(const struct config_module *module)
{
    if (n_registered == sizeof(registered) / sizeof(registered[0]))
        return -1;
    registered[n_registered++] = module;
    return 0;
}

size_t config_compiled_modules(int mpms_shared, const struct config_module **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < config_module_count(); i++) {
        const struct config_module *m = config_module_get(i);
        if (cfg_module_compiled_in(m, mpms_shared)) {
            if (n < max)
                out[n] = m;
            n++;
        }
    }
    return n;
}
