/* -S, -M and -t -D DUMP_*: configuration dumps on stdout (httpd 2.4: dumps do not say Syntax OK).
 */
#include "tint.h"

static struct tint_result r;
static struct tdir d;

static void setup(void)
{
    tdir_make(&d);
    tmkdir(&d, "htdocs");
    twrite(&d, "t.conf", tint_basic_conf(&d, NULL));
}

START_TEST(settings_summary)
{
    setup();
    tint_run_in(&r, &d, "-f t.conf -D EXTRA -S");
    ck_assert_uint_eq(r.exit_code, 0);
    tint_assert_has(r.out, "VirtualHost configuration:\n");
    tint_assert_has(r.out, "\nServerRoot: \"");
    tint_assert_has(r.out, "\nMain DocumentRoot: \"");
    tint_assert_has(r.out, "\nMain ErrorLog: \"");
    tint_assert_has(r.out, "logs/error.log\"\n");
    tint_assert_has(r.out, "\nMutex default: dir=\"");
    tint_assert_has(r.out, "\nPidFile: \"");
    tint_assert_has(r.out, "\nDefine: EXTRA\n");
    tint_assert_has(r.out, "\nDefine: DUMP_VHOSTS\n");
    tint_assert_has(r.out, "\nDefine: DUMP_RUN_CFG\n");
    tint_assert_lacks(r.err, "Syntax OK");
    tint_dir_remove(d.path);
}
END_TEST

START_TEST(loaded_modules)
{
    setup();
    tint_run_in(&r, &d, "-f t.conf -M");
    ck_assert_uint_eq(r.exit_code, 0);
    ck_assert_msg(strncmp(r.out, "Loaded Modules:\n", 16) == 0, "-M printed:\n%s", r.out);
    tint_assert_has(r.out, " core_module (static)\n");
    tint_assert_lacks(r.err, "Syntax OK");
    tint_dir_remove(d.path);
}
END_TEST

START_TEST(includes)
{
    setup();
    twrite(&d, "more.conf", "KeepAlive Off\n");
    twrite(&d, "main.conf", "Include t.conf\nInclude more.conf\n");
    tint_run_in(&r, &d, "-f main.conf -t -D DUMP_INCLUDES");
    ck_assert_uint_eq(r.exit_code, 0);
    tint_assert_has(r.out, "Included configuration files:\n");
    tint_assert_has(r.out, "more.conf\n");
    tint_assert_has(r.out, "t.conf\n");
    tint_dir_remove(d.path);
}
END_TEST

/* A dump still checks the configuration. */
START_TEST(dump_of_bad_config)
{
    setup();
    twrite(&d, "bad.conf", tint_conf("Listen 8089\nNoSuchThing\n"));
    tint_run_in(&r, &d, "-f bad.conf -M");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "NoSuchThing");
    tint_dir_remove(d.path);
}
END_TEST

NTT_MAIN(settings_summary, loaded_modules, includes, dump_of_bad_config)
