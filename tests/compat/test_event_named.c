/* Named events: creating an existing name returns it with 183, missing names, names of other types.
 */
#include "tcheck.h"

/* A name unique to this process so that parallel runs do not meet. */
static const char *name_for(const char *what)
{
    static char buf[128];
    snprintf(buf, sizeof(buf), "ntt-event-named-%s-%lu", what, (unsigned long)GetTickCount64());
    return buf;
}

START_TEST(create_twice_is_the_same_object)
{
    const char *n = name_for("twice");
    SetLastError(1234);
    HANDLE a = CreateEventA(NULL, TRUE, FALSE, n);
    DWORD err = GetLastError();
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(err, 0);
    /* The new arguments (auto-reset, initially set) are ignored for an existing object. */
    HANDLE b = CreateEventA(NULL, FALSE, TRUE, n);
    err = GetLastError();
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(err, ERROR_ALREADY_EXISTS);
    ck_assert_ptr_ne(a, b);
    ck_assert_uint_eq(WaitForSingleObject(a, 0), WAIT_TIMEOUT);
    ck_assert(SetEvent(b));
    ck_assert_uint_eq(WaitForSingleObject(a, 0), WAIT_OBJECT_0);
    ck_assert_uint_eq(WaitForSingleObject(a, 0), WAIT_OBJECT_0); /* still manual-reset */
    HANDLE c = OpenEventA(EVENT_ALL_ACCESS, FALSE, n);
    ck_assert_ptr_nonnull(c);
    ck_assert(ResetEvent(c));
    ck_assert_uint_eq(WaitForSingleObject(b, 0), WAIT_TIMEOUT);
    ck_assert(CloseHandle(a));
    ck_assert(CloseHandle(b));
    ck_assert(CloseHandle(c));
}
END_TEST

START_TEST(wide_and_narrow_names_meet)
{
    WCHAR w[64];
    const char *n = name_for("wide");
    size_t i = 0;
    for (; n[i] && i < 63; i++)
        w[i] = (WCHAR)n[i];
    w[i] = 0;
    HANDLE a = CreateEventW(NULL, TRUE, FALSE, w);
    ck_assert_ptr_nonnull(a);
    HANDLE b = OpenEventA(SYNCHRONIZE, FALSE, n);
    ck_assert_ptr_nonnull(b);
    HANDLE c = OpenEventW(EVENT_MODIFY_STATE, FALSE, w);
    ck_assert_ptr_nonnull(c);
    CloseHandle(a);
    CloseHandle(b);
    CloseHandle(c);
}
END_TEST

START_TEST(last_close_destroys_the_name)
{
    const char *n = name_for("gone");
    HANDLE a = CreateEventA(NULL, TRUE, TRUE, n);
    ck_assert_ptr_nonnull(a);
    ck_assert(CloseHandle(a));
    SetLastError(0);
    HANDLE o = OpenEventA(EVENT_ALL_ACCESS, FALSE, n);
    DWORD err = GetLastError();
    ck_assert_ptr_null(o);
    ck_assert_uint_eq(err, ERROR_FILE_NOT_FOUND);
    /* A new object under the old name starts from its own arguments. */
    SetLastError(1234);
    HANDLE b = CreateEventA(NULL, TRUE, FALSE, n);
    err = GetLastError();
    ck_assert_uint_eq(err, 0);
    ck_assert_uint_eq(WaitForSingleObject(b, 0), WAIT_TIMEOUT);
    CloseHandle(b);
}
END_TEST

START_TEST(open_missing_is_file_not_found)
{
    SetLastError(0);
    HANDLE o = OpenEventA(EVENT_ALL_ACCESS, FALSE, name_for("missing"));
    DWORD err = GetLastError();
    ck_assert_ptr_null(o);
    ck_assert_uint_eq(err, ERROR_FILE_NOT_FOUND);
}
END_TEST

START_TEST(name_of_another_type_is_invalid_handle)
{
    const char *n = name_for("mutex");
    HANDLE m = CreateMutexA(NULL, FALSE, n);
    ck_assert_ptr_nonnull(m);
    SetLastError(0);
    HANDLE e = CreateEventA(NULL, TRUE, FALSE, n);
    DWORD err = GetLastError();
    ck_assert_ptr_null(e);
    ck_assert_uint_eq(err, ERROR_INVALID_HANDLE);
    SetLastError(0);
    e = OpenEventA(EVENT_ALL_ACCESS, FALSE, n);
    err = GetLastError();
    ck_assert_ptr_null(e);
    ck_assert_uint_eq(err, ERROR_INVALID_HANDLE);
    ck_assert(CloseHandle(m));
}
END_TEST

NTT_MAIN(create_twice_is_the_same_object, wide_and_narrow_names_meet, last_close_destroys_the_name,
         open_missing_is_file_not_found, name_of_another_type_is_invalid_handle)
