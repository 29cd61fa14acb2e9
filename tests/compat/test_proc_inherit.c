/* CreateProcess(bInheritHandles): inheritable handles keep their values in the child; others don't.
 */
#include "tcheck.h"

static DWORD run_child(const char *args, BOOL inherit)
{
    char cmd[4 * MAX_PATH];
    snprintf(cmd, sizeof(cmd), "\"%s\" %s", ntt_helper_exe("proc_child"), args);
    STARTUPINFOA si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    PROCESS_INFORMATION pi;
    ck_assert_msg(CreateProcessA(NULL, cmd, NULL, NULL, inherit, 0, NULL, NULL, &si, &pi),
                  "CreateProcess failed: %lu", (unsigned long)GetLastError());
    ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 0;
    ck_assert(GetExitCodeProcess(pi.hProcess, &code));
    ck_assert(CloseHandle(pi.hThread));
    ck_assert(CloseHandle(pi.hProcess));
    return code;
}

START_TEST(inherited_event_is_usable_at_its_value)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE ev = CreateEventA(&sa, TRUE, FALSE, NULL);
    ck_assert_ptr_nonnull(ev);
    char args[64];
    snprintf(args, sizeof(args), "set-event %llu", (unsigned long long)(UINT_PTR)ev);
    ck_assert_uint_eq(run_child(args, TRUE), 0);
    ck_assert_uint_eq(WaitForSingleObject(ev, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(CloseHandle(ev));
}
END_TEST

START_TEST(non_inheritable_handle_is_not_passed)
{
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    char args[64];
    snprintf(args, sizeof(args), "check-invalid %llu", (unsigned long long)(UINT_PTR)ev);
    ck_assert_uint_eq(run_child(args, TRUE), 0);
    ck_assert_uint_eq(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    ck_assert(CloseHandle(ev));
}
END_TEST

START_TEST(nothing_is_passed_without_inherit)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE ev = CreateEventA(&sa, TRUE, FALSE, NULL);
    char args[64];
    snprintf(args, sizeof(args), "check-invalid %llu", (unsigned long long)(UINT_PTR)ev);
    ck_assert_uint_eq(run_child(args, FALSE), 0);
    ck_assert(CloseHandle(ev));
}
END_TEST

START_TEST(inherited_pipe_carries_data)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE r, w;
    ck_assert(CreatePipe(&r, &w, &sa, 0));
    ck_assert(SetHandleInformation(r, HANDLE_FLAG_INHERIT, 0));
    char args[64];
    snprintf(args, sizeof(args), "write-handle %llu inherited", (unsigned long long)(UINT_PTR)w);
    ck_assert_uint_eq(run_child(args, TRUE), 0);
    ck_assert(CloseHandle(w));
    char buf[64] = {0};
    DWORD n = 0, total = 0;
    while (ReadFile(r, buf + total, sizeof(buf) - 1 - total, &n, NULL) && n > 0)
        total += n;
    ck_assert_str_eq(buf, "inherited");
    ck_assert(CloseHandle(r));
}
END_TEST

NTT_MAIN(inherited_event_is_usable_at_its_value, non_inheritable_handle_is_not_passed,
         nothing_is_passed_without_inherit, inherited_pipe_carries_data)
