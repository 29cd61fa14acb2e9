/* The process environment: standard handles, environment variables and the command line. */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Standard handles. Each stands for descriptor 0, 1 or 2 and is made on first use as a FILE object
 * that does not own its descriptor: closing it leaves the C runtime's stdin/stdout/stderr usable
 * (on Windows CloseHandle(GetStdHandle(...)) closes the console handle for good; nothing in the
 * winnt model relies on that). SetStdHandle only records a value, as on Windows, where it does not
 * redirect the C runtime's streams either.
 */
static pthread_mutex_t std_lock = PTHREAD_MUTEX_INITIALIZER;
static HANDLE std_handles[3];
static bool std_set[3];

static int std_index(DWORD n)
{
    switch (n) {
    case STD_INPUT_HANDLE:
        return 0;
    case STD_OUTPUT_HANDLE:
        return 1;
    case STD_ERROR_HANDLE:
        return 2;
    default:
        return -1;
    }
}

HANDLE WINAPI GetStdHandle(DWORD nStdHandle)
{
    int i = std_index(nStdHandle);
    if (i < 0) {
        SetLastError(ERROR_INVALID_HANDLE);
        return INVALID_HANDLE_VALUE;
    }
    pthread_mutex_lock(&std_lock);
    if (!std_set[i]) {
        HANDLE h = NULL; /* a process without this descriptor has no such handle [GetStdHandle] */
        if (fcntl(i, F_GETFD) >= 0) {
            struct ntc_object *o = ntc_file_new(i, false, false);
            h = o ? ntc_handle_alloc(o, FALSE) : NULL;
            if (o && !h)
                ntc_object_unref(o);
            if (!h) {
                pthread_mutex_unlock(&std_lock);
                return INVALID_HANDLE_VALUE;
            }
        }
        std_handles[i] = h;
        std_set[i] = true;
    }
    HANDLE h = std_handles[i];
    pthread_mutex_unlock(&std_lock);
    return h;
}

BOOL WINAPI SetStdHandle(DWORD nStdHandle, HANDLE hHandle)
{
    int i = std_index(nStdHandle);
    if (i < 0) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    pthread_mutex_lock(&std_lock);
    std_handles[i] = hHandle;
    std_set[i] = true;
    pthread_mutex_unlock(&std_lock);
    return TRUE;
}

/* getenv/setenv are not thread-safe against each other; the Win32 calls are. */
static pthread_mutex_t env_lock = PTHREAD_MUTEX_INITIALIZER;

DWORD WINAPI GetEnvironmentVariableA(LPCSTR lpName, LPSTR lpBuffer, DWORD nSize)
{
    if (!lpName) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    pthread_mutex_lock(&env_lock);
    const char *v = getenv(lpName);
    DWORD ret = 0;
    if (!v) {
        SetLastError(ERROR_ENVVAR_NOT_FOUND);
    } else {
        size_t len = strlen(v);
        if (len >= 0xffffffffu) {
            SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        } else if (lpBuffer && nSize > len) {
            memcpy(lpBuffer, v, len + 1);
            /* An empty value returns 0 like a failure and leaves the last error alone (Wine). */
            ret = (DWORD)len;
        } else {
            /* Too small: the size needed, terminator included [GetEnvironmentVariableA]. */
            ret = (DWORD)len + 1;
        }
    }
    pthread_mutex_unlock(&env_lock);
    return ret;
}

BOOL WINAPI SetEnvironmentVariableA(LPCSTR lpName, LPCSTR lpValue)
{
    /* Windows allows a leading '=' (the per-drive directories); POSIX names cannot hold one. */
    if (!lpName || !lpName[0] || strchr(lpName, '=')) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    pthread_mutex_lock(&env_lock);
    int rc = lpValue ? setenv(lpName, lpValue, 1) : unsetenv(lpName);
    int e = errno;
    pthread_mutex_unlock(&env_lock);
    if (rc < 0) {
        ntc_set_error_errno(e);
        return FALSE;
    }
    return TRUE;
}

/*
 * The command line, rebuilt from /proc/self/cmdline with the quoting that Microsoft's parsing rules
 * (CommandLineToArgvW, the CRT) undo: an argument with a space, tab or quote (or an empty one) is
 * quoted; a quote is escaped with a backslash, and backslashes are doubled only before a quote.
 */
static char *command_line;
static pthread_once_t command_line_once = PTHREAD_ONCE_INIT;

/* Append arg quoted to out (which has room: the caller sizes it for the worst case). */
static char *quote_arg(char *out, const char *arg)
{
    bool quote = arg[0] == '\0' || strpbrk(arg, " \t\n\v\"") != NULL;
    if (!quote)
        return stpcpy(out, arg);
    *out++ = '"';
    for (const char *p = arg;; p++) {
        size_t bs = 0;
        while (*p == '\\')
            bs++, p++;
        if (*p == '\0') {
            /* Backslashes before the closing quote are doubled. */
            for (size_t i = 0; i < bs * 2; i++)
                *out++ = '\\';
            break;
        }
        if (*p == '"') {
            for (size_t i = 0; i < bs * 2 + 1; i++)
                *out++ = '\\';
        } else {
            for (size_t i = 0; i < bs; i++)
                *out++ = '\\';
        }
        *out++ = *p;
    }
    *out++ = '"';
    *out = '\0';
    return out;
}

static size_t quote_args_size(const char *const *argv, size_t argc)
{
    size_t n = 1;
    for (size_t i = 0; i < argc; i++)
        n += strlen(argv[i]) * 2 + 3 + 1;
    return n;
}

static char *quote_args(const char *const *argv, size_t argc)
{
    char *buf = malloc(quote_args_size(argv, argc));
    if (!buf)
        return NULL;
    char *out = buf;
    *out = '\0';
    for (size_t i = 0; i < argc; i++) {
        if (i > 0)
            *out++ = ' ';
        out = quote_arg(out, argv[i]);
    }
    *out = '\0';
    return buf;
}

static void build_command_line(void)
{
    int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    char *raw = NULL;
    size_t len = 0, cap = 0;
    if (fd >= 0) {
        for (;;) {
            if (len + 4096 > cap) {
                char *n = realloc(raw, cap + 8192);
                if (!n)
                    break;
                raw = n;
                cap += 8192;
            }
            ssize_t r = read(fd, raw + len, cap - len - 1);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            len += (size_t)r;
        }
        close(fd);
    }
    size_t argc = 0;
    for (size_t i = 0; i < len; i++)
        argc += raw[i] == '\0';
    const char **argv = calloc(argc + 1, sizeof(*argv));
    if (argv) {
        size_t k = 0;
        for (size_t i = 0; i < len && k < argc; k++) {
            argv[k] = raw + i;
            i += strlen(raw + i) + 1;
        }
        command_line = quote_args(argv, argc);
        free(argv);
    }
    free(raw);
    if (!command_line)
        command_line = strdup("");
}

LPSTR WINAPI GetCommandLineA(void)
{
    pthread_once(&command_line_once, build_command_line);
    return command_line;
}

char **ntc_env_snapshot(void)
{
    extern char **environ;
    pthread_mutex_lock(&env_lock);
    size_t n = 0, bytes = 0;
    for (char **e = environ; e && *e; e++, n++)
        bytes += strlen(*e) + 1;
    char **out = malloc((n + 1) * sizeof(char *) + bytes);
    if (out) {
        char *s = (char *)(out + n + 1);
        for (size_t i = 0; i < n; i++) {
            out[i] = s;
            s = stpcpy(s, environ[i]) + 1;
        }
        out[n] = NULL;
    }
    pthread_mutex_unlock(&env_lock);
    return out;
}
