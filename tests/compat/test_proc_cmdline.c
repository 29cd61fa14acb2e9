/* CreateProcess: a command line with quotes and backslashes reaches the child's argv intact. */
#include "tcheck.h"
#include "tproc.h"

START_TEST(quoting_round_trip)
{
    char cmd[8 * MAX_PATH];
    /* The program name is quoted (its path may hold spaces); the arguments exercise the rules. */
    snprintf(cmd, sizeof(cmd),
             "\"%s\" args plain  \"with space\"\t\"quote\\\"inside\" a\\\\b \"trail\\\\\\\\\" \"\" "
             "back\\slash x\\\"y mid\"dle quo\"ted \"a\"\"b\" \"c\"\"\"",
             ntt_helper_exe("proc_child"));
    char out[1024];
    ntt_capture(cmd, NULL, NULL, out, sizeof(out));
    ck_assert_str_eq(out, "[plain]\n"
                          "[with space]\n"
                          "[quote\"inside]\n"
                          "[a\\\\b]\n"
                          "[trail\\\\]\n"
                          "[]\n"
                          "[back\\slash]\n"
                          "[x\"y]\n"
                          "[middle quoted]\n"
                          "[a\"b]\n"
                          "[c\"]\n");
}
END_TEST

NTT_MAIN(quoting_round_trip)
