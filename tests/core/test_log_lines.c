/* The error log (src/log.c): httpd's line shape, LogLevel filtering (notice always passes), whole
 * lines from many threads, appending to an existing file, reopening, unsupported log kinds. */
#include "../compat/tcheck.h"
#include "log.h"

#include <ctype.h>

#define THREADS 8
#define LINES 400

static char dir[MAX_PATH + 64];
static char path_a[MAX_PATH + 80], path_b[MAX_PATH + 80];
static char text[1 << 21];

static void setup(void)
{
    static unsigned counter;
    char base[MAX_PATH];
    DWORD n = GetEnvironmentVariableA("TMP", base, sizeof(base));
    if (n == 0 || n >= sizeof(base))
        snprintf(base, sizeof(base), ".");
    snprintf(dir, sizeof(dir), "%s/ntmpm-log-%lu-%u", base, (unsigned long)GetCurrentProcessId(),
             counter++);
    ck_assert(CreateDirectoryA(dir, NULL));
    snprintf(path_a, sizeof(path_a), "%s/a.log", dir);
    snprintf(path_b, sizeof(path_b), "%s/b.log", dir);
}

static void teardown(void)
{
    DeleteFileA(path_a);
    DeleteFileA(path_b);
    RemoveDirectoryA(dir);
}

static const char *slurp(const char *path)
{
    text[0] = '\0';
    HANDLE h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return text;
    DWORD got = 0;
    ck_assert(ReadFile(h, text, sizeof(text) - 1, &got, NULL));
    text[got] = '\0';
    CloseHandle(h);
    return text;
}

static void open_log(const char *path, enum config_log_level level)
{
    struct server_config conf;
    memset(&conf, 0, sizeof(conf));
    conf.error_log = (char *)path;
    conf.log_level = level;
    char err[512];
    ck_assert_msg(log_open(&conf, err, sizeof(err)) == 0, "log_open: %s", err);
}

static int digits(const char **p, int n)
{
    for (int i = 0; i < n; i++, (*p)++)
        if (!isdigit((unsigned char)**p))
            return 0;
    return 1;
}

static int lit(const char **p, const char *s)
{
    size_t n = strlen(s);
    if (strncmp(*p, s, n) != 0)
        return 0;
    *p += n;
    return 1;
}

/* "[Sat Nov 21 20:41:16.123456 2026] [module:level] [pid N:tid N] " -> the message, else NULL. */
static const char *parse_line(const char *line, const char *module, const char *level)
{
    const char *p = line;
    char head[128];
    if (!lit(&p, "["))
        return NULL;
    if (!(isupper((unsigned char)p[0]) && islower((unsigned char)p[1]) && p[3] == ' '))
        return NULL;
    p += 4;
    if (!(isupper((unsigned char)p[0]) && islower((unsigned char)p[1]) && p[3] == ' '))
        return NULL;
    p += 4;
    if (!(digits(&p, 2) && lit(&p, " ") && digits(&p, 2) && lit(&p, ":") && digits(&p, 2) &&
          lit(&p, ":") && digits(&p, 2) && lit(&p, ".") && digits(&p, 6) && lit(&p, " ") &&
          digits(&p, 4) && lit(&p, "] [")))
        return NULL;
    snprintf(head, sizeof(head), "%s:%s] [pid ", module, level);
    if (!lit(&p, head))
        return NULL;
    while (isdigit((unsigned char)*p))
        p++;
    if (!lit(&p, ":tid "))
        return NULL;
    while (isdigit((unsigned char)*p))
        p++;
    if (!lit(&p, "] "))
        return NULL;
    return p;
}

START_TEST(line_shape)
{
    setup();
    log_init(CONFIG_LOG_WARNING);
    open_log(path_a, CONFIG_LOG_WARNING);
    log_write("mpm_winnt", CONFIG_LOG_ERR, "something broke");
    log_writef("core", CONFIG_LOG_WARNING, "value %d", 42);
    log_close();
    const char *t = slurp(path_a);
    const char *m = parse_line(t, "mpm_winnt", "error");
    ck_assert_msg(m != NULL && strncmp(m, "something broke\n", 16) == 0, "log:\n%s", t);
    const char *second = strchr(t, '\n') + 1;
    m = parse_line(second, "core", "warn");
    ck_assert_msg(m != NULL && strcmp(m, "value 42\n") == 0, "log:\n%s", t);
    teardown();
}
END_TEST

START_TEST(level_filter)
{
    setup();
    log_init(CONFIG_LOG_WARNING);
    open_log(path_a, CONFIG_LOG_WARNING);
    log_write("core", CONFIG_LOG_INFO, "info is dropped");
    log_write("core", CONFIG_LOG_DEBUG, "debug is dropped");
    log_write("core", CONFIG_LOG_TRACE8, "trace8 is dropped");
    log_write("core", CONFIG_LOG_ERR, "error is kept");
    /* httpd writes notice lines (start, restart, stop) whatever LogLevel says. */
    log_write("core", CONFIG_LOG_NOTICE, "notice is kept");
    open_log(path_b, CONFIG_LOG_CRIT);
    log_write("core", CONFIG_LOG_ERR, "error is dropped at crit");
    log_write("core", CONFIG_LOG_NOTICE, "notice is kept at crit");
    open_log(path_a, CONFIG_LOG_TRACE8);
    log_write("core", CONFIG_LOG_TRACE8, "trace8 is kept at trace8");
    log_close();
    const char *t = slurp(path_a);
    ck_assert_msg(strstr(t, "dropped") == NULL, "a.log:\n%s", t);
    ck_assert(strstr(t, "error is kept") != NULL);
    ck_assert(strstr(t, "[core:notice]") != NULL);
    ck_assert(strstr(t, "[core:trace8] ") != NULL);
    t = slurp(path_b);
    ck_assert_msg(strstr(t, "dropped") == NULL, "b.log:\n%s", t);
    ck_assert(strstr(t, "notice is kept at crit") != NULL);
    teardown();
}
END_TEST

/* The file is appended to, never truncated, also when reopened (a restart). */
START_TEST(appends)
{
    setup();
    HANDLE h =
        CreateFileA(path_a, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    ck_assert(h != INVALID_HANDLE_VALUE);
    DWORD done;
    ck_assert(WriteFile(h, "earlier line\n", 13, &done, NULL));
    CloseHandle(h);
    log_init(CONFIG_LOG_WARNING);
    open_log(path_a, CONFIG_LOG_WARNING);
    log_write("core", CONFIG_LOG_ERR, "first");
    open_log(path_a, CONFIG_LOG_WARNING);
    log_write("core", CONFIG_LOG_ERR, "second");
    log_close();
    const char *t = slurp(path_a);
    ck_assert_msg(strncmp(t, "earlier line\n[", 14) == 0, "log:\n%s", t);
    const char *first = strstr(t, "] first\n"), *second = strstr(t, "] second\n");
    ck_assert(first != NULL && second != NULL && first < second);
    teardown();
}
END_TEST

/* Another process writes to the same file meanwhile (parent and child share one ErrorLog). */
START_TEST(shared_with_other_writer)
{
    setup();
    log_init(CONFIG_LOG_WARNING);
    open_log(path_a, CONFIG_LOG_WARNING);
    HANDLE other = CreateFileA(path_a, FILE_APPEND_DATA,
                               FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                               OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    ck_assert(other != INVALID_HANDLE_VALUE);
    DWORD done;
    log_write("core", CONFIG_LOG_ERR, "one");
    ck_assert(WriteFile(other, "other writer\n", 13, &done, NULL));
    log_write("core", CONFIG_LOG_ERR, "two");
    CloseHandle(other);
    log_close();
    const char *t = slurp(path_a);
    const char *one = strstr(t, "] one\n"), *mid = strstr(t, "\nother writer\n"),
               *two = strstr(t, "] two\n");
    ck_assert_msg(one && mid && two && one < mid && mid < two, "log:\n%s", t);
    teardown();
}
END_TEST

static DWORD WINAPI writer(LPVOID arg)
{
    int id = (int)(INT_PTR)arg;
    char msg[600];
    for (int i = 0; i < LINES; i++) {
        /* Lengths vary so that torn or interleaved lines would not line up by chance. */
        int pad = (id * 37 + i * 13) % 400;
        snprintf(
            msg, sizeof(msg), "t%d n%d|%.*s|end", id, i, pad,
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        log_write("mpm_winnt", CONFIG_LOG_ERR, msg);
    }
    return 0;
}

START_TEST(threads_write_whole_lines)
{
    setup();
    log_init(CONFIG_LOG_WARNING);
    open_log(path_a, CONFIG_LOG_WARNING);
    HANDLE th[THREADS];
    for (int i = 0; i < THREADS; i++) {
        th[i] = CreateThread(NULL, 0, writer, (LPVOID)(INT_PTR)i, 0, NULL);
        ck_assert(th[i] != NULL);
    }
    ck_assert(WaitForMultipleObjects(THREADS, th, TRUE, NTT_WAIT_MS * 3) == WAIT_OBJECT_0);
    for (int i = 0; i < THREADS; i++)
        CloseHandle(th[i]);
    log_close();

    static int seen[THREADS][LINES];
    memset(seen, 0, sizeof(seen));
    const char *t = slurp(path_a);
    int lines = 0;
    for (const char *line = t; *line; lines++) {
        const char *nl = strchr(line, '\n');
        ck_assert_msg(nl != NULL, "unterminated last line");
        const char *m = parse_line(line, "mpm_winnt", "error");
        ck_assert_msg(m != NULL, "bad line %d: %.*s", lines, (int)(nl - line), line);
        int id, n, used = 0;
        ck_assert(sscanf(m, "t%d n%d|%n", &id, &n, &used) == 2);
        ck_assert(id >= 0 && id < THREADS && n >= 0 && n < LINES);
        int pad = (id * 37 + n * 13) % 400;
        const char *x = m + used;
        for (int k = 0; k < pad; k++)
            ck_assert_msg(x[k] == 'x', "torn line %d", lines);
        ck_assert_msg(strncmp(x + pad, "|end\n", 5) == 0, "torn line %d", lines);
        seen[id][n]++;
        line = nl + 1;
    }
    ck_assert_int_eq(lines, THREADS * LINES);
    for (int i = 0; i < THREADS; i++)
        for (int n = 0; n < LINES; n++)
            ck_assert_int_eq(seen[i][n], 1);
    teardown();
}
END_TEST

START_TEST(unsupported_kinds)
{
    struct server_config conf;
    memset(&conf, 0, sizeof(conf));
    char err[512];
    conf.error_log = "|/usr/bin/rotatelogs x 86400";
    ck_assert_int_eq(log_check(&conf, err, sizeof(err)), -1);
    ck_assert_msg(strstr(err, "piped logs are not supported") != NULL, "%s", err);
    ck_assert_int_eq(log_open(&conf, err, sizeof(err)), -1);
    conf.error_log = "syslog";
    ck_assert_int_eq(log_check(&conf, err, sizeof(err)), -1);
    ck_assert_msg(strstr(err, "syslog is not supported") != NULL, "%s", err);
    conf.error_log = "syslog:local7";
    ck_assert_int_eq(log_check(&conf, err, sizeof(err)), -1);
    conf.error_log = "syslogs/error.log"; /* a relative file that happens to start with "syslog" */
    ck_assert_int_eq(log_check(&conf, err, sizeof(err)), 0);
}
END_TEST

START_TEST(open_failure)
{
    setup();
    struct server_config conf;
    memset(&conf, 0, sizeof(conf));
    char path[MAX_PATH + 96], err[512];
    snprintf(path, sizeof(path), "%s/nodir/error.log", dir);
    conf.error_log = path;
    ck_assert_int_eq(log_open(&conf, err, sizeof(err)), -1);
    ck_assert_msg(strstr(err, "could not open error log file") != NULL, "%s", err);
    ck_assert_msg(strstr(err, "(3) ") != NULL, "%s", err); /* ERROR_PATH_NOT_FOUND */
    teardown();
}
END_TEST

NTT_MAIN(line_shape, level_filter, appends, shared_with_other_writer, threads_write_whole_lines,
         unsupported_kinds, open_failure)
