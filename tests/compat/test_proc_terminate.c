/* Processes: TerminateProcess sets the exit code, also through OpenProcess; OpenProcess errors. */
#include "tcheck.h"
#include "tproc.h"

START_TEST(terminate_sets_exit_code)
{
    PROCESS_INFORMATION pi = ntt_spawn("proc_child", "sleep", FALSE);
    ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, 20), WAIT_TIMEOUT);
    ck_assert(TerminateProcess(pi.hProcess, 7));
    ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 0;
    ck_assert(GetExitCodeProcess(pi.hProcess, &code));
    ck_assert_uint_eq(code, 7);
    ck_assert_uint_eq(WaitForSingleObject(pi.hThread, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(GetExitCodeThread(pi.hThread, &code));
    ck_assert_uint_eq(code, 7);

    /* The process has ended: terminating it again changes nothing. */
    TerminateProcess(pi.hProcess, 8);
    ck_assert(GetExitCodeProcess(pi.hProcess, &code));
    ck_assert_uint_eq(code, 7);
    ck_assert(CloseHandle(pi.hThread));
    ck_assert(CloseHandle(pi.hProcess));
}
END_TEST

START_TEST(terminate_through_open_process)
{
    PROCESS_INFORMATION pi = ntt_spawn("proc_child", "sleep", FALSE);
    HANDLE h = OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION,
                           FALSE, pi.dwProcessId);
    ck_assert_ptr_nonnull(h);
    ck_assert_uint_eq(GetProcessId(h), pi.dwProcessId);
    ck_assert(TerminateProcess(h, 9));
    ck_assert_uint_eq(WaitForSingleObject(h, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 0;
    ck_assert(GetExitCodeProcess(pi.hProcess, &code));
    ck_assert_uint_eq(code, 9);
    ck_assert(GetExitCodeProcess(h, &code));
    ck_assert_uint_eq(code, 9);
    ck_assert(CloseHandle(h));
    ck_assert(CloseHandle(pi.hThread));
    ck_assert(CloseHandle(pi.hProcess));
}
END_TEST

START_TEST(open_process_errors)
{
    HANDLE h = OpenProcess(SYNCHRONIZE, FALSE, 0);
    DWORD err = GetLastError();
    ck_assert_ptr_null(h);
    ck_assert_uint_eq(err, ERROR_INVALID_PARAMETER);
    h = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, GetCurrentProcessId());
    ck_assert_ptr_nonnull(h);
    ck_assert_uint_eq(GetProcessId(h), GetCurrentProcessId());
    ck_assert_uint_eq(WaitForSingleObject(h, 10), WAIT_TIMEOUT);
    ck_assert(CloseHandle(h));
}
END_TEST

NTT_MAIN(terminate_sets_exit_code, terminate_through_open_process, open_process_errors)
