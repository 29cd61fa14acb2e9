/* TransmitFile sends nNumberOfBytesToWrite bytes from the OVERLAPPED's offset between its head and
 * tail: calls one after another on one socket, in any file order, arrive exactly in call order. */
#include <winsock2.h>
#include <windows.h>
#include <mswsock.h>
#include "tcheck.h"
#include "tnet.h"
#include "tpattern.h"

#define FILE_SIZE (256 * 1024)
#define RECV_MAX (FILE_SIZE * 2)

static unsigned char pattern(DWORD i)
{
    return (unsigned char)((i * 13u + (i >> 9)) & 0xff);
}

static HANDLE make_file(char *name, size_t namelen)
{
    return ntt_pattern_file(name, namelen, "transmitranges", FILE_SIZE, pattern,
                            FILE_FLAG_SEQUENTIAL_SCAN);
}

struct receiver {
    SOCKET s;
    DWORD total;
    unsigned char *buf;
};

static DWORD WINAPI receive_all(LPVOID p)
{
    struct receiver *r = p;
    for (;;) {
        int n = recv(r->s, (char *)r->buf + r->total, (int)(RECV_MAX - r->total), 0);
        if (n <= 0)
            return n == 0 ? 0 : 1;
        r->total += (DWORD)n;
        if (r->total == RECV_MAX)
            return 2;
    }
}

struct call {
    const char *head; /* NULL: none */
    DWORD offset, count;
    const char *tail; /* NULL: none */
};

START_TEST(offset_count_head_tail_in_call_order)
{
    SOCKET a, b;
    ntt_connected_pair(&a, &b);
    char name[64];
    HANDLE f = make_file(name, sizeof(name));
    struct receiver r = {b, 0, malloc(RECV_MAX)};
    ck_assert_ptr_nonnull(r.buf);
    HANDLE th = CreateThread(NULL, 0, receive_all, &r, 0, NULL);
    ck_assert_ptr_nonnull(th);
    /* Backwards and forwards through the file, a range larger than socket buffers among them,
     * a head without a tail, a tail without a head, neither, and both. */
    static const struct call calls[] = {
        {"\r\n--b\r\nfirst\r\n\r\n", 200000, 1000, NULL},
        {"\r\n--b\r\nsecond\r\n\r\n", 10, 5, NULL},
        {NULL, 1000, 180000, NULL},
        {NULL, 0, 1, "\r\n--b--\r\n"},
        {"H", FILE_SIZE - 7, 7, "T"},
    };
    static unsigned char expect[RECV_MAX];
    DWORD want = 0;
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        const struct call *c = &calls[i];
        DWORD hl = c->head ? (DWORD)strlen(c->head) : 0, tl = c->tail ? (DWORD)strlen(c->tail) : 0;
        TRANSMIT_FILE_BUFFERS tb = {(void *)c->head, hl, (void *)c->tail, tl};
        OVERLAPPED ov;
        memset(&ov, 0, sizeof(ov));
        ov.hEvent = ev;
        ov.Offset = c->offset;
        ResetEvent(ev);
        BOOL ok = TransmitFile(a, f, c->count, 0, &ov, &tb, 0);
        DWORD err = GetLastError();
        ck_assert_msg(ok || err == ERROR_IO_PENDING, "call %zu: %lu", i, (unsigned long)err);
        ck_assert_uint_eq(WaitForSingleObject(ev, NTT_WAIT_MS), WAIT_OBJECT_0);
        DWORD n = 0;
        ck_assert(GetOverlappedResult((HANDLE)a, &ov, &n, FALSE));
        ck_assert_uint_eq(n, hl + c->count + tl);
        memcpy(expect + want, c->head ? c->head : "", hl);
        want += hl;
        for (DWORD k = 0; k < c->count; k++)
            expect[want++] = pattern(c->offset + k);
        memcpy(expect + want, c->tail ? c->tail : "", tl);
        want += tl;
    }
    ck_assert_int_eq(shutdown(a, SD_SEND), 0);
    ck_assert_uint_eq(WaitForSingleObject(th, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 9;
    ck_assert(GetExitCodeThread(th, &code));
    ck_assert_uint_eq(code, 0);
    ck_assert_uint_eq(r.total, want);
    ck_assert(memcmp(r.buf, expect, want) == 0);
    free(r.buf);
    CloseHandle(th);
    CloseHandle(ev);
    CloseHandle(f);
    DeleteFileA(name);
    closesocket(a);
    closesocket(b);
    WSACleanup();
}
END_TEST

NTT_MAIN(offset_count_head_tail_in_call_order)
