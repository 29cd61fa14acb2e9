/* Bad command lines: a message naming the problem, the usage on stderr, exit 1. */
#include "tint.h"

static struct tint_result r;

START_TEST(illegal_option)
{
    tint_run(&r, "-q");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "illegal option -- q");
    tint_assert_has(r.err, "Usage: ntmpm");
    ck_assert_str_eq(r.out, "");
}
END_TEST

START_TEST(missing_argument)
{
    tint_run(&r, "-f");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "option requires an argument -- f");
    tint_assert_has(r.err, "Usage: ntmpm");
}
END_TEST

START_TEST(unknown_verb)
{
    tint_run(&r, "-k bounce");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "unrecognized -k argument: bounce");
    tint_assert_has(r.err, "Usage: ntmpm");
}
END_TEST

START_TEST(stray_argument)
{
    tint_run(&r, "-t extra");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "unexpected argument 'extra'");
}
END_TEST

START_TEST(bad_level)
{
    tint_run(&r, "-e loud -t");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "invalid -e argument: loud");
}
END_TEST

NTT_MAIN(illegal_option, missing_argument, unknown_verb, stray_argument, bad_level)
