/* Win32 fileapi.h: declared in winbase.h on POSIX hosts. */
#include "winbase.h"
