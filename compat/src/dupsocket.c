/* WSADuplicateSocket: give a socket to another process; WSASocket(FROM_PROTOCOL_INFO) picks it up.
 */
#include "net.h"

#include <string.h>

/*
 * Windows serialises the socket into the WSAPROTOCOL_INFO, which the target passes to WSASocket.
 * compat pushes the socket into the target at once (over the control channel of a child we
 * created) and carries the handle value it got there in dwProviderReserved; compat's provider id
 * marks such a description. The target's WSASocket returns that handle after checking that it
 * names a socket. Only processes with a control channel (children of this one) can be targets.
 */
static const GUID compat_provider = {
    0x6e74636f, 0x6d70, 0x6174, {'w', 's', 'd', 'u', 'p', 's', 'o', 'k'}};

/* Fill the fields shared by the A and W variants (same offsets up to szProtocol). */
static void fill(WSAPROTOCOL_INFOA *a, struct ntc_socket *s, HANDLE there)
{
    memset(a, 0, offsetof(WSAPROTOCOL_INFOA, szProtocol));
    a->ProviderId = compat_provider;
    a->iVersion = 2;
    a->iAddressFamily = s->family;
    a->iSocketType = s->type;
    a->iProtocol = s->protocol;
    a->iMaxSockAddr = s->family == AF_INET6 ? (int)sizeof(SOCKADDR_IN6) : (int)sizeof(SOCKADDR_IN);
    a->iMinSockAddr = a->iMaxSockAddr;
    a->ProtocolChain.ChainLen = BASE_PROTOCOL;
    a->dwProviderReserved = (DWORD)(UINT_PTR)there;
}

static int duplicate(SOCKET s, DWORD pid, WSAPROTOCOL_INFOA *a)
{
    if (!ntc_sock_started())
        return SOCKET_ERROR;
    struct ntc_socket *so = ntc_sock_get(s);
    if (!so)
        return SOCKET_ERROR;
    DWORD err = 0;
    HANDLE there = NULL;
    struct ntc_object *proc = a ? ntc_process_by_pid(pid) : NULL;
    if (!a) {
        err = WSAEFAULT;
    } else if (!proc) {
        err = WSAEINVAL;
    } else {
        struct ntc_object *self = ntc_process_self();
        if (proc == self) {
            ntc_object_ref(&so->hdr);
            there = ntc_handle_alloc(&so->hdr, TRUE);
            if (!there) {
                ntc_object_unref(&so->hdr);
                err = WSAEMFILE;
            }
        } else if (!ntc_process_push_handle(proc, &so->hdr, TRUE, &there)) {
            err = WSAEINVAL;
        }
        if (self)
            ntc_object_unref(self);
    }
    if (proc)
        ntc_object_unref(proc);
    if (!err)
        fill(a, so, there);
    ntc_sock_put(so);
    if (err) {
        SetLastError(err);
        return SOCKET_ERROR;
    }
    return 0;
}

int WSAAPI WSADuplicateSocketA(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOA lpProtocolInfo)
{
    int r = duplicate(s, dwProcessId, lpProtocolInfo);
    if (r == 0)
        strcpy(lpProtocolInfo->szProtocol, "ntcompat socket");
    return r;
}

int WSAAPI WSADuplicateSocketW(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOW lpProtocolInfo)
{
    int r = duplicate(s, dwProcessId, (WSAPROTOCOL_INFOA *)lpProtocolInfo);
    if (r == 0) {
        static const char name[] = "ntcompat socket";
        for (size_t i = 0; i < sizeof(name); i++)
            lpProtocolInfo->szProtocol[i] = (WCHAR)name[i];
    }
    return r;
}

BOOL ntc_sock_from_protocol_info(const GUID *provider, DWORD reserved, SOCKET *out)
{
    if (memcmp(provider, &compat_provider, sizeof(GUID)) != 0)
        return FALSE;
    struct ntc_socket *so = ntc_sock_get((SOCKET)reserved);
    if (!so) {
        *out = INVALID_SOCKET;
        SetLastError(WSAEINVAL);
        return TRUE;
    }
    ntc_sock_put(so);
    *out = (SOCKET)reserved;
    return TRUE;
}
