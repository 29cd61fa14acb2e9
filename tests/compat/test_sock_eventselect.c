/* WSAEventSelect + WSAEnumNetworkEvents: FD_ACCEPT, FD_READ, FD_CLOSE, FD_CONNECT; non-blocking
 * mode. */
#include <winsock2.h>

#include "tcheck.h"
#include "tnet.h"

/* Wait for ev, then enumerate; returns the recorded events. */
static LONG wait_events(SOCKET s, WSAEVENT ev, WSANETWORKEVENTS *ne)
{
    ck_assert_uint_eq(WSAWaitForMultipleEvents(1, &ev, FALSE, NTT_WAIT_MS, FALSE),
                      WSA_WAIT_EVENT_0);
    ck_assert_int_eq(WSAEnumNetworkEvents(s, ev, ne), 0);
    return ne->lNetworkEvents;
}

START_TEST(accept_read_close)
{
    SOCKADDR_IN sin;
    SOCKET l = ntt_listener(&sin);
    WSAEVENT ev = WSACreateEvent();
    ck_assert_ptr_ne(ev, WSA_INVALID_EVENT);
    ck_assert_int_eq(WSAEventSelect(l, ev, FD_ACCEPT), 0);
    /* Nothing yet: the event is not signalled. */
    ck_assert_uint_eq(WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE), WSA_WAIT_TIMEOUT);
    /* The listener is non-blocking now. */
    NTT_FAILS_WITH(accept(l, NULL, NULL), INVALID_SOCKET, WSAEWOULDBLOCK);

    SOCKET c = ntt_connect_to(&sin);
    WSANETWORKEVENTS ne;
    ck_assert_int_eq(wait_events(l, ev, &ne), FD_ACCEPT);
    ck_assert_int_eq(ne.iErrorCode[FD_ACCEPT_BIT], 0);
    /* Enumerating reset the event. */
    ck_assert_uint_eq(WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE), WSA_WAIT_TIMEOUT);
    SOCKET a = accept(l, NULL, NULL);
    ck_assert_uint_ne(a, INVALID_SOCKET);

    /* The accepted socket has the listener's selection; select FD_READ | FD_CLOSE on it. */
    WSAEVENT ev2 = WSACreateEvent();
    ck_assert_int_eq(WSAEventSelect(a, ev2, FD_READ | FD_CLOSE), 0);
    ck_assert_int_eq(send(c, "ping", 4, 0), 4);
    ck_assert_int_eq(wait_events(a, ev2, &ne), FD_READ);
    char buf[8];
    ck_assert_int_eq(recv(a, buf, sizeof(buf), 0), 4);
    /* A non-blocking socket under WSAEventSelect cannot be made blocking. */
    u_long off = 0;
    NTT_FAILS_WITH(ioctlsocket(a, FIONBIO, &off), SOCKET_ERROR, WSAEINVAL);

    ck_assert_int_eq(closesocket(c), 0);
    LONG got = wait_events(a, ev2, &ne);
    ck_assert_int_eq(got & FD_CLOSE, FD_CLOSE);
    ck_assert_int_eq(ne.iErrorCode[FD_CLOSE_BIT], 0);

    closesocket(a);
    closesocket(l);
    WSACloseEvent(ev2);
    WSACloseEvent(ev);
    WSACleanup();
}
END_TEST

START_TEST(read_is_recorded_again_after_recv)
{
    SOCKADDR_IN sin;
    SOCKET l = ntt_listener(&sin);
    SOCKET c = ntt_connect_to(&sin);
    SOCKET a = accept(l, NULL, NULL);
    WSAEVENT ev = WSACreateEvent();
    ck_assert_int_eq(send(c, "abcdef", 6, 0), 6);
    WSANETWORKEVENTS ne;
    /* Data already there when the selection is made is recorded at once. */
    ck_assert_int_eq(WSAEventSelect(a, ev, FD_READ), 0);
    ck_assert_int_eq(wait_events(a, ev, &ne), FD_READ);
    /* A partial read re-enables FD_READ and, data being left, records it again. */
    char buf[2];
    ck_assert_int_eq(recv(a, buf, 2, 0), 2);
    ck_assert_int_eq(wait_events(a, ev, &ne), FD_READ);
    closesocket(a);
    closesocket(c);
    closesocket(l);
    WSACloseEvent(ev);
    WSACleanup();
}
END_TEST

START_TEST(connect_is_reported)
{
    SOCKADDR_IN sin;
    SOCKET l = ntt_listener(&sin);
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAEVENT ev = WSACreateEvent();
    ck_assert_int_eq(WSAEventSelect(c, ev, FD_CONNECT | FD_WRITE), 0);
    WSASetLastError(0);
    int r = connect(c, (SOCKADDR *)&sin, sizeof(sin));
    int e = WSAGetLastError();
    if (r == SOCKET_ERROR)
        ck_assert_int_eq(e, WSAEWOULDBLOCK);
    WSANETWORKEVENTS ne;
    LONG got = wait_events(c, ev, &ne);
    ck_assert_int_eq(got & FD_CONNECT, FD_CONNECT);
    ck_assert_int_eq(ne.iErrorCode[FD_CONNECT_BIT], 0);
    closesocket(c);
    closesocket(l);
    WSACloseEvent(ev);
    WSACleanup();
}
END_TEST

NTT_MAIN(accept_read_close, read_is_recorded_again_after_recv, connect_is_reported)
