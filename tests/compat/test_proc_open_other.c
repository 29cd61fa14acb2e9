/* OpenProcess of a process that is not one's child: a sibling waits for the other's end. */
#include "tcheck.h"
#include "tproc.h"

START_TEST(sibling_sees_the_end)
{
    PROCESS_INFORMATION target = ntt_spawn("proc_child", "sleep", FALSE);
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE opened = CreateEventA(&sa, TRUE, FALSE, NULL);
    char args[96];
    snprintf(args, sizeof(args), "wait-pid %lu %llu", (unsigned long)target.dwProcessId,
             (unsigned long long)(UINT_PTR)opened);
    PROCESS_INFORMATION watcher = ntt_spawn("proc_child", args, TRUE);
    /* Once the watcher holds its handle, end the target. */
    HANDLE first[2] = {opened, watcher.hProcess};
    ck_assert_uint_eq(WaitForMultipleObjects(2, first, FALSE, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(TerminateProcess(target.hProcess, 3));
    ck_assert_uint_eq(ntt_finish(watcher), 0);
    ck_assert(CloseHandle(opened));
    ck_assert(CloseHandle(target.hThread));
    ck_assert(CloseHandle(target.hProcess));
}
END_TEST

NTT_MAIN(sibling_sees_the_end)
