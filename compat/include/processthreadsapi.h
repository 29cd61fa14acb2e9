/* Win32 processthreadsapi.h: declared in winbase.h on POSIX hosts. */
#include "winbase.h"
