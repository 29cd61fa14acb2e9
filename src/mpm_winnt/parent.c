/* The control process: listeners, scoreboard, PidFile, control events, one child, restarts. */
#include "mpm_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How long a new child may take to become ready (Wine starts processes slowly). */
#define READY_WAIT_MS 60000
/* Beyond TimeOut, how long a quiescing child gets before it is terminated. */
#define EXIT_MARGIN_MS 10000
#define MAX_OLD 16

struct child {
    HANDLE process, ready, exit, recycle;
    DWORD pid;
    unsigned generation;
    int row;
    ULONGLONG kill_at; /* told to exit: terminate it at this time */
};

struct parent {
    const struct mpm_run *r;
    struct config_flat *own_flat; /* after a restart the parent owns its configuration */
    struct server_config *own_conf;
    const struct server_config *conf;
    char *text;
    size_t text_len;
    struct mpm_listener *ls;
    size_t n_ls;
    struct scoreboard sb;
    HANDLE shutdown_ev, restart_ev, start_mutex;
    char exe[MAX_PATH];
    unsigned generation;
    struct child cur;
    int have_cur;
    struct child old[MAX_OLD];
    int n_old;
    ULONGLONG last_crash, respawn_at;
    DWORD backoff_ms;
    int shutdown_pending;
};

/* ---- children --------------------------------------------------------------------------------*/

static void child_close(struct parent *p, struct child *c)
{
    if (c->process)
        CloseHandle(c->process);
    if (c->ready)
        CloseHandle(c->ready);
    if (c->exit)
        CloseHandle(c->exit);
    if (c->recycle)
        CloseHandle(c->recycle);
    if (c->row >= 0 && p->sb.sb && p->sb.sb->row[c->row].generation == c->generation)
        scoreboard_clear_row(&p->sb, c->row);
    memset(c, 0, sizeof(*c));
    c->row = -1;
}

static HANDLE inheritable_copy(HANDLE h)
{
    HANDLE out = NULL;
    if (!h || h == INVALID_HANDLE_VALUE ||
        !DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &out, 0, TRUE,
                         DUPLICATE_SAME_ACCESS))
        return NULL;
    return out;
}

static int give(HANDLE child, HANDLE h, HANDLE *out)
{
    return DuplicateHandle(GetCurrentProcess(), h, child, out, 0, FALSE, DUPLICATE_SAME_ACCESS)
               ? 0
               : -1;
}

/* Start a child with the given configuration text and listeners. */
static int child_spawn(struct parent *p, const char *text, size_t text_len,
                       const struct mpm_listener *ls, size_t n_ls, struct child *c)
{
    memset(c, 0, sizeof(*c));
    c->row = -1;
    c->generation = ++p->generation;
    SECURITY_ATTRIBUTES inherit = {sizeof(inherit), NULL, TRUE};
    HANDLE rd = NULL, wr = NULL;
    if (!CreatePipe(&rd, &wr, &inherit, 0)) {
        mpm_logf(CONFIG_LOG_CRIT, "Parent: could not create the child's pipe (%lu)",
                 (unsigned long)GetLastError());
        return -1;
    }
    SetHandleInformation(wr, HANDLE_FLAG_INHERIT, 0);
    c->ready = CreateEventA(NULL, TRUE, FALSE, NULL);
    c->exit = CreateEventA(NULL, TRUE, FALSE, NULL);
    c->recycle = CreateEventA(NULL, TRUE, FALSE, NULL);
    c->row = scoreboard_take_row(&p->sb, c->generation);

    STARTUPINFOA si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = rd;
    si.hStdOutput = inheritable_copy(GetStdHandle(STD_OUTPUT_HANDLE));
    si.hStdError = inheritable_copy(GetStdHandle(STD_ERROR_HANDLE));
    char cmd[MAX_PATH + 8];
    snprintf(cmd, sizeof(cmd), "\"%s\"", p->exe);
    PROCESS_INFORMATION pi;
    BOOL ok = c->ready && c->exit && c->recycle &&
              CreateProcessA(p->exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    DWORD err = GetLastError();
    CloseHandle(rd);
    if (si.hStdOutput)
        CloseHandle(si.hStdOutput);
    if (si.hStdError)
        CloseHandle(si.hStdError);
    if (!ok) {
        CloseHandle(wr);
        mpm_logf(CONFIG_LOG_CRIT, "Parent: could not create the child process %s (%lu)", p->exe,
                 (unsigned long)err);
        child_close(p, c);
        return -1;
    }
    CloseHandle(pi.hThread);
    c->process = pi.hProcess;
    c->pid = pi.dwProcessId;
    p->sb.sb->row[c->row].pid = c->pid;

    struct handshake h;
    memset(&h, 0, sizeof(h));
    h.generation = c->generation;
    h.parent_pid = GetCurrentProcessId();
    h.sb_row = (uint32_t)c->row;
    h.sb_size = p->sb.size;
    h.config = text;
    h.config_len = text_len;
    h.n_sockets = (uint32_t)n_ls;
    h.sockets = calloc(n_ls + 1, sizeof(*h.sockets));
    h.modes = calloc(n_ls + 1, sizeof(*h.modes));
    int rc = h.sockets && h.modes ? 0 : -1;
    rc = rc ? rc
            : give(c->process, c->ready, &h.ready) | give(c->process, c->exit, &h.exit) |
                  give(c->process, p->start_mutex, &h.start_mutex) |
                  give(c->process, p->sb.mapping, &h.scoreboard) |
                  give(c->process, c->recycle, &h.recycle);
    for (size_t i = 0; rc == 0 && i < n_ls; i++) {
        if (WSADuplicateSocketW(ls[i].s, c->pid, &h.sockets[i]) != 0) {
            mpm_logf(CONFIG_LOG_CRIT, "Parent: WSADuplicateSocket failed (%d)", WSAGetLastError());
            rc = -1;
        }
        h.modes[i] = (int32_t)ls[i].mode;
    }
    if (rc == 0 && handshake_send(wr, &h) != 0) {
        mpm_logf(CONFIG_LOG_CRIT, "Parent: could not send the handshake to child %lu",
                 (unsigned long)c->pid);
        rc = -1;
    }
    CloseHandle(wr);
    free(h.sockets);
    free(h.modes);
    if (rc != 0) {
        TerminateProcess(c->process, 1);
        WaitForSingleObject(c->process, 5000);
        child_close(p, c);
        return -1;
    }
    return 0;
}

/* 0 ready; -1 the child died or did not get ready in time (it is gone then). A shutdown request
 * meanwhile is remembered (the event is auto-reset). */
static int child_wait_ready(struct parent *p, struct child *c)
{
    HANDLE w[3] = {c->ready, c->process, p->shutdown_ev};
    ULONGLONG until = GetTickCount64() + READY_WAIT_MS;
    for (;;) {
        ULONGLONG now = GetTickCount64();
        DWORD left = now >= until ? 0 : (DWORD)(until - now);
        DWORD r = WaitForMultipleObjects(p->shutdown_pending ? 2 : 3, w, FALSE, left);
        if (r == WAIT_OBJECT_0)
            return 0;
        if (r == WAIT_OBJECT_0 + 2) {
            p->shutdown_pending = 1;
            continue;
        }
        DWORD code = 0;
        if (r == WAIT_OBJECT_0 + 1) {
            GetExitCodeProcess(c->process, &code);
            mpm_logf(CONFIG_LOG_ERR, "Parent: child %lu exited with status %lu before it was ready",
                     (unsigned long)c->pid, (unsigned long)code);
        } else {
            mpm_logf(CONFIG_LOG_ERR, "Parent: child %lu was not ready within %d s; terminating it",
                     (unsigned long)c->pid, READY_WAIT_MS / 1000);
            TerminateProcess(c->process, 1);
            WaitForSingleObject(c->process, 5000);
        }
        child_close(p, c);
        return -1;
    }
}

static void child_tell_exit(struct parent *p, struct child *c)
{
    SetEvent(c->exit);
    c->kill_at = GetTickCount64() + p->conf->timeout_ms + EXIT_MARGIN_MS;
    if (c->row >= 0)
        p->sb.sb->row[c->row].quiescing = 1;
}

static void retire_current(struct parent *p)
{
    if (!p->have_cur)
        return;
    child_tell_exit(p, &p->cur);
    if (p->n_old < MAX_OLD) {
        p->old[p->n_old++] = p->cur;
    } else {
        /* Too many restarts in a row: do not let the oldest outlive the bound. */
        TerminateProcess(p->old[0].process, 1);
        child_close(p, &p->old[0]);
        memmove(&p->old[0], &p->old[1], sizeof(p->old[0]) * (MAX_OLD - 1));
        p->old[MAX_OLD - 1] = p->cur;
    }
    p->have_cur = 0;
}

/* A new child with this configuration; once it is ready the current one is told to exit. */
static int replace_child(struct parent *p, const char *text, size_t len,
                         const struct mpm_listener *ls, size_t n_ls)
{
    struct child n;
    if (child_spawn(p, text, len, ls, n_ls, &n) != 0 || child_wait_ready(p, &n) != 0)
        return -1;
    retire_current(p);
    p->cur = n;
    p->have_cur = 1;
    p->sb.sb->generation = n.generation;
    return 0;
}

/* ---- restart ---------------------------------------------------------------------------------*/

static void do_restart(struct parent *p)
{
    const struct mpm_run *r = p->r;
    mpm_logf(CONFIG_LOG_NOTICE, "Parent: Received restart signal -- Restarting the server.");
    if (!r->load) {
        /* main.c gave no way to re-read the files: replace the child with the same config. */
        replace_child(p, p->text, p->text_len, p->ls, p->n_ls);
        return;
    }
    struct config_flat *flat = NULL;
    struct server_config *conf = NULL;
    struct config_error err;
    struct config_sink sink = mpm_config_sink();
    if (config_load(r->load, &flat, &err) != 0 || config_apply(flat, &sink, &conf, &err) != 0) {
        mpm_log_config_error("Restart aborted, the old configuration keeps serving", &err);
        if (flat)
            config_flat_free(flat);
        return;
    }
    config_check_restart(p->conf, conf, &sink);
    struct mpm_listener *ls = NULL;
    size_t n_ls = 0;
    char *text = NULL;
    size_t len = 0;
    if (mpm_listen_open(conf, p->ls, p->n_ls, &ls, &n_ls) != 0 ||
        config_serialise(flat, &text, &len) != 0) {
        mpm_logf(CONFIG_LOG_ERR, "Restart aborted, the old configuration keeps serving");
        if (ls) {
            /* Close only what this attempt bound. */
            for (size_t i = 0; i < n_ls; i++)
                for (size_t j = 0; j < p->n_ls; j++)
                    if (ls[i].s == p->ls[j].s)
                        ls[i].s = INVALID_SOCKET;
            mpm_listen_close(ls, n_ls);
        }
        server_config_free(conf);
        config_flat_free(flat);
        return;
    }
    if (replace_child(p, text, len, ls, n_ls) != 0) {
        mpm_logf(CONFIG_LOG_ERR, "Restart failed: the new child did not start; the old one keeps "
                                 "serving");
        for (size_t i = 0; i < n_ls; i++)
            for (size_t j = 0; j < p->n_ls; j++)
                if (ls[i].s == p->ls[j].s)
                    ls[i].s = INVALID_SOCKET;
        mpm_listen_close(ls, n_ls);
        free(text);
        server_config_free(conf);
        config_flat_free(flat);
        return;
    }
    /* Commit: listeners the new configuration no longer names are closed (children hold their
     * own copies), the new configuration becomes the parent's. */
    for (size_t j = 0; j < p->n_ls; j++)
        for (size_t i = 0; i < n_ls; i++)
            if (ls[i].s == p->ls[j].s)
                p->ls[j].s = INVALID_SOCKET;
    mpm_listen_close(p->ls, p->n_ls);
    p->ls = ls;
    p->n_ls = n_ls;
    free(p->text);
    p->text = text;
    p->text_len = len;
    if (p->own_conf)
        server_config_free(p->own_conf);
    if (p->own_flat)
        config_flat_free(p->own_flat);
    p->own_conf = conf;
    p->own_flat = flat;
    p->conf = conf;
    mpm_log_reopen(conf);
    mpm_logf(CONFIG_LOG_NOTICE, "Parent: restart done, child %lu (generation %u) serving",
             (unsigned long)p->cur.pid, p->cur.generation);
}

/* ---- the control loop ------------------------------------------------------------------------*/

static void child_died(struct parent *p)
{
    DWORD code = 0;
    GetExitCodeProcess(p->cur.process, &code);
    mpm_logf(CONFIG_LOG_ERR, "Parent: child process %lu exited with status %lu -- Restarting.",
             (unsigned long)p->cur.pid, (unsigned long)code);
    child_close(p, &p->cur);
    p->have_cur = 0;
    /* Back off while crashes repeat within a minute: 1 s doubling to 30 s. */
    ULONGLONG now = GetTickCount64();
    if (p->last_crash && now - p->last_crash < 60000)
        p->backoff_ms =
            p->backoff_ms ? (p->backoff_ms * 2 > 30000 ? 30000 : p->backoff_ms * 2) : 1000;
    else
        p->backoff_ms = 0;
    p->last_crash = now;
    p->respawn_at = now + p->backoff_ms;
    if (p->backoff_ms)
        mpm_logf(CONFIG_LOG_WARNING, "Parent: repeated child crashes, waiting %lu ms",
                 (unsigned long)p->backoff_ms);
}

static void respawn(struct parent *p)
{
    struct child n;
    if (child_spawn(p, p->text, p->text_len, p->ls, p->n_ls, &n) == 0 &&
        child_wait_ready(p, &n) == 0) {
        p->cur = n;
        p->have_cur = 1;
        p->sb.sb->generation = n.generation;
        return;
    }
    p->backoff_ms = p->backoff_ms ? (p->backoff_ms * 2 > 30000 ? 30000 : p->backoff_ms * 2) : 1000;
    p->last_crash = GetTickCount64();
    p->respawn_at = p->last_crash + p->backoff_ms;
}

static void reap_old(struct parent *p, int i, int killed)
{
    DWORD code = 0;
    GetExitCodeProcess(p->old[i].process, &code);
    if (killed)
        mpm_logf(CONFIG_LOG_WARNING, "Parent: child %lu still running after TimeOut; terminated",
                 (unsigned long)p->old[i].pid);
    child_close(p, &p->old[i]);
    memmove(&p->old[i], &p->old[i + 1], sizeof(p->old[0]) * (size_t)(p->n_old - i - 1));
    p->n_old--;
}

static void control_loop(struct parent *p)
{
    for (;;) {
        if (p->shutdown_pending)
            return;
        HANDLE w[4 + MAX_OLD];
        int n = 0;
        w[n++] = p->shutdown_ev;
        w[n++] = p->restart_ev;
        int cur_at = -1;
        if (p->have_cur) {
            cur_at = n;
            w[n++] = p->cur.process;
            w[n++] = p->cur.recycle;
        }
        int old_at = n;
        for (int i = 0; i < p->n_old; i++)
            w[n++] = p->old[i].process;
        ULONGLONG now = GetTickCount64(), next = now + 3600000;
        for (int i = 0; i < p->n_old; i++)
            if (p->old[i].kill_at < next)
                next = p->old[i].kill_at;
        if (!p->have_cur && p->respawn_at < next)
            next = p->respawn_at;
        DWORD r = WaitForMultipleObjects((DWORD)n, w, FALSE, next > now ? (DWORD)(next - now) : 0);
        if (r == WAIT_OBJECT_0)
            return;
        if (r == WAIT_OBJECT_0 + 1) {
            do_restart(p);
        } else if (cur_at >= 0 && r == WAIT_OBJECT_0 + (DWORD)cur_at) {
            child_died(p);
        } else if (cur_at >= 0 && r == WAIT_OBJECT_0 + (DWORD)cur_at + 1) {
            mpm_logf(CONFIG_LOG_NOTICE,
                     "Parent: child %lu reached MaxConnectionsPerChild; "
                     "replacing it",
                     (unsigned long)p->cur.pid);
            ResetEvent(p->cur.recycle);
            if (replace_child(p, p->text, p->text_len, p->ls, p->n_ls) != 0)
                mpm_logf(CONFIG_LOG_ERR, "Parent: no replacement child; the old one keeps serving");
        } else if (r >= WAIT_OBJECT_0 + (DWORD)old_at && r < WAIT_OBJECT_0 + (DWORD)n) {
            reap_old(p, (int)(r - WAIT_OBJECT_0) - old_at, 0);
        } else if (r == WAIT_TIMEOUT) {
            now = GetTickCount64();
            for (int i = p->n_old - 1; i >= 0; i--) {
                if (p->old[i].kill_at <= now) {
                    TerminateProcess(p->old[i].process, 1);
                    WaitForSingleObject(p->old[i].process, 5000);
                    reap_old(p, i, 1);
                }
            }
            if (!p->have_cur && p->respawn_at <= now)
                respawn(p);
        } else if (r == WAIT_FAILED) {
            mpm_logf(CONFIG_LOG_CRIT, "Parent: WaitForMultipleObjects failed (%lu)",
                     (unsigned long)GetLastError());
            Sleep(100);
        }
    }
}

static void shutdown_children(struct parent *p)
{
    retire_current(p);
    while (p->n_old > 0) {
        ULONGLONG now = GetTickCount64();
        DWORD left = p->old[0].kill_at > now ? (DWORD)(p->old[0].kill_at - now) : 0;
        if (WaitForSingleObject(p->old[0].process, left) != WAIT_OBJECT_0) {
            TerminateProcess(p->old[0].process, 1);
            WaitForSingleObject(p->old[0].process, 5000);
            reap_old(p, 0, 1);
        } else {
            reap_old(p, 0, 0);
        }
    }
}

/* ---- shared setup (parent and -X) ------------------------------------------------------------*/

static HANDLE stopped_ev;

static int setup(struct parent *p, const struct mpm_run *r)
{
    memset(p, 0, sizeof(*p));
    p->r = r;
    p->conf = r->conf;
    p->cur.row = -1;
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        mpm_logf(CONFIG_LOG_CRIT, "WSAStartup failed");
        return -1;
    }
    if (!GetModuleFileNameA(NULL, p->exe, sizeof(p->exe))) {
        mpm_logf(CONFIG_LOG_CRIT, "GetModuleFileName failed (%lu)", (unsigned long)GetLastError());
        return -1;
    }
    if (config_serialise(r->flat, &p->text, &p->text_len) != 0) {
        mpm_logf(CONFIG_LOG_CRIT, "could not serialise the configuration");
        return -1;
    }
    if (mpm_listen_open(p->conf, NULL, 0, &p->ls, &p->n_ls) != 0)
        return -1;
    if (p->n_ls == 0) {
        mpm_logf(CONFIG_LOG_CRIT, "no listening sockets available, shutting down");
        return -1;
    }
    if (scoreboard_create(p->conf, &p->sb) != 0)
        return -1;
    DWORD pid = GetCurrentProcessId();
    char name[64];
    control_event_name(name, sizeof(name), pid, "shutdown");
    p->shutdown_ev = CreateEventA(NULL, FALSE, FALSE, name);
    control_event_name(name, sizeof(name), pid, "restart");
    p->restart_ev = CreateEventA(NULL, FALSE, FALSE, name);
    p->start_mutex = CreateMutexA(NULL, FALSE, NULL);
    stopped_ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    if (!p->shutdown_ev || !p->restart_ev || !p->start_mutex) {
        mpm_logf(CONFIG_LOG_CRIT, "could not create the control events (%lu)",
                 (unsigned long)GetLastError());
        return -1;
    }
    if (pidfile_write(p->conf->pid_file, pid) != 0)
        return -1;
    mpm_console_on_stop(p->shutdown_ev);
    return 0;
}

static void teardown(struct parent *p)
{
    pidfile_remove(p->conf->pid_file);
    mpm_listen_close(p->ls, p->n_ls);
    scoreboard_close(&p->sb);
    if (p->shutdown_ev)
        CloseHandle(p->shutdown_ev);
    if (p->restart_ev)
        CloseHandle(p->restart_ev);
    if (p->start_mutex)
        CloseHandle(p->start_mutex);
    free(p->text);
    if (stopped_ev)
        SetEvent(stopped_ev);
}

/* -k start waits on this inherited event: set once the server accepts connections. */
static void signal_started(void)
{
    char v[32];
    DWORD n = GetEnvironmentVariableA(MPM_ENV_START_EVENT, v, sizeof(v));
    if (n == 0 || n >= sizeof(v))
        return;
    SetEnvironmentVariableA(MPM_ENV_START_EVENT, NULL);
    HANDLE ev = (HANDLE)(uintptr_t)strtoull(v, NULL, 10);
    SetEvent(ev);
    CloseHandle(ev);
}

int parent_run(const struct mpm_run *r)
{
    static struct parent p;
    if (setup(&p, r) != 0) {
        teardown(&p);
        return 1;
    }
    char pid[16];
    snprintf(pid, sizeof(pid), "%lu", (unsigned long)GetCurrentProcessId());
    SetEnvironmentVariableA(MPM_ENV_PARENT_PID, pid);
    /* The children must not see it (they hold their own copy of everything they need). */
    char start_ev[32];
    DWORD has_start = GetEnvironmentVariableA(MPM_ENV_START_EVENT, start_ev, sizeof(start_ev));
    SetEnvironmentVariableA(MPM_ENV_START_EVENT, NULL);
    mpm_logf(CONFIG_LOG_NOTICE, "ntmpm/0.1.0 (WinNT MPM) configured -- resuming normal operations");
    if (replace_child(&p, p.text, p.text_len, p.ls, p.n_ls) != 0) {
        mpm_logf(CONFIG_LOG_CRIT, "Parent: the first child did not start; shutting down");
        teardown(&p);
        return 1;
    }
    if (has_start > 0 && has_start < sizeof(start_ev)) {
        SetEnvironmentVariableA(MPM_ENV_START_EVENT, start_ev);
        signal_started();
    }
    control_loop(&p);
    mpm_logf(CONFIG_LOG_NOTICE, "Parent: Received shutdown signal -- Shutting down the server.");
    shutdown_children(&p);
    teardown(&p);
    mpm_logf(CONFIG_LOG_NOTICE, "Parent: the server has stopped.");
    return 0;
}

/* -X: the control process serves itself, with the same threads. */
int one_process_run(const struct mpm_run *r)
{
    static struct parent p;
    if (setup(&p, r) != 0) {
        teardown(&p);
        return 1;
    }
    struct sb_row *row = &p.sb.sb->row[0];
    row->pid = GetCurrentProcessId();
    row->generation = p.sb.sb->generation = 1;
    /* The serving core owns (and closes) the sockets from now on. */
    struct mpm_listener *ls = calloc(p.n_ls, sizeof(*ls));
    for (size_t i = 0; ls && i < p.n_ls; i++) {
        ls[i] = p.ls[i];
        ls[i].host = NULL;
        ls[i].protocol = NULL;
        p.ls[i].s = INVALID_SOCKET;
    }
    struct server_start ss = {p.conf, ls, p.n_ls, row, sb_slots(p.sb.sb, 0), NULL, p.sb.sb};
    struct server *srv = ls ? server_start(&ss) : NULL;
    if (!srv) {
        teardown(&p);
        return 1;
    }
    signal_started();
    HANDLE w[2] = {p.shutdown_ev, p.restart_ev};
    while (WaitForMultipleObjects(2, w, FALSE, INFINITE) == WAIT_OBJECT_0 + 1)
        mpm_logf(CONFIG_LOG_WARNING, "restart is not supported with -X; ignored");
    server_stop(srv);
    teardown(&p);
    return 0;
}

/* ---- console control -------------------------------------------------------------------------*/

static HANDLE console_stop;

static BOOL WINAPI on_console(DWORD type)
{
    if (!console_stop)
        return FALSE;
    SetEvent(console_stop);
    /* The process ends when this handler returns from a close event [HandlerRoutine]: give the
     * shutdown a moment to finish. */
    if (type == CTRL_CLOSE_EVENT && stopped_ev)
        WaitForSingleObject(stopped_ev, 10000);
    return TRUE;
}

void mpm_console_on_stop(HANDLE ev)
{
    console_stop = ev;
    SetConsoleCtrlHandler(on_console, TRUE);
}
