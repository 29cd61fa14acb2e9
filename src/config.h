/* The configuration reader: httpd 2.4 syntax -> a flattened, serialisable text -> server_config. */
#ifndef NTMPM_CONFIG_H
#define NTMPM_CONFIG_H

#include <stddef.h>

/* The file read when no -f is given, relative to ServerRoot (httpd's SERVER_CONFIG_FILE). */
#define CONFIG_DEFAULT_FILE "conf/ntmpm.conf"
/* Name of the pseudo file holding -C and -c directives in messages (as httpd names it). */
#define CONFIG_CMDLINE_FILE "-c/-C directives"
/* Include nesting limit (httpd's AP_MAX_INCLUDE_DEPTH). */
#define CONFIG_MAX_INCLUDE_DEPTH 128
/* ThreadLimit's compile-time maximum (httpd's MAX_THREAD_LIMIT for winnt). */
#define CONFIG_MAX_THREAD_LIMIT 15000

/* ---- messages ------------------------------------------------------------------------------ */

/* Where warnings go: -t prints them on stderr, the server logs them. fn may be NULL (dropped). */
struct config_sink {
    void (*fn)(void *ctx, const char *message);
    void *ctx;
};

/* An error: message is the complete text to show ("Syntax error on line 12 of /x.conf: ...");
 * file/line/directive locate it (line 0 and empty strings when it has no location). */
struct config_error {
    char message[4096];
    char file[1024];
    unsigned line;
    char directive[128];
};

/* ---- reading --------------------------------------------------------------------------------- */

struct config_load_options {
    const char *server_root; /* -d, else the built-in default; NULL means "." */
    const char *config_file; /* -f; NULL means CONFIG_DEFAULT_FILE; relative to ServerRoot */
    const char *const *pre;  /* -C directives, processed before the file */
    size_t n_pre;
    const char *const *post; /* -c directives, processed after the file */
    size_t n_post;
    const char *const *defines; /* -D names, for <IfDefine> */
    size_t n_defines;
    int mpms_shared; /* the MPM is a loadable module: exactly one LoadModule must name an MPM */
};

/* The flattened configuration: every logical line that counts, with its file and line number,
 * includes expanded, <IfDefine>/<IfModule> resolved, -C/-c included, other sections kept as
 * open/close lines. It is what the parent validated and what the child receives. */
struct config_flat;

struct config_line {
    const char *file;
    unsigned line;
    const char *text; /* continuation lines joined, leading and trailing blanks removed */
};

/* Read the files. 0 and *out on success; -1 and *err (file, line, directive) on failure. */
int config_load(const struct config_load_options *opts, struct config_flat **out,
                struct config_error *err);
void config_flat_free(struct config_flat *flat);
size_t config_flat_count(const struct config_flat *flat);
struct config_line config_flat_line(const struct config_flat *flat, size_t i);
/* The ServerRoot in force at the start (from the load options, made absolute). */
const char *config_flat_server_root(const struct config_flat *flat);

/* A self-contained byte image of flat (malloc'd; free() it), and back without disk access. */
int config_serialise(const struct config_flat *flat, char **buf, size_t *len);
int config_deserialise(const char *buf, size_t len, struct config_flat **out,
                       struct config_error *err);

/* ---- the applied configuration ------------------------------------------------------------ */

enum config_accept_mode { CONFIG_ACCEPT_CONNECT, CONFIG_ACCEPT_DATA, CONFIG_ACCEPT_NONE };

enum config_log_level {
    CONFIG_LOG_EMERG,
    CONFIG_LOG_ALERT,
    CONFIG_LOG_CRIT,
    CONFIG_LOG_ERR,
    CONFIG_LOG_WARNING,
    CONFIG_LOG_NOTICE,
    CONFIG_LOG_INFO,
    CONFIG_LOG_DEBUG,
    CONFIG_LOG_TRACE1,
    CONFIG_LOG_TRACE8 = CONFIG_LOG_TRACE1 + 7,
};

struct config_listen {
    char *host;          /* NULL: every address ("Listen 80", "Listen *:80"); IPv6 without [] */
    unsigned short port; /* never 0 */
    char *protocol;      /* lower case; "https" for port 443 else "http" when not given */
    char *file;          /* where the Listen line is, for bind errors */
    unsigned line;
};

struct config_accept_filter {
    char *protocol; /* lower case */
    enum config_accept_mode mode;
};

struct config_loaded_module {
    char *name; /* e.g. mpm_winnt_module */
    char *path; /* absolute (ServerRoot-relative in the file) */
    int is_mpm;
};

struct server_config {
    char *server_root;   /* absolute */
    char *server_name;   /* NULL when not set */
    char *document_root; /* absolute; default ServerRoot/htdocs */
    struct config_listen *listens;
    size_t n_listens;
    int listen_backlog;              /* 511 */
    unsigned timeout_ms;             /* TimeOut 60 s */
    int keep_alive;                  /* On */
    unsigned keep_alive_timeout_ms;  /* 5 s */
    int max_keep_alive_requests;     /* 100; 0 = unlimited */
    char *error_log;                 /* absolute path, or "|command" / "syslog..." verbatim */
    enum config_log_level log_level; /* warn */
    struct config_loaded_module *modules;
    size_t n_modules;
    const char *mpm_module_path; /* the LoadModule path of the MPM, NULL when compiled in */
    struct config_accept_filter *accept_filters; /* http and https: connect (Windows default) */
    size_t n_accept_filters;
    int win32_disable_acceptex;      /* the deprecated directive was used */
    char *core_dump_directory;       /* default ServerRoot */
    int max_connections_per_child;   /* 0 = unlimited */
    unsigned long max_mem_free_kib;  /* 2048; 0 = unlimited */
    char *pid_file;                  /* absolute; default ServerRoot/logs/ntmpm.pid */
    int receive_buffer_size;         /* 0 = OS default */
    int send_buffer_size;            /* 0 = OS default */
    char *scoreboard_file;           /* NULL = anonymous shared memory */
    int thread_limit;                /* 1920, 1..CONFIG_MAX_THREAD_LIMIT */
    int threads_per_child;           /* 64, 1..thread_limit */
    unsigned long thread_stack_size; /* 0 = default */
    /* src/http's settings (struct http_config): its module's pre hook sets both. */
    void *http;
    void (*http_free)(void *http);
};

/* Apply a flattened configuration: every directive checked, defaults filled, values clamped with
 * warnings to sink. 0 and *out on success; -1 and *err on failure. No disk access except the
 * checks httpd makes (CoreDumpDirectory must exist; a missing DocumentRoot is a warning). */
int config_apply(const struct config_flat *flat, const struct config_sink *sink,
                 struct server_config **out, struct config_error *err);
void server_config_free(struct server_config *conf);

/* A restart: ThreadLimit cannot change. When next's differs from prev's, warn as httpd does, keep
 * the old value (and clamp ThreadsPerChild to it); returns 1 then, else 0. */
int config_check_restart(const struct server_config *prev, struct server_config *next,
                         const struct config_sink *sink);

/* The accept mode for a protocol (AcceptFilter; protocols never named get "connect"). */
enum config_accept_mode config_accept_mode_for(const struct server_config *conf,
                                               const char *protocol);
const char *config_log_level_name(enum config_log_level level);

/* ---- the directive table (extension interface) --------------------------------------------- */

/* How a directive's arguments are split (httpd's cmd_how). */
enum config_args {
    CONFIG_NO_ARGS,
    CONFIG_TAKE1,
    CONFIG_TAKE2,
    CONFIG_TAKE12,
    CONFIG_TAKE3,
    CONFIG_TAKE23,
    CONFIG_TAKE123,
    CONFIG_TAKE_ARGV, /* 0..64 words, the handler checks */
    CONFIG_ITERATE,   /* one call per word, at least one */
    CONFIG_FLAG,      /* On|Off -> argv[0] is "1" or "0" */
    CONFIG_RAW_ARGS,  /* argv[0] is the unsplit rest of the line */
};

/* Contexts (bit mask): where a directive may appear. Sections declare the context they open. */
#define CONFIG_CTX_SERVER 0x1u    /* top level of the server configuration */
#define CONFIG_CTX_DIRECTORY 0x2u /* inside <Directory>, <Location>, <Files>... (for later) */
#define CONFIG_CTX_VHOST 0x4u     /* inside <VirtualHost> (for later) */

/* A directive of the configuration tree, as config_apply builds it from the flattened lines. */
struct config_node {
    char *name; /* as written: "Listen", "<Directory" */
    char *args; /* the rest of the line, unsplit (for sections it still ends in '>') */
    const char *file;
    unsigned line;
    int is_section;
    struct config_node *parent, *first_child, *next;
};

struct config_parms;

/* A handler returns NULL, or an error message (a literal or config_errorf's buffer). */
typedef const char *(*config_handler)(struct config_parms *parms, void *ctx, int argc, char **argv);

struct config_cmd {
    const char *name; /* "ThreadsPerChild"; sections start with '<': "<Directory" */
    enum config_args args;
    unsigned contexts; /* CONFIG_CTX_* where it may appear */
    config_handler fn; /* sections: argv holds the words of the opening tag, '>' removed */
    const char *usage; /* shown after "takes one argument, " */
};

/* What a handler sees. */
struct config_parms {
    const struct config_cmd *cmd;
    const struct config_node *node; /* the directive (for sections: use config_walk on it) */
    const char *file;
    unsigned line;
    unsigned context;    /* CONFIG_CTX_* of the enclosing section */
    const char *section; /* name of the enclosing section ("<Directory"), NULL at top level */
    struct server_config *server;
    const struct config_sink *sink;
    void *state;    /* the apply run's private state */
    char err[1024]; /* room for formatted error messages */
};

/* Format an error message into parms->err and return it. */
const char *config_errorf(struct config_parms *parms, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Send a warning to the sink. */
void config_warnf(struct config_parms *parms, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Resolve path against the final ServerRoot (malloc'd; NULL on allocation failure). */
char *config_server_root_relative(const struct config_parms *parms, const char *path);
/* Run the children of a section node with ctx in the given context. */
const char *config_walk_children(struct config_parms *parms, unsigned context, void *ctx);

/* Modules: the compiled-in ones and those LoadModule can name. */
#define CONFIG_MODULE_BUILTIN 0x1u  /* compiled in (httpd -l lists it) */
#define CONFIG_MODULE_MPM 0x2u      /* an MPM: a built-in MPM is compiled in unless mpms_shared */
#define CONFIG_MODULE_LOADABLE 0x4u /* may be named by LoadModule */

struct config_module {
    const char *name; /* "mpm_winnt_module" (LoadModule, <IfModule>) */
    const char *file; /* "mpm_winnt.c" (<IfModule>, -l) */
    unsigned flags;
    const struct config_cmd *cmds; /* terminated by a NULL name; may be NULL */
    /* Called before the directives (defaults; every registered module) and after them (checks;
     * the modules present). NULL or an error message; post fills err itself. May be NULL. */
    const char *(*pre)(struct server_config *conf);
    const char *(*post)(struct server_config *conf, const struct config_sink *sink,
                        struct config_error *err);
};

/* The module list: the built-in ones (directives.c), then the registered ones. */
size_t config_module_count(void);
const struct config_module *config_module_get(size_t i);
/* Add a module (another part of the server, or a test). Returns 0, or -1 when full. */
int config_register_module(const struct config_module *module);
/* The modules -l lists: the built-in ones, and the MPM unless mpms_shared. */
size_t config_compiled_modules(int mpms_shared, const struct config_module **out, size_t max);

#endif
