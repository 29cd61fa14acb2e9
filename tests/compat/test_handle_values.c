/* Handle values: multiples of 4, distinct while open, stale values rejected, flags, pseudo handles.
 */
#include "tcheck.h"

START_TEST(values_are_distinct_multiples_of_four)
{
    HANDLE a = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE b = CreateEventA(NULL, TRUE, FALSE, NULL);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_ne(a, b);
    ck_assert_uint_eq((UINT_PTR)a % 4, 0);
    ck_assert_uint_eq((UINT_PTR)b % 4, 0);
    ck_assert(CloseHandle(a));
    ck_assert(CloseHandle(b));
}
END_TEST

START_TEST(closed_handle_is_invalid)
{
    HANDLE a = CreateEventA(NULL, TRUE, FALSE, NULL);
    ck_assert(CloseHandle(a));
    SetLastError(0);
    BOOL closed = CloseHandle(a);
    DWORD err = GetLastError();
    ck_assert(!closed);
    ck_assert_uint_eq(err, ERROR_INVALID_HANDLE);
    SetLastError(0);
    BOOL set = SetEvent(a);
    err = GetLastError();
    ck_assert(!set);
    ck_assert_uint_eq(err, ERROR_INVALID_HANDLE);
}
END_TEST

START_TEST(inherit_flag_round_trips)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE a = CreateEventA(&sa, TRUE, FALSE, NULL);
    DWORD flags = 0;
    ck_assert(GetHandleInformation(a, &flags));
    ck_assert_uint_eq(flags & HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    ck_assert(SetHandleInformation(a, HANDLE_FLAG_INHERIT, 0));
    ck_assert(GetHandleInformation(a, &flags));
    ck_assert_uint_eq(flags & HANDLE_FLAG_INHERIT, 0);
    ck_assert(CloseHandle(a));
}
END_TEST

START_TEST(protected_handle_cannot_be_closed)
{
    HANDLE a = CreateEventA(NULL, TRUE, FALSE, NULL);
    ck_assert(
        SetHandleInformation(a, HANDLE_FLAG_PROTECT_FROM_CLOSE, HANDLE_FLAG_PROTECT_FROM_CLOSE));
    ck_assert(!CloseHandle(a));
    ck_assert(SetHandleInformation(a, HANDLE_FLAG_PROTECT_FROM_CLOSE, 0));
    ck_assert(CloseHandle(a));
}
END_TEST

START_TEST(pseudo_handles)
{
    ck_assert_ptr_eq(GetCurrentProcess(), (HANDLE)(LONG_PTR)-1);
    ck_assert_ptr_eq(GetCurrentThread(), (HANDLE)(LONG_PTR)-2);
    ck_assert(CloseHandle(GetCurrentProcess()));
    HANDLE real = NULL;
    ck_assert(DuplicateHandle(GetCurrentProcess(), GetCurrentProcess(), GetCurrentProcess(), &real,
                              0, FALSE, DUPLICATE_SAME_ACCESS));
    ck_assert_ptr_ne(real, GetCurrentProcess());
    ck_assert_uint_eq(GetProcessId(real), GetCurrentProcessId());
    ck_assert(CloseHandle(real));
}
END_TEST

START_TEST(duplicate_same_process_names_same_object)
{
    HANDLE a = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE b = NULL;
    ck_assert(DuplicateHandle(GetCurrentProcess(), a, GetCurrentProcess(), &b, 0, FALSE,
                              DUPLICATE_SAME_ACCESS));
    ck_assert_ptr_ne(a, b);
    ck_assert(SetEvent(b));
    ck_assert(CloseHandle(b));
    ck_assert_uint_eq(WaitForSingleObject(a, 0), WAIT_OBJECT_0);
    HANDLE c = NULL;
    ck_assert(DuplicateHandle(GetCurrentProcess(), a, GetCurrentProcess(), &c, 0, FALSE,
                              DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
    /* The source is closed; Windows may hand its value straight to the duplicate. */
    if (c != a)
        ck_assert(!CloseHandle(a));
    ck_assert(CloseHandle(c));
}
END_TEST

NTT_MAIN(values_are_distinct_multiples_of_four, closed_handle_is_invalid, inherit_flag_round_trips,
         protected_handle_cannot_be_closed, pseudo_handles,
         duplicate_same_process_names_same_object)
