/* File mappings backed by a file: contents through a view, writes reach the file, growth. */
#include "tcheck.h"

static HANDLE make_file(const char *tag, const char *content, char *name, size_t cap)
{
    snprintf(name, cap, "ntt_mapf_%s_%lu.tmp", tag, (unsigned long)GetCurrentProcessId());
    HANDLE f = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                           NULL, CREATE_ALWAYS, 0, NULL);
    ck_assert_ptr_ne(f, INVALID_HANDLE_VALUE);
    DWORD n;
    if (content[0])
        ck_assert(WriteFile(f, content, (DWORD)strlen(content), &n, NULL));
    return f;
}

START_TEST(view_of_a_file)
{
    char name[MAX_PATH];
    HANDLE f = make_file("view", "file contents", name, sizeof(name));
    HANDLE m = CreateFileMappingA(f, NULL, PAGE_READWRITE, 0, 0, NULL);
    ck_assert_ptr_nonnull(m);
    char *v = MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    ck_assert_ptr_nonnull(v);
    ck_assert_mem_eq(v, "file contents", 13);
    memcpy(v, "FILE", 4);
    ck_assert(UnmapViewOfFile(v));
    ck_assert(CloseHandle(m));

    LARGE_INTEGER zero = {0};
    ck_assert(SetFilePointerEx(f, zero, NULL, FILE_BEGIN));
    char buf[32] = {0};
    DWORD n;
    ck_assert(ReadFile(f, buf, sizeof(buf) - 1, &n, NULL));
    ck_assert_uint_eq(n, 13);
    ck_assert_str_eq(buf, "FILE contents");
    ck_assert(CloseHandle(f));
    ck_assert(DeleteFileA(name));
}
END_TEST

START_TEST(mapping_grows_the_file)
{
    char name[MAX_PATH];
    HANDLE f = make_file("grow", "0123456789", name, sizeof(name));
    HANDLE m = CreateFileMappingA(f, NULL, PAGE_READWRITE, 0, 8192, NULL);
    ck_assert_ptr_nonnull(m);
    LARGE_INTEGER size;
    ck_assert(GetFileSizeEx(f, &size));
    ck_assert_int_eq(size.QuadPart, 8192);
    char *v = MapViewOfFile(m, FILE_MAP_READ, 0, 0, 0);
    ck_assert_ptr_nonnull(v);
    ck_assert_mem_eq(v, "0123456789", 10);
    ck_assert_int_eq(v[8191], 0);
    ck_assert(UnmapViewOfFile(v));
    ck_assert(CloseHandle(m));
    ck_assert(CloseHandle(f));
    ck_assert(DeleteFileA(name));
}
END_TEST

START_TEST(empty_file_cannot_be_mapped)
{
    char name[MAX_PATH];
    HANDLE f = make_file("empty", "", name, sizeof(name));
    HANDLE m = CreateFileMappingA(f, NULL, PAGE_READWRITE, 0, 0, NULL);
    DWORD err = GetLastError();
    ck_assert_ptr_null(m);
    ck_assert_uint_eq(err, ERROR_FILE_INVALID);
    ck_assert(CloseHandle(f));
    ck_assert(DeleteFileA(name));
}
END_TEST

NTT_MAIN(view_of_a_file, mapping_grows_the_file, empty_file_cannot_be_mapped)
