/* Local time for the logs: the C library's localtime behind one lock for the whole process. */
#ifndef NTMPM_LOCALTIME_H
#define NTMPM_LOCALTIME_H

#include <stdint.h>
#include <time.h>

/* The broken-down local time of t (Unix seconds) into *out. 0, or -1 when the C library cannot.
 * localtime's result is one buffer that every caller shares (glibc's tzset may even free its zone
 * data under a concurrent call): the error log and the access log's %t both come here, so one
 * lock covers every call in the process. Each call may read the zone file: cache what you can. */
int ntmpm_localtime(int64_t t, struct tm *out);

#endif
