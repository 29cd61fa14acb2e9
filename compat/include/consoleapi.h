/* Win32 console control handlers (consoleapi.h / wincon.h): Ctrl+C and close events. */
#ifndef NTC_CONSOLEAPI_H
#define NTC_CONSOLEAPI_H

#include "minwindef.h"

#define CTRL_C_EVENT 0
#define CTRL_BREAK_EVENT 1
#define CTRL_CLOSE_EVENT 2
#define CTRL_LOGOFF_EVENT 5
#define CTRL_SHUTDOWN_EVENT 6

typedef BOOL(WINAPI *PHANDLER_ROUTINE)(DWORD CtrlType);

/* On POSIX, SIGINT is CTRL_C_EVENT and SIGTERM is CTRL_CLOSE_EVENT; handlers run on a new thread.
 */
BOOL WINAPI SetConsoleCtrlHandler(PHANDLER_ROUTINE HandlerRoutine, BOOL Add);

#endif
