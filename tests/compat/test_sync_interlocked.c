/* The Interlocked family: results, and atomicity under contention. */
#include "tcheck.h"

START_TEST(results)
{
    LONG v = 5;
    ck_assert_int_eq(InterlockedIncrement(&v), 6);
    ck_assert_int_eq(InterlockedDecrement(&v), 5);
    ck_assert_int_eq(InterlockedExchange(&v, 9), 5);
    ck_assert_int_eq(InterlockedExchangeAdd(&v, 3), 9);
    ck_assert_int_eq(v, 12);
    ck_assert_int_eq(InterlockedCompareExchange(&v, 1, 11), 12);
    ck_assert_int_eq(v, 12);
    ck_assert_int_eq(InterlockedCompareExchange(&v, 1, 12), 12);
    ck_assert_int_eq(v, 1);
    LONG64 w = 1LL << 40;
    ck_assert(InterlockedIncrement64(&w) == (1LL << 40) + 1);
    ck_assert(InterlockedExchangeAdd64(&w, 1) == (1LL << 40) + 1);
    ck_assert(InterlockedCompareExchange64(&w, 0, (1LL << 40) + 2) == (1LL << 40) + 2);
    ck_assert(w == 0);
    PVOID p = NULL;
    ck_assert_ptr_null(InterlockedCompareExchangePointer(&p, &v, NULL));
    ck_assert_ptr_eq(p, &v);
    ck_assert_ptr_eq(InterlockedExchangePointer(&p, NULL), &v);
}
END_TEST

#define THREADS 4
#define ROUNDS 100000
static volatile LONG counter;

static DWORD WINAPI bump(LPVOID arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++)
        InterlockedIncrement(&counter);
    return 0;
}

START_TEST(atomic_under_contention)
{
    HANDLE t[THREADS];
    for (int i = 0; i < THREADS; i++)
        t[i] = CreateThread(NULL, 0, bump, NULL, 0, NULL);
    ck_assert_uint_eq(WaitForMultipleObjects(THREADS, t, TRUE, NTT_WAIT_MS), WAIT_OBJECT_0);
    for (int i = 0; i < THREADS; i++)
        CloseHandle(t[i]);
    ck_assert_int_eq(counter, THREADS * ROUNDS);
}
END_TEST

NTT_MAIN(results, atomic_under_contention)
