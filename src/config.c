/* The configuration reader: files, Include, <IfDefine>/<IfModule>, -C/-c -> flattened lines. */
#include "config_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An open section while reading one file (sections never span files, as in httpd). */
struct open_section {
    char *name; /* "<Directory" */
    unsigned line;
    int kept; /* emitted into the flat (not a resolved <IfDefine>/<IfModule>) */
};

struct reader {
    struct config_flat *flat;
    struct config_error *err;
    char *server_root; /* current: ServerRoot lines change it for the Includes that follow */
    const char *const *defines;
    size_t n_defines;
    char **loaded; /* LoadModule names seen so far, for <IfModule> */
    size_t n_loaded;
    unsigned depth; /* Include nesting */
};

static int oom(struct reader *r)
{
    cfg_error_plain(r->err, "Out of memory while reading the configuration");
    return -1;
}

/* ---- the flattened lines ------------------------------------------------------------------- */

static int flat_add_file(struct config_flat *f, const char *name, unsigned *index)
{
    for (size_t i = 0; i < f->n_files; i++) {
        if (strcmp(f->files[i], name) == 0) {
            *index = (unsigned)i;
            return 0;
        }
    }
    char **files = realloc(f->files, (f->n_files + 1) * sizeof(*files));
    if (files == NULL)
        return -1;
    f->files = files;
    if ((files[f->n_files] = cfg_strdup(name)) == NULL)
        return -1;
    *index = (unsigned)f->n_files++;
    return 0;
}

/* Takes ownership of text. */
static int flat_add_line(struct config_flat *f, unsigned file, unsigned line, char *text)
{
    if (text == NULL)
        return -1;
    if (f->n_lines == f->cap_lines) {
        size_t cap = f->cap_lines ? f->cap_lines * 2 : 64;
        struct flat_line *lines = realloc(f->lines, cap * sizeof(*lines));
        if (lines == NULL) {
            free(text);
            return -1;
        }
        f->lines = lines;
        f->cap_lines = cap;
    }
    f->lines[f->n_lines++] = (struct flat_line){file, line, text};
    return 0;
}

void config_flat_free(struct config_flat *flat)
{
    if (flat == NULL)
        return;
    for (size_t i = 0; i < flat->n_files; i++)
        free(flat->files[i]);
    for (size_t i = 0; i < flat->n_lines; i++)
        free(flat->lines[i].text);
    free(flat->files);
    free(flat->lines);
    free(flat->server_root);
    free(flat);
}

size_t config_flat_count(const struct config_flat *flat)
{
    return flat->n_lines;
}

struct config_line config_flat_line(const struct config_flat *flat, size_t i)
{
    const struct flat_line *l = &flat->lines[i];
    return (struct config_line){flat->files[l->file], l->line, l->text};
}

const char *config_flat_server_root(const struct config_flat *flat)
{
    return flat->server_root;
}

/* ---- lexing -------------------------------------------------------------------------------- */

struct source {
    const char *name;
    const char *buf;
    size_t len, pos;
    unsigned lineno; /* physical lines consumed */
};

/* The next logical line (malloc'd, trimmed), joining lines that end in a single backslash (httpd:
 * "[^\\]\\[\r]\n"); *first is the number of its first physical line. NULL at the end (or with
 * *nomem set). */
static char *next_line(struct source *s, unsigned *first, int *nomem)
{
    *nomem = 0;
    if (s->pos >= s->len)
        return NULL;
    char *acc = NULL;
    size_t acc_len = 0;
    *first = s->lineno + 1;
    for (;;) {
        const char *start = s->buf + s->pos;
        const char *nl = memchr(start, '\n', s->len - s->pos);
        size_t n = nl ? (size_t)(nl - start) : s->len - s->pos;
        s->pos += n + (nl ? 1 : 0);
        s->lineno++;
        if (n > 0 && start[n - 1] == '\r')
            n--;
        int cont =
            n > 0 && start[n - 1] == '\\' && (n < 2 || start[n - 2] != '\\') && s->pos < s->len;
        if (cont)
            n--;
        char *grown = realloc(acc, acc_len + n + 1);
        if (grown == NULL) {
            free(acc);
            *nomem = 1;
            return NULL;
        }
        acc = grown;
        memcpy(acc + acc_len, start, n);
        acc_len += n;
        acc[acc_len] = '\0';
        if (!cont)
            break;
    }
    /* A NUL inside a line ends it, as with httpd's C strings. */
    acc_len = strlen(acc);
    size_t b = 0;
    while (b < acc_len && isspace((unsigned char)acc[b]))
        b++;
    while (acc_len > b && isspace((unsigned char)acc[acc_len - 1]))
        acc_len--;
    memmove(acc, acc + b, acc_len - b);
    acc[acc_len - b] = '\0';
    return acc;
}

/* ---- conditions ------------------------------------------------------------------------------ */

static int is_defined(const struct reader *r, const char *name)
{
    for (size_t i = 0; i < r->n_defines; i++)
        if (strcmp(r->defines[i], name) == 0)
            return 1;
    return 0;
}

static int module_present(const struct reader *r, const char *name)
{
    const struct config_module *m = cfg_find_module(name);
    if (m != NULL && cfg_module_compiled_in(m, r->flat->mpms_shared))
        return 1;
    for (size_t i = 0; i < r->n_loaded; i++) {
        if (strcmp(r->loaded[i], name) == 0)
            return 1;
        if (m != NULL && strcmp(r->loaded[i], m->name) == 0)
            return 1;
    }
    return 0;
}

/* ---- reading a source ---------------------------------------------------------------------- */

static int read_source(struct reader *r, struct source *s);
static int include_path(struct reader *r, const char *path, int optional, const char *file,
                        unsigned line, const char *directive, unsigned dir_depth);

static int line_error(struct reader *r, const struct source *s, unsigned line,
                      const char *directive, const char *msg)
{
    cfg_error_at(r->err, s->name, line, directive, "%s", msg);
    return -1;
}

/* The argument of <IfDefine x>/<IfModule x>: the text before the last '>', trimmed. */
static const char *section_arg(struct reader *r, const struct source *s, unsigned line,
                               const char *name, const char *args, char **out)
{
    const char *gt = strrchr(args, '>');
    char msg[256];
    if (gt == NULL) {
        snprintf(msg, sizeof(msg), "%s> directive missing closing '>'", name);
        line_error(r, s, line, name, msg);
        return NULL;
    }
    size_t n = (size_t)(gt - args);
    while (n > 0 && isspace((unsigned char)args[n - 1]))
        n--;
    if (n == 0) {
        snprintf(msg, sizeof(msg), "%s> directive requires additional arguments", name);
        line_error(r, s, line, name, msg);
        return NULL;
    }
    *out = cfg_strndup(args, n);
    if (*out == NULL) {
        oom(r);
        return NULL;
    }
    return *out;
}

/* Skip a false conditional section up to its closing tag, checking the nesting inside it. */
static int soak_section(struct reader *r, struct source *s, const char *name, unsigned open_line)
{
    char *stack[64];
    size_t depth = 0;
    int rc = -1;
    stack[depth++] = cfg_strdup(name);
    if (stack[0] == NULL)
        return oom(r);
    for (;;) {
        unsigned first;
        int nomem;
        char *text = next_line(s, &first, &nomem);
        if (text == NULL) {
            if (nomem) {
                oom(r);
                break;
            }
            char msg[256];
            snprintf(msg, sizeof(msg), "%s> was not closed.", name);
            line_error(r, s, open_line, name, msg);
            break;
        }
        const char *p = text;
        char *word = cfg_getword(&p);
        free(text);
        if (word == NULL) {
            oom(r);
            break;
        }
        if (word[0] == '<' && word[1] == '/') {
            size_t n = strlen(word);
            if (word[n - 1] != '>') {
                char msg[512];
                snprintf(msg, sizeof(msg), "%s> directive missing closing '>'", word);
                line_error(r, s, first, word, msg);
                free(word);
                break;
            }
            word[n - 1] = '\0';
            const char *top = stack[depth - 1] + 1;
            if (cfg_strcasecmp(word + 2, top) != 0) {
                char msg[512];
                snprintf(msg, sizeof(msg), "Expected </%s> but saw %s>", top, word);
                line_error(r, s, first, word, msg);
                free(word);
                break;
            }
            free(word);
            free(stack[--depth]);
            if (depth == 0)
                return 0;
        } else if (word[0] == '<') {
            size_t n = strlen(word);
            if (n > 1 && word[n - 1] == '>')
                word[n - 1] = '\0';
            if (depth == sizeof(stack) / sizeof(stack[0])) {
                line_error(r, s, first, word, "Sections are nested too deeply");
                free(word);
                break;
            }
            stack[depth++] = word;
        } else {
            free(word);
        }
    }
    while (depth > 0)
        free(stack[--depth]);
    return rc;
}

static int set_server_root(struct reader *r, const struct source *s, unsigned line,
                           const char *args, char **rewritten)
{
    const char *p = args;
    char *w = cfg_getword(&p);
    if (w == NULL)
        return oom(r);
    if (*w == '\0' || *p != '\0') {
        free(w);
        return line_error(r, s, line, "ServerRoot",
                          "ServerRoot takes one argument, Common directory of server-related "
                          "files (logs, confs, etc.)");
    }
    char *abs = cfg_path_absolute(w);
    free(w);
    if (abs == NULL)
        return oom(r);
    if (!cfg_is_directory(abs)) {
        free(abs);
        return line_error(r, s, line, "ServerRoot", "ServerRoot must be a valid directory");
    }
    char *q = cfg_quote(abs);
    *rewritten = q ? cfg_format("ServerRoot %s", q) : NULL;
    free(q);
    free(r->server_root);
    r->server_root = abs;
    return *rewritten ? 0 : oom(r);
}

static int load_module(struct reader *r, const struct source *s, unsigned line, const char *args,
                       char **rewritten)
{
    const char *p = args;
    char *name = cfg_getword(&p);
    char *file = name ? cfg_getword(&p) : NULL;
    int rc = -1;
    if (file == NULL) {
        oom(r);
        goto out;
    }
    if (*name == '\0' || *file == '\0' || *p != '\0') {
        line_error(r, s, line, "LoadModule",
                   "LoadModule takes two arguments, a module name and the name of a shared "
                   "object file to load it from");
        goto out;
    }
    const char *why = cfg_check_loadmodule(name, r->flat->mpms_shared);
    if (why != NULL) {
        char *path = cfg_path_join(r->server_root, file);
        cfg_error_at(r->err, s->name, line, "LoadModule", "Cannot load %s into server: %s is %s",
                     path ? path : file, name, why);
        free(path);
        goto out;
    }
    char *path = cfg_path_join(r->server_root, file);
    char *qn = cfg_quote(name), *qp = path ? cfg_quote(path) : NULL;
    *rewritten = (qn && qp) ? cfg_format("LoadModule %s %s", qn, qp) : NULL;
    free(qn);
    free(qp);
    free(path);
    char **loaded = realloc(r->loaded, (r->n_loaded + 1) * sizeof(*loaded));
    if (*rewritten == NULL || loaded == NULL) {
        if (loaded != NULL)
            r->loaded = loaded;
        oom(r);
        goto out;
    }
    r->loaded = loaded;
    r->loaded[r->n_loaded++] = name;
    name = NULL;
    rc = 0;
out:
    free(name);
    free(file);
    return rc;
}

static int has_wildcard(const char *s)
{
    return strpbrk(s, "*?[") != NULL;
}

static int include_directive(struct reader *r, const struct source *s, unsigned line,
                             const char *directive, const char *args, int optional)
{
    const char *p = args;
    char *w = cfg_getword(&p);
    if (w == NULL)
        return oom(r);
    if (*w == '\0' || *p != '\0') {
        free(w);
        char msg[512];
        snprintf(msg, sizeof(msg), "%s takes one argument, %s",
                 optional ? "IncludeOptional" : "Include",
                 optional ? "Name or pattern of the config file(s) to be included; ignored if "
                            "the file(s) do not exist or the pattern does not match any files"
                          : "Name(s) of the config file(s) to be included; fails if the "
                            "wildcard does not match at least one file");
        return line_error(r, s, line, directive, msg);
    }
    if (r->depth >= CONFIG_MAX_INCLUDE_DEPTH) {
        free(w);
        char msg[256];
        snprintf(msg, sizeof(msg),
                 "Exceeded the maximum include directory nesting level of %u. You have "
                 "probably a recursion somewhere.",
                 CONFIG_MAX_INCLUDE_DEPTH);
        return line_error(r, s, line, directive, msg);
    }
    char *path = cfg_path_join(r->server_root, w);
    free(w);
    if (path == NULL)
        return oom(r);
    r->depth++;
    int rc = include_path(r, path, optional, s->name, line, directive, 0);
    r->depth--;
    free(path);
    return rc;
}

/* One source: every logical line, sections balanced within it. */
static int read_source(struct reader *r, struct source *s)
{
    struct open_section stack[64];
    size_t depth = 0;
    unsigned file_index;
    int rc = -1;
    if (flat_add_file(r->flat, s->name, &file_index) != 0)
        return oom(r);
    /* A UTF-8 byte order mark is not part of the first line. */
    if (s->len >= 3 && memcmp(s->buf, "\xEF\xBB\xBF", 3) == 0)
        s->pos = 3;
    for (;;) {
        unsigned line;
        int nomem;
        char *text = next_line(s, &line, &nomem);
        if (text == NULL) {
            if (nomem) {
                oom(r);
                goto out;
            }
            break;
        }
        if (text[0] == '\0' || text[0] == '#') {
            free(text);
            continue;
        }
        const char *args = text;
        char *name = cfg_getword(&args);
        if (name == NULL) {
            free(text);
            oom(r);
            goto out;
        }
        int step = 0;
        if (name[0] == '<' && name[1] == '/') {
            size_t n = strlen(name);
            char msg[512];
            if (name[n - 1] != '>') {
                snprintf(msg, sizeof(msg), "%s> directive missing closing '>'", name);
                step = line_error(r, s, line, name, msg);
            } else if (name[n - 1] = '\0', depth == 0) {
                snprintf(msg, sizeof(msg), "%s> without matching <%s> section", name, name + 2);
                step = line_error(r, s, line, name, msg);
            } else if (cfg_strcasecmp(name + 2, stack[depth - 1].name + 1) != 0) {
                snprintf(msg, sizeof(msg), "Expected </%s> but saw %s>", stack[depth - 1].name + 1,
                         name);
                step = line_error(r, s, line, name, msg);
            } else {
                depth--;
                if (stack[depth].kept) {
                    step = flat_add_line(r->flat, file_index, line, text) ? oom(r) : 0;
                    text = NULL;
                }
                free(stack[depth].name);
            }
        } else if (name[0] == '<') {
            size_t n = strlen(name);
            if (n > 1 && name[n - 1] == '>') {
                name[n - 1] = '\0';
                if (*args == '\0')
                    args = ">";
            }
            int ifdefine = cfg_strcasecmp(name, "<IfDefine") == 0;
            int ifmodule = cfg_strcasecmp(name, "<IfModule") == 0;
            if (depth == sizeof(stack) / sizeof(stack[0])) {
                step = line_error(r, s, line, name, "Sections are nested too deeply");
            } else if (ifdefine || ifmodule) {
                char *arg = NULL;
                if (section_arg(r, s, line, name, args, &arg) == NULL) {
                    step = -1;
                } else {
                    const char *a = arg;
                    int negate = *a == '!';
                    a += negate;
                    int present = ifdefine ? is_defined(r, a) : module_present(r, a);
                    free(arg);
                    if (present != negate) {
                        stack[depth++] = (struct open_section){name, line, 0};
                        name = NULL;
                    } else {
                        step = soak_section(r, s, name, line);
                    }
                }
            } else {
                stack[depth++] = (struct open_section){name, line, 1};
                name = NULL;
                step = flat_add_line(r->flat, file_index, line, text) ? oom(r) : 0;
                text = NULL;
            }
        } else if (cfg_strcasecmp(name, "Include") == 0) {
            step = include_directive(r, s, line, name, args, 0);
        } else if (cfg_strcasecmp(name, "IncludeOptional") == 0) {
            step = include_directive(r, s, line, name, args, 1);
        } else if (cfg_strcasecmp(name, "ServerRoot") == 0) {
            char *rewritten = NULL;
            step = set_server_root(r, s, line, args, &rewritten);
            if (step == 0)
                step = flat_add_line(r->flat, file_index, line, rewritten) ? oom(r) : 0;
        } else if (cfg_strcasecmp(name, "LoadModule") == 0) {
            char *rewritten = NULL;
            step = load_module(r, s, line, args, &rewritten);
            if (step == 0)
                step = flat_add_line(r->flat, file_index, line, rewritten) ? oom(r) : 0;
        } else {
            step = flat_add_line(r->flat, file_index, line, text) ? oom(r) : 0;
            text = NULL;
        }
        free(name);
        free(text);
        if (step != 0)
            goto out;
    }
    if (depth > 0) {
        char msg[256];
        snprintf(msg, sizeof(msg), "%s> was not closed.", stack[depth - 1].name);
        line_error(r, s, stack[depth - 1].line, stack[depth - 1].name, msg);
        goto out;
    }
    rc = 0;
out:
    while (depth > 0)
        free(stack[--depth].name);
    return rc;
}

/* ---- files, directories, wildcards ----------------------------------------------------------- */

static int read_whole_file(const char *path, char **buf, size_t *len, DWORD *error)
{
    HANDLE h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        *error = GetLastError();
        return -1;
    }
    char *data = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 65536) {
            cap = cap ? cap * 2 : 65536;
            char *grown = realloc(data, cap + 1);
            if (grown == NULL) {
                free(data);
                CloseHandle(h);
                *error = ERROR_NOT_ENOUGH_MEMORY;
                return -1;
            }
            data = grown;
        }
        DWORD got = 0;
        if (!ReadFile(h, data + n, (DWORD)(cap - n), &got, NULL)) {
            *error = GetLastError();
            free(data);
            CloseHandle(h);
            return -1;
        }
        if (got == 0)
            break;
        n += got;
    }
    CloseHandle(h);
    data[n] = '\0';
    *buf = data;
    *len = n;
    return 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* httpd's fnmatch with APR_FNM_PERIOD: * ? [set] [!set] [^set], a leading '.' only literally. */
static int wild_match(const char *pat, const char *name, int at_start)
{
    for (; *pat; pat++, name++, at_start = 0) {
        if (at_start && *name == '.' && *pat != '.')
            return 0;
        switch (*pat) {
        case '*':
            while (pat[1] == '*')
                pat++;
            for (const char *n = name;; n++) {
                if (wild_match(pat + 1, n, 0))
                    return 1;
                if (*n == '\0')
                    return 0;
            }
        case '?':
            if (*name == '\0')
                return 0;
            break;
        case '[': {
            if (*name == '\0')
                return 0;
            const char *p = pat + 1;
            int negate = *p == '!' || *p == '^';
            p += negate;
            int found = 0;
            const char *start = p;
            while (*p && (*p != ']' || p == start)) {
                if (p[1] == '-' && p[2] && p[2] != ']') {
                    if ((unsigned char)*name >= (unsigned char)p[0] &&
                        (unsigned char)*name <= (unsigned char)p[2])
                        found = 1;
                    p += 3;
                } else {
                    if (*p == *name)
                        found = 1;
                    p++;
                }
            }
            if (*p != ']') { /* no closing bracket: a literal '[' */
                if (*name != '[')
                    return 0;
                break;
            }
            if (found == negate)
                return 0;
            pat = p;
            break;
        }
        case '\\':
            if (pat[1])
                pat++;
            /* fall through */
        default:
            if (*pat != *name)
                return 0;
        }
    }
    return *name == '\0';
}

/* The entries of directory dir matching pattern (NULL: all but "." and ".."), sorted with strcmp
 * as httpd does; only directories when dirs_only. -1 when the directory cannot be listed. */
static int list_dir(const char *dir, const char *pattern, int dirs_only, char ***out, size_t *count,
                    DWORD *error)
{
    char *glob = cfg_path_join(dir, "*");
    *out = NULL;
    *count = 0;
    if (glob == NULL) {
        *error = ERROR_NOT_ENOUGH_MEMORY;
        return -1;
    }
    WIN32_FIND_DATAA fd;
    HANDLE h = FindFirstFileA(glob, &fd);
    free(glob);
    if (h == INVALID_HANDLE_VALUE) {
        /* An existing directory with nothing to list is empty, whatever the error code says. */
        *error = GetLastError();
        return cfg_is_directory(dir) ? 0 : -1;
    }
    char **names = NULL;
    size_t n = 0;
    do {
        if (strcmp(fd.cFileName, ".") == 0 || strcmp(fd.cFileName, "..") == 0)
            continue;
        if (pattern != NULL && !wild_match(pattern, fd.cFileName, 1))
            continue;
        if (dirs_only && !(fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY))
            continue;
        char **grown = realloc(names, (n + 1) * sizeof(*names));
        char *full = grown ? cfg_path_join(dir, fd.cFileName) : NULL;
        if (grown != NULL)
            names = grown;
        if (full == NULL) {
            for (size_t i = 0; i < n; i++)
                free(names[i]);
            free(names);
            FindClose(h);
            *error = ERROR_NOT_ENOUGH_MEMORY;
            return -1;
        }
        names[n++] = full;
    } while (FindNextFileA(h, &fd));
    FindClose(h);
    if (n > 1)
        qsort(names, n, sizeof(*names), name_cmp);
    *out = names;
    *count = n;
    return 0;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* A file, or every entry of a directory (recursively), as httpd's Include does. */
static int include_path(struct reader *r, const char *path, int optional, const char *file,
                        unsigned line, const char *directive, unsigned dir_depth)
{
    if (has_wildcard(path)) {
        /* Walk from the first path component with a wildcard (httpd allows them anywhere). */
        const char *seg = path, *p = path;
        for (; *p; p++) {
            if (*p == '/' || *p == '\\')
                seg = p + 1;
            else if (*p == '*' || *p == '?' || *p == '[')
                break;
        }
        const char *end = seg;
        while (*end && *end != '/' && *end != '\\')
            end++;
        char *dir = seg > path ? cfg_strndup(path, (size_t)(seg - path)) : cfg_strdup(".");
        char *pattern = cfg_strndup(seg, (size_t)(end - seg));
        const char *rest = *end ? end + 1 : NULL;
        if (dir == NULL || pattern == NULL) {
            free(dir);
            free(pattern);
            cfg_error_plain(r->err, "Out of memory while reading the configuration");
            return -1;
        }
        /* "/etc/" -> "/etc", but keep "/" and "C:/". */
        size_t dl = strlen(dir);
        if (dl > 1 && (dir[dl - 1] == '/' || dir[dl - 1] == '\\') && !(dl == 3 && dir[1] == ':'))
            dir[dl - 1] = '\0';
        char **names;
        size_t n;
        DWORD error = 0;
        int rc = 0;
        if (list_dir(dir, pattern, rest != NULL, &names, &n, &error) != 0) {
            if (!optional) {
                cfg_error_at(r->err, file, line, directive,
                             "Could not open config directory %s: %s", dir, cfg_error_text(error));
                rc = -1;
            }
        } else if (n == 0) {
            if (!optional) {
                cfg_error_at(r->err, file, line, directive,
                             "No matches for the wildcard '%s' in '%s', failing (use "
                             "IncludeOptional if required)",
                             pattern, dir);
                rc = -1;
            }
        } else {
            for (size_t i = 0; i < n && rc == 0; i++) {
                if (rest != NULL) {
                    char *next = cfg_path_join(names[i], rest);
                    rc = next ? include_path(r, next, optional, file, line, directive, dir_depth)
                              : oom(r);
                    free(next);
                } else {
                    rc = include_path(r, names[i], optional, file, line, directive, dir_depth);
                }
            }
            free_names(names, n);
        }
        free(dir);
        free(pattern);
        return rc;
    }

    DWORD attrs = GetFileAttributesA(path);
    if (attrs == INVALID_FILE_ATTRIBUTES) {
        if (optional)
            return 0;
        cfg_error_at(r->err, file, line, directive, "Could not open configuration file %s: %s",
                     path, cfg_error_text(GetLastError()));
        return -1;
    }
    if (attrs & FILE_ATTRIBUTE_DIRECTORY) {
        if (++dir_depth > CONFIG_MAX_INCLUDE_DEPTH) {
            cfg_error_at(r->err, file, line, directive,
                         "Directory %s exceeds the maximum include directory nesting level of "
                         "%u. You have probably a recursion somewhere.",
                         path, CONFIG_MAX_INCLUDE_DEPTH);
            return -1;
        }
        char **names;
        size_t n;
        DWORD error = 0;
        if (list_dir(path, NULL, 0, &names, &n, &error) != 0) {
            cfg_error_at(r->err, file, line, directive, "Could not open config directory %s: %s",
                         path, cfg_error_text(error));
            return -1;
        }
        int rc = 0;
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = include_path(r, names[i], optional, file, line, directive, dir_depth);
        free_names(names, n);
        return rc;
    }
    char *buf;
    size_t len;
    DWORD error = 0;
    if (read_whole_file(path, &buf, &len, &error) != 0) {
        cfg_error_at(r->err, file, line, directive, "Could not open configuration file %s: %s",
                     path, cfg_error_text(error));
        return -1;
    }
    struct source s = {path, buf, len, 0, 0};
    int rc = read_source(r, &s);
    free(buf);
    return rc;
}

/* The -C or -c directives as one source named CONFIG_CMDLINE_FILE, one line each. */
static int read_cmdline(struct reader *r, const char *const *lines, size_t n)
{
    if (n == 0)
        return 0;
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += strlen(lines[i]) + 1;
    char *buf = malloc(total + 1);
    if (buf == NULL)
        return oom(r);
    char *d = buf;
    for (size_t i = 0; i < n; i++) {
        /* A newline inside one -C argument would shift the numbering: make it a blank. */
        for (const char *p = lines[i]; *p; p++)
            *d++ = (*p == '\n' || *p == '\r') ? ' ' : *p;
        *d++ = '\n';
    }
    *d = '\0';
    struct source s = {CONFIG_CMDLINE_FILE, buf, (size_t)(d - buf), 0, 0};
    int rc = read_source(r, &s);
    free(buf);
    return rc;
}

int config_load(const struct config_load_options *opts, struct config_flat **out,
                struct config_error *err)
{
    struct config_flat *flat = calloc(1, sizeof(*flat));
    struct reader r = {.flat = flat, .err = err};
    memset(err, 0, sizeof(*err));
    *out = NULL;
    if (flat == NULL) {
        cfg_error_plain(err, "Out of memory while reading the configuration");
        return -1;
    }
    flat->mpms_shared = opts->mpms_shared;
    r.defines = opts->defines;
    r.n_defines = opts->n_defines;
    flat->server_root = cfg_path_absolute(opts->server_root ? opts->server_root : ".");
    r.server_root = flat->server_root ? cfg_strdup(flat->server_root) : NULL;
    int rc = -1;
    if (r.server_root == NULL) {
        oom(&r);
        goto out;
    }
    if (read_cmdline(&r, opts->pre, opts->n_pre) != 0)
        goto out;
    /* The file name is resolved after -C, which may set ServerRoot (as httpd does). */
    const char *name = opts->config_file ? opts->config_file : CONFIG_DEFAULT_FILE;
    char *path = cfg_path_join(r.server_root, name);
    if (path == NULL) {
        oom(&r);
        goto out;
    }
    /* httpd does not require the default file when -C or -c directives are given. */
    int skip = opts->config_file == NULL && (opts->n_pre || opts->n_post) &&
               GetFileAttributesA(path) == INVALID_FILE_ATTRIBUTES;
    if (!skip && cfg_is_directory(path)) {
        cfg_error_plain(err, "Could not open configuration file %s: Is a directory", path);
        free(path);
        goto out;
    }
    if (!skip) {
        char *buf;
        size_t len;
        DWORD error = 0;
        if (read_whole_file(path, &buf, &len, &error) != 0) {
            cfg_error_plain(err, "Could not open configuration file %s: %s", path,
                            cfg_error_text(error));
            free(path);
            goto out;
        }
        struct source s = {path, buf, len, 0, 0};
        rc = read_source(&r, &s);
        free(buf);
        free(path);
        if (rc != 0)
            goto out;
        rc = -1;
    } else {
        free(path);
    }
    if (read_cmdline(&r, opts->post, opts->n_post) != 0)
        goto out;
    rc = 0;
    *out = flat;
    flat = NULL;
out:
    free(r.server_root);
    for (size_t i = 0; i < r.n_loaded; i++)
        free(r.loaded[i]);
    free(r.loaded);
    config_flat_free(flat);
    return rc;
}

/* ---- serialisation ------------------------------------------------------------------------- */

/* Format: "NTMPMCFG 1\n", "root <len>:<bytes>\n", "shared <0|1>\n", "files <n>\n" and n times
 * "<len>:<bytes>\n", "lines <n>\n" and n times "<file> <line> <len>:<bytes>\n", "end\n". */
struct out {
    char *buf;
    size_t len, cap;
    int failed;
};

static void put(struct out *o, const char *data, size_t n)
{
    if (o->failed)
        return;
    if (o->cap - o->len < n + 1) {
        size_t cap = o->cap ? o->cap : 4096;
        while (cap - o->len < n + 1)
            cap *= 2;
        char *grown = realloc(o->buf, cap);
        if (grown == NULL) {
            o->failed = 1;
            return;
        }
        o->buf = grown;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, data, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static void put_num(struct out *o, const char *prefix, size_t v, const char *suffix)
{
    char tmp[64];
    int n = snprintf(tmp, sizeof(tmp), "%s%zu%s", prefix, v, suffix);
    put(o, tmp, (size_t)n);
}

static void put_str(struct out *o, const char *s)
{
    size_t n = strlen(s);
    put_num(o, "", n, ":");
    put(o, s, n);
    put(o, "\n", 1);
}

int config_serialise(const struct config_flat *flat, char **buf, size_t *len)
{
    struct out o = {0};
    put(&o, "NTMPMCFG 1\n", 11);
    put(&o, "root ", 5);
    put_str(&o, flat->server_root);
    put_num(&o, "shared ", (size_t)(flat->mpms_shared != 0), "\n");
    put_num(&o, "files ", flat->n_files, "\n");
    for (size_t i = 0; i < flat->n_files; i++)
        put_str(&o, flat->files[i]);
    put_num(&o, "lines ", flat->n_lines, "\n");
    for (size_t i = 0; i < flat->n_lines; i++) {
        put_num(&o, "", flat->lines[i].file, " ");
        put_num(&o, "", flat->lines[i].line, " ");
        put_str(&o, flat->lines[i].text);
    }
    put(&o, "end\n", 4);
    if (o.failed) {
        free(o.buf);
        return -1;
    }
    *buf = o.buf;
    *len = o.len;
    return 0;
}

struct in {
    const char *p, *end;
};

static int get_lit(struct in *in, const char *lit)
{
    size_t n = strlen(lit);
    if ((size_t)(in->end - in->p) < n || memcmp(in->p, lit, n) != 0)
        return -1;
    in->p += n;
    return 0;
}

static int get_num(struct in *in, size_t max, size_t *v)
{
    size_t x = 0;
    const char *start = in->p;
    while (in->p < in->end && *in->p >= '0' && *in->p <= '9') {
        size_t d = (size_t)(*in->p - '0');
        if (x > (max - d) / 10)
            return -1;
        x = x * 10 + d;
        in->p++;
    }
    if (in->p == start)
        return -1;
    *v = x;
    return 0;
}

static char *get_str(struct in *in)
{
    size_t n;
    if (get_num(in, (size_t)(in->end - in->p), &n) != 0 || get_lit(in, ":") != 0 ||
        (size_t)(in->end - in->p) < n + 1 || in->p[n] != '\n' || memchr(in->p, '\0', n) != NULL)
        return NULL;
    char *s = cfg_strndup(in->p, n);
    in->p += n + 1;
    return s;
}

int config_deserialise(const char *buf, size_t len, struct config_flat **out,
                       struct config_error *err)
{
    struct in in = {buf, buf + len};
    struct config_flat *flat = calloc(1, sizeof(*flat));
    size_t n, v;
    memset(err, 0, sizeof(*err));
    *out = NULL;
    if (flat == NULL)
        goto bad;
    if (get_lit(&in, "NTMPMCFG 1\nroot ") != 0 || (flat->server_root = get_str(&in)) == NULL ||
        get_lit(&in, "shared ") != 0 || get_num(&in, 1, &v) != 0 || get_lit(&in, "\nfiles ") != 0)
        goto bad;
    flat->mpms_shared = (int)v;
    if (get_num(&in, len, &n) != 0 || get_lit(&in, "\n") != 0)
        goto bad;
    if (n > 0 && (flat->files = calloc(n, sizeof(*flat->files))) == NULL)
        goto bad;
    for (; flat->n_files < n; flat->n_files++)
        if ((flat->files[flat->n_files] = get_str(&in)) == NULL)
            goto bad;
    if (get_lit(&in, "lines ") != 0 || get_num(&in, len, &n) != 0 || get_lit(&in, "\n") != 0)
        goto bad;
    if (n > 0 && (flat->lines = calloc(n, sizeof(*flat->lines))) == NULL)
        goto bad;
    flat->cap_lines = n;
    for (; flat->n_lines < n; flat->n_lines++) {
        size_t file, line;
        struct flat_line *l = &flat->lines[flat->n_lines];
        if (get_num(&in, flat->n_files ? flat->n_files - 1 : 0, &file) != 0 || flat->n_files == 0 ||
            get_lit(&in, " ") != 0 || get_num(&in, 0xFFFFFFFFu, &line) != 0 ||
            get_lit(&in, " ") != 0 || (l->text = get_str(&in)) == NULL)
            goto bad;
        l->file = (unsigned)file;
        l->line = (unsigned)line;
    }
    if (get_lit(&in, "end\n") != 0 || in.p != in.end)
        goto bad;
    *out = flat;
    return 0;
bad:
    config_flat_free(flat);
    cfg_error_plain(err, "The configuration received is damaged (not a serialised ntmpm "
                         "configuration)");
    return -1;
}
