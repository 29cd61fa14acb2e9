/* Shareable segments: anonymous (memfd) and named (POSIX shm) memory with holder counting. */
#include "sync_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * A named segment starts with this header page. POSIX shm outlives its processes, while a Windows
 * named object dies with its last handle [CreateEvent]: so the header counts holders per pid, the
 * last holder unlinks, and holders that died (crashes, kill -9) are pruned by pid when anyone opens
 * the segment or at a process's first named-object use.
 */
#define SEG_MAGIC 0x4e544353u
#define SEG_VERSION 1u
#define SEG_HOLDERS 256
#define SEG_NAME_MAX 1024
#define SEG_PROBES 4
#define SHM_NAME_MAX 32 /* macOS allows 31 characters */

struct seg_hdr {
    _Atomic uint32_t lock; /* ntc_plock; usable before the header is initialised (zero = free) */
    uint32_t magic;
    uint32_t version;
    uint32_t type;
    uint64_t payload_off;
    uint64_t payload_size;
    struct {
        uint32_t pid;
        uint32_t count;
    } holders[SEG_HOLDERS];
    char shm_name[SHM_NAME_MAX];
    char name[SEG_NAME_MAX]; /* the full Win32 name: tells a hash collision from the same name */
};

static size_t page_size(void)
{
    static size_t ps;
    if (!ps)
        ps = (size_t)sysconf(_SC_PAGESIZE);
    return ps;
}

static size_t round_page(size_t n)
{
    size_t ps = page_size();
    if (n == 0)
        n = 1;
    return (n + ps - 1) & ~(ps - 1);
}

static size_t hdr_size(void)
{
    return round_page(sizeof(struct seg_hdr));
}

static BOOL fail_errno(int e)
{
    ntc_set_error_errno(e);
    return FALSE;
}

/* ---- anonymous ---------------------------------------------------------------------------- */

BOOL ntc_seg_create_anon(size_t payload_size, struct ntc_seg *out)
{
    int fd = memfd_create("ntc", MFD_CLOEXEC);
    if (fd < 0)
        return fail_errno(errno);
    size_t len = round_page(payload_size);
    if (ftruncate(fd, (off_t)len) != 0) {
        int e = errno;
        close(fd);
        return fail_errno(e);
    }
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        int e = errno;
        close(fd);
        return fail_errno(e);
    }
    *out = (struct ntc_seg){.fd = fd, .base = p, .payload = p, .payload_size = payload_size};
    return TRUE;
}

/* ---- named -------------------------------------------------------------------------------- */

static uint64_t fnv1a(const char *s, unsigned salt)
{
    uint64_t h = 1469598103934665603ull ^ salt;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

static void prefix(char *buf, size_t n)
{
    snprintf(buf, n, "ntc%x_", (unsigned)getuid());
}

/* "/ntc<uid hex>_<64-bit hash hex>": at most 4 + 8 + 1 + 16 = 29 characters plus the slash. */
static void shm_name(const char *name, unsigned probe, char *buf)
{
    char p[16];
    prefix(p, sizeof(p));
    snprintf(buf, SHM_NAME_MAX, "/%s%llx", p, (unsigned long long)fnv1a(name, probe));
}

/* With the header locked: forget holders whose process is gone; returns the live count. */
static uint32_t prune(struct seg_hdr *h)
{
    uint32_t live = 0;
    for (int i = 0; i < SEG_HOLDERS; i++) {
        if (!h->holders[i].pid)
            continue;
        if (ntc_pid_dead(h->holders[i].pid)) {
            h->holders[i].pid = 0;
            h->holders[i].count = 0;
        } else {
            live += h->holders[i].count;
        }
    }
    return live;
}

static BOOL add_holder(struct seg_hdr *h)
{
    uint32_t me = ntc_getpid();
    int free_slot = -1;
    for (int i = 0; i < SEG_HOLDERS; i++) {
        if (h->holders[i].pid == me) {
            h->holders[i].count++;
            return TRUE;
        }
        if (!h->holders[i].pid && free_slot < 0)
            free_slot = i;
    }
    if (free_slot < 0) {
        SetLastError(ERROR_NO_SYSTEM_RESOURCES);
        return FALSE;
    }
    h->holders[free_slot].pid = me;
    h->holders[free_slot].count = 1;
    return TRUE;
}

static void drop_holder(struct seg_hdr *h)
{
    uint32_t me = ntc_getpid();
    for (int i = 0; i < SEG_HOLDERS; i++) {
        if (h->holders[i].pid == me) {
            if (--h->holders[i].count == 0)
                h->holders[i].pid = 0;
            return;
        }
    }
}

static bool unlinked(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 && st.st_nlink == 0;
}

static void sweep(void);

enum probe_result { P_OK, P_FAIL, P_COLLISION, P_ABSENT, P_RETRY };

static enum probe_result try_probe(const char *shm, const char *name, enum ntc_type type,
                                   size_t payload_size, BOOL create, struct ntc_seg *out,
                                   BOOL *existed)
{
    int fd = -1;
    if (create) {
        fd = shm_open(shm, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST) {
            fail_errno(errno);
            return P_FAIL;
        }
    }
    if (fd < 0) {
        fd = shm_open(shm, O_RDWR | O_CLOEXEC, 0);
        if (fd < 0) {
            if (errno == ENOENT)
                return create ? P_RETRY : P_ABSENT; /* unlinked between our two calls */
            fail_errno(errno);
            return P_FAIL;
        }
    }
    size_t hs = hdr_size();
    /* Only ever grows the file: a racing initialiser may already have made it larger. */
    int e = posix_fallocate(fd, 0, (off_t)hs);
    if (e) {
        close(fd);
        fail_errno(e);
        return P_FAIL;
    }
    struct seg_hdr *h = mmap(NULL, hs, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (h == MAP_FAILED) {
        e = errno;
        close(fd);
        fail_errno(e);
        return P_FAIL;
    }
    enum probe_result r = P_OK;
    size_t size = 0;
    bool init = false;
    ntc_plock(&h->lock);
    if (unlinked(fd)) {
        r = P_RETRY; /* its last holder went while we opened it: start over */
    } else if (h->magic == SEG_MAGIC && h->version == SEG_VERSION) {
        if (strcmp(h->name, name) != 0) {
            r = P_COLLISION;
        } else if (prune(h) == 0) {
            init = true; /* stale: every holder died without closing */
        } else if (h->type != (uint32_t)type) {
            SetLastError(ERROR_INVALID_HANDLE);
            r = P_FAIL;
        } else if (!add_holder(h)) {
            r = P_FAIL;
        } else {
            size = (size_t)h->payload_size;
            *existed = TRUE;
        }
    } else if (create) {
        init = true;
    } else {
        r = P_ABSENT; /* a creator that has not initialised it yet, or one that died doing so */
    }
    if (init && !create) {
        r = P_ABSENT;
        init = false;
    }
    void *base = NULL;
    if (init) {
        size = payload_size;
        e = posix_fallocate(fd, 0, (off_t)(hs + round_page(size)));
        base = e ? MAP_FAILED
                 : mmap(NULL, hs + round_page(size), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (base == MAP_FAILED) {
            fail_errno(e ? e : errno);
            r = P_FAIL;
        } else {
            memset((char *)base + hs, 0, round_page(size));
            memset(h->holders, 0, sizeof(h->holders));
            h->version = SEG_VERSION;
            h->type = (uint32_t)type;
            h->payload_off = hs;
            h->payload_size = size;
            snprintf(h->shm_name, sizeof(h->shm_name), "%s", shm);
            snprintf(h->name, sizeof(h->name), "%s", name);
            add_holder(h);
            h->magic = SEG_MAGIC;
            *existed = FALSE;
        }
    }
    ntc_punlock(&h->lock);
    munmap(h, hs);
    if (r == P_OK && !base) {
        base = mmap(NULL, hs + round_page(size), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (base == MAP_FAILED) {
            e = errno;
            struct seg_hdr *hh = mmap(NULL, hs, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            if (hh != MAP_FAILED) {
                ntc_plock(&hh->lock);
                drop_holder(hh);
                ntc_punlock(&hh->lock);
                munmap(hh, hs);
            }
            fail_errno(e);
            r = P_FAIL;
        }
    }
    if (r != P_OK) {
        close(fd);
        return r;
    }
    *out = (struct ntc_seg){
        .fd = fd, .base = base, .payload = (char *)base + hs, .payload_size = size, .named = true};
    return P_OK;
}

BOOL ntc_seg_open_named(const char *name, enum ntc_type type, size_t payload_size, BOOL create,
                        struct ntc_seg *out, BOOL *existed)
{
    /* "Local\\" is the session namespace, where unprefixed names live too [Kernel object
     * namespaces]; compat/ has one session, and "Global\\" stays a separate namespace. */
    if (strncmp(name, "Local\\", 6) == 0)
        name += 6;
    if (strlen(name) >= SEG_NAME_MAX) {
        SetLastError(ERROR_FILENAME_EXCED_RANGE);
        return FALSE;
    }
    sweep();
    *existed = FALSE;
    for (int attempt = 0; attempt < 100; attempt++) {
        bool retry = false;
        for (unsigned probe = 0; probe < SEG_PROBES && !retry; probe++) {
            char shm[SHM_NAME_MAX];
            shm_name(name, probe, shm);
            switch (try_probe(shm, name, type, payload_size, create, out, existed)) {
            case P_OK:
                return TRUE;
            case P_FAIL:
                return FALSE;
            case P_RETRY:
                retry = true;
                break;
            case P_COLLISION:
            case P_ABSENT:
                break;
            }
        }
        if (!retry)
            break;
    }
    /* Every probe is taken by other names (64-bit hash collisions: practically never). */
    SetLastError(create ? ERROR_NO_SYSTEM_RESOURCES : ERROR_FILE_NOT_FOUND);
    return FALSE;
}

/* Takes ownership of fd, also on failure. */
BOOL ntc_seg_import(int fd, bool named, size_t payload_size, struct ntc_seg *out)
{
    if (!named) {
        size_t len = round_page(payload_size);
        void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED) {
            int e = errno;
            close(fd);
            return fail_errno(e);
        }
        *out = (struct ntc_seg){.fd = fd, .base = p, .payload = p, .payload_size = payload_size};
        return TRUE;
    }
    size_t hs = hdr_size();
    struct seg_hdr *h = mmap(NULL, hs, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (h == MAP_FAILED) {
        int e = errno;
        close(fd);
        return fail_errno(e);
    }
    ntc_plock(&h->lock);
    BOOL ok = h->magic == SEG_MAGIC && add_holder(h);
    size_t size = ok ? (size_t)h->payload_size : 0;
    ntc_punlock(&h->lock);
    munmap(h, hs);
    void *p = ok ? mmap(NULL, hs + round_page(size), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
                 : MAP_FAILED;
    if (p == MAP_FAILED) {
        if (ok) {
            ntc_set_error_errno(errno);
        } else {
            SetLastError(ERROR_INVALID_HANDLE);
        }
        close(fd);
        return FALSE;
    }
    *out = (struct ntc_seg){
        .fd = fd, .base = p, .payload = (char *)p + hs, .payload_size = size, .named = true};
    return TRUE;
}

void ntc_seg_release(struct ntc_seg *s)
{
    if (!s->base)
        return;
    size_t len = round_page(s->payload_size);
    if (s->named) {
        struct seg_hdr *h = s->base;
        len += hdr_size();
        ntc_plock(&h->lock);
        drop_holder(h);
        if (prune(h) == 0) {
            shm_unlink(h->shm_name);
            h->magic = 0;
        }
        ntc_punlock(&h->lock);
    }
    munmap(s->base, len);
    close(s->fd);
    s->base = s->payload = NULL;
    s->fd = -1;
}

/* ---- stale segments ----------------------------------------------------------------------- */

/* Unlink one of our segments if every holder is dead (or its creator died before initialising). */
static void sweep_one(const char *entry)
{
    char shm[SHM_NAME_MAX + 1];
    snprintf(shm, sizeof(shm), "/%s", entry);
    int fd = shm_open(shm, O_RDWR | O_CLOEXEC, 0);
    if (fd < 0)
        return;
    struct stat st;
    size_t hs = hdr_size();
    if (fstat(fd, &st) != 0 || st.st_uid != getuid()) {
        close(fd);
        return;
    }
    if ((size_t)st.st_size < hs) {
        /* A creator that died between creating and sizing it. */
        if (st.st_mtime + 60 < time(NULL))
            shm_unlink(shm);
        close(fd);
        return;
    }
    struct seg_hdr *h = mmap(NULL, hs, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (h == MAP_FAILED) {
        close(fd);
        return;
    }
    ntc_plock(&h->lock);
    bool dead;
    if (h->magic == SEG_MAGIC)
        dead = prune(h) == 0;
    else /* never initialised: a creator in progress does that within microseconds */
        dead = st.st_mtime + 60 < time(NULL);
    if (dead && !unlinked(fd)) {
        shm_unlink(shm);
        h->magic = 0;
    }
    ntc_punlock(&h->lock);
    munmap(h, hs);
    close(fd);
}

static void sweep_all(void)
{
    DIR *d = opendir("/dev/shm");
    if (!d)
        return; /* not Linux-like: stale segments are then only reclaimed when reopened */
    char p[16];
    prefix(p, sizeof(p));
    size_t pl = strlen(p);
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (strncmp(de->d_name, p, pl) == 0 && strlen(de->d_name) < SHM_NAME_MAX)
            sweep_one(de->d_name);
    closedir(d);
}

static void sweep(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    int saved = errno;
    pthread_once(&once, sweep_all);
    errno = saved;
}
