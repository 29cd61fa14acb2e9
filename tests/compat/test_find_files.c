/* FindFirstFileA/FindNextFileA/FindClose, CreateDirectoryA, RemoveDirectoryA, GetFullPathNameA. */
#include "tcheck.h"

static char root[MAX_PATH];

static const char *at(const char *rel)
{
    static char bufs[4][MAX_PATH * 2];
    static unsigned i;
    char *b = bufs[i++ % 4];
    int n = snprintf(b, sizeof(bufs[0]), "%s\\%s", root, rel);
    ck_assert(n > 0 && (size_t)n < sizeof(bufs[0]));
    return b;
}

static void make_file(const char *rel)
{
    HANDLE h =
        CreateFileA(at(rel), GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    ck_assert(h != INVALID_HANDLE_VALUE);
    DWORD n;
    ck_assert(WriteFile(h, "abc", 3, &n, NULL));
    ck_assert(CloseHandle(h));
}

static void setup(void)
{
    char rel[64];
    snprintf(rel, sizeof(rel), "find-%lu", (unsigned long)GetCurrentProcessId());
    ck_assert_uint_gt(GetFullPathNameA(rel, sizeof(root), root, NULL), 0);
    ck_assert_msg(CreateDirectoryA(root, NULL), "CreateDirectoryA: %lu",
                  (unsigned long)GetLastError());
}

static void teardown(void)
{
    DeleteFileA(at("a.conf"));
    DeleteFileA(at("b.conf"));
    DeleteFileA(at("c.txt"));
    RemoveDirectoryA(at("sub"));
    ck_assert(RemoveDirectoryA(root));
}

START_TEST(lists_matching_names_with_attributes)
{
    setup();
    make_file("a.conf");
    make_file("b.conf");
    make_file("c.txt");
    ck_assert(CreateDirectoryA(at("sub"), NULL));
    WIN32_FIND_DATAA fd;
    HANDLE h = FindFirstFileA(at("*.conf"), &fd);
    ck_assert(h != INVALID_HANDLE_VALUE);
    int a = 0, b = 0, other = 0;
    do {
        if (strcmp(fd.cFileName, "a.conf") == 0) {
            a++;
            ck_assert_uint_eq(fd.nFileSizeLow, 3);
            ck_assert_uint_eq(fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY, 0);
        } else if (strcmp(fd.cFileName, "b.conf") == 0) {
            b++;
        } else {
            other++;
        }
    } while (FindNextFileA(h, &fd));
    DWORD end_error = GetLastError();
    ck_assert_uint_eq(end_error, ERROR_NO_MORE_FILES);
    ck_assert(FindClose(h));
    ck_assert_int_eq(a, 1);
    ck_assert_int_eq(b, 1);
    ck_assert_int_eq(other, 0);

    /* "*" lists ".", "..", files and directories. */
    h = FindFirstFileA(at("*"), &fd);
    ck_assert(h != INVALID_HANDLE_VALUE);
    int n = 0, dots = 0, sub = 0;
    do {
        n++;
        if (strcmp(fd.cFileName, ".") == 0 || strcmp(fd.cFileName, "..") == 0)
            dots++;
        if (strcmp(fd.cFileName, "sub") == 0) {
            sub++;
            ck_assert(fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY);
        }
    } while (FindNextFileA(h, &fd));
    ck_assert(FindClose(h));
    ck_assert_int_eq(n, 6);
    ck_assert_int_eq(dots, 2);
    ck_assert_int_eq(sub, 1);

    /* A name without wildcards finds that one entry. */
    h = FindFirstFileA(at("c.txt"), &fd);
    ck_assert(h != INVALID_HANDLE_VALUE);
    ck_assert_str_eq(fd.cFileName, "c.txt");
    ck_assert(!FindNextFileA(h, &fd));
    ck_assert(FindClose(h));
    teardown();
}
END_TEST

/* Check's assertions may reset the last error (its bookkeeping writes): read it first. */
#define EXPECT_FAIL(call, code)                                                                    \
    do {                                                                                           \
        SetLastError(0);                                                                           \
        BOOL ok_ = (call);                                                                         \
        DWORD e_ = GetLastError();                                                                 \
        ck_assert(!ok_);                                                                           \
        ck_assert_uint_eq(e_, (code));                                                             \
    } while (0)

START_TEST(errors)
{
    setup();
    WIN32_FIND_DATAA fd;
    EXPECT_FAIL(FindFirstFileA(at("*.none"), &fd) != INVALID_HANDLE_VALUE, ERROR_FILE_NOT_FOUND);
    EXPECT_FAIL(FindFirstFileA(at("nodir\\*"), &fd) != INVALID_HANDLE_VALUE, ERROR_PATH_NOT_FOUND);
    EXPECT_FAIL(CreateDirectoryA(root, NULL), ERROR_ALREADY_EXISTS);
    EXPECT_FAIL(CreateDirectoryA(at("no\\such"), NULL), ERROR_PATH_NOT_FOUND);
    ck_assert(CreateDirectoryA(at("sub"), NULL));
    make_file("a.conf");
    EXPECT_FAIL(RemoveDirectoryA(root), ERROR_DIR_NOT_EMPTY);
    EXPECT_FAIL(RemoveDirectoryA(at("a.conf")), ERROR_DIRECTORY);
    EXPECT_FAIL(RemoveDirectoryA(at("gone")), ERROR_FILE_NOT_FOUND);
    teardown();
}
END_TEST

START_TEST(full_path_names)
{
    char cwd[MAX_PATH], buf[MAX_PATH], buf2[MAX_PATH];
    char *part = NULL;
    ck_assert_uint_gt(GetFullPathNameA(".", sizeof(cwd), cwd, NULL), 0);
    DWORD n = GetFullPathNameA("x\\..\\y\\.\\z.conf", sizeof(buf), buf, &part);
    ck_assert_uint_eq(n, strlen(buf));
    char sep = buf[strlen(cwd)]; /* '\\' on Windows, '/' on compat */
    int len = snprintf(buf2, sizeof(buf2), "%s%cy%cz.conf", cwd, sep, sep);
    ck_assert(len > 0 && (size_t)len < sizeof(buf2));
    ck_assert(sep == '\\' || sep == '/');
    ck_assert_str_eq(buf, buf2);
    ck_assert_ptr_nonnull(part);
    ck_assert_str_eq(part, "z.conf");
    /* Too small a buffer: the size needed, terminator included. */
    char tiny[4];
    ck_assert_uint_eq(GetFullPathNameA("x\\..\\y\\.\\z.conf", sizeof(tiny), tiny, NULL), n + 1);
}
END_TEST

NTT_MAIN(lists_matching_names_with_attributes, errors, full_path_names)
