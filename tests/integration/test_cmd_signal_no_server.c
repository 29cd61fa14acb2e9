/* -k verbs with no server running: a clear message and a non-zero exit, for every verb. */
#include "tint.h"

static struct tint_result r;
static struct tdir d;

static void verb(const char *name)
{
    tint_run_in(&r, &d, "-f t.conf -k %s", name);
    ck_assert_msg(r.exit_code != 0, "-k %s: exit 0\n%s%s", name, r.out, r.err);
    ck_assert_msg(strlen(r.err) > 0, "-k %s: no message", name);
}

START_TEST(no_pid_file)
{
    tdir_make(&d);
    tmkdir(&d, "htdocs");
    tmkdir(&d, "logs");
    twrite(&d, "t.conf", tint_basic_conf(&d, NULL));
    verb("stop");
    verb("shutdown");
    verb("restart");
    verb("graceful");
    verb("graceful-stop");
    tint_dir_remove(d.path);
}
END_TEST

/* A PidFile left behind by a server that is gone (a pid nobody has). */
START_TEST(stale_pid_file)
{
    tdir_make(&d);
    tmkdir(&d, "htdocs");
    tmkdir(&d, "logs");
    twrite(&d, "t.conf", tint_basic_conf(&d, NULL));
    twrite(&d, "logs/ntmpm.pid", "4000000\n");
    verb("stop");
    verb("graceful");
    tint_dir_remove(d.path);
}
END_TEST

NTT_MAIN(no_pid_file, stale_pid_file)
