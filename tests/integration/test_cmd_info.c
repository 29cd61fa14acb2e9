/* ntmpm -v, -V, -l, -L and -h: what they print on stdout, and exit 0 without reading a config. */
#include "tint.h"

static struct tint_result r;

START_TEST(version)
{
    tint_run(&r, "-v");
    ck_assert_uint_eq(r.exit_code, 0);
    ck_assert_msg(strncmp(r.out, "Server version: ntmpm/", 22) == 0, "-v printed:\n%s", r.out);
    tint_assert_has(r.out, "\nServer built:   ");
    ck_assert_str_eq(r.err, "");
}
END_TEST

START_TEST(settings)
{
    tint_run(&r, "-V");
    ck_assert_uint_eq(r.exit_code, 0);
    tint_assert_has(r.out, "Server version: ntmpm/");
    tint_assert_has(r.out, "\nServer MPM:     WinNT\n");
    tint_assert_has(r.out, "\n  threaded:     yes (fixed thread count)\n");
    tint_assert_has(r.out, "\n    forked:     no\n");
    /* The build settings: compiler, architecture, MPM selection. */
    tint_assert_has(r.out, "\nCompiled using: ");
    tint_assert_has(r.out, "\nArchitecture:   64-bit\n");
    tint_assert_has(r.out, " -D NTMPM_MPM=\"winnt\"\n");
    tint_assert_has(r.out, " -D NTMPM_MPMS_SHARED=");
    tint_assert_has(r.out, " -D SERVER_CONFIG_FILE=\"conf/ntmpm.conf\"\n");
}
END_TEST

START_TEST(modules)
{
    tint_run(&r, "-l");
    ck_assert_uint_eq(r.exit_code, 0);
    ck_assert_msg(strncmp(r.out, "Compiled in modules:\n", 21) == 0, "-l printed:\n%s", r.out);
    tint_assert_has(r.out, "  core.c\n");
}
END_TEST

START_TEST(directives)
{
    tint_run(&r, "-L");
    ck_assert_uint_eq(r.exit_code, 0);
    tint_assert_has(r.out, "Listen (");
    tint_assert_has(r.out, "DocumentRoot (");
    tint_assert_has(r.out, "LoadModule (");
}
END_TEST

START_TEST(help)
{
    tint_run(&r, "-h");
    ck_assert_uint_eq(r.exit_code, 0);
    tint_assert_has(r.out, "Usage: ntmpm");
    tint_assert_has(r.out, "-k start");
    tint_assert_has(r.out, "-t                 : run syntax check for config files");
}
END_TEST

/* -v does not read the configuration: a missing -f file does not matter. */
START_TEST(no_config_read)
{
    tint_run(&r, "-f does-not-exist.conf -v");
    ck_assert_uint_eq(r.exit_code, 0);
    tint_assert_has(r.out, "Server version: ntmpm/");
}
END_TEST

NTT_MAIN(version, settings, modules, directives, help, no_config_read)
