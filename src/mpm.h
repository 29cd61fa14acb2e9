/* The interface between main.c and an MPM: one module table, one run call with everything it needs.
 */
#ifndef NTMPM_MPM_H
#define NTMPM_MPM_H

#include "cmdline.h"
#include "config.h"

#include <stddef.h>

/* Environment of a child process: the control process's pid (decimal). When main.c finds it, it
 * must not parse the command line or read any config file: it calls run() with child = 1 and the
 * MPM receives the validated configuration over its stdin pipe. */
#define MPM_ENV_PARENT_PID "NTMPM_PARENT_PID"
/* Environment of a child process when the MPM is a loadable module (mpms_shared): the module
 * path the parent loaded, so the child's main.c can LoadLibrary it before calling run(). */
#define MPM_ENV_MODULE_PATH "NTMPM_MPM_MODULE"
/* Test-only: the next N AcceptEx calls of each child fail (docs in src/mpm_winnt/accept.c). */
#define MPM_ENV_TEST_ACCEPTEX_FAULTS "NTMPM_TEST_ACCEPTEX_FAULTS"

/* Where the MPM's messages go (log.c's ErrorLog; stderr before it is open). The sink adds the
 * timestamp, level, pid and tid in httpd's line shape and filters by LogLevel. */
struct mpm_log {
    void (*write)(void *ctx, enum config_log_level level, const char *message);
    /* Switch to conf's ErrorLog and LogLevel: the child after it received its configuration, the
     * parent after a restart validated a new one. 0, or -1 with a reason in err. May be NULL. */
    int (*reopen)(void *ctx, const struct server_config *conf, char *err, size_t errlen);
    void *ctx;
};

/* One call of the MPM. Everything is owned by main.c and outlives run(). */
struct mpm_run {
    int argc; /* the process's own argv: -k start re-runs itself detached with it */
    char **argv;
    int child; /* MPM_ENV_PARENT_PID was set: be the child; the fields below are NULL then */
    const struct cmdline *cmd;              /* parsed command line */
    const struct config_load_options *load; /* how main.c read the config: restarts re-read it */
    const struct config_flat *flat;         /* the validated configuration... */
    const struct server_config *conf;       /* ...and its applied form */
    enum cmdline_signal signal;             /* -k verb (cmd->signal) */
    int one_process;                        /* -X (cmd->one_process) */
    struct mpm_log log;
};

struct mpm_module {
    const char *name; /* "mpm_winnt_module" (LoadModule's name; also the exported symbol) */
    const char *file; /* "mpm_winnt.c" */
    /* Run the server, the child, or a -k verb. Returns the process exit code:
     *   no -k   foreground control process (or -X), until stop / Ctrl+C: 0, or 1 with a message
     *   start   detached server, returns 0 once it accepts connections, else 1 with the reason
     *   restart, graceful, stop, graceful-stop, shutdown: signal the server named by PidFile;
     *           1 with a clear message when none runs */
    int (*run)(const struct mpm_run *r);
};

/* The compiled-in (or, with mpms_shared, loadable: GetProcAddress(module, "mpm_winnt_module"))
 * Windows NT MPM. */
extern const struct mpm_module mpm_winnt_module;

#endif
