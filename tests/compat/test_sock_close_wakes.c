/* closesocket from another thread ends a blocked recv / accept on that socket (WSAEINTR on
 * Windows). */
#include <winsock2.h>

#include "tcheck.h"
#include "tnet.h"

struct blocked {
    SOCKET s;
    BOOL is_accept;
    HANDLE started;
    int result;
    int error;
};

static DWORD WINAPI block(LPVOID p)
{
    struct blocked *b = p;
    char buf[8];
    SetEvent(b->started);
    if (b->is_accept)
        b->result = accept(b->s, NULL, NULL) == INVALID_SOCKET ? SOCKET_ERROR : 0;
    else
        b->result = recv(b->s, buf, sizeof(buf), 0);
    b->error = WSAGetLastError();
    return 0;
}

/* Start a thread blocked on s, close s from here, and check how the blocked call ends. */
static void close_under(SOCKET s, BOOL is_accept)
{
    struct blocked b = {s, is_accept, CreateEventA(NULL, TRUE, FALSE, NULL), 0, 0};
    HANDLE t = CreateThread(NULL, 0, block, &b, 0, NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(WaitForSingleObject(b.started, NTT_WAIT_MS), WAIT_OBJECT_0);
    /* Give the thread time to enter the call: nothing observable says it has blocked. */
    Sleep(200);
    ck_assert_uint_eq(WaitForSingleObject(t, 0), WAIT_TIMEOUT);
    ck_assert_int_eq(closesocket(s), 0);
    ck_assert_uint_eq(WaitForSingleObject(t, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_int_eq(b.result, SOCKET_ERROR);
    /* Windows ends a blocking call whose socket is closed with WSAEINTR ("a blocking operation
     * was interrupted"); Wine 8 reports WSAEINVAL for recv and ERROR_OPERATION_ABORTED for
     * accept. */
    NTT_WINE_DIVERGES(b.error == WSAEINTR,
                      b.error == WSAEINVAL || b.error == ERROR_OPERATION_ABORTED,
                      "[closesocket; Windows Sockets Error Codes: WSAEINTR]");
    CloseHandle(t);
    CloseHandle(b.started);
}

START_TEST(close_wakes_blocked_recv)
{
    SOCKET l, a, c;
    ntt_connected_pair_listening(&l, &a, &c);
    close_under(a, FALSE);
    closesocket(c);
    closesocket(l);
    WSACleanup();
}
END_TEST

START_TEST(close_wakes_blocked_accept)
{
    SOCKADDR_IN sin;
    SOCKET l = ntt_listener(&sin);
    close_under(l, TRUE);
    WSACleanup();
}
END_TEST

NTT_MAIN(close_wakes_blocked_recv, close_wakes_blocked_accept)
