/* CreateProcess: Microsoft's command-line rules, the program search, fork/exec and the channel. */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Split a command line into argv as the Microsoft C runtime does (parse_cmdline; CommandLineToArgvW
 * agrees): the program name ends at the first blank outside quotes and its quotes are dropped with
 * no escapes; in the other arguments 2n backslashes before a quote give n backslashes and the quote
 * opens or closes a quoted part, 2n+1 give n and a literal quote, other backslashes are literal,
 * and
 * "" inside a quoted part is a literal quote. Returns a NULL-terminated array in one malloc'd
 * block.
 */
static char **parse_command_line(const char *cmd, size_t *argc_out)
{
    size_t len = strlen(cmd);
    size_t max_args = len / 2 + 2;
    char **argv = malloc(max_args * sizeof(char *) + (len + 1) * 2);
    if (!argv)
        return NULL;
    char *out = (char *)(argv + max_args);
    size_t argc = 0;
    const char *p = cmd;

    if (*p) {
        argv[argc++] = out;
        bool inquote = false;
        while (*p && (inquote || (*p != ' ' && *p != '\t'))) {
            if (*p == '"')
                inquote = !inquote;
            else
                *out++ = *p;
            p++;
        }
        *out++ = '\0';
    }
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        argv[argc++] = out;
        bool inquote = false;
        for (;;) {
            bool copy = true;
            size_t slashes = 0;
            while (*p == '\\')
                p++, slashes++;
            if (*p == '"') {
                if (slashes % 2 == 0) {
                    if (inquote && p[1] == '"') {
                        p++; /* "" inside quotes: a literal quote */
                    } else {
                        copy = false;
                        inquote = !inquote;
                    }
                }
                slashes /= 2;
            }
            while (slashes--)
                *out++ = '\\';
            if (!*p || (!inquote && (*p == ' ' || *p == '\t')))
                break;
            if (copy)
                *out++ = *p;
            p++;
        }
        *out++ = '\0';
    }
    argv[argc] = NULL;
    *argc_out = argc;
    return argv;
}

static bool is_program(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static char *join(const char *dir, size_t dirlen, const char *name)
{
    char *p = malloc(dirlen + strlen(name) + 2);
    if (p) {
        memcpy(p, dir, dirlen);
        p[dirlen] = '/';
        strcpy(p + dirlen + 1, name);
    }
    return p;
}

static char *try_dir(const char *dir, size_t dirlen, const char *name)
{
    if (dirlen == 0)
        return NULL;
    char *p = join(dir, dirlen, name);
    if (p && is_program(p))
        return p;
    free(p);
    return NULL;
}

/*
 * The absolute path of the program to run (malloc'd), or NULL with the last error set. A name
 * without a '/' is searched in the directory of the current executable, the current directory,
 * then PATH, as Windows does (without the system directories, and without appending ".exe"
 * [CreateProcessA]). A name with a path is taken relative to our current directory.
 */
static char *find_program(const char *name)
{
    char cwd[4096];
    if (!getcwd(cwd, sizeof(cwd)))
        cwd[0] = '\0';
    if (strchr(name, '/')) {
        char *p = name[0] == '/' ? strdup(name) : join(cwd, strlen(cwd), name);
        if (!p) {
            SetLastError(ERROR_NOT_ENOUGH_MEMORY);
            return NULL;
        }
        struct stat st;
        if (stat(p, &st) != 0) {
            ntc_file_set_path_error(errno, p);
            free(p);
            return NULL;
        }
        return p;
    }
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    char *found = NULL;
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            found = try_dir(exe, (size_t)(slash - exe), name);
    }
    if (!found)
        found = try_dir(cwd, strlen(cwd), name);
    const char *path = getenv("PATH");
    while (!found && path && *path) {
        const char *end = strchrnul(path, ':');
        found = try_dir(path, (size_t)(end - path), name);
        path = *end ? end + 1 : end;
    }
    if (!found)
        SetLastError(ERROR_FILE_NOT_FOUND);
    return found;
}

#define CHANNEL_VAR "NTCOMPAT_CHANNEL"

/*
 * The child's environment: the given block (ANSI, or UTF-16 with CREATE_UNICODE_ENVIRONMENT) or
 * ours, without the "=C:" style entries POSIX cannot hold, plus the channel variable. One block.
 */
static char **build_env(const void *block, bool unicode, int channel_fd)
{
    char chan[64];
    snprintf(chan, sizeof(chan), CHANNEL_VAR "=%d", channel_fd);
    char **src = NULL;
    char **owned = NULL; /* strings converted from UTF-16 */
    size_t n = 0;
    if (!block) {
        src = ntc_env_snapshot();
        if (!src)
            return NULL;
        while (src[n])
            n++;
    } else if (!unicode) {
        for (const char *s = block; *s; s += strlen(s) + 1)
            n++;
        src = malloc((n + 1) * sizeof(char *));
        if (!src)
            return NULL;
        n = 0;
        for (const char *s = block; *s; s += strlen(s) + 1)
            src[n++] = (char *)s;
        src[n] = NULL;
    } else {
        const WCHAR *w = block;
        for (const WCHAR *s = w; *s; n++)
            while (*s++)
                ;
        src = calloc(n + 1, sizeof(char *));
        owned = src;
        if (!src)
            return NULL;
        size_t i = 0;
        for (const WCHAR *s = w; *s; i++) {
            src[i] = ntc_utf8_from_wide(s);
            if (!src[i]) {
                for (size_t k = 0; k < i; k++)
                    free(src[k]);
                free(src);
                return NULL;
            }
            while (*s++)
                ;
        }
    }
    size_t bytes = strlen(chan) + 1;
    for (size_t i = 0; i < n; i++)
        bytes += strlen(src[i]) + 1;
    char **env = malloc((n + 2) * sizeof(char *) + bytes);
    if (env) {
        char *out = (char *)(env + n + 2);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (src[i][0] == '=' || strncmp(src[i], CHANNEL_VAR "=", sizeof(CHANNEL_VAR)) == 0)
                continue;
            env[k++] = out;
            out = stpcpy(out, src[i]) + 1;
        }
        env[k++] = strcpy(out, chan);
        env[k] = NULL;
    }
    if (owned)
        for (size_t i = 0; i < n; i++)
            free(owned[i]);
    free(src);
    return env;
}

/* A copy (CLOEXEC, >= 3) of the descriptor behind a handle for one of the child's std streams, or
 * of /dev/null when there is no handle. -1 with the last error set on failure. */
static int std_fd_for(HANDLE h)
{
    int fd = -1;
    struct ntc_object *o = (h && h != INVALID_HANDLE_VALUE) ? ntc_handle_get(h, NTC_T_NONE) : NULL;
    if (o) {
        struct ntc_wire w;
        memset(&w, 0, sizeof(w));
        bool exported = o->ops->export_wire && o->ops->export_wire(o, &w) && w.nfds >= 1;
        ntc_object_unref(o);
        if (!exported) {
            SetLastError(ERROR_INVALID_HANDLE); /* no descriptor behind it: no std stream */
            return -1;
        }
        fd = fcntl(w.fds[0], F_DUPFD_CLOEXEC, 3);
    } else {
        /* Windows leaves the stream without a handle; POSIX programs expect 0/1/2 to be open. */
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null >= 0) {
            fd = fcntl(null, F_DUPFD_CLOEXEC, 3);
            close(null);
        }
    }
    if (fd < 0)
        ntc_set_error_errno(errno);
    return fd;
}

/* What the child reports on the error pipe when it cannot become the program. */
struct spawn_failure {
    int stage; /* 0: chdir, 1: exec */
    int err;
};

struct spawn {
    char *path;
    char **argv;
    char **envp;
    char *cwd;
    int std_fds[3]; /* -1: inherit ours */
    int channel[2]; /* [0] ours, [1] the child's */
    int errpipe[2];
};

static void spawn_free(struct spawn *s)
{
    free(s->path);
    free(s->argv);
    free(s->envp);
    free(s->cwd);
    for (int i = 0; i < 3; i++)
        if (s->std_fds[i] >= 0)
            close(s->std_fds[i]);
    for (int i = 0; i < 2; i++) {
        if (s->channel[i] >= 0)
            close(s->channel[i]);
        if (s->errpipe[i] >= 0)
            close(s->errpipe[i]);
    }
}

/* In the child between fork and exec: async-signal-safe calls only. */
__attribute__((noreturn)) static void child_exec(const struct spawn *s, const sigset_t *mask)
{
    struct spawn_failure f = {0, 0};
    sigprocmask(SIG_SETMASK, mask, NULL);
    for (int i = 0; i < 3; i++)
        if (s->std_fds[i] >= 0 && dup2(s->std_fds[i], i) < 0)
            goto fail_exec;
    if (fcntl(s->channel[1], F_SETFD, 0) < 0)
        goto fail_exec;
    if (s->cwd && chdir(s->cwd) < 0) {
        f.err = errno;
        goto report;
    }
    execve(s->path, s->argv, s->envp);
fail_exec:
    f.stage = 1;
    f.err = errno;
report:
    while (write(s->errpipe[1], &f, sizeof(f)) < 0 && errno == EINTR)
        ;
    _exit(127);
}

/* The Win32 error for a failure the child reported. */
static DWORD spawn_error(const struct spawn_failure *f)
{
    if (f->stage == 0)
        return ERROR_DIRECTORY; /* lpCurrentDirectory is not a directory [CreateProcessA] */
    switch (f->err) {
    case ENOENT:
        return ERROR_FILE_NOT_FOUND;
    case ENOEXEC:
    case EINVAL:
    case ELIBBAD:
        return ERROR_BAD_EXE_FORMAT;
    case EACCES:
    case EPERM:
        return ERROR_ACCESS_DENIED;
    default:
        return ntc_win32_from_errno(f->err);
    }
}

/* Stands for the child's main thread (hThread): ends when the process does, with its code. */
static DWORD WINAPI main_thread_standin(LPVOID arg)
{
    struct ntc_object *proc = arg;
    ntc_wait(&proc, 1, FALSE, INFINITE);
    DWORD code = ntc_process_exit_code(proc);
    ntc_object_unref(proc);
    return code;
}

struct spawn_args {
    const char *app;
    const char *cmdline;
    LPSECURITY_ATTRIBUTES pattr, tattr;
    BOOL inherit;
    DWORD flags;
    const void *env;
    const char *cwd;
    DWORD si_flags;
    HANDLE std[3];
};

static BOOL do_create_process(const struct spawn_args *a, LPPROCESS_INFORMATION pi)
{
    struct spawn s = {.std_fds = {-1, -1, -1}, .channel = {-1, -1}, .errpipe = {-1, -1}};
    BOOL ok = FALSE;
    size_t argc = 0;
    pid_t pid = -1;

    /* With no command line the application name is the whole of it [CreateProcessA]. */
    if (a->cmdline && a->cmdline[0]) {
        s.argv = parse_command_line(a->cmdline, &argc);
    } else if (a->app) {
        s.argv = malloc(2 * sizeof(char *) + strlen(a->app) + 1);
        if (s.argv) {
            s.argv[0] = strcpy((char *)(s.argv + 2), a->app);
            s.argv[1] = NULL;
            argc = 1;
        }
    }
    if (!s.argv) {
        SetLastError(a->app || a->cmdline ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER);
        goto out;
    }
    if (argc == 0) {
        SetLastError(ERROR_FILE_NOT_FOUND);
        goto out;
    }
    char *name = ntc_path_from_win32(a->app ? a->app : s.argv[0]);
    if (!name)
        goto out;
    s.path = find_program(name);
    free(name);
    if (!s.path)
        goto out;
    if (a->cwd && !(s.cwd = ntc_path_from_win32(a->cwd)))
        goto out;

    if (a->si_flags & STARTF_USESTDHANDLES) {
        for (int i = 0; i < 3; i++)
            if ((s.std_fds[i] = std_fd_for(a->std[i])) < 0)
                goto out;
    }
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
        ntc_set_error_errno(errno);
        goto out;
    }
    s.channel[0] = sv[0];
    /* Keep the child's end clear of 0..2, which the std streams take over in the child. */
    s.channel[1] = fcntl(sv[1], F_DUPFD_CLOEXEC, 3);
    close(sv[1]);
    if (s.channel[1] < 0 || pipe2(s.errpipe, O_CLOEXEC) < 0) {
        ntc_set_error_errno(errno);
        goto out;
    }
    s.envp = build_env(a->env, (a->flags & CREATE_UNICODE_ENVIRONMENT) != 0, s.channel[1]);
    if (!s.envp) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        goto out;
    }

    /* A new process starts with no signal blocked. */
    sigset_t none;
    sigemptyset(&none);
    pid = fork();
    if (pid < 0) {
        ntc_set_error_errno(errno);
        goto out;
    }
    if (pid == 0)
        child_exec(&s, &none);
    close(s.errpipe[1]);
    s.errpipe[1] = -1;
    close(s.channel[1]);
    s.channel[1] = -1;

    /* The exec either closes the error pipe (success) or the child writes why it failed. */
    struct spawn_failure f;
    ssize_t r;
    while ((r = read(s.errpipe[0], &f, sizeof(f))) < 0 && errno == EINTR)
        ;
    if (r == (ssize_t)sizeof(f)) {
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
        pid = -1;
        SetLastError(spawn_error(&f));
        goto out;
    }

    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0) {
        ntc_set_error_errno(errno);
        goto out;
    }
    fcntl(pidfd, F_SETFD, FD_CLOEXEC);
    /* The child waits for its inherited table before main(): send it (empty without inherit). */
    ntc_channel_send_inherited(s.channel[0], a->inherit);
    struct ntc_object *proc = ntc_process_new_child(pid, pidfd, s.channel[0]);
    if (!proc) {
        close(pidfd);
        goto out;
    }
    s.channel[0] = -1; /* the process object owns it now */
    pid = -1;          /* and reaps the child */

    ntc_object_ref(proc);
    HANDLE hp = ntc_handle_alloc(proc, a->pattr && a->pattr->bInheritHandle);
    if (!hp) {
        ntc_object_unref(proc);
        ntc_object_unref(proc);
        goto out;
    }
    /* The stand-in thread takes the other reference. */
    HANDLE ht = CreateThread(a->tattr, 256 * 1024, main_thread_standin, proc, 0, NULL);
    if (!ht) {
        DWORD err = GetLastError();
        TerminateProcess(hp, 1);
        ntc_handle_close(hp);
        ntc_object_unref(proc);
        SetLastError(err);
        goto out;
    }
    pi->hProcess = hp;
    pi->hThread = ht;
    pi->dwProcessId = (DWORD)ntc_process_pid(proc);
    pi->dwThreadId = pi->dwProcessId; /* the main thread's id is the pid on Linux */
    ok = TRUE;
out:
    if (pid > 0) {
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    spawn_free(&s);
    return ok;
}

/*
 * Not supported: CREATE_SUSPENDED (the child runs at once), the console and window flags, and the
 * security descriptors of lpProcessAttributes / lpThreadAttributes (only bInheritHandle is used).
 */
BOOL WINAPI CreateProcessA(LPCSTR lpApplicationName, LPSTR lpCommandLine,
                           LPSECURITY_ATTRIBUTES lpProcessAttributes,
                           LPSECURITY_ATTRIBUTES lpThreadAttributes, BOOL bInheritHandles,
                           DWORD dwCreationFlags, LPVOID lpEnvironment, LPCSTR lpCurrentDirectory,
                           LPSTARTUPINFOA lpStartupInfo, LPPROCESS_INFORMATION lpProcessInformation)
{
    if (!lpStartupInfo || !lpProcessInformation || (!lpApplicationName && !lpCommandLine)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    struct spawn_args a = {
        .app = lpApplicationName,
        .cmdline = lpCommandLine,
        .pattr = lpProcessAttributes,
        .tattr = lpThreadAttributes,
        .inherit = bInheritHandles,
        .flags = dwCreationFlags,
        .env = lpEnvironment,
        .cwd = lpCurrentDirectory,
        .si_flags = lpStartupInfo->dwFlags,
        .std = {lpStartupInfo->hStdInput, lpStartupInfo->hStdOutput, lpStartupInfo->hStdError},
    };
    return do_create_process(&a, lpProcessInformation);
}

BOOL WINAPI CreateProcessW(LPCWSTR lpApplicationName, LPWSTR lpCommandLine,
                           LPSECURITY_ATTRIBUTES lpProcessAttributes,
                           LPSECURITY_ATTRIBUTES lpThreadAttributes, BOOL bInheritHandles,
                           DWORD dwCreationFlags, LPVOID lpEnvironment, LPCWSTR lpCurrentDirectory,
                           LPSTARTUPINFOW lpStartupInfo, LPPROCESS_INFORMATION lpProcessInformation)
{
    if (!lpStartupInfo || !lpProcessInformation || (!lpApplicationName && !lpCommandLine)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    char *app = ntc_utf8_from_wide(lpApplicationName);
    char *cmd = ntc_utf8_from_wide(lpCommandLine);
    char *cwd = ntc_utf8_from_wide(lpCurrentDirectory);
    BOOL ok = FALSE;
    if ((lpApplicationName && !app) || (lpCommandLine && !cmd) || (lpCurrentDirectory && !cwd))
        goto out;
    struct spawn_args a = {
        .app = app,
        .cmdline = cmd,
        .pattr = lpProcessAttributes,
        .tattr = lpThreadAttributes,
        .inherit = bInheritHandles,
        .flags = dwCreationFlags,
        .env = lpEnvironment,
        .cwd = cwd,
        .si_flags = lpStartupInfo->dwFlags,
        .std = {lpStartupInfo->hStdInput, lpStartupInfo->hStdOutput, lpStartupInfo->hStdError},
    };
    ok = do_create_process(&a, lpProcessInformation);
out:
    free(app);
    free(cmd);
    free(cwd);
    return ok;
}
