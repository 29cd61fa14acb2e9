/* Win32 umbrella header for POSIX hosts: the kernel32 subset compat/ implements (no winsock; see
 * winsock2.h). */
#ifndef NTC_WINDOWS_H
#define NTC_WINDOWS_H

#include "minwindef.h"
#include "winnt.h"
#include "winerror.h"
#include "minwinbase.h"
#include "winbase.h"
#include "consoleapi.h"

#endif
