/* A killed child is replaced: a new one serves within 3 s; the exit status is logged. */
#include "tmpm.h"

START_TEST(killed_child_is_replaced_quickly)
{
    struct tmpm t;
    tmpm_init(&t, "crash", NULL);
    tmpm_start(&t);
    DWORD first = tmpm_child_pid(&t);
    HANDLE c = OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE, FALSE, first);
    ck_assert_ptr_nonnull(c);
    ULONGLONG t0 = GetTickCount64();
    ck_assert(TerminateProcess(c, 42));
    ck_assert_uint_eq(WaitForSingleObject(c, NTT_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(c);
    DWORD next = tmpm_wait_new_child(&t, first, 3000);
    ck_assert_uint_ne(next, 0);
    ULONGLONG spent = GetTickCount64() - t0;
    ck_assert(tmpm_wait_serving(t.port, spent < 3000 ? (DWORD)(3000 - spent) : 1));
    ULONGLONG took = GetTickCount64() - t0;
    fprintf(stderr, "crashed child replaced and serving in %llu ms\n", (unsigned long long)took);
    ck_assert_uint_lt(took, 3000);
    /* Windows reports our code 42; POSIX cannot tell another process's kill code (compat/ says 1).
     */
    ck_assert_msg(tmpm_file_contains(t.log, "exited with status"), "exit status not logged");
    tmpm_stop(&t);
    tmpm_kill(&t);
}
END_TEST

NTT_MAIN(killed_child_is_replaced_quickly)
