/* CreateProcess: the environment block and the current directory given to the child. */
#include "tcheck.h"

/* Run proc_child with args, env block and directory; returns its exit code, stdout into out. */
static DWORD run_capture(const char *args, void *env, const char *dir, char *out, DWORD cap)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE r, w;
    ck_assert(CreatePipe(&r, &w, &sa, 0));
    ck_assert(SetHandleInformation(r, HANDLE_FLAG_INHERIT, 0));
    char cmd[4 * MAX_PATH];
    snprintf(cmd, sizeof(cmd), "\"%s\" %s", ntt_helper_exe("proc_child"), args);
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
    ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 99;
    ck_assert(GetExitCodeProcess(pi.hProcess, &code));
    ck_assert(CloseHandle(pi.hThread));
    ck_assert(CloseHandle(pi.hProcess));
    return code;
}

START_TEST(environment_block_replaces_ours)
{
    ck_assert(SetEnvironmentVariableA("NTT_PARENT_ONLY", "1"));
    static char block[] = "NTT_FOO=bar baz\0NTT_OTHER=2\0";
    char out[256];
    ck_assert_uint_eq(run_capture("getenv NTT_FOO", block, NULL, out, sizeof(out)), 0);
    ck_assert_str_eq(out, "bar baz");
    ck_assert_uint_eq(run_capture("getenv NTT_PARENT_ONLY", block, NULL, out, sizeof(out)), 0);
    ck_assert_str_eq(out, "<missing>");
}
END_TEST

START_TEST(no_block_inherits_our_environment)
{
    ck_assert(SetEnvironmentVariableA("NTT_PARENT_ONLY", "from parent"));
    char out[256];
    ck_assert_uint_eq(run_capture("getenv NTT_PARENT_ONLY", NULL, NULL, out, sizeof(out)), 0);
    ck_assert_str_eq(out, "from parent");
    ck_assert(SetEnvironmentVariableA("NTT_PARENT_ONLY", NULL));
    ck_assert_uint_eq(run_capture("getenv NTT_PARENT_ONLY", NULL, NULL, out, sizeof(out)), 0);
    ck_assert_str_eq(out, "<missing>");
}
END_TEST

START_TEST(current_directory)
{
    char file[MAX_PATH], dir[4 * MAX_PATH], args[2 * MAX_PATH], out[16];
    snprintf(file, sizeof(file), "proc_child%s", ntt_exe_suffix());
    /* The helpers' directory: the helper path without its file name. */
    snprintf(dir, sizeof(dir), "%s", ntt_helper_exe("proc_child"));
    dir[strlen(dir) - strlen(file) - 1] = '\0';
    snprintf(args, sizeof(args), "exists %s", file);
    ck_assert_uint_eq(run_capture(args, NULL, dir, out, sizeof(out)), 0);
    /* Our own directory (the tests') has no such file. */
    ck_assert_uint_eq(run_capture(args, NULL, NULL, out, sizeof(out)), 90);
}
END_TEST

NTT_MAIN(environment_block_replaces_ours, no_block_inherits_our_environment, current_directory)
