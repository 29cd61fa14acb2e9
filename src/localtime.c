/* Local time for the logs: the C library's localtime behind one lock for the whole process. */
#include "localtime.h"

#include <windows.h>

static SRWLOCK lock = SRWLOCK_INIT;

int ntmpm_localtime(int64_t t, struct tm *out)
{
    time_t tt = (time_t)t;
    AcquireSRWLockExclusive(&lock);
    struct tm *p = localtime(&tt);
    if (p != NULL)
        *out = *p;
    ReleaseSRWLockExclusive(&lock);
    return p != NULL ? 0 : -1;
}
