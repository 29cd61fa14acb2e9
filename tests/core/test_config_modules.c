/* Modules: MPM selection (static vs mpms_shared), LoadModule, <IfModule> after it, and the
 * extension interface (a registered module with a section). */
#include "tcore.h"

/* A second, loadable MPM and a module with a section, registered by this test. */
static const char *test_section(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)ctx, (void)argc, (void)argv;
    static int inner;
    return config_walk_children(p, CONFIG_CTX_DIRECTORY, &inner);
}

static const char *test_inner(struct config_parms *p, void *ctx, int argc, char **argv)
{
    (void)argc;
    *(int *)ctx = atoi(argv[0]);
    config_warnf(p, "TestInner %s at line %u", argv[0], p->line);
    return NULL;
}

static const struct config_cmd test_cmds[] = {
    {"<TestSection", CONFIG_TAKE1, CONFIG_CTX_SERVER, test_section, "a test container"},
    {"TestInner", CONFIG_TAKE1, CONFIG_CTX_DIRECTORY, test_inner, "a number"},
    {NULL, 0, 0, NULL, NULL},
};
static const struct config_module test_module = {"test_module", "mod_test.c", CONFIG_MODULE_BUILTIN,
                                                 test_cmds,     NULL,         NULL};
static const struct config_module other_mpm = {"mpm_other_module",
                                               "mpm_other.c",
                                               CONFIG_MODULE_MPM | CONFIG_MODULE_LOADABLE,
                                               NULL,
                                               NULL,
                                               NULL};

static void register_once(void)
{
    static int done;
    if (!done) {
        ck_assert_int_eq(config_register_module(&test_module), 0);
        ck_assert_int_eq(config_register_module(&other_mpm), 0);
        done = 1;
    }
}

START_TEST(static_build_needs_no_loadmodule)
{
    register_once();
    struct tdir d;
    tdir_make(&d);
    struct server_config *c;
    struct config_error err;
    struct twarn w = {0};
    ck_assert_msg(tconfig(&d, "Listen 80\n", NULL, &w, &c, &err) == 0, "%s", err.message);
    ck_assert_ptr_null(c->mpm_module_path);
    server_config_free(c);
    /* LoadModule of the compiled-in MPM: httpd's warning, nothing loaded. */
    ck_assert_msg(tconfig(&d, "LoadModule mpm_winnt_module modules/mod_mpm_winnt.so\nListen 80\n",
                          NULL, &w, &c, &err) == 0,
                  "%s", err.message);
    ck_assert_uint_eq(c->n_modules, 0);
    ck_assert(twarn_has(&w, "module mpm_winnt_module is built-in and can't be loaded"));
    server_config_free(c);
    /* Another MPM on top of the compiled-in one. */
    ck_assert_int_eq(
        tconfig(&d, "LoadModule mpm_other_module modules/o.so\nListen 80\n", NULL, NULL, &c, &err),
        -1);
    ck_assert_str_eq(err.message, "Configuration error: More than one MPM loaded.");
    tdir_remove(&d);
}
END_TEST

START_TEST(shared_build_needs_exactly_one_mpm)
{
    register_once();
    struct tdir d;
    tdir_make(&d);
    struct trun shared = {.mpms_shared = 1};
    struct server_config *c;
    struct config_error err;
    struct twarn w = {0};
    ck_assert_int_eq(tconfig(&d, "Listen 80\n", &shared, NULL, &c, &err), -1);
    ck_assert_str_eq(err.message, "Configuration error: No MPM loaded.");
    ck_assert_msg(tconfig(&d,
                          "LoadModule mpm_winnt_module modules/mod_mpm_winnt.so\n"
                          "LoadModule mpm_winnt_module modules/mod_mpm_winnt.so\n"
                          "<IfModule mpm_winnt_module>\nThreadsPerChild 3\n</IfModule>\n"
                          "<IfModule mpm_winnt.c>\nListen 80\n</IfModule>\n",
                          &shared, &w, &c, &err) == 0,
                  "%s", err.message);
    ck_assert_uint_eq(c->n_modules, 1);
    ck_assert_str_eq(c->modules[0].name, "mpm_winnt_module");
    ck_assert_str_eq(c->modules[0].path, tpath(&d, "modules/mod_mpm_winnt.so"));
    ck_assert_int_eq(c->modules[0].is_mpm, 1);
    ck_assert_str_eq(c->mpm_module_path, tpath(&d, "modules/mod_mpm_winnt.so"));
    ck_assert_int_eq(c->threads_per_child, 3);
    ck_assert(twarn_has(&w, "module mpm_winnt_module is already loaded, skipping"));
    server_config_free(c);
    ck_assert_int_eq(tconfig(&d,
                             "LoadModule mpm_winnt_module m/a.so\n"
                             "LoadModule mpm_other_module m/b.so\nListen 80\n",
                             &shared, NULL, &c, &err),
                     -1);
    ck_assert_str_eq(err.message, "Configuration error: More than one MPM loaded.");
    tdir_remove(&d);
}
END_TEST

START_TEST(mpm_directives_need_the_mpm)
{
    register_once();
    struct tdir d;
    tdir_make(&d);
    struct trun shared = {.mpms_shared = 1};
    struct server_config *c;
    struct config_error err;
    /* As in httpd, a module's directives count wherever LoadModule is in the file. */
    ck_assert_msg(tconfig(&d, "ThreadsPerChild 2\nListen 80\nLoadModule mpm_winnt_module m.so\n",
                          &shared, NULL, &c, &err) == 0,
                  "%s", err.message);
    ck_assert_int_eq(c->threads_per_child, 2);
    server_config_free(c);
    tdir_remove(&d);
}
END_TEST

START_TEST(unknown_modules_cannot_be_loaded)
{
    register_once();
    struct tdir d;
    tdir_make(&d);
    struct server_config *c;
    struct config_error err;
    ck_assert_int_eq(
        tconfig(&d, "Listen 80\nLoadModule ssl_module modules/mod_ssl.so\n", NULL, NULL, &c, &err),
        -1);
    char want[2048];
    snprintf(want, sizeof(want),
             "Syntax error on line 2 of %s: Cannot load %s into server: ssl_module is not a "
             "module of ntmpm",
             tpath(&d, "main.conf"), tpath(&d, "modules/mod_ssl.so"));
    ck_assert_str_eq(err.message, want);
    ck_assert_str_eq(err.directive, "LoadModule");
    tdir_remove(&d);
}
END_TEST

START_TEST(registered_sections_walk_their_children)
{
    register_once();
    struct tdir d;
    tdir_make(&d);
    struct server_config *c;
    struct config_error err;
    struct twarn w = {0};
    ck_assert_msg(tconfig(&d,
                          "Listen 80\n<TestSection x>\n  TestInner 5\n</TestSection>\n"
                          "<IfModule mod_test.c>\nTimeOut 9\n</IfModule>\n",
                          NULL, &w, &c, &err) == 0,
                  "%s", err.message);
    ck_assert(twarn_has(&w, "TestInner 5 at line 3"));
    ck_assert_uint_eq(c->timeout_ms, 9000);
    server_config_free(c);
    char want[2048];
    snprintf(want, sizeof(want),
             "Syntax error on line 3 of %s: ThreadsPerChild cannot occur within <TestSection> "
             "section",
             tpath(&d, "main.conf"));
    ck_assert_int_eq(tconfig(&d, "Listen 80\n<TestSection x>\nThreadsPerChild 3\n</TestSection>\n",
                             NULL, NULL, &c, &err),
                     -1);
    ck_assert_str_eq(err.message, want);
    ck_assert_int_eq(tconfig(&d, "Listen 80\nTestInner 3\n", NULL, NULL, &c, &err), -1);
    ck_assert_contains(err.message, "TestInner not allowed here");
    ck_assert_int_eq(
        tconfig(&d, "Listen 80\n<TestSection>\n</TestSection>\n", NULL, NULL, &c, &err), -1);
    ck_assert_contains(err.message, "<TestSection takes one argument, a test container");
    tdir_remove(&d);
}
END_TEST

START_TEST(compiled_modules_list)
{
    const struct config_module *mods[16];
    size_t n = config_compiled_modules(0, mods, 16);
    ck_assert_uint_ge(n, 4);
    ck_assert_str_eq(mods[0]->file, "core.c");
    ck_assert_str_eq(mods[1]->file, "mpm_winnt.c");
    ck_assert_str_eq(mods[2]->file, "http_core.c");
    ck_assert_str_eq(mods[3]->file, "mod_so.c");
    n = config_compiled_modules(1, mods, 16);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_ne(mods[i]->file, "mpm_winnt.c");
}
END_TEST

NTT_MAIN(static_build_needs_no_loadmodule, shared_build_needs_exactly_one_mpm,
         mpm_directives_need_the_mpm, unknown_modules_cannot_be_loaded,
         registered_sections_walk_their_children, compiled_modules_list)
