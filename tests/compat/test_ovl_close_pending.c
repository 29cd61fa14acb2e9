/* closesocket with overlapped operations pending completes each of them with an error. */
#include <winsock2.h>
#include <windows.h>
#include "tcheck.h"
#include "tnet.h"

/* Windows often reports ERROR_NETNAME_DELETED where compat/ says ERROR_OPERATION_ABORTED
 * [closesocket]: both mean "closed". */
static int closed_error(DWORD e)
{
    return e == ERROR_OPERATION_ABORTED || e == ERROR_NETNAME_DELETED;
}

#define ERROR_HANDLES_CLOSED_ 676 /* what Wine reports */
#define ASSERT_CLOSED_ERROR(e)                                                                     \
    NTT_WINE_DIVERGES(closed_error(e), closed_error(e) || (e) == ERROR_HANDLES_CLOSED_,            \
                      "[closesocket] pending overlapped operations complete with "                 \
                      "ERROR_OPERATION_ABORTED or ERROR_NETNAME_DELETED; Wine reports "            \
                      "ERROR_HANDLES_CLOSED")

START_TEST(pending_recvs_complete_to_port_with_an_error)
{
    SOCKET a, b;
    ntt_connected_pair(&a, &b);
    HANDLE port = CreateIoCompletionPort((HANDLE)a, NULL, 8, 0);
    char buf1[8], buf2[8];
    WSABUF w1 = {sizeof(buf1), buf1}, w2 = {sizeof(buf2), buf2};
    DWORD f1 = 0, f2 = 0;
    OVERLAPPED ov[2];
    memset(ov, 0, sizeof(ov));
    ck_assert_int_eq(WSARecv(a, &w1, 1, NULL, &f1, &ov[0], NULL), SOCKET_ERROR);
    ck_assert_int_eq(WSARecv(a, &w2, 1, NULL, &f2, &ov[1], NULL), SOCKET_ERROR);
    ck_assert_int_eq(closesocket(a), 0);
    int seen[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        DWORD bytes = 99;
        ULONG_PTR key = 0;
        LPOVERLAPPED done = NULL;
        BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &done, NTT_WAIT_MS);
        DWORD err = GetLastError();
        ck_assert(!ok);
        ASSERT_CLOSED_ERROR(err);
        ck_assert(done == &ov[0] || done == &ov[1]);
        ck_assert_uint_eq(key, 8);
        ck_assert_uint_eq(bytes, 0);
        seen[done - ov]++;
    }
    ck_assert(seen[0] == 1 && seen[1] == 1);
    closesocket(b);
    CloseHandle(port);
    WSACleanup();
}
END_TEST

START_TEST(pending_recv_with_event_fails_after_close)
{
    SOCKET a, b;
    ntt_connected_pair(&a, &b);
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    char buf[8];
    WSABUF w = {sizeof(buf), buf};
    DWORD flags;
    OVERLAPPED ov;
    ntt_recv_pending(a, &w, 1, NULL, &flags, &ov, ev);
    ck_assert_int_eq(closesocket(a), 0);
    ck_assert_uint_eq(WaitForSingleObject(ev, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD n = 99;
    BOOL ok = GetOverlappedResult((HANDLE)a, &ov, &n, TRUE);
    DWORD e2 = GetLastError();
    ck_assert(!ok);
    ASSERT_CLOSED_ERROR(e2);
    CloseHandle(ev);
    closesocket(b);
    WSACleanup();
}
END_TEST

NTT_MAIN(pending_recvs_complete_to_port_with_an_error, pending_recv_with_event_fails_after_close)
