/* Listeners: bind and listen for each Listen line; across restarts keep the sockets that match. */
#include "mpm_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int same_host(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return 0;
    }
    return *a == *b;
}

static char *dup_str(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void mpm_listen_name(const struct mpm_listener *l, char *buf, size_t size)
{
    const char *host = l->host ? l->host : (l->family == AF_INET6 ? "::" : "0.0.0.0");
    if (l->family == AF_INET6)
        snprintf(buf, size, "[%s]:%u", host, l->port);
    else
        snprintf(buf, size, "%s:%u", host, l->port);
}

static SOCKET bind_one(const struct server_config *conf, const struct config_listen *cl,
                       int *family)
{
    char port[8];
    snprintf(port, sizeof(port), "%u", cl->port);
    ADDRINFOA hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = cl->host ? AF_UNSPEC : AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_PASSIVE;
    int rc = getaddrinfo(cl->host, port, &hints, &res);
    if (rc != 0 || !res) {
        mpm_logf(CONFIG_LOG_CRIT, "%s:%u: Listen: could not resolve host name %s -- exiting!",
                 cl->file, cl->line, cl->host ? cl->host : "*");
        return INVALID_SOCKET;
    }
    SOCKET s = WSASocketW(res->ai_family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    int err = 0;
    if (s == INVALID_SOCKET) {
        err = WSAGetLastError();
    } else {
        /* Windows' default is already exclusive; say so, so no other socket can take the port
         * [Using SO_REUSEADDR and SO_EXCLUSIVEADDRUSE]. */
        int one = 1;
        (void)setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&one, sizeof(one));
        if (conf->receive_buffer_size > 0)
            (void)setsockopt(s, SOL_SOCKET, SO_RCVBUF, (const char *)&conf->receive_buffer_size,
                             sizeof(int));
        if (conf->send_buffer_size > 0)
            (void)setsockopt(s, SOL_SOCKET, SO_SNDBUF, (const char *)&conf->send_buffer_size,
                             sizeof(int));
        if (bind(s, res->ai_addr, (int)res->ai_addrlen) != 0 ||
            listen(s, conf->listen_backlog) != 0) {
            err = WSAGetLastError();
            closesocket(s);
            s = INVALID_SOCKET;
        }
    }
    *family = res->ai_family;
    freeaddrinfo(res);
    if (s == INVALID_SOCKET)
        mpm_logf(CONFIG_LOG_CRIT,
                 "(%d) %s:%u: Listen: make_sock: could not bind to address %s%s%s:%u -- exiting!",
                 err, cl->file, cl->line, cl->host && strchr(cl->host, ':') ? "[" : "",
                 cl->host ? cl->host : "0.0.0.0", cl->host && strchr(cl->host, ':') ? "]" : "",
                 cl->port);
    return s;
}

int mpm_listen_open(const struct server_config *conf, struct mpm_listener *prev, size_t n_prev,
                    struct mpm_listener **out, size_t *n_out)
{
    struct mpm_listener *ls = calloc(conf->n_listens ? conf->n_listens : 1, sizeof(*ls));
    if (!ls)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < conf->n_listens; i++, n++) {
        const struct config_listen *cl = &conf->listens[i];
        struct mpm_listener *l = &ls[n];
        l->s = INVALID_SOCKET;
        for (size_t j = 0; j < n_prev; j++) {
            if (prev[j].s != INVALID_SOCKET && prev[j].port == cl->port &&
                same_host(prev[j].host, cl->host)) {
                /* Shared with prev until the caller commits (then prev's copy is forgotten). */
                l->s = prev[j].s;
                l->family = prev[j].family;
                break;
            }
        }
        if (l->s == INVALID_SOCKET)
            l->s = bind_one(conf, cl, &l->family);
        l->host = dup_str(cl->host);
        l->port = cl->port;
        l->protocol = dup_str(cl->protocol);
        l->mode = config_accept_mode_for(conf, cl->protocol);
        if (l->s == INVALID_SOCKET) {
            /* Close only the sockets this call bound. */
            for (size_t k = 0; k < n; k++) {
                int shared = 0;
                for (size_t j = 0; j < n_prev; j++)
                    shared |= prev[j].s == ls[k].s;
                if (!shared)
                    closesocket(ls[k].s);
                ls[k].s = INVALID_SOCKET;
            }
            mpm_listen_forget(ls, n + 1);
            return -1;
        }
    }
    *out = ls;
    *n_out = n;
    return 0;
}

void mpm_listen_forget(struct mpm_listener *ls, size_t n)
{
    if (!ls)
        return;
    for (size_t i = 0; i < n; i++) {
        free(ls[i].host);
        free(ls[i].protocol);
    }
    free(ls);
}

void mpm_listen_close(struct mpm_listener *ls, size_t n)
{
    if (!ls)
        return;
    for (size_t i = 0; i < n; i++)
        if (ls[i].s != INVALID_SOCKET)
            closesocket(ls[i].s);
    mpm_listen_forget(ls, n);
}
