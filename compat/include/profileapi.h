/* Win32 profileapi.h: declared in winbase.h on POSIX hosts. */
#include "winbase.h"
