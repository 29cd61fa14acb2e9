/* Anonymous pipes: data flows in order, a closed writer is a broken pipe, so is a closed reader. */
#include "tcheck.h"

START_TEST(data_and_end_of_pipe)
{
    HANDLE r, w;
    ck_assert(CreatePipe(&r, &w, NULL, 4096));
    ck_assert_uint_eq(GetFileType(r), FILE_TYPE_PIPE);
    ck_assert_uint_eq(GetFileType(w), FILE_TYPE_PIPE);
    DWORD flags = 99;
    ck_assert(GetHandleInformation(r, &flags));
    ck_assert_uint_eq(flags & HANDLE_FLAG_INHERIT, 0);
    DWORD n = 0;
    ck_assert(WriteFile(w, "abc", 3, &n, NULL));
    ck_assert_uint_eq(n, 3);
    ck_assert(WriteFile(w, "def", 3, &n, NULL));
    char buf[16] = {0};
    ck_assert(ReadFile(r, buf, 2, &n, NULL));
    ck_assert_uint_eq(n, 2);
    ck_assert_mem_eq(buf, "ab", 2);
    ck_assert(ReadFile(r, buf, sizeof(buf), &n, NULL));
    ck_assert_uint_eq(n, 4);
    ck_assert_mem_eq(buf, "cdef", 4);
    ck_assert(CloseHandle(w));
    n = 99;
    BOOL ok = ReadFile(r, buf, sizeof(buf), &n, NULL);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_BROKEN_PIPE);
    ck_assert_uint_eq(n, 0);
    ck_assert(CloseHandle(r));
}
END_TEST

START_TEST(write_without_reader)
{
    HANDLE r, w;
    ck_assert(CreatePipe(&r, &w, NULL, 0));
    ck_assert(CloseHandle(r));
    DWORD n = 99;
    BOOL ok = WriteFile(w, "x", 1, &n, NULL);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_NO_DATA);
    ck_assert(CloseHandle(w));
}
END_TEST

START_TEST(inheritable_pipe)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE r, w;
    ck_assert(CreatePipe(&r, &w, &sa, 0));
    DWORD flags = 0;
    ck_assert(GetHandleInformation(r, &flags));
    ck_assert_uint_eq(flags & HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    ck_assert(GetHandleInformation(w, &flags));
    ck_assert_uint_eq(flags & HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    ck_assert(CloseHandle(r));
    ck_assert(CloseHandle(w));
}
END_TEST

START_TEST(wrong_direction)
{
    HANDLE r, w;
    ck_assert(CreatePipe(&r, &w, NULL, 0));
    DWORD n;
    BOOL ok = WriteFile(r, "x", 1, &n, NULL);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_ACCESS_DENIED);
    char c;
    ok = ReadFile(w, &c, 1, &n, NULL);
    err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_ACCESS_DENIED);
    ck_assert(CloseHandle(r));
    ck_assert(CloseHandle(w));
}
END_TEST

NTT_MAIN(data_and_end_of_pipe, write_without_reader, inheritable_pipe, wrong_direction)
