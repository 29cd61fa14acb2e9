/* Three graceful restarts while clients keep requesting: not one request may fail. */
#include "tmpm.h"

#define CLIENTS 2

struct client {
    unsigned short port;
    volatile LONG *stop;
    long ok, failed;
};

static DWORD WINAPI client_loop(LPVOID arg)
{
    struct client *c = arg;
    /* Bounded: the main thread sets stop; never more than this many requests either. */
    for (int i = 0; i < 200000 && !InterlockedCompareExchange(c->stop, 0, 0); i++) {
        if (tmpm_get(c->port, "/index.html", NULL, 0) == 200)
            c->ok++;
        else
            c->failed++;
    }
    return 0;
}

START_TEST(graceful_restarts_under_load_drop_nothing)
{
    struct tmpm t;
    tmpm_init(&t, "load", NULL);
    tmpm_start(&t);
    volatile LONG stop = 0;
    struct client cl[CLIENTS];
    HANDLE th[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        cl[i].port = t.port;
        cl[i].stop = &stop;
        cl[i].ok = cl[i].failed = 0;
        th[i] = CreateThread(NULL, 0, client_loop, &cl[i], 0, NULL);
        ck_assert_ptr_nonnull(th[i]);
    }
    Sleep(300); /* let the clients get going before the first restart */
    DWORD child = tmpm_child_pid(&t);
    for (int r = 0; r < 3; r++) {
        ck_assert_uint_eq(tmpm_run(&t, "-k graceful", 3 * NTT_WAIT_MS), 0);
        DWORD next = tmpm_wait_new_child(&t, child, 3 * NTT_WAIT_MS);
        ck_assert_uint_ne(next, 0);
        child = next;
        Sleep(300); /* serve a while with the new child */
    }
    InterlockedExchange(&stop, 1);
    ck_assert_uint_eq(WaitForMultipleObjects(CLIENTS, th, TRUE, 3 * NTT_WAIT_MS), WAIT_OBJECT_0);
    long ok = 0, failed = 0;
    for (int i = 0; i < CLIENTS; i++) {
        ok += cl[i].ok;
        failed += cl[i].failed;
        CloseHandle(th[i]);
    }
    fprintf(stderr, "3 graceful restarts under load: %ld requests, %ld failed\n", ok + failed,
            failed);
    ck_assert_int_gt(ok, 0);
    ck_assert_int_eq(failed, 0);
    tmpm_stop(&t);
    tmpm_kill(&t);
}
END_TEST

NTT_MAIN(graceful_restarts_under_load_drop_nothing)
