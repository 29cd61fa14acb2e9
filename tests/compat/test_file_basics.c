/* Files: create, write, read back, size, seek, information, overlapped offsets, delete. */
#include "tcheck.h"

/*
 * Check's passing assertions call into the C runtime, which may change the last error on Windows:
 * every test reads GetLastError() into a variable right after the call under test.
 */

/* A file name private to this process, in the working directory (the build directory). */
static const char *temp_name(const char *tag)
{
    static char buf[MAX_PATH];
    snprintf(buf, sizeof(buf), "ntt_file_%s_%lu.tmp", tag, (unsigned long)GetCurrentProcessId());
    return buf;
}

/* CreateFileA that must succeed; *err gets the last error it left. */
static HANDLE open_ok(const char *name, DWORD access, DWORD disposition, DWORD flags, DWORD *err)
{
    SetLastError(1234);
    HANDLE h = CreateFileA(name, access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                           NULL, disposition, flags, NULL);
    *err = GetLastError();
    ck_assert_ptr_ne(h, INVALID_HANDLE_VALUE);
    ck_assert_ptr_nonnull(h);
    return h;
}

static LONGLONG size_of(HANDLE h)
{
    LARGE_INTEGER size = {0};
    ck_assert(GetFileSizeEx(h, &size));
    return size.QuadPart;
}

START_TEST(write_read_size_seek)
{
    const char *name = temp_name("rw");
    DWORD err;
    HANDLE h = open_ok(name, GENERIC_READ | GENERIC_WRITE, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, &err);
    ck_assert_uint_eq(err, 0);
    DWORD n = 99;
    ck_assert(WriteFile(h, "hello, world", 12, &n, NULL));
    ck_assert_uint_eq(n, 12);
    ck_assert_int_eq(size_of(h), 12);

    LARGE_INTEGER pos = {0}, at;
    at.QuadPart = 7;
    ck_assert(SetFilePointerEx(h, at, &pos, FILE_BEGIN));
    ck_assert_int_eq(pos.QuadPart, 7);
    char buf[32] = {0};
    ck_assert(ReadFile(h, buf, sizeof(buf), &n, NULL));
    ck_assert_uint_eq(n, 5);
    ck_assert_str_eq(buf, "world");
    /* End of file: success with 0 bytes. */
    n = 99;
    ck_assert(ReadFile(h, buf, sizeof(buf), &n, NULL));
    ck_assert_uint_eq(n, 0);

    at.QuadPart = -5;
    ck_assert(SetFilePointerEx(h, at, &pos, FILE_END));
    ck_assert_int_eq(pos.QuadPart, 7);
    at.QuadPart = -100;
    BOOL ok = SetFilePointerEx(h, at, &pos, FILE_CURRENT);
    err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_NEGATIVE_SEEK);
    at.QuadPart = 0;
    ck_assert(SetFilePointerEx(h, at, &pos, FILE_CURRENT));
    ck_assert_int_eq(pos.QuadPart, 7);
    ck_assert(FlushFileBuffers(h));
    ck_assert_uint_eq(GetFileType(h), FILE_TYPE_DISK);
    ck_assert(CloseHandle(h));
    ck_assert(DeleteFileA(name));
    DWORD attrs = GetFileAttributesA(name);
    err = GetLastError();
    ck_assert_uint_eq(attrs, INVALID_FILE_ATTRIBUTES);
    ck_assert_uint_eq(err, ERROR_FILE_NOT_FOUND);
}
END_TEST

START_TEST(dispositions_report_existing_files)
{
    const char *name = temp_name("disp");
    DWORD err, n;
    HANDLE h = open_ok(name, GENERIC_WRITE, CREATE_ALWAYS, 0, &err);
    ck_assert_uint_eq(err, 0);
    ck_assert(WriteFile(h, "abc", 3, &n, NULL));
    ck_assert(CloseHandle(h));

    /* OPEN_ALWAYS on an existing file keeps it and says so. */
    h = open_ok(name, GENERIC_READ, OPEN_ALWAYS, 0, &err);
    ck_assert_uint_eq(err, ERROR_ALREADY_EXISTS);
    ck_assert_int_eq(size_of(h), 3);
    ck_assert(CloseHandle(h));

    /* CREATE_ALWAYS truncates an existing file and says so. */
    h = open_ok(name, GENERIC_WRITE, CREATE_ALWAYS, 0, &err);
    ck_assert_uint_eq(err, ERROR_ALREADY_EXISTS);
    ck_assert_int_eq(size_of(h), 0);
    ck_assert(WriteFile(h, "abcdef", 6, &n, NULL));
    ck_assert(CloseHandle(h));

    /* OPEN_EXISTING leaves the contents; TRUNCATE_EXISTING empties them. */
    h = open_ok(name, GENERIC_READ, OPEN_EXISTING, 0, &err);
    ck_assert_int_eq(size_of(h), 6);
    ck_assert(CloseHandle(h));
    h = open_ok(name, GENERIC_WRITE, TRUNCATE_EXISTING, 0, &err);
    ck_assert_int_eq(size_of(h), 0);
    ck_assert(CloseHandle(h));

    /* OPEN_ALWAYS of a new file: success, and the last error is cleared. */
    ck_assert(DeleteFileA(name));
    h = open_ok(name, GENERIC_READ, OPEN_ALWAYS, 0, &err);
    ck_assert_uint_eq(err, 0);
    ck_assert(CloseHandle(h));
    ck_assert(DeleteFileA(name));
}
END_TEST

START_TEST(information_by_handle)
{
    const char *name = temp_name("info");
    DWORD err, n;
    HANDLE h = open_ok(name, GENERIC_READ | GENERIC_WRITE, CREATE_ALWAYS, 0, &err);
    ck_assert(WriteFile(h, "0123456789", 10, &n, NULL));
    BY_HANDLE_FILE_INFORMATION a, b;
    ck_assert(GetFileInformationByHandle(h, &a));
    ck_assert_uint_eq(a.nFileSizeLow, 10);
    ck_assert_uint_eq(a.nFileSizeHigh, 0);
    ck_assert_uint_eq(a.nNumberOfLinks, 1);
    ck_assert_uint_eq(a.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY, 0);
    ck_assert_uint_ne(a.ftLastWriteTime.dwHighDateTime, 0);
    ck_assert_uint_eq(GetFileAttributesA(name) & FILE_ATTRIBUTE_DIRECTORY, 0);

    /* A second handle to the same file has the same identity. */
    HANDLE h2 = open_ok(name, GENERIC_READ, OPEN_EXISTING, 0, &err);
    ck_assert(GetFileInformationByHandle(h2, &b));
    ck_assert_uint_eq(a.dwVolumeSerialNumber, b.dwVolumeSerialNumber);
    ck_assert_uint_eq(a.nFileIndexLow, b.nFileIndexLow);
    ck_assert_uint_eq(a.nFileIndexHigh, b.nFileIndexHigh);
    ck_assert(CloseHandle(h2));
    ck_assert(CloseHandle(h));
    ck_assert(DeleteFileA(name));
}
END_TEST

START_TEST(directory_with_backup_semantics)
{
    DWORD err;
    HANDLE h = open_ok(".", GENERIC_READ, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, &err);
    BY_HANDLE_FILE_INFORMATION info;
    ck_assert(GetFileInformationByHandle(h, &info));
    ck_assert_uint_ne(info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY, 0);
    ck_assert(CloseHandle(h));
}
END_TEST

START_TEST(overlapped_file_uses_offsets)
{
    const char *name = temp_name("ov");
    DWORD err;
    HANDLE h =
        open_ok(name, GENERIC_READ | GENERIC_WRITE, CREATE_ALWAYS, FILE_FLAG_OVERLAPPED, &err);
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    OVERLAPPED ov = {0};
    ov.hEvent = ev;
    ov.Offset = 4;
    DWORD n = 0;
    BOOL ok = WriteFile(h, "data", 4, &n, &ov);
    err = GetLastError();
    ck_assert(ok || err == ERROR_IO_PENDING);
    ck_assert(GetOverlappedResult(h, &ov, &n, TRUE));
    ck_assert_uint_eq(n, 4);
    ck_assert_uint_eq(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    ck_assert_int_eq(size_of(h), 8);

    char buf[8] = {0};
    OVERLAPPED rov = {0};
    rov.Offset = 4;
    ok = ReadFile(h, buf, sizeof(buf), &n, &rov);
    err = GetLastError();
    ck_assert(ok || err == ERROR_IO_PENDING);
    ck_assert(GetOverlappedResult(h, &rov, &n, TRUE));
    ck_assert_uint_eq(n, 4);
    ck_assert_mem_eq(buf, "data", 4);

    /* Reading at the end of the file fails with ERROR_HANDLE_EOF (now or at completion). */
    OVERLAPPED eov = {0};
    eov.Offset = 8;
    ok = ReadFile(h, buf, sizeof(buf), &n, &eov);
    err = GetLastError();
    ck_assert(!ok);
    if (err == ERROR_IO_PENDING) {
        ok = GetOverlappedResult(h, &eov, &n, TRUE);
        err = GetLastError();
        ck_assert(!ok);
    }
    ck_assert_uint_eq(err, ERROR_HANDLE_EOF);
    ck_assert(CloseHandle(ev));
    ck_assert(CloseHandle(h));
    ck_assert(DeleteFileA(name));
}
END_TEST

START_TEST(delete_on_close)
{
    const char *name = temp_name("doc");
    DWORD err;
    HANDLE h = open_ok(name, GENERIC_WRITE, CREATE_ALWAYS, FILE_FLAG_DELETE_ON_CLOSE, &err);
    ck_assert_uint_ne(GetFileAttributesA(name), INVALID_FILE_ATTRIBUTES);
    ck_assert(CloseHandle(h));
    ck_assert_uint_eq(GetFileAttributesA(name), INVALID_FILE_ATTRIBUTES);
}
END_TEST

NTT_MAIN(write_read_size_seek, dispositions_report_existing_files, information_by_handle,
         directory_with_backup_semantics, overlapped_file_uses_offsets, delete_on_close)
