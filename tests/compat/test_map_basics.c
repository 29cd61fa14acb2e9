/* File mappings backed by the page file: views, alignment, names, access, unmapping. */
#include "tcheck.h"

#define GRANULARITY 65536

START_TEST(zero_size_is_invalid)
{
    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 0, NULL);
    DWORD err = GetLastError();
    ck_assert_ptr_null(m);
    ck_assert_uint_eq(err, ERROR_INVALID_PARAMETER);
}
END_TEST

START_TEST(views_share_memory)
{
    HANDLE m =
        CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 2 * GRANULARITY, NULL);
    ck_assert_ptr_nonnull(m);
    char *a = MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    char *b = MapViewOfFile(m, FILE_MAP_READ, 0, 0, 0);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_ne(a, b);
    /* Page-file memory starts zeroed. */
    ck_assert_int_eq(a[0], 0);
    ck_assert_int_eq(a[2 * GRANULARITY - 1], 0);
    strcpy(a, "shared");
    strcpy(a + GRANULARITY, "second half");
    ck_assert_str_eq(b, "shared");
    /* A view at an offset of one allocation granule. */
    char *c = MapViewOfFile(m, FILE_MAP_READ, 0, GRANULARITY, 16);
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(c, "second half");
    ck_assert(UnmapViewOfFile(c));
    ck_assert(UnmapViewOfFile(b));
    /* A view outlives the mapping handle. */
    ck_assert(CloseHandle(m));
    ck_assert_str_eq(a, "shared");
    ck_assert(UnmapViewOfFile(a));
}
END_TEST

START_TEST(offsets_must_be_aligned)
{
    HANDLE m =
        CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 2 * GRANULARITY, NULL);
    ck_assert_ptr_nonnull(m);
    void *v = MapViewOfFile(m, FILE_MAP_READ, 0, 4096, 4096);
    DWORD err = GetLastError();
    ck_assert_ptr_null(v);
    ck_assert_uint_eq(err, ERROR_MAPPED_ALIGNMENT);
    ck_assert(CloseHandle(m));
}
END_TEST

START_TEST(read_only_mapping_refuses_write_views)
{
    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READONLY, 0, 4096, NULL);
    ck_assert_ptr_nonnull(m);
    void *v = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);
    DWORD err = GetLastError();
    ck_assert_ptr_null(v);
    ck_assert_uint_eq(err, ERROR_ACCESS_DENIED);
    v = MapViewOfFile(m, FILE_MAP_READ, 0, 0, 0);
    ck_assert_ptr_nonnull(v);
    ck_assert(UnmapViewOfFile(v));
    ck_assert(CloseHandle(m));
}
END_TEST

START_TEST(unmap_unknown_address)
{
    /* Heap memory, not a view (an address in the program's image would unmap the program). */
    char *not_a_view = malloc(64);
    ck_assert_ptr_nonnull(not_a_view);
    BOOL ok = UnmapViewOfFile(not_a_view);
    DWORD err = GetLastError();
    free(not_a_view);
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_INVALID_ADDRESS);
}
END_TEST

START_TEST(named_mapping_is_shared)
{
    char name[64];
    snprintf(name, sizeof(name), "ntt_map_named_%lu", (unsigned long)GetCurrentProcessId());
    SetLastError(1234);
    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, name);
    DWORD err = GetLastError();
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(err, 0);
    char *a = MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    ck_assert_ptr_nonnull(a);
    strcpy(a, "by name");

    /* Creating it again opens the existing one, whatever the size asked. */
    HANDLE m2 = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 8192, name);
    err = GetLastError();
    ck_assert_ptr_nonnull(m2);
    ck_assert_uint_eq(err, ERROR_ALREADY_EXISTS);
    HANDLE m3 = OpenFileMappingA(FILE_MAP_READ, FALSE, name);
    ck_assert_ptr_nonnull(m3);
    char *b = MapViewOfFile(m2, FILE_MAP_READ, 0, 0, 0);
    char *c = MapViewOfFile(m3, FILE_MAP_READ, 0, 0, 0);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(b, "by name");
    ck_assert_str_eq(c, "by name");
    ck_assert(UnmapViewOfFile(a));
    ck_assert(UnmapViewOfFile(b));
    ck_assert(UnmapViewOfFile(c));
    ck_assert(CloseHandle(m));
    ck_assert(CloseHandle(m2));
    ck_assert(CloseHandle(m3));

    /* The last handle closed: the name is gone. */
    HANDLE gone = OpenFileMappingA(FILE_MAP_READ, FALSE, name);
    err = GetLastError();
    ck_assert_ptr_null(gone);
    ck_assert_uint_eq(err, ERROR_FILE_NOT_FOUND);
}
END_TEST

START_TEST(open_missing_name)
{
    HANDLE m = OpenFileMappingA(FILE_MAP_READ, FALSE, "ntt_map_never_created");
    DWORD err = GetLastError();
    ck_assert_ptr_null(m);
    ck_assert_uint_eq(err, ERROR_FILE_NOT_FOUND);
}
END_TEST

NTT_MAIN(zero_size_is_invalid, views_share_memory, offsets_must_be_aligned,
         read_only_mapping_refuses_write_views, unmap_unknown_address, named_mapping_is_shared,
         open_missing_name)
