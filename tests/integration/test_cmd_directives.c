/* Each mpm_winnt directive's range handling as -t shows it: httpd's warnings and clamping, or an
 * error naming the directive; and the defaults, as -S shows them. */
#include "tint.h"

static struct tint_result r;
static struct tdir d;

/* ntmpm -t with the basic config plus the given lines. */
static void check(const char *extra)
{
    tdir_make(&d);
    tmkdir(&d, "htdocs");
    twrite(&d, "t.conf", tint_basic_conf(&d, extra));
    tint_run_in(&r, &d, "-f t.conf -t");
    tint_dir_remove(d.path);
}

static void check_ok(const char *extra, const char *warning)
{
    check(extra);
    ck_assert_msg(r.exit_code == 0, "%s: exit %lu\n%s", extra, (unsigned long)r.exit_code, r.err);
    tint_assert_has(r.err, warning);
    tint_assert_has(r.err, "Syntax OK");
}

static void check_error(const char *extra, const char *message)
{
    check(extra);
    ck_assert_msg(r.exit_code == 1, "%s: exit %lu\n%s", extra, (unsigned long)r.exit_code, r.err);
    tint_assert_has(r.err, message);
    tint_assert_has(r.err, "line 6 of "); /* the extra line follows the basic config's 5 */
    tint_assert_lacks(r.err, "Syntax OK");
}

START_TEST(threads_per_child_above_limit)
{
    check_ok("ThreadsPerChild 5000\n",
             "ThreadsPerChild of 5000 exceeds ThreadLimit of 1920 threads, decreasing to 1920");
    check_ok("ThreadLimit 10\nThreadsPerChild 20\n",
             "ThreadsPerChild of 20 exceeds ThreadLimit of 10 threads, decreasing to 10");
}
END_TEST

START_TEST(threads_per_child_zero)
{
    check_ok("ThreadsPerChild 0\n", "ThreadsPerChild of 0 not allowed, increasing to 1");
}
END_TEST

START_TEST(thread_limit_above_max)
{
    check_ok("ThreadLimit 20000\n",
             "ThreadLimit of 20000 exceeds compile-time limit of 15000 threads, decreasing to "
             "15000");
}
END_TEST

START_TEST(thread_limit_zero)
{
    check_ok("ThreadLimit 0\n", "ThreadLimit of 0 not allowed, increasing to 1");
}
END_TEST

START_TEST(listen_backlog)
{
    check_error("ListenBacklog 0\n", "ListenBacklog must be > 0");
    check_ok("ListenBacklog 1\n", "");
}
END_TEST

START_TEST(buffer_sizes)
{
    check_error("ReceiveBufferSize 100\n", "ReceiveBufferSize must be >= 512 bytes");
    check_error("SendBufferSize 511\n", "SendBufferSize must be >= 512 bytes");
    check_ok("ReceiveBufferSize 0\nSendBufferSize 512\n", "");
}
END_TEST

START_TEST(max_connections)
{
    check_error("MaxConnectionsPerChild -5\n", "MaxConnectionsPerChild");
    check_ok("MaxConnectionsPerChild 0\n", "");
    check_ok("MaxRequestsPerChild 10\n",
             "MaxRequestsPerChild is deprecated, use MaxConnectionsPerChild instead");
}
END_TEST

START_TEST(max_mem_free)
{
    check_error("MaxMemFree -1\n", "MaxMemFree");
    check_ok("MaxMemFree 0\n", "");
}
END_TEST

START_TEST(accept_filter)
{
    check_error("AcceptFilter http bogus\n", "AcceptFilter");
    check_ok("AcceptFilter http data\nAcceptFilter https none\n", "");
    check_ok("Win32DisableAcceptEx\n", "Win32DisableAcceptEx is deprecated");
}
END_TEST

START_TEST(core_directives)
{
    check_error("TimeOut x\n", "TimeOut");
    check_error("KeepAlive maybe\n", "KeepAlive must be On or Off");
    check_error("LogLevel loud\n", "LogLevel");
    check_error("MaxKeepAliveRequests x\n", "MaxKeepAliveRequests");
    check_error("Listen 127.0.0.1:8089\n", "Cannot define multiple Listeners on the same IP:port");
}
END_TEST

/* The LoadModule of a compiled-in MPM is ignored with httpd's warning (static build). */
START_TEST(builtin_mpm_loadmodule)
{
    tint_run(&r, "-V");
    if (strstr(r.out, "NTMPM_MPMS_SHARED=0") == NULL)
        return; /* an mpms_shared build: LoadModule is how its MPM is chosen */
    check_ok("LoadModule mpm_winnt_module modules/mod_mpm_winnt.so\n",
             "module mpm_winnt_module is built-in and can't be loaded");
}
END_TEST

/* The defaults, as -S shows them: ServerRoot-relative PidFile, DocumentRoot and ErrorLog. */
START_TEST(defaults)
{
    tdir_make(&d);
    twrite(&d, "t.conf", tint_conf("Listen 8089\n"));
    tint_run_in(&r, &d, "-f t.conf -S");
    ck_assert_uint_eq(r.exit_code, 0);
    tint_assert_has(r.out, "ServerRoot: \"");
    tint_assert_has(r.out, "logs/ntmpm.pid\"\n");
    tint_assert_has(r.out, "htdocs\"\n");
    tint_dir_remove(d.path);
}
END_TEST

NTT_MAIN(threads_per_child_above_limit, threads_per_child_zero, thread_limit_above_max,
         thread_limit_zero, listen_backlog, buffer_sizes, max_connections, max_mem_free,
         accept_filter, core_directives, builtin_mpm_loadmodule, defaults)
