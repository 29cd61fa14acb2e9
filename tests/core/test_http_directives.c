/* The HTTP directives: defaults, Options merging, section order, and the errors they report. */
#include "thttp.h"

static struct server_config *load(struct tdir *d, const char *text, struct config_error *err)
{
    tregister();
    struct server_config *c = NULL;
    tconfig(d, text, NULL, NULL, &c, err);
    return c;
}

START_TEST(defaults)
{
    struct tdir d;
    tdir_make(&d);
    struct config_error err;
    struct server_config *c = load(&d, "Listen 80\n", &err);
    ck_assert_msg(c != NULL, "%s", err.message);
    const struct http_config *hc = http_config_of(c);
    ck_assert_uint_eq(hc->limit_line, 8190);
    ck_assert_uint_eq(hc->limit_field_size, 8190);
    ck_assert_uint_eq(hc->limit_fields, 100);
    ck_assert_int_eq(hc->tokens, HTTP_TOKENS_FULL);
    ck_assert_uint_eq(hc->etag, HTTP_ETAG_MTIME | HTTP_ETAG_SIZE);
    struct http_dir_conf dc;
    http_dir_conf_for(hc, "/x", "/x", &dc);
    ck_assert_uint_eq(dc.options, HTTP_OPT_FOLLOW_SYMLINKS);
    ck_assert(!dc.index_set);
    ck_assert_ptr_null(http_mime_type(hc, "a.unknown-ext"));
    server_config_free(c);
    tdir_remove(&d);
}
END_TEST

START_TEST(sections_merge)
{
    struct tdir d;
    tdir_make(&d);
    struct config_error err;
    struct server_config *c = load(&d,
                                   "Listen 80\nOptions Indexes\n"
                                   "<Directory /srv/a/b>\n Options +ExecCGI -Indexes\n"
                                   " DirectoryIndex x.html y.html\n</Directory>\n"
                                   "<Directory />\n Options None\n Require all denied\n"
                                   "</Directory>\n"
                                   "<Directory /srv/a>\n Options +FollowSymLinks\n"
                                   " Require all granted\n</Directory>\n"
                                   "<Location /a>\n SetHandler server-status\n</Location>\n"
                                   "<Location /a/b>\n SetHandler None\n DirectoryIndex disabled\n"
                                   "</Location>\n",
                                   &err);
    ck_assert_msg(c != NULL, "%s", err.message);
    const struct http_config *hc = http_config_of(c);
    struct http_dir_conf dc;
    /* Directory sections by depth ("/" first, then /srv/a, then /srv/a/b), then Locations. */
    http_dir_conf_for(hc, "/srv/a/b/c", "/z", &dc);
    ck_assert_uint_eq(dc.options, HTTP_OPT_FOLLOW_SYMLINKS | HTTP_OPT_EXECCGI);
    ck_assert_int_eq(dc.require, HTTP_REQUIRE_GRANTED);
    ck_assert_uint_eq(dc.n_index, 2);
    ck_assert_str_eq(dc.index[1], "y.html");
    http_dir_conf_for(hc, "/srv/ab", "/a", &dc);
    ck_assert_uint_eq(dc.options, 0);
    ck_assert_int_eq(dc.require, HTTP_REQUIRE_DENIED);
    ck_assert_str_eq(dc.handler, "server-status");
    http_dir_conf_for(hc, "/srv/a", "/a/b/c", &dc);
    ck_assert(dc.handler_set && dc.handler == NULL);
    ck_assert(dc.index_set && dc.n_index == 0);
    http_dir_conf_for(hc, "/srv/a", "/ab", &dc);
    ck_assert(!dc.handler_set);
    server_config_free(c);
    tdir_remove(&d);
}
END_TEST

START_TEST(mime_and_etags)
{
    struct tdir d;
    tdir_make(&d);
    tmkdir(&d, "conf");
    twrite(&d, "t.types", "text/plain txt\n# comment\nimage/png PNG\nbad-line-without-ext\n");
    struct config_error err;
    struct server_config *c = load(&d,
                                   "Listen 80\nTypesConfig t.types\nAddType text/x-foo .foo txt\n"
                                   "DefaultType application/octet-stream\nFileETag INode MTime\n"
                                   "FileETag -INode\n",
                                   &err);
    ck_assert_msg(c != NULL, "%s", err.message);
    const struct http_config *hc = http_config_of(c);
    ck_assert_str_eq(http_mime_type(hc, "/d/x.png"), "image/png");
    ck_assert_str_eq(http_mime_type(hc, "X.PNG"), "image/png");
    ck_assert_str_eq(http_mime_type(hc, "a.txt"), "text/x-foo"); /* AddType wins */
    ck_assert_str_eq(http_mime_type(hc, "a.foo"), "text/x-foo");
    ck_assert_str_eq(http_mime_type(hc, "noext"), "application/octet-stream");
    ck_assert_str_eq(http_mime_type(hc, "dir.png/file"), "application/octet-stream");
    ck_assert_uint_eq(hc->etag, HTTP_ETAG_MTIME);
    server_config_free(c);
    /* The bundled TypesConfig is missing in this ServerRoot: a warning, not an error. */
    struct twarn w = {0};
    ck_assert_int_eq(tconfig(&d, "Listen 80\n", NULL, &w, &c, &err), 0);
    ck_assert(twarn_has(&w, "could not open mime types config file"));
    server_config_free(c);
    ck_assert_int_eq(tconfig(&d, "Listen 80\nTypesConfig nope.types\n", NULL, NULL, &c, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.message, "could not open mime types config file"));
    tdir_remove(&d);
}
END_TEST

static void bad(const char *text, const char *msg)
{
    struct tdir d;
    tdir_make(&d);
    struct config_error err;
    struct server_config *c = load(&d, text, &err);
    ck_assert_msg(c == NULL, "accepted: %s", text);
    ck_assert_msg(strstr(err.message, msg) != NULL, "'%s' lacks '%s'", err.message, msg);
    tdir_remove(&d);
}

START_TEST(errors)
{
    bad("Listen 80\nOptions Indexes +ExecCGI\n", "Either all Options must start with + or -");
    bad("Listen 80\nOptions Bogus\n", "Illegal option Bogus");
    bad("Listen 80\nRequire all granted\n", "Require not allowed here");
    bad("Listen 80\n<Location /x>\nRequire ip 10.0.0.1\n</Location>\n",
        "only 'Require all granted' and 'Require all denied'");
    bad("Listen 80\n<Directory ~ \"x\">\n</Directory>\n", "regular expressions and wildcards");
    bad("Listen 80\n<Location /a>\n<Location /b>\n</Location>\n</Location>\n",
        "cannot occur within <Location> section");
    bad("Listen 80\nLimitRequestLine abc\n", "LimitRequestLine");
    bad("Listen 80\nLimitRequestFields -1\n", "LimitRequestFields");
    bad("Listen 80\nFileETag Bogus\n", "Unknown keyword 'Bogus' for FileETag");
    bad("Listen 80\nAllowEncodedSlashes Maybe\n",
        "AllowEncodedSlashes must be On, Off, or NoDecode");
    bad("Listen 80\nLogFormat \"%Z\" x\n", "LogFormat");
    bad("Listen 80\nCustomLog a.log common bogus\n", "env= or expr=");
    bad("Listen 80\nAddType text/plain\n", "AddType requires at least two arguments");
    bad("Listen 80\nExtendedStatus maybe\n", "ExtendedStatus must be On or Off");
    bad("Listen 80\nDirectoryIndex a disabled\n", "'disabled' must be its only argument");
    bad("Listen 80\nMaxRanges 0\n", "MaxRanges requires 'none', 'default', 'unlimited' or a");
    bad("Listen 80\nMaxRangeOverlaps x\n", "MaxRangeOverlaps requires");
    bad("Listen 80\nMaxRangeReversals -3\n", "MaxRangeReversals requires");
}
END_TEST

START_TEST(range_limits)
{
    struct tdir d;
    tdir_make(&d);
    struct config_error err;
    struct server_config *c = load(&d,
                                   "Listen 80\nMaxRanges 5\nMaxRangeOverlaps none\n"
                                   "<Directory /srv/a>\n MaxRanges unlimited\n"
                                   " MaxRangeReversals 2\n</Directory>\n"
                                   "<Location /a/x>\n MaxRanges none\n MaxRangeOverlaps default\n"
                                   "</Location>\n",
                                   &err);
    ck_assert_msg(c != NULL, "%s", err.message);
    const struct http_config *hc = http_config_of(c);
    struct http_dir_conf dc;
    http_dir_conf_for(hc, "/srv/b", "/b", &dc);
    ck_assert_int_eq(dc.max_ranges, 5);
    ck_assert_int_eq(dc.max_overlaps, HTTP_LIMIT_NONE);
    ck_assert_int_eq(dc.max_reversals, HTTP_LIMIT_UNSET);
    http_dir_conf_for(hc, "/srv/a", "/a", &dc);
    ck_assert_int_eq(dc.max_ranges, HTTP_LIMIT_UNLIMITED);
    ck_assert_int_eq(dc.max_overlaps, HTTP_LIMIT_NONE);
    ck_assert_int_eq(dc.max_reversals, 2);
    /* "default" in a later section overrides the outer value with the default, as in httpd. */
    http_dir_conf_for(hc, "/srv/a", "/a/x", &dc);
    ck_assert_int_eq(dc.max_ranges, HTTP_LIMIT_NONE);
    ck_assert_int_eq(dc.max_overlaps, HTTP_LIMIT_DEFAULT);
    ck_assert_int_eq(dc.max_reversals, 2);
    server_config_free(c);
    tdir_remove(&d);
}
END_TEST

NTT_MAIN(defaults, sections_merge, mime_and_etags, errors, range_limits)
