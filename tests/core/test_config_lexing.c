/* Config lexing: comments, blank lines, continuation, quotes, case-insensitive names, BOM. */
#include "tcore.h"

static const char *load_text(struct tdir *d, const char *text, struct config_flat **flat)
{
    struct config_error err;
    twrite(d, "main.conf", text);
    ck_assert_msg(tload(d, NULL, flat, &err) == 0, "load failed: %s", err.message);
    return tflat_text(*flat);
}

START_TEST(comments_and_blank_lines_are_dropped)
{
    struct tdir d;
    tdir_make(&d);
    struct config_flat *flat;
    const char *t = load_text(&d,
                              "# a comment\n"
                              "\n"
                              "   \t  \n"
                              "   # indented comment\n"
                              "Listen 8080 # not a comment: httpd passes it on\n",
                              &flat);
    ck_assert_str_eq(t, "Listen 8080 # not a comment: httpd passes it on");
    struct config_line l = config_flat_line(flat, 0);
    ck_assert_uint_eq(l.line, 5);
    ck_assert_str_eq(l.file, tpath(&d, "main.conf"));
    config_flat_free(flat);
    tdir_remove(&d);
}
END_TEST

START_TEST(continuation_joins_lines_and_keeps_first_line_number)
{
    struct tdir d;
    tdir_make(&d);
    struct config_flat *flat;
    const char *t = load_text(&d,
                              "ServerName \\\n"
                              "  example.org\r\n"
                              "Listen 80\\\\\n"
                              "Listen 81\n"
                              "# comment \\\n"
                              "Listen swallowed-by-the-comment\n"
                              "Listen 82\\",
                              &flat);
    ck_assert_str_eq(t, "ServerName   example.org\nListen 80\\\\\nListen 81\nListen 82\\");
    ck_assert_uint_eq(config_flat_line(flat, 0).line, 1);
    ck_assert_uint_eq(config_flat_line(flat, 1).line, 3);
    ck_assert_uint_eq(config_flat_line(flat, 2).line, 4);
    ck_assert_uint_eq(config_flat_line(flat, 3).line, 7);
    config_flat_free(flat);
    tdir_remove(&d);
}
END_TEST

START_TEST(leading_and_trailing_blanks_and_crlf_and_bom)
{
    struct tdir d;
    tdir_make(&d);
    struct config_flat *flat;
    const char *t = load_text(&d, "\xEF\xBB\xBF  Listen 80  \r\n\tTimeOut 5\t\r\n", &flat);
    ck_assert_str_eq(t, "Listen 80\nTimeOut 5");
    config_flat_free(flat);
    tdir_remove(&d);
}
END_TEST

START_TEST(quoted_arguments_as_ap_getword_conf)
{
    struct tdir d;
    tdir_make(&d);
    struct server_config *c;
    struct config_error err;
    tmkdir(&d, "my docs");
    int rc = tconfig(&d,
                     "Listen 80\n"
                     "DocumentRoot \"my docs\"\n"
                     "ServerName 'a \\'quoted\\' name'\n",
                     NULL, NULL, &c, &err);
    ck_assert_msg(rc == 0, "%s", err.message);
    ck_assert_str_eq(c->document_root, tpath(&d, "my docs"));
    ck_assert_str_eq(c->server_name, "a 'quoted' name");
    server_config_free(c);
    rc = tconfig(&d, "Listen 80\nServerName \"with \\\"escaped\\\" quotes\"\n", NULL, NULL, &c,
                 &err);
    ck_assert_msg(rc == 0, "%s", err.message);
    ck_assert_str_eq(c->server_name, "with \"escaped\" quotes");
    server_config_free(c);
    /* Two words where one is expected: the usage message. */
    rc = tconfig(&d, "Listen 80\nServerName two words\n", NULL, NULL, &c, &err);
    ck_assert_int_eq(rc, -1);
    ck_assert_contains(err.message, "ServerName takes one argument, The hostname and port of the "
                                    "server");
    tdir_remove(&d);
}
END_TEST

START_TEST(directive_names_are_case_insensitive)
{
    struct tdir d;
    tdir_make(&d);
    struct server_config *c;
    struct config_error err;
    int rc = tconfig(&d, "LISTEN 80\nthreadsperchild 10\nkeepALIVE off\n", NULL, NULL, &c, &err);
    ck_assert_msg(rc == 0, "%s", err.message);
    ck_assert_int_eq(c->threads_per_child, 10);
    ck_assert_int_eq(c->keep_alive, 0);
    ck_assert_uint_eq(c->n_listens, 1);
    server_config_free(c);
    tdir_remove(&d);
}
END_TEST

START_TEST(unknown_directive_names_file_line_and_directive)
{
    struct tdir d;
    tdir_make(&d);
    struct server_config *c;
    struct config_error err;
    int rc = tconfig(&d, "Listen 80\n\n# x\nFoo bar\n", NULL, NULL, &c, &err);
    ck_assert_int_eq(rc, -1);
    char want[2048];
    snprintf(want, sizeof(want),
             "Syntax error on line 4 of %s: Invalid command 'Foo', perhaps misspelled or defined "
             "by a module not included in the server configuration",
             tpath(&d, "main.conf"));
    ck_assert_str_eq(err.message, want);
    ck_assert_uint_eq(err.line, 4);
    ck_assert_str_eq(err.directive, "Foo");
    ck_assert_str_eq(err.file, tpath(&d, "main.conf"));
    tdir_remove(&d);
}
END_TEST

START_TEST(missing_config_file_is_an_error)
{
    struct tdir d;
    tdir_make(&d);
    struct config_flat *flat;
    struct config_error err;
    ck_assert_int_eq(tload(&d, NULL, &flat, &err), -1);
    char want[2048];
    snprintf(want, sizeof(want), "Could not open configuration file %s: No such file or directory",
             tpath(&d, "main.conf"));
    ck_assert_str_eq(err.message, want);
    tdir_remove(&d);
}
END_TEST

NTT_MAIN(comments_and_blank_lines_are_dropped, continuation_joins_lines_and_keeps_first_line_number,
         leading_and_trailing_blanks_and_crlf_and_bom, quoted_arguments_as_ap_getword_conf,
         directive_names_are_case_insensitive, unknown_directive_names_file_line_and_directive,
         missing_config_file_is_an_error)
