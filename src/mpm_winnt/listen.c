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

/* A listening socket for addr; INVALID_SOCKET with *err set. dual: an IPv6 socket that takes
 * IPv4 connections too (IPV6_V6ONLY off) [Dual-Stack Sockets for IPv6 Winsock Applications]. */
static SOCKET make_sock(const struct server_config *conf, const ADDRINFOA *addr, int dual, int *err)
{
    SOCKET s = WSASocketW(addr->ai_family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (s == INVALID_SOCKET) {
        *err = WSAGetLastError();
        return INVALID_SOCKET;
    }
    /* Windows' default is already exclusive; say so, so no other socket can take the port
     * [Using SO_REUSEADDR and SO_EXCLUSIVEADDRUSE]. */
    int one = 1, zero = 0;
    (void)setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&one, sizeof(one));
    if (conf->receive_buffer_size > 0)
        (void)setsockopt(s, SOL_SOCKET, SO_RCVBUF, (const char *)&conf->receive_buffer_size,
                         sizeof(int));
    if (conf->send_buffer_size > 0)
        (void)setsockopt(s, SOL_SOCKET, SO_SNDBUF, (const char *)&conf->send_buffer_size,
                         sizeof(int));
    if ((dual &&
         setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&zero, sizeof(zero)) != 0) ||
        bind(s, addr->ai_addr, (int)addr->ai_addrlen) != 0 ||
        listen(s, conf->listen_backlog) != 0) {
        *err = WSAGetLastError();
        closesocket(s);
        return INVALID_SOCKET;
    }
    return s;
}

/* The address of host (NULL: the unspecified one of family) and port; NULL when unresolved. */
static ADDRINFOA *resolve(const char *host, unsigned port, int family)
{
    char text[8];
    snprintf(text, sizeof(text), "%u", port);
    ADDRINFOA hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_PASSIVE;
    if (getaddrinfo(host, text, &hints, &res) != 0)
        return NULL;
    return res;
}

static SOCKET bind_one(const struct server_config *conf, const struct config_listen *cl,
                       int *family)
{
    int err = 0;
    const char *shown = cl->host ? cl->host : "0.0.0.0";
    if (cl->host == NULL) {
        /* "Listen 80": one socket on [::] that takes IPv4 too, as httpd's *:80 on a dual-stack
         * system; 0.0.0.0 alone where the system has no IPv6. */
        ADDRINFOA *any6 = resolve(NULL, cl->port, AF_INET6);
        if (any6 != NULL) {
            SOCKET s = make_sock(conf, any6, 1, &err);
            freeaddrinfo(any6);
            if (s != INVALID_SOCKET) {
                *family = AF_INET6;
                return s;
            }
            /* The port is taken: that is the error to report, not a missing IPv6. */
            if (err == WSAEADDRINUSE || err == WSAEACCES) {
                shown = "::";
                goto fail;
            }
        }
    }
    ADDRINFOA *res = resolve(cl->host, cl->port, cl->host ? AF_UNSPEC : AF_INET);
    if (res == NULL) {
        mpm_logf(CONFIG_LOG_CRIT, "%s:%u: Listen: could not resolve host name %s -- exiting!",
                 cl->file, cl->line, cl->host ? cl->host : "*");
        return INVALID_SOCKET;
    }
    err = 0;
    SOCKET s = make_sock(conf, res, 0, &err);
    *family = res->ai_family;
    freeaddrinfo(res);
    if (s != INVALID_SOCKET)
        return s;
fail:
    mpm_logf(CONFIG_LOG_CRIT,
             "(%d) %s:%u: Listen: make_sock: could not bind to address %s%s%s:%u -- exiting!", err,
             cl->file, cl->line, strchr(shown, ':') ? "[" : "", shown,
             strchr(shown, ':') ? "]" : "", cl->port);
    return INVALID_SOCKET;
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
