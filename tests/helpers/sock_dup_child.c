/* Helper child for test_sock_duplicate: accepts one connection on a socket given by
 * WSADuplicateSocket. */
#include <winsock2.h>
#include <windows.h>

#include <stdlib.h>
#include <string.h>

/* Exit codes the test looks for: 0 good, 10 + step on failure. */
int main(int argc, char **argv)
{
    if (argc != 2)
        return 9;
    HANDLE pipe = (HANDLE)(UINT_PTR)strtoull(argv[1], NULL, 10);
    WSAPROTOCOL_INFOA info;
    DWORD total = 0, n;
    while (total < sizeof(info) &&
           ReadFile(pipe, (char *)&info + total, (DWORD)sizeof(info) - total, &n, NULL) && n > 0)
        total += n;
    if (total != sizeof(info))
        return 10;
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 11;
    SOCKET l = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    if (l == INVALID_SOCKET)
        return 12;
    SOCKET a = accept(l, NULL, NULL);
    if (a == INVALID_SOCKET)
        return 13;
    char buf[8];
    int got = 0, r;
    while (got < 2 && (r = recv(a, buf + got, (int)sizeof(buf) - got, 0)) > 0)
        got += r;
    if (got != 2 || memcmp(buf, "hi", 2) != 0)
        return 14;
    if (send(a, "ok", 2, 0) != 2)
        return 15;
    closesocket(a);
    closesocket(l);
    WSACleanup();
    return 0;
}
