/* ntc-echo: a TCP echo server on AcceptEx and a completion port, written only against Win32. */
#include <winsock2.h>
#include <windows.h>
#include <mswsock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORKERS 4
/* Several accepts outstanding, so a burst of connections never waits for a worker to re-post. */
#define PENDING_ACCEPTS 8
#define ADDR_LEN (sizeof(SOCKADDR_IN) + 16)

enum op { OP_ACCEPT, OP_RECV, OP_SEND };

struct conn {
    OVERLAPPED ov; /* first member: the OVERLAPPED pointer a packet carries is the conn */
    enum op op;
    SOCKET sock;
    DWORD len, sent;
    char buf[4096];
};

static SOCKET listener;
static HANDLE port;
static LPFN_ACCEPTEX accept_ex;

/* The demo has no recovery story: any setup or accept failure ends it, loudly. */
static void fail(const char *what, DWORD err)
{
    fprintf(stderr, "ntc-echo: %s failed: error %lu\n", what, (unsigned long)err);
    exit(1);
}

static void conn_close(struct conn *c)
{
    closesocket(c->sock);
    free(c);
}

static void post_accept(void)
{
    struct conn *c = calloc(1, sizeof(*c));
    DWORD got;

    if (!c)
        fail("calloc", ERROR_NOT_ENOUGH_MEMORY);
    c->op = OP_ACCEPT;
    c->sock = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (c->sock == INVALID_SOCKET)
        fail("socket", WSAGetLastError());
    /* No receive buffer: complete on connect, so a silent client cannot hold an accept. */
    if (!accept_ex(listener, c->sock, c->buf, 0, ADDR_LEN, ADDR_LEN, &got, &c->ov) &&
        WSAGetLastError() != ERROR_IO_PENDING)
        fail("AcceptEx", WSAGetLastError());
}

static void post_recv(struct conn *c)
{
    WSABUF wb = {sizeof(c->buf), c->buf};
    DWORD flags = 0;

    c->op = OP_RECV;
    memset(&c->ov, 0, sizeof(c->ov));
    /* A synchronous failure queues no packet, so nobody else will free the connection. */
    if (WSARecv(c->sock, &wb, 1, NULL, &flags, &c->ov, NULL) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING)
        conn_close(c);
}

static void post_send(struct conn *c)
{
    WSABUF wb = {c->len - c->sent, c->buf + c->sent};

    c->op = OP_SEND;
    memset(&c->ov, 0, sizeof(c->ov));
    if (WSASend(c->sock, &wb, 1, NULL, 0, &c->ov, NULL) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING)
        conn_close(c);
}

static void on_accept(struct conn *c, BOOL ok)
{
    /* Replace this accept first: the listener must never run out of pending accepts. */
    post_accept();
    if (!ok ||
        setsockopt(c->sock, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&listener,
                   sizeof(listener)) == SOCKET_ERROR ||
        !CreateIoCompletionPort((HANDLE)c->sock, port, 0, 0)) {
        conn_close(c);
        return;
    }
    post_recv(c);
}

static DWORD WINAPI worker(LPVOID unused)
{
    (void)unused;
    for (;;) {
        DWORD bytes;
        ULONG_PTR key;
        OVERLAPPED *ov = NULL;
        BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &ov, INFINITE);
        struct conn *c = (struct conn *)ov;

        if (!c)
            return 1; /* the port itself failed: nothing more will arrive */
        switch (c->op) {
        case OP_ACCEPT:
            on_accept(c, ok);
            break;
        case OP_RECV:
            if (!ok || bytes == 0) {
                conn_close(c); /* reset, or the peer's orderly shutdown */
                break;
            }
            c->len = bytes;
            c->sent = 0;
            post_send(c);
            break;
        case OP_SEND:
            if (!ok) {
                conn_close(c);
                break;
            }
            c->sent += bytes;
            if (c->sent < c->len)
                post_send(c);
            else
                post_recv(c);
            break;
        }
    }
}

int main(int argc, char **argv)
{
    unsigned short portnum = argc > 1 ? (unsigned short)atoi(argv[1]) : 8080;
    GUID guid = WSAID_ACCEPTEX;
    SOCKADDR_IN addr = {0};
    HANDLE threads[WORKERS];
    WSADATA wsa;
    DWORD got, err;
    int i;

    if ((err = WSAStartup(MAKEWORD(2, 2), &wsa)))
        fail("WSAStartup", err);
    listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (listener == INVALID_SOCKET)
        fail("socket", WSAGetLastError());
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(portnum);
    if (bind(listener, (SOCKADDR *)&addr, sizeof(addr)) == SOCKET_ERROR)
        fail("bind", WSAGetLastError());
    if (listen(listener, SOMAXCONN) == SOCKET_ERROR)
        fail("listen", WSAGetLastError());
    if (WSAIoctl(listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &accept_ex,
                 sizeof(accept_ex), &got, NULL, NULL) == SOCKET_ERROR)
        fail("WSAIoctl(WSAID_ACCEPTEX)", WSAGetLastError());
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    if (!port || !CreateIoCompletionPort((HANDLE)listener, port, 0, 0))
        fail("CreateIoCompletionPort", GetLastError());
    for (i = 0; i < PENDING_ACCEPTS; i++)
        post_accept();
    for (i = 0; i < WORKERS; i++) {
        threads[i] = CreateThread(NULL, 0, worker, NULL, 0, NULL);
        if (!threads[i])
            fail("CreateThread", GetLastError());
    }
    printf("ntc-echo: listening on 127.0.0.1:%u\n", portnum);
    fflush(stdout);
    WaitForMultipleObjects(WORKERS, threads, TRUE, INFINITE);
    return 1;
}
