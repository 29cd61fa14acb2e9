/* File mappings: CreateFileMapping/OpenFileMapping, MapViewOfFile and UnmapViewOfFile. */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * A mapping is a descriptor to mmap views from: a shareable segment of shm.c for page-file backed
 * mappings (a memfd, or POSIX shm when named, where the payload starts after the segment's header
 * page), or a copy of a file's descriptor. Each view is its own mmap and holds a reference to its
 * mapping, so that a named mapping lives as long as a view does, as on Windows.
 */
#define GRANULARITY 65536 /* the allocation granularity views are aligned to [MapViewOfFile] */

struct mapping {
    struct ntc_object obj;
    bool is_seg;
    struct ntc_seg seg; /* is_seg */
    int fd;             /* the descriptor views come from */
    off_t base;         /* where the mapping's bytes start in fd */
    uint64_t size;
    DWORD protect; /* PAGE_READONLY, PAGE_READWRITE, PAGE_WRITECOPY (+ EXECUTE variants) */
};

static struct mapping *map_of(struct ntc_object *o)
{
    return (struct mapping *)o;
}

static void mapping_destroy(struct ntc_object *o)
{
    struct mapping *m = map_of(o);
    if (m->is_seg)
        ntc_seg_release(&m->seg);
    else
        close(m->fd);
    free(m);
}

/* On the wire: the descriptor, then is_seg, named, protect and size. */
struct map_wire {
    uint8_t is_seg, named;
    uint32_t protect;
    uint64_t size;
};

static BOOL mapping_export(struct ntc_object *o, struct ntc_wire *w)
{
    struct mapping *m = map_of(o);
    struct map_wire mw = {m->is_seg, m->is_seg && m->seg.named, m->protect, m->size};
    w->type = NTC_T_MAPPING;
    w->nfds = 1;
    w->fds[0] = m->fd;
    w->len = sizeof(mw);
    memcpy(w->data, &mw, sizeof(mw));
    return TRUE;
}

static struct mapping *mapping_alloc(DWORD protect)
{
    struct mapping *m = calloc(1, sizeof(*m));
    if (!m) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    ntc_object_init(&m->obj, &ntc_mapping_ops);
    m->fd = -1;
    m->protect = protect;
    return m;
}

/* Make m use a segment it now owns. */
static void adopt_seg(struct mapping *m, const struct ntc_seg *seg)
{
    m->is_seg = true;
    m->seg = *seg;
    m->fd = seg->fd;
    m->base = (off_t)((char *)seg->payload - (char *)seg->base);
    m->size = seg->payload_size;
}

static struct ntc_object *mapping_import(struct ntc_wire *w)
{
    struct map_wire mw;
    if (w->nfds != 1 || w->len != sizeof(mw)) {
        for (uint32_t i = 0; i < w->nfds && i < NTC_WIRE_MAXFDS; i++)
            close(w->fds[i]);
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    memcpy(&mw, w->data, sizeof(mw));
    struct mapping *m = mapping_alloc(mw.protect);
    if (!m) {
        close(w->fds[0]);
        return NULL;
    }
    if (mw.is_seg) {
        struct ntc_seg seg;
        if (!ntc_seg_import(w->fds[0], mw.named, (size_t)mw.size, &seg)) {
            free(m);
            return NULL;
        }
        adopt_seg(m, &seg);
    } else {
        m->fd = w->fds[0];
        m->size = mw.size;
    }
    return &m->obj;
}

const struct ntc_ops ntc_mapping_ops = {
    .type = NTC_T_MAPPING,
    .name = "mapping",
    .destroy = mapping_destroy,
    .export_wire = mapping_export,
    .import_wire = mapping_import,
};

static bool writable(DWORD protect)
{
    return protect == PAGE_READWRITE || protect == PAGE_EXECUTE_READWRITE;
}

static bool valid_protect(DWORD protect)
{
    switch (protect) {
    case PAGE_READONLY:
    case PAGE_READWRITE:
    case PAGE_WRITECOPY:
    case PAGE_EXECUTE_READ:
    case PAGE_EXECUTE_READWRITE:
    case PAGE_EXECUTE_WRITECOPY:
        return true;
    default:
        return false;
    }
}

/* A mapping of the file behind hFile, grown to size as Windows does; NULL with the last error. */
static struct mapping *file_mapping(HANDLE hFile, DWORD protect, uint64_t size)
{
    struct ntc_object *f = ntc_handle_get(hFile, NTC_T_FILE);
    if (!f)
        return NULL;
    int fd = fcntl(ntc_file_fd(f), F_DUPFD_CLOEXEC, 0);
    ntc_object_unref(f);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        ntc_set_error_errno(errno);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    uint64_t file_size = (uint64_t)st.st_size;
    DWORD err = ERROR_SUCCESS;
    if (size == 0 && file_size == 0)
        err = ERROR_FILE_INVALID; /* an empty file cannot be mapped [CreateFileMappingA] */
    else if (size > file_size && !writable(protect))
        err = ERROR_ACCESS_DENIED; /* growing the file needs write access */
    else if (size > file_size && ftruncate(fd, (off_t)size) < 0)
        err = errno == EBADF || errno == EINVAL ? ERROR_ACCESS_DENIED : ntc_win32_from_errno(errno);
    struct mapping *m = err ? NULL : mapping_alloc(protect);
    if (!m) {
        if (err)
            SetLastError(err);
        close(fd);
        return NULL;
    }
    m->fd = fd;
    m->size = size ? size : file_size;
    return m;
}

static HANDLE create_mapping(HANDLE hFile, LPSECURITY_ATTRIBUTES sa, DWORD flProtect, DWORD hi,
                             DWORD lo, const char *name)
{
    DWORD protect = flProtect & 0xff; /* the SEC_* flags are accepted and ignored */
    uint64_t size = ((uint64_t)hi << 32) | lo;
    if (!valid_protect(protect)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    struct mapping *m;
    BOOL existed = FALSE;
    if (hFile == INVALID_HANDLE_VALUE) {
        /* The page file: a size is required [CreateFileMappingA]. */
        if (size == 0 || size > SIZE_MAX / 2) {
            SetLastError(ERROR_INVALID_PARAMETER);
            return NULL;
        }
        struct ntc_seg seg;
        BOOL ok = name ? ntc_seg_open_named(name, NTC_T_MAPPING, (size_t)size, TRUE, &seg, &existed)
                       : ntc_seg_create_anon((size_t)size, &seg);
        if (!ok)
            return NULL;
        m = mapping_alloc(protect);
        if (!m) {
            ntc_seg_release(&seg);
            return NULL;
        }
        adopt_seg(m, &seg);
    } else {
        /* Names of file-backed mappings would need a registry of files: not in the subset. */
        if (name) {
            SetLastError(ERROR_NOT_SUPPORTED);
            return NULL;
        }
        m = file_mapping(hFile, protect, size);
        if (!m)
            return NULL;
    }
    HANDLE h = ntc_handle_alloc(&m->obj, sa && sa->bInheritHandle);
    if (!h) {
        ntc_object_unref(&m->obj);
        return NULL;
    }
    /* An existing name returns that mapping, its size and protection win [CreateFileMappingA]. */
    SetLastError(existed ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
    return h;
}

HANDLE WINAPI CreateFileMappingA(HANDLE hFile, LPSECURITY_ATTRIBUTES lpFileMappingAttributes,
                                 DWORD flProtect, DWORD dwMaximumSizeHigh, DWORD dwMaximumSizeLow,
                                 LPCSTR lpName)
{
    return create_mapping(hFile, lpFileMappingAttributes, flProtect, dwMaximumSizeHigh,
                          dwMaximumSizeLow, lpName);
}

HANDLE WINAPI CreateFileMappingW(HANDLE hFile, LPSECURITY_ATTRIBUTES lpFileMappingAttributes,
                                 DWORD flProtect, DWORD dwMaximumSizeHigh, DWORD dwMaximumSizeLow,
                                 LPCWSTR lpName)
{
    char *name = ntc_utf8_from_wide(lpName);
    if (lpName && !name)
        return NULL;
    HANDLE h = create_mapping(hFile, lpFileMappingAttributes, flProtect, dwMaximumSizeHigh,
                              dwMaximumSizeLow, name);
    free(name);
    return h;
}

static HANDLE open_mapping(BOOL inherit, const char *name)
{
    if (!name) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    struct ntc_seg seg;
    BOOL existed;
    if (!ntc_seg_open_named(name, NTC_T_MAPPING, 0, FALSE, &seg, &existed))
        return NULL;
    /* The protection of the opener's views is checked against the access they ask for. */
    struct mapping *m = mapping_alloc(PAGE_READWRITE);
    if (!m) {
        ntc_seg_release(&seg);
        return NULL;
    }
    adopt_seg(m, &seg);
    HANDLE h = ntc_handle_alloc(&m->obj, inherit);
    if (!h)
        ntc_object_unref(&m->obj);
    return h;
}

HANDLE WINAPI OpenFileMappingA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    (void)dwDesiredAccess; /* no per-handle access masks in compat/ */
    return open_mapping(bInheritHandle, lpName);
}

HANDLE WINAPI OpenFileMappingW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
{
    (void)dwDesiredAccess;
    char *name = ntc_utf8_from_wide(lpName);
    if (lpName && !name)
        return NULL;
    HANDLE h = open_mapping(bInheritHandle, name);
    free(name);
    return h;
}

/* ---- views ------------------------------------------------------------------------------------
 */

struct view {
    char *addr;
    size_t len;
    struct ntc_object *mapping;
    struct view *next;
};

static pthread_mutex_t views_lock = PTHREAD_MUTEX_INITIALIZER;
static struct view *views;

LPVOID WINAPI MapViewOfFile(HANDLE hFileMappingObject, DWORD dwDesiredAccess,
                            DWORD dwFileOffsetHigh, DWORD dwFileOffsetLow,
                            SIZE_T dwNumberOfBytesToMap)
{
    uint64_t off = ((uint64_t)dwFileOffsetHigh << 32) | dwFileOffsetLow;
    if (off % GRANULARITY) {
        SetLastError(ERROR_MAPPED_ALIGNMENT);
        return NULL;
    }
    struct ntc_object *o = ntc_handle_get(hFileMappingObject, NTC_T_MAPPING);
    if (!o)
        return NULL;
    struct mapping *m = map_of(o);
    DWORD err = ERROR_SUCCESS;
    int prot = PROT_READ, flags = MAP_SHARED;
    if (dwDesiredAccess & FILE_MAP_WRITE) {
        prot |= PROT_WRITE;
        if (!writable(m->protect))
            err = ERROR_ACCESS_DENIED;
    } else if (dwDesiredAccess == FILE_MAP_COPY) {
        /* Copy-on-write: the view is private. */
        prot |= PROT_WRITE;
        flags = MAP_PRIVATE;
    }
    if (dwDesiredAccess & FILE_MAP_EXECUTE)
        prot |= PROT_EXEC;
    size_t len = dwNumberOfBytesToMap;
    if (!err && off >= m->size)
        err = ERROR_ACCESS_DENIED; /* the view starts past the end of the mapping */
    else if (!err && len == 0)
        len = (size_t)(m->size - off); /* 0: to the end of the mapping [MapViewOfFile] */
    else if (!err && len > m->size - off)
        err = ERROR_ACCESS_DENIED;
    struct view *v = err ? NULL : malloc(sizeof(*v));
    void *addr = MAP_FAILED;
    if (!err && !v)
        err = ERROR_NOT_ENOUGH_MEMORY;
    if (!err) {
        addr = mmap(NULL, len, prot, flags, m->fd, m->base + (off_t)off);
        if (addr == MAP_FAILED)
            err = errno == EACCES ? ERROR_ACCESS_DENIED : ntc_win32_from_errno(errno);
    }
    if (err) {
        free(v);
        ntc_object_unref(o);
        SetLastError(err);
        return NULL;
    }
    v->addr = addr;
    v->len = len;
    v->mapping = o; /* the view keeps the reference */
    pthread_mutex_lock(&views_lock);
    v->next = views;
    views = v;
    pthread_mutex_unlock(&views_lock);
    return addr;
}

BOOL WINAPI UnmapViewOfFile(LPCVOID lpBaseAddress)
{
    const char *a = lpBaseAddress;
    struct view *found = NULL;
    pthread_mutex_lock(&views_lock);
    /* Any address inside a view names it. */
    for (struct view **pp = &views; *pp; pp = &(*pp)->next) {
        struct view *v = *pp;
        if (a >= v->addr && a < v->addr + v->len) {
            *pp = v->next;
            found = v;
            break;
        }
    }
    pthread_mutex_unlock(&views_lock);
    if (!found) {
        SetLastError(ERROR_INVALID_ADDRESS);
        return FALSE;
    }
    munmap(found->addr, found->len);
    ntc_object_unref(found->mapping);
    free(found);
    return TRUE;
}
