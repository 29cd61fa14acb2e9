/* In-process locks on futexes: critical sections, SRW locks, condition variables, InitOnce. */
#include "sync_int.h"

#include <errno.h>
#include <string.h>

/* The futex word of a pointer-sized lock: its low 32 bits (x86_64 and arm64 are little-endian). */
static _Atomic uint32_t *word_of(void *p)
{
    return (_Atomic uint32_t *)p;
}

/* Sleep while *w == v, until the deadline (NULL: none); TRUE if the deadline has passed. */
static bool sleep_on(_Atomic uint32_t *w, uint32_t v, const struct timespec *deadline)
{
    ntc_futex_wait(w, v, deadline);
    if (!deadline)
        return false;
    uint64_t d = (uint64_t)deadline->tv_sec * 1000000000u + (uint64_t)deadline->tv_nsec;
    return ntc_now_ns() >= d;
}

/* ---- critical sections -------------------------------------------------------------------- */

/*
 * The 40-byte Windows struct holds our state: LockCount is the futex word (0 free, 1 held,
 * 2 held with sleepers), OwningThread the owner's tid, RecursionCount the depth. A zeroed
 * CRITICAL_SECTION is therefore a valid unlocked one (Windows requires Initialize first).
 */
static _Atomic uint32_t *cs_word(LPCRITICAL_SECTION cs)
{
    return (_Atomic uint32_t *)&cs->LockCount;
}

static DWORD cs_owner(LPCRITICAL_SECTION cs)
{
    return (DWORD)(UINT_PTR)__atomic_load_n(&cs->OwningThread, __ATOMIC_RELAXED);
}

static void cs_set_owner(LPCRITICAL_SECTION cs, DWORD tid)
{
    __atomic_store_n(&cs->OwningThread, (HANDLE)(UINT_PTR)tid, __ATOMIC_RELAXED);
}

void WINAPI InitializeCriticalSection(LPCRITICAL_SECTION lpCriticalSection)
{
    memset(lpCriticalSection, 0, sizeof(*lpCriticalSection));
}

BOOL WINAPI InitializeCriticalSectionAndSpinCount(LPCRITICAL_SECTION lpCriticalSection,
                                                  DWORD dwSpinCount)
{
    memset(lpCriticalSection, 0, sizeof(*lpCriticalSection));
    lpCriticalSection->SpinCount = dwSpinCount;
    return TRUE;
}

void WINAPI DeleteCriticalSection(LPCRITICAL_SECTION lpCriticalSection)
{
    (void)lpCriticalSection; /* nothing allocated */
}

BOOL WINAPI TryEnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection)
{
    DWORD me = ntc_gettid();
    if (cs_owner(lpCriticalSection) == me) {
        lpCriticalSection->RecursionCount++;
        return TRUE;
    }
    uint32_t v = 0;
    if (!atomic_compare_exchange_strong_explicit(cs_word(lpCriticalSection), &v, 1,
                                                 memory_order_acquire, memory_order_relaxed))
        return FALSE;
    cs_set_owner(lpCriticalSection, me);
    lpCriticalSection->RecursionCount = 1;
    return TRUE;
}

void WINAPI EnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection)
{
    if (TryEnterCriticalSection(lpCriticalSection))
        return;
    _Atomic uint32_t *w = cs_word(lpCriticalSection);
    for (ULONG_PTR spin = lpCriticalSection->SpinCount & 0xFFFFFF; spin > 0; spin--) {
        __builtin_ia32_pause();
        uint32_t v = 0;
        if (atomic_load_explicit(w, memory_order_relaxed) == 0 &&
            atomic_compare_exchange_weak_explicit(w, &v, 1, memory_order_acquire,
                                                  memory_order_relaxed))
            goto owned;
    }
    /* Classic three-state futex mutex: once we sleep, we take it as "held with sleepers". */
    while (atomic_exchange_explicit(w, 2, memory_order_acquire) != 0)
        ntc_futex_wait(w, 2, NULL);
owned:
    cs_set_owner(lpCriticalSection, ntc_gettid());
    lpCriticalSection->RecursionCount = 1;
}

void WINAPI LeaveCriticalSection(LPCRITICAL_SECTION lpCriticalSection)
{
    if (--lpCriticalSection->RecursionCount > 0)
        return;
    cs_set_owner(lpCriticalSection, 0);
    _Atomic uint32_t *w = cs_word(lpCriticalSection);
    if (atomic_exchange_explicit(w, 0, memory_order_release) == 2)
        ntc_futex_wake(w, 1);
}

/* ---- SRW locks ------------------------------------------------------------------------------ */

/* Reader count in the low bits; a writer that waits keeps new readers out so it cannot starve. */
#define SRW_READERS 0x1FFFFFFFu
#define SRW_WRITER 0x20000000u
#define SRW_WRITER_WAITING 0x40000000u
#define SRW_SLEEPERS 0x80000000u

void WINAPI InitializeSRWLock(PSRWLOCK SRWLock)
{
    SRWLock->Ptr = NULL;
}

BOOLEAN WINAPI TryAcquireSRWLockShared(PSRWLOCK SRWLock)
{
    _Atomic uint32_t *w = word_of(&SRWLock->Ptr);
    uint32_t s = atomic_load_explicit(w, memory_order_relaxed);
    while (!(s & (SRW_WRITER | SRW_WRITER_WAITING)))
        if (atomic_compare_exchange_weak_explicit(w, &s, s + 1, memory_order_acquire,
                                                  memory_order_relaxed))
            return TRUE;
    return FALSE;
}

BOOLEAN WINAPI TryAcquireSRWLockExclusive(PSRWLOCK SRWLock)
{
    _Atomic uint32_t *w = word_of(&SRWLock->Ptr);
    uint32_t s = atomic_load_explicit(w, memory_order_relaxed);
    while (!(s & (SRW_WRITER | SRW_READERS)))
        if (atomic_compare_exchange_weak_explicit(w, &s, (s | SRW_WRITER) & ~SRW_WRITER_WAITING,
                                                  memory_order_acquire, memory_order_relaxed))
            return TRUE;
    return FALSE;
}

void WINAPI AcquireSRWLockShared(PSRWLOCK SRWLock)
{
    _Atomic uint32_t *w = word_of(&SRWLock->Ptr);
    for (;;) {
        if (TryAcquireSRWLockShared(SRWLock))
            return;
        uint32_t s = atomic_load_explicit(w, memory_order_relaxed);
        if (!(s & (SRW_WRITER | SRW_WRITER_WAITING)))
            continue;
        if ((s & SRW_SLEEPERS) ||
            atomic_compare_exchange_weak_explicit(w, &s, s | SRW_SLEEPERS, memory_order_relaxed,
                                                  memory_order_relaxed))
            ntc_futex_wait(w, s | SRW_SLEEPERS, NULL);
    }
}

void WINAPI AcquireSRWLockExclusive(PSRWLOCK SRWLock)
{
    _Atomic uint32_t *w = word_of(&SRWLock->Ptr);
    for (;;) {
        if (TryAcquireSRWLockExclusive(SRWLock))
            return;
        uint32_t s = atomic_load_explicit(w, memory_order_relaxed);
        if (!(s & (SRW_WRITER | SRW_READERS)))
            continue;
        uint32_t want = s | SRW_SLEEPERS | SRW_WRITER_WAITING;
        if (s == want || atomic_compare_exchange_weak_explicit(w, &s, want, memory_order_relaxed,
                                                               memory_order_relaxed))
            ntc_futex_wait(w, want, NULL);
    }
}

void WINAPI ReleaseSRWLockExclusive(PSRWLOCK SRWLock)
{
    _Atomic uint32_t *w = word_of(&SRWLock->Ptr);
    uint32_t s = atomic_fetch_and_explicit(w, ~(SRW_WRITER | SRW_SLEEPERS), memory_order_release);
    if (s & SRW_SLEEPERS)
        ntc_futex_wake(w, INT32_MAX);
}

void WINAPI ReleaseSRWLockShared(PSRWLOCK SRWLock)
{
    _Atomic uint32_t *w = word_of(&SRWLock->Ptr);
    uint32_t s = atomic_load_explicit(w, memory_order_relaxed), n;
    do {
        n = s - 1;
        if ((n & SRW_READERS) == 0)
            n &= ~SRW_SLEEPERS; /* the last reader wakes whoever sleeps (a writer) */
    } while (!atomic_compare_exchange_weak_explicit(w, &s, n, memory_order_release,
                                                    memory_order_relaxed));
    if ((s & SRW_SLEEPERS) && !(n & SRW_SLEEPERS))
        ntc_futex_wake(w, INT32_MAX);
}

/* ---- condition variables ------------------------------------------------------------------ */

/* A sequence number: a wake bumps it, so a sleeper that read it before releasing the lock cannot
 * miss a wake that comes before it sleeps. Spurious wakes are allowed [SleepConditionVariableCS].
 */
void WINAPI InitializeConditionVariable(PCONDITION_VARIABLE ConditionVariable)
{
    ConditionVariable->Ptr = NULL;
}

void WINAPI WakeConditionVariable(PCONDITION_VARIABLE ConditionVariable)
{
    _Atomic uint32_t *w = word_of(&ConditionVariable->Ptr);
    atomic_fetch_add_explicit(w, 1, memory_order_release);
    ntc_futex_wake(w, 1);
}

void WINAPI WakeAllConditionVariable(PCONDITION_VARIABLE ConditionVariable)
{
    _Atomic uint32_t *w = word_of(&ConditionVariable->Ptr);
    atomic_fetch_add_explicit(w, 1, memory_order_release);
    ntc_futex_wake(w, INT32_MAX);
}

static BOOL cv_sleep(PCONDITION_VARIABLE cv, DWORD ms, void (*unlock)(void *), void (*lock)(void *),
                     void *l)
{
    _Atomic uint32_t *w = word_of(&cv->Ptr);
    uint32_t seq = atomic_load_explicit(w, memory_order_acquire);
    struct timespec ts;
    if (ms != INFINITE)
        ntc_deadline_from_ms(&ts, ms);
    unlock(l);
    bool timed_out = sleep_on(w, seq, ms == INFINITE ? NULL : &ts);
    lock(l);
    if (timed_out && atomic_load_explicit(w, memory_order_relaxed) == seq) {
        SetLastError(ERROR_TIMEOUT);
        return FALSE;
    }
    return TRUE;
}

static void cs_unlock(void *l)
{
    LeaveCriticalSection(l);
}
static void cs_lock(void *l)
{
    EnterCriticalSection(l);
}
static void srw_unlock_x(void *l)
{
    ReleaseSRWLockExclusive(l);
}
static void srw_lock_x(void *l)
{
    AcquireSRWLockExclusive(l);
}
static void srw_unlock_s(void *l)
{
    ReleaseSRWLockShared(l);
}
static void srw_lock_s(void *l)
{
    AcquireSRWLockShared(l);
}

BOOL WINAPI SleepConditionVariableCS(PCONDITION_VARIABLE ConditionVariable,
                                     PCRITICAL_SECTION CriticalSection, DWORD dwMilliseconds)
{
    return cv_sleep(ConditionVariable, dwMilliseconds, cs_unlock, cs_lock, CriticalSection);
}

BOOL WINAPI SleepConditionVariableSRW(PCONDITION_VARIABLE ConditionVariable, PSRWLOCK SRWLock,
                                      DWORD dwMilliseconds, ULONG Flags)
{
    if (Flags & CONDITION_VARIABLE_LOCKMODE_SHARED)
        return cv_sleep(ConditionVariable, dwMilliseconds, srw_unlock_s, srw_lock_s, SRWLock);
    return cv_sleep(ConditionVariable, dwMilliseconds, srw_unlock_x, srw_lock_x, SRWLock);
}

/* ---- InitOnce ------------------------------------------------------------------------------- */

/* Ptr: 0 not done, 1 running, (context & ~3) | 2 done; waiters sleep on its low 32 bits. */
#define ONCE_RUNNING 1u
#define ONCE_DONE 2u

void WINAPI InitOnceInitialize(PINIT_ONCE InitOnce)
{
    InitOnce->Ptr = NULL;
}

BOOL WINAPI InitOnceExecuteOnce(PINIT_ONCE InitOnce, PINIT_ONCE_FN InitFn, PVOID Parameter,
                                LPVOID *Context)
{
    for (;;) {
        UINT_PTR v = (UINT_PTR)__atomic_load_n(&InitOnce->Ptr, __ATOMIC_ACQUIRE);
        if (v & ONCE_DONE) {
            if (Context)
                *Context = (PVOID)(v & ~(UINT_PTR)3);
            return TRUE;
        }
        if (v == 0) {
            PVOID expect = NULL;
            if (!__atomic_compare_exchange_n(&InitOnce->Ptr, &expect, (PVOID)(UINT_PTR)ONCE_RUNNING,
                                             false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
                continue;
            PVOID ctx = NULL;
            BOOL ok = InitFn(InitOnce, Parameter, &ctx);
            /* A failed InitFn leaves it not done, so a later call tries again
             * [InitOnceExecuteOnce]. */
            UINT_PTR done = ok ? (((UINT_PTR)ctx & ~(UINT_PTR)3) | ONCE_DONE) : 0;
            __atomic_store_n(&InitOnce->Ptr, (PVOID)done, __ATOMIC_RELEASE);
            ntc_futex_wake(word_of(&InitOnce->Ptr), INT32_MAX);
            if (!ok)
                return FALSE;
            if (Context)
                *Context = (PVOID)(done & ~(UINT_PTR)3);
            return TRUE;
        }
        ntc_futex_wait(word_of(&InitOnce->Ptr), ONCE_RUNNING, NULL);
    }
}
