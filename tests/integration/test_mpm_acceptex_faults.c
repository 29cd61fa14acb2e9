/* NTMPM_TEST_ACCEPTEX_FAULTS: after more than 10 AcceptEx faults the listener falls back to
 * 'AcceptFilter none', logs it as httpd does, and keeps serving. */
#include "tmpm.h"

START_TEST(too_many_faults_fall_back_to_accept)
{
    struct tmpm t;
    tmpm_init(&t, "faults", NULL);
    SetEnvironmentVariableA("NTMPM_TEST_ACCEPTEX_FAULTS", "20");
    tmpm_start(&t);
    SetEnvironmentVariableA("NTMPM_TEST_ACCEPTEX_FAULTS", NULL);
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(tmpm_get(t.port, "/index.html", NULL, 0), 200);
    ck_assert(tmpm_file_contains(
        t.log, "Child: Encountered too many AcceptEx faults accepting client connections."));
    ck_assert(tmpm_file_contains(t.log, "winnt_mpm: falling back to 'AcceptFilter none'."));
    tmpm_stop(&t);
    tmpm_kill(&t);
}
END_TEST

NTT_MAIN(too_many_faults_fall_back_to_accept)
