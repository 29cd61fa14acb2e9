/* Win32 processenv.h: declared in winbase.h on POSIX hosts. */
#include "winbase.h"
