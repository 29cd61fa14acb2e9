/* Anonymous pipes: CreatePipe makes two FILE objects over the ends of a POSIX pipe. */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

BOOL WINAPI CreatePipe(PHANDLE hReadPipe, PHANDLE hWritePipe,
                       LPSECURITY_ATTRIBUTES lpPipeAttributes, DWORD nSize)
{
    if (!hReadPipe || !hWritePipe) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) {
        ntc_set_error_errno(errno);
        return FALSE;
    }
    /* nSize is only a suggestion [CreatePipe]: a refused size leaves the default buffer. */
    if (nSize > 0)
        (void)fcntl(fds[1], F_SETPIPE_SZ, (int)(nSize > 0x7fffffff ? 0x7fffffff : nSize));
    BOOL inherit = lpPipeAttributes && lpPipeAttributes->bInheritHandle;
    struct ntc_object *r = ntc_file_new(fds[0], true, false);
    struct ntc_object *w = ntc_file_new(fds[1], true, false);
    HANDLE hr = r ? ntc_handle_alloc(r, inherit) : NULL;
    HANDLE hw = (w && hr) ? ntc_handle_alloc(w, inherit) : NULL;
    if (!hr || !hw) {
        DWORD err = GetLastError();
        if (hr)
            ntc_handle_close(hr);
        else if (r)
            ntc_object_unref(r);
        if (w)
            ntc_object_unref(w);
        SetLastError(err);
        return FALSE;
    }
    *hReadPipe = hr;
    *hWritePipe = hw;
    return TRUE;
}
