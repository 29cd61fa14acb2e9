/* The process tree: PidFile names the control process, one child with ThreadsPerChild workers. */
#include "tmpm.h"

START_TEST(one_parent_one_child_and_its_workers)
{
    struct tmpm t;
    tmpm_init(&t, "tree", NULL);
    tmpm_start(&t);

    char *pid_text = tmpm_read_file(t.pid_file);
    DWORD from_file = (DWORD)strtoul(pid_text, NULL, 10);
    free(pid_text);
    ck_assert_uint_eq(from_file, t.pid);

    struct sb_header *h = tmpm_scoreboard(&t);
    ck_assert_uint_eq(h->parent_pid, t.pid);
    int live = 0;
    struct sb_row *child = NULL;
    for (int i = 0; i < SB_ROWS; i++) {
        if (h->row[i].pid) {
            live++;
            child = &h->row[i];
        }
    }
    ck_assert_int_eq(live, 1);
    ck_assert_uint_ne(child->pid, t.pid);
    ck_assert_uint_eq(child->quiescing, 0);
    ck_assert_uint_eq(child->threads, 4);
    struct sb_worker *slots = sb_slots(h, (unsigned)(child - h->row));
    int ready = 0, busy = 0;
    for (uint32_t i = 0; i < h->thread_limit; i++) {
        ready += slots[i].state == SB_READY;
        busy += slots[i].state != SB_DEAD && slots[i].state != SB_READY;
    }
    /* The probe's request may still be finishing on one worker. */
    ck_assert_int_eq(ready + busy, 4);
    ck_assert_int_ge(ready, 3);
    free(h);

    /* The child is a live process of its own. */
    HANDLE c = OpenProcess(SYNCHRONIZE, FALSE, tmpm_child_pid(&t));
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(WaitForSingleObject(c, 0), WAIT_TIMEOUT);

    tmpm_stop(&t);
    /* The child went with it, and the PidFile is gone. */
    ck_assert_uint_eq(WaitForSingleObject(c, NTT_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(c);
    ck_assert_uint_eq(GetFileAttributesA(t.pid_file), INVALID_FILE_ATTRIBUTES);
}
END_TEST

START_TEST(serves_files_with_keep_alive)
{
    struct tmpm t;
    tmpm_init(&t, "serve", NULL);
    tmpm_start(&t);
    char body[256];
    ck_assert_int_eq(tmpm_get(t.port, "/index.html", body, sizeof(body)), 200);
    ck_assert_str_eq(body, "<html><body>It works!</body></html>\n");
    ck_assert_int_eq(tmpm_get(t.port, "/missing.html", NULL, 0), 404);
    /* A path above the root is a bad request, as in httpd. */
    ck_assert_int_eq(tmpm_get(t.port, "/../ntmpm.conf", NULL, 0), 400);

    /* Three requests, one connection: GET, HEAD, then a POST (405). */
    SOCKET s = tmpm_connect(t.port);
    ck_assert(s != INVALID_SOCKET);
    const char *get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    ck_assert_int_eq(send(s, get, (int)strlen(get), 0), (int)strlen(get));
    ck_assert_int_eq(tmpm_read_response(s, 0, body, sizeof(body)), 200);
    const char *head = "HEAD /index.html HTTP/1.1\r\nHost: x\r\n\r\n";
    ck_assert_int_eq(send(s, head, (int)strlen(head), 0), (int)strlen(head));
    ck_assert_int_eq(tmpm_read_response(s, 1, NULL, 0), 200);
    const char *post = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
    ck_assert_int_eq(send(s, post, (int)strlen(post), 0), (int)strlen(post));
    ck_assert_int_eq(tmpm_read_response(s, 0, NULL, 0), 405);
    closesocket(s);

    /* Pipelined: two requests in one send; the second closes, so read to the end. */
    s = tmpm_connect(t.port);
    const char *two = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                      "GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    ck_assert_int_eq(send(s, two, (int)strlen(two), 0), (int)strlen(two));
    char all[4096];
    size_t len = 0;
    int n;
    while ((n = recv(s, all + len, (int)(sizeof(all) - 1 - len), 0)) > 0)
        len += (size_t)n;
    all[len] = '\0';
    closesocket(s);
    int oks = 0;
    for (char *p = all; (p = strstr(p, "HTTP/1.1 200 OK")) != NULL; p++)
        oks++;
    ck_assert_int_eq(oks, 2);
    tmpm_stop(&t);
}
END_TEST

NTT_MAIN(one_parent_one_child_and_its_workers, serves_files_with_keep_alive)
