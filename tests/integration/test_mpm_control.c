/* -k start runs the server detached and returns once it serves; -k stop ends it; Ctrl+C-free. */
#include "tmpm.h"

START_TEST(start_then_stop)
{
    struct tmpm t;
    tmpm_init(&t, "kstart", NULL);
    ck_assert_uint_eq(tmpm_run(&t, "-k start", 6 * NTT_WAIT_MS), 0);
    /* It returned only once the server accepts: no retry needed. */
    ck_assert_int_eq(tmpm_get(t.port, "/", NULL, 0), 200);
    /* A second start refuses: one is running. */
    ck_assert_uint_ne(tmpm_run(&t, "-k start", 6 * NTT_WAIT_MS), 0);
    char *pid_text = tmpm_read_file(t.pid_file);
    DWORD pid = (DWORD)strtoul(pid_text, NULL, 10);
    free(pid_text);
    HANDLE p = OpenProcess(SYNCHRONIZE, FALSE, pid);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(tmpm_run(&t, "-k stop", 6 * NTT_WAIT_MS), 0);
    ck_assert_uint_eq(WaitForSingleObject(p, NTT_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(p);
    ck_assert_uint_eq(GetFileAttributesA(t.pid_file), INVALID_FILE_ATTRIBUTES);
    ck_assert_int_eq(tmpm_get(t.port, "/", NULL, 0), -1);
    /* Nothing runs now: stop says so and fails. */
    ck_assert_uint_ne(tmpm_run(&t, "-k stop", NTT_WAIT_MS), 0);
}
END_TEST

NTT_MAIN(start_then_stop)
