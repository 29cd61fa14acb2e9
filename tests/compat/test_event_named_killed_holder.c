/* A named object dies with the last process holding it, even when that process is killed. */
#include "tcheck.h"

static PROCESS_INFORMATION spawn_holder(const char *name, const char *ready)
{
    char cmd[4 * MAX_PATH];
    snprintf(cmd, sizeof(cmd), "\"%s\" hold-named %s %s", ntt_helper_exe("sync_child"), name,
             ready);
    STARTUPINFOA si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    PROCESS_INFORMATION pi;
    ck_assert_msg(CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi),
                  "CreateProcess failed: %lu", (unsigned long)GetLastError());
    HANDLE hs[2] = {0, pi.hProcess};
    hs[0] = OpenEventA(SYNCHRONIZE, FALSE, ready);
    ck_assert_ptr_nonnull(hs[0]);
    ck_assert_uint_eq(WaitForMultipleObjects(2, hs, FALSE, NTT_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(hs[0]);
    return pi;
}

static void kill_holder(PROCESS_INFORMATION pi)
{
    ck_assert(TerminateProcess(pi.hProcess, 9));
    ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, NTT_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
}

START_TEST(killed_last_holder_takes_the_name_along)
{
    char name[64], ready[64];
    snprintf(name, sizeof(name), "ntt_killed_%lu", (unsigned long)GetCurrentProcessId());
    snprintf(ready, sizeof(ready), "ntt_killed_ready_%lu", (unsigned long)GetCurrentProcessId());
    HANDLE r = CreateEventA(NULL, TRUE, FALSE, ready);
    kill_holder(spawn_holder(name, ready));
    SetLastError(0);
    HANDLE o = OpenEventA(SYNCHRONIZE, FALSE, name);
    DWORD err = GetLastError();
    ck_assert_ptr_null(o);
    ck_assert_uint_eq(err, ERROR_FILE_NOT_FOUND);
    SetLastError(1234);
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, name);
    err = GetLastError();
    ck_assert_ptr_nonnull(ev);
    ck_assert_uint_eq(err, 0); /* a new object, not the dead one (which was set) */
    ck_assert_uint_eq(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    CloseHandle(ev);
    CloseHandle(r);
}
END_TEST

START_TEST(surviving_holder_keeps_it)
{
    char name[64], ready[64];
    snprintf(name, sizeof(name), "ntt_kept_%lu", (unsigned long)GetCurrentProcessId());
    snprintf(ready, sizeof(ready), "ntt_kept_ready_%lu", (unsigned long)GetCurrentProcessId());
    HANDLE r = CreateEventA(NULL, TRUE, FALSE, ready);
    PROCESS_INFORMATION pi = spawn_holder(name, ready);
    HANDLE mine = OpenEventA(SYNCHRONIZE, FALSE, name);
    ck_assert_ptr_nonnull(mine);
    kill_holder(pi);
    SetLastError(1234);
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, name);
    DWORD err = GetLastError();
    ck_assert_ptr_nonnull(ev);
    ck_assert_uint_eq(err, ERROR_ALREADY_EXISTS);
    ck_assert_uint_eq(WaitForSingleObject(ev, 0), WAIT_OBJECT_0); /* set by the dead child */
    CloseHandle(ev);
    CloseHandle(mine);
    CloseHandle(r);
}
END_TEST

NTT_MAIN(killed_last_holder_takes_the_name_along, surviving_holder_keeps_it)
