/* -C directives come before the file, -c after it; their errors; the default file is optional then.
 */
#include "tcore.h"

START_TEST(pre_before_file_post_after)
{
    struct tdir d;
    tdir_make(&d);
    struct trun run = {
        .pre = {"TimeOut 1", "KeepAlive Off"}, .n_pre = 2, .post = {"TimeOut 3"}, .n_post = 1};
    struct server_config *c;
    struct config_error err;
    struct twarn w = {0};
    ck_assert_msg(tconfig(&d, "Listen 80\nTimeOut 2\n", &run, &w, &c, &err) == 0, "%s",
                  err.message);
    ck_assert_uint_eq(c->timeout_ms, 3000); /* -c wins */
    ck_assert_int_eq(c->keep_alive, 0);     /* -C applied */
    server_config_free(c);
    struct trun pre_only = {.pre = {"TimeOut 1"}, .n_pre = 1};
    ck_assert_msg(tconfig(&d, "Listen 80\nTimeOut 2\n", &pre_only, &w, &c, &err) == 0, "%s",
                  err.message);
    ck_assert_uint_eq(c->timeout_ms, 2000); /* the file wins over -C */
    server_config_free(c);
    tdir_remove(&d);
}
END_TEST

START_TEST(lines_are_named_after_the_pseudo_file)
{
    struct tdir d;
    tdir_make(&d);
    struct trun run = {.post = {"Listen 80", "Bogus 1"}, .n_post = 2};
    struct server_config *c;
    struct config_error err;
    ck_assert_int_eq(tconfig(&d, "TimeOut 2\n", &run, NULL, &c, &err), -1);
    ck_assert_str_eq(err.file, CONFIG_CMDLINE_FILE);
    ck_assert_uint_eq(err.line, 2);
    ck_assert_str_eq(err.message, "Syntax error in -C/-c directive: Invalid command 'Bogus', "
                                  "perhaps misspelled or defined by a module not included in the "
                                  "server configuration");
    struct trun bad = {.pre = {"</IfModule>"}, .n_pre = 1};
    ck_assert_int_eq(tconfig(&d, "Listen 80\n", &bad, NULL, &c, &err), -1);
    ck_assert_str_eq(err.message, "Syntax error in -C/-c directive: </IfModule> without matching "
                                  "<IfModule> section");
    tdir_remove(&d);
}
END_TEST

START_TEST(pre_may_include_and_set_server_root_before_the_file)
{
    struct tdir d;
    tdir_make(&d);
    tmkdir(&d, "root2");
    twrite(&d, "root2/main.conf", "Listen 81\n");
    twrite(&d, "extra.conf", "TimeOut 9\n");
    char sr[1200];
    snprintf(sr, sizeof(sr), "ServerRoot \"%s\"", tpath(&d, "root2"));
    char inc[1200];
    snprintf(inc, sizeof(inc), "Include %s", tpath(&d, "extra.conf"));
    struct trun run = {.pre = {inc, sr}, .n_pre = 2};
    struct server_config *c;
    struct config_error err;
    struct config_flat *flat;
    /* main.conf is now looked up in root2 (httpd resolves the file after -C). */
    ck_assert_msg(tload(&d, &run, &flat, &err) == 0, "%s", err.message);
    struct config_sink sink = {NULL, NULL};
    ck_assert_msg(config_apply(flat, &sink, &c, &err) == 0, "%s", err.message);
    ck_assert_uint_eq(c->listens[0].port, 81);
    ck_assert_uint_eq(c->timeout_ms, 9000);
    server_config_free(c);
    config_flat_free(flat);
    tdir_remove(&d);
}
END_TEST

START_TEST(default_file_not_required_with_dash_c)
{
    struct tdir d;
    tdir_make(&d);
    const char *post[] = {"Listen 8081"};
    struct config_load_options o = {.server_root = d.path, .post = post, .n_post = 1};
    struct config_flat *flat;
    struct config_error err;
    ck_assert_msg(config_load(&o, &flat, &err) == 0, "%s", err.message);
    ck_assert_str_eq(tflat_text(flat), "Listen 8081");
    config_flat_free(flat);
    o.n_post = 0;
    ck_assert_int_eq(config_load(&o, &flat, &err), -1);
    ck_assert_contains(err.message, "Could not open configuration file");
    ck_assert_contains(err.message, "conf/ntmpm.conf: No such file or directory");
    tdir_remove(&d);
}
END_TEST

NTT_MAIN(pre_before_file_post_after, lines_are_named_after_the_pseudo_file,
         pre_may_include_and_set_server_root_before_the_file, default_file_not_required_with_dash_c)
