/* The parent -> child handshake over the child's stdin pipe: generation, handles, config, sockets.
 */
#include "mpm_int.h"

#include <stdlib.h>
#include <string.h>

#define HS_MAGIC 0x4853544eu /* "NTSH" */

/* Fixed-width so both ends agree whatever the build; handle values travel as 64-bit numbers. */
struct hs_wire {
    uint32_t magic;
    uint32_t generation;
    uint32_t parent_pid;
    uint32_t sb_row;
    uint64_t ready, exit, start_mutex, scoreboard, recycle;
    uint64_t sb_size;
    uint64_t config_len;
    uint32_t n_sockets;
    uint32_t pad;
};

static int write_all(HANDLE pipe, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        DWORD n = 0;
        DWORD chunk = len > 65536 ? 65536 : (DWORD)len;
        if (!WriteFile(pipe, p, chunk, &n, NULL) || n == 0)
            return -1;
        p += n;
        len -= n;
    }
    return 0;
}

static int read_all(HANDLE pipe, void *buf, size_t len)
{
    char *p = buf;
    while (len > 0) {
        DWORD n = 0;
        DWORD chunk = len > 65536 ? 65536 : (DWORD)len;
        if (!ReadFile(pipe, p, chunk, &n, NULL) || n == 0)
            return -1;
        p += n;
        len -= n;
    }
    return 0;
}

static uint64_t hv(HANDLE h)
{
    return (uint64_t)(uintptr_t)h;
}

static HANDLE vh(uint64_t v)
{
    return (HANDLE)(uintptr_t)v;
}

int handshake_send(HANDLE pipe, const struct handshake *h)
{
    struct hs_wire w;
    memset(&w, 0, sizeof(w));
    w.magic = HS_MAGIC;
    w.generation = h->generation;
    w.parent_pid = h->parent_pid;
    w.sb_row = h->sb_row;
    w.ready = hv(h->ready);
    w.exit = hv(h->exit);
    w.start_mutex = hv(h->start_mutex);
    w.scoreboard = hv(h->scoreboard);
    w.recycle = hv(h->recycle);
    w.sb_size = h->sb_size;
    w.config_len = h->config_len;
    w.n_sockets = h->n_sockets;
    if (write_all(pipe, &w, sizeof(w)) || write_all(pipe, h->config, h->config_len))
        return -1;
    for (uint32_t i = 0; i < h->n_sockets; i++) {
        if (write_all(pipe, &h->sockets[i], sizeof(h->sockets[i])) ||
            write_all(pipe, &h->modes[i], sizeof(h->modes[i])))
            return -1;
    }
    return 0;
}

int handshake_receive(HANDLE pipe, struct handshake *h)
{
    struct hs_wire w;
    memset(h, 0, sizeof(*h));
    if (read_all(pipe, &w, sizeof(w)) || w.magic != HS_MAGIC || w.n_sockets > 1024 ||
        w.config_len > (64u << 20))
        return -1;
    h->generation = w.generation;
    h->parent_pid = w.parent_pid;
    h->sb_row = w.sb_row;
    h->ready = vh(w.ready);
    h->exit = vh(w.exit);
    h->start_mutex = vh(w.start_mutex);
    h->scoreboard = vh(w.scoreboard);
    h->recycle = vh(w.recycle);
    h->sb_size = w.sb_size;
    h->config_len = (size_t)w.config_len;
    h->n_sockets = w.n_sockets;
    char *config = malloc(h->config_len + 1);
    h->sockets = calloc(w.n_sockets + 1, sizeof(*h->sockets));
    h->modes = calloc(w.n_sockets + 1, sizeof(*h->modes));
    if (!config || !h->sockets || !h->modes || read_all(pipe, config, h->config_len)) {
        free(config);
        return -1;
    }
    config[h->config_len] = '\0';
    h->config = config;
    for (uint32_t i = 0; i < w.n_sockets; i++) {
        if (read_all(pipe, &h->sockets[i], sizeof(h->sockets[i])) ||
            read_all(pipe, &h->modes[i], sizeof(h->modes[i])))
            return -1;
    }
    return 0;
}
