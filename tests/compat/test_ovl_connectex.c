/* ConnectEx (through WSAIoctl) connects a bound socket and sends its first data; DisconnectEx. */
#include <winsock2.h>
#include <windows.h>
#include <mswsock.h>
#include "tcheck.h"
#include "tnet.h"

static void *extension(SOCKET s, GUID g)
{
    void *fn = NULL;
    DWORD bytes = 0;
    ck_assert_int_eq(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof(g), &fn, sizeof(fn),
                              &bytes, NULL, NULL),
                     0);
    ck_assert_ptr_nonnull(fn);
    return fn;
}

START_TEST(connect_and_send_to_port)
{
    SOCKADDR_IN sa;
    SOCKET l = ntt_listener(&sa);
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    LPFN_CONNECTEX connect_ex = (LPFN_CONNECTEX)extension(c, (GUID)WSAID_CONNECTEX);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));

    /* Unbound: refused [ConnectEx]. */
    BOOL ok = connect_ex(c, (struct sockaddr *)&sa, sizeof(sa), NULL, 0, NULL, &ov);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, WSAEINVAL);

    SOCKADDR_IN any = {0};
    any.sin_family = AF_INET;
    ck_assert_int_eq(bind(c, (struct sockaddr *)&any, sizeof(any)), 0);
    HANDLE port = CreateIoCompletionPort((HANDLE)c, NULL, 21, 0);
    char hello[] = "hello";
    DWORD sent = 0;
    ok = connect_ex(c, (struct sockaddr *)&sa, sizeof(sa), hello, 5, &sent, &ov);
    err = GetLastError();
    ck_assert(ok || err == ERROR_IO_PENDING);
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED done = NULL;
    ck_assert(GetQueuedCompletionStatus(port, &bytes, &key, &done, NTT_WAIT_MS));
    ck_assert_ptr_eq(done, &ov);
    ck_assert_uint_eq(key, 21);
    ck_assert_uint_eq(bytes, 5);
    ck_assert_int_eq(setsockopt(c, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0), 0);
    SOCKET a = accept(l, NULL, NULL);
    ck_assert(a != INVALID_SOCKET);
    char buf[8];
    ck_assert_int_eq(recv(a, buf, sizeof(buf), 0), 5);
    ck_assert(memcmp(buf, "hello", 5) == 0);

    LPFN_DISCONNECTEX disconnect_ex = (LPFN_DISCONNECTEX)extension(c, (GUID)WSAID_DISCONNECTEX);
    ck_assert(disconnect_ex(c, NULL, 0, 0));
    ck_assert_int_eq(recv(a, buf, sizeof(buf), 0), 0); /* the peer sees the end of the stream */
    closesocket(a);
    closesocket(c);
    closesocket(l);
    CloseHandle(port);
    WSACleanup();
}
END_TEST

START_TEST(refused_connection_fails)
{
    SOCKADDR_IN sa;
    SOCKET l = ntt_listener(&sa);
    closesocket(l); /* nobody listens there any more */
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    LPFN_CONNECTEX connect_ex = (LPFN_CONNECTEX)extension(c, (GUID)WSAID_CONNECTEX);
    SOCKADDR_IN any = {0};
    any.sin_family = AF_INET;
    ck_assert_int_eq(bind(c, (struct sockaddr *)&any, sizeof(any)), 0);
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = ev;
    BOOL ok = connect_ex(c, (struct sockaddr *)&sa, sizeof(sa), NULL, 0, NULL, &ov);
    DWORD err = GetLastError();
    if (ok || err == ERROR_IO_PENDING) {
        ck_assert_uint_eq(WaitForSingleObject(ev, NTT_WAIT_MS), WAIT_OBJECT_0);
        DWORD n, flags;
        ok = WSAGetOverlappedResult(c, &ov, &n, FALSE, &flags);
        err = WSAGetLastError();
    }
    ck_assert(!ok);
    ck_assert_uint_eq(err, WSAECONNREFUSED);
    CloseHandle(ev);
    closesocket(c);
    WSACleanup();
}
END_TEST

START_TEST(disconnect_reuse_socket_for_acceptex)
{
    SOCKADDR_IN sa;
    SOCKET l = ntt_listener(&sa);
    SOCKET c = ntt_connect_to(&sa);
    SOCKET a = accept(l, NULL, NULL);
    ck_assert(a != INVALID_SOCKET);
    LPFN_DISCONNECTEX disconnect_ex = (LPFN_DISCONNECTEX)extension(c, (GUID)WSAID_DISCONNECTEX);
    ck_assert(disconnect_ex(c, NULL, TF_REUSE_SOCKET, 0));
    char buf[2 * (sizeof(SOCKADDR_IN) + 16)];
    ck_assert_int_eq(recv(a, buf, sizeof(buf), 0), 0);
    closesocket(a);

    /* The disconnected socket is an accept socket again. */
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = ev;
    DWORD got;
    BOOL ok = AcceptEx(l, c, buf, 0, sizeof(SOCKADDR_IN) + 16, sizeof(SOCKADDR_IN) + 16, &got, &ov);
    DWORD err = GetLastError();
    ck_assert(ok || err == ERROR_IO_PENDING);
    SOCKET d = ntt_connect_to(&sa);
    ck_assert_uint_eq(WaitForSingleObject(ev, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD n;
    ck_assert(GetOverlappedResult((HANDLE)l, &ov, &n, FALSE));
    ck_assert_int_eq(send(d, "r", 1, 0), 1);
    ck_assert_int_eq(recv(c, buf, 1, 0), 1);
    CloseHandle(ev);
    closesocket(d);
    closesocket(c);
    closesocket(l);
    WSACleanup();
}
END_TEST

NTT_MAIN(connect_and_send_to_port, refused_connection_fails, disconnect_reuse_socket_for_acceptex)
