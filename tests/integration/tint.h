/* Shared helpers of the integration tests: run the real ntmpm binary with pipes, scratch dirs. */
#ifndef NTT_TINT_H
#define NTT_TINT_H

#include "../compat/tcheck.h"
#include "../compat/tscratch.h"

#include <stdarg.h>

/* ntmpm[.exe], built in <builddir>/src, two levels above this test (<builddir>/tests/integration).
 */
static inline const char *tint_ntmpm(void)
{
    static char buf[MAX_PATH * 2];
    char rel[64];
    snprintf(rel, sizeof(rel), "../../src/ntmpm%s", ntt_exe_suffix());
    return ntt_beside_exe(buf, sizeof(buf), rel);
}

/* What a run of ntmpm printed, and how it ended. */
struct tint_result {
    DWORD exit_code;
    char out[65536]; /* stdout, NUL-terminated (truncated if longer) */
    char err[65536]; /* stderr */
};

struct tint_reader {
    HANDLE pipe;
    char *buf;
    size_t size;
};

static DWORD WINAPI tint_read_all(LPVOID arg)
{
    struct tint_reader *r = arg;
    size_t len = 0;
    char chunk[4096];
    DWORD got;
    while (ReadFile(r->pipe, chunk, sizeof(chunk), &got, NULL) && got > 0) {
        /* stdio in text mode ends Windows lines with CRLF: compare texts with '\n' only. */
        for (DWORD i = 0; i < got && len < r->size - 1; i++)
            if (chunk[i] != '\r')
                r->buf[len++] = chunk[i];
    }
    r->buf[len] = '\0';
    return 0;
}

/* CreateProcessA with inherited handles, retried when Wine 8 fails it with ERROR_INTERNAL_ERROR
 * (1359): seen rarely under load when starting ntmpm.exe, with no cause in the program started.
 * Any other failure is returned at once. */
static inline BOOL tint_create_process(const char *app, char *cmdline, STARTUPINFOA *si,
                                       PROCESS_INFORMATION *pi)
{
    for (int attempt = 0;; attempt++) {
        if (CreateProcessA(app, cmdline, NULL, NULL, TRUE, 0, NULL, NULL, si, pi))
            return TRUE;
        if (GetLastError() != ERROR_INTERNAL_ERROR || attempt == 2 || !ntt_on_wine())
            return FALSE;
        fprintf(stderr, "CreateProcessA failed with 1359 under Wine: retrying\n");
    }
}

/* Run ntmpm with the command line cmdline (ntmpm's quoted path first), wait (bounded) for it to
 * exit, and capture stdout and stderr separately. */
static inline void tint_run_cmdline(struct tint_result *res, char *cmdline)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE out_r, out_w, err_r, err_w;
    ck_assert(CreatePipe(&out_r, &out_w, &sa, 0));
    ck_assert(CreatePipe(&err_r, &err_w, &sa, 0));
    /* Only the write ends go to ntmpm: our read ends must not keep its pipes open. */
    ck_assert(SetHandleInformation(out_r, HANDLE_FLAG_INHERIT, 0));
    ck_assert(SetHandleInformation(err_r, HANDLE_FLAG_INHERIT, 0));

    STARTUPINFOA si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = out_w;
    si.hStdError = err_w;
    PROCESS_INFORMATION pi;
    BOOL ok = tint_create_process(NULL, cmdline, &si, &pi);
    DWORD error = GetLastError();
    CloseHandle(out_w);
    CloseHandle(err_w);
    ck_assert_msg(ok, "CreateProcessA(%s): %lu", cmdline, (unsigned long)error);

    struct tint_reader ro = {out_r, res->out, sizeof(res->out)};
    struct tint_reader re = {err_r, res->err, sizeof(res->err)};
    HANDLE threads[2];
    threads[0] = CreateThread(NULL, 0, tint_read_all, &ro, 0, NULL);
    threads[1] = CreateThread(NULL, 0, tint_read_all, &re, 0, NULL);
    ck_assert(threads[0] != NULL && threads[1] != NULL);

    DWORD w = WaitForSingleObject(pi.hProcess, NTT_WAIT_MS);
    if (w != WAIT_OBJECT_0)
        TerminateProcess(pi.hProcess, 99);
    ck_assert(WaitForMultipleObjects(2, threads, TRUE, NTT_WAIT_MS) == WAIT_OBJECT_0);
    ck_assert(GetExitCodeProcess(pi.hProcess, &res->exit_code));
    CloseHandle(threads[0]);
    CloseHandle(threads[1]);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(out_r);
    CloseHandle(err_r);
    ck_assert_msg(w == WAIT_OBJECT_0, "ntmpm did not exit within %d ms: %s", NTT_WAIT_MS, cmdline);
}

/* "<ntmpm>" <prefix><fmt formatted> into a static buffer, then tint_run_cmdline. */
static inline void tint_vrun(struct tint_result *res, const char *prefix, const char *fmt,
                             va_list ap)
{
    static char cmdline[8192];
    int n = snprintf(cmdline, sizeof(cmdline), "\"%s\" %s", tint_ntmpm(), prefix);
    vsnprintf(cmdline + n, sizeof(cmdline) - (size_t)n, fmt, ap);
    tint_run_cmdline(res, cmdline);
}

/* Run ntmpm with the given argument text (already quoted as a command line); see
 * tint_run_cmdline. */
static inline void tint_run(struct tint_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline void tint_run(struct tint_result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tint_vrun(res, "", fmt, ap);
    va_end(ap);
}

/* tint_run with -d "<d's path>" (ServerRoot) before the arguments given. */
static inline void tint_run_in(struct tint_result *res, const struct tdir *d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline void tint_run_in(struct tint_result *res, const struct tdir *d, const char *fmt, ...)
{
    char prefix[sizeof(d->path) + 8];
    snprintf(prefix, sizeof(prefix), "-d \"%s\" ", d->path);
    va_list ap;
    va_start(ap, fmt);
    tint_vrun(res, prefix, fmt, ap);
    va_end(ap);
}

/* Assert that text contains needle, showing both on failure. */
#define tint_assert_has(text, needle)                                                              \
    ck_assert_msg(strstr((text), (needle)) != NULL, "expected \"%s\" in:\n%s", (needle), (text))
#define tint_assert_lacks(text, needle)                                                            \
    ck_assert_msg(strstr((text), (needle)) == NULL, "unexpected \"%s\" in:\n%s", (needle), (text))

/* The whole file (up to size - 1 bytes), NUL-terminated; "" when it does not exist. */
static inline const char *tint_read(const struct tdir *d, const char *rel, char *buf, size_t size)
{
    buf[0] = '\0';
    HANDLE h = CreateFileA(tpath(d, rel), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return buf;
    DWORD got = 0;
    ck_assert(ReadFile(h, buf, (DWORD)(size - 1), &got, NULL));
    buf[got] = '\0';
    CloseHandle(h);
    return buf;
}

/* Remove a scratch directory tree (best effort: files, then subdirectories, then itself). */
static inline void tint_dir_remove(const char *path)
{
    char pattern[1200];
    if (snprintf(pattern, sizeof(pattern), "%s/*", path) >= (int)sizeof(pattern))
        return;
    WIN32_FIND_DATAA fd;
    HANDLE f = FindFirstFileA(pattern, &fd);
    if (f != INVALID_HANDLE_VALUE) {
        do {
            if (strcmp(fd.cFileName, ".") == 0 || strcmp(fd.cFileName, "..") == 0)
                continue;
            char child[1600];
            if (snprintf(child, sizeof(child), "%s/%s", path, fd.cFileName) >= (int)sizeof(child))
                continue;
            if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
                tint_dir_remove(child);
            else
                DeleteFileA(child);
        } while (FindNextFileA(f, &fd));
        FindClose(f);
    }
    RemoveDirectoryA(path);
}

/* The LoadModule line an mpms_shared build needs (its MPM is <builddir>/modules/mod_mpm_winnt.so,
 * .dll on Windows), "" when the MPM is compiled in. Asks ntmpm -V once. */
static inline const char *tint_mpm_loadmodule(void)
{
    static char line[MAX_PATH * 2 + 64];
    static int known;
    if (known)
        return line;
    static struct tint_result v;
    tint_run(&v, "-V");
    ck_assert_uint_eq(v.exit_code, 0);
    line[0] = '\0';
    if (strstr(v.out, "NTMPM_MPMS_SHARED=1") != NULL) {
        char dir[MAX_PATH * 2];
        snprintf(dir, sizeof(dir), "%s", tint_ntmpm());
        char *slash = NULL;
        for (char *p = dir; *p; p++)
            if (*p == '/' || *p == '\\')
                slash = p;
        ck_assert_ptr_nonnull(slash);
        *slash = '\0'; /* <builddir>/src */
        snprintf(line, sizeof(line),
                 "LoadModule mpm_winnt_module \"%s/../modules/mod_mpm_winnt%s\"\n", dir,
                 *ntt_exe_suffix() ? ".dll" : ".so");
    }
    known = 1;
    return line;
}

/* text, then the MPM's LoadModule in an mpms_shared build (rotating static buffers). */
static inline const char *tint_conf(const char *text)
{
    static char bufs[4][8192];
    static unsigned i;
    char *b = bufs[i++ % 4];
    snprintf(b, sizeof(bufs[0]), "%s%s", text, tint_mpm_loadmodule());
    return b;
}

/* A minimal valid configuration for dir d: its own PidFile and ErrorLog, an htdocs, a Listen, the
 * extra lines (from line 6 on), and the MPM's LoadModule in an mpms_shared build. */
static inline const char *tint_basic_conf(const struct tdir *d, const char *extra)
{
    static char conf[4096];
    snprintf(conf, sizeof(conf),
             "ServerRoot \"%s\"\nListen 127.0.0.1:8089\nDocumentRoot htdocs\nErrorLog "
             "logs/error.log\nPidFile logs/ntmpm.pid\n%s%s",
             d->path, extra ? extra : "", tint_mpm_loadmodule());
    return conf;
}

#endif
