/* The WinNT MPM's module table: what a run means (server, child, -X, -k verb). */
#include "mpm_int.h"
#include "../http/http.h"

static int winnt_run(const struct mpm_run *r)
{
    mpm_log_set(&r->log);
    /* Loaded as a DLL the MPM has its own copy of the configuration reader, which reads the
     * child's (and a restart's) configuration: it must know the HTTP directives too. Idempotent. */
    http_register_modules();
    if (r->child)
        return child_run(r);
    switch (r->signal) {
    case CMDLINE_K_START:
        return control_start_detached(r);
    case CMDLINE_K_RESTART:
    case CMDLINE_K_GRACEFUL:
    case CMDLINE_K_STOP:
    case CMDLINE_K_GRACEFUL_STOP:
    case CMDLINE_K_SHUTDOWN:
        return control_signal(r);
    case CMDLINE_K_NONE:
        break;
    }
    return r->one_process ? one_process_run(r) : parent_run(r);
}

const struct mpm_module mpm_winnt_module = {"mpm_winnt_module", "mpm_winnt.c", winnt_run};
