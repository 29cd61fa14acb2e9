/* Environment variables: get, set, delete, the buffer-size rules, the missing-variable error. */
#include "tcheck.h"

START_TEST(set_get_delete)
{
    ck_assert(SetEnvironmentVariableA("NTT_ENV_A", "value"));
    char buf[16];
    memset(buf, 'x', sizeof(buf));
    ck_assert_uint_eq(GetEnvironmentVariableA("NTT_ENV_A", buf, sizeof(buf)), 5);
    ck_assert_str_eq(buf, "value");
    /* Exactly big enough: length + 1. */
    ck_assert_uint_eq(GetEnvironmentVariableA("NTT_ENV_A", buf, 6), 5);
    ck_assert(SetEnvironmentVariableA("NTT_ENV_A", "other"));
    ck_assert_uint_eq(GetEnvironmentVariableA("NTT_ENV_A", buf, sizeof(buf)), 5);
    ck_assert_str_eq(buf, "other");
    ck_assert(SetEnvironmentVariableA("NTT_ENV_A", NULL));
    DWORD n = GetEnvironmentVariableA("NTT_ENV_A", buf, sizeof(buf));
    DWORD err = GetLastError();
    ck_assert_uint_eq(n, 0);
    ck_assert_uint_eq(err, ERROR_ENVVAR_NOT_FOUND);
}
END_TEST

START_TEST(buffer_too_small_returns_size_needed)
{
    ck_assert(SetEnvironmentVariableA("NTT_ENV_B", "0123456789"));
    char buf[4] = "abc";
    ck_assert_uint_eq(GetEnvironmentVariableA("NTT_ENV_B", buf, sizeof(buf)), 11);
    ck_assert_uint_eq(GetEnvironmentVariableA("NTT_ENV_B", buf, 10), 11);
    ck_assert_uint_eq(GetEnvironmentVariableA("NTT_ENV_B", NULL, 0), 11);
    ck_assert(SetEnvironmentVariableA("NTT_ENV_B", NULL));
}
END_TEST

START_TEST(missing_variable)
{
    char buf[8];
    SetLastError(0);
    DWORD n = GetEnvironmentVariableA("NTT_ENV_NEVER_SET", buf, sizeof(buf));
    DWORD err = GetLastError();
    ck_assert_uint_eq(n, 0);
    ck_assert_uint_eq(err, ERROR_ENVVAR_NOT_FOUND);
    n = GetEnvironmentVariableA("NTT_ENV_NEVER_SET", NULL, 0);
    err = GetLastError();
    ck_assert_uint_eq(n, 0);
    ck_assert_uint_eq(err, ERROR_ENVVAR_NOT_FOUND);
}
END_TEST

START_TEST(empty_value)
{
    ck_assert(SetEnvironmentVariableA("NTT_ENV_EMPTY", ""));
    char buf[8] = "xyz";
    SetLastError(1234);
    DWORD n = GetEnvironmentVariableA("NTT_ENV_EMPTY", buf, sizeof(buf));
    DWORD err = GetLastError();
    /* 0 like a failure; the last error is left alone (Wine; older Windows cleared it). */
    ck_assert_uint_eq(n, 0);
    ck_assert(err == 1234 || err == 0);
    ck_assert_str_eq(buf, "");
    ck_assert(SetEnvironmentVariableA("NTT_ENV_EMPTY", NULL));
}
END_TEST

START_TEST(command_line_names_the_program)
{
    const char *cl = GetCommandLineA();
    ck_assert_ptr_nonnull(cl);
    ck_assert_ptr_nonnull(strstr(cl, "test_env_vars"));
    /* The same pointer every time [GetCommandLineA]. */
    ck_assert_ptr_eq(GetCommandLineA(), cl);
}
END_TEST

START_TEST(std_handles)
{
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    ck_assert_ptr_ne(out, INVALID_HANDLE_VALUE);
    ck_assert_ptr_eq(GetStdHandle(STD_OUTPUT_HANDLE), out);
    HANDLE bad = GetStdHandle(42);
    DWORD err = GetLastError();
    ck_assert_ptr_eq(bad, INVALID_HANDLE_VALUE);
    ck_assert_uint_eq(err, ERROR_INVALID_HANDLE);
    /* SetStdHandle records a value that GetStdHandle gives back. */
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE old = GetStdHandle(STD_INPUT_HANDLE);
    ck_assert(SetStdHandle(STD_INPUT_HANDLE, ev));
    ck_assert_ptr_eq(GetStdHandle(STD_INPUT_HANDLE), ev);
    ck_assert(SetStdHandle(STD_INPUT_HANDLE, old));
    ck_assert_ptr_eq(GetStdHandle(STD_INPUT_HANDLE), old);
    ck_assert(CloseHandle(ev));
}
END_TEST

NTT_MAIN(set_get_delete, buffer_too_small_returns_size_needed, missing_variable, empty_value,
         command_line_names_the_program, std_handles)
