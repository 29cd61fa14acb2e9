/* Modules: LoadLibrary, GetProcAddress, FreeLibrary, the 126/127 errors, GetModuleFileName. */
#include "tcheck.h"

/* testmod.dll on Windows, testmod.so natively. */
static const char *testmod_path(void)
{
    return ntt_helper_path(ntt_exe_suffix()[0] ? "testmod.dll" : "testmod.so");
}

START_TEST(load_and_call)
{
    HMODULE m = LoadLibraryA(testmod_path());
    ck_assert_msg(m != NULL, "LoadLibrary failed: %lu", (unsigned long)GetLastError());
    typedef int(WINAPI * add_fn)(int, int);
    add_fn add = (add_fn)(void (*)(void))GetProcAddress(m, "ntt_testmod_add");
    ck_assert_ptr_nonnull((void *)(UINT_PTR)add);
    ck_assert_int_eq(add(40, 2), 42);
    /* Loading again gives the same module. */
    HMODULE again = LoadLibraryA(testmod_path());
    ck_assert_ptr_eq(again, m);
    ck_assert(FreeLibrary(again));

    FARPROC missing = GetProcAddress(m, "ntt_no_such_function");
    DWORD err = GetLastError();
    ck_assert_ptr_null((void *)(UINT_PTR)missing);
    ck_assert_uint_eq(err, ERROR_PROC_NOT_FOUND);
    ck_assert(FreeLibrary(m));
}
END_TEST

START_TEST(missing_module)
{
    HMODULE m = LoadLibraryA(ntt_helper_path("ntt_no_such_module.dll"));
    DWORD err = GetLastError();
    ck_assert_ptr_null(m);
    ck_assert_uint_eq(err, ERROR_MOD_NOT_FOUND);
    m = GetModuleHandleA("ntt_no_such_module.dll");
    err = GetLastError();
    ck_assert_ptr_null(m);
    ck_assert_uint_eq(err, ERROR_MOD_NOT_FOUND);
}
END_TEST

START_TEST(module_file_name)
{
    char full[MAX_PATH];
    DWORD n = GetModuleFileNameA(NULL, full, sizeof(full));
    ck_assert_uint_gt(n, 0);
    ck_assert_uint_lt(n, sizeof(full));
    ck_assert_uint_eq(strlen(full), n);
    ck_assert_ptr_nonnull(strstr(full, "test_module_load"));
    ck_assert_ptr_nonnull(GetModuleHandleA(NULL));

    /* Too small: truncated to nSize including the terminator, returns nSize. */
    char small[8];
    memset(small, 'x', sizeof(small));
    n = GetModuleFileNameA(NULL, small, sizeof(small));
    DWORD err = GetLastError();
    ck_assert_uint_eq(n, sizeof(small));
    ck_assert_uint_eq(err, ERROR_INSUFFICIENT_BUFFER);
    ck_assert_mem_eq(small, full, sizeof(small) - 1);
    NTT_WINE_DIVERGES(small[sizeof(small) - 1] == '\0', small[sizeof(small) - 1] == full[7],
                      "[GetModuleFileNameA] truncates to nSize characters including the "
                      "terminating null; Wine keeps the XP behaviour (no terminator)");

    /* The module's own name. */
    HMODULE m = LoadLibraryA(testmod_path());
    ck_assert_ptr_nonnull(m);
    n = GetModuleFileNameA(m, full, sizeof(full));
    ck_assert_uint_gt(n, 0);
    ck_assert_ptr_nonnull(strstr(full, "testmod"));
    ck_assert(FreeLibrary(m));
}
END_TEST

NTT_MAIN(load_and_call, missing_module, module_file_name)
