/* The scoreboard's layout in shared memory: read by the server, by ScoreBoardFile readers, tests.
 */
#ifndef NTMPM_SCOREBOARD_H
#define NTMPM_SCOREBOARD_H

#include <stdint.h>

#define SB_MAGIC 0x534d544eu /* "NTMS" */
#define SB_VERSION 3u
/* Rows: the serving child and the ones still quiescing after restarts. */
#define SB_ROWS 4

enum sb_state {
    SB_DEAD = 0,
    SB_READY = 1,
    SB_READING = 2,
    SB_WRITING = 3,
    SB_KEEPALIVE = 4,
    SB_GRACEFUL = 5,
};

/* One child generation. pid 0: the row is free. */
struct sb_row {
    volatile uint32_t pid;
    volatile uint32_t generation;
    volatile uint32_t quiescing; /* told to exit, finishing its requests */
    volatile uint32_t ready;     /* accepting */
    volatile uint32_t threads;   /* worker threads started */
    uint32_t pad;
};

/* One worker thread of a row. */
struct sb_worker {
    volatile uint32_t state; /* enum sb_state */
    uint32_t pad;
    volatile uint64_t access_count;
    volatile uint64_t bytes;
    volatile uint64_t duration_us; /* the requests' durations summed (mod_status' Total Duration) */
    char request[96];              /* last request line, truncated */
    char client[48];               /* last client address */
};

struct sb_header {
    uint32_t magic;
    uint32_t version;
    uint32_t thread_limit; /* slots per row, fixed for the server's life */
    uint32_t rows;
    volatile uint32_t parent_pid;
    volatile uint32_t generation; /* of the serving child */
    uint64_t start_ft;            /* FILETIME the control process started (server-status) */
    struct sb_row row[SB_ROWS];
    /* then rows * thread_limit struct sb_worker, row-major */
};

static inline struct sb_worker *sb_slots(struct sb_header *h, unsigned row)
{
    return (struct sb_worker *)(void *)(h + 1) + (uint64_t)row * h->thread_limit;
}

static inline uint64_t sb_size_for(uint32_t thread_limit)
{
    return sizeof(struct sb_header) + (uint64_t)SB_ROWS * thread_limit * sizeof(struct sb_worker);
}

#endif
