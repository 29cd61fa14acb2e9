/* Helper child for the proc tests: one small behaviour per mode, chosen by argv[1]. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exit codes the tests look for. */
#define GOOD 0
#define BAD 90
#define USAGE 91

static HANDLE handle_arg(const char *s)
{
    return (HANDLE)(UINT_PTR)strtoull(s, NULL, 10);
}

/* Write s to h completely (WriteFile: no C runtime text-mode translation on Windows). */
static int put(HANDLE h, const char *s)
{
    DWORD n, len = (DWORD)strlen(s);
    return WriteFile(h, s, len, &n, NULL) && n == len;
}

static int out(const char *s)
{
    return put(GetStdHandle(STD_OUTPUT_HANDLE), s);
}

/* Read until the writers are gone; returns the bytes read (NUL-terminated). */
static DWORD read_all(HANDLE h, char *buf, DWORD cap)
{
    DWORD total = 0, n;
    while (total + 1 < cap && ReadFile(h, buf + total, cap - 1 - total, &n, NULL) && n > 0)
        total += n;
    buf[total] = '\0';
    return total;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return USAGE;
    const char *mode = argv[1];
    if (!strcmp(mode, "exit") && argc == 3)
        return atoi(argv[2]);
    if (!strcmp(mode, "sleep")) {
        Sleep(60000); /* killed by the test long before */
        return GOOD;
    }
    if (!strcmp(mode, "wait-stdin") && argc == 3) {
        /* Runs until the parent closes our stdin, then exits with the given code. */
        char buf[64];
        DWORD n;
        while (ReadFile(GetStdHandle(STD_INPUT_HANDLE), buf, sizeof(buf), &n, NULL) && n > 0)
            ;
        return atoi(argv[2]);
    }
    if (!strcmp(mode, "set-event") && argc == 3)
        return SetEvent(handle_arg(argv[2])) ? GOOD : BAD;
    if (!strcmp(mode, "check-invalid") && argc == 3) {
        BOOL ok = SetEvent(handle_arg(argv[2]));
        DWORD err = GetLastError();
        return !ok && err == ERROR_INVALID_HANDLE ? GOOD : BAD;
    }
    if (!strcmp(mode, "write-handle") && argc == 4)
        return put(handle_arg(argv[2]), argv[3]) ? GOOD : BAD;
    if (!strcmp(mode, "set-named") && argc == 3) {
        HANDLE ev = OpenEventA(EVENT_MODIFY_STATE | SYNCHRONIZE, FALSE, argv[2]);
        return ev && SetEvent(ev) ? GOOD : BAD;
    }
    if (!strcmp(mode, "upcase")) {
        /* stdin to stdout in capitals, until stdin ends. */
        char buf[4096];
        DWORD n = read_all(GetStdHandle(STD_INPUT_HANDLE), buf, sizeof(buf));
        for (DWORD i = 0; i < n; i++)
            if (buf[i] >= 'a' && buf[i] <= 'z')
                buf[i] = (char)(buf[i] - 'a' + 'A');
        return out(buf) ? GOOD : BAD;
    }
    if (!strcmp(mode, "getenv") && argc == 3) {
        char buf[256];
        DWORD n = GetEnvironmentVariableA(argv[2], buf, sizeof(buf));
        if (n == 0 || n >= sizeof(buf))
            return out("<missing>") ? GOOD : BAD;
        return out(buf) ? GOOD : BAD;
    }
    if (!strcmp(mode, "exists") && argc == 3)
        return GetFileAttributesA(argv[2]) != INVALID_FILE_ATTRIBUTES ? GOOD : BAD;
    if (!strcmp(mode, "args")) {
        /* Each argument after the mode between brackets, one per line. */
        for (int i = 2; i < argc; i++) {
            if (!out("[") || !out(argv[i]) || !out("]\n"))
                return BAD;
        }
        return GOOD;
    }
    if (!strcmp(mode, "set-pushed") && argc == 3) {
        /* The parent writes the value of a handle it pushed into us on the inherited pipe. */
        char buf[64];
        read_all(handle_arg(argv[2]), buf, sizeof(buf));
        return SetEvent(handle_arg(buf)) ? GOOD : BAD;
    }
    if ((!strcmp(mode, "map-named") || !strcmp(mode, "map-handle")) && argc == 3) {
        /* Expect "ping" at the start of the mapping; answer "pong" at offset 64. */
        HANDLE m = !strcmp(mode, "map-named")
                       ? OpenFileMappingA(FILE_MAP_ALL_ACCESS, FALSE, argv[2])
                       : handle_arg(argv[2]);
        char *v = m ? MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, 0) : NULL;
        if (!v || strcmp(v, "ping") != 0)
            return BAD;
        strcpy(v + 64, "pong");
        return UnmapViewOfFile(v) ? GOOD : BAD;
    }
    if (!strcmp(mode, "wait-pid") && argc == 4) {
        /* Open a process that is not our child, say so through the event, wait for its end. */
        HANDLE p = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE,
                               (DWORD)strtoul(argv[2], NULL, 10));
        if (!p || !SetEvent(handle_arg(argv[3])))
            return BAD;
        DWORD code = 0;
        if (WaitForSingleObject(p, 20000) != WAIT_OBJECT_0 || !GetExitCodeProcess(p, &code) ||
            code == STILL_ACTIVE)
            return BAD;
        return CloseHandle(p) ? GOOD : BAD;
    }
    return USAGE;
}
