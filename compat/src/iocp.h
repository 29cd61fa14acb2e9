/* Between the completion port (iocp.c) and the overlapped-completion code (iostatus.c). */
#ifndef NTC_IOCP_H
#define NTC_IOCP_H

#include "ntc.h"

/* Queue a packet on a port object (or hand it to the most recent waiter). A port whose handles are
 * all closed drops it. FALSE with ERROR_NOT_ENOUGH_MEMORY when no packet could be allocated. */
BOOL ntc_port_post(struct ntc_object *port, ULONG_PTR key, LPOVERLAPPED ov, ULONG_PTR status,
                   DWORD bytes);

/* The engine thread's periodic look (engine_epoll.c): wake a sleeping waiter of every port whose
 * queued packets stopped moving (their consumers blocked). TRUE while any port has packets queued
 * beside sleeping waiters, so that the engine keeps looking. */
bool ntc_port_check_stalled(void);

#endif
