/* MPM selection: compiled in (the default build: no LoadModule needed, -l lists it), or with
 * -Dmpms_shared=true exactly one LoadModule of modules/mod_mpm_winnt.so (.dll), clear errors
 * otherwise. Each case checks the kind of build it runs in. */
#include "tint.h"

static struct tint_result r;
static struct tdir d;

static int shared_build(void)
{
    return tint_mpm_loadmodule()[0] != '\0';
}

static void setup(void)
{
    tdir_make(&d);
    tmkdir(&d, "htdocs");
}

/* Without LoadModule: fine when compiled in, "No MPM loaded" when the MPM is a module. */
START_TEST(no_loadmodule)
{
    setup();
    twrite(&d, "t.conf", "Listen 8089\n");
    tint_run_in(&r, &d, "-f t.conf -t");
    if (shared_build()) {
        ck_assert_uint_eq(r.exit_code, 1);
        tint_assert_has(r.err, "No MPM loaded");
    } else {
        ck_assert_uint_eq(r.exit_code, 0);
        tint_assert_has(r.err, "Syntax OK");
    }
    tint_dir_remove(d.path);
}
END_TEST

START_TEST(listed)
{
    tint_run(&r, "-l");
    if (shared_build())
        tint_assert_lacks(r.out, "mpm_winnt.c");
    else
        tint_assert_has(r.out, "  mpm_winnt.c\n");
    setup();
    twrite(&d, "t.conf", tint_basic_conf(&d, NULL));
    tint_run_in(&r, &d, "-f t.conf -M");
    ck_assert_uint_eq(r.exit_code, 0);
    tint_assert_has(r.out, shared_build() ? " mpm_winnt_module (shared)\n"
                                          : " mpm_winnt_module (static)\n");
    tint_dir_remove(d.path);
}
END_TEST

/* A LoadModule naming a file that is not there: the line, the path and the reason. */
START_TEST(missing_module_file)
{
    if (!shared_build())
        return; /* the static build ignores a LoadModule of its built-in MPM (with a warning) */
    setup();
    twrite(&d, "t.conf", "Listen 8089\nLoadModule mpm_winnt_module modules/nothere.so\n");
    tint_run_in(&r, &d, "-f t.conf -t");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "line 2 of ");
    tint_assert_has(r.err, "Cannot load ");
    tint_assert_has(r.err, "nothere.so");
    tint_dir_remove(d.path);
}
END_TEST

/* A file that is not a module at all. */
START_TEST(not_a_module)
{
    if (!shared_build())
        return;
    setup();
    twrite(&d, "junk.so", "this is not a module\n");
    twrite(&d, "t.conf", "Listen 8089\nLoadModule mpm_winnt_module junk.so\n");
    tint_run_in(&r, &d, "-f t.conf -t");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "Cannot load ");
    tint_assert_has(r.err, "junk.so");
    tint_dir_remove(d.path);
}
END_TEST

/* A name that is not a module of ntmpm. */
START_TEST(unknown_module)
{
    setup();
    twrite(&d, "t.conf", tint_conf("Listen 8089\nLoadModule mpm_other_module m.so\n"));
    tint_run_in(&r, &d, "-f t.conf -t");
    ck_assert_uint_eq(r.exit_code, 1);
    tint_assert_has(r.err, "line 2 of ");
    tint_assert_has(r.err, "mpm_other_module");
    tint_dir_remove(d.path);
}
END_TEST

NTT_MAIN(no_loadmodule, listed, missing_module_file, not_a_module, unknown_module)
