/* Shared helpers of the core tests: the Check runner (tcheck.h), a scratch directory, config runs.
 */
#ifndef NTT_TCORE_H
#define NTT_TCORE_H

#include "../compat/tcheck.h"
#include "../compat/tscratch.h"
#include "config.h"

static inline void tremove_tree(const char *path)
{
    char glob[1200];
    int len = snprintf(glob, sizeof(glob), "%s/*", path);
    ck_assert(len > 0 && (size_t)len < sizeof(glob));
    WIN32_FIND_DATAA fd;
    HANDLE h = FindFirstFileA(glob, &fd);
    if (h != INVALID_HANDLE_VALUE) {
        do {
            if (strcmp(fd.cFileName, ".") == 0 || strcmp(fd.cFileName, "..") == 0)
                continue;
            char child[1200];
            len = snprintf(child, sizeof(child), "%s/%s", path, fd.cFileName);
            ck_assert(len > 0 && (size_t)len < sizeof(child));
            if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
                tremove_tree(child);
            else
                DeleteFileA(child);
        } while (FindNextFileA(h, &fd));
        FindClose(h);
    }
    RemoveDirectoryA(path);
}

static inline void tdir_remove(struct tdir *d)
{
    tremove_tree(d->path);
}

/* Warnings captured from the sink. */
struct twarn {
    char msgs[16][1024];
    int n;
};

static inline void twarn_fn(void *ctx, const char *message)
{
    struct twarn *w = ctx;
    if (w->n < 16)
        snprintf(w->msgs[w->n], sizeof(w->msgs[0]), "%s", message);
    w->n++;
}

static inline int twarn_has(const struct twarn *w, const char *text)
{
    for (int i = 0; i < w->n && i < 16; i++)
        if (strstr(w->msgs[i], text) != NULL)
            return 1;
    return 0;
}

/* Load dir/main.conf with ServerRoot dir (and the given -C/-c/-D). */
struct trun {
    const char *pre[8];
    size_t n_pre;
    const char *post[8];
    size_t n_post;
    const char *defines[8];
    size_t n_defines;
    int mpms_shared;
};

static inline int tload(const struct tdir *d, const struct trun *run, struct config_flat **flat,
                        struct config_error *err)
{
    static const struct trun none;
    if (run == NULL)
        run = &none;
    struct config_load_options o = {
        .server_root = d->path,
        .config_file = "main.conf",
        .pre = run->pre,
        .n_pre = run->n_pre,
        .post = run->post,
        .n_post = run->n_post,
        .defines = run->defines,
        .n_defines = run->n_defines,
        .mpms_shared = run->mpms_shared,
    };
    return config_load(&o, flat, err);
}

/* Write main.conf, load and apply it. 0 and *conf, or -1 and *err. Warnings into w (may be NULL).
 */
static inline int tconfig(const struct tdir *d, const char *text, const struct trun *run,
                          struct twarn *w, struct server_config **conf, struct config_error *err)
{
    struct config_flat *flat = NULL;
    twrite(d, "main.conf", text);
    *conf = NULL;
    if (tload(d, run, &flat, err) != 0)
        return -1;
    struct config_sink sink = {twarn_fn, w};
    int rc = config_apply(flat, w ? &sink : NULL, conf, err);
    config_flat_free(flat);
    return rc;
}

/* The text of every flattened line, joined with '\n' (for compact assertions). */
static inline const char *tflat_text(const struct config_flat *flat)
{
    static char buf[8192];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < config_flat_count(flat); i++) {
        struct config_line l = config_flat_line(flat, i);
        o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s", i ? "\n" : "", l.text);
        ck_assert(o < sizeof(buf));
    }
    return buf;
}

#define ck_assert_contains(hay, needle)                                                            \
    ck_assert_msg(strstr((hay), (needle)) != NULL, "'%s' does not contain '%s'", (hay), (needle))

#endif
