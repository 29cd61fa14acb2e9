/* Object namespaces: "Local\" names the session namespace that unprefixed names use too. */
#include "tcheck.h"

START_TEST(local_prefix_is_the_default_namespace)
{
    char name[64], local[80];
    snprintf(name, sizeof(name), "ntt-ns-%lu", (unsigned long)GetCurrentProcessId());
    snprintf(local, sizeof(local), "Local\\%s", name);
    HANDLE a = CreateEventA(NULL, TRUE, FALSE, local);
    ck_assert_ptr_nonnull(a);
    SetLastError(1234);
    HANDLE b = CreateEventA(NULL, TRUE, FALSE, name);
    DWORD err = GetLastError();
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(err, ERROR_ALREADY_EXISTS);
    ck_assert(SetEvent(b));
    ck_assert_uint_eq(WaitForSingleObject(a, 0), WAIT_OBJECT_0);
    CloseHandle(a);
    CloseHandle(b);
}
END_TEST

START_TEST(names_are_case_sensitive)
{
    char lower[64], upper[64];
    snprintf(lower, sizeof(lower), "ntt-case-%lu", (unsigned long)GetCurrentProcessId());
    snprintf(upper, sizeof(upper), "NTT-CASE-%lu", (unsigned long)GetCurrentProcessId());
    HANDLE a = CreateEventA(NULL, TRUE, FALSE, lower);
    SetLastError(1234);
    HANDLE b = CreateEventA(NULL, TRUE, FALSE, upper);
    DWORD err = GetLastError();
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(err, 0);
    CloseHandle(a);
    CloseHandle(b);
}
END_TEST

NTT_MAIN(local_prefix_is_the_default_namespace, names_are_case_sensitive)
