/* Small helpers of the configuration reader: strings, httpd's word splitting, paths, messages. */
#include "config_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *cfg_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p != NULL) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *cfg_strdup(const char *s)
{
    return cfg_strndup(s, strlen(s));
}

char *cfg_format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = malloc((size_t)n + 1);
    if (p == NULL)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

int cfg_strcasecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);
        if (ca != cb || ca == 0)
            return ca - cb;
    }
}

void cfg_lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

static const char *skip_blanks(const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    return s;
}

char *cfg_getword(const char **line)
{
    const char *s = skip_blanks(*line);
    char *word;
    if (*s == '"' || *s == '\'') {
        char quote = *s++;
        const char *start = s;
        while (*s && *s != quote)
            s += (*s == '\\' && s[1] == quote) ? 2 : 1;
        word = malloc((size_t)(s - start) + 1);
        if (word == NULL)
            return NULL;
        char *d = word;
        for (const char *p = start; p < s; p++) {
            if (*p == '\\' && p[1] == quote)
                p++;
            *d++ = *p;
        }
        *d = '\0';
        if (*s)
            s++;
    } else {
        const char *start = s;
        while (*s && !isspace((unsigned char)*s))
            s++;
        word = cfg_strndup(start, (size_t)(s - start));
    }
    *line = skip_blanks(s);
    return word;
}

char *cfg_quote(const char *word)
{
    int plain = *word != '\0' && *word != '"' && *word != '\'';
    size_t extra = 0;
    for (const char *p = word; *p; p++) {
        if (isspace((unsigned char)*p))
            plain = 0;
        if (*p == '"')
            extra++;
    }
    if (plain)
        return cfg_strdup(word);
    char *q = malloc(strlen(word) + extra + 3);
    if (q == NULL)
        return NULL;
    char *d = q;
    *d++ = '"';
    for (const char *p = word; *p; p++) {
        if (*p == '"')
            *d++ = '\\';
        *d++ = *p;
    }
    *d++ = '"';
    *d = '\0';
    return q;
}

static int is_sep(char c)
{
    return c == '/' || c == '\\';
}

int cfg_path_is_absolute(const char *path)
{
    if (is_sep(path[0]))
        return 1;
    return isalpha((unsigned char)path[0]) && path[1] == ':';
}

char *cfg_path_join(const char *dir, const char *name)
{
    if (cfg_path_is_absolute(name) || *dir == '\0')
        return cfg_strdup(name);
    size_t n = strlen(dir);
    while (n > 1 && is_sep(dir[n - 1]))
        n--;
    if (name[0] == '.' && name[1] == '\0')
        return cfg_strndup(dir, n);
    while (name[0] == '.' && is_sep(name[1]))
        name += 2;
    char *p = malloc(n + strlen(name) + 2);
    if (p == NULL)
        return NULL;
    memcpy(p, dir, n);
    p[n] = '/';
    strcpy(p + n + 1, name);
    return p;
}

char *cfg_path_absolute(const char *path)
{
    char buf[4096];
    DWORD n = GetFullPathNameA(path, sizeof(buf), buf, NULL);
    if (n == 0 || n >= sizeof(buf))
        return cfg_strdup(path);
    /* "C:\" and "/" keep their separator; "C:\dir\" loses it, so joins give one separator. */
    while (n > 1 && is_sep(buf[n - 1]) && !(n == 3 && buf[1] == ':'))
        buf[--n] = '\0';
    return cfg_strdup(buf);
}

int cfg_is_directory(const char *path)
{
    DWORD a = GetFileAttributesA(path);
    return a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY);
}

const char *cfg_error_text(DWORD error)
{
    switch (error) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
        return "No such file or directory";
    case ERROR_ACCESS_DENIED:
        return "Permission denied";
    case ERROR_NOT_ENOUGH_MEMORY:
        return "Not enough memory";
    case ERROR_DIRECTORY:
        return "Not a directory";
    default:
        return "Cannot read the file";
    }
}

static void copy_field(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src != NULL ? src : "");
}

void cfg_error_at(struct config_error *err, const char *file, unsigned line, const char *directive,
                  const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    copy_field(err->file, sizeof(err->file), file);
    copy_field(err->directive, sizeof(err->directive), directive);
    err->line = line;
    if (file != NULL && strcmp(file, CONFIG_CMDLINE_FILE) == 0)
        snprintf(err->message, sizeof(err->message), "Syntax error in -C/-c directive: %s", text);
    else
        snprintf(err->message, sizeof(err->message), "Syntax error on line %u of %s: %s", line,
                 file, text);
}

void cfg_error_plain(struct config_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
    err->file[0] = '\0';
    err->directive[0] = '\0';
    err->line = 0;
}

const struct config_module *cfg_find_module(const char *name)
{
    for (size_t i = 0; i < config_module_count(); i++) {
        const struct config_module *m = config_module_get(i);
        if (strcmp(m->name, name) == 0 || (m->file != NULL && strcmp(m->file, name) == 0))
            return m;
    }
    return NULL;
}

int cfg_module_compiled_in(const struct config_module *m, int mpms_shared)
{
    if (!(m->flags & CONFIG_MODULE_BUILTIN))
        return 0;
    return !(m->flags & CONFIG_MODULE_MPM) || !mpms_shared;
}

const char *cfg_check_loadmodule(const char *name, int mpms_shared)
{
    const struct config_module *m = cfg_find_module(name);
    if (m == NULL || strcmp(m->name, name) != 0)
        return "not a module of ntmpm";
    if (cfg_module_compiled_in(m, mpms_shared))
        return NULL; /* built in: a warning at apply time, as httpd */
    if (!(m->flags & CONFIG_MODULE_LOADABLE))
        return "not a loadable module of ntmpm";
    return NULL;
}

void cfg_sink_warnf(const struct config_sink *sink, const char *fmt, ...)
{
    if (sink == NULL || sink->fn == NULL)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    sink->fn(sink->ctx, msg);
}
