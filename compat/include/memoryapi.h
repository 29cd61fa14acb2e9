/* Win32 memoryapi.h: declared in winbase.h on POSIX hosts. */
#include "winbase.h"
