/* The process's error log: httpd 2.4's line shape, LogLevel filtering, whole lines from any thread.
 */
#ifndef NTMPM_LOG_H
#define NTMPM_LOG_H

#include "config.h"
#include "mpm.h"

#include <stddef.h>

/* Start logging to stderr. startup_level filters the messages written before the ErrorLog is
 * open (httpd's -e; warn by default). Call once, before any other thread logs. */
void log_init(enum config_log_level startup_level);
/* -E: startup messages go to path (opened for appending) instead of stderr. 0, or -1 with a
 * reason in err. */
int log_startup_file(const char *path, char *err, size_t errlen);

/* A startup message as httpd prints it before its logs are open: the bare text on stderr (or the
 * -E file), when level passes the startup level. */
void log_startup(enum config_log_level level, const char *message);
/* A config_sink printing the reader's warnings with log_startup. */
struct config_sink log_startup_sink(void);

/* One line: "[Sat Nov 21 20:41:16.123456 2026] [module:level] [pid N:tid N] message", to the
 * ErrorLog once open (else the startup stream), when level passes LogLevel. */
void log_write(const char *module, enum config_log_level level, const char *message);
void log_writef(const char *module, enum config_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Whether ntmpm can write conf's ErrorLog kind (a file; piped logs and syslog are not supported
 * yet). 0, or -1 with a reason in err. */
int log_check(const struct server_config *conf, char *err, size_t errlen);
/* Switch to conf's ErrorLog (created if missing, appended to) and LogLevel. Piped logs and
 * syslog are refused. 0, or -1 with a reason in err; the previous log stays in use then. */
int log_open(const struct server_config *conf, char *err, size_t errlen);
/* Back to stderr; closes the ErrorLog. */
void log_close(void);

/* The MPM's sink: its lines carry module (e.g. "mpm_winnt"; a string that outlives the log);
 * reopen is log_open. */
struct mpm_log log_mpm_sink(const char *module);

/* "(2) The system cannot find the file specified." style text for a Win32 error code. */
const char *log_win32_error_text(unsigned long code, char *buf, size_t size);

#endif
