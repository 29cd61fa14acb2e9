/* The error log: httpd 2.4's line shape, LogLevel filtering, one WriteFile per line on an append
 * handle so lines from many threads and processes never interleave. */
#include "log.h"
#include "localtime.h"

#include <windows.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Held around every write and every swap of a handle. Writes are serialised in the process, not
 * left to the append handle: Wine 8 tears lines that threads append at the same time (measured by
 * tests/core/test_log_lines.c), and Windows documents no atomicity for them [WriteFile]. */
static SRWLOCK lock = SRWLOCK_INIT;
static HANDLE out = INVALID_HANDLE_VALUE;     /* the ErrorLog; INVALID: not open yet */
static HANDLE startup = INVALID_HANDLE_VALUE; /* the -E file; INVALID: stderr */
static enum config_log_level level = CONFIG_LOG_WARNING;
static enum config_log_level startup_level = CONFIG_LOG_WARNING;

static const struct {
    unsigned long code;
    const char *text;
} win32_texts[] = {
    {ERROR_FILE_NOT_FOUND, "The system cannot find the file specified."},
    {ERROR_PATH_NOT_FOUND, "The system cannot find the path specified."},
    {ERROR_ACCESS_DENIED, "Access is denied."},
    {ERROR_SHARING_VIOLATION,
     "The process cannot access the file because it is being used by another process."},
    {ERROR_INVALID_NAME, "The filename, directory name, or volume label syntax is incorrect."},
    {ERROR_MOD_NOT_FOUND, "The specified module could not be found."},
    {ERROR_PROC_NOT_FOUND, "The specified procedure could not be found."},
    {ERROR_BAD_EXE_FORMAT, "The file is not a valid module for this system."},
    {ERROR_DIRECTORY, "The directory name is invalid."},
};

const char *log_win32_error_text(unsigned long code, char *buf, size_t size)
{
    const char *text = "";
    for (size_t i = 0; i < sizeof(win32_texts) / sizeof(win32_texts[0]); i++)
        if (win32_texts[i].code == code)
            text = win32_texts[i].text;
    snprintf(buf, size, "(%lu) %s", code, *text ? text : "Win32 error.");
    return buf;
}

void log_init(enum config_log_level startup_lvl)
{
    startup_level = startup_lvl;
}

/* notice passes every level: httpd logs its start and stop lines even with LogLevel crit. */
static int passes(enum config_log_level msg, enum config_log_level limit)
{
    return msg <= limit || msg == CONFIG_LOG_NOTICE;
}

static void write_whole(HANDLE h, const char *buf, size_t len)
{
    /* One WriteFile per line on a FILE_APPEND_DATA handle: every line goes to the end of the file,
     * also between the parent and the child, which share the ErrorLog [CreateFileA]. */
    DWORD done = 0;
    if (h != INVALID_HANDLE_VALUE && h != NULL)
        WriteFile(h, buf, (DWORD)len, &done, NULL);
}

static HANDLE startup_handle(void)
{
    return startup != INVALID_HANDLE_VALUE ? startup : GetStdHandle(STD_ERROR_HANDLE);
}

static HANDLE open_append(const char *path, DWORD *error)
{
    HANDLE h =
        CreateFileA(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    *error = h == INVALID_HANDLE_VALUE ? GetLastError() : 0;
    return h;
}

int log_startup_file(const char *path, char *err, size_t errlen)
{
    DWORD e;
    HANDLE h = open_append(path, &e);
    if (h == INVALID_HANDLE_VALUE) {
        char why[256];
        snprintf(err, errlen, "could not open the startup log file %s: %s", path,
                 log_win32_error_text(e, why, sizeof(why)));
        return -1;
    }
    AcquireSRWLockExclusive(&lock);
    HANDLE old = startup;
    startup = h;
    ReleaseSRWLockExclusive(&lock);
    if (old != INVALID_HANDLE_VALUE)
        CloseHandle(old);
    return 0;
}

void log_startup(enum config_log_level lvl, const char *message)
{
    if (!passes(lvl, startup_level))
        return;
    char buf[8192];
    int n = snprintf(buf, sizeof(buf) - 1, "%s", message);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof(buf) - 1 ? (size_t)n : sizeof(buf) - 2;
    buf[len++] = '\n';
    fflush(stderr); /* keep the order of anything main.c printed with stdio */
    AcquireSRWLockExclusive(&lock);
    write_whole(startup_handle(), buf, len);
    ReleaseSRWLockExclusive(&lock);
}

static void sink_warning(void *ctx, const char *message)
{
    (void)ctx;
    log_startup(CONFIG_LOG_WARNING, message);
}

struct config_sink log_startup_sink(void)
{
    struct config_sink s = {sink_warning, NULL};
    return s;
}

/* "Sat Nov 21 20:41:16.123456 2026" in local time, as httpd's error log shows it. */
static void timestamp(char *buf, size_t size)
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    unsigned long long t = ((unsigned long long)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    unsigned long usec = (unsigned long)(t % 10000000ULL / 10);
    int64_t secs = (int64_t)(t / 10000000ULL) - 11644473600LL; /* 1601 -> 1970 */
    struct tm tm;
    if (ntmpm_localtime(secs, &tm) != 0) {
        snprintf(buf, size, "?");
        return;
    }
    snprintf(buf, size, "%s %s %02d %02d:%02d:%02d.%06lu %d", days[tm.tm_wday % 7],
             months[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, usec,
             tm.tm_year + 1900);
}

void log_write(const char *module, enum config_log_level lvl, const char *message)
{
    AcquireSRWLockShared(&lock);
    int open = out != INVALID_HANDLE_VALUE;
    int pass = passes(lvl, open ? level : startup_level);
    ReleaseSRWLockShared(&lock);
    if (!pass)
        return;
    char when[64];
    timestamp(when, sizeof(when));
    char buf[8192];
    int n = snprintf(buf, sizeof(buf) - 1, "[%s] [%s:%s] [pid %lu:tid %lu] %s", when, module,
                     config_log_level_name(lvl), (unsigned long)GetCurrentProcessId(),
                     (unsigned long)GetCurrentThreadId(), message);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof(buf) - 1 ? (size_t)n : sizeof(buf) - 2;
    buf[len++] = '\n';
    AcquireSRWLockExclusive(&lock);
    write_whole(out != INVALID_HANDLE_VALUE ? out : startup_handle(), buf, len);
    ReleaseSRWLockExclusive(&lock);
}

void log_writef(const char *module, enum config_log_level lvl, const char *fmt, ...)
{
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    log_write(module, lvl, msg);
}

int log_check(const struct server_config *conf, char *err, size_t errlen)
{
    const char *path = conf->error_log;
    if (path == NULL || *path == '\0') {
        snprintf(err, errlen, "no ErrorLog configured");
        return -1;
    }
    if (path[0] == '|') {
        snprintf(err, errlen, "ErrorLog \"%s\": piped logs are not supported by ntmpm", path);
        return -1;
    }
    if (strncmp(path, "syslog", 6) == 0 && (path[6] == '\0' || path[6] == ':')) {
        snprintf(err, errlen, "ErrorLog %s: syslog is not supported by ntmpm", path);
        return -1;
    }
    return 0;
}

int log_open(const struct server_config *conf, char *err, size_t errlen)
{
    if (log_check(conf, err, errlen) != 0)
        return -1;
    const char *path = conf->error_log;
    DWORD e;
    HANDLE h = open_append(path, &e);
    if (h == INVALID_HANDLE_VALUE) {
        char why[256];
        snprintf(err, errlen, "could not open error log file %s: %s", path,
                 log_win32_error_text(e, why, sizeof(why)));
        return -1;
    }
    AcquireSRWLockExclusive(&lock);
    HANDLE old = out;
    out = h;
    level = conf->log_level;
    ReleaseSRWLockExclusive(&lock);
    if (old != INVALID_HANDLE_VALUE)
        CloseHandle(old);
    return 0;
}

void log_close(void)
{
    AcquireSRWLockExclusive(&lock);
    HANDLE old = out, old_startup = startup;
    out = startup = INVALID_HANDLE_VALUE;
    ReleaseSRWLockExclusive(&lock);
    if (old != INVALID_HANDLE_VALUE)
        CloseHandle(old);
    if (old_startup != INVALID_HANDLE_VALUE)
        CloseHandle(old_startup);
}

static void mpm_write(void *ctx, enum config_log_level lvl, const char *message)
{
    log_write(ctx, lvl, message);
}

static int mpm_reopen(void *ctx, const struct server_config *conf, char *err, size_t errlen)
{
    (void)ctx;
    return log_open(conf, err, errlen);
}

struct mpm_log log_mpm_sink(const char *module)
{
    struct mpm_log l = {mpm_write, mpm_reopen, (void *)module};
    return l;
}
