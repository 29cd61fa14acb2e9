/* The WinNT MPM's module table: what a run means (server, child, -X, -k verb). */
#include "mpm_int.h"

static int winnt_run(const struct mpm_run *r)
{
    mpm_log_set(&r->log);
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
