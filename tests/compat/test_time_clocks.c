/* Time: monotonic tick counts, the performance counter, system time after 2020, GetSystemInfo. */
#include "tcheck.h"

START_TEST(ticks_are_monotonic_and_follow_sleep)
{
    ULONGLONG a = GetTickCount64();
    DWORD a32 = GetTickCount();
    Sleep(60);
    ULONGLONG b = GetTickCount64();
    ck_assert_uint_ge(b, a + 40); /* Windows ticks are ~16 ms coarse */
    ck_assert_uint_ge((DWORD)(GetTickCount() - a32), 40);
    for (int i = 0; i < 1000; i++) {
        ULONGLONG c = GetTickCount64();
        ck_assert_uint_ge(c, b);
        b = c;
    }
}
END_TEST

START_TEST(performance_counter)
{
    LARGE_INTEGER f, a, b;
    ck_assert(QueryPerformanceFrequency(&f));
    ck_assert_int_gt(f.QuadPart, 0);
    ck_assert(QueryPerformanceCounter(&a));
    Sleep(30);
    ck_assert(QueryPerformanceCounter(&b));
    ck_assert_int_ge((b.QuadPart - a.QuadPart) * 1000 / f.QuadPart, 29);
}
END_TEST

START_TEST(system_time_is_plausible)
{
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    ULONGLONG t = ((ULONGLONG)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    /* 2020-01-01 is 132223104000000000 in 100 ns since 1601; 2100 is far above. */
    ck_assert_uint_gt(t, 132223104000000000ULL);
    ck_assert_uint_lt(t, 157469184000000000ULL);
}
END_TEST

START_TEST(system_info)
{
    SYSTEM_INFO si;
    memset(&si, 0xAB, sizeof(si));
    GetSystemInfo(&si);
    ck_assert_uint_ge(si.dwPageSize, 4096);
    ck_assert_uint_eq(si.dwPageSize & (si.dwPageSize - 1), 0);
    ck_assert_uint_eq(si.dwAllocationGranularity, 65536);
    ck_assert_uint_ge(si.dwNumberOfProcessors, 1);
    ck_assert_uint_eq(si.wProcessorArchitecture, PROCESSOR_ARCHITECTURE_AMD64);
}
END_TEST

START_TEST(sleep_zero_and_sleep_ex)
{
    Sleep(0);
    ULONGLONG a = GetTickCount64();
    ck_assert_uint_eq(SleepEx(30, FALSE), 0);
    ck_assert_uint_eq(SleepEx(1, TRUE), 0); /* nothing queued: no WAIT_IO_COMPLETION */
    ck_assert_uint_ge(GetTickCount64() - a, 15);
}
END_TEST

NTT_MAIN(ticks_are_monotonic_and_follow_sleep, performance_counter, system_time_is_plausible,
         system_info, sleep_zero_and_sleep_ex)
