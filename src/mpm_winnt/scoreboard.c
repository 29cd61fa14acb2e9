/* The scoreboard: a shared mapping (anonymous or ScoreBoardFile) sized from ThreadLimit. */
#include "mpm_int.h"

#include <string.h>

int scoreboard_create(const struct server_config *conf, struct scoreboard *out)
{
    memset(out, 0, sizeof(*out));
    out->file = INVALID_HANDLE_VALUE;
    uint64_t size = sb_size_for((uint32_t)conf->thread_limit);
    if (conf->scoreboard_file) {
        out->file = CreateFileA(conf->scoreboard_file, GENERIC_READ | GENERIC_WRITE,
                                FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                                CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
        if (out->file == INVALID_HANDLE_VALUE) {
            mpm_logf(CONFIG_LOG_CRIT, "could not create the ScoreBoardFile %s (error %lu)",
                     conf->scoreboard_file, (unsigned long)GetLastError());
            return -1;
        }
    }
    /* Inheritable is not needed: the child gets it through DuplicateHandle. */
    out->mapping =
        CreateFileMappingA(out->file, NULL, PAGE_READWRITE, (DWORD)(size >> 32), (DWORD)size, NULL);
    if (!out->mapping) {
        mpm_logf(CONFIG_LOG_CRIT, "could not create the scoreboard (%llu bytes, error %lu)",
                 (unsigned long long)size, (unsigned long)GetLastError());
        scoreboard_close(out);
        return -1;
    }
    out->sb = MapViewOfFile(out->mapping, FILE_MAP_ALL_ACCESS, 0, 0, (SIZE_T)size);
    if (!out->sb) {
        mpm_logf(CONFIG_LOG_CRIT, "could not map the scoreboard (error %lu)",
                 (unsigned long)GetLastError());
        scoreboard_close(out);
        return -1;
    }
    out->size = (size_t)size;
    memset(out->sb, 0, out->size);
    out->sb->thread_limit = (uint32_t)conf->thread_limit;
    out->sb->rows = SB_ROWS;
    out->sb->parent_pid = GetCurrentProcessId();
    FILETIME now;
    GetSystemTimeAsFileTime(&now);
    out->sb->start_ft = ((uint64_t)now.dwHighDateTime << 32) | now.dwLowDateTime;
    out->sb->version = SB_VERSION;
    out->sb->magic = SB_MAGIC; /* last: readers of the file check it */
    return 0;
}

int scoreboard_attach(HANDLE mapping, size_t size, struct scoreboard *out)
{
    memset(out, 0, sizeof(*out));
    out->file = INVALID_HANDLE_VALUE;
    out->mapping = mapping;
    out->sb = MapViewOfFile(mapping, FILE_MAP_ALL_ACCESS, 0, 0, size);
    if (!out->sb || out->sb->magic != SB_MAGIC) {
        mpm_logf(CONFIG_LOG_CRIT, "Child: could not map the scoreboard (error %lu)",
                 (unsigned long)GetLastError());
        return -1;
    }
    out->size = size;
    return 0;
}

void scoreboard_close(struct scoreboard *sb)
{
    if (sb->sb)
        UnmapViewOfFile(sb->sb);
    if (sb->mapping)
        CloseHandle(sb->mapping);
    if (sb->file != INVALID_HANDLE_VALUE && sb->file)
        CloseHandle(sb->file);
    memset(sb, 0, sizeof(*sb));
    sb->file = INVALID_HANDLE_VALUE;
}

int scoreboard_take_row(struct scoreboard *sb, unsigned generation)
{
    int best = 0;
    for (int i = 0; i < SB_ROWS; i++) {
        if (sb->sb->row[i].pid == 0) {
            best = i;
            break;
        }
        if (sb->sb->row[i].generation < sb->sb->row[best].generation)
            best = i;
    }
    scoreboard_clear_row(sb, best);
    sb->sb->row[best].generation = generation;
    return best;
}

void scoreboard_clear_row(struct scoreboard *sb, int row)
{
    struct sb_row *r = &sb->sb->row[row];
    r->pid = 0;
    r->quiescing = 0;
    r->ready = 0;
    r->threads = 0;
    memset(sb_slots(sb->sb, (unsigned)row), 0, sb->sb->thread_limit * sizeof(struct sb_worker));
}
