/* Symbolic links and final paths: CreateSymbolicLinkA, GetFinalPathNameByHandleA. */
#include "proc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

BOOLEAN WINAPI CreateSymbolicLinkA(LPCSTR lpSymlinkFileName, LPCSTR lpTargetFileName, DWORD dwFlags)
{
    if (dwFlags &
        ~(DWORD)(SYMBOLIC_LINK_FLAG_DIRECTORY | SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    char *link = ntc_path_from_win32(lpSymlinkFileName);
    if (!link)
        return FALSE;
    /* The target is stored as given, relative or absolute, as Windows stores it; only the
     * separators change. A POSIX link has no file/directory flag: what it points at decides. */
    char *target = ntc_path_from_win32(lpTargetFileName);
    if (!target) {
        free(link);
        return FALSE;
    }
    int rc = symlink(target, link);
    int e = errno;
    free(target);
    if (rc == 0) {
        free(link);
        SetLastError(ERROR_SUCCESS);
        return TRUE;
    }
    if (e == EEXIST)
        SetLastError(ERROR_ALREADY_EXISTS); /* STATUS_OBJECT_NAME_COLLISION, not FILE_EXISTS */
    else
        ntc_file_set_path_error(e, link);
    free(link);
    return FALSE;
}

DWORD WINAPI GetFinalPathNameByHandleA(HANDLE hFile, LPSTR lpszFilePath, DWORD cchFilePath,
                                       DWORD dwFlags)
{
    /* POSIX has no volumes: the DOS form (a drive letter) and the form without a volume are both
     * the absolute POSIX path; there is no GUID or NT device name to give. FILE_NAME_OPENED and
     * FILE_NAME_NORMALIZED agree: the kernel keeps only the name it resolved. */
    DWORD volume = dwFlags & 0x7;
    if ((dwFlags & ~(DWORD)(0x7 | FILE_NAME_OPENED)) != 0 ||
        (volume != VOLUME_NAME_DOS && volume != VOLUME_NAME_NONE)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    struct ntc_object *o = ntc_handle_get(hFile, NTC_T_FILE);
    if (!o)
        return 0;
    char proc[64];
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", ntc_file_fd(o));
    char buf[PATH_MAX];
    ssize_t n = readlink(proc, buf, sizeof(buf) - 1);
    int e = errno;
    ntc_object_unref(o);
    if (n < 0) {
        ntc_set_error_errno(e);
        return 0;
    }
    if (buf[0] != '/') {
        /* A pipe or socket ("pipe:[123]") has no path. */
        SetLastError(ERROR_INVALID_FUNCTION);
        return 0;
    }
    if ((size_t)n >= cchFilePath || lpszFilePath == NULL)
        return (DWORD)n + 1; /* too small: the size needed, with its NUL */
    memcpy(lpszFilePath, buf, (size_t)n);
    lpszFilePath[n] = '\0';
    return (DWORD)n;
}
