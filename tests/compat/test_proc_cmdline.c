/* CreateProcess: a command line with quotes and backslashes reaches the child's argv intact. */
#include "tcheck.h"

START_TEST(quoting_round_trip)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE r, w;
    ck_assert(CreatePipe(&r, &w, &sa, 0));
    ck_assert(SetHandleInformation(r, HANDLE_FLAG_INHERIT, 0));
    char cmd[8 * MAX_PATH];
    /* The program name is quoted (its path may hold spaces); the arguments exercise the rules. */
    snprintf(cmd, sizeof(cmd),
             "\"%s\" args plain  \"with space\"\t\"quote\\\"inside\" a\\\\b \"trail\\\\\\\\\" \"\" "
             "back\\slash x\\\"y mid\"dle quo\"ted \"a\"\"b\" \"c\"\"\"",
             ntt_helper_exe("proc_child"));
    STARTUPINFOA si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = w;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION pi;
    ck_assert(CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi));
    ck_assert(CloseHandle(w));
    char out[1024];
    DWORD total = 0, n;
    while (total + 1 < sizeof(out) && ReadFile(r, out + total, sizeof(out) - 1 - total, &n, NULL) &&
           n > 0)
        total += n;
    out[total] = '\0';
    ck_assert(CloseHandle(r));
    ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_str_eq(out, "[plain]\n"
                          "[with space]\n"
                          "[quote\"inside]\n"
                          "[a\\\\b]\n"
                          "[trail\\\\]\n"
                          "[]\n"
                          "[back\\slash]\n"
                          "[x\"y]\n"
                          "[middle quoted]\n"
                          "[a\"b]\n"
                          "[c\"]\n");
    ck_assert(CloseHandle(pi.hThread));
    ck_assert(CloseHandle(pi.hProcess));
}
END_TEST

NTT_MAIN(quoting_round_trip)
