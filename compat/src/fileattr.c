/* File attributes and times as Windows reports them, from a POSIX stat or lstat. */
#include "proc.h"

#include <sys/stat.h>

DWORD ntc_attributes_of(const char *path, const struct stat *st)
{
    DWORD a = 0;
    if (S_ISLNK(st->st_mode)) {
        /* A link reports its own attributes, never its target's [GetFileAttributes: "If the
         * file is a symbolic link ... the attributes of the symbolic link"]; Windows marks a link
         * to a directory as a directory (SYMBOLIC_LINK_FLAG_DIRECTORY), which POSIX links do not
         * record: the target decides, as Wine does for the links it finds. */
        struct stat target;
        a |= FILE_ATTRIBUTE_REPARSE_POINT;
        if (path != NULL && stat(path, &target) == 0 && S_ISDIR(target.st_mode))
            a |= FILE_ATTRIBUTE_DIRECTORY;
        else
            a |= FILE_ATTRIBUTE_ARCHIVE;
        return a;
    }
    /* Plain files are ARCHIVE, as Windows and Wine report them. */
    if (S_ISDIR(st->st_mode))
        a |= FILE_ATTRIBUTE_DIRECTORY;
    else
        a |= FILE_ATTRIBUTE_ARCHIVE;
    if (!(st->st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)))
        a |= FILE_ATTRIBUTE_READONLY;
    return a;
}

FILETIME ntc_filetime_of(struct timespec ts)
{
    /* 100 ns intervals since 1601-01-01. */
    const ULONGLONG epoch_delta = 11644473600ULL;
    ULONGLONG t = ((ULONGLONG)ts.tv_sec + epoch_delta) * 10000000ULL + (ULONGLONG)ts.tv_nsec / 100;
    FILETIME ft = {(DWORD)t, (DWORD)(t >> 32)};
    return ft;
}
