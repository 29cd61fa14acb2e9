/* Win32 namedpipeapi.h: declared in winbase.h on POSIX hosts. */
#include "winbase.h"
