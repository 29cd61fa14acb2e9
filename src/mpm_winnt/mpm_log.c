/* The MPM's messages: formatted here, written by main.c's sink (log.c), stderr until there is one.
 */
#include "mpm_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static struct mpm_log sink;

void mpm_log_set(const struct mpm_log *log)
{
    if (log)
        sink = *log;
}

void mpm_logf(enum config_log_level level, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (sink.write) {
        sink.write(sink.ctx, level, msg);
        return;
    }
    /* No sink yet: httpd's shape without the time, so early failures are still readable. */
    fprintf(stderr, "[mpm_winnt:%s] [pid %lu] %s\n", config_log_level_name(level),
            (unsigned long)GetCurrentProcessId(), msg);
    fflush(stderr);
}

void mpm_log_reopen(const struct server_config *conf)
{
    char err[512] = "";
    if (sink.reopen && sink.reopen(sink.ctx, conf, err, sizeof(err)) != 0)
        mpm_logf(CONFIG_LOG_ERR, "could not open the error log: %s", err);
}

static void sink_warning(void *ctx, const char *message)
{
    (void)ctx;
    mpm_logf(CONFIG_LOG_WARNING, "%s", message);
}

struct config_sink mpm_config_sink(void)
{
    struct config_sink s = {sink_warning, NULL};
    return s;
}

void mpm_log_config_error(const char *what, const struct config_error *err)
{
    if (err->line)
        mpm_logf(CONFIG_LOG_ERR, "%s: %s:%u: %s: %s", what, err->file, err->line, err->directive,
                 err->message);
    else
        mpm_logf(CONFIG_LOG_ERR, "%s: %s", what, err->message);
}
