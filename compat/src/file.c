/* FILE objects: CreateFile, ReadFile/WriteFile and the file queries over one POSIX descriptor. */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct file {
    struct ntc_object obj;
    int fd;
    bool owns_fd;
    bool overlapped;
    char *delete_on_close; /* FILE_FLAG_DELETE_ON_CLOSE: unlinked when the object goes */
    struct ntc_io_target io;
};

static struct file *file_of(struct ntc_object *o)
{
    return (struct file *)o;
}

static void file_destroy(struct ntc_object *o)
{
    struct file *f = file_of(o);
    ntc_io_target_release(&f->io);
    if (f->owns_fd)
        close(f->fd);
    if (f->delete_on_close) {
        unlink(f->delete_on_close);
        free(f->delete_on_close);
    }
    free(f);
}

static BOOL file_export(struct ntc_object *o, struct ntc_wire *w)
{
    struct file *f = file_of(o);
    w->type = NTC_T_FILE;
    w->nfds = 1;
    w->fds[0] = f->fd;
    w->len = 1;
    w->data[0] = f->overlapped;
    return TRUE;
}

static struct ntc_object *file_import(struct ntc_wire *w)
{
    if (w->nfds != 1 || w->len < 1) {
        for (uint32_t i = 0; i < w->nfds && i < NTC_WIRE_MAXFDS; i++)
            close(w->fds[i]);
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return ntc_file_new(w->fds[0], true, w->data[0] != 0);
}

static struct ntc_io_target *file_io_target(struct ntc_object *o)
{
    return &file_of(o)->io;
}

/* File I/O always completes before ReadFile/WriteFile return: there is never anything pending. */
static BOOL file_cancel(struct ntc_object *o, LPOVERLAPPED ov, BOOL this_thread_only)
{
    (void)o, (void)ov, (void)this_thread_only;
    return FALSE;
}

const struct ntc_ops ntc_file_ops = {
    .type = NTC_T_FILE,
    .name = "file",
    .destroy = file_destroy,
    .export_wire = file_export,
    .import_wire = file_import,
    .io_target = file_io_target,
    .cancel = file_cancel,
};

struct ntc_object *ntc_file_new(int fd, bool owns_fd, bool overlapped)
{
    struct file *f = calloc(1, sizeof(*f));
    if (!f) {
        if (owns_fd)
            close(fd);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    ntc_object_init(&f->obj, &ntc_file_ops);
    f->fd = fd;
    f->owns_fd = owns_fd;
    f->overlapped = overlapped;
    return &f->obj;
}

int ntc_file_fd(struct ntc_object *o)
{
    return (o && o->ops == &ntc_file_ops) ? file_of(o)->fd : -1;
}

char *ntc_path_from_win32(const char *path)
{
    if (!path) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    /* The DOS device NUL is the one special name Windows programs commonly use. */
    if (strcasecmp(path, "NUL") == 0)
        path = "/dev/null";
    char *p = strdup(path);
    if (!p) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    for (char *c = p; *c; c++)
        if (*c == '\\')
            *c = '/';
    return p;
}

/* Does the directory that would hold path exist? */
static bool parent_exists(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return path[0] != '\0';
    if (slash == path)
        return true;
    size_t n = (size_t)(slash - path);
    char *dir = strndup(path, n);
    if (!dir)
        return true;
    struct stat st;
    bool ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
    free(dir);
    return ok;
}

void ntc_file_set_path_error(int e, const char *path)
{
    if (e == ENOENT && !parent_exists(path))
        SetLastError(ERROR_PATH_NOT_FOUND);
    else
        ntc_set_error_errno(e);
}

static int open_flags(DWORD access, DWORD disposition, bool *ok)
{
    *ok = true;
    bool rd = (access & (GENERIC_READ | GENERIC_ALL | FILE_READ_DATA)) != 0;
    bool wr = (access & (GENERIC_WRITE | GENERIC_ALL | FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0;
    int flags = O_CLOEXEC | O_NOCTTY;
    if (rd && wr)
        flags |= O_RDWR;
    else if (wr)
        flags |= O_WRONLY;
    else
        flags |= O_RDONLY;
    if ((access & FILE_APPEND_DATA) && !(access & (GENERIC_WRITE | GENERIC_ALL | FILE_WRITE_DATA)))
        flags |= O_APPEND;
    switch (disposition) {
    case CREATE_NEW:
        flags |= O_CREAT | O_EXCL;
        break;
    case CREATE_ALWAYS:
        flags |= O_CREAT | O_TRUNC;
        break;
    case OPEN_EXISTING:
        break;
    case OPEN_ALWAYS:
        flags |= O_CREAT;
        break;
    case TRUNCATE_EXISTING:
        /* Truncation needs write access [CreateFileA]. */
        *ok = wr;
        flags |= O_TRUNC;
        break;
    default:
        *ok = false;
    }
    return flags;
}

/* OPEN_EXISTING, the common case (a server opening what it serves): open first and look at what
 * opened, which walks the path once instead of twice. */
static int open_existing(const char *path, int flags, DWORD flags_attrs)
{
    int fd = open(path, flags);
    if (fd < 0) {
        int e = errno;
        /* Directories open only with FILE_FLAG_BACKUP_SEMANTICS, and never for writing. */
        if (e == EISDIR)
            SetLastError(ERROR_ACCESS_DENIED);
        else
            ntc_file_set_path_error(e, path);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) && !(flags_attrs & FILE_FLAG_BACKUP_SEMANTICS)) {
        close(fd);
        SetLastError(ERROR_ACCESS_DENIED);
        return -1;
    }
    return fd;
}

/* Open a path the way CreateFile does; returns the descriptor or -1 with the last error set. On
 * success *existed tells whether a CREATE_ALWAYS / OPEN_ALWAYS target was already there. */
static int open_win32(const char *path, DWORD access, DWORD disposition, DWORD flags_attrs,
                      bool *existed)
{
    bool ok;
    int flags = open_flags(access, disposition, &ok);
    if (!ok) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return -1;
    }
    *existed = false;
    mode_t mode = (flags_attrs & FILE_ATTRIBUTE_READONLY) ? 0444 : 0666;
    if (disposition == OPEN_EXISTING)
        return open_existing(path, flags, flags_attrs);
    struct stat st;
    bool is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
    if (is_dir) {
        /* Directories open only with FILE_FLAG_BACKUP_SEMANTICS, and never for writing. */
        if (!(flags_attrs & FILE_FLAG_BACKUP_SEMANTICS) || (flags & (O_WRONLY | O_RDWR))) {
            SetLastError(ERROR_ACCESS_DENIED);
            return -1;
        }
        if (disposition == CREATE_NEW) {
            SetLastError(ERROR_FILE_EXISTS);
            return -1;
        }
        flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
    }
    int fd = -1;
    if ((flags & O_CREAT) && !(flags & O_EXCL)) {
        /* Learn whether the file existed: try an exclusive create first. */
        fd = open(path, flags | O_EXCL, mode);
        if (fd < 0 && errno == EEXIST) {
            *existed = true;
            fd = open(path, flags & ~O_CREAT, mode);
            if (fd < 0 && errno == ENOENT) /* deleted in between: create it after all */
                fd = open(path, flags, mode), *existed = false;
        }
    } else {
        fd = open(path, flags, mode);
    }
    if (fd < 0) {
        int e = errno;
        ntc_file_set_path_error(e, path);
        if (e == EEXIST)
            SetLastError(ERROR_FILE_EXISTS);
        return -1;
    }
    return fd;
}

static HANDLE create_file(const char *win32_path, DWORD access, LPSECURITY_ATTRIBUTES sa,
                          DWORD disposition, DWORD flags_attrs)
{
    char *path = ntc_path_from_win32(win32_path);
    if (!path)
        return INVALID_HANDLE_VALUE;
    bool existed;
    /* POSIX has no share modes: FILE_SHARE_* is accepted and every open shares everything. */
    int fd = open_win32(path, access, disposition, flags_attrs, &existed);
    if (fd < 0) {
        free(path);
        return INVALID_HANDLE_VALUE;
    }
    struct ntc_object *o = ntc_file_new(fd, true, (flags_attrs & FILE_FLAG_OVERLAPPED) != 0);
    if (!o) {
        free(path);
        return INVALID_HANDLE_VALUE;
    }
    if (flags_attrs & FILE_FLAG_DELETE_ON_CLOSE)
        file_of(o)->delete_on_close = path;
    else
        free(path);
    HANDLE h = ntc_handle_alloc(o, sa && sa->bInheritHandle);
    if (!h) {
        ntc_object_unref(o);
        return INVALID_HANDLE_VALUE;
    }
    /* Success reports whether CREATE_ALWAYS / OPEN_ALWAYS found the file [CreateFileA]. */
    bool report = (disposition == CREATE_ALWAYS || disposition == OPEN_ALWAYS) && existed;
    SetLastError(report ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
    return h;
}

HANDLE WINAPI CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                          LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
                          DWORD dwFlagsAndAttributes, HANDLE hTemplateFile)
{
    (void)dwShareMode, (void)hTemplateFile;
    return create_file(lpFileName, dwDesiredAccess, lpSecurityAttributes, dwCreationDisposition,
                       dwFlagsAndAttributes);
}

HANDLE WINAPI CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                          LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
                          DWORD dwFlagsAndAttributes, HANDLE hTemplateFile)
{
    (void)dwShareMode, (void)hTemplateFile;
    if (!lpFileName) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    char *name = ntc_utf8_from_wide(lpFileName);
    if (!name)
        return INVALID_HANDLE_VALUE;
    HANDLE h = create_file(name, dwDesiredAccess, lpSecurityAttributes, dwCreationDisposition,
                           dwFlagsAndAttributes);
    free(name);
    return h;
}

static struct file *get_file(HANDLE h, struct ntc_object **ref)
{
    *ref = ntc_handle_get(h, NTC_T_FILE);
    return *ref ? file_of(*ref) : NULL;
}

static bool is_pipe(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

/* The Win32 error for a failed read or write on fd. */
static DWORD io_error(int e, int fd, bool writing)
{
    /* The descriptor is open, so EBADF means it lacks the access: Windows says ACCESS_DENIED. */
    if (e == EBADF)
        return ERROR_ACCESS_DENIED;
    /* Writing into a pipe nobody reads: "the pipe is being closed" [WriteFile]. */
    if (e == EPIPE && writing && is_pipe(fd))
        return ERROR_NO_DATA;
    return ntc_win32_from_errno(e);
}

static ssize_t do_read(int fd, void *buf, size_t n, const LPOVERLAPPED ov)
{
    ssize_t r;
    do {
        if (ov)
            r = pread(fd, buf, n, (off_t)(((ULONGLONG)ov->OffsetHigh << 32) | ov->Offset));
        else
            r = read(fd, buf, n);
    } while (r < 0 && errno == EINTR);
    /* A pipe does not seek: the offset of an OVERLAPPED is ignored there, as on Windows. */
    if (r < 0 && errno == ESPIPE && ov)
        return do_read(fd, buf, n, NULL);
    return r;
}

/* Write with SIGPIPE blocked on this thread: Windows has no such signal, a closed pipe is an error.
 * A SIGPIPE this write raises is consumed before the mask is restored. */
static ssize_t do_write(int fd, const void *buf, size_t n, const LPOVERLAPPED ov)
{
    sigset_t pipe_set, old, pending;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    sigpending(&pending);
    bool was_pending = sigismember(&pending, SIGPIPE);
    ssize_t r;
    bool use_offset = ov != NULL;
    for (;;) {
        if (use_offset)
            r = pwrite(fd, buf, n, (off_t)(((ULONGLONG)ov->OffsetHigh << 32) | ov->Offset));
        else
            r = write(fd, buf, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && errno == ESPIPE && use_offset) {
            use_offset = false;
            continue;
        }
        break;
    }
    int e = errno;
    if (r < 0 && e == EPIPE && !was_pending) {
        struct timespec zero = {0, 0};
        while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
            ;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = e;
    return r;
}

/* Shared tail of ReadFile and WriteFile: publish through the OVERLAPPED as Windows does. */
static BOOL finish_io(struct file *f, LPOVERLAPPED ov, ssize_t r, DWORD err, LPDWORD done)
{
    if (r < 0) {
        SetLastError(err);
        return FALSE;
    }
    if (done)
        *done = (DWORD)r;
    if (ov) {
        ntc_io_begin(ov);
        /* Completes before the call returns; the port rules of ntc_io_complete still apply. */
        ntc_io_complete(f->overlapped ? &f->io : NULL, ov, ERROR_SUCCESS, (DWORD)r, TRUE);
    }
    return TRUE;
}

BOOL WINAPI ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                     LPDWORD lpNumberOfBytesRead, LPOVERLAPPED lpOverlapped)
{
    struct ntc_object *ref;
    struct file *f = get_file(hFile, &ref);
    if (!f)
        return FALSE;
    if (lpNumberOfBytesRead)
        *lpNumberOfBytesRead = 0;
    if ((!lpNumberOfBytesRead && !lpOverlapped) || (f->overlapped && !lpOverlapped)) {
        ntc_object_unref(ref);
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    ssize_t r = do_read(f->fd, lpBuffer, nNumberOfBytesToRead, lpOverlapped);
    DWORD err = r < 0 ? io_error(errno, f->fd, false) : ERROR_SUCCESS;
    if (r == 0 && nNumberOfBytesToRead > 0) {
        if (is_pipe(f->fd)) {
            /* End of a pipe means its writers are gone [ReadFile: anonymous pipes]. */
            r = -1, err = ERROR_BROKEN_PIPE;
        } else if (lpOverlapped) {
            /* An overlapped read at end of file fails with ERROR_HANDLE_EOF [ReadFile]. */
            r = -1, err = ERROR_HANDLE_EOF;
        }
    }
    BOOL ok = finish_io(f, lpOverlapped, r, err, lpNumberOfBytesRead);
    ntc_object_unref(ref);
    return ok;
}

BOOL WINAPI WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                      LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped)
{
    struct ntc_object *ref;
    struct file *f = get_file(hFile, &ref);
    if (!f)
        return FALSE;
    if (lpNumberOfBytesWritten)
        *lpNumberOfBytesWritten = 0;
    if ((!lpNumberOfBytesWritten && !lpOverlapped) || (f->overlapped && !lpOverlapped)) {
        ntc_object_unref(ref);
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    /* WriteFile writes everything it is given to a blocking descriptor, as Windows does. */
    size_t total = 0;
    ssize_t r = 0;
    DWORD err = ERROR_SUCCESS;
    OVERLAPPED at;
    while (total < nNumberOfBytesToWrite) {
        LPOVERLAPPED pos = NULL;
        if (lpOverlapped) {
            ULONGLONG off = (((ULONGLONG)lpOverlapped->OffsetHigh << 32) | lpOverlapped->Offset);
            off += total;
            at.Offset = (DWORD)off;
            at.OffsetHigh = (DWORD)(off >> 32);
            pos = &at;
        }
        r = do_write(f->fd, (const char *)lpBuffer + total, nNumberOfBytesToWrite - total, pos);
        if (r <= 0) {
            if (r < 0)
                err = io_error(errno, f->fd, true);
            break;
        }
        total += (size_t)r;
    }
    if (r < 0 && total > 0)
        r = 0; /* report the part that was written */
    if (r >= 0)
        r = (ssize_t)total;
    BOOL ok = finish_io(f, lpOverlapped, r, err, lpNumberOfBytesWritten);
    ntc_object_unref(ref);
    return ok;
}

/* fstat of the file behind h; FALSE with the last error set. */
static bool stat_handle(HANDLE h, struct stat *st)
{
    struct ntc_object *ref;
    struct file *f = get_file(h, &ref);
    if (!f)
        return false;
    int rc = fstat(f->fd, st);
    int e = errno;
    ntc_object_unref(ref);
    if (rc < 0)
        ntc_set_error_errno(e);
    return rc == 0;
}

BOOL WINAPI GetFileSizeEx(HANDLE hFile, PLARGE_INTEGER lpFileSize)
{
    struct stat st;
    if (!stat_handle(hFile, &st))
        return FALSE;
    if (!lpFileSize) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    lpFileSize->QuadPart = S_ISREG(st.st_mode) ? (LONGLONG)st.st_size : 0;
    return TRUE;
}

BOOL WINAPI GetFileInformationByHandle(HANDLE hFile, LPBY_HANDLE_FILE_INFORMATION lpFileInformation)
{
    struct stat st;
    if (!stat_handle(hFile, &st))
        return FALSE;
    if (!lpFileInformation) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    BY_HANDLE_FILE_INFORMATION *i = lpFileInformation;
    memset(i, 0, sizeof(*i));
    i->dwFileAttributes = ntc_attributes_of(NULL, &st);
    /* POSIX keeps no creation time in struct stat; the status-change time stands in for it. */
    i->ftCreationTime = ntc_filetime_of(st.st_ctim);
    i->ftLastAccessTime = ntc_filetime_of(st.st_atim);
    i->ftLastWriteTime = ntc_filetime_of(st.st_mtim);
    i->dwVolumeSerialNumber = (DWORD)st.st_dev;
    ULONGLONG size = S_ISREG(st.st_mode) ? (ULONGLONG)st.st_size : 0;
    i->nFileSizeHigh = (DWORD)(size >> 32);
    i->nFileSizeLow = (DWORD)size;
    i->nNumberOfLinks = (DWORD)st.st_nlink;
    i->nFileIndexHigh = (DWORD)((ULONGLONG)st.st_ino >> 32);
    i->nFileIndexLow = (DWORD)st.st_ino;
    return TRUE;
}

BOOL WINAPI SetFilePointerEx(HANDLE hFile, LARGE_INTEGER liDistanceToMove,
                             PLARGE_INTEGER lpNewFilePointer, DWORD dwMoveMethod)
{
    static const int whence[] = {SEEK_SET, SEEK_CUR, SEEK_END};
    if (dwMoveMethod > FILE_END) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    struct ntc_object *ref;
    struct file *f = get_file(hFile, &ref);
    if (!f)
        return FALSE;
    DWORD err = ERROR_SUCCESS;
    off_t pos = -1;
    off_t base = 0;
    if (dwMoveMethod == FILE_CURRENT)
        base = lseek(f->fd, 0, SEEK_CUR);
    else if (dwMoveMethod == FILE_END) {
        struct stat st;
        base = fstat(f->fd, &st) == 0 ? st.st_size : -1;
    }
    if (base < 0)
        err = ntc_win32_from_errno(errno);
    else if (base + liDistanceToMove.QuadPart < 0)
        err = ERROR_NEGATIVE_SEEK; /* before the start of the file [SetFilePointerEx] */
    else if ((pos = lseek(f->fd, liDistanceToMove.QuadPart, whence[dwMoveMethod])) < 0)
        err = ntc_win32_from_errno(errno);
    ntc_object_unref(ref);
    if (err) {
        SetLastError(err);
        return FALSE;
    }
    if (lpNewFilePointer)
        lpNewFilePointer->QuadPart = pos;
    return TRUE;
}

BOOL WINAPI FlushFileBuffers(HANDLE hFile)
{
    struct ntc_object *ref;
    struct file *f = get_file(hFile, &ref);
    if (!f)
        return FALSE;
    int rc = fsync(f->fd);
    int e = errno;
    ntc_object_unref(ref);
    /* Pipes and devices have nothing to flush (EINVAL): success. */
    if (rc < 0 && e != EINVAL && e != EROFS) {
        ntc_set_error_errno(e);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI DeleteFileA(LPCSTR lpFileName)
{
    char *path = ntc_path_from_win32(lpFileName);
    if (!path)
        return FALSE;
    int rc = unlink(path);
    if (rc < 0)
        ntc_file_set_path_error(errno == EISDIR ? EACCES : errno, path);
    free(path);
    return rc == 0;
}

DWORD WINAPI GetFileType(HANDLE hFile)
{
    struct ntc_object *o = ntc_handle_get(hFile, NTC_T_NONE);
    if (!o)
        return FILE_TYPE_UNKNOWN;
    /* A valid handle that is no file is "unknown" without an error [GetFileType]. */
    DWORD type = FILE_TYPE_UNKNOWN;
    DWORD err = NO_ERROR;
    if (o->ops->type == NTC_T_SOCKET) {
        type = FILE_TYPE_PIPE;
    } else if (o->ops == &ntc_file_ops) {
        struct stat st;
        if (fstat(file_of(o)->fd, &st) == 0) {
            if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || S_ISBLK(st.st_mode))
                type = FILE_TYPE_DISK;
            else if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
                type = FILE_TYPE_PIPE;
            else if (S_ISCHR(st.st_mode))
                type = FILE_TYPE_CHAR;
        } else {
            err = ntc_win32_from_errno(errno);
        }
    }
    ntc_object_unref(o);
    SetLastError(err);
    return type;
}

DWORD WINAPI GetFileAttributesA(LPCSTR lpFileName)
{
    char *path = ntc_path_from_win32(lpFileName);
    if (!path)
        return INVALID_FILE_ATTRIBUTES;
    struct stat st;
    DWORD a = INVALID_FILE_ATTRIBUTES;
    if (lstat(path, &st) == 0)
        a = ntc_attributes_of(path, &st);
    else
        ntc_file_set_path_error(errno, path);
    free(path);
    return a;
}
