/* PidFile: the control process's pid, written at start and removed at a clean exit. */
#include "mpm_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pidfile_write(const char *path, DWORD pid)
{
    HANDLE f = CreateFileA(path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL,
                           CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (f == INVALID_HANDLE_VALUE) {
        mpm_logf(CONFIG_LOG_ERR, "could not create PidFile %s (error %lu)", path,
                 (unsigned long)GetLastError());
        return -1;
    }
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%lu\r\n", (unsigned long)pid);
    DWORD done = 0;
    BOOL ok = WriteFile(f, buf, (DWORD)n, &done, NULL);
    CloseHandle(f);
    if (!ok || done != (DWORD)n) {
        mpm_logf(CONFIG_LOG_ERR, "could not write PidFile %s", path);
        return -1;
    }
    return 0;
}

int pidfile_read(const char *path, DWORD *pid)
{
    HANDLE f =
        CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return -1;
    char buf[32] = {0};
    DWORD got = 0;
    BOOL ok = ReadFile(f, buf, sizeof(buf) - 1, &got, NULL);
    CloseHandle(f);
    if (!ok || got == 0)
        return -1;
    char *end;
    unsigned long v = strtoul(buf, &end, 10);
    if (end == buf || v == 0)
        return -1;
    *pid = (DWORD)v;
    return 0;
}

void pidfile_remove(const char *path)
{
    DeleteFileA(path);
}
