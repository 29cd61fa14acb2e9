/* Files of patterned bytes for the TransmitFile tests: what was sent can be told from the offset.
 */
#ifndef NTT_TPATTERN_H
#define NTT_TPATTERN_H

#include <windows.h>
#include "tcheck.h"

/* Write <prefix>-<pid>.dat (its name into name) with size bytes, byte i being pattern(i), and
 * return it opened again for reading with flags (FILE_ATTRIBUTE_NORMAL, FILE_FLAG_...). */
static inline HANDLE ntt_pattern_file(char *name, size_t namelen, const char *prefix, DWORD size,
                                      unsigned char (*pattern)(DWORD), DWORD flags)
{
    snprintf(name, namelen, "%s-%lu.dat", prefix, (unsigned long)GetCurrentProcessId());
    HANDLE f = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    ck_assert_ptr_ne(f, INVALID_HANDLE_VALUE);
    unsigned char *data = malloc(size);
    ck_assert_ptr_nonnull(data);
    for (DWORD i = 0; i < size; i++)
        data[i] = pattern(i);
    DWORD w = 0;
    ck_assert(WriteFile(f, data, size, &w, NULL));
    ck_assert_uint_eq(w, size);
    free(data);
    ck_assert(CloseHandle(f));
    f = CreateFileA(name, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, flags, NULL);
    ck_assert_ptr_ne(f, INVALID_HANDLE_VALUE);
    return f;
}

#endif
