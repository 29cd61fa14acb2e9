/* Threads: CreateThread, exit codes, waitable thread handles, and the mutexes a thread owns. */
#include "sync_int.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct thread_obj {
    struct ntc_object obj;
    struct ntc_sync *done; /* NOTIFY: signalled when the thread has ended */
    LPTHREAD_START_ROUTINE fn;
    void *arg;
    _Atomic DWORD tid;
    _Atomic DWORD exit_code;
    _Atomic uint32_t started; /* the new thread has published its tid */
    _Atomic uint32_t suspend; /* CREATE_SUSPENDED: the start routine waits until this is 0 */
    /* Touched only by the thread itself: the mutexes it owns (each with a reference). */
    struct ntc_object **owned;
    size_t nowned, capowned;
};

static void thread_destroy(struct ntc_object *o)
{
    struct thread_obj *t = (struct thread_obj *)o;
    ntc_sync_free_notify(t->done);
    free(t->owned);
    free(t);
}

static struct ntc_sync *thread_sync(struct ntc_object *o)
{
    return ((struct thread_obj *)o)->done;
}

const struct ntc_ops ntc_thread_ops = {
    .type = NTC_T_THREAD,
    .name = "thread",
    .destroy = thread_destroy,
    .sync = thread_sync,
};

static _Thread_local struct thread_obj *self;
static pthread_key_t end_key;
static pthread_once_t end_once = PTHREAD_ONCE_INIT;

/*
 * Runs as every thread known to compat/ ends (returning, ExitThread, pthread_exit; not at process
 * exit): abandons the mutexes it still owns, publishes the exit code and signals its handle. A TLS
 * destructor covers threads that CreateThread did not start too.
 */
static void thread_end(void *p)
{
    struct thread_obj *t = p;
    uint32_t pid = ntc_getpid(), tid = ntc_gettid();
    for (size_t i = 0; i < t->nowned; i++) {
        struct ntc_sync *s = t->owned[i]->ops->sync(t->owned[i]);
        ntc_plock(&s->lock);
        bool mine = s->count > 0 && s->owner_pid == pid && s->owner_tid == tid;
        if (mine)
            ntc_mutex_abandon_locked(s);
        ntc_punlock(&s->lock);
        if (mine)
            ntc_sync_changed(s);
        ntc_object_unref(t->owned[i]);
    }
    t->nowned = 0;
    /* A thread CreateThread did not start has no return value to report: it ends with 0. */
    DWORD active = STILL_ACTIVE;
    if (!t->fn)
        atomic_compare_exchange_strong(&t->exit_code, &active, 0);
    self = NULL;
    ntc_sync_notify(t->done);
    ntc_object_unref(&t->obj);
}

static void make_key(void)
{
    if (pthread_key_create(&end_key, thread_end) != 0)
        abort();
}

static struct thread_obj *thread_new(void)
{
    struct thread_obj *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->done = ntc_sync_new_notify();
    if (!t->done) {
        free(t);
        return NULL;
    }
    ntc_object_init(&t->obj, &ntc_thread_ops);
    atomic_init(&t->exit_code, STILL_ACTIVE);
    return t;
}

/* Make t the current thread's object: its reference is dropped by thread_end. */
static void adopt(struct thread_obj *t)
{
    pthread_once(&end_once, make_key);
    self = t;
    atomic_store_explicit(&t->tid, ntc_gettid(), memory_order_relaxed);
    pthread_setspecific(end_key, t);
}

static struct thread_obj *current(void)
{
    if (!self) {
        struct thread_obj *t = thread_new();
        if (!t)
            abort(); /* nothing sensible to return for the current thread */
        adopt(t);
    }
    return self;
}

struct ntc_object *ntc_thread_self(void)
{
    struct thread_obj *t = current();
    ntc_object_ref(&t->obj);
    return &t->obj;
}

void ntc_thread_owns_mutex(struct ntc_object *mutex)
{
    struct thread_obj *t = current();
    if (t->nowned == t->capowned) {
        size_t cap = t->capowned ? t->capowned * 2 : 8;
        struct ntc_object **n = realloc(t->owned, cap * sizeof(*n));
        if (!n)
            return; /* out of memory: this mutex is then not abandoned if the thread dies */
        t->owned = n;
        t->capowned = cap;
    }
    ntc_object_ref(mutex);
    t->owned[t->nowned++] = mutex;
}

void ntc_thread_disowns_mutex(struct ntc_object *mutex)
{
    struct thread_obj *t = current();
    for (size_t i = t->nowned; i-- > 0;) {
        if (t->owned[i] == mutex) {
            t->owned[i] = t->owned[--t->nowned];
            ntc_object_unref(mutex);
            return;
        }
    }
}

static void *thread_main(void *arg)
{
    struct thread_obj *t = arg;
    adopt(t);
    atomic_store_explicit(&t->started, 1, memory_order_release);
    ntc_futex_wake(&t->started, 1);
    uint32_t s;
    while ((s = atomic_load_explicit(&t->suspend, memory_order_acquire)) != 0)
        ntc_futex_wait(&t->suspend, s, NULL);
    DWORD code = t->fn(t->arg);
    atomic_store_explicit(&t->exit_code, code, memory_order_release);
    return NULL; /* thread_end runs as the TLS destructor */
}

static size_t stack_size(SIZE_T want)
{
    size_t ps = (size_t)sysconf(_SC_PAGESIZE);
    size_t n = ((size_t)want + ps - 1) & ~(ps - 1);
    return n < (size_t)PTHREAD_STACK_MIN ? (size_t)PTHREAD_STACK_MIN : n;
}

/*
 * dwStackSize is honoured as the size of the whole stack whether it names the commit size or the
 * reservation (STACK_SIZE_PARAM_IS_A_RESERVATION): pthreads has one size. 0 keeps the pthread
 * default (8 MiB on glibc, more than Windows's 1 MiB). CREATE_SUSPENDED holds the thread at a gate
 * before its start routine until ResumeThread.
 */
HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES lpThreadAttributes, SIZE_T dwStackSize,
                           LPTHREAD_START_ROUTINE lpStartAddress, LPVOID lpParameter,
                           DWORD dwCreationFlags, LPDWORD lpThreadId)
{
    if (!lpStartAddress) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    struct thread_obj *t = thread_new();
    if (!t) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    t->fn = lpStartAddress;
    t->arg = lpParameter;
    atomic_init(&t->suspend, (dwCreationFlags & CREATE_SUSPENDED) ? 1 : 0);
    ntc_object_ref(&t->obj); /* the thread's own reference */
    HANDLE h = ntc_handle_alloc(&t->obj, lpThreadAttributes && lpThreadAttributes->bInheritHandle);
    if (!h) {
        ntc_object_unref(&t->obj);
        ntc_object_unref(&t->obj);
        return NULL;
    }
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (dwStackSize)
        pthread_attr_setstacksize(&attr, stack_size(dwStackSize));
    pthread_t pt;
    int e = pthread_create(&pt, &attr, thread_main, t);
    pthread_attr_destroy(&attr);
    if (e) {
        ntc_object_unref(&t->obj);
        ntc_handle_close(h);
        SetLastError(e == EAGAIN ? ERROR_NOT_ENOUGH_MEMORY : ntc_win32_from_errno(e));
        return NULL;
    }
    /* lpThreadId is the kernel tid, which only the new thread knows. */
    while (!atomic_load_explicit(&t->started, memory_order_acquire))
        ntc_futex_wait(&t->started, 0, NULL);
    if (lpThreadId)
        *lpThreadId = atomic_load_explicit(&t->tid, memory_order_relaxed);
    return h;
}

DWORD WINAPI ResumeThread(HANDLE hThread)
{
    struct ntc_object *o = ntc_handle_get(hThread, NTC_T_THREAD);
    if (!o)
        return (DWORD)-1;
    struct thread_obj *t = (struct thread_obj *)o;
    uint32_t prev = atomic_load_explicit(&t->suspend, memory_order_relaxed);
    while (prev > 0 &&
           !atomic_compare_exchange_weak_explicit(&t->suspend, &prev, prev - 1,
                                                  memory_order_release, memory_order_relaxed))
        ;
    if (prev == 1)
        ntc_futex_wake(&t->suspend, 1);
    ntc_object_unref(o);
    return prev;
}

void WINAPI ExitThread(DWORD dwExitCode)
{
    atomic_store_explicit(&current()->exit_code, dwExitCode, memory_order_release);
    pthread_exit(NULL);
}

BOOL WINAPI GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode)
{
    struct ntc_object *o = ntc_handle_get(hThread, NTC_T_THREAD);
    if (!o)
        return FALSE;
    struct thread_obj *t = (struct thread_obj *)o;
    /* The code is final once the handle is signalled; before that STILL_ACTIVE [GetExitCodeThread].
     */
    DWORD code = ntc_sync_is_signaled(t->done)
                     ? atomic_load_explicit(&t->exit_code, memory_order_acquire)
                     : STILL_ACTIVE;
    ntc_object_unref(o);
    if (!lpExitCode) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    *lpExitCode = code;
    return TRUE;
}

DWORD WINAPI GetCurrentThreadId(void)
{
    return ntc_gettid();
}

HANDLE WINAPI GetCurrentThread(void)
{
    return (HANDLE)(LONG_PTR)-2;
}

DWORD WINAPI GetThreadId(HANDLE Thread)
{
    struct ntc_object *o = ntc_handle_get(Thread, NTC_T_THREAD);
    if (!o)
        return 0;
    DWORD tid = atomic_load_explicit(&((struct thread_obj *)o)->tid, memory_order_relaxed);
    ntc_object_unref(o);
    return tid;
}
