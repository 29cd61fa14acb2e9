/* Internal helpers shared by the configuration reader's files (not for the rest of the server). */
#ifndef NTMPM_CONFIG_INT_H
#define NTMPM_CONFIG_INT_H

#include <windows.h>
#include <stdarg.h>
#include <stddef.h>
#include "config.h"

/* The flattened configuration (config.c). */
struct flat_line {
    unsigned file; /* index into files */
    unsigned line;
    char *text;
};
struct config_flat {
    char *server_root; /* absolute, in force at the start */
    int mpms_shared;
    char **files;
    size_t n_files;
    struct flat_line *lines;
    size_t n_lines, cap_lines;
};

char *cfg_strdup(const char *s);
char *cfg_strndup(const char *s, size_t n);
char *cfg_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cfg_strcasecmp(const char *a, const char *b);
void cfg_lower(char *s);

/* httpd's ap_getword_conf: the next word of *line (quotes "..." or '...' with \" escapes),
 * advancing *line past it and the blanks after it. malloc'd; "" at the end; NULL if no memory. */
char *cfg_getword(const char **line);
/* A word written so that cfg_getword reads it back unchanged (malloc'd). */
char *cfg_quote(const char *word);

/* Paths: "/x", "\\x" and "C:..." are absolute on both platforms; '/' joins. */
int cfg_path_is_absolute(const char *path);
char *cfg_path_join(const char *dir, const char *name);
/* An absolute form of path (relative to the current directory), without trailing separators. */
char *cfg_path_absolute(const char *path);
int cfg_is_directory(const char *path);
/* Text for a Win32 error from the file calls ("No such file or directory"...). */
const char *cfg_error_text(DWORD error);

/* Fill err: with file, message is "Syntax error on line N of F: <text>" (or the -C/-c form). */
void cfg_error_at(struct config_error *err, const char *file, unsigned line, const char *directive,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A warning to sink (nothing when sink or its fn is NULL). */
void cfg_sink_warnf(const struct config_sink *sink, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Fill err with a message that has no location. */
void cfg_error_plain(struct config_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Modules: find by module name ("mpm_winnt_module") or file ("mpm_winnt.c"). */
const struct config_module *cfg_find_module(const char *name);
/* Whether module m is present without LoadModule in this build. */
int cfg_module_compiled_in(const struct config_module *m, int mpms_shared);
/* LoadModule's read-time check; NULL when name may be loaded, else an error message (static). */
const char *cfg_check_loadmodule(const char *name, int mpms_shared);

#endif
