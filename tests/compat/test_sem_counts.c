/* Semaphores: counts, lpPreviousCount, ERROR_TOO_MANY_POSTS over the maximum, bad arguments. */
#include "tcheck.h"

START_TEST(counts_and_previous_count)
{
    HANDLE s = CreateSemaphoreA(NULL, 2, 3, NULL);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(WaitForSingleObject(s, 0), WAIT_OBJECT_0);
    ck_assert_uint_eq(WaitForSingleObject(s, 0), WAIT_OBJECT_0);
    ck_assert_uint_eq(WaitForSingleObject(s, 0), WAIT_TIMEOUT);
    LONG prev = -1;
    ck_assert(ReleaseSemaphore(s, 2, &prev));
    ck_assert_int_eq(prev, 0);
    ck_assert(ReleaseSemaphore(s, 1, &prev));
    ck_assert_int_eq(prev, 2);
    SetLastError(0);
    BOOL ok = ReleaseSemaphore(s, 1, NULL);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_TOO_MANY_POSTS);
    CloseHandle(s);
}
END_TEST

START_TEST(over_the_maximum_changes_nothing)
{
    HANDLE s = CreateSemaphoreA(NULL, 1, 3, NULL);
    LONG prev = 1234;
    SetLastError(0);
    BOOL ok = ReleaseSemaphore(s, 3, &prev);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_TOO_MANY_POSTS);
    ck_assert_int_eq(prev, 1234);
    ck_assert(ReleaseSemaphore(s, 2, &prev));
    ck_assert_int_eq(prev, 1);
    for (int i = 0; i < 3; i++)
        ck_assert_uint_eq(WaitForSingleObject(s, 0), WAIT_OBJECT_0);
    ck_assert_uint_eq(WaitForSingleObject(s, 0), WAIT_TIMEOUT);
    CloseHandle(s);
}
END_TEST

/* The last error of a call that must fail, read before any assertion can change it. */
static DWORD fails_with(BOOL succeeded)
{
    return succeeded ? ERROR_SUCCESS : GetLastError();
}

START_TEST(bad_arguments)
{
    ck_assert_uint_eq(fails_with(CreateSemaphoreA(NULL, 4, 3, NULL) != NULL),
                      ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(fails_with(CreateSemaphoreA(NULL, 0, 0, NULL) != NULL),
                      ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(fails_with(CreateSemaphoreA(NULL, -1, 3, NULL) != NULL),
                      ERROR_INVALID_PARAMETER);
    HANDLE s = CreateSemaphoreA(NULL, 0, 3, NULL);
    /* "The value must be greater than zero" [ReleaseSemaphore]; Wine 8 accepts 0 as a no-op. */
    DWORD err = fails_with(ReleaseSemaphore(s, 0, NULL));
    NTT_WINE_DIVERGES(err != ERROR_SUCCESS, err == ERROR_SUCCESS,
                      "[ReleaseSemaphore] lReleaseCount must be greater than zero");
    /* Windows and compat/ fail it (compat/ with 87); Wine reports 298. */
    ck_assert_uint_ne(fails_with(ReleaseSemaphore(s, -1, NULL)), ERROR_SUCCESS);
    HANDLE e = CreateEventA(NULL, TRUE, FALSE, NULL);
    ck_assert_uint_eq(fails_with(ReleaseSemaphore(e, 1, NULL)), ERROR_INVALID_HANDLE);
    CloseHandle(e);
    CloseHandle(s);
}
END_TEST

#define WORKERS 4
static HANDLE sem;
static volatile LONG inside, most;

static DWORD WINAPI worker(LPVOID arg)
{
    (void)arg;
    for (int i = 0; i < 50; i++) {
        if (WaitForSingleObject(sem, NTT_WAIT_MS) != WAIT_OBJECT_0)
            return 1;
        LONG n = InterlockedIncrement(&inside);
        LONG m;
        while ((m = InterlockedCompareExchange(&most, 0, 0)) < n &&
               InterlockedCompareExchange(&most, n, m) != m)
            ;
        Sleep(0);
        InterlockedDecrement(&inside);
        ReleaseSemaphore(sem, 1, NULL);
    }
    return 0;
}

START_TEST(limits_concurrency)
{
    sem = CreateSemaphoreA(NULL, 2, 2, NULL);
    HANDLE t[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        t[i] = CreateThread(NULL, 0, worker, NULL, 0, NULL);
    ck_assert_uint_eq(WaitForMultipleObjects(WORKERS, t, TRUE, NTT_WAIT_MS), WAIT_OBJECT_0);
    for (int i = 0; i < WORKERS; i++) {
        DWORD code;
        ck_assert(GetExitCodeThread(t[i], &code));
        ck_assert_uint_eq(code, 0);
        CloseHandle(t[i]);
    }
    ck_assert_int_le(most, 2);
    CloseHandle(sem);
}
END_TEST

NTT_MAIN(counts_and_previous_count, over_the_maximum_changes_nothing, bad_arguments,
         limits_concurrency)
