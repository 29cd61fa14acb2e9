/* Symbolic links: their own attributes, listing, opening through them, final paths, creation. */
#include "tcheck.h"
#include "tscratch.h"

/* The build host's fixture (tests/mksymlinks.sh): compat/{target.txt, sub/inner.txt, filelink ->
 * target.txt, dirlink -> sub, dangling -> missing}. */
static const char *fix(const char *rel)
{
    static char bufs[4][MAX_PATH * 2];
    static unsigned i;
    char dir[MAX_PATH];
    DWORD n = GetEnvironmentVariableA("NTT_SYMLINKS", dir, sizeof(dir));
    ck_assert_msg(n > 0 && n < sizeof(dir), "NTT_SYMLINKS is not set (run through meson test)");
    char *b = bufs[i++ % 4];
    snprintf(b, sizeof(bufs[0]), "%s/compat/%s", dir, rel);
    return b;
}

static HANDLE open_read(const char *path)
{
    /* FILE_FLAG_BACKUP_SEMANTICS: directories open too [CreateFileA]. */
    HANDLE h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    ck_assert_msg(h != INVALID_HANDLE_VALUE, "CreateFileA(%s): %lu", path,
                  (unsigned long)GetLastError());
    return h;
}

static void assert_content(const char *path, const char *want)
{
    HANDLE h = open_read(path);
    char buf[64] = {0};
    DWORD n = 0;
    ck_assert(ReadFile(h, buf, sizeof(buf) - 1, &n, NULL));
    ck_assert_str_eq(buf, want);
    ck_assert(CloseHandle(h));
}

/* The final path of path, in a static rotating buffer. */
static const char *final_of(const char *path)
{
    static char bufs[4][MAX_PATH * 2];
    static unsigned i;
    char *b = bufs[i++ % 4];
    HANDLE h = open_read(path);
    DWORD n = GetFinalPathNameByHandleA(h, b, MAX_PATH * 2, FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
    DWORD err = GetLastError();
    ck_assert_msg(n > 0 && n < MAX_PATH * 2, "GetFinalPathNameByHandleA(%s): %lu", path,
                  (unsigned long)err);
    ck_assert_uint_eq(strlen(b), n);
    ck_assert(CloseHandle(h));
    return b;
}

static int ends_with_name(const char *path, const char *name)
{
    size_t p = strlen(path), n = strlen(name);
    return p > n && strcmp(path + p - n, name) == 0 &&
           (path[p - n - 1] == '\\' || path[p - n - 1] == '/');
}

START_TEST(links_report_their_own_attributes)
{
    ck_assert_uint_eq(GetFileAttributesA(fix("target.txt")), FILE_ATTRIBUTE_ARCHIVE);
    ck_assert_uint_eq(GetFileAttributesA(fix("sub")), FILE_ATTRIBUTE_DIRECTORY);
    ck_assert_uint_eq(GetFileAttributesA(fix("dirlink")),
                      FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT);
    DWORD a = GetFileAttributesA(fix("filelink"));
    NTT_WINE_DIVERGES(a == (FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_REPARSE_POINT),
                      a == FILE_ATTRIBUTE_ARCHIVE,
                      "GetFileAttributesA: for a symbolic link the attributes of the link itself "
                      "(FILE_ATTRIBUTE_REPARSE_POINT); Wine 8 marks only links to directories");
    /* Below a link to a directory, names resolve through it. */
    ck_assert_uint_eq(GetFileAttributesA(fix("dirlink/inner.txt")), FILE_ATTRIBUTE_ARCHIVE);
}
END_TEST

START_TEST(find_lists_links_as_reparse_points)
{
    WIN32_FIND_DATAA fd;
    HANDLE h = FindFirstFileA(fix("*link"), &fd);
    ck_assert(h != INVALID_HANDLE_VALUE);
    int dirs = 0, files = 0;
    do {
        if (strcmp(fd.cFileName, "dirlink") == 0) {
            dirs++;
            ck_assert_uint_eq(fd.dwFileAttributes,
                              FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT);
            NTT_WINE_DIVERGES(fd.dwReserved0 == IO_REPARSE_TAG_SYMLINK,
                              fd.dwReserved0 != IO_REPARSE_TAG_SYMLINK,
                              "WIN32_FIND_DATAA: dwReserved0 is the reparse tag when "
                              "FILE_ATTRIBUTE_REPARSE_POINT is set; Wine 8 leaves another value");
        } else if (strcmp(fd.cFileName, "filelink") == 0) {
            files++;
            NTT_WINE_DIVERGES(fd.dwFileAttributes ==
                                      (FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_REPARSE_POINT) &&
                                  fd.dwReserved0 == IO_REPARSE_TAG_SYMLINK,
                              fd.dwFileAttributes == FILE_ATTRIBUTE_ARCHIVE,
                              "WIN32_FIND_DATAA: dwReserved0 is the reparse tag when "
                              "FILE_ATTRIBUTE_REPARSE_POINT is set; Wine 8 marks only links to "
                              "directories");
        }
    } while (FindNextFileA(h, &fd));
    ck_assert_uint_eq(GetLastError(), ERROR_NO_MORE_FILES);
    ck_assert(FindClose(h));
    ck_assert_int_eq(dirs, 1);
    ck_assert_int_eq(files, 1);
}
END_TEST

START_TEST(opens_follow_links)
{
    assert_content(fix("filelink"), "hello");
    assert_content(fix("dirlink/inner.txt"), "inner");
    HANDLE h =
        CreateFileA(fix("dangling"), GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    DWORD err = GetLastError();
    ck_assert(h == INVALID_HANDLE_VALUE);
    ck_assert_uint_eq(err, ERROR_FILE_NOT_FOUND);
}
END_TEST

START_TEST(final_path_is_the_target)
{
    char target[MAX_PATH * 2], sub[MAX_PATH * 2];
    snprintf(target, sizeof(target), "%s", final_of(fix("target.txt")));
    snprintf(sub, sizeof(sub), "%s", final_of(fix("sub")));
    ck_assert_msg(ends_with_name(target, "target.txt"), "%s", target);
    ck_assert_str_eq(final_of(fix("filelink")), target);
    ck_assert_str_eq(final_of(fix("dirlink")), sub);
    char sep = target[strlen(target) - strlen("target.txt") - 1]; /* '\\' on Windows */
    char inner[MAX_PATH * 3];
    snprintf(inner, sizeof(inner), "%s%cinner.txt", sub, sep);
    ck_assert_str_eq(final_of(fix("dirlink/inner.txt")), inner);
}
END_TEST

START_TEST(final_path_buffer_sizes)
{
    HANDLE h = open_read(fix("target.txt"));
    char buf[MAX_PATH * 2];
    DWORD n = GetFinalPathNameByHandleA(h, buf, sizeof(buf), 0);
    ck_assert_uint_gt(n, 0);
    /* Too small: the size needed, NUL included [GetFinalPathNameByHandleA]. */
    DWORD no_room_for_nul = GetFinalPathNameByHandleA(h, buf, n, 0);
    DWORD one = GetFinalPathNameByHandleA(h, buf, 1, 0);
    DWORD none = GetFinalPathNameByHandleA(h, NULL, 0, 0);
    NTT_WINE_DIVERGES(
        no_room_for_nul == n + 1 && one == n + 1 && none == n + 1,
        no_room_for_nul == n && one == n && none == n,
        "GetFinalPathNameByHandleA: a buffer too small for the path plus its NUL "
        "returns the size needed, NUL included; Wine 8's A variant leaves out the NUL");
    ck_assert_uint_eq(GetFinalPathNameByHandleA(h, buf, n + 1, 0), n);
    ck_assert_uint_eq(strlen(buf), n);
    ck_assert(CloseHandle(h));
}
END_TEST

START_TEST(create_symbolic_links)
{
    struct tdir d;
    tdir_make(&d);
    twrite(&d, "t.txt", "made");
    tmkdir(&d, "dir");
    twrite(&d, "dir/in.txt", "in");
    BOOLEAN ok = CreateSymbolicLinkA(tpath(&d, "l.txt"), "t.txt",
                                     SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE);
    ck_assert(ok);
    ok = CreateSymbolicLinkA(tpath(&d, "dl"), "dir",
                             SYMBOLIC_LINK_FLAG_DIRECTORY |
                                 SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE);
    ck_assert(ok);
    DWORD fa = GetFileAttributesA(tpath(&d, "l.txt"));
    DWORD da = GetFileAttributesA(tpath(&d, "dl"));
    ok = CreateSymbolicLinkA(tpath(&d, "l.txt"), "t.txt", 0);
    DWORD again = GetLastError();
    BOOLEAN bad = CreateSymbolicLinkA(tpath(&d, "bad"), "t.txt", 0x100);
    DWORD bad_err = GetLastError();
    /* Wine 8's CreateSymbolicLinkA is a stub that reports success and makes nothing. */
    NTT_WINE_DIVERGES(fa == (FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_REPARSE_POINT) &&
                          da == (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT) && !ok &&
                          again == ERROR_ALREADY_EXISTS && !bad &&
                          bad_err == ERROR_INVALID_PARAMETER,
                      fa == INVALID_FILE_ATTRIBUTES && da == INVALID_FILE_ATTRIBUTES && ok && bad,
                      "CreateSymbolicLinkA: creates a symbolic link (dwFlags: only "
                      "SYMBOLIC_LINK_FLAG_DIRECTORY and SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_"
                      "CREATE); a second one with the same name fails");
    if (!ntt_on_wine()) {
        assert_content(tpath(&d, "l.txt"), "made");
        assert_content(tpath(&d, "dl/in.txt"), "in");
        /* Removing a link leaves its target [DeleteFileA, RemoveDirectoryA]. */
        ck_assert(DeleteFileA(tpath(&d, "l.txt")));
        ck_assert(RemoveDirectoryA(tpath(&d, "dl")));
        ck_assert_uint_eq(GetFileAttributesA(tpath(&d, "l.txt")), INVALID_FILE_ATTRIBUTES);
        ck_assert_uint_eq(GetFileAttributesA(tpath(&d, "dl")), INVALID_FILE_ATTRIBUTES);
        assert_content(tpath(&d, "t.txt"), "made");
        assert_content(tpath(&d, "dir/in.txt"), "in");
    }
    ck_assert(DeleteFileA(tpath(&d, "t.txt")));
    ck_assert(DeleteFileA(tpath(&d, "dir/in.txt")));
    ck_assert(RemoveDirectoryA(tpath(&d, "dir")));
    ck_assert(RemoveDirectoryA(d.path));
}
END_TEST

NTT_MAIN(links_report_their_own_attributes, find_lists_links_as_reparse_points, opens_follow_links,
         final_path_is_the_target, final_path_buffer_sizes, create_symbolic_links)
