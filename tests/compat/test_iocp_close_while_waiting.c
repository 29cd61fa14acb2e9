/* Closing a port while a thread waits on it releases the thread with ERROR_ABANDONED_WAIT_0. */
#include "tcheck.h"

struct arg {
    HANDLE port;
    HANDLE about_to_wait;
    BOOL ok;
    DWORD error;
    LPOVERLAPPED ov;
};

static DWORD WINAPI waiter(LPVOID p)
{
    struct arg *a = p;
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED dummy;
    a->ov = &dummy;
    SetEvent(a->about_to_wait);
    /* Shorter than NTT_WAIT_MS: Wine never releases this wait, so it runs out. */
    a->ok = GetQueuedCompletionStatus(a->port, &bytes, &key, &a->ov, 3000);
    a->error = GetLastError();
    return 0;
}

START_TEST(close_releases_waiter)
{
    struct arg a = {CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0),
                    CreateEventA(NULL, TRUE, FALSE, NULL), TRUE, 0, NULL};
    ck_assert_ptr_nonnull(a.port);
    HANDLE th = CreateThread(NULL, 0, waiter, &a, 0, NULL);
    ck_assert_ptr_nonnull(th);
    ck_assert_uint_eq(WaitForSingleObject(a.about_to_wait, NTT_WAIT_MS), WAIT_OBJECT_0);
    Sleep(200); /* let it block inside GetQueuedCompletionStatus: nothing can observe that */
    ck_assert(CloseHandle(a.port));
    ck_assert_uint_eq(WaitForSingleObject(th, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(!a.ok);
    ck_assert_ptr_null(a.ov);
    NTT_WINE_DIVERGES(a.error == ERROR_ABANDONED_WAIT_0, a.error == WAIT_TIMEOUT,
                      "[GetQueuedCompletionStatus] closing the port while a call is outstanding "
                      "fails it with ERROR_ABANDONED_WAIT_0; Wine keeps waiting until the timeout");
    CloseHandle(th);
    CloseHandle(a.about_to_wait);
}
END_TEST

NTT_MAIN(close_releases_waiter)
