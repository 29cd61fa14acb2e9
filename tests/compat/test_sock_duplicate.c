/* WSADuplicateSocket of a listening socket into a child that accepts on it (WSASocket
 * FROM_PROTOCOL_INFO). */
#include <winsock2.h>

#include "tcheck.h"

START_TEST(child_accepts_on_duplicated_listener)
{
    WSADATA wsa;
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    /* Not inheritable: the child can only get it through WSADuplicateSocket. */
    SOCKET l = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0,
                          WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    ck_assert_uint_ne(l, INVALID_SOCKET);
    SOCKADDR_IN sin;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(l, (SOCKADDR *)&sin, sizeof(sin)), 0);
    ck_assert_int_eq(listen(l, 4), 0);
    int len = sizeof(sin);
    ck_assert_int_eq(getsockname(l, (SOCKADDR *)&sin, &len), 0);

    /* The child reads the WSAPROTOCOL_INFO from a pipe it inherits. */
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE r, w;
    ck_assert(CreatePipe(&r, &w, &sa, 0));
    ck_assert(SetHandleInformation(w, HANDLE_FLAG_INHERIT, 0));
    char cmd[4 * MAX_PATH];
    snprintf(cmd, sizeof(cmd), "\"%s\" %llu", ntt_helper_exe("sock_dup_child"),
             (unsigned long long)(UINT_PTR)r);
    STARTUPINFOA si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    PROCESS_INFORMATION pi;
    ck_assert(CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi));
    ck_assert(CloseHandle(r));

    WSAPROTOCOL_INFOA info;
    memset(&info, 0, sizeof(info));
    ck_assert_int_eq(WSADuplicateSocketA(l, pi.dwProcessId, &info), 0);
    ck_assert_int_eq(info.iAddressFamily, AF_INET);
    ck_assert_int_eq(info.iSocketType, SOCK_STREAM);
    DWORD n;
    ck_assert(WriteFile(w, &info, sizeof(info), &n, NULL));
    ck_assert_uint_eq(n, sizeof(info));
    ck_assert(CloseHandle(w));

    /* The listener stays usable here too; the child accepts this connection. */
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_int_eq(connect(c, (SOCKADDR *)&sin, sizeof(sin)), 0);
    DWORD ms = NTT_WAIT_MS;
    ck_assert_int_eq(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof(ms)), 0);
    ck_assert_int_eq(send(c, "hi", 2, 0), 2);
    char buf[4];
    ck_assert_int_eq(recv(c, buf, sizeof(buf), 0), 2);
    ck_assert_mem_eq(buf, "ok", 2);

    ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 99;
    ck_assert(GetExitCodeProcess(pi.hProcess, &code));
    ck_assert_uint_eq(code, 0);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    closesocket(c);
    closesocket(l);
    WSACleanup();
}
END_TEST

NTT_MAIN(child_accepts_on_duplicated_listener)
