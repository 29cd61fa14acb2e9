/* Win32 libloaderapi.h: declared in winbase.h on POSIX hosts. */
#include "winbase.h"
