/* Options -FollowSymLinks: whether a path below DocumentRoot reaches its file through a link. */
#include "http_int.h"

#include <stdlib.h>
#include <string.h>

/* The final path of an open file or directory [GetFinalPathNameByHandleA], malloc'd; NULL when
 * there is none. */
static char *final_path(HANDLE h)
{
    char small[512];
    DWORD n = GetFinalPathNameByHandleA(h, small, sizeof(small), FILE_NAME_NORMALIZED);
    if (n == 0)
        return NULL;
    if (n < sizeof(small)) {
        char *p = malloc(n + 1);
        if (p != NULL)
            memcpy(p, small, n + 1);
        return p;
    }
    /* n is the size needed with its NUL; a byte more covers implementations that leave the NUL
     * out of it. */
    char *p = malloc(n + 1);
    if (p == NULL)
        return NULL;
    DWORD m = GetFinalPathNameByHandleA(h, p, n + 1, FILE_NAME_NORMALIZED);
    if (m == 0 || m > n) {
        free(p);
        return NULL;
    }
    return p;
}

static char *final_path_of(const char *path)
{
    HANDLE h =
        CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return NULL;
    char *p = final_path(h);
    CloseHandle(h);
    return p;
}

static int is_sep(char c)
{
    return c == '/' || c == '\\';
}

/* Whether a and b name the same path: letters compared case-insensitively (Windows file names),
 * '/' and '\' alike, a run of separators as one, trailing separators ignored. */
static int same_path(const char *a, const char *b)
{
    for (;;) {
        if (is_sep(*a) && is_sep(*b)) {
            while (is_sep(*a))
                a++;
            while (is_sep(*b))
                b++;
            if (*a == '\0' || *b == '\0')
                return *a == *b;
            continue;
        }
        if (*a == '\0' || *b == '\0') {
            while (is_sep(*a))
                a++;
            while (is_sep(*b))
                b++;
            return *a == '\0' && *b == '\0';
        }
        if (http_lower((unsigned char)*a) != http_lower((unsigned char)*b))
            return 0;
        a++;
        b++;
    }
}

/* The file's final path must be the root's final path followed by the rest of the request's path:
 * any link, junction or mount point below the root resolves to another path [GetFinalPathName
 * ByHandle]. The root itself may be a link, as httpd checks only below the directory whose
 * options forbid links. A link whose name differs from its target's only in letter case, in the
 * same directory, is not seen (Windows names match case-insensitively). */
int http_has_link_below(const char *path, size_t root_len, HANDLE opened)
{
    char *root = malloc(root_len + 1);
    if (root == NULL)
        return 1;
    memcpy(root, path, root_len);
    root[root_len] = '\0';
    char *root_final = final_path_of(root);
    free(root);
    char *file_final = opened != INVALID_HANDLE_VALUE ? final_path(opened) : final_path_of(path);
    /* Whatever cannot be checked is refused, as a link would be. */
    int linked = 1;
    if (root_final != NULL && file_final != NULL) {
        size_t rn = strlen(root_final), pn = strlen(path + root_len);
        char *want = malloc(rn + pn + 2);
        if (want != NULL) {
            memcpy(want, root_final, rn);
            want[rn] = '/';
            memcpy(want + rn + 1, path + root_len, pn + 1);
            linked = !same_path(file_final, want);
            free(want);
        }
    }
    free(root_final);
    free(file_final);
    return linked;
}
