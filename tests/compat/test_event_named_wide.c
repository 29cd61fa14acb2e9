/* Wide object names: non-ASCII and surrogate pairs name distinct objects, and round-trip. */
#include "tcheck.h"

/* "ntt-wide-<pid>-" followed by the given UTF-16 tail. */
static void make_name(WCHAR *out, const WCHAR *tail)
{
    char prefix[48];
    snprintf(prefix, sizeof(prefix), "ntt-wide-%lu-", (unsigned long)GetCurrentProcessId());
    size_t i = 0;
    for (; prefix[i]; i++)
        out[i] = (WCHAR)prefix[i];
    for (size_t k = 0; tail[k]; k++)
        out[i++] = tail[k];
    out[i] = 0;
}

START_TEST(non_ascii_names)
{
    /* e-acute, CJK, and U+1F600 / U+1F601 as surrogate pairs. */
    static const WCHAR t1[] = {0x00E9, 0x4E2D, 0xD83D, 0xDE00, 0};
    static const WCHAR t2[] = {0x00E9, 0x4E2D, 0xD83D, 0xDE01, 0};
    WCHAR n1[64], n2[64];
    make_name(n1, t1);
    make_name(n2, t2);
    SetLastError(1234);
    HANDLE a = CreateEventW(NULL, TRUE, FALSE, n1);
    DWORD err = GetLastError();
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(err, 0);
    HANDLE b = OpenEventW(SYNCHRONIZE, FALSE, n1);
    ck_assert_ptr_nonnull(b);
    SetLastError(0);
    HANDLE c = OpenEventW(SYNCHRONIZE, FALSE, n2);
    err = GetLastError();
    ck_assert_ptr_null(c);
    ck_assert_uint_eq(err, ERROR_FILE_NOT_FOUND);
    HANDLE d = CreateMutexW(NULL, FALSE, n2);
    err = GetLastError();
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(err, 0);
    ck_assert(SetEvent(a));
    ck_assert_uint_eq(WaitForSingleObject(b, 0), WAIT_OBJECT_0);
    CloseHandle(a);
    CloseHandle(b);
    CloseHandle(d);
}
END_TEST

START_TEST(empty_name_is_unnamed)
{
    static const WCHAR empty[] = {0};
    HANDLE a = CreateEventW(NULL, TRUE, FALSE, empty);
    HANDLE b = CreateEventW(NULL, TRUE, FALSE, empty);
    DWORD err = GetLastError();
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(err, 0); /* two separate objects */
    ck_assert(SetEvent(a));
    ck_assert_uint_eq(WaitForSingleObject(b, 0), WAIT_TIMEOUT);
    CloseHandle(a);
    CloseHandle(b);
}
END_TEST

NTT_MAIN(non_ascii_names, empty_name_is_unnamed)
