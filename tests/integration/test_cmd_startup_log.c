/* Startup messages: -e filters them, -E sends them to a file; an ErrorLog that cannot be opened
 * (or is of a kind ntmpm does not support) stops the start with a clear message and exit 1. */
#include "tint.h"

static struct tint_result r;
static struct tdir d;

static void setup(const char *extra)
{
    tdir_make(&d);
    tmkdir(&d, "htdocs");
    tmkdir(&d, "logs");
    twrite(&d, "t.conf", tint_basic_conf(&d, extra));
}

START_TEST(level_filters_warnings)
{
    setup("ThreadsPerChild 0\n");
    tint_run_in(&r, &d, "-f t.conf -t -e error");
    ck_assert_uint_eq(r.exit_code, 0);
    tint_assert_lacks(r.err, "ThreadsPerChild");
    tint_assert_has(r.err, "Syntax OK");
    tint_run_in(&r, &d, "-f t.conf -t -e warn");
    tint_assert_has(r.err, "ThreadsPerChild of 0 not allowed");
    tint_dir_remove(d.path);
}
END_TEST

START_TEST(startup_file)
{
    setup("ThreadsPerChild 0\n");
    tint_run_in(&r, &d, "-f t.conf -t -E \"%s\"", tpath(&d, "startup.log"));
    ck_assert_uint_eq(r.exit_code, 0);
    ck_assert_str_eq(r.err, "");
    char text[4096];
    tint_read(&d, "startup.log", text, sizeof(text));
    tint_assert_has(text, "ThreadsPerChild of 0 not allowed");
    tint_assert_has(text, "Syntax OK");
    /* Appended to, not truncated. */
    tint_run_in(&r, &d, "-f t.conf -t -E \"%s\"", tpath(&d, "startup.log"));
    tint_read(&d, "startup.log", text, sizeof(text));
    const char *second = strstr(strstr(text, "Syntax OK") + 1, "Syntax OK");
    ck_assert_msg(second != NULL, "startup.log:\n%s", text);
    /* A relative -E file is under the -d ServerRoot, as in httpd. */
    tint_run_in(&r, &d, "-f t.conf -t -E relative.log");
    ck_assert_uint_eq(r.exit_code, 0);
    ck_assert_str_eq(r.err, "");
    tint_assert_has(tint_read(&d, "relative.log", text, sizeof(text)), "Syntax OK");
    tint_dir_remove(d.path);
}
END_TEST

START_TEST(error_log_missing_directory)
{
    setup("ErrorLog nodir/error.log\n");
    tint_run_in(&r, &d, "-f t.conf");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "could not open error log file");
    tint_assert_has(r.err, "error.log");
    tint_assert_has(r.err, "Unable to open logs");
    tint_dir_remove(d.path);
}
END_TEST

START_TEST(error_log_piped)
{
    setup("ErrorLog \"|cat\"\n");
    tint_run_in(&r, &d, "-f t.conf -t");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "piped logs are not supported");
    tint_run_in(&r, &d, "-f t.conf");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "piped logs are not supported");
    tint_dir_remove(d.path);
}
END_TEST

START_TEST(error_log_syslog)
{
    setup("ErrorLog syslog:local7\n");
    tint_run_in(&r, &d, "-f t.conf -t");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "syslog is not supported");
    tint_dir_remove(d.path);
}
END_TEST

NTT_MAIN(level_filters_warnings, startup_file, error_log_missing_directory, error_log_piped,
         error_log_syslog)
