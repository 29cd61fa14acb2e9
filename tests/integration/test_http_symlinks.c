/* Options FollowSymLinks over the wire: links followed by default, refused where it is off. */
#include "twire.h"

/* The build host's fixture (tests/mksymlinks.sh), site/: htdocs/{index.html, real.txt,
 * sub/{a.txt, index.html, up.txt -> ../real.txt}, idx/index.html -> ../real.txt,
 * link.txt -> real.txt, sublink -> sub, out -> ../secret, outfile.txt -> ../secret/secret.txt}
 * and secret/secret.txt beside htdocs. */
static const char *site(void)
{
    static char path[MAX_PATH];
    char raw[MAX_PATH];
    DWORD n = GetEnvironmentVariableA("NTT_SYMLINKS", raw, sizeof(raw));
    ck_assert_msg(n > 0 && n < sizeof(raw), "NTT_SYMLINKS is not set (run through meson test)");
    strcat(raw, "/site/htdocs");
    /* Under Wine a POSIX path names the current drive: make it a full Win32 path. */
    ck_assert_uint_gt(GetFullPathNameA(raw, sizeof(path), path, NULL), 0);
    for (char *p = path; *p; p++)
        if (*p == '\\')
            *p = '/';
    return path;
}

static struct tmpm on, off;

static void kill_both(void)
{
    tmpm_kill(&on);
    tmpm_kill(&off);
}

static void start(struct tmpm *t, const char *name, const char *options)
{
    char extra[4096];
    snprintf(extra, sizeof(extra), "DocumentRoot \"%s\"\n%s", site(), options);
    for (char *p = strstr(extra, "@SITE@"); p != NULL; p = strstr(extra, "@SITE@")) {
        char rest[4096];
        snprintf(rest, sizeof(rest), "%s%s", site(), p + 6);
        snprintf(p, sizeof(extra) - (size_t)(p - extra), "%s", rest);
    }
    tmpm_init(t, name, extra);
    tmpm_start(t);
}

static void expect(unsigned short port, const char *path, int status, const char *body)
{
    struct th_resp r;
    int got = th_get(port, path, NULL, &r);
    ck_assert_msg(got == status, "%s: %d, expected %d", path, got, status);
    if (body != NULL)
        ck_assert_str_eq(r.body, body);
    th_resp_free(&r);
}

START_TEST(followed_by_default)
{
    /* Links anywhere below the root are followed, also out of it (httpd does the same). The
     * one directory with -FollowSymLinks refuses its own link. */
    start(&on, "links-on", "<Directory \"@SITE@/sub\">\n  Options -FollowSymLinks\n</Directory>\n");
    unsigned short port = on.port;
    expect(port, "/real.txt", 200, "real file\n");
    expect(port, "/link.txt", 200, "real file\n");
    expect(port, "/sublink/a.txt", 200, "in sub\n");
    expect(port, "/out/secret.txt", 200, "secret\n");
    expect(port, "/outfile.txt", 200, "secret\n");
    expect(port, "/idx/", 200, "real file\n");
    expect(port, "/sub/a.txt", 200, "in sub\n");
    expect(port, "/sub/", 200, "index of sub\n");
    expect(port, "/sub/up.txt", 403, NULL);
    tmpm_stop(&on);
}
END_TEST

START_TEST(refused_where_off)
{
    start(&off, "links-off", "<Directory \"@SITE@\">\n  Options -FollowSymLinks\n</Directory>\n");
    unsigned short port = off.port;
    /* Plain files and directories are served as ever. */
    expect(port, "/", 200, "<p>index</p>\n");
    expect(port, "/real.txt", 200, "real file\n");
    expect(port, "/sub/a.txt", 200, "in sub\n");
    expect(port, "/sub/", 200, "index of sub\n");
    /* A link to a file, to a directory, out of the root, a file below a linked directory. */
    expect(port, "/link.txt", 403, NULL);
    expect(port, "/outfile.txt", 403, NULL);
    expect(port, "/sublink/a.txt", 403, NULL);
    expect(port, "/sublink/", 403, NULL);
    expect(port, "/out/secret.txt", 403, NULL);
    expect(port, "/sub/up.txt", 403, NULL);
    /* An index that is a link is passed over: no other index, no listing, so 403. */
    expect(port, "/idx/", 403, NULL);
    /* The server serves on after the refusals. */
    expect(port, "/real.txt", 200, "real file\n");
    tmpm_stop(&off);
}
END_TEST

int main(void)
{
    atexit(kill_both);
    const TTest *tests[] = {followed_by_default, refused_where_off};
    return ntt_run(__FILE__, tests, 2);
}
