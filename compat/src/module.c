/* Modules: LoadLibrary/GetProcAddress/FreeLibrary/GetModuleHandle/GetModuleFileName over dlopen. */
#include "proc.h"

#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* An HMODULE is the handle dlopen returned. */

static HMODULE load_library(const char *name)
{
    char *path = ntc_path_from_win32(name);
    if (!path)
        return NULL;
    /*
     * Windows appends ".dll" to a name without an extension and searches the application's
     * directory first [LoadLibraryA]; here the name is used as given and searched as dlopen does.
     */
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        /* A file that exists but does not load is not a module of ours [LoadLibraryA]. */
        bool exists = strchr(path, '/') && access(path, F_OK) == 0;
        SetLastError(exists ? ERROR_BAD_EXE_FORMAT : ERROR_MOD_NOT_FOUND);
    }
    free(path);
    return (HMODULE)h;
}

HMODULE WINAPI LoadLibraryA(LPCSTR lpLibFileName)
{
    if (!lpLibFileName) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return load_library(lpLibFileName);
}

HMODULE WINAPI LoadLibraryW(LPCWSTR lpLibFileName)
{
    if (!lpLibFileName) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    char *name = ntc_utf8_from_wide(lpLibFileName);
    if (!name)
        return NULL;
    HMODULE h = load_library(name);
    free(name);
    return h;
}

BOOL WINAPI FreeLibrary(HMODULE hLibModule)
{
    if (!hLibModule || dlclose(hLibModule) != 0) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    return TRUE;
}

static void *main_program(void)
{
    static void *self;
    void *h = __atomic_load_n(&self, __ATOMIC_ACQUIRE);
    if (!h) {
        h = dlopen(NULL, RTLD_NOW);
        __atomic_store_n(&self, h, __ATOMIC_RELEASE);
    }
    return h;
}

FARPROC WINAPI GetProcAddress(HMODULE hModule, LPCSTR lpProcName)
{
    /* Exports have no ordinals here: an ordinal is never found. */
    if (((ULONG_PTR)lpProcName >> 16) == 0) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return NULL;
    }
    void *h = hModule ? (void *)hModule : main_program();
    dlerror();
    void *sym = dlsym(h, lpProcName);
    if (!sym) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return NULL;
    }
    FARPROC fn;
    memcpy(&fn, &sym, sizeof(fn)); /* object pointer to function pointer, as dlsym requires */
    return fn;
}

struct find_module {
    const char *want; /* a path (with '/') or a file name */
    bool by_path;
    char *found; /* the loaded object's name, malloc'd */
};

static int match_module(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    struct find_module *f = arg;
    const char *name = info->dlpi_name;
    if (!name || !name[0])
        return 0;
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    /* Module names are case-insensitive on Windows [GetModuleHandleA]. */
    bool hit = f->by_path ? strcmp(name, f->want) == 0 : strcasecmp(base, f->want) == 0;
    if (hit)
        f->found = strdup(name);
    return hit;
}

HMODULE WINAPI GetModuleHandleA(LPCSTR lpModuleName)
{
    if (!lpModuleName)
        return (HMODULE)main_program();
    char *want = ntc_path_from_win32(lpModuleName);
    if (!want)
        return NULL;
    struct find_module f = {want, strchr(want, '/') != NULL, NULL};
    dl_iterate_phdr(match_module, &f);
    void *h = NULL;
    if (f.found) {
        /* GetModuleHandle takes no reference [GetModuleHandleA]: drop the one NOLOAD adds. */
        h = dlopen(f.found, RTLD_NOW | RTLD_NOLOAD);
        if (h)
            dlclose(h);
        free(f.found);
    }
    free(want);
    if (!h)
        SetLastError(ERROR_MOD_NOT_FOUND);
    return (HMODULE)h;
}

/* The UTF-8 path of a module, malloc'd; NULL with the last error set. */
static char *module_path(HMODULE h)
{
    if (h && h != (HMODULE)main_program()) {
        struct link_map *lm = NULL;
        if (dlinfo(h, RTLD_DI_LINKMAP, &lm) != 0 || !lm) {
            SetLastError(ERROR_MOD_NOT_FOUND);
            return NULL;
        }
        if (lm->l_name && lm->l_name[0]) {
            char *p = realpath(lm->l_name, NULL);
            return p ? p : strdup(lm->l_name);
        }
    }
    size_t cap = 256;
    for (;;) {
        char *buf = malloc(cap);
        if (!buf) {
            SetLastError(ERROR_NOT_ENOUGH_MEMORY);
            return NULL;
        }
        ssize_t n = readlink("/proc/self/exe", buf, cap);
        if (n < 0) {
            ntc_set_error_errno(errno);
            free(buf);
            return NULL;
        }
        if ((size_t)n < cap) {
            buf[n] = '\0';
            return buf;
        }
        free(buf);
        cap *= 2;
    }
}

DWORD WINAPI GetModuleFileNameA(HMODULE hModule, LPSTR lpFilename, DWORD nSize)
{
    char *path = module_path(hModule);
    if (!path)
        return 0;
    size_t len = strlen(path);
    DWORD ret;
    if (len < nSize) {
        memcpy(lpFilename, path, len + 1);
        ret = (DWORD)len;
    } else {
        /* Truncated to nSize characters, terminator included [GetModuleFileNameA]. */
        if (nSize > 0) {
            memcpy(lpFilename, path, nSize - 1);
            lpFilename[nSize - 1] = '\0';
        }
        ret = nSize;
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
    }
    free(path);
    return ret;
}

DWORD WINAPI GetModuleFileNameW(HMODULE hModule, LPWSTR lpFilename, DWORD nSize)
{
    char *path = module_path(hModule);
    if (!path)
        return 0;
    /* UTF-16 never needs more units than UTF-8 has bytes. */
    size_t cap = strlen(path) + 1;
    WCHAR *tmp = malloc(cap * sizeof(WCHAR));
    DWORD len = tmp ? ntc_wide_from_utf8(path, tmp, (DWORD)cap) : (DWORD)-1;
    free(path);
    if (len == (DWORD)-1) {
        free(tmp);
        if (!tmp)
            SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    DWORD ret;
    if (len < nSize) {
        memcpy(lpFilename, tmp, ((size_t)len + 1) * sizeof(WCHAR));
        ret = len;
    } else {
        if (nSize > 0) {
            memcpy(lpFilename, tmp, (nSize - 1) * sizeof(WCHAR));
            lpFilename[nSize - 1] = 0;
        }
        ret = nSize;
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
    }
    free(tmp);
    return ret;
}
