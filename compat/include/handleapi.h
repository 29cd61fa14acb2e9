/* Win32 handleapi.h: declared in winbase.h on POSIX hosts. */
#include "winbase.h"
