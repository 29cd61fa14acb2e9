/* Helper-program processes of the multi-process tests: start one, wait for its exit code. */
#ifndef NTT_TPROC_H
#define NTT_TPROC_H

#include <windows.h>
#include "tcheck.h"

/* Start tests/helpers/<helper> with args (one command-line text); inherit: bInheritHandles. */
static inline PROCESS_INFORMATION ntt_spawn(const char *helper, const char *args, BOOL inherit)
{
    char cmd[4 * MAX_PATH];
    snprintf(cmd, sizeof(cmd), "\"%s\" %s", ntt_helper_exe(helper), args);
    STARTUPINFOA si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    PROCESS_INFORMATION pi;
    ck_assert_msg(CreateProcessA(NULL, cmd, NULL, NULL, inherit, 0, NULL, NULL, &si, &pi),
                  "CreateProcess failed: %lu", (unsigned long)GetLastError());
    return pi;
}

/* Wait (bounded) for the process to end, close both its handles; its exit code. */
static inline DWORD ntt_finish(PROCESS_INFORMATION pi)
{
    ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 99;
    ck_assert(GetExitCodeProcess(pi.hProcess, &code));
    ck_assert(CloseHandle(pi.hThread));
    ck_assert(CloseHandle(pi.hProcess));
    return code;
}

/* Run command line cmd (the program's path quoted first) with environment block env and current
 * directory dir (NULL: ours), its stdout read through a pipe into out (NUL-terminated, at most
 * cap - 1 bytes); wait (bounded) for its end and return its exit code. */
static inline DWORD ntt_capture(char *cmd, void *env, const char *dir, char *out, DWORD cap)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE r, w;
    ck_assert(CreatePipe(&r, &w, &sa, 0));
    ck_assert(SetHandleInformation(r, HANDLE_FLAG_INHERIT, 0));
    STARTUPINFOA si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = w;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION pi;
    ck_assert_msg(CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, env, dir, &si, &pi),
                  "CreateProcess failed: %lu", (unsigned long)GetLastError());
    ck_assert(CloseHandle(w));
    DWORD total = 0, n;
    while (total + 1 < cap && ReadFile(r, out + total, cap - 1 - total, &n, NULL) && n > 0)
        total += n;
    out[total] = '\0';
    ck_assert(CloseHandle(r));
    return ntt_finish(pi);
}

#endif
