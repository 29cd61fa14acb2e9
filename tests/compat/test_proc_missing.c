/* CreateProcess failures: a missing program, a missing directory. */
#include "tcheck.h"

START_TEST(missing_program)
{
    char cmd[4 * MAX_PATH];
    snprintf(cmd, sizeof(cmd), "\"%s\" exit 0", ntt_helper_exe("ntt_no_such_program"));
    STARTUPINFOA si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    PROCESS_INFORMATION pi;
    BOOL ok = CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_FILE_NOT_FOUND);

    char bare[] = "ntt_no_such_program_either";
    ok = CreateProcessA(NULL, bare, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi);
    err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_FILE_NOT_FOUND);
}
END_TEST

START_TEST(missing_current_directory)
{
    char cmd[4 * MAX_PATH];
    snprintf(cmd, sizeof(cmd), "\"%s\" exit 0", ntt_helper_exe("proc_child"));
    STARTUPINFOA si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    PROCESS_INFORMATION pi;
    BOOL ok = CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, "ntt_no_such_dir", &si, &pi);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_DIRECTORY);
}
END_TEST

NTT_MAIN(missing_program, missing_current_directory)
