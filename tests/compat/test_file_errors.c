/* Files: the error codes of CreateFile, DeleteFile, GetFileAttributes, ReadFile and WriteFile. */
#include "tcheck.h"

/*
 * Check's passing assertions call into the C runtime, which may change the last error on Windows:
 * every test reads GetLastError() into a variable right after the call under test.
 */

static const char *temp_name(const char *tag)
{
    static char buf[MAX_PATH];
    snprintf(buf, sizeof(buf), "ntt_ferr_%s_%lu.tmp", tag, (unsigned long)GetCurrentProcessId());
    return buf;
}

/* CreateFileA that must fail; returns its last error. */
static DWORD open_error(const char *name, DWORD access, DWORD disposition, DWORD flags)
{
    SetLastError(0);
    HANDLE h = CreateFileA(name, access, FILE_SHARE_READ, NULL, disposition, flags, NULL);
    DWORD err = GetLastError();
    ck_assert_ptr_eq(h, INVALID_HANDLE_VALUE);
    return err;
}

START_TEST(missing_file_and_missing_directory)
{
    ck_assert_uint_eq(open_error("ntt_no_such_file.tmp", GENERIC_READ, OPEN_EXISTING, 0),
                      ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(open_error("ntt_no_such_dir\\file.tmp", GENERIC_READ, OPEN_EXISTING, 0),
                      ERROR_PATH_NOT_FOUND);
    ck_assert_uint_eq(open_error("ntt_no_such_dir/file.tmp", GENERIC_WRITE, CREATE_ALWAYS, 0),
                      ERROR_PATH_NOT_FOUND);

    BOOL ok = DeleteFileA("ntt_no_such_file.tmp");
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_FILE_NOT_FOUND);
    ok = DeleteFileA("ntt_no_such_dir\\file.tmp");
    err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_PATH_NOT_FOUND);
    DWORD attrs = GetFileAttributesA("ntt_no_such_dir\\file.tmp");
    err = GetLastError();
    ck_assert_uint_eq(attrs, INVALID_FILE_ATTRIBUTES);
    ck_assert_uint_eq(err, ERROR_PATH_NOT_FOUND);
    attrs = GetFileAttributesA("ntt_no_such_file.tmp");
    err = GetLastError();
    ck_assert_uint_eq(attrs, INVALID_FILE_ATTRIBUTES);
    ck_assert_uint_eq(err, ERROR_FILE_NOT_FOUND);
}
END_TEST

START_TEST(create_new_on_existing_file)
{
    const char *name = temp_name("new");
    HANDLE h = CreateFileA(name, GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
    ck_assert_ptr_ne(h, INVALID_HANDLE_VALUE);
    ck_assert(CloseHandle(h));
    ck_assert_uint_eq(open_error(name, GENERIC_WRITE, CREATE_NEW, 0), ERROR_FILE_EXISTS);
    ck_assert(DeleteFileA(name));
}
END_TEST

START_TEST(bad_disposition)
{
    ck_assert_uint_eq(open_error(temp_name("bad"), GENERIC_WRITE, 42, 0), ERROR_INVALID_PARAMETER);
}
END_TEST

START_TEST(access_rights_are_enforced)
{
    const char *name = temp_name("acc");
    HANDLE h = CreateFileA(name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    ck_assert_ptr_ne(h, INVALID_HANDLE_VALUE);
    char buf[4];
    DWORD n = 99;
    BOOL ok = ReadFile(h, buf, sizeof(buf), &n, NULL);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(n, 0);
    ck_assert(CloseHandle(h));

    h = CreateFileA(name, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    ck_assert_ptr_ne(h, INVALID_HANDLE_VALUE);
    ok = WriteFile(h, "x", 1, &n, NULL);
    err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_ACCESS_DENIED);
    ck_assert(CloseHandle(h));
    ck_assert(DeleteFileA(name));
}
END_TEST

START_TEST(not_a_file_handle)
{
    char buf[4];
    DWORD n;
    BOOL ok = ReadFile(NULL, buf, sizeof(buf), &n, NULL);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_INVALID_HANDLE);

    SetLastError(0);
    DWORD type = GetFileType(NULL);
    err = GetLastError();
    ck_assert_uint_eq(type, FILE_TYPE_UNKNOWN);
    ck_assert_uint_eq(err, ERROR_INVALID_HANDLE);
}
END_TEST

START_TEST(directories)
{
    ck_assert_uint_ne(GetFileAttributesA(".") & FILE_ATTRIBUTE_DIRECTORY, 0);
    /* Without FILE_FLAG_BACKUP_SEMANTICS a directory does not open. */
    ck_assert_uint_eq(open_error(".", GENERIC_READ, OPEN_EXISTING, 0), ERROR_ACCESS_DENIED);
    BOOL ok = DeleteFileA(".");
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_ACCESS_DENIED);
}
END_TEST

NTT_MAIN(missing_file_and_missing_directory, create_new_on_existing_file, bad_disposition,
         access_rights_are_enforced, not_a_file_handle, directories)
