/* sendfile(2) behind a neutral signature, so winsock sources need no POSIX header. */
#include "sendfile_sys.h"

#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

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

int64_t ntc_sys_file_left(int fd, const int64_t *offset)
{
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        return -1;
    off_t pos = offset ? (off_t)*offset : lseek(fd, 0, SEEK_CUR);
    if (pos < 0)
        return -1;
    return pos >= st.st_size ? 0 : (int64_t)(st.st_size - pos);
}
