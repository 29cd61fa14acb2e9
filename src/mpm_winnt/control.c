/* -k verbs: find the server through PidFile and its named events; -k start runs us detached. */
#include "mpm_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How long -k start waits for the server to accept connections. */
#define START_WAIT_MS 60000

void control_event_name(char *buf, size_t size, DWORD pid, const char *what)
{
    snprintf(buf, size, "ntmpm%lu_%s", (unsigned long)pid, what);
}

/* The running server's pid, or 0 after printing why there is none. */
static DWORD running_pid(const struct mpm_run *r, int quiet)
{
    DWORD pid = 0;
    if (pidfile_read(r->conf->pid_file, &pid) != 0) {
        if (!quiet)
            fprintf(stderr, "%s: no server is running (no PidFile %s)\n", r->cmd->argv0,
                    r->conf->pid_file);
        return 0;
    }
    char name[64];
    control_event_name(name, sizeof(name), pid, "shutdown");
    HANDLE ev = OpenEventA(EVENT_MODIFY_STATE, FALSE, name);
    if (!ev) {
        if (!quiet)
            fprintf(stderr,
                    "%s: no server is running (pid %lu from PidFile %s is not ntmpm's "
                    "control process; stale PidFile?)\n",
                    r->cmd->argv0, (unsigned long)pid, r->conf->pid_file);
        return 0;
    }
    CloseHandle(ev);
    return pid;
}

int control_signal(const struct mpm_run *r)
{
    DWORD pid = running_pid(r, 0);
    if (!pid)
        return 1;
    int stop = r->signal == CMDLINE_K_STOP || r->signal == CMDLINE_K_SHUTDOWN ||
               r->signal == CMDLINE_K_GRACEFUL_STOP;
    char name[64];
    control_event_name(name, sizeof(name), pid, stop ? "shutdown" : "restart");
    HANDLE ev = OpenEventA(EVENT_MODIFY_STATE, FALSE, name);
    HANDLE proc = stop ? OpenProcess(SYNCHRONIZE, FALSE, pid) : NULL;
    if (!ev || !SetEvent(ev)) {
        fprintf(stderr, "%s: could not signal the server (pid %lu): error %lu\n", r->cmd->argv0,
                (unsigned long)pid, (unsigned long)GetLastError());
        return 1;
    }
    CloseHandle(ev);
    if (!stop) {
        fprintf(stderr, "%s: %s signal sent to the server (pid %lu)\n", r->cmd->argv0,
                cmdline_signal_name(r->signal), (unsigned long)pid);
        return 0;
    }
    /* Wait for the control process to end: its children get TimeOut, then are terminated. */
    DWORD bound = 2 * r->conf->timeout_ms + 20000;
    if (proc && WaitForSingleObject(proc, bound) != WAIT_OBJECT_0) {
        fprintf(stderr, "%s: the server (pid %lu) did not stop within %lu s\n", r->cmd->argv0,
                (unsigned long)pid, (unsigned long)(bound / 1000));
        CloseHandle(proc);
        return 1;
    }
    if (proc)
        CloseHandle(proc);
    fprintf(stderr, "%s: the server (pid %lu) has stopped\n", r->cmd->argv0, (unsigned long)pid);
    return 0;
}

/* Append arg to cmd with Microsoft's quoting rules [CommandLineToArgvW]. */
static void append_arg(char *cmd, size_t size, const char *arg)
{
    size_t n = strlen(cmd);
    int quote = arg[0] == '\0' || strpbrk(arg, " \t\"") != NULL;
    if (n && n + 1 < size)
        cmd[n++] = ' ';
    if (quote && n + 1 < size)
        cmd[n++] = '"';
    for (const char *p = arg; *p && n + 3 < size; p++) {
        size_t bs = 0;
        while (p[bs] == '\\')
            bs++;
        if (bs) {
            /* Backslashes double only before a quote (or the closing quote). */
            int dbl = p[bs] == '"' || (p[bs] == '\0' && quote);
            for (size_t i = 0; i < bs * (dbl ? 2 : 1) && n + 3 < size; i++)
                cmd[n++] = '\\';
            p += bs - 1;
            continue;
        }
        if (*p == '"')
            cmd[n++] = '\\';
        cmd[n++] = *p;
    }
    if (quote && n + 1 < size)
        cmd[n++] = '"';
    cmd[n] = '\0';
}

int control_start_detached(const struct mpm_run *r)
{
    DWORD pid = running_pid(r, 1);
    if (pid) {
        fprintf(stderr, "%s: the server is already running (pid %lu)\n", r->cmd->argv0,
                (unsigned long)pid);
        return 1;
    }
    char exe[MAX_PATH];
    if (!GetModuleFileNameA(NULL, exe, sizeof(exe)))
        return 1;
    static char cmd[32768];
    cmd[0] = '\0';
    append_arg(cmd, sizeof(cmd), exe);
    for (int i = 1; i < r->argc; i++) {
        /* Drop "-k start" (also written "-kstart"). */
        if (strcmp(r->argv[i], "-k") == 0 && i + 1 < r->argc) {
            i++;
            continue;
        }
        if (strncmp(r->argv[i], "-k", 2) == 0)
            continue;
        append_arg(cmd, sizeof(cmd), r->argv[i]);
    }
    SECURITY_ATTRIBUTES inherit = {sizeof(inherit), NULL, TRUE};
    HANDLE ready = CreateEventA(&inherit, TRUE, FALSE, NULL);
    HANDLE nul = CreateFileA("NUL", GENERIC_READ | GENERIC_WRITE,
                             FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit, OPEN_EXISTING, 0, NULL);
    if (!ready || nul == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "%s: could not prepare the server's start (error %lu)\n", r->cmd->argv0,
                (unsigned long)GetLastError());
        return 1;
    }
    char v[32];
    snprintf(v, sizeof(v), "%llu", (unsigned long long)(uintptr_t)ready);
    SetEnvironmentVariableA(MPM_ENV_START_EVENT, v);
    STARTUPINFOA si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = si.hStdOutput = si.hStdError = nul;
    PROCESS_INFORMATION pi;
    BOOL ok = CreateProcessA(exe, cmd, NULL, NULL, TRUE,
                             DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP, NULL, NULL, &si, &pi);
    DWORD err = GetLastError();
    SetEnvironmentVariableA(MPM_ENV_START_EVENT, NULL);
    CloseHandle(nul);
    if (!ok) {
        fprintf(stderr, "%s: could not start the server %s (error %lu)\n", r->cmd->argv0, exe,
                (unsigned long)err);
        return 1;
    }
    CloseHandle(pi.hThread);
    HANDLE w[2] = {ready, pi.hProcess};
    DWORD rc = WaitForMultipleObjects(2, w, FALSE, START_WAIT_MS);
    int code = 1;
    if (rc == WAIT_OBJECT_0) {
        code = 0;
    } else if (rc == WAIT_OBJECT_0 + 1) {
        DWORD status = 0;
        GetExitCodeProcess(pi.hProcess, &status);
        fprintf(stderr, "%s: the server failed to start (exit status %lu); see the error log %s\n",
                r->cmd->argv0, (unsigned long)status, r->conf->error_log ? r->conf->error_log : "");
    } else {
        fprintf(stderr, "%s: the server (pid %lu) did not accept connections within %d s\n",
                r->cmd->argv0, (unsigned long)pi.dwProcessId, START_WAIT_MS / 1000);
    }
    CloseHandle(pi.hProcess);
    CloseHandle(ready);
    return code;
}
