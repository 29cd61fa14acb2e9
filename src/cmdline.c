/* httpd-compatible command-line parsing (no behaviour) and the texts the options print. */
#include "cmdline.h"
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const signal_names[] = {"",     "start",         "restart", "graceful",
                                           "stop", "graceful-stop", "shutdown"};

const char *cmdline_signal_name(enum cmdline_signal signal)
{
    if ((unsigned)signal >= sizeof(signal_names) / sizeof(signal_names[0]))
        return "";
    return signal_names[signal];
}

static const char *const log_levels[] = {"emerg",  "alert",  "crit",   "error",  "warn",   "notice",
                                         "info",   "debug",  "trace1", "trace2", "trace3", "trace4",
                                         "trace5", "trace6", "trace7", "trace8"};

static int push(const char ***list, size_t *n, const char *value)
{
    const char **grown = realloc(*list, (*n + 1) * sizeof(**list));
    if (grown == NULL)
        return -1;
    grown[(*n)++] = value;
    *list = grown;
    return 0;
}

static const char *base_name(const char *path)
{
    const char *b = path;
    for (const char *p = path; *p; p++)
        if (*p == '/' || *p == '\\')
            b = p + 1;
    return b;
}

static int fail(char *message, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(char *message, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, size, fmt, ap);
    va_end(ap);
    return -1;
}

int cmdline_parse(int argc, char **argv, struct cmdline *out, char *message, size_t size)
{
    static const char with_arg[] = "fdCcDeEk";
    static const char flags[] = "tSMXvVlLh";
    memset(out, 0, sizeof(*out));
    if (size > 0)
        message[0] = '\0';
    out->argv0 = argc > 0 && argv[0] != NULL ? base_name(argv[0]) : "ntmpm";
    const char *me = out->argv0;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == '\0')
            return fail(message, size, "%s: unexpected argument '%s'", me, a);
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        /* Options may be grouped (-tS) and take their argument attached or next (-fx, -f x). */
        for (const char *p = a + 1; *p; p++) {
            char opt = *p;
            if (strchr(with_arg, opt) != NULL) {
                const char *v = p[1] ? p + 1 : (i + 1 < argc ? argv[++i] : NULL);
                if (v == NULL)
                    return fail(message, size, "%s: option requires an argument -- %c", me, opt);
                int rc = 0;
                switch (opt) {
                case 'f':
                    out->config_file = v;
                    break;
                case 'd':
                    out->server_root = v;
                    break;
                case 'C':
                    rc = push(&out->pre, &out->n_pre, v);
                    break;
                case 'c':
                    rc = push(&out->post, &out->n_post, v);
                    break;
                case 'D':
                    rc = push(&out->defines, &out->n_defines, v);
                    break;
                case 'e': {
                    size_t k = 0, n = sizeof(log_levels) / sizeof(log_levels[0]);
                    while (k < n && strcmp(log_levels[k], v) != 0)
                        k++;
                    if (k == n)
                        return fail(message, size, "%s: invalid -e argument: %s", me, v);
                    out->error_level = v;
                    break;
                }
                case 'E':
                    out->error_file = v;
                    break;
                case 'k': {
                    size_t k = 1, n = sizeof(signal_names) / sizeof(signal_names[0]);
                    while (k < n && strcmp(signal_names[k], v) != 0)
                        k++;
                    if (k == n || out->signal != CMDLINE_K_NONE)
                        return fail(message, size, "%s: unrecognized -k argument: %s", me, v);
                    out->signal = (enum cmdline_signal)k;
                    break;
                }
                }
                if (rc != 0)
                    return fail(message, size, "%s: out of memory", me);
                break; /* the rest of this word was the argument */
            }
            if (opt == '\0' || strchr(flags, opt) == NULL)
                return fail(message, size, "%s: illegal option -- %c", me, opt);
            int rc = 0;
            switch (opt) {
            case 't':
                out->test = 1;
                break;
            case 'S': /* httpd: a synonym for -t -D DUMP_VHOSTS -D DUMP_RUN_CFG */
                out->test = 1;
                rc = push(&out->defines, &out->n_defines, "DUMP_VHOSTS") ||
                     push(&out->defines, &out->n_defines, "DUMP_RUN_CFG");
                break;
            case 'M': /* httpd: a synonym for -t -D DUMP_MODULES */
                out->test = 1;
                rc = push(&out->defines, &out->n_defines, "DUMP_MODULES");
                break;
            case 'X': /* httpd defines DEBUG for -X */
                out->one_process = 1;
                rc = push(&out->defines, &out->n_defines, "DEBUG");
                break;
            case 'v':
                out->show_version = 1;
                break;
            case 'V':
                out->show_settings = 1;
                break;
            case 'l':
                out->list_modules = 1;
                break;
            case 'L':
                out->list_directives = 1;
                break;
            case 'h':
                out->help = 1;
                break;
            }
            if (rc != 0)
                return fail(message, size, "%s: out of memory", me);
        }
    }
    if (i < argc)
        return fail(message, size, "%s: unexpected argument '%s'", me, argv[i]);
    return 0;
}

void cmdline_free(struct cmdline *cmd)
{
    free(cmd->pre);
    free(cmd->post);
    free(cmd->defines);
    cmd->pre = cmd->post = cmd->defines = NULL;
    cmd->n_pre = cmd->n_post = cmd->n_defines = 0;
}

/* A growing text. */
struct text {
    char *buf;
    size_t len, cap;
    int failed;
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct text *t, const char *fmt, ...)
{
    if (t->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || t->cap - t->len < (size_t)n + 1) {
        size_t cap = t->cap ? t->cap : 1024;
        while (n >= 0 && cap - t->len < (size_t)n + 1)
            cap *= 2;
        char *grown = n < 0 ? NULL : realloc(t->buf, cap);
        if (grown == NULL) {
            t->failed = 1;
            return;
        }
        t->buf = grown;
        t->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

static char *done(struct text *t)
{
    if (t->failed) {
        free(t->buf);
        return NULL;
    }
    return t->buf;
}

char *cmdline_usage(const char *argv0)
{
    struct text t = {0};
    const char *bin = argv0 ? argv0 : "ntmpm";
    int pad = (int)strlen(bin);
    add(&t, "Usage: %s [-D name] [-d directory] [-f file]\n", bin);
    add(&t, "       %*s [-C \"directive\"] [-c \"directive\"]\n", pad, "");
    add(&t, "       %*s [-k start|restart|graceful|graceful-stop|stop|shutdown]\n", pad, "");
    add(&t, "       %*s [-v] [-V] [-h] [-l] [-L] [-t] [-S] [-M] [-X]\n", pad, "");
    add(&t, "Options:\n"
            "  -D name            : define a name for use in <IfDefine name> directives\n"
            "  -d directory       : specify an alternate initial ServerRoot\n"
            "  -f file            : specify an alternate ServerConfigFile\n"
            "  -C \"directive\"     : process directive before reading config files\n"
            "  -c \"directive\"     : process directive after reading config files\n"
            "  -e level           : show startup errors of level (see LogLevel)\n"
            "  -E file            : log startup errors to file\n"
            "  -k start           : start the server in the background\n"
            "  -k restart         : tell the running server to do a graceful restart\n"
            "  -k graceful        : tell the running server to do a graceful restart\n"
            "  -k graceful-stop   : tell the running server to stop after in-flight requests\n"
            "  -k stop|shutdown   : tell the running server to shut down\n"
            "  -v                 : show version number\n"
            "  -V                 : show compile settings\n"
            "  -h                 : list available command line options (this page)\n"
            "  -l                 : list compiled in modules\n"
            "  -L                 : list available configuration directives\n"
            "  -t -D DUMP_VHOSTS  : show parsed vhost settings\n"
            "  -t -D DUMP_RUN_CFG : show parsed run settings\n"
            "  -S                 : a synonym for -t -D DUMP_VHOSTS -D DUMP_RUN_CFG\n"
            "  -t -D DUMP_MODULES : show all loaded modules \n"
            "  -M                 : a synonym for -t -D DUMP_MODULES\n"
            "  -t -D DUMP_INCLUDES: show all included configuration files\n"
            "  -t                 : run syntax check for config files\n"
            "  -X                 : debug mode (only one worker, do not detach)\n");
    return done(&t);
}

char *cmdline_version_text(const char *version, const char *built)
{
    struct text t = {0};
    add(&t, "Server version: ntmpm/%s\n", version);
    add(&t, "Server built:   %s\n", built);
    return done(&t);
}

char *cmdline_settings_text(const char *version, const char *built, int mpms_shared,
                            const char *server_root)
{
    struct text t = {0};
    add(&t, "Server version: ntmpm/%s\n", version);
    add(&t, "Server built:   %s\n", built);
    add(&t, "Architecture:   %u-bit\n", (unsigned)(sizeof(void *) * 8));
    add(&t, "Server MPM:     WinNT\n");
    add(&t, "  threaded:     yes (fixed thread count)\n");
    add(&t, "    forked:     no\n");
    add(&t, "Server compiled with....\n");
    if (mpms_shared)
        add(&t, " -D AP_ENABLE_MPMS_SHARED\n");
    add(&t, " -D HTTPD_ROOT=\"%s\"\n", server_root ? server_root : ".");
    add(&t, " -D DEFAULT_PIDLOG=\"logs/ntmpm.pid\"\n");
    add(&t, " -D DEFAULT_ERRORLOG=\"logs/error.log\"\n");
    add(&t, " -D SERVER_CONFIG_FILE=\"%s\"\n", CONFIG_DEFAULT_FILE);
    return done(&t);
}

char *cmdline_modules_text(int mpms_shared)
{
    const struct config_module *mods[64];
    size_t n = config_compiled_modules(mpms_shared, mods, 64);
    struct text t = {0};
    add(&t, "Compiled in modules:\n");
    for (size_t i = 0; i < n && i < 64; i++)
        add(&t, "  %s\n", mods[i]->file);
    return done(&t);
}

char *cmdline_directives_text(int mpms_shared)
{
    struct text t = {0};
    for (size_t i = 0; i < config_module_count(); i++) {
        const struct config_module *m = config_module_get(i);
        /* httpd -L lists what this binary has, loaded or loadable. */
        (void)mpms_shared;
        for (const struct config_cmd *c = m->cmds; c != NULL && c->name != NULL; c++) {
            add(&t, "%s (%s)\n", c->name, m->file);
            if (c->usage != NULL)
                add(&t, "\t%s\n", c->usage);
            if (c->contexts == CONFIG_CTX_SERVER)
                add(&t, "\tAllowed in *.conf only outside <Directory>, <Files>, <Location>, or "
                        "<If>\n");
            else
                add(&t, "\tAllowed in *.conf anywhere\n");
        }
    }
    return done(&t);
}
