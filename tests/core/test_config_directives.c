/* Every directive's default, range handling, warnings and clamping. */
#include "tcore.h"

static struct server_config *ok(struct tdir *d, const char *text, struct twarn *w)
{
    struct server_config *c;
    struct config_error err;
    ck_assert_msg(tconfig(d, text, NULL, w, &c, &err) == 0, "%s", err.message);
    return c;
}

static const char *fails(struct tdir *d, const char *text)
{
    static struct config_error err;
    struct server_config *c;
    ck_assert_int_eq(tconfig(d, text, NULL, NULL, &c, &err), -1);
    ck_assert_ptr_null(c);
    return err.message;
}

START_TEST(defaults)
{
    struct tdir d;
    tdir_make(&d);
    struct twarn w = {0};
    struct server_config *c = ok(&d, "Listen 80\n", &w);
    ck_assert_int_eq(w.n, 0);
    ck_assert_str_eq(c->server_root, d.path);
    ck_assert_ptr_null(c->server_name);
    ck_assert_str_eq(c->document_root, tpath(&d, "htdocs"));
    ck_assert_int_eq(c->listen_backlog, 511);
    ck_assert_uint_eq(c->timeout_ms, 60000);
    ck_assert_int_eq(c->keep_alive, 1);
    ck_assert_uint_eq(c->keep_alive_timeout_ms, 5000);
    ck_assert_int_eq(c->max_keep_alive_requests, 100);
    ck_assert_str_eq(c->error_log, tpath(&d, "logs/error.log"));
    ck_assert_int_eq(c->log_level, CONFIG_LOG_WARNING);
    ck_assert_uint_eq(c->n_modules, 0);
    ck_assert_ptr_null(c->mpm_module_path);
    ck_assert_int_eq(config_accept_mode_for(c, "http"), CONFIG_ACCEPT_CONNECT);
    ck_assert_int_eq(config_accept_mode_for(c, "https"), CONFIG_ACCEPT_CONNECT);
    ck_assert_int_eq(c->win32_disable_acceptex, 0);
    ck_assert_str_eq(c->core_dump_directory, d.path);
    ck_assert_int_eq(c->max_connections_per_child, 0);
    ck_assert_uint_eq(c->max_mem_free_kib, 2048);
    ck_assert_str_eq(c->pid_file, tpath(&d, "logs/ntmpm.pid"));
    ck_assert_int_eq(c->receive_buffer_size, 0);
    ck_assert_int_eq(c->send_buffer_size, 0);
    ck_assert_ptr_null(c->scoreboard_file);
    ck_assert_int_eq(c->thread_limit, 1920);
    ck_assert_int_eq(c->threads_per_child, 64);
    ck_assert_uint_eq(c->thread_stack_size, 0);
    server_config_free(c);
    tdir_remove(&d);
}
END_TEST

START_TEST(values_are_set)
{
    struct tdir d;
    tdir_make(&d);
    tmkdir(&d, "www");
    tmkdir(&d, "cores");
    struct twarn w = {0};
    struct server_config *c = ok(&d,
                                 "Listen 80\nServerName www.example.org:8080\nDocumentRoot www\n"
                                 "ListenBacklog 10\nTimeOut 500ms\nKeepAlive Off\n"
                                 "KeepAliveTimeout 2mi\nMaxKeepAliveRequests 0\n"
                                 "ErrorLog \"|rotatelogs x\"\nLogLevel info core:debug\n"
                                 "CoreDumpDirectory cores\nMaxConnectionsPerChild 50\n"
                                 "MaxMemFree 0\nPidFile run/x.pid\nReceiveBufferSize 512\n"
                                 "SendBufferSize 65536\nScoreBoardFile logs/sb\n"
                                 "ThreadLimit 100\nThreadsPerChild 100\nThreadStackSize 0x100000\n"
                                 "AcceptFilter http data\nAcceptFilter HTTPS none\n",
                                 &w);
    ck_assert_int_eq(w.n, 0);
    ck_assert_str_eq(c->server_name, "www.example.org:8080");
    ck_assert_str_eq(c->document_root, tpath(&d, "www"));
    ck_assert_int_eq(c->listen_backlog, 10);
    ck_assert_uint_eq(c->timeout_ms, 500);
    ck_assert_int_eq(c->keep_alive, 0);
    ck_assert_uint_eq(c->keep_alive_timeout_ms, 120000);
    ck_assert_int_eq(c->max_keep_alive_requests, 0);
    ck_assert_str_eq(c->error_log, "|rotatelogs x");
    ck_assert_int_eq(c->log_level, CONFIG_LOG_INFO);
    ck_assert_str_eq(c->core_dump_directory, tpath(&d, "cores"));
    ck_assert_int_eq(c->max_connections_per_child, 50);
    ck_assert_uint_eq(c->max_mem_free_kib, 0);
    ck_assert_str_eq(c->pid_file, tpath(&d, "run/x.pid"));
    ck_assert_int_eq(c->receive_buffer_size, 512);
    ck_assert_int_eq(c->send_buffer_size, 65536);
    ck_assert_str_eq(c->scoreboard_file, tpath(&d, "logs/sb"));
    ck_assert_int_eq(c->thread_limit, 100);
    ck_assert_int_eq(c->threads_per_child, 100);
    ck_assert_uint_eq(c->thread_stack_size, 0x100000);
    ck_assert_int_eq(config_accept_mode_for(c, "http"), CONFIG_ACCEPT_DATA);
    ck_assert_int_eq(config_accept_mode_for(c, "https"), CONFIG_ACCEPT_NONE);
    ck_assert_int_eq(config_accept_mode_for(c, "ftp"), CONFIG_ACCEPT_CONNECT);
    ck_assert_str_eq(config_log_level_name(c->log_level), "info");
    server_config_free(c);
    tdir_remove(&d);
}
END_TEST

START_TEST(threads_are_clamped_with_httpd_warnings)
{
    struct tdir d;
    tdir_make(&d);
    struct twarn w = {0};
    struct server_config *c = ok(&d, "Listen 80\nThreadsPerChild 5000\n", &w);
    ck_assert_int_eq(c->threads_per_child, 1920);
    ck_assert_int_eq(w.n, 1);
    ck_assert_str_eq(w.msgs[0], "WARNING: ThreadsPerChild of 5000 exceeds ThreadLimit of 1920 "
                                "threads, decreasing to 1920. To increase, please see the "
                                "ThreadLimit directive.");
    server_config_free(c);
    w.n = 0;
    c = ok(&d, "Listen 80\nThreadsPerChild 0\n", &w);
    ck_assert_int_eq(c->threads_per_child, 1);
    ck_assert_str_eq(w.msgs[0], "WARNING: ThreadsPerChild of 0 not allowed, increasing to 1.");
    server_config_free(c);
    w.n = 0;
    c = ok(&d, "Listen 80\nThreadLimit 20000\nThreadsPerChild 16000\n", &w);
    ck_assert_int_eq(c->thread_limit, 15000);
    ck_assert_int_eq(c->threads_per_child, 15000);
    ck_assert_int_eq(w.n, 2);
    ck_assert_str_eq(w.msgs[0], "WARNING: ThreadLimit of 20000 exceeds compile-time limit of "
                                "15000 threads, decreasing to 15000.");
    server_config_free(c);
    w.n = 0;
    c = ok(&d, "Listen 80\nThreadLimit -3\n", &w);
    ck_assert_int_eq(c->thread_limit, 1);
    ck_assert_int_eq(c->threads_per_child, 1);
    ck_assert_str_eq(w.msgs[0], "WARNING: ThreadLimit of -3 not allowed, increasing to 1.");
    ck_assert(twarn_has(&w, "WARNING: ThreadsPerChild of 64 exceeds ThreadLimit of 1 threads"));
    server_config_free(c);
    tdir_remove(&d);
}
END_TEST

START_TEST(thread_limit_cannot_change_across_a_restart)
{
    struct tdir d;
    tdir_make(&d);
    struct twarn w = {0};
    struct server_config *prev = ok(&d, "Listen 80\nThreadLimit 100\nThreadsPerChild 80\n", &w);
    struct server_config *next = ok(&d, "Listen 80\nThreadLimit 50\nThreadsPerChild 80\n", &w);
    ck_assert_int_eq(next->threads_per_child, 50);
    w.n = 0;
    struct config_sink sink = {twarn_fn, &w};
    ck_assert_int_eq(config_check_restart(prev, next, &sink), 1);
    ck_assert_int_eq(next->thread_limit, 100);
    ck_assert_str_eq(w.msgs[0],
                     "changing ThreadLimit to 50 from original value of 100 not allowed during "
                     "restart");
    ck_assert_int_eq(config_check_restart(prev, next, &sink), 0);
    server_config_free(next);
    next = ok(&d, "Listen 80\nThreadLimit 300\nThreadsPerChild 200\n", &w);
    w.n = 0;
    ck_assert_int_eq(config_check_restart(prev, next, &sink), 1);
    ck_assert_int_eq(next->thread_limit, 100);
    ck_assert_int_eq(next->threads_per_child, 100);
    ck_assert(twarn_has(&w, "ThreadsPerChild of 200 exceeds ThreadLimit of 100"));
    server_config_free(next);
    server_config_free(prev);
    tdir_remove(&d);
}
END_TEST

START_TEST(range_errors_name_directive_and_value)
{
    struct tdir d;
    tdir_make(&d);
    ck_assert_contains(fails(&d, "Listen 80\nListenBacklog 0\n"), "ListenBacklog must be > 0");
    ck_assert_contains(fails(&d, "Listen 80\nSendBufferSize 511\n"),
                       "SendBufferSize must be >= 512 bytes, or 0 for system default.");
    ck_assert_contains(fails(&d, "Listen 80\nReceiveBufferSize 1\n"),
                       "ReceiveBufferSize must be >= 512 bytes, or 0 for system default.");
    ck_assert_contains(fails(&d, "Listen 80\nThreadsPerChild 12x\n"),
                       "Invalid value '12x' for directive ThreadsPerChild, expected integer");
    ck_assert_contains(fails(&d, "Listen 80\nMaxConnectionsPerChild -1\n"),
                       "Invalid value '-1' for directive MaxConnectionsPerChild, expected 0..");
    ck_assert_contains(fails(&d, "Listen 80\nMaxMemFree lots\n"),
                       "Invalid value 'lots' for directive MaxMemFree, expected integer");
    ck_assert_contains(fails(&d, "Listen 80\nThreadStackSize -5\n"),
                       "Invalid ThreadStackSize value: -5");
    ck_assert_contains(fails(&d, "Listen 80\nTimeOut soon\n"), "Invalid TimeOut value 'soon'");
    ck_assert_contains(fails(&d, "Listen 80\nKeepAliveTimeout 5x\n"),
                       "Invalid KeepAliveTimeout value '5x'");
    ck_assert_contains(fails(&d, "Listen 80\nKeepAlive maybe\n"), "KeepAlive must be On or Off");
    ck_assert_contains(fails(&d, "Listen 80\nLogLevel loud\n"),
                       "LogLevel requires level keyword: one of emerg/alert/crit/error/warn/"
                       "notice/info/debug/trace1/.../trace8");
    ck_assert_contains(fails(&d, "Listen 80\nLogLevel nosuch:info\n"), "Cannot find module nosuch");
    ck_assert_contains(fails(&d, "Listen 80\nAcceptFilter http fast\n"),
                       "AcceptFilter 'fast' is not supported here: use connect, data or none");
    ck_assert_contains(fails(&d, "Listen 80\nServerName host:99999\n"),
                       "The port number \"99999\" is outside the appropriate range (i.e., "
                       "1..65535).");
    ck_assert_contains(fails(&d, "Listen 80\nCoreDumpDirectory nope\n"), "nope does not exist");
    twrite(&d, "afile", "x");
    ck_assert_contains(fails(&d, "Listen 80\nCoreDumpDirectory afile\n"),
                       "afile is not a directory");
    ck_assert_contains(fails(&d, "Listen 80\nDocumentRoot nope\n"),
                       "nope' is not a directory, or is not readable");
    tdir_remove(&d);
}
END_TEST

START_TEST(argument_count_errors_show_usage)
{
    struct tdir d;
    tdir_make(&d);
    char want[2048];
    snprintf(want, sizeof(want),
             "Syntax error on line 2 of %s: ThreadsPerChild takes one argument, Number of threads "
             "each child creates",
             tpath(&d, "main.conf"));
    ck_assert_str_eq(fails(&d, "Listen 80\nThreadsPerChild\n"), want);
    ck_assert_contains(fails(&d, "Listen 80\nThreadsPerChild 1 2\n"),
                       "ThreadsPerChild takes one argument, Number of threads each child creates");
    ck_assert_contains(fails(&d, "Listen 80\nAcceptFilter http\n"),
                       "AcceptFilter takes two arguments, Set the Accept Filter to use for a "
                       "protocol");
    ck_assert_contains(fails(&d, "Listen 80\nWin32DisableAcceptEx now\n"),
                       "Win32DisableAcceptEx takes no arguments");
    ck_assert_contains(fails(&d, "Listen 80\nLoadModule x\n"), "LoadModule takes two arguments");
    tdir_remove(&d);
}
END_TEST

START_TEST(win32_disable_acceptex_is_deprecated_and_means_none)
{
    struct tdir d;
    tdir_make(&d);
    struct twarn w = {0};
    struct server_config *c = ok(&d, "Listen 80\nWin32DisableAcceptEx\n", &w);
    ck_assert_int_eq(c->win32_disable_acceptex, 1);
    ck_assert_int_eq(config_accept_mode_for(c, "http"), CONFIG_ACCEPT_NONE);
    ck_assert_int_eq(config_accept_mode_for(c, "https"), CONFIG_ACCEPT_NONE);
    ck_assert_int_eq(w.n, 1);
    ck_assert_contains(w.msgs[0], "Win32DisableAcceptEx is deprecated");
    ck_assert_contains(w.msgs[0], "AcceptFilter http none");
    server_config_free(c);
    tdir_remove(&d);
}
END_TEST

START_TEST(max_requests_per_child_is_the_old_name)
{
    struct tdir d;
    tdir_make(&d);
    struct twarn w = {0};
    struct server_config *c = ok(&d, "Listen 80\nMaxRequestsPerChild 7\n", &w);
    ck_assert_int_eq(c->max_connections_per_child, 7);
    ck_assert(twarn_has(&w, "MaxRequestsPerChild is deprecated, use MaxConnectionsPerChild "
                            "instead."));
    server_config_free(c);
    tdir_remove(&d);
}
END_TEST

NTT_MAIN(defaults, values_are_set, threads_are_clamped_with_httpd_warnings,
         thread_limit_cannot_change_across_a_restart, range_errors_name_directive_and_value,
         argument_count_errors_show_usage, win32_disable_acceptex_is_deprecated_and_means_none,
         max_requests_per_child_is_the_old_name)
