/* Mutexes: recursive for the owner, ERROR_NOT_OWNER for others, initial owner, wait from others. */
#include "tcheck.h"

static HANDLE mtx;

static DWORD WINAPI try_release(LPVOID arg)
{
    (void)arg;
    SetLastError(0);
    BOOL ok = ReleaseMutex(mtx);
    return ok ? 0 : GetLastError();
}

static DWORD WINAPI try_take(LPVOID arg)
{
    DWORD r = WaitForSingleObject(mtx, (DWORD)(UINT_PTR)arg);
    if (r == WAIT_OBJECT_0)
        ReleaseMutex(mtx);
    return r;
}

static DWORD run(LPTHREAD_START_ROUTINE fn, DWORD arg)
{
    HANDLE t = CreateThread(NULL, 0, fn, (LPVOID)(UINT_PTR)arg, 0, NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(WaitForSingleObject(t, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 0;
    ck_assert(GetExitCodeThread(t, &code));
    CloseHandle(t);
    return code;
}

START_TEST(recursive_for_the_owner)
{
    mtx = CreateMutexA(NULL, FALSE, NULL);
    ck_assert_ptr_nonnull(mtx);
    for (int i = 0; i < 3; i++)
        ck_assert_uint_eq(WaitForSingleObject(mtx, 0), WAIT_OBJECT_0);
    ck_assert_uint_eq(run(try_take, 0), WAIT_TIMEOUT);
    ck_assert(ReleaseMutex(mtx));
    ck_assert(ReleaseMutex(mtx));
    ck_assert_uint_eq(run(try_take, 0), WAIT_TIMEOUT); /* still held once */
    ck_assert(ReleaseMutex(mtx));
    ck_assert_uint_eq(run(try_take, 0), WAIT_OBJECT_0);
    SetLastError(0);
    BOOL ok = ReleaseMutex(mtx);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_NOT_OWNER);
    CloseHandle(mtx);
}
END_TEST

START_TEST(release_by_another_thread_is_not_owner)
{
    mtx = CreateMutexA(NULL, TRUE, NULL); /* initially owned by us */
    ck_assert_ptr_nonnull(mtx);
    ck_assert_uint_eq(run(try_release, 0), ERROR_NOT_OWNER);
    ck_assert_uint_eq(run(try_take, 0), WAIT_TIMEOUT);
    ck_assert(ReleaseMutex(mtx));
    ck_assert_uint_eq(run(try_take, NTT_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(mtx);
}
END_TEST

START_TEST(existing_named_mutex_ignores_initial_owner)
{
    char name[64];
    snprintf(name, sizeof(name), "ntt-mutex-own-%lu", (unsigned long)GetTickCount64());
    SetLastError(1234);
    mtx = CreateMutexA(NULL, FALSE, name);
    DWORD err = GetLastError();
    ck_assert_uint_eq(err, 0);
    HANDLE again = CreateMutexA(NULL, TRUE, name);
    err = GetLastError();
    ck_assert_uint_eq(err, ERROR_ALREADY_EXISTS);
    SetLastError(0);
    BOOL ok = ReleaseMutex(again); /* bInitialOwner was ignored */
    err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_NOT_OWNER);
    HANDLE opened = OpenMutexA(SYNCHRONIZE, FALSE, name);
    ck_assert_ptr_nonnull(opened);
    ck_assert_uint_eq(WaitForSingleObject(opened, 0), WAIT_OBJECT_0);
    ck_assert_uint_eq(run(try_take, 0), WAIT_TIMEOUT);
    ck_assert(ReleaseMutex(again)); /* any handle of the owner thread releases it */
    CloseHandle(opened);
    CloseHandle(again);
    CloseHandle(mtx);
}
END_TEST

NTT_MAIN(recursive_for_the_owner, release_by_another_thread_is_not_owner,
         existing_named_mutex_ignores_initial_owner)
