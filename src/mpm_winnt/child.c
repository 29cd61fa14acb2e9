/* The child process: receive the handshake, serve until the exit event (or the parent's death). */
#include "server_int.h"

#include <stdio.h>
#include <stdlib.h>

static BOOL WINAPI ignore_console(DWORD type)
{
    /* Ctrl+C reaches the whole console group: only the control process acts on it. */
    (void)type;
    return TRUE;
}

int child_run(const struct mpm_run *r)
{
    (void)r;
    SetConsoleCtrlHandler(ignore_console, TRUE);
    struct handshake h;
    if (handshake_receive(GetStdHandle(STD_INPUT_HANDLE), &h) != 0) {
        mpm_logf(CONFIG_LOG_CRIT, "Child: could not read the handshake from the parent");
        return MPM_CHILD_EXIT_FATAL;
    }
    struct config_flat *flat = NULL;
    struct server_config *conf = NULL;
    struct config_error err;
    /* The parent already reported the warnings of this configuration. */
    struct config_sink quiet = {NULL, NULL};
    if (config_deserialise(h.config, h.config_len, &flat, &err) != 0 ||
        config_apply(flat, &quiet, &conf, &err) != 0) {
        mpm_log_config_error("Child: configuration", &err);
        return MPM_CHILD_EXIT_FATAL;
    }
    mpm_log_reopen(conf);

    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        mpm_logf(CONFIG_LOG_CRIT, "Child: WSAStartup failed");
        return MPM_CHILD_EXIT_FATAL;
    }
    HANDLE parent = OpenProcess(SYNCHRONIZE, FALSE, h.parent_pid);
    if (!parent) {
        mpm_logf(CONFIG_LOG_CRIT, "Child: could not open the parent process %lu (%lu)",
                 (unsigned long)h.parent_pid, (unsigned long)GetLastError());
        return MPM_CHILD_EXIT_FATAL;
    }
    struct scoreboard sb;
    if (scoreboard_attach(h.scoreboard, (size_t)h.sb_size, &sb) != 0 || h.sb_row >= SB_ROWS)
        return MPM_CHILD_EXIT_FATAL;
    struct sb_row *row = &sb.sb->row[h.sb_row];
    row->pid = GetCurrentProcessId();

    struct mpm_listener *ls = calloc(h.n_sockets + 1, sizeof(*ls));
    if (!ls)
        return MPM_CHILD_EXIT_FATAL;
    for (uint32_t i = 0; i < h.n_sockets; i++) {
        ls[i].s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
                             &h.sockets[i], 0, WSA_FLAG_OVERLAPPED);
        if (ls[i].s == INVALID_SOCKET) {
            mpm_logf(CONFIG_LOG_CRIT, "Child: WSASocket failed to open the inherited socket (%d)",
                     WSAGetLastError());
            return MPM_CHILD_EXIT_FATAL;
        }
        ls[i].family = h.sockets[i].iAddressFamily;
        ls[i].mode = (enum config_accept_mode)h.modes[i];
    }

    /* Serialises the start of the children's serving cores (httpd's start mutex); unlike httpd we
     * release it once ready, so an old and a new child accept side by side during a restart. */
    DWORD m = WaitForSingleObject(h.start_mutex, 30000);
    struct server_start ss = {conf,      ls,   h.n_sockets, row, sb_slots(sb.sb, h.sb_row),
                              h.recycle, sb.sb};
    struct server *srv = server_start(&ss);
    if (m == WAIT_OBJECT_0 || m == WAIT_ABANDONED)
        ReleaseMutex(h.start_mutex);
    if (!srv)
        return MPM_CHILD_EXIT_FATAL;
    mpm_logf(CONFIG_LOG_NOTICE, "Child: Started %d worker threads (generation %u).",
             conf->threads_per_child, (unsigned)h.generation);
    /* The serving generation: ours from now on (the parent confirms it once it sees ready). */
    sb.sb->generation = h.generation;
    SetEvent(h.ready);

    HANDLE waits[2] = {h.exit, parent};
    DWORD w = WaitForMultipleObjects(2, waits, FALSE, INFINITE);
    if (w == WAIT_OBJECT_0 + 1)
        mpm_logf(CONFIG_LOG_CRIT, "Child: Parent process exited abruptly. Child process is ending");
    else
        mpm_logf(CONFIG_LOG_NOTICE, "Child: Exit event signaled. Child process is ending.");
    int clean = server_stop(srv);
    mpm_logf(CONFIG_LOG_NOTICE, clean ? "Child: All worker threads have exited."
                                      : "Child: Some threads did not exit; ending anyway.");
    if (!clean)
        return MPM_CHILD_EXIT_OK;
    /* Nothing runs any more that could read the configuration. */
    free((void *)h.config);
    free(h.sockets);
    free(h.modes);
    server_config_free(conf);
    config_flat_free(flat);
    return MPM_CHILD_EXIT_OK;
}
