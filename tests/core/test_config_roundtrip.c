/* Serialise/deserialise: the child gets the exact lines, same results and same file:line. */
#include "tcore.h"

static const char conf_text[] = "# top\n"
                                "Listen 127.0.0.1:8080\n"
                                "Listen [::1]:8080 http\n"
                                "Include conf.d/*.conf\n"
                                "<IfDefine !NOPE>\n"
                                "  ThreadsPerChild 20\n"
                                "</IfDefine>\n"
                                "ServerName \"name with \\\"quotes\\\"\"\n";

static void same_config(const struct server_config *a, const struct server_config *b)
{
    ck_assert_str_eq(a->server_root, b->server_root);
    ck_assert_str_eq(a->server_name, b->server_name);
    ck_assert_uint_eq(a->n_listens, b->n_listens);
    for (size_t i = 0; i < a->n_listens; i++) {
        ck_assert_str_eq(a->listens[i].host, b->listens[i].host);
        ck_assert_uint_eq(a->listens[i].port, b->listens[i].port);
        ck_assert_str_eq(a->listens[i].protocol, b->listens[i].protocol);
        ck_assert_str_eq(a->listens[i].file, b->listens[i].file);
        ck_assert_uint_eq(a->listens[i].line, b->listens[i].line);
    }
    ck_assert_int_eq(a->threads_per_child, b->threads_per_child);
    ck_assert_uint_eq(a->timeout_ms, b->timeout_ms);
    ck_assert_str_eq(a->pid_file, b->pid_file);
}

START_TEST(round_trip_gives_identical_lines_and_results)
{
    struct tdir d;
    tdir_make(&d);
    tmkdir(&d, "conf.d");
    twrite(&d, "conf.d/t.conf", "TimeOut 30\n");
    twrite(&d, "main.conf", conf_text);
    struct config_flat *flat, *copy;
    struct config_error err;
    ck_assert_msg(tload(&d, NULL, &flat, &err) == 0, "%s", err.message);
    char *buf;
    size_t len;
    ck_assert_int_eq(config_serialise(flat, &buf, &len), 0);
    ck_assert_int_eq(config_deserialise(buf, len, &copy, &err), 0);
    ck_assert_uint_eq(config_flat_count(flat), config_flat_count(copy));
    for (size_t i = 0; i < config_flat_count(flat); i++) {
        struct config_line a = config_flat_line(flat, i), b = config_flat_line(copy, i);
        ck_assert_str_eq(a.file, b.file);
        ck_assert_uint_eq(a.line, b.line);
        ck_assert_str_eq(a.text, b.text);
    }
    ck_assert_str_eq(config_flat_server_root(flat), config_flat_server_root(copy));
    /* Serialising the copy gives the same bytes. */
    char *buf2;
    size_t len2;
    ck_assert_int_eq(config_serialise(copy, &buf2, &len2), 0);
    ck_assert_uint_eq(len, len2);
    ck_assert(memcmp(buf, buf2, len) == 0);
    /* Same applied configuration, even with the files gone (no disk access). */
    struct server_config *a, *b;
    ck_assert_msg(config_apply(flat, NULL, &a, &err) == 0, "%s", err.message);
    tdir_remove(&d);
    ck_assert_msg(config_apply(copy, NULL, &b, &err) == 0, "%s", err.message);
    same_config(a, b);
    ck_assert_int_eq(b->threads_per_child, 20);
    ck_assert_uint_eq(b->timeout_ms, 30000);
    ck_assert_str_eq(b->server_name, "name with \"quotes\"");
    server_config_free(a);
    server_config_free(b);
    free(buf);
    free(buf2);
    config_flat_free(flat);
    config_flat_free(copy);
}
END_TEST

START_TEST(errors_from_the_copy_name_the_original_file_and_line)
{
    struct tdir d;
    tdir_make(&d);
    tmkdir(&d, "conf.d");
    twrite(&d, "conf.d/t.conf", "\n\nThreadsPerChild many\n");
    twrite(&d, "main.conf", conf_text);
    struct config_flat *flat, *copy;
    struct config_error e1, e2;
    ck_assert_msg(tload(&d, NULL, &flat, &e1) == 0, "%s", e1.message);
    char *buf;
    size_t len;
    ck_assert_int_eq(config_serialise(flat, &buf, &len), 0);
    ck_assert_int_eq(config_deserialise(buf, len, &copy, &e1), 0);
    struct server_config *c;
    ck_assert_int_eq(config_apply(flat, NULL, &c, &e1), -1);
    ck_assert_int_eq(config_apply(copy, NULL, &c, &e2), -1);
    ck_assert_str_eq(e1.message, e2.message);
    char want[2048];
    snprintf(want, sizeof(want),
             "Syntax error on line 3 of %s: Invalid value 'many' for directive ThreadsPerChild, "
             "expected integer",
             tpath(&d, "conf.d/t.conf"));
    ck_assert_str_eq(e2.message, want);
    free(buf);
    config_flat_free(flat);
    config_flat_free(copy);
    tdir_remove(&d);
}
END_TEST

START_TEST(damaged_images_are_rejected)
{
    struct tdir d;
    tdir_make(&d);
    twrite(&d, "main.conf", "Listen 80\n<Directory />\n</Directory>\n");
    struct config_flat *flat, *copy;
    struct config_error err;
    ck_assert_msg(tload(&d, NULL, &flat, &err) == 0, "%s", err.message);
    char *buf;
    size_t len;
    ck_assert_int_eq(config_serialise(flat, &buf, &len), 0);
    /* Every truncation and a flipped byte in the header fail cleanly. */
    for (size_t n = 0; n < len; n++) {
        ck_assert_int_eq(config_deserialise(buf, n, &copy, &err), -1);
        ck_assert_ptr_null(copy);
    }
    ck_assert_contains(err.message, "damaged");
    buf[0] = 'X';
    ck_assert_int_eq(config_deserialise(buf, len, &copy, &err), -1);
    free(buf);
    config_flat_free(flat);
    tdir_remove(&d);
}
END_TEST

NTT_MAIN(round_trip_gives_identical_lines_and_results,
         errors_from_the_copy_name_the_original_file_and_line, damaged_images_are_rejected)
