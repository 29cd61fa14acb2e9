/* CreateProcess: the environment block and the current directory given to the child. */
#include "tcheck.h"
#include "tproc.h"

/* Run proc_child with args, env block and directory; returns its exit code, stdout into out. */
static DWORD run_capture(const char *args, void *env, const char *dir, char *out, DWORD cap)
{
    char cmd[4 * MAX_PATH];
    snprintf(cmd, sizeof(cmd), "\"%s\" %s", ntt_helper_exe("proc_child"), args);
    return ntt_capture(cmd, env, dir, out, cap);
}

START_TEST(environment_block_replaces_ours)
{
    ck_assert(SetEnvironmentVariableA("NTT_PARENT_ONLY", "1"));
    static char block[] = "NTT_FOO=bar baz\0NTT_OTHER=2\0";
    char out[256];
    ck_assert_uint_eq(run_capture("getenv NTT_FOO", block, NULL, out, sizeof(out)), 0);
    ck_assert_str_eq(out, "bar baz");
    ck_assert_uint_eq(run_capture("getenv NTT_PARENT_ONLY", block, NULL, out, sizeof(out)), 0);
    ck_assert_str_eq(out, "<missing>");
}
END_TEST

START_TEST(no_block_inherits_our_environment)
{
    ck_assert(SetEnvironmentVariableA("NTT_PARENT_ONLY", "from parent"));
    char out[256];
    ck_assert_uint_eq(run_capture("getenv NTT_PARENT_ONLY", NULL, NULL, out, sizeof(out)), 0);
    ck_assert_str_eq(out, "from parent");
    ck_assert(SetEnvironmentVariableA("NTT_PARENT_ONLY", NULL));
    ck_assert_uint_eq(run_capture("getenv NTT_PARENT_ONLY", NULL, NULL, out, sizeof(out)), 0);
    ck_assert_str_eq(out, "<missing>");
}
END_TEST

START_TEST(current_directory)
{
    char file[MAX_PATH], dir[4 * MAX_PATH], args[2 * MAX_PATH], out[16];
    snprintf(file, sizeof(file), "proc_child%s", ntt_exe_suffix());
    /* The helpers' directory: the helper path without its file name. */
    snprintf(dir, sizeof(dir), "%s", ntt_helper_exe("proc_child"));
    dir[strlen(dir) - strlen(file) - 1] = '\0';
    snprintf(args, sizeof(args), "exists %s", file);
    ck_assert_uint_eq(run_capture(args, NULL, dir, out, sizeof(out)), 0);
    /* Our own directory (the tests') has no such file. */
    ck_assert_uint_eq(run_capture(args, NULL, NULL, out, sizeof(out)), 90);
}
END_TEST

NTT_MAIN(environment_block_replaces_ours, no_block_inherits_our_environment, current_directory)
