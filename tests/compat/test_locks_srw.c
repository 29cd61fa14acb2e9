/* SRW locks: readers share, a writer excludes everyone, SRWLOCK_INIT works without Initialize. */
#include "tcheck.h"

static SRWLOCK lock = SRWLOCK_INIT;
static HANDLE both_in, release;
static volatile LONG readers_in;

static DWORD WINAPI reader(LPVOID arg)
{
    (void)arg;
    AcquireSRWLockShared(&lock);
    if (InterlockedIncrement(&readers_in) == 2)
        SetEvent(both_in);
    /* Both readers hold the lock at once, or this wait would time out. */
    DWORD r = WaitForSingleObject(release, NTT_WAIT_MS);
    ReleaseSRWLockShared(&lock);
    return r;
}

START_TEST(readers_share)
{
    both_in = CreateEventA(NULL, TRUE, FALSE, NULL);
    release = CreateEventA(NULL, TRUE, FALSE, NULL);
    readers_in = 0;
    HANDLE t[2];
    for (int i = 0; i < 2; i++)
        t[i] = CreateThread(NULL, 0, reader, NULL, 0, NULL);
    ck_assert_uint_eq(WaitForSingleObject(both_in, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(!TryAcquireSRWLockExclusive(&lock));
    ck_assert(SetEvent(release));
    ck_assert_uint_eq(WaitForMultipleObjects(2, t, TRUE, NTT_WAIT_MS), WAIT_OBJECT_0);
    for (int i = 0; i < 2; i++) {
        DWORD code;
        GetExitCodeThread(t[i], &code);
        ck_assert_uint_eq(code, WAIT_OBJECT_0);
        CloseHandle(t[i]);
    }
    ck_assert(TryAcquireSRWLockExclusive(&lock));
    ReleaseSRWLockExclusive(&lock);
    CloseHandle(both_in);
    CloseHandle(release);
}
END_TEST

static DWORD WINAPI try_both(LPVOID arg)
{
    (void)arg;
    DWORD r = 0;
    if (TryAcquireSRWLockShared(&lock)) {
        ReleaseSRWLockShared(&lock);
        r |= 1;
    }
    if (TryAcquireSRWLockExclusive(&lock)) {
        ReleaseSRWLockExclusive(&lock);
        r |= 2;
    }
    return r;
}

START_TEST(writer_excludes)
{
    SRWLOCK l2;
    InitializeSRWLock(&l2);
    AcquireSRWLockExclusive(&l2);
    ReleaseSRWLockExclusive(&l2);
    AcquireSRWLockExclusive(&lock);
    HANDLE t = CreateThread(NULL, 0, try_both, NULL, 0, NULL);
    ck_assert_uint_eq(WaitForSingleObject(t, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 99;
    GetExitCodeThread(t, &code);
    ck_assert_uint_eq(code, 0);
    CloseHandle(t);
    ReleaseSRWLockExclusive(&lock);
    AcquireSRWLockShared(&lock);
    t = CreateThread(NULL, 0, try_both, NULL, 0, NULL);
    ck_assert_uint_eq(WaitForSingleObject(t, NTT_WAIT_MS), WAIT_OBJECT_0);
    GetExitCodeThread(t, &code);
    ck_assert_uint_eq(code, 1); /* shared yes, exclusive no */
    CloseHandle(t);
    ReleaseSRWLockShared(&lock);
}
END_TEST

#define THREADS 4
#define ROUNDS 20000
static long value;
static volatile LONG reads_ok;

static DWORD WINAPI mixed(LPVOID arg)
{
    int id = (int)(UINT_PTR)arg;
    for (int i = 0; i < ROUNDS; i++) {
        if ((i + id) % 4 == 0) {
            AcquireSRWLockExclusive(&lock);
            value += 2;
            ReleaseSRWLockExclusive(&lock);
        } else {
            AcquireSRWLockShared(&lock);
            if (value % 2 == 0)
                InterlockedIncrement(&reads_ok);
            ReleaseSRWLockShared(&lock);
        }
    }
    return 0;
}

START_TEST(exclusive_updates_are_not_lost)
{
    value = 0;
    HANDLE t[THREADS];
    for (int i = 0; i < THREADS; i++)
        t[i] = CreateThread(NULL, 0, mixed, (LPVOID)(UINT_PTR)i, 0, NULL);
    ck_assert_uint_eq(WaitForMultipleObjects(THREADS, t, TRUE, NTT_WAIT_MS), WAIT_OBJECT_0);
    for (int i = 0; i < THREADS; i++)
        CloseHandle(t[i]);
    ck_assert_int_eq(value, 2L * THREADS * ROUNDS / 4);
}
END_TEST

NTT_MAIN(readers_share, writer_excludes, exclusive_updates_are_not_lost)
