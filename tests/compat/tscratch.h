/* Scratch directories for tests that need files: make one, name paths in it, write files. */
#ifndef NTT_TSCRATCH_H
#define NTT_TSCRATCH_H

#include "tcheck.h"

/* A fresh directory for one test: under %TMP%/%TEMP% when set, else the current directory. */
struct tdir {
    char path[1024];
};

static inline void tdir_make(struct tdir *d)
{
    static unsigned counter;
    char base[700];
    DWORD n = GetEnvironmentVariableA("TMP", base, sizeof(base));
    if (n == 0 || n >= sizeof(base))
        n = GetEnvironmentVariableA("TEMP", base, sizeof(base));
    if (n == 0 || n >= sizeof(base))
        snprintf(base, sizeof(base), ".");
    char rel[900];
    snprintf(rel, sizeof(rel), "%s/ntmpm-test-%lu-%u", base, (unsigned long)GetCurrentProcessId(),
             counter++);
    ck_assert_msg(CreateDirectoryA(rel, NULL), "CreateDirectoryA(%s): %lu", rel,
                  (unsigned long)GetLastError());
    DWORD len = GetFullPathNameA(rel, sizeof(d->path), d->path, NULL);
    ck_assert(len > 0 && len < sizeof(d->path));
}

/* dir/rel (malloc-free: a static rotating buffer). */
static inline const char *tpath(const struct tdir *d, const char *rel)
{
    static char bufs[8][1200];
    static unsigned i;
    char *b = bufs[i++ % 8];
    snprintf(b, sizeof(bufs[0]), "%s/%s", d->path, rel);
    return b;
}

static inline void tmkdir(const struct tdir *d, const char *rel)
{
    ck_assert_msg(CreateDirectoryA(tpath(d, rel), NULL), "CreateDirectoryA(%s): %lu", rel,
                  (unsigned long)GetLastError());
}

static inline void twrite(const struct tdir *d, const char *rel, const char *text)
{
    HANDLE h = CreateFileA(tpath(d, rel), GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    ck_assert_msg(h != INVALID_HANDLE_VALUE, "CreateFileA(%s): %lu", rel,
                  (unsigned long)GetLastError());
    DWORD done = 0;
    ck_assert(WriteFile(h, text, (DWORD)strlen(text), &done, NULL));
    ck_assert_uint_eq(done, strlen(text));
    ck_assert(CloseHandle(h));
}

#endif
