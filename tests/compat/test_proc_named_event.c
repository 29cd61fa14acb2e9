/* A named event set by a child while the parent waits on {event, process}; or the child just exits.
 */
#include "tcheck.h"
#include "tproc.h"

START_TEST(event_set_by_child_wins)
{
    char name[64], args[96];
    snprintf(name, sizeof(name), "ntt_proc_named_%lu", (unsigned long)GetCurrentProcessId());
    /* Auto-reset: the event is consumed by the wait that sees it. */
    HANDLE ev = CreateEventA(NULL, FALSE, FALSE, name);
    ck_assert_ptr_nonnull(ev);
    snprintf(args, sizeof(args), "set-named %s", name);
    PROCESS_INFORMATION pi = ntt_spawn("proc_child", args, FALSE);
    HANDLE hs[2] = {ev, pi.hProcess};
    /* The lowest signalled index is reported: the event, even if the child has exited by then. */
    ck_assert_uint_eq(WaitForMultipleObjects(2, hs, FALSE, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 99;
    ck_assert(GetExitCodeProcess(pi.hProcess, &code));
    ck_assert_uint_eq(code, 0);
    /* The event was consumed, so now only the process is signalled. */
    ck_assert_uint_eq(WaitForMultipleObjects(2, hs, FALSE, NTT_WAIT_MS), WAIT_OBJECT_0 + 1);
    ck_assert(CloseHandle(pi.hThread));
    ck_assert(CloseHandle(pi.hProcess));
    ck_assert(CloseHandle(ev));
}
END_TEST

START_TEST(process_end_without_event)
{
    char name[64];
    snprintf(name, sizeof(name), "ntt_proc_unset_%lu", (unsigned long)GetCurrentProcessId());
    HANDLE ev = CreateEventA(NULL, FALSE, FALSE, name);
    PROCESS_INFORMATION pi = ntt_spawn("proc_child", "exit 4", FALSE);
    HANDLE hs[2] = {ev, pi.hProcess};
    ck_assert_uint_eq(WaitForMultipleObjects(2, hs, FALSE, NTT_WAIT_MS), WAIT_OBJECT_0 + 1);
    ck_assert_uint_eq(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    ck_assert(CloseHandle(pi.hThread));
    ck_assert(CloseHandle(pi.hProcess));
    ck_assert(CloseHandle(ev));
}
END_TEST

NTT_MAIN(event_set_by_child_wins, process_end_without_event)
