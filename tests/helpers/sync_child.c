/* Helper child for the cross-process sync tests: one behaviour per mode, chosen by argv[1]. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GOOD 0
#define BAD 90
#define USAGE 91
#define DIED_OWNING 5

static HANDLE handle_arg(const char *s)
{
    return (HANDLE)(UINT_PTR)strtoull(s, NULL, 10);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return USAGE;
    const char *mode = argv[1];
    /* signal EVENT SEMAPHORE: set an inherited event, release an inherited semaphore twice. */
    if (!strcmp(mode, "signal") && argc == 4) {
        if (!SetEvent(handle_arg(argv[2])))
            return BAD;
        LONG prev = -1;
        if (!ReleaseSemaphore(handle_arg(argv[3]), 2, &prev) || prev != 0)
            return BAD + 1;
        return GOOD;
    }
    /* wait EVENT: wait for the parent to set an inherited event. */
    if (!strcmp(mode, "wait") && argc == 3)
        return WaitForSingleObject(handle_arg(argv[2]), 10000) == WAIT_OBJECT_0 ? GOOD : BAD;
    /* own-handle MUTEX READY / own-named MUTEXNAME READYNAME: take the mutex, say so, and end
     * the process without releasing it. */
    if ((!strcmp(mode, "own-handle") || !strcmp(mode, "own-named")) && argc == 4) {
        int named = !strcmp(mode, "own-named");
        HANDLE m = named ? OpenMutexA(SYNCHRONIZE, FALSE, argv[2]) : handle_arg(argv[2]);
        HANDLE ready = named ? OpenEventA(EVENT_MODIFY_STATE, FALSE, argv[3]) : handle_arg(argv[3]);
        if (!m || !ready)
            return BAD;
        if (WaitForSingleObject(m, 10000) != WAIT_OBJECT_0)
            return BAD + 1;
        if (WaitForSingleObject(m, 0) != WAIT_OBJECT_0) /* recursive: owned twice */
            return BAD + 2;
        if (!SetEvent(ready))
            return BAD + 3;
        ExitProcess(DIED_OWNING);
    }
    /* hold-named NAME READYNAME: create a set manual-reset event NAME, say so, and wait to be
     * killed (its handle is never closed). */
    if (!strcmp(mode, "hold-named") && argc == 4) {
        HANDLE ev = CreateEventA(NULL, TRUE, TRUE, argv[2]);
        HANDLE ready = OpenEventA(EVENT_MODIFY_STATE, FALSE, argv[3]);
        if (!ev || !ready || !SetEvent(ready))
            return BAD;
        Sleep(60000);
        return GOOD;
    }
    return USAGE;
}
