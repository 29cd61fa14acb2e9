/* SetConsoleCtrlHandler: registering, removing and the Ctrl+C ignore flag. */
#include <windows.h>
#include "tcheck.h"

static BOOL WINAPI first(DWORD type)
{
    (void)type;
    return TRUE;
}

static BOOL WINAPI second(DWORD type)
{
    (void)type;
    return FALSE;
}

START_TEST(add_and_remove)
{
    BOOL ok = SetConsoleCtrlHandler(first, TRUE);
    ck_assert(ok);
    ok = SetConsoleCtrlHandler(second, TRUE);
    ck_assert(ok);
    ok = SetConsoleCtrlHandler(first, FALSE);
    ck_assert(ok);
    ok = SetConsoleCtrlHandler(second, FALSE);
    ck_assert(ok);
}
END_TEST

START_TEST(removing_an_unknown_handler_fails)
{
    SetLastError(0);
    BOOL ok = SetConsoleCtrlHandler(second, FALSE);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_INVALID_PARAMETER);
}
END_TEST

START_TEST(the_same_handler_twice_needs_two_removals)
{
    ck_assert(SetConsoleCtrlHandler(first, TRUE));
    ck_assert(SetConsoleCtrlHandler(first, TRUE));
    ck_assert(SetConsoleCtrlHandler(first, FALSE));
    ck_assert(SetConsoleCtrlHandler(first, FALSE));
    BOOL ok = SetConsoleCtrlHandler(first, FALSE);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_INVALID_PARAMETER);
}
END_TEST

START_TEST(null_sets_and_clears_the_ignore_flag)
{
    /* A NULL routine sets (TRUE) or clears (FALSE) ignoring Ctrl+C [SetConsoleCtrlHandler]. */
    ck_assert(SetConsoleCtrlHandler(NULL, TRUE));
    ck_assert(SetConsoleCtrlHandler(NULL, FALSE));
}
END_TEST

NTT_MAIN(add_and_remove, removing_an_unknown_handler_fails,
         the_same_handler_twice_needs_two_removals, null_sets_and_clears_the_ignore_flag)
