/* Win32 ioapiset.h: declared in winbase.h on POSIX hosts. */
#include "winbase.h"
