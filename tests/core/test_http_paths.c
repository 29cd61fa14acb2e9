/* URL paths: percent-decoding, dot segments, encoded slashes, NUL, Win32 path syntax. */
#include "thttp.h"

static const char *dec(const char *in, int slashes, int *status)
{
    static char out[256];
    *status = http_path_decode(in, strlen(in), slashes, out, sizeof(out));
    return *status ? "" : out;
}

#define OK(in, expect)                                                                             \
    do {                                                                                           \
        int st_;                                                                                   \
        const char *o_ = dec(in, 0, &st_);                                                         \
        ck_assert_msg(st_ == 0, "%s -> status %d", in, st_);                                       \
        ck_assert_str_eq(o_, expect);                                                              \
    } while (0)
#define BAD(in, status)                                                                            \
    do {                                                                                           \
        int st_;                                                                                   \
        dec(in, 0, &st_);                                                                          \
        ck_assert_msg(st_ == (status), "%s -> %d, expected %d", in, st_, status);                  \
    } while (0)

START_TEST(decoding)
{
    OK("/", "/");
    OK("/a/b.html", "/a/b.html");
    OK("/a%20b", "/a b");
    OK("/%7euser/", "/~user/");
    OK("/caf%C3%A9", "/caf\xc3\xa9");
    OK("/%25", "/%");
    BAD("/%", 400);
    BAD("/%4", 400);
    BAD("/%zz", 400);
    BAD("a", 400);
    BAD("", 400);
}
END_TEST

START_TEST(dot_segments)
{
    OK("/a/./b", "/a/b");
    OK("/a/../b", "/b");
    OK("/a/b/..", "/a/");
    OK("/a/b/../", "/a/");
    OK("/a/.", "/a/");
    OK("/a/b/../../c", "/c");
    OK("/..a/b", "/..a/b");
    OK("/.htaccess", "/.htaccess");
    OK("//a///b", "/a/b");
    OK("/a/%2e%2e/b", "/b"); /* decoded dots are dots */
    OK("/a/%2e/b", "/a/b");
    BAD("/..", 400);
    BAD("/../etc/passwd", 400);
    BAD("/a/../../etc/passwd", 400);
    BAD("/%2e%2e/etc/passwd", 400);
    BAD("/a/%2e%2e/%2e%2e/x", 400);
}
END_TEST

START_TEST(rejected_bytes)
{
    BAD("/a%00b", 404);
    BAD("/a%2fb", 404); /* AllowEncodedSlashes Off */
    BAD("/a%2Fb", 404);
    BAD("/a%5c..%5c..%5cx", 404); /* backslashes: Win32 separators */
    BAD("/a\\b", 404);
    BAD("/c:/windows", 404);
    BAD("/a/file.txt::$DATA", 404);
    BAD("/a%0d%0ab", 404);
    BAD("/index.html.", 404); /* Win32 drops a trailing dot */
    BAD("/private./x", 404);
    BAD("/x%20", 404);
    int st;
    ck_assert_str_eq(dec("/a%2fb", 1, &st), "/a/b");   /* On */
    ck_assert_str_eq(dec("/a%2Fb", 2, &st), "/a%2Fb"); /* NoDecode */
    char small[8];
    ck_assert_int_eq(http_path_decode("/abcdefghij", 11, 0, small, sizeof(small)), 414);
}
END_TEST

NTT_MAIN(decoding, dot_segments, rejected_bytes)
