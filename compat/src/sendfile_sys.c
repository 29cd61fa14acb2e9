/* sendfile(2) behind a neutral signature, so winsock sources need no POSIX header. */
#include "sendfile_sys.h"

#include <sys/sendfile.h>
#include <sys/types.h>

long ntc_sys_sendfile(int sock, int fd, int64_t *offset, size_t count)
{
    if (!offset)
        return (long)sendfile(sock, fd, NULL, count);
    off_t off = (off_t)*offset;
    ssize_t r = sendfile(sock, fd, &off, count);
    if (r > 0)
        *offset = (int64_t)off;
    return (long)r;
}
