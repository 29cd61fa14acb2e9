/* Include / IncludeOptional: ServerRoot-relative paths, wildcards (sorted), directories, errors. */
#include "tcore.h"

static void load_ok(struct tdir *d, const char *main_text, struct config_flat **flat)
{
    struct config_error err;
    twrite(d, "main.conf", main_text);
    ck_assert_msg(tload(d, NULL, flat, &err) == 0, "load failed: %s", err.message);
}

static void load_fails(struct tdir *d, const char *main_text, struct config_error *err)
{
    struct config_flat *flat = NULL;
    twrite(d, "main.conf", main_text);
    ck_assert_int_eq(tload(d, NULL, &flat, err), -1);
    ck_assert_ptr_null(flat);
}

START_TEST(include_is_relative_to_server_root_and_keeps_file_and_line)
{
    struct tdir d;
    tdir_make(&d);
    tmkdir(&d, "conf");
    twrite(&d, "conf/extra.conf", "\nTimeOut 7\n");
    struct config_flat *flat;
    load_ok(&d, "Listen 80\nInclude conf/extra.conf\nKeepAlive Off\n", &flat);
    ck_assert_str_eq(tflat_text(flat), "Listen 80\nTimeOut 7\nKeepAlive Off");
    struct config_line l = config_flat_line(flat, 1);
    ck_assert_str_eq(l.file, tpath(&d, "conf/extra.conf"));
    ck_assert_uint_eq(l.line, 2);
    config_flat_free(flat);
    tdir_remove(&d);
}
END_TEST

START_TEST(wildcards_match_sorted_and_skip_dot_files)
{
    struct tdir d;
    tdir_make(&d);
    tmkdir(&d, "conf.d");
    twrite(&d, "conf.d/b.conf", "TimeOut 2\n");
    twrite(&d, "conf.d/a.conf", "TimeOut 1\n");
    twrite(&d, "conf.d/c.conf", "TimeOut 3\n");
    twrite(&d, "conf.d/Z.conf", "TimeOut 0\n"); /* no case-only twins: Windows folds case */
    twrite(&d, "conf.d/skip.txt", "TimeOut 99\n");
    twrite(&d, "conf.d/.hidden.conf", "TimeOut 98\n");
    struct config_flat *flat;
    load_ok(&d, "Include conf.d/*.conf\n", &flat);
    /* strcmp order, as httpd sorts: upper case first. */
    ck_assert_str_eq(tflat_text(flat), "TimeOut 0\nTimeOut 1\nTimeOut 2\nTimeOut 3");
    config_flat_free(flat);
    load_ok(&d, "Include conf.d/?.conf\nInclude conf.d/[a-b].conf\n", &flat);
    ck_assert_str_eq(tflat_text(flat), "TimeOut 0\nTimeOut 1\nTimeOut 2\nTimeOut 3\nTimeOut 1\n"
                                       "TimeOut 2");
    config_flat_free(flat);
    tdir_remove(&d);
}
END_TEST

START_TEST(wildcard_in_a_directory_component)
{
    struct tdir d;
    tdir_make(&d);
    tmkdir(&d, "sites");
    tmkdir(&d, "sites/one");
    tmkdir(&d, "sites/two");
    twrite(&d, "sites/one/x.conf", "TimeOut 1\n");
    twrite(&d, "sites/two/x.conf", "TimeOut 2\n");
    twrite(&d, "sites/file", "TimeOut 3\n");
    struct config_flat *flat;
    load_ok(&d, "Include sites/*/x.conf\n", &flat);
    ck_assert_str_eq(tflat_text(flat), "TimeOut 1\nTimeOut 2");
    config_flat_free(flat);
    tdir_remove(&d);
}
END_TEST

START_TEST(wildcard_without_match)
{
    struct tdir d;
    tdir_make(&d);
    tmkdir(&d, "empty");
    struct config_error err;
    load_fails(&d, "Listen 80\nInclude empty/*.conf\n", &err);
    char want[2048];
    snprintf(want, sizeof(want),
             "Syntax error on line 2 of %s: No matches for the wildcard '*.conf' in '%s', failing "
             "(use IncludeOptional if required)",
             tpath(&d, "main.conf"), tpath(&d, "empty"));
    ck_assert_str_eq(err.message, want);
    ck_assert_str_eq(err.directive, "Include");
    struct config_flat *flat;
    load_ok(&d, "IncludeOptional empty/*.conf\nIncludeOptional nothere/*.conf\nListen 80\n", &flat);
    ck_assert_str_eq(tflat_text(flat), "Listen 80");
    config_flat_free(flat);
    tdir_remove(&d);
}
END_TEST

START_TEST(missing_file)
{
    struct tdir d;
    tdir_make(&d);
    struct config_error err;
    load_fails(&d, "Listen 80\n\ninclude missing.conf\n", &err);
    char want[2048];
    snprintf(want, sizeof(want),
             "Syntax error on line 3 of %s: Could not open configuration file %s: No such file or "
             "directory",
             tpath(&d, "main.conf"), tpath(&d, "missing.conf"));
    ck_assert_str_eq(err.message, want);
    ck_assert_uint_eq(err.line, 3);
    struct config_flat *flat;
    load_ok(&d, "IncludeOptional missing.conf\nListen 80\n", &flat);
    ck_assert_str_eq(tflat_text(flat), "Listen 80");
    config_flat_free(flat);
    load_fails(&d, "Include\n", &err);
    ck_assert_contains(err.message, "Include takes one argument, Name(s) of the config file(s)");
    tdir_remove(&d);
}
END_TEST

START_TEST(directory_includes_every_file_sorted)
{
    struct tdir d;
    tdir_make(&d);
    tmkdir(&d, "all");
    tmkdir(&d, "all/sub");
    twrite(&d, "all/2.conf", "TimeOut 2\n");
    twrite(&d, "all/1.conf", "TimeOut 1\n");
    twrite(&d, "all/sub/3.conf", "TimeOut 3\n");
    struct config_flat *flat;
    load_ok(&d, "Include all\n", &flat);
    ck_assert_str_eq(tflat_text(flat), "TimeOut 1\nTimeOut 2\nTimeOut 3");
    config_flat_free(flat);
    tdir_remove(&d);
}
END_TEST

START_TEST(recursion_is_limited)
{
    struct tdir d;
    tdir_make(&d);
    twrite(&d, "loop.conf", "Include loop.conf\n");
    struct config_error err;
    load_fails(&d, "Include loop.conf\n", &err);
    ck_assert_contains(err.message, "Exceeded the maximum include directory nesting level of 128. "
                                    "You have probably a recursion somewhere.");
    ck_assert_str_eq(err.file, tpath(&d, "loop.conf"));
    ck_assert_uint_eq(err.line, 1);
    tdir_remove(&d);
}
END_TEST

START_TEST(errors_inside_an_included_file_name_that_file)
{
    struct tdir d;
    tdir_make(&d);
    twrite(&d, "inner.conf", "TimeOut 1\n\nNoSuchThing\n");
    struct server_config *c;
    struct config_error err;
    ck_assert_int_eq(tconfig(&d, "Listen 80\nInclude inner.conf\n", NULL, NULL, &c, &err), -1);
    char want[2048];
    snprintf(want, sizeof(want),
             "Syntax error on line 3 of %s: Invalid command 'NoSuchThing', perhaps misspelled or "
             "defined by a module not included in the server configuration",
             tpath(&d, "inner.conf"));
    ck_assert_str_eq(err.message, want);
    tdir_remove(&d);
}
END_TEST

START_TEST(sections_do_not_span_files)
{
    struct tdir d;
    tdir_make(&d);
    twrite(&d, "close.conf", "</IfDefine>\n");
    struct config_error err;
    load_fails(&d, "<IfDefine !X>\nInclude close.conf\n</IfDefine>\n", &err);
    char want[2048];
    snprintf(want, sizeof(want),
             "Syntax error on line 1 of %s: </IfDefine> without matching <IfDefine> section",
             tpath(&d, "close.conf"));
    ck_assert_str_eq(err.message, want);
    tdir_remove(&d);
}
END_TEST

START_TEST(server_root_changes_later_includes)
{
    struct tdir d;
    tdir_make(&d);
    tmkdir(&d, "other");
    twrite(&d, "other/x.conf", "TimeOut 4\n");
    char text[2048];
    snprintf(text, sizeof(text), "ServerRoot \"%s\"\nInclude x.conf\nListen 80\n",
             tpath(&d, "other"));
    struct server_config *c;
    struct config_error err;
    ck_assert_msg(tconfig(&d, text, NULL, NULL, &c, &err) == 0, "%s", err.message);
    ck_assert_uint_eq(c->timeout_ms, 4000);
    char abs[1200], pid[1300];
    ck_assert_uint_gt(GetFullPathNameA(tpath(&d, "other"), sizeof(abs), abs, NULL), 0);
    snprintf(pid, sizeof(pid), "%s/logs/ntmpm.pid", abs);
    ck_assert_str_eq(c->server_root, abs);
    ck_assert_str_eq(c->pid_file, pid);
    server_config_free(c);
    ck_assert_int_eq(tconfig(&d, "ServerRoot nowhere\n", NULL, NULL, &c, &err), -1);
    ck_assert_contains(err.message, "ServerRoot must be a valid directory");
    tdir_remove(&d);
}
END_TEST

NTT_MAIN(include_is_relative_to_server_root_and_keeps_file_and_line,
         wildcards_match_sorted_and_skip_dot_files, wildcard_in_a_directory_component,
         wildcard_without_match, missing_file, directory_includes_every_file_sorted,
         recursion_is_limited, errors_inside_an_included_file_name_that_file,
         sections_do_not_span_files, server_root_changes_later_includes)
