/* Command line: every option, grouping, -k verbs, bad options, and the texts. */
#include "tcore.h"
#include "cmdline.h"

#include <stdarg.h>

static int parse(struct cmdline *c, char *msg, const char *first, ...)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"C:\\bin\\ntmpm.exe";
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a != NULL; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    return cmdline_parse(argc, argv, c, msg, 256);
}

START_TEST(every_option)
{
    struct cmdline c;
    char msg[256];
    ck_assert_int_eq(parse(&c, msg, "-f", "conf/x.conf", "-d", "/srv", "-C", "TimeOut 1", "-c",
                           "TimeOut 2", "-CKeepAlive Off", "-D", "SSL", "-DFOO", "-e", "debug",
                           "-E", "logs/startup.log", "-k", "graceful", NULL),
                     0);
    ck_assert_str_eq(c.argv0, "ntmpm.exe");
    ck_assert_str_eq(c.config_file, "conf/x.conf");
    ck_assert_str_eq(c.server_root, "/srv");
    ck_assert_uint_eq(c.n_pre, 2);
    ck_assert_str_eq(c.pre[0], "TimeOut 1");
    ck_assert_str_eq(c.pre[1], "KeepAlive Off");
    ck_assert_uint_eq(c.n_post, 1);
    ck_assert_str_eq(c.post[0], "TimeOut 2");
    ck_assert_uint_eq(c.n_defines, 2);
    ck_assert_str_eq(c.defines[0], "SSL");
    ck_assert_str_eq(c.defines[1], "FOO");
    ck_assert_str_eq(c.error_level, "debug");
    ck_assert_str_eq(c.error_file, "logs/startup.log");
    ck_assert_int_eq(c.signal, CMDLINE_K_GRACEFUL);
    ck_assert_str_eq(cmdline_signal_name(c.signal), "graceful");
    ck_assert_int_eq(c.test + c.one_process + c.show_version + c.show_settings + c.list_modules +
                         c.list_directives + c.help,
                     0);
    cmdline_free(&c);

    ck_assert_int_eq(parse(&c, msg, "-t", "-v", "-V", "-l", "-L", "-h", NULL), 0);
    ck_assert(c.test && c.show_version && c.show_settings && c.list_modules && c.list_directives &&
              c.help);
    ck_assert_int_eq(c.signal, CMDLINE_K_NONE);
    cmdline_free(&c);
}
END_TEST

START_TEST(synonyms_define_as_httpd)
{
    struct cmdline c;
    char msg[256];
    ck_assert_int_eq(parse(&c, msg, "-S", NULL), 0);
    ck_assert_int_eq(c.test, 1);
    ck_assert_uint_eq(c.n_defines, 2);
    ck_assert_str_eq(c.defines[0], "DUMP_VHOSTS");
    ck_assert_str_eq(c.defines[1], "DUMP_RUN_CFG");
    cmdline_free(&c);
    ck_assert_int_eq(parse(&c, msg, "-M", NULL), 0);
    ck_assert_int_eq(c.test, 1);
    ck_assert_str_eq(c.defines[0], "DUMP_MODULES");
    cmdline_free(&c);
    ck_assert_int_eq(parse(&c, msg, "-X", NULL), 0);
    ck_assert_int_eq(c.one_process, 1);
    ck_assert_str_eq(c.defines[0], "DEBUG");
    cmdline_free(&c);
    /* Grouped flags, an argument attached to the last. */
    ck_assert_int_eq(parse(&c, msg, "-tXfmy.conf", NULL), 0);
    ck_assert(c.test && c.one_process);
    ck_assert_str_eq(c.config_file, "my.conf");
    cmdline_free(&c);
}
END_TEST

START_TEST(every_k_verb)
{
    static const char *const verbs[] = {"start", "restart",       "graceful",
                                        "stop",  "graceful-stop", "shutdown"};
    static const enum cmdline_signal want[] = {CMDLINE_K_START,         CMDLINE_K_RESTART,
                                               CMDLINE_K_GRACEFUL,      CMDLINE_K_STOP,
                                               CMDLINE_K_GRACEFUL_STOP, CMDLINE_K_SHUTDOWN};
    for (size_t i = 0; i < 6; i++) {
        struct cmdline c;
        char msg[256];
        ck_assert_int_eq(parse(&c, msg, "-k", verbs[i], NULL), 0);
        ck_assert_int_eq(c.signal, want[i]);
        cmdline_free(&c);
    }
}
END_TEST

START_TEST(bad_command_lines)
{
    struct cmdline c;
    char msg[256];
    ck_assert_int_eq(parse(&c, msg, "-q", NULL), -1);
    ck_assert_str_eq(msg, "ntmpm.exe: illegal option -- q");
    cmdline_free(&c);
    ck_assert_int_eq(parse(&c, msg, "-k", "reload", NULL), -1);
    ck_assert_str_eq(msg, "ntmpm.exe: unrecognized -k argument: reload");
    cmdline_free(&c);
    ck_assert_int_eq(parse(&c, msg, "-k", "stop", "-k", "start", NULL), -1);
    cmdline_free(&c);
    ck_assert_int_eq(parse(&c, msg, "-f", NULL), -1);
    ck_assert_str_eq(msg, "ntmpm.exe: option requires an argument -- f");
    cmdline_free(&c);
    ck_assert_int_eq(parse(&c, msg, "-e", "loud", NULL), -1);
    ck_assert_str_eq(msg, "ntmpm.exe: invalid -e argument: loud");
    cmdline_free(&c);
    ck_assert_int_eq(parse(&c, msg, "stray", NULL), -1);
    ck_assert_str_eq(msg, "ntmpm.exe: unexpected argument 'stray'");
    cmdline_free(&c);
    ck_assert_int_eq(parse(&c, msg, "-T", NULL), -1);
    cmdline_free(&c);
}
END_TEST

START_TEST(texts)
{
    char *u = cmdline_usage("ntmpm");
    ck_assert_ptr_nonnull(u);
    ck_assert(strncmp(u,
                      "Usage: ntmpm [-D name] [-d directory] [-f file]\n"
                      "             [-C \"directive\"] [-c \"directive\"]\n",
                      strlen("Usage: ntmpm [-D name] [-d directory] [-f file]\n"
                             "             [-C \"directive\"] [-c \"directive\"]\n")) == 0);
    ck_assert_contains(u, "[-k start|restart|graceful|graceful-stop|stop|shutdown]");
    ck_assert_contains(u, "  -t                 : run syntax check for config files\n");
    free(u);
    char *v = cmdline_version_text("0.1.0", "Jan  1 2025 00:00:00");
    ck_assert_str_eq(v, "Server version: ntmpm/0.1.0\nServer built:   Jan  1 2025 00:00:00\n");
    free(v);
    char *s = cmdline_settings_text("0.1.0", "today", 0, "/srv");
    ck_assert_contains(s, "Server MPM:     WinNT\n");
    ck_assert_contains(s, "  threaded:     yes (fixed thread count)\n");
    ck_assert_contains(s, "    forked:     no\n");
    ck_assert_contains(s, " -D HTTPD_ROOT=\"/srv\"\n");
    ck_assert(strstr(s, "MPMS_SHARED") == NULL);
    free(s);
    s = cmdline_settings_text("0.1.0", "today", 1, "/srv");
    ck_assert_contains(s, "MPMS_SHARED");
    free(s);
    char *l = cmdline_modules_text(0);
    ck_assert_str_eq(l, "Compiled in modules:\n  core.c\n  mpm_winnt.c\n  http_core.c\n"
                        "  mod_so.c\n");
    free(l);
    l = cmdline_modules_text(1);
    ck_assert_str_eq(l, "Compiled in modules:\n  core.c\n  http_core.c\n  mod_so.c\n");
    free(l);
    char *L = cmdline_directives_text(0);
    ck_assert_contains(L, "ThreadsPerChild (mpm_winnt.c)\n\tNumber of threads each child "
                          "creates\n");
    ck_assert_contains(L, "LoadModule (mod_so.c)\n");
    free(L);
}
END_TEST

NTT_MAIN(every_option, synonyms_define_as_httpd, every_k_verb, bad_command_lines, texts)
