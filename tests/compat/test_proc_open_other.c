/* OpenProcess of a process that is not one's child: a sibling waits for the other's end. */
#include "tcheck.h"

static PROCESS_INFORMATION spawn(const char *args, BOOL inherit)
{
    char cmd[4 * MAX_PATH];
    snprintf(cmd, sizeof(cmd), "\"%s\" %s", ntt_helper_exe("proc_child"), args);
    STARTUPINFOA si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    PROCESS_INFORMATION pi;
    ck_assert_msg(CreateProcessA(NULL, cmd, NULL, NULL, inherit, 0, NULL, NULL, &si, &pi),
                  "CreateProcess failed: %lu", (unsigned long)GetLastError());
    return pi;
}

START_TEST(sibling_sees_the_end)
{
    PROCESS_INFORMATION target = spawn("sleep", FALSE);
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE opened = CreateEventA(&sa, TRUE, FALSE, NULL);
    char args[96];
    snprintf(args, sizeof(args), "wait-pid %lu %llu", (unsigned long)target.dwProcessId,
             (unsigned long long)(UINT_PTR)opened);
    PROCESS_INFORMATION watcher = spawn(args, TRUE);
    /* Once the watcher holds its handle, end the target. */
    HANDLE first[2] = {opened, watcher.hProcess};
    ck_assert_uint_eq(WaitForMultipleObjects(2, first, FALSE, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(TerminateProcess(target.hProcess, 3));
    ck_assert_uint_eq(WaitForSingleObject(watcher.hProcess, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 99;
    ck_assert(GetExitCodeProcess(watcher.hProcess, &code));
    ck_assert_uint_eq(code, 0);
    ck_assert(CloseHandle(opened));
    ck_assert(CloseHandle(watcher.hThread));
    ck_assert(CloseHandle(watcher.hProcess));
    ck_assert(CloseHandle(target.hThread));
    ck_assert(CloseHandle(target.hProcess));
}
END_TEST

NTT_MAIN(sibling_sees_the_end)
