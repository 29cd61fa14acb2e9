/* Publishing overlapped results (ntc_io_*), GetOverlappedResult, and CancelIo/CancelIoEx dispatch.
 */
#include "iocp.h"

#include <pthread.h>

/*
 * GetOverlappedResult(bWait) without an event waits here until Internal leaves STATUS_PENDING.
 * Completers only take the lock when someone waits: a waiter counts itself in before it checks
 * Internal, and a completer writes Internal before it reads the count (both sequentially
 * consistent), so either the waiter sees the result or the completer sees the waiter.
 */
static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;
static atomic_int done_waiters;

static ULONG_PTR load_status(LPOVERLAPPED ov)
{
    return __atomic_load_n(&ov->Internal, __ATOMIC_SEQ_CST);
}

void ntc_io_begin(LPOVERLAPPED ov)
{
    __atomic_store_n(&ov->InternalHigh, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&ov->Internal, (ULONG_PTR)STATUS_PENDING, __ATOMIC_RELEASE);
}

void ntc_io_complete(struct ntc_io_target *t, LPOVERLAPPED ov, DWORD error, DWORD bytes,
                     BOOL synchronous)
{
    /* Everything needed from ov is read before publishing: once Internal changes, the caller's
     * thread may free or reuse it. */
    UINT_PTR ev = (UINT_PTR)ov->hEvent;
    HANDLE event = (HANDLE)(ev & ~(UINT_PTR)1);
    struct ntc_object *port = NULL;
    ULONG_PTR key = 0;
    ULONG_PTR status = ntc_status_from_error(error);
    /* hEvent with its low bit set asks for no packet [GetQueuedCompletionStatus]. */
    if (t && !(ev & 1)) {
        port = atomic_load_explicit(&t->port, memory_order_acquire);
        bool skip = synchronous && error == ERROR_SUCCESS &&
                    (atomic_load_explicit(&t->modes, memory_order_acquire) &
                     FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
        if (port && !skip) {
            ntc_object_ref(port);
            key = t->key;
        } else {
            port = NULL;
        }
    }
    __atomic_store_n(&ov->InternalHigh, (ULONG_PTR)bytes, __ATOMIC_RELAXED);
    __atomic_store_n(&ov->Internal, status, __ATOMIC_SEQ_CST);
    /* If the owner closes the event right after seeing Internal change, SetEvent on the stale value
     * fails harmlessly: handle values carry a generation. */
    if (event) {
        DWORD saved = GetLastError();
        SetEvent(event);
        SetLastError(saved);
    }
    if (atomic_load_explicit(&done_waiters, memory_order_seq_cst) > 0) {
        pthread_mutex_lock(&done_lock);
        pthread_cond_broadcast(&done_cond);
        pthread_mutex_unlock(&done_lock);
    }
    if (port) {
        DWORD saved = GetLastError();
        ntc_port_post(port, key, ov, status, bytes);
        SetLastError(saved);
        ntc_object_unref(port);
    }
}

static ULONG_PTR wait_done(LPOVERLAPPED ov)
{
    ULONG_PTR st;
    pthread_mutex_lock(&done_lock);
    atomic_fetch_add_explicit(&done_waiters, 1, memory_order_seq_cst);
    while ((st = load_status(ov)) == STATUS_PENDING)
        pthread_cond_wait(&done_cond, &done_lock);
    atomic_fetch_sub_explicit(&done_waiters, 1, memory_order_seq_cst);
    pthread_mutex_unlock(&done_lock);
    return st;
}

BOOL WINAPI GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                LPDWORD lpNumberOfBytesTransferred, BOOL bWait)
{
    (void)hFile; /* compat/ waits on the OVERLAPPED itself, never on the file handle */
    if (!lpOverlapped || !lpNumberOfBytesTransferred) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    ULONG_PTR st = load_status(lpOverlapped);
    if (st == STATUS_PENDING) {
        if (!bWait) {
            SetLastError(ERROR_IO_INCOMPLETE);
            return FALSE;
        }
        HANDLE event = (HANDLE)((UINT_PTR)lpOverlapped->hEvent & ~(UINT_PTR)1);
        if (event && WaitForSingleObject(event, INFINITE) == WAIT_FAILED)
            return FALSE;
        /* The event is set only after Internal, so this returns at once unless someone else set
         * the event early. */
        st = wait_done(lpOverlapped);
    }
    *lpNumberOfBytesTransferred =
        (DWORD)__atomic_load_n(&lpOverlapped->InternalHigh, __ATOMIC_RELAXED);
    if (st != STATUS_SUCCESS) {
        SetLastError(ntc_error_from_status(st));
        return FALSE;
    }
    return TRUE;
}

static BOOL cancel(HANDLE hFile, LPOVERLAPPED ov, BOOL this_thread_only, BOOL not_found_fails)
{
    struct ntc_object *o = ntc_handle_get(hFile, NTC_T_NONE);
    if (!o)
        return FALSE;
    if (!o->ops->cancel) {
        ntc_object_unref(o);
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    BOOL found = o->ops->cancel(o, ov, this_thread_only);
    ntc_object_unref(o);
    if (!found && not_found_fails) {
        SetLastError(ERROR_NOT_FOUND);
        return FALSE;
    }
    return TRUE;
}

/* CancelIo succeeds when there is nothing to cancel; only CancelIoEx reports ERROR_NOT_FOUND
 * [CancelIo; CancelIoEx]. */
BOOL WINAPI CancelIo(HANDLE hFile)
{
    return cancel(hFile, NULL, TRUE, FALSE);
}

BOOL WINAPI CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped)
{
    return cancel(hFile, lpOverlapped, FALSE, TRUE);
}
