/* Win32 synchapi.h: declared in winbase.h on POSIX hosts. */
#include "winbase.h"
