/* TransmitFile sends head buffer, a 100 KB file and tail buffer, byte for byte, and completes. */
#include <winsock2.h>
#include <windows.h>
#include <mswsock.h>
#include "tcheck.h"
#include "tnet.h"
#include "tpattern.h"

#define FILE_SIZE (100 * 1024)

static unsigned char pattern(DWORD i)
{
    return (unsigned char)((i * 7u + (i >> 8)) & 0xff);
}

/* FNV-1a, fed incrementally. */
static void fnv(unsigned *h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        *h = (*h ^ p[i]) * 16777619u;
}

static HANDLE make_file(char *name, size_t namelen)
{
    return ntt_pattern_file(name, namelen, "transmitfile", FILE_SIZE, pattern,
                            FILE_ATTRIBUTE_NORMAL);
}

struct receiver {
    SOCKET s;
    DWORD total;
    unsigned hash;
};

static DWORD WINAPI receive_all(LPVOID p)
{
    struct receiver *r = p;
    unsigned char buf[8192];
    for (;;) {
        int n = recv(r->s, (char *)buf, sizeof(buf), 0);
        if (n <= 0)
            return n == 0 ? 0 : 1;
        fnv(&r->hash, buf, (size_t)n);
        r->total += (DWORD)n;
    }
}

static unsigned expected_hash(const char *head, const char *tail)
{
    unsigned h = 2166136261u;
    fnv(&h, (const unsigned char *)head, strlen(head));
    for (DWORD i = 0; i < FILE_SIZE; i++) {
        unsigned char c = pattern(i);
        fnv(&h, &c, 1);
    }
    fnv(&h, (const unsigned char *)tail, strlen(tail));
    return h;
}

START_TEST(overlapped_with_head_and_tail)
{
    SOCKET a, b;
    ntt_connected_pair(&a, &b);
    char name[64];
    HANDLE f = make_file(name, sizeof(name));
    struct receiver r = {b, 0, 2166136261u};
    HANDLE th = CreateThread(NULL, 0, receive_all, &r, 0, NULL);
    ck_assert_ptr_nonnull(th);
    char head[] = "HTTP/1.1 200 OK\r\n\r\n", tail[] = "--tail--";
    TRANSMIT_FILE_BUFFERS tb = {head, (DWORD)strlen(head), tail, (DWORD)strlen(tail)};
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = ev;
    BOOL ok = TransmitFile(a, f, 0, 0, &ov, &tb, 0);
    DWORD err = GetLastError();
    ck_assert(ok || err == ERROR_IO_PENDING);
    ck_assert_uint_eq(WaitForSingleObject(ev, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD n = 0;
    ck_assert(GetOverlappedResult((HANDLE)a, &ov, &n, FALSE));
    const DWORD total = (DWORD)(strlen(head) + FILE_SIZE + strlen(tail));
    ck_assert_uint_eq(n, total);
    ck_assert_int_eq(shutdown(a, SD_SEND), 0);
    ck_assert_uint_eq(WaitForSingleObject(th, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_uint_eq(r.total, total);
    ck_assert_uint_eq(r.hash, expected_hash(head, tail));
    CloseHandle(th);
    CloseHandle(ev);
    CloseHandle(f);
    DeleteFileA(name);
    closesocket(a);
    closesocket(b);
    WSACleanup();
}
END_TEST

START_TEST(blocking_through_extension_pointer_with_disconnect)
{
    SOCKET a, b;
    ntt_connected_pair(&a, &b);
    char name[64];
    HANDLE f = make_file(name, sizeof(name));
    GUID g = WSAID_TRANSMITFILE;
    LPFN_TRANSMITFILE transmit = NULL;
    DWORD bytes = 0;
    ck_assert_int_eq(WSAIoctl(a, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof(g), &transmit,
                              sizeof(transmit), &bytes, NULL, NULL),
                     0);
    ck_assert_ptr_nonnull(transmit);
    struct receiver r = {b, 0, 2166136261u};
    HANDLE th = CreateThread(NULL, 0, receive_all, &r, 0, NULL);
    ck_assert_ptr_nonnull(th);
    /* No OVERLAPPED: blocks until done; TF_DISCONNECT ends the stream, the receiver sees EOF. */
    ck_assert(transmit(a, f, 0, 0, NULL, NULL, TF_DISCONNECT));
    DWORD w = WaitForSingleObject(th, ntt_on_wine() ? 1000 : NTT_WAIT_MS);
    NTT_WINE_DIVERGES(w == WAIT_OBJECT_0, w == WAIT_TIMEOUT,
                      "[TransmitFile] TF_DISCONNECT starts a transport-level disconnect after the "
                      "data; Wine ignores it");
    if (w != WAIT_OBJECT_0) {
        ck_assert_int_eq(shutdown(a, SD_SEND), 0);
        ck_assert_uint_eq(WaitForSingleObject(th, NTT_WAIT_MS), WAIT_OBJECT_0);
    }
    ck_assert_uint_eq(r.total, FILE_SIZE);
    ck_assert_uint_eq(r.hash, expected_hash("", ""));
    CloseHandle(th);
    CloseHandle(f);
    DeleteFileA(name);
    closesocket(a);
    closesocket(b);
    WSACleanup();
}
END_TEST

NTT_MAIN(overlapped_with_head_and_tail, blocking_through_extension_pointer_with_disconnect)
