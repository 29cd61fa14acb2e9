/* -k restart and -k graceful from another process: a new child serves; a broken config does not. */
#include "tmpm.h"

static void restart_with(const char *verb)
{
    struct tmpm t;
    tmpm_init(&t, verb, NULL);
    tmpm_start(&t);
    DWORD first = tmpm_child_pid(&t);
    ck_assert_uint_ne(first, 0);
    char args[64];
    snprintf(args, sizeof(args), "-k %s", verb);
    ck_assert_uint_eq(tmpm_run(&t, args, 3 * NTT_WAIT_MS), 0);
    DWORD second = tmpm_wait_new_child(&t, first, 3 * NTT_WAIT_MS);
    ck_assert_uint_ne(second, 0);
    ck_assert_int_eq(tmpm_get(t.port, "/", NULL, 0), 200);
    /* The old child leaves (it had nothing in flight). */
    HANDLE old = OpenProcess(SYNCHRONIZE, FALSE, first);
    if (old) {
        ck_assert_uint_eq(WaitForSingleObject(old, 3 * NTT_WAIT_MS), WAIT_OBJECT_0);
        CloseHandle(old);
    }
    tmpm_stop(&t);
    tmpm_kill(&t);
}

START_TEST(restart_starts_a_new_child)
{
    restart_with("restart");
}
END_TEST

START_TEST(graceful_starts_a_new_child)
{
    restart_with("graceful");
}
END_TEST

START_TEST(broken_config_keeps_the_old_child)
{
    struct tmpm t;
    tmpm_init(&t, "broken", NULL);
    tmpm_start(&t);
    DWORD first = tmpm_child_pid(&t);
    /* Break the file the server will re-read, then signal the restart directly through the
     * named event (-k would refuse the broken file itself). */
    tmpm_config(&t, "ThreadsPerChild 4\nNoSuchDirective on\n");
    char name[64];
    snprintf(name, sizeof(name), "ntmpm%lu_restart", (unsigned long)t.pid);
    HANDLE ev = OpenEventA(EVENT_MODIFY_STATE, FALSE, name);
    ck_assert_ptr_nonnull(ev);
    ck_assert(SetEvent(ev));
    CloseHandle(ev);
    /* The error is logged with file and line, and the same child keeps serving. */
    ULONGLONG until = GetTickCount64() + 3 * NTT_WAIT_MS;
    while (!tmpm_file_contains(t.log, "NoSuchDirective") && GetTickCount64() < until)
        Sleep(50); /* the log has no change notification */
    ck_assert_msg(tmpm_file_contains(t.log, "ntmpm.conf:12"), "no file:line in the error log");
    ck_assert_int_eq(tmpm_get(t.port, "/", NULL, 0), 200);
    ck_assert_uint_eq(tmpm_child_pid(&t), first);
    tmpm_kill(&t);
}
END_TEST

NTT_MAIN(restart_starts_a_new_child, graceful_starts_a_new_child, broken_config_keeps_the_old_child)
