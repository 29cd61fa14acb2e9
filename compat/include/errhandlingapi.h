/* Win32 errhandlingapi.h: declared in winbase.h on POSIX hosts. */
#include "winbase.h"
