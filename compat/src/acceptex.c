/* AcceptEx and GetAcceptExSockaddrs over accept(2), and the extension-function table of WSAIoctl.
 */
#include "sockio.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * The address areas after the received data are private to the implementation [AcceptEx]: ours
 * hold, at the first 8-aligned place at least 4 bytes into the area, the address itself, preceded
 * by its length as an int. The 16 spare bytes Windows requires leave room for both.
 */
#define ADDR_SPARE 16

struct accept_op {
    struct ntc_sock_op op;
    struct ntc_socket *acc; /* the accept socket (a reference) */
    char *buf;
    DWORD rxlen, locallen, remotelen;
    bool accepted; /* the connection is in acc: only the first data is awaited */
};

static char *addr_slot(char *area)
{
    uintptr_t p = ((uintptr_t)area + sizeof(int) + 7) & ~(uintptr_t)7;
    return (char *)p;
}

static void put_addr(char *area, const void *sa, int len)
{
    char *p = addr_slot(area);
    memcpy(p - sizeof(int), &len, sizeof(int));
    memcpy(p, sa, (size_t)len);
}

static int min_addr_len(int family)
{
    return (family == AF_INET6 ? (int)sizeof(SOCKADDR_IN6) : (int)sizeof(SOCKADDR_IN)) + ADDR_SPARE;
}

/* Under acc->lock (the op's queue socket is acc by then): wait for the first data. */
static int first_data(struct accept_op *a)
{
    struct ntc_sys_buf b = {a->buf, a->rxlen};
    long r = ntc_sys_recvv(a->acc->fd, &b, 1, 0);
    if (r < 0)
        return (errno == EAGAIN || errno == EWOULDBLOCK) ? NTC_OP_AGAIN : errno;
    a->op.bytes = (DWORD)r;
    return 0;
}

static int accept_attempt(struct ntc_sock_op *op)
{
    struct accept_op *a = (struct accept_op *)op;
    if (a->accepted)
        return first_data(a);

    SOCKADDR_STORAGE remote, local;
    int rlen = (int)sizeof(remote), llen = (int)sizeof(local);
    int fd = ntc_sys_accept(op->s->fd, &remote, &rlen);
    if (fd < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return NTC_OP_AGAIN;
        /* A connection that died in the backlog fails this accept only [AcceptEx]. */
        return errno == ECONNABORTED ? ECONNRESET : errno;
    }
    int pending = ntc_sys_sock_error(fd);
    if (pending == 0 && ntc_sys_getsockname(fd, &local, &llen) != 0)
        pending = errno;
    if (pending != 0) {
        ntc_sys_close(fd);
        return pending;
    }
    put_addr(a->buf + a->rxlen, &local, llen);
    put_addr(a->buf + a->rxlen + a->locallen, &remote, rlen);
    ntc_sock_adopt_fd(a->acc, fd);
    atomic_fetch_or(&a->acc->state, NTC_SOCK_BOUND | NTC_SOCK_CONNECTED | NTC_SOCK_ACCEPTED);
    a->accepted = true;
    if (a->rxlen == 0)
        return 0;

    /* With a receive buffer it completes only with the first data [AcceptEx]: wait for it on the
     * accept socket, where closing or cancelling that socket can abort it. */
    pthread_mutex_lock(&a->acc->lock);
    int r = first_data(a);
    if (r == NTC_OP_AGAIN) {
        r = ntc_sock_op_move_locked(op, a->acc);
        if (r == 0)
            r = NTC_OP_MOVED;
    }
    pthread_mutex_unlock(&a->acc->lock);
    return r;
}

static void accept_release(struct ntc_sock_op *op)
{
    ntc_sock_put(((struct accept_op *)op)->acc);
}

static const struct ntc_sock_op_kind accept_kind = {accept_attempt, accept_release, NULL};

/* Why a socket cannot be an accept socket: it must be fresh, neither bound nor connected. */
static bool fresh(struct ntc_socket *s)
{
    const unsigned used = NTC_SOCK_BOUND | NTC_SOCK_LISTENING | NTC_SOCK_CONNECTING |
                          NTC_SOCK_CONNECTED | NTC_SOCK_ACCEPTED;
    return (atomic_load(&s->state) & used) == 0;
}

static DWORD accept_ex(SOCKET sListenSocket, SOCKET sAcceptSocket, PVOID buf, DWORD rxlen,
                       DWORD locallen, DWORD remotelen, LPDWORD received, LPOVERLAPPED ov)
{
    if (!ov)
        return WSA_INVALID_PARAMETER;
    ntc_io_begin(ov);
    if (!buf)
        return WSAEINVAL;
    if (!remotelen)
        return WSAEFAULT;
    struct ntc_socket *l = ntc_sock_get(sListenSocket);
    if (!l)
        return WSAENOTSOCK;
    struct ntc_socket *acc = ntc_sock_get(sAcceptSocket);
    if (!acc) {
        ntc_sock_put(l);
        return WSAENOTSOCK;
    }
    DWORD err = ERROR_SUCCESS;
    int min = min_addr_len(l->family);
    if (!(atomic_load(&l->state) & NTC_SOCK_LISTENING) || !fresh(acc) || acc == l ||
        (int)locallen < min || (int)remotelen < min)
        err = WSAEINVAL;
    struct accept_op *a = err ? NULL : calloc(1, sizeof(*a));
    if (!err && !a)
        err = WSAENOBUFS;
    if (err) {
        ntc_sock_put(acc);
        ntc_sock_put(l);
        return err;
    }
    ntc_sock_op_init(&a->op, &accept_kind, l, ov, NTC_OP_READ);
    a->acc = acc;
    a->buf = buf;
    a->rxlen = rxlen;
    a->locallen = locallen;
    a->remotelen = remotelen;
    ntc_sock_put(l);
    int r = ntc_sock_op_start(&a->op);
    if (r == 0) {
        if (received)
            *received = a->op.bytes;
        ntc_sock_op_finish_sync(&a->op);
        return ERROR_SUCCESS;
    }
    if (r == NTC_OP_AGAIN)
        return ERROR_IO_PENDING; /* the op belongs to the engine now */
    ntc_sock_op_free(&a->op);
    ov->Internal = ntc_status_from_error(ntc_sock_op_win32_error(r));
    return ntc_wsa_from_errno(r);
}

BOOL WINAPI AcceptEx(SOCKET sListenSocket, SOCKET sAcceptSocket, PVOID lpOutputBuffer,
                     DWORD dwReceiveDataLength, DWORD dwLocalAddressLength,
                     DWORD dwRemoteAddressLength, LPDWORD lpdwBytesReceived,
                     LPOVERLAPPED lpOverlapped)
{
    DWORD err =
        accept_ex(sListenSocket, sAcceptSocket, lpOutputBuffer, dwReceiveDataLength,
                  dwLocalAddressLength, dwRemoteAddressLength, lpdwBytesReceived, lpOverlapped);
    SetLastError(err);
    return err == ERROR_SUCCESS;
}

void WINAPI GetAcceptExSockaddrs(PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
                                 DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength,
                                 struct sockaddr **LocalSockaddr, LPINT LocalSockaddrLength,
                                 struct sockaddr **RemoteSockaddr, LPINT RemoteSockaddrLength)
{
    (void)dwRemoteAddressLength;
    char *local = addr_slot((char *)lpOutputBuffer + dwReceiveDataLength);
    char *remote = addr_slot((char *)lpOutputBuffer + dwReceiveDataLength + dwLocalAddressLength);
    memcpy(LocalSockaddrLength, local - sizeof(int), sizeof(int));
    memcpy(RemoteSockaddrLength, remote - sizeof(int), sizeof(int));
    *LocalSockaddr = (struct sockaddr *)(void *)local;
    *RemoteSockaddr = (struct sockaddr *)(void *)remote;
}

void *ntc_sock_extension(const GUID *g)
{
    static const struct {
        GUID id;
        void *fn;
    } table[] = {
        {WSAID_ACCEPTEX, (void *)AcceptEx},
        {WSAID_GETACCEPTEXSOCKADDRS, (void *)GetAcceptExSockaddrs},
        {WSAID_TRANSMITFILE, (void *)TransmitFile},
        {WSAID_CONNECTEX, (void *)ntc_connect_ex},
        {WSAID_DISCONNECTEX, (void *)ntc_disconnect_ex},
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (memcmp(&table[i].id, g, sizeof(GUID)) == 0)
            return table[i].fn;
    return NULL;
}
