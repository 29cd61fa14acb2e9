/* Listen: [addr:]port [protocol], IPv4 and IPv6, several, duplicates, errors, at least one. */
#include "tcore.h"

START_TEST(forms)
{
    struct tdir d;
    tdir_make(&d);
    struct server_config *c;
    struct config_error err;
    int rc = tconfig(&d,
                     "Listen 8080\n"
                     "Listen 127.0.0.1:8081\n"
                     "Listen [::1]:8082 HTTP\n"
                     "Listen [::]:443\n"
                     "Listen *:8083 https\n"
                     "Listen localhost:8084\n"
                     "Listen [FE80::1]:8085\n",
                     NULL, NULL, &c, &err);
    ck_assert_msg(rc == 0, "%s", err.message);
    ck_assert_uint_eq(c->n_listens, 7);
    ck_assert_ptr_null(c->listens[0].host);
    ck_assert_uint_eq(c->listens[0].port, 8080);
    ck_assert_str_eq(c->listens[0].protocol, "http");
    ck_assert_str_eq(c->listens[0].file, tpath(&d, "main.conf"));
    ck_assert_uint_eq(c->listens[0].line, 1);
    ck_assert_str_eq(c->listens[1].host, "127.0.0.1");
    ck_assert_uint_eq(c->listens[1].port, 8081);
    ck_assert_str_eq(c->listens[2].host, "::1");
    ck_assert_str_eq(c->listens[2].protocol, "http");
    ck_assert_str_eq(c->listens[3].host, "::");
    ck_assert_str_eq(c->listens[3].protocol, "https"); /* port 443 without a protocol */
    ck_assert_ptr_null(c->listens[4].host);
    ck_assert_str_eq(c->listens[4].protocol, "https");
    ck_assert_str_eq(c->listens[5].host, "localhost");
    ck_assert_str_eq(c->listens[6].host, "fe80::1");
    ck_assert_uint_eq(c->listens[6].line, 7);
    server_config_free(c);
    tdir_remove(&d);
}
END_TEST

static const char *listen_error(struct tdir *d, const char *text)
{
    static struct config_error err;
    struct server_config *c;
    ck_assert_int_eq(tconfig(d, text, NULL, NULL, &c, &err), -1);
    return err.message;
}

START_TEST(duplicates_are_an_error)
{
    struct tdir d;
    tdir_make(&d);
    char want[2048];
    snprintf(want, sizeof(want),
             "Syntax error on line 3 of %s: Cannot define multiple Listeners on the same IP:port",
             tpath(&d, "main.conf"));
    ck_assert_str_eq(listen_error(&d, "Listen 80\nListen 127.0.0.1:80\nListen *:80\n"), want);
    ck_assert_contains(listen_error(&d, "Listen [::1]:80\nListen [0:0:0:0:0:0:0:1]:81\n"
                                        "Listen [::1]:80 https\n"),
                       "on line 3 of");
    ck_assert_contains(listen_error(&d, "Listen [FE80::1]:80\nListen [fe80::1]:80\n"),
                       "Cannot define multiple Listeners on the same IP:port");
    tdir_remove(&d);
}
END_TEST

START_TEST(bad_forms)
{
    struct tdir d;
    tdir_make(&d);
    ck_assert_contains(listen_error(&d, "Listen\n"), "Listen requires 1 or 2 arguments.");
    ck_assert_contains(listen_error(&d, "Listen 80 http extra\n"),
                       "Listen requires 1 or 2 arguments.");
    ck_assert_contains(listen_error(&d, "Listen 0\n"), "Port must be specified");
    ck_assert_contains(listen_error(&d, "Listen [::1]\n"), "Port must be specified");
    ck_assert_contains(listen_error(&d, "Listen localhost\n"), "Port must be specified");
    ck_assert_contains(listen_error(&d, "Listen 70000\n"), "Invalid address or port");
    ck_assert_contains(listen_error(&d, "Listen ::1:80\n"), "Invalid address or port");
    ck_assert_contains(listen_error(&d, "Listen [::1:80\n"), "Invalid address or port");
    ck_assert_contains(listen_error(&d, "Listen 1.2.3.4:http\n"), "Invalid address or port");
    ck_assert_contains(listen_error(&d, "Listen [fe80::1%eth0]:80\n"), "Scope id is not supported");
    tdir_remove(&d);
}
END_TEST

START_TEST(at_least_one_listen)
{
    struct tdir d;
    tdir_make(&d);
    struct server_config *c;
    struct config_error err;
    ck_assert_int_eq(tconfig(&d, "TimeOut 5\n", NULL, NULL, &c, &err), -1);
    ck_assert_str_eq(err.message, "no listening sockets available, shutting down");
    ck_assert_uint_eq(err.line, 0);
    tdir_remove(&d);
}
END_TEST

NTT_MAIN(forms, duplicates_are_an_error, bad_forms, at_least_one_listen)
