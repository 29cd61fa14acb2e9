/* GetOverlappedResult(bWait = TRUE) waits for a pending socket operation, with or without hEvent.
 */
#include <winsock2.h>
#include <windows.h>
#include "tcheck.h"

static void connected_pair(SOCKET *a, SOCKET *b)
{
    WSADATA d;
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &d), 0);
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert(l != INVALID_SOCKET);
    SOCKADDR_IN sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int len = sizeof(sa);
    ck_assert_int_eq(bind(l, (struct sockaddr *)&sa, sizeof(sa)), 0);
    ck_assert_int_eq(listen(l, 4), 0);
    ck_assert_int_eq(getsockname(l, (struct sockaddr *)&sa, &len), 0);
    *b = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_int_eq(connect(*b, (struct sockaddr *)&sa, sizeof(sa)), 0);
    *a = accept(l, NULL, NULL);
    ck_assert(*a != INVALID_SOCKET);
    closesocket(l);
}

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
    connected_pair(&a, &b);
    HANDLE ev = with_event ? CreateEventA(NULL, TRUE, FALSE, NULL) : NULL;
    char buf[4];
    WSABUF w = {sizeof(buf), buf};
    DWORD flags = 0;
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = ev;
    int r = WSARecv(a, &w, 1, NULL, &flags, &ov, NULL);
    int err = WSAGetLastError();
    ck_assert_int_eq(r, SOCKET_ERROR);
    ck_assert_int_eq(err, WSA_IO_PENDING);
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
