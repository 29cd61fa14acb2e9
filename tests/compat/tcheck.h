/* Shared helpers of the compat tests: the Check runner, helper-program paths, Wine divergences. */
#ifndef NTT_TCHECK_H
#define NTT_TCHECK_H

#include <windows.h>
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Read GetLastError() into a variable right after the call under test, before any ck_assert: on
 * Windows, Check's bookkeeping inside a passing assertion may change the last error.
 */

/* Bound for every wait in a test: long enough for a loaded CI machine, short enough to fail fast.
 */
#define NTT_WAIT_MS 10000

/* True under Wine (ntdll exports wine_get_version); false on Windows and on compat/. */
static inline int ntt_on_wine(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    return ntdll != NULL && GetProcAddress(ntdll, "wine_get_version") != NULL;
}

/*
 * A documented Windows behaviour that Wine does not reproduce: on Wine assert what Wine does and
 * say so; everywhere else (Windows, compat/) assert what the Microsoft page says.
 */
#define NTT_WINE_DIVERGES(windows_ok, wine_ok, doc)                                                \
    do {                                                                                           \
        if (ntt_on_wine()) {                                                                       \
            ck_assert_msg((wine_ok), "Wine behaviour changed: %s", #wine_ok);                      \
            fprintf(stderr, "KNOWN WINE DIVERGENCE (%s:%d): %s\n", __FILE__, __LINE__, doc);       \
        } else {                                                                                   \
            ck_assert_msg((windows_ok), "documented Windows behaviour (%s): %s", doc,              \
                          #windows_ok);                                                            \
        }                                                                                          \
    } while (0)

/* buf = rel (written with '/') taken from this test program's directory, in the separator of the
 * program's own path (Wine gives a Windows path, compat/ a POSIX one). */
static inline const char *ntt_beside_exe(char *buf, size_t size, const char *rel)
{
    DWORD n = GetModuleFileNameA(NULL, buf, (DWORD)(size < MAX_PATH ? size : MAX_PATH));
    ck_assert_uint_gt(n, 0);
    char *slash = NULL;
    for (char *p = buf; *p; p++)
        if (*p == '/' || *p == '\\')
            slash = p;
    ck_assert_ptr_nonnull(slash);
    char sep = *slash;
    size_t at = (size_t)(slash - buf) + 1;
    for (; *rel != '\0' && at + 1 < size; rel++)
        buf[at++] = *rel == '/' ? sep : *rel;
    buf[at] = '\0';
    return buf;
}

/* Path of a helper program or module built in tests/helpers, next to this test's directory. */
static inline const char *ntt_helper_path(const char *file)
{
    static char buf[MAX_PATH * 2];
    char rel[MAX_PATH + 16];
    snprintf(rel, sizeof(rel), "../helpers/%s", file);
    return ntt_beside_exe(buf, sizeof(buf), rel);
}

/* ".exe" when the tests are Windows programs, "" natively: the suffix of helper programs. */
static inline const char *ntt_exe_suffix(void)
{
    char buf[MAX_PATH];
    DWORD n = GetModuleFileNameA(NULL, buf, sizeof(buf));
    if (n <= 4 || n >= sizeof(buf))
        return "";
    for (int i = 0; i < 4; i++)
        if (tolower((unsigned char)buf[n - 4 + i]) != ".exe"[i])
            return "";
    return ".exe";
}

/* Full path of helper program `name` (tests/helpers/<name>[.exe]). */
static inline const char *ntt_helper_exe(const char *name)
{
    char file[MAX_PATH];
    snprintf(file, sizeof(file), "%s%s", name, ntt_exe_suffix());
    return ntt_helper_path(file);
}

/* Run the listed tests as one suite; exit status 0 when all pass. */
static inline int ntt_run(const char *name, const TTest *const *tests, size_t n)
{
    Suite *s = suite_create(name);
    TCase *tc = tcase_create("main");
    tcase_set_timeout(tc, 60);
    for (size_t i = 0; i < n; i++)
        _tcase_add_test(tc, tests[i], 0, 0, 0, 1);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* NTT_MAIN(test_a, test_b, ...): main() running the START_TEST tests given. */
#define NTT_MAIN(...)                                                                              \
    int main(void)                                                                                 \
    {                                                                                              \
        const TTest *tests_[] = {__VA_ARGS__};                                                     \
        return ntt_run(__FILE__, tests_, sizeof(tests_) / sizeof(tests_[0]));                      \
    }

#endif
