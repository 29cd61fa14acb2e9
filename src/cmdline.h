/* httpd-compatible command line: parsed into a struct, plus the usage, -v, -V, -l and -L texts. */
#ifndef NTMPM_CMDLINE_H
#define NTMPM_CMDLINE_H

#include <stddef.h>

enum cmdline_signal {
    CMDLINE_K_NONE, /* no -k: run in the foreground */
    CMDLINE_K_START,
    CMDLINE_K_RESTART,
    CMDLINE_K_GRACEFUL,
    CMDLINE_K_STOP,
    CMDLINE_K_GRACEFUL_STOP,
    CMDLINE_K_SHUTDOWN,
};

struct cmdline {
    const char *argv0;       /* program name for messages */
    const char *config_file; /* -f */
    const char *server_root; /* -d */
    const char **pre;        /* -C, in order */
    size_t n_pre;
    const char **post; /* -c, in order */
    size_t n_post;
    const char **defines; /* -D, plus the names -S, -M and -X imply (as httpd) */
    size_t n_defines;
    const char *error_level;    /* -e (a LogLevel name) */
    const char *error_file;     /* -E */
    enum cmdline_signal signal; /* -k */
    int test;                   /* -t (also -S and -M) */
    int one_process;            /* -X (defines DEBUG) */
    int show_version;           /* -v */
    int show_settings;          /* -V */
    int list_modules;           /* -l */
    int list_directives;        /* -L */
    int help;                   /* -h (httpd prints the usage and exits 1) */
};

/* Parse argv (argv[0] is the program). 0 on success; -1 with message set (e.g. "ntmpm: illegal
 * option -- q") when the caller must print message, then the usage, and exit 1. The struct
 * points into argv; release it with cmdline_free. */
int cmdline_parse(int argc, char **argv, struct cmdline *out, char *message, size_t size);
void cmdline_free(struct cmdline *cmd);
const char *cmdline_signal_name(enum cmdline_signal signal);

/* The texts (malloc'd; free() them). */
char *cmdline_usage(const char *argv0);
char *cmdline_version_text(const char *version, const char *built);
char *cmdline_settings_text(const char *version, const char *built, int mpms_shared,
                            const char *server_root);
char *cmdline_modules_text(int mpms_shared);
char *cmdline_directives_text(int mpms_shared);

#endif
