/* Bad command lines: a message naming the problem, the usage on stderr, exit 1. */
#include "tint.h"

static struct tint_result r;

/* ntmpm <args> exits 1 with problem on stderr, and the usage too when usage is set. */
static void rejected(const char *args, const char *problem, BOOL usage)
{
    tint_run(&r, "%s", args);
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, problem);
    if (usage)
        tint_assert_has(r.err, "Usage: ntmpm");
}

START_TEST(illegal_option)
{
    rejected("-q", "illegal option -- q", TRUE);
    ck_assert_str_eq(r.out, "");
}
END_TEST

START_TEST(missing_argument)
{
    rejected("-f", "option requires an argument -- f", TRUE);
}
END_TEST

START_TEST(unknown_verb)
{
    rejected("-k bounce", "unrecognized -k argument: bounce", TRUE);
}
END_TEST

START_TEST(stray_argument)
{
    rejected("-t extra", "unexpected argument 'extra'", FALSE);
}
END_TEST

START_TEST(bad_level)
{
    rejected("-e loud -t", "invalid -e argument: loud", FALSE);
}
END_TEST

NTT_MAIN(illegal_option, missing_argument, unknown_verb, stray_argument, bad_level)
