/* GetOverlappedResult(bWait = TRUE) waits for a pending socket operation, with or without hEvent.
 */
#include <winsock2.h>
#include <windows.h>
#include "tcheck.h"
#include "tnet.h"

struct later {
    SOCKET s;
    HANDLE go;
};

/* Sends one byte once told to: the main thread is then (most likely) inside GetOverlappedResult. */
static DWORD WINAPI send_later(LPVOID p)
{
    struct later *l = p;
    if (WaitForSingleObject(l->go, NTT_WAIT_MS) != WAIT_OBJECT_0)
        return 1;
    Sleep(100);
    return send(l->s, "w", 1, 0) == 1 ? 0 : 1;
}

static void wait_for_recv(BOOL with_event)
{
    SOCKET a, b;
    ntt_connected_pair(&a, &b);
    HANDLE ev = with_event ? CreateEventA(NULL, TRUE, FALSE, NULL) : NULL;
    char buf[4];
    WSABUF w = {sizeof(buf), buf};
    DWORD flags;
    OVERLAPPED ov;
    ntt_recv_pending(a, &w, 1, NULL, &flags, &ov, ev);
    DWORD n = 99;
    BOOL ok = GetOverlappedResult((HANDLE)a, &ov, &n, FALSE);
    DWORD e2 = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(e2, ERROR_IO_INCOMPLETE);

    struct later l = {b, CreateEventA(NULL, TRUE, FALSE, NULL)};
    HANDLE th = CreateThread(NULL, 0, send_later, &l, 0, NULL);
    ck_assert_ptr_nonnull(th);
    ck_assert(SetEvent(l.go));
    ck_assert(GetOverlappedResult((HANDLE)a, &ov, &n, TRUE));
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(buf[0], 'w');
    ck_assert_uint_eq(WaitForSingleObject(th, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 1;
    ck_assert(GetExitCodeThread(th, &code));
    ck_assert_uint_eq(code, 0);
    CloseHandle(th);
    CloseHandle(l.go);
    if (ev)
        CloseHandle(ev);
    closesocket(a);
    closesocket(b);
    WSACleanup();
}

START_TEST(wait_with_event)
{
    wait_for_recv(TRUE);
}
END_TEST

START_TEST(wait_without_event)
{
    wait_for_recv(FALSE);
}
END_TEST

NTT_MAIN(wait_with_event, wait_without_event)
