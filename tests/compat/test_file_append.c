/* A handle opened with FILE_APPEND_DATA but not FILE_WRITE_DATA writes at the end of the file,
 * wherever its file pointer is and whatever other handles wrote (the error log relies on it). */
#include "tcheck.h"

static char path[MAX_PATH + 64];

static void make_path(const char *name)
{
    char base[MAX_PATH];
    DWORD n = GetEnvironmentVariableA("TMP", base, sizeof(base));
    if (n == 0 || n >= sizeof(base))
        snprintf(base, sizeof(base), ".");
    snprintf(path, sizeof(path), "%s/ntt-append-%lu-%s", base, (unsigned long)GetCurrentProcessId(),
             name);
}

static HANDLE open_append(void)
{
    HANDLE h = CreateFileA(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    ck_assert_msg(h != INVALID_HANDLE_VALUE, "CreateFileA: %lu", (unsigned long)GetLastError());
    return h;
}

static void put(HANDLE h, const char *s)
{
    DWORD done = 0;
    BOOL ok = WriteFile(h, s, (DWORD)strlen(s), &done, NULL);
    DWORD err = GetLastError();
    ck_assert_msg(ok, "WriteFile: %lu", (unsigned long)err);
    ck_assert_uint_eq(done, strlen(s));
}

static const char *contents(void)
{
    static char buf[256];
    HANDLE h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    ck_assert(h != INVALID_HANDLE_VALUE);
    DWORD got = 0;
    ck_assert(ReadFile(h, buf, sizeof(buf) - 1, &got, NULL));
    buf[got] = '\0';
    CloseHandle(h);
    return buf;
}

/* OPEN_ALWAYS keeps what is there; the first write goes after it. */
START_TEST(keeps_existing)
{
    make_path("existing");
    HANDLE w =
        CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    ck_assert(w != INVALID_HANDLE_VALUE);
    put(w, "old\n");
    CloseHandle(w);
    HANDLE a = open_append();
    put(a, "new\n");
    CloseHandle(a);
    ck_assert_str_eq(contents(), "old\nnew\n");
    DeleteFileA(path);
}
END_TEST

/* Moving the file pointer does not make an append handle overwrite [File Access Rights
 * Constants: "write operations will not overwrite existing data"]. */
START_TEST(ignores_file_pointer)
{
    make_path("pointer");
    DeleteFileA(path);
    HANDLE a = open_append();
    put(a, "abc");
    LARGE_INTEGER zero = {0};
    ck_assert(SetFilePointerEx(a, zero, NULL, FILE_BEGIN));
    put(a, "def");
    CloseHandle(a);
    ck_assert_str_eq(contents(), "abcdef");
    DeleteFileA(path);
}
END_TEST

/* Two append handles (a parent and a child sharing the ErrorLog) and a handle that grows the
 * file meanwhile: every append lands at the end as it is then. */
START_TEST(two_handles)
{
    make_path("two");
    DeleteFileA(path);
    HANDLE a = open_append(), b = open_append();
    HANDLE w = CreateFileA(path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    ck_assert(w != INVALID_HANDLE_VALUE);
    put(a, "1");
    put(b, "2");
    put(a, "3");
    LARGE_INTEGER zero = {0};
    ck_assert(SetFilePointerEx(w, zero, NULL, FILE_END));
    put(w, "45");
    put(b, "6");
    put(a, "7");
    CloseHandle(a);
    CloseHandle(b);
    CloseHandle(w);
    ck_assert_str_eq(contents(), "1234567");
    DeleteFileA(path);
}
END_TEST

NTT_MAIN(keeps_existing, ignores_file_pointer, two_handles)
