/* Time and system information: Sleep, tick counts, performance counter, system time, GetSystemInfo.
 */
#include "sync_int.h"

#include <errno.h>
#include <sched.h>
#include <unistd.h>

/* compat/ has no APCs: an alertable sleep is an ordinary sleep and never returns
 * WAIT_IO_COMPLETION [SleepEx]. */
DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable)
{
    (void)bAlertable;
    if (dwMilliseconds == INFINITE) {
        for (;;)
            pause();
    }
    struct timespec ts;
    ntc_deadline_from_ms(&ts, dwMilliseconds);
    int saved = errno;
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
    errno = saved;
    return 0;
}

void WINAPI Sleep(DWORD dwMilliseconds)
{
    if (dwMilliseconds == 0) {
        sched_yield(); /* Sleep(0) gives up the rest of the time slice */
        return;
    }
    SleepEx(dwMilliseconds, FALSE);
}

ULONGLONG WINAPI GetTickCount64(void)
{
    return ntc_now_ns() / 1000000u;
}

DWORD WINAPI GetTickCount(void)
{
    return (DWORD)GetTickCount64(); /* wraps after 49.7 days, as on Windows */
}

/* The counter is the monotonic clock in nanoseconds. */
BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER *lpPerformanceCount)
{
    lpPerformanceCount->QuadPart = (LONGLONG)ntc_now_ns();
    return TRUE;
}

BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER *lpFrequency)
{
    lpFrequency->QuadPart = 1000000000;
    return TRUE;
}

/* 100-ns intervals between 1601-01-01 and 1970-01-01. */
#define EPOCH_DIFF 116444736000000000ull

void WINAPI GetSystemTimeAsFileTime(LPFILETIME lpSystemTimeAsFileTime)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ULONGLONG t = EPOCH_DIFF + (ULONGLONG)ts.tv_sec * 10000000u + (ULONGLONG)ts.tv_nsec / 100u;
    lpSystemTimeAsFileTime->dwLowDateTime = (DWORD)t;
    lpSystemTimeAsFileTime->dwHighDateTime = (DWORD)(t >> 32);
}

void WINAPI GetSystemInfo(LPSYSTEM_INFO lpSystemInfo)
{
    SYSTEM_INFO si = {0};
#if defined(__aarch64__)
    si.wProcessorArchitecture = PROCESSOR_ARCHITECTURE_ARM64;
#else
    si.wProcessorArchitecture = PROCESSOR_ARCHITECTURE_AMD64;
#endif
    si.dwPageSize = (DWORD)sysconf(_SC_PAGESIZE);
    si.lpMinimumApplicationAddress = (LPVOID)(UINT_PTR)0x10000;
    si.lpMaximumApplicationAddress = (LPVOID)(UINT_PTR)0x7ffffffeffffull;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    si.dwNumberOfProcessors = n > 0 ? (DWORD)n : 1;
    si.dwActiveProcessorMask = si.dwNumberOfProcessors >= 64
                                   ? ~(DWORD_PTR)0
                                   : ((DWORD_PTR)1 << si.dwNumberOfProcessors) - 1;
    si.dwProcessorType = 8664; /* PROCESSOR_AMD_X8664 */
    /* Windows reserves address space in 64 KiB units [SYSTEM_INFO]; callers align views to it. */
    si.dwAllocationGranularity = 65536;
    si.wProcessorLevel = 6;
    *lpSystemInfo = si;
}
