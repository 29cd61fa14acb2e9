/* AcceptEx helper of the accept tests: a fresh accept socket with its AcceptEx pending. */
#ifndef NTT_TACCEPT_H
#define NTT_TACCEPT_H

#include <winsock2.h>
#include <windows.h>
#include <mswsock.h>
#include "tcheck.h"

/* Each address slot of an AcceptEx buffer: 16 bytes more than the largest address. */
#define ADDRLEN (sizeof(SOCKADDR_IN) + 16)

/* AcceptEx on listener l into a new socket, returned: buf holds `data` bytes then both addresses,
 * ov (zeroed here) signals ev (may be NULL); nobody has connected yet, so the call must pend. */
static inline SOCKET ntt_acceptex_pending(SOCKET l, char *buf, DWORD data, DWORD *got,
                                          OVERLAPPED *ov, HANDLE ev)
{
    SOCKET acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(ov, 0, sizeof(*ov));
    ov->hEvent = ev;
    BOOL ok = AcceptEx(l, acc, buf, data, ADDRLEN, ADDRLEN, got, ov);
    DWORD err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, ERROR_IO_PENDING);
    return acc;
}

#endif
