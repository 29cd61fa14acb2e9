/* AcceptFilter connect, data and none all serve; data mode closes a silent client after TimeOut. */
#include "tmpm.h"

static void serves_with(const char *mode)
{
    struct tmpm t;
    char extra[128];
    snprintf(extra, sizeof(extra), "AcceptFilter http %s\n", mode);
    tmpm_init(&t, mode, extra);
    tmpm_start(&t);
    for (int i = 0; i < 20; i++)
        ck_assert_int_eq(tmpm_get(t.port, "/index.html", NULL, 0), 200);
    /* Several connections at once, answered in any order. */
    SOCKET s[8];
    for (int i = 0; i < 8; i++) {
        s[i] = tmpm_connect(t.port);
        ck_assert(s[i] != INVALID_SOCKET);
    }
    for (int i = 7; i >= 0; i--) {
        const char *req = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        ck_assert_int_eq(send(s[i], req, (int)strlen(req), 0), (int)strlen(req));
        ck_assert_int_eq(tmpm_read_response(s[i], 0, NULL, 0), 200);
        closesocket(s[i]);
    }
    tmpm_stop(&t);
    tmpm_kill(&t);
}

START_TEST(connect_mode_serves)
{
    serves_with("connect");
}
END_TEST

START_TEST(data_mode_serves)
{
    serves_with("data");
}
END_TEST

START_TEST(none_mode_serves)
{
    serves_with("none");
}
END_TEST

START_TEST(data_mode_closes_silent_clients_after_timeout)
{
    struct tmpm t;
    tmpm_init(&t, "silent", "AcceptFilter http data\nTimeOut 2\n");
    tmpm_start(&t);
    /* More silent clients than a single AcceptEx could cope with: others are still served. */
    SOCKET silent[4];
    for (int i = 0; i < 4; i++) {
        silent[i] = tmpm_connect(t.port);
        ck_assert(silent[i] != INVALID_SOCKET);
    }
    ck_assert_int_eq(tmpm_get(t.port, "/", NULL, 0), 200);
    /* Each silent one is closed after about TimeOut (2 s): recv sees the end, well before ours. */
    ULONGLONG t0 = GetTickCount64();
    for (int i = 0; i < 4; i++) {
        char b;
        int n = recv(silent[i], &b, 1, 0);
        ck_assert_int_le(n, 0);
        closesocket(silent[i]);
    }
    ULONGLONG took = GetTickCount64() - t0;
    ck_assert_uint_lt(took, 8000);
    ck_assert_int_eq(tmpm_get(t.port, "/", NULL, 0), 200);
    tmpm_stop(&t);
    tmpm_kill(&t);
}
END_TEST

NTT_MAIN(connect_mode_serves, data_mode_serves, none_mode_serves,
         data_mode_closes_silent_clients_after_timeout)
