/* Threads waiting on a port are released last-in first-out: the most recent waiter gets the packet.
 */
#include "tcheck.h"

#define NWAITERS 3

struct waiter_arg {
    HANDLE port;
    HANDLE about_to_wait; /* set just before GetQueuedCompletionStatus */
    HANDLE woke;          /* set when a packet was received */
    LONG index;
    volatile LONG *winner; /* index of the thread that took the last packet */
};

static DWORD WINAPI waiter(LPVOID p)
{
    struct waiter_arg *a = p;
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED ov;
    SetEvent(a->about_to_wait);
    if (!GetQueuedCompletionStatus(a->port, &bytes, &key, &ov, NTT_WAIT_MS))
        return 1;
    InterlockedExchange(a->winner, a->index);
    SetEvent(a->woke);
    return 0;
}

START_TEST(most_recent_waiter_first)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    ck_assert_ptr_nonnull(port);
    volatile LONG winner = -1;
    struct waiter_arg a[NWAITERS];
    HANDLE th[NWAITERS];
    HANDLE woke = CreateEventA(NULL, FALSE, FALSE, NULL);
    for (LONG i = 0; i < NWAITERS; i++) {
        a[i] = (struct waiter_arg){port, CreateEventA(NULL, FALSE, FALSE, NULL), woke, i, &winner};
        th[i] = CreateThread(NULL, 0, waiter, &a[i], 0, NULL);
        ck_assert_ptr_nonnull(th[i]);
        ck_assert_uint_eq(WaitForSingleObject(a[i].about_to_wait, NTT_WAIT_MS), WAIT_OBJECT_0);
        /* Nothing can tell that a thread is blocked inside GetQueuedCompletionStatus: leave it a
         * generous moment to get there after it said it was about to. */
        Sleep(200);
    }
    int lifo = 1, fifo = 1;
    for (LONG k = 0; k < NWAITERS; k++) {
        ck_assert(PostQueuedCompletionStatus(port, 0, (ULONG_PTR)k, NULL));
        ck_assert_uint_eq(WaitForSingleObject(woke, NTT_WAIT_MS), WAIT_OBJECT_0);
        LONG w = InterlockedCompareExchange(&winner, -1, -1);
        lifo &= (w == NWAITERS - 1 - k);
        fifo &= (w == k);
    }
    NTT_WINE_DIVERGES(lifo, fifo,
                      "[I/O Completion Ports] threads blocked on a port are released LIFO; "
                      "Wine's server wakes its waiters in arrival order");
    for (int i = 0; i < NWAITERS; i++) {
        ck_assert_uint_eq(WaitForSingleObject(th[i], NTT_WAIT_MS), WAIT_OBJECT_0);
        DWORD code = 99;
        ck_assert(GetExitCodeThread(th[i], &code));
        ck_assert_uint_eq(code, 0);
        CloseHandle(th[i]);
        CloseHandle(a[i].about_to_wait);
    }
    CloseHandle(woke);
    ck_assert(CloseHandle(port));
}
END_TEST

NTT_MAIN(most_recent_waiter_first)
