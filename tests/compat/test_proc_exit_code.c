/* Processes: STILL_ACTIVE while running, the exit code after, waits on process and thread handles.
 */
#include "tcheck.h"

/* Start proc_child with args; stdin from `in` when non-NULL (inherited through a pipe). */
static void spawn(const char *args, HANDLE in, PROCESS_INFORMATION *pi)
{
    char cmd[4 * MAX_PATH];
    snprintf(cmd, sizeof(cmd), "\"%s\" %s", ntt_helper_exe("proc_child"), args);
    STARTUPINFOA si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    if (in) {
        si.dwFlags = STARTF_USESTDHANDLES;
        si.hStdInput = in;
        si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
        si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    }
    ck_assert_msg(CreateProcessA(NULL, cmd, NULL, NULL, in != NULL, 0, NULL, NULL, &si, pi),
                  "CreateProcess failed: %lu", (unsigned long)GetLastError());
}

START_TEST(still_active_then_exit_code)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE r, w;
    ck_assert(CreatePipe(&r, &w, &sa, 0));
    ck_assert(SetHandleInformation(w, HANDLE_FLAG_INHERIT, 0));
    PROCESS_INFORMATION pi;
    spawn("wait-stdin 42", r, &pi);
    ck_assert(CloseHandle(r));
    ck_assert_uint_ne(pi.dwProcessId, 0);
    ck_assert_uint_eq(GetProcessId(pi.hProcess), pi.dwProcessId);

    /* The child blocks on its stdin until we close the pipe. */
    DWORD code = 0;
    ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, 50), WAIT_TIMEOUT);
    ck_assert(GetExitCodeProcess(pi.hProcess, &code));
    ck_assert_uint_eq(code, STILL_ACTIVE);
    ck_assert(GetExitCodeThread(pi.hThread, &code));
    ck_assert_uint_eq(code, STILL_ACTIVE);

    ck_assert(CloseHandle(w));
    ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(GetExitCodeProcess(pi.hProcess, &code));
    ck_assert_uint_eq(code, 42);
    /* The main thread ends with the process and reports the same code. */
    ck_assert_uint_eq(WaitForSingleObject(pi.hThread, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(GetExitCodeThread(pi.hThread, &code));
    ck_assert_uint_eq(code, 42);
    /* Still signalled: a process handle never resets. */
    ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, 0), WAIT_OBJECT_0);
    ck_assert(CloseHandle(pi.hThread));
    ck_assert(CloseHandle(pi.hProcess));
}
END_TEST

START_TEST(exit_code_zero_and_wait_multiple)
{
    PROCESS_INFORMATION a, b;
    spawn("exit 0", NULL, &a);
    spawn("exit 3", NULL, &b);
    HANDLE both[2] = {a.hProcess, b.hProcess};
    ck_assert_uint_eq(WaitForMultipleObjects(2, both, TRUE, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 99;
    ck_assert(GetExitCodeProcess(a.hProcess, &code));
    ck_assert_uint_eq(code, 0);
    ck_assert(GetExitCodeProcess(b.hProcess, &code));
    ck_assert_uint_eq(code, 3);
    ck_assert(CloseHandle(a.hThread));
    ck_assert(CloseHandle(a.hProcess));
    ck_assert(CloseHandle(b.hThread));
    ck_assert(CloseHandle(b.hProcess));
}
END_TEST

START_TEST(closing_handles_early_is_harmless)
{
    PROCESS_INFORMATION pi;
    spawn("exit 5", NULL, &pi);
    ck_assert(CloseHandle(pi.hThread));
    ck_assert(CloseHandle(pi.hProcess));
    /* The child is reaped without us; a new child still works. */
    spawn("exit 6", NULL, &pi);
    ck_assert(CloseHandle(pi.hThread));
    ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 0;
    ck_assert(GetExitCodeProcess(pi.hProcess, &code));
    ck_assert_uint_eq(code, 6);
    ck_assert(CloseHandle(pi.hProcess));
}
END_TEST

START_TEST(current_process)
{
    DWORD code = 0;
    ck_assert(GetExitCodeProcess(GetCurrentProcess(), &code));
    ck_assert_uint_eq(code, STILL_ACTIVE);
    /* Waiting on ourselves can only time out. */
    ck_assert_uint_eq(WaitForSingleObject(GetCurrentProcess(), 10), WAIT_TIMEOUT);
    ck_assert_uint_eq(GetProcessId(GetCurrentProcess()), GetCurrentProcessId());
}
END_TEST

NTT_MAIN(still_active_then_exit_code, exit_code_zero_and_wait_multiple,
         closing_handles_early_is_harmless, current_process)
