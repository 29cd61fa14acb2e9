/* Directories: FindFirstFileA/FindNextFileA/FindClose, CreateDirectoryA, RemoveDirectoryA,
 * GetFullPathNameA (what the config reader's Include needs). */
#include "ntc.h"
#include "proc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* A search handle is not a kernel object on Windows either: FindClose, never CloseHandle. */
struct find_state {
    char **names; /* "." and ".." first, then case-insensitive order (as NTFS lists) */
    size_t n, next;
    char *dir;
};

/* Windows file-name matching: '*' and '?', case-insensitive, "*.*" matches every name. */
static bool match(const char *pat, const char *name)
{
    if (strcmp(pat, "*.*") == 0)
        pat = "*";
    for (; *pat; pat++, name++) {
        if (*pat == '*') {
            for (const char *n = name;; n++) {
                if (match(pat + 1, n))
                    return true;
                if (*n == '\0')
                    return false;
            }
        }
        if (*name == '\0')
            return false;
        if (*pat != '?' && tolower((unsigned char)*pat) != tolower((unsigned char)*name))
            return false;
    }
    return *name == '\0';
}

static int name_order(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    int dx = strcmp(x, ".") == 0 ? 0 : strcmp(x, "..") == 0 ? 1 : 2;
    int dy = strcmp(y, ".") == 0 ? 0 : strcmp(y, "..") == 0 ? 1 : 2;
    if (dx != dy)
        return dx - dy;
    int c = strcasecmp(x, y);
    return c ? c : strcmp(x, y);
}

static void free_state(struct find_state *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->names[i]);
    free(f->names);
    free(f->dir);
    free(f);
}

/* Fill data for the next name; false when none is left. */
static bool fill(struct find_state *f, LPWIN32_FIND_DATAA data)
{
    while (f->next < f->n) {
        const char *name = f->names[f->next++];
        size_t len = strlen(name);
        char *full = malloc(strlen(f->dir) + len + 2);
        if (!full)
            continue;
        strcpy(full, f->dir);
        strcat(full, "/");
        strcat(full, name);
        struct stat st;
        int rc = lstat(full, &st);
        DWORD attrs = rc == 0 ? ntc_attributes_of(full, &st) : 0;
        free(full);
        if (rc != 0 || len >= MAX_PATH)
            continue; /* vanished meanwhile, or a name Windows could not report */
        memset(data, 0, sizeof(*data));
        /* A link is listed as itself: a reparse point with its tag [WIN32_FIND_DATAA]. */
        data->dwFileAttributes = attrs;
        if (attrs & FILE_ATTRIBUTE_REPARSE_POINT)
            data->dwReserved0 = IO_REPARSE_TAG_SYMLINK;
        data->ftCreationTime = ntc_filetime_of(st.st_ctim);
        data->ftLastAccessTime = ntc_filetime_of(st.st_atim);
        data->ftLastWriteTime = ntc_filetime_of(st.st_mtim);
        ULONGLONG size = S_ISREG(st.st_mode) ? (ULONGLONG)st.st_size : 0;
        data->nFileSizeHigh = (DWORD)(size >> 32);
        data->nFileSizeLow = (DWORD)size;
        memcpy(data->cFileName, name, len + 1);
        return true;
    }
    return false;
}

HANDLE WINAPI FindFirstFileA(LPCSTR lpFileName, LPWIN32_FIND_DATAA lpFindFileData)
{
    if (!lpFindFileData) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    char *path = ntc_path_from_win32(lpFileName);
    if (!path)
        return INVALID_HANDLE_VALUE;
    struct find_state *f = calloc(1, sizeof(*f));
    char *slash = strrchr(path, '/');
    const char *pattern = slash ? slash + 1 : path;
    if (f)
        f->dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!f || !f->dir) {
        if (f)
            free_state(f);
        free(path);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return INVALID_HANDLE_VALUE;
    }
    if (*pattern == '\0') {
        /* [FindFirstFileA] "dir\" names no file. */
        free_state(f);
        free(path);
        SetLastError(ERROR_FILE_NOT_FOUND);
        return INVALID_HANDLE_VALUE;
    }
    DIR *d = opendir(f->dir);
    if (!d) {
        int e = errno;
        SetLastError(e == ENOENT || e == ENOTDIR ? ERROR_PATH_NOT_FOUND : ntc_win32_from_errno(e));
        free_state(f);
        free(path);
        return INVALID_HANDLE_VALUE;
    }
    struct dirent *de;
    bool nomem = false;
    while ((de = readdir(d)) != NULL) {
        if (!match(pattern, de->d_name))
            continue;
        char **grown = realloc(f->names, (f->n + 1) * sizeof(*grown));
        char *copy = grown ? strdup(de->d_name) : NULL;
        if (grown)
            f->names = grown;
        if (!copy) {
            nomem = true;
            break;
        }
        f->names[f->n++] = copy;
    }
    closedir(d);
    free(path);
    if (nomem) {
        free_state(f);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return INVALID_HANDLE_VALUE;
    }
    if (f->n > 1)
        qsort(f->names, f->n, sizeof(*f->names), name_order);
    if (!fill(f, lpFindFileData)) {
        free_state(f);
        SetLastError(ERROR_FILE_NOT_FOUND);
        return INVALID_HANDLE_VALUE;
    }
    return (HANDLE)f;
}

BOOL WINAPI FindNextFileA(HANDLE hFindFile, LPWIN32_FIND_DATAA lpFindFileData)
{
    if (!hFindFile || hFindFile == INVALID_HANDLE_VALUE || !lpFindFileData) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    if (!fill((struct find_state *)hFindFile, lpFindFileData)) {
        SetLastError(ERROR_NO_MORE_FILES);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI FindClose(HANDLE hFindFile)
{
    if (!hFindFile || hFindFile == INVALID_HANDLE_VALUE) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    free_state((struct find_state *)hFindFile);
    return TRUE;
}

BOOL WINAPI CreateDirectoryA(LPCSTR lpPathName, LPSECURITY_ATTRIBUTES lpSecurityAttributes)
{
    (void)lpSecurityAttributes;
    char *path = ntc_path_from_win32(lpPathName);
    if (!path)
        return FALSE;
    BOOL ok = mkdir(path, 0777) == 0;
    if (!ok) {
        int e = errno;
        /* [CreateDirectoryA] an existing name is ERROR_ALREADY_EXISTS, not ERROR_FILE_EXISTS. */
        if (e == EEXIST)
            SetLastError(ERROR_ALREADY_EXISTS);
        else
            ntc_file_set_path_error(e, path);
    }
    free(path);
    return ok;
}

BOOL WINAPI RemoveDirectoryA(LPCSTR lpPathName)
{
    char *path = ntc_path_from_win32(lpPathName);
    if (!path)
        return FALSE;
    BOOL ok = rmdir(path) == 0;
    if (!ok && errno == ENOTDIR) {
        /* A link to a directory is removed as a directory: the link goes, its target stays
         * [RemoveDirectoryA: "If the path points to a symbolic link, the symbolic link is
         * removed"]. */
        struct stat lst, st;
        if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) && stat(path, &st) == 0 &&
            S_ISDIR(st.st_mode))
            ok = unlink(path) == 0;
        else
            errno = ENOTDIR;
    }
    if (!ok) {
        int e = errno;
        if (e == ENOTDIR)
            SetLastError(ERROR_DIRECTORY);
        else
            ntc_file_set_path_error(e, path);
    }
    free(path);
    return ok;
}

DWORD WINAPI GetFullPathNameA(LPCSTR lpFileName, DWORD nBufferLength, LPSTR lpBuffer,
                              LPSTR *lpFilePart)
{
    char *path = ntc_path_from_win32(lpFileName);
    if (!path)
        return 0;
    if (*path == '\0') {
        free(path);
        SetLastError(ERROR_INVALID_NAME);
        return 0;
    }
    char *joined = NULL;
    if (path[0] == '/') {
        joined = strdup(path);
    } else {
        char *cwd = getcwd(NULL, 0);
        if (cwd) {
            joined = malloc(strlen(cwd) + strlen(path) + 2);
            if (joined) {
                strcpy(joined, cwd);
                strcat(joined, "/");
                strcat(joined, path);
            }
            free(cwd);
        }
    }
    free(path);
    if (!joined) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    /* Lexical clean-up, as Windows does: no file system access, "." and ".." folded. */
    size_t len = strlen(joined);
    bool trailing = len > 1 && joined[len - 1] == '/';
    char *out = malloc(len + 2);
    if (!out) {
        free(joined);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    size_t o = 0;
    for (char *seg = strtok(joined, "/"); seg; seg = strtok(NULL, "/")) {
        if (strcmp(seg, ".") == 0)
            continue;
        if (strcmp(seg, "..") == 0) {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
            continue;
        }
        out[o++] = '/';
        memcpy(out + o, seg, strlen(seg));
        o += strlen(seg);
    }
    if (o == 0)
        out[o++] = '/';
    else if (trailing)
        out[o++] = '/';
    out[o] = '\0';
    free(joined);
    DWORD need = (DWORD)o + 1;
    if (!lpBuffer || nBufferLength < need) {
        free(out);
        return need;
    }
    memcpy(lpBuffer, out, o + 1);
    free(out);
    if (lpFilePart) {
        char *last = strrchr(lpBuffer, '/');
        *lpFilePart = (last && last[1]) ? last + 1 : NULL;
    }
    return (DWORD)o;
}
