/* STARTF_USESTDHANDLES: the child's stdin and stdout are the parent's pipes. */
#include "tcheck.h"

START_TEST(stdin_and_stdout_through_pipes)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE in_r, in_w, out_r, out_w;
    ck_assert(CreatePipe(&in_r, &in_w, &sa, 0));
    ck_assert(CreatePipe(&out_r, &out_w, &sa, 0));
    /* Our ends stay here, or the child would hold them open and never see the end of input. */
    ck_assert(SetHandleInformation(in_w, HANDLE_FLAG_INHERIT, 0));
    ck_assert(SetHandleInformation(out_r, HANDLE_FLAG_INHERIT, 0));

    char cmd[4 * MAX_PATH];
    snprintf(cmd, sizeof(cmd), "\"%s\" upcase", ntt_helper_exe("proc_child"));
    STARTUPINFOA si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = in_r;
    si.hStdOutput = out_w;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION pi;
    ck_assert(CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi));
    ck_assert(CloseHandle(in_r));
    ck_assert(CloseHandle(out_w));

    DWORD n;
    ck_assert(WriteFile(in_w, "hello ", 6, &n, NULL));
    ck_assert(WriteFile(in_w, "child", 5, &n, NULL));
    ck_assert(CloseHandle(in_w));
    char buf[64] = {0};
    DWORD total = 0;
    while (ReadFile(out_r, buf + total, sizeof(buf) - 1 - total, &n, NULL) && n > 0)
        total += n;
    /* The child is gone and so is the last writer: the pipe reports it as broken. */
    BOOL ok = ReadFile(out_r, buf + total, sizeof(buf) - 1 - total, &n, NULL);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_BROKEN_PIPE);
    ck_assert_str_eq(buf, "HELLO CHILD");
    ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(CloseHandle(out_r));
    ck_assert(CloseHandle(pi.hThread));
    ck_assert(CloseHandle(pi.hProcess));
}
END_TEST

NTT_MAIN(stdin_and_stdout_through_pipes)
