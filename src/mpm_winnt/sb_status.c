/* server-status' view of the scoreboard: every slot of every live child row, as mod_status shows.
 */
#include "server_int.h"

#include <stdlib.h>
#include <string.h>

#define REQ_LEN sizeof(((struct sb_worker *)0)->request)
#define CLIENT_LEN sizeof(((struct sb_worker *)0)->client)

static char letter(uint32_t state)
{
    switch (state) {
    case SB_READY:
        return '_';
    case SB_READING:
        return 'R';
    case SB_WRITING:
        return 'W';
    case SB_KEEPALIVE:
        return 'K';
    case SB_GRACEFUL:
        return 'G';
    default:
        return '.';
    }
}

static uint32_t read_state(struct sb_worker *w)
{
    return (uint32_t)InterlockedCompareExchange((LONG volatile *)(void *)&w->state, 0, 0);
}

void server_status_snapshot(void *ctx, struct http_status_snapshot *snap)
{
    struct server *srv = ctx;
    struct sb_header *h = srv->sb;
    FILETIME now;
    GetSystemTimeAsFileTime(&now);
    snap->now_ft = ((uint64_t)now.dwHighDateTime << 32) | now.dwLowDateTime;
    snap->restart_ft = srv->started_ft;
    snap->start_ft = h->start_ft;
    snap->parent_pid = h->parent_pid;
    /* Our own row's generation: the parent set it before this child started. */
    snap->generation = srv->row->generation;
    snap->threads_per_child = (unsigned)srv->conf->threads_per_child;
    snap->thread_limit = h->thread_limit;
    snap->workers = NULL;
    snap->n_workers = 0;

    unsigned rows[SB_ROWS], n_rows = 0;
    for (unsigned r = 0; r < SB_ROWS; r++)
        if (&h->row[r] == srv->row || h->row[r].pid != 0)
            rows[n_rows++] = r;
    size_t n = (size_t)n_rows * h->thread_limit;
    /* One block: the workers, then their texts (the library frees workers). */
    struct http_status_worker *ws = malloc(n * (sizeof(*ws) + REQ_LEN + CLIENT_LEN) + 1);
    if (!ws)
        return;
    char *text = (char *)(ws + n);
    size_t k = 0;
    for (unsigned i = 0; i < n_rows; i++) {
        struct sb_row *row = &h->row[rows[i]];
        struct sb_worker *slots = sb_slots(h, rows[i]);
        int ours = row == srv->row;
        for (uint32_t j = 0; j < h->thread_limit; j++, k++) {
            struct sb_worker *w = &slots[j];
            struct http_status_worker *o = &ws[k];
            char *req = text + k * (REQ_LEN + CLIENT_LEN), *client = req + REQ_LEN;
            o->pid = row->pid;
            o->generation = row->generation;
            if (ours) {
                /* Our workers write their slots now: under the slot's lock. Other rows belong to
                 * other processes; a torn text there only shows in the page. */
                o->state = letter(read_state(w));
                AcquireSRWLockShared(&srv->slot_locks[j]);
                o->accesses = w->access_count;
                o->bytes = w->bytes;
                o->duration_us = w->duration_us;
                memcpy(req, w->request, REQ_LEN);
                memcpy(client, w->client, CLIENT_LEN);
                ReleaseSRWLockShared(&srv->slot_locks[j]);
            } else {
                o->state = letter(w->state);
                o->accesses = w->access_count;
                o->bytes = w->bytes;
                o->duration_us = w->duration_us;
                memcpy(req, w->request, REQ_LEN);
                memcpy(client, w->client, CLIENT_LEN);
            }
            req[REQ_LEN - 1] = '\0';
            client[CLIENT_LEN - 1] = '\0';
            o->request = req;
            o->client = client;
        }
    }
    snap->workers = ws;
    snap->n_workers = k;
}
