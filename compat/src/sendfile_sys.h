/* A neutral wrapper over sendfile(2) for TransmitFile: plain C types only (see net_sys.h). */
#ifndef NTC_SENDFILE_SYS_H
#define NTC_SENDFILE_SYS_H

#include <stddef.h>
#include <stdint.h>

/* Copy up to count bytes of file fd to socket sock, from *offset (advanced) or, when offset is
 * NULL, from the file position (advanced). Bytes sent, 0 at the end of the file, -1 with errno. */
long ntc_sys_sendfile(int sock, int fd, int64_t *offset, size_t count);
/* Bytes of regular file fd from *offset (or from its position when offset is NULL) to its end;
 * -1 when fd is not a regular file or cannot be measured. */
int64_t ntc_sys_file_left(int fd, const int64_t *offset);

#endif
