/* UTF-16 <-> UTF-8 for the W entry points; unpaired surrogates and bad bytes become U+FFFD. */
#include "ntc.h"

#include <stdlib.h>

#define REPLACEMENT 0xFFFDu

/* Next code point of a NUL-terminated UTF-16 string; advances *i. */
static uint32_t next_wide(const WCHAR *w, size_t *i)
{
    uint32_t c = w[(*i)++];
    if (c >= 0xD800 && c <= 0xDBFF) {
        uint32_t d = w[*i];
        if (d >= 0xDC00 && d <= 0xDFFF) {
            (*i)++;
            return 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
        }
        return REPLACEMENT;
    }
    if (c >= 0xDC00 && c <= 0xDFFF)
        return REPLACEMENT;
    return c;
}

static size_t utf8_len(uint32_t c)
{
    return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

static char *put_utf8(char *p, uint32_t c)
{
    if (c < 0x80) {
        *p++ = (char)c;
    } else if (c < 0x800) {
        *p++ = (char)(0xC0 | (c >> 6));
        *p++ = (char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        *p++ = (char)(0xE0 | (c >> 12));
        *p++ = (char)(0x80 | ((c >> 6) & 0x3F));
        *p++ = (char)(0x80 | (c & 0x3F));
    } else {
        *p++ = (char)(0xF0 | (c >> 18));
        *p++ = (char)(0x80 | ((c >> 12) & 0x3F));
        *p++ = (char)(0x80 | ((c >> 6) & 0x3F));
        *p++ = (char)(0x80 | (c & 0x3F));
    }
    return p;
}

char *ntc_utf8_from_wide(const WCHAR *w)
{
    if (!w)
        return NULL;
    size_t len = 0;
    for (size_t i = 0; w[i];)
        len += utf8_len(next_wide(w, &i));
    char *out = malloc(len + 1);
    if (!out) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    char *p = out;
    for (size_t i = 0; w[i];)
        p = put_utf8(p, next_wide(w, &i));
    *p = '\0';
    return out;
}

/* Next code point of a NUL-terminated UTF-8 string; advances *s. Overlong forms, surrogates and
 * truncated sequences decode as one U+FFFD per bad byte. */
static uint32_t next_utf8(const unsigned char **s)
{
    const unsigned char *p = *s;
    uint32_t c = *p++;
    int more;
    uint32_t min;
    if (c < 0x80) {
        *s = p;
        return c;
    } else if ((c & 0xE0) == 0xC0) {
        more = 1, min = 0x80, c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        more = 2, min = 0x800, c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        more = 3, min = 0x10000, c &= 0x07;
    } else {
        *s = p;
        return REPLACEMENT;
    }
    for (int k = 0; k < more; k++, p++) {
        if ((*p & 0xC0) != 0x80) {
            *s = *s + 1;
            return REPLACEMENT;
        }
        c = (c << 6) | (*p & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *s = *s + 1;
        return REPLACEMENT;
    }
    *s = p;
    return c;
}

DWORD ntc_wide_from_utf8(const char *s, WCHAR *buf, DWORD n)
{
    const unsigned char *p = (const unsigned char *)s;
    DWORD len = 0;
    while (*p) {
        uint32_t c = next_utf8(&p);
        DWORD units = c >= 0x10000 ? 2 : 1;
        if (buf) {
            if ((uint64_t)len + units + 1 > n) {
                SetLastError(ERROR_INSUFFICIENT_BUFFER);
                return (DWORD)-1;
            }
            if (units == 2) {
                c -= 0x10000;
                buf[len] = (WCHAR)(0xD800 + (c >> 10));
                buf[len + 1] = (WCHAR)(0xDC00 + (c & 0x3FF));
            } else {
                buf[len] = (WCHAR)c;
            }
        }
        len += units;
    }
    if (buf) {
        if (n == 0) {
            SetLastError(ERROR_INSUFFICIENT_BUFFER);
            return (DWORD)-1;
        }
        buf[len] = 0;
    }
    return len;
}
