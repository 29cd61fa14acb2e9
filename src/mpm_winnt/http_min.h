/* Just enough HTTP/1.1 to serve static files: GET/HEAD under DocumentRoot, keep-alive (issue 4
 * replaces it). */
#ifndef NTMPM_HTTP_MIN_H
#define NTMPM_HTTP_MIN_H

#include <winsock2.h>
#include <windows.h>

#include "../config.h"

#include <stddef.h>
#include <stdint.h>

struct http_resp {
    int status;
    HANDLE file; /* INVALID_HANDLE_VALUE when the body (if any) is in body */
    uint64_t file_size;
    const char *body;
    size_t body_len;
    char head[1024];
    size_t head_len;
    int keep_alive;   /* the connection stays open after this response */
    char request[96]; /* the request line, for the scoreboard */
};

/* Look at buf[0..len] (cap is the buffer's size). Returns 0 when a complete request is not there
 * yet and more can come; else the number of bytes the request used, with *resp filled (the caller
 * sends head, then the file or body, and closes the file). may_keep_alive: 0 forces close. */
size_t http_min_handle(const struct server_config *conf, const char *buf, size_t len, size_t cap,
                       unsigned requests_so_far, int may_keep_alive, struct http_resp *resp);

#endif
