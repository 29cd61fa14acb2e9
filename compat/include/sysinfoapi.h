/* Win32 sysinfoapi.h: declared in winbase.h on POSIX hosts. */
#include "winbase.h"
