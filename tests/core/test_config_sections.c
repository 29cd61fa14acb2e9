/* Sections: <IfDefine>, <IfModule> (with -D and LoadModule), nesting, mismatches, unclosed. */
#include "tcore.h"

static const char *flat_of(struct tdir *d, const char *text, const struct trun *run)
{
    struct config_flat *flat;
    struct config_error err;
    twrite(d, "main.conf", text);
    ck_assert_msg(tload(d, run, &flat, &err) == 0, "load failed: %s", err.message);
    const char *t = tflat_text(flat);
    config_flat_free(flat);
    return t;
}

static const char *error_of(struct tdir *d, const char *text)
{
    static struct config_error err;
    struct config_flat *flat = NULL;
    twrite(d, "main.conf", text);
    ck_assert_int_eq(tload(d, NULL, &flat, &err), -1);
    return err.message;
}

START_TEST(ifdefine_follows_dash_d)
{
    struct tdir d;
    tdir_make(&d);
    const char *conf = "<IfDefine SSL>\nTimeOut 1\n</IfDefine>\n"
                       "<IfDefine !SSL>\nTimeOut 2\n</IfDefine>\n";
    ck_assert_str_eq(flat_of(&d, conf, NULL), "TimeOut 2");
    struct trun run = {.defines = {"SSL"}, .n_defines = 1};
    ck_assert_str_eq(flat_of(&d, conf, &run), "TimeOut 1");
    tdir_remove(&d);
}
END_TEST

START_TEST(ifmodule_knows_the_compiled_in_modules)
{
    struct tdir d;
    tdir_make(&d);
    const char *conf = "<IfModule mpm_winnt_module>\nTimeOut 1\n</IfModule>\n"
                       "<IfModule mpm_winnt.c>\nTimeOut 2\n</IfModule>\n"
                       "<IfModule !core.c>\nTimeOut 3\n</IfModule>\n"
                       "<IfModule mod_ssl.c>\nTimeOut 4\n</IfModule>\n"
                       "<ifmodule !ssl_module>\nTimeOut 5\n</IFMODULE>\n";
    ck_assert_str_eq(flat_of(&d, conf, NULL), "TimeOut 1\nTimeOut 2\nTimeOut 5");
    /* With a shared MPM build, the MPM exists only after its LoadModule. */
    struct trun shared = {.mpms_shared = 1};
    ck_assert_str_eq(flat_of(&d, conf, &shared), "TimeOut 5");
    tdir_remove(&d);
}
END_TEST

START_TEST(nesting_and_false_sections_are_skipped_whole)
{
    struct tdir d;
    tdir_make(&d);
    const char *conf = "<IfDefine A>\n"
                       "  <IfDefine B>\n    TimeOut 1\n  </IfDefine>\n"
                       "  <IfModule core.c>\n    TimeOut 2\n  </IfModule>\n"
                       "</IfDefine>\n"
                       "<IfDefine !A>\n  <NotChecked>\n   Invalid but skipped\n  </NotChecked>\n"
                       "</IfDefine>\n";
    struct trun a = {.defines = {"A"}, .n_defines = 1};
    ck_assert_str_eq(flat_of(&d, conf, &a), "TimeOut 2");
    struct trun ab = {.defines = {"A", "B"}, .n_defines = 2};
    ck_assert_str_eq(flat_of(&d, conf, &ab), "TimeOut 1\nTimeOut 2");
    ck_assert_str_eq(flat_of(&d, conf, NULL), "<NotChecked>\nInvalid but skipped\n</NotChecked>");
    tdir_remove(&d);
}
END_TEST

START_TEST(other_sections_are_kept_for_apply)
{
    struct tdir d;
    tdir_make(&d);
    ck_assert_str_eq(flat_of(&d, "<Directory \"/x\">\n  Foo\n</Directory>\n", NULL),
                     "<Directory \"/x\">\nFoo\n</Directory>");
    /* Unknown sections are an error at apply time, as httpd's. */
    struct server_config *c;
    struct config_error err;
    ck_assert_int_eq(tconfig(&d, "Listen 80\n<Foo bar>\n</Foo>\n", NULL, NULL, &c, &err), -1);
    ck_assert_contains(err.message, "on line 2 of");
    ck_assert_contains(err.message, "Invalid command '<Foo', perhaps misspelled or defined by a "
                                    "module not included in the server configuration");
    tdir_remove(&d);
}
END_TEST

START_TEST(mismatched_and_unmatched_closing_tags)
{
    struct tdir d;
    tdir_make(&d);
    char want[2048];
    snprintf(want, sizeof(want),
             "Syntax error on line 2 of %s: </IfModule> without matching <IfModule> section",
             tpath(&d, "main.conf"));
    ck_assert_str_eq(error_of(&d, "Listen 80\n</IfModule>\n"), want);
    snprintf(want, sizeof(want),
             "Syntax error on line 3 of %s: Expected </IfDefine> but saw </IfModule>",
             tpath(&d, "main.conf"));
    ck_assert_str_eq(error_of(&d, "<IfDefine !X>\nTimeOut 1\n</IfModule>\n"), want);
    /* Inside a false section the nesting is checked too. */
    snprintf(want, sizeof(want), "Syntax error on line 3 of %s: Expected </Directory> but saw </X>",
             tpath(&d, "main.conf"));
    ck_assert_str_eq(error_of(&d, "<IfDefine X>\n<Directory />\n</X>\n</IfDefine>\n"), want);
    tdir_remove(&d);
}
END_TEST

START_TEST(unclosed_sections)
{
    struct tdir d;
    tdir_make(&d);
    char want[2048];
    snprintf(want, sizeof(want), "Syntax error on line 2 of %s: <IfDefine> was not closed.",
             tpath(&d, "main.conf"));
    ck_assert_str_eq(error_of(&d, "Listen 80\n<IfDefine X>\nTimeOut 1\n"), want);
    ck_assert_str_eq(error_of(&d, "Listen 80\n<IfDefine !X>\nTimeOut 1\n"), want);
    snprintf(want, sizeof(want), "Syntax error on line 1 of %s: <Directory> was not closed.",
             tpath(&d, "main.conf"));
    ck_assert_str_eq(error_of(&d, "<Directory />\n"), want);
    tdir_remove(&d);
}
END_TEST

START_TEST(malformed_opening_tags)
{
    struct tdir d;
    tdir_make(&d);
    ck_assert_contains(error_of(&d, "<IfDefine X\nTimeOut 1\n</IfDefine>\n"),
                       "<IfDefine> directive missing closing '>'");
    ck_assert_contains(error_of(&d, "<IfModule>\n</IfModule>\n"),
                       "<IfModule> directive requires additional arguments");
    ck_assert_contains(error_of(&d, "<IfDefine X>\n</IfDefine\n"),
                       "</IfDefine> directive missing closing '>'");
    ck_assert_contains(error_of(&d, "<IfDefine !X>\n</IfDefine\n"),
                       "</IfDefine> directive missing closing '>'");
    tdir_remove(&d);
}
END_TEST

NTT_MAIN(ifdefine_follows_dash_d, ifmodule_knows_the_compiled_in_modules,
         nesting_and_false_sections_are_skipped_whole, other_sections_are_kept_for_apply,
         mismatched_and_unmatched_closing_tags, unclosed_sections, malformed_opening_tags)
