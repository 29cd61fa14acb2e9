/* ntmpm -t: "Syntax OK" on stderr and exit 0, or the error naming file, line and directive and
 * exit 1; a normal start with a broken config fails the same way before serving anything. */
#include "tint.h"

static struct tint_result r;
static struct tdir d;

static void setup(void)
{
    tdir_make(&d);
    tmkdir(&d, "htdocs");
    tmkdir(&d, "logs");
}

START_TEST(good)
{
    setup();
    /* A complete ServerRoot: the default TypesConfig is there (else -t warns that it is not). */
    tmkdir(&d, "conf");
    twrite(&d, "conf/mime.types", "text/html html htm\n");
    twrite(&d, "good.conf", tint_basic_conf(&d, "ThreadsPerChild 8\n"));
    tint_run_in(&r, &d, "-f good.conf -t");
    ck_assert_uint_eq(r.exit_code, 0);
    ck_assert_str_eq(r.err, "Syntax OK\n");
    ck_assert_str_eq(r.out, "");
    tint_dir_remove(d.path);
}
END_TEST

/* The default file is conf/ntmpm.conf under ServerRoot (-d). */
START_TEST(default_file)
{
    setup();
    tmkdir(&d, "conf");
    twrite(&d, "conf/ntmpm.conf", tint_basic_conf(&d, NULL));
    tint_run_in(&r, &d, "-t");
    ck_assert_uint_eq(r.exit_code, 0);
    tint_assert_has(r.err, "Syntax OK");
    tint_dir_remove(d.path);
}
END_TEST

START_TEST(unknown_directive)
{
    setup();
    twrite(&d, "bad.conf", tint_conf("# a comment\nListen 8089\n\nBogusDirective on\n"));
    tint_run_in(&r, &d, "-f bad.conf -t");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "line 4 of ");
    tint_assert_has(r.err, "bad.conf");
    tint_assert_has(r.err, "BogusDirective");
    tint_assert_lacks(r.err, "Syntax OK");
    tint_dir_remove(d.path);
}
END_TEST

START_TEST(bad_argument)
{
    setup();
    twrite(&d, "bad.conf", tint_conf("Listen 8089\nThreadsPerChild lots\n"));
    tint_run_in(&r, &d, "-f bad.conf -t");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "line 2 of ");
    tint_assert_has(r.err, "bad.conf");
    tint_assert_has(r.err, "ThreadsPerChild");
    tint_dir_remove(d.path);
}
END_TEST

/* An error in an included file names that file. */
START_TEST(included_file)
{
    setup();
    twrite(&d, "main.conf", tint_conf("Listen 8089\nInclude extra.conf\n"));
    twrite(&d, "extra.conf", "\nKeepAlive maybe\n");
    tint_run_in(&r, &d, "-f main.conf -t");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "line 2 of ");
    tint_assert_has(r.err, "extra.conf");
    tint_assert_has(r.err, "KeepAlive");
    tint_dir_remove(d.path);
}
END_TEST

START_TEST(missing_file)
{
    setup();
    tint_run_in(&r, &d, "-f nothere.conf -t");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "nothere.conf");
    tint_dir_remove(d.path);
}
END_TEST

/* -C and -c directives are checked too; their errors name the pseudo file. */
START_TEST(cmdline_directive)
{
    setup();
    twrite(&d, "good.conf", tint_basic_conf(&d, NULL));
    tint_run_in(&r, &d, "-f good.conf -c \"TimeOut soon\" -t");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "-C/-c directive");
    tint_assert_has(r.err, "TimeOut");
    tint_dir_remove(d.path);
}
END_TEST

/* Listen is required. */
START_TEST(no_listen)
{
    setup();
    twrite(&d, "nolisten.conf", tint_conf("ThreadsPerChild 4\n"));
    tint_run_in(&r, &d, "-f nolisten.conf -t");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "no listening sockets available");
    tint_dir_remove(d.path);
}
END_TEST

/* Without -t a broken config stops ntmpm before it serves, with the same message. */
START_TEST(start_with_error)
{
    setup();
    twrite(&d, "bad.conf", tint_conf("Listen 8089\nThreadsPerChild lots\n"));
    tint_run_in(&r, &d, "-f bad.conf");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "line 2 of ");
    tint_assert_has(r.err, "ThreadsPerChild");
    char pid[64];
    ck_assert_str_eq(tint_read(&d, "logs/ntmpm.pid", pid, sizeof(pid)), "");
    tint_dir_remove(d.path);
}
END_TEST

NTT_MAIN(good, default_file, unknown_directive, bad_argument, included_file, missing_file,
         cmdline_directive, no_listen, start_with_error)
