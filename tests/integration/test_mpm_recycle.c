/* MaxConnectionsPerChild 50 over 200 connections: all succeed, and the child is replaced. */
#include "tmpm.h"

START_TEST(max_connections_per_child_replaces_the_child)
{
    struct tmpm t;
    tmpm_init(&t, "recycle", "MaxConnectionsPerChild 50\n");
    tmpm_start(&t);
    DWORD first = tmpm_child_pid(&t);
    int failed = 0;
    for (int i = 0; i < 200; i++)
        failed += tmpm_get(t.port, "/index.html", NULL, 0) != 200;
    ck_assert_int_eq(failed, 0);
    DWORD now = tmpm_wait_new_child(&t, first, 3 * NTT_WAIT_MS);
    ck_assert_uint_ne(now, 0);
    ck_assert_msg(tmpm_file_contains(t.log, "MaxConnectionsPerChild"), "no recycling logged");
    tmpm_stop(&t);
    tmpm_kill(&t);
}
END_TEST

NTT_MAIN(max_connections_per_child_replaces_the_child)
