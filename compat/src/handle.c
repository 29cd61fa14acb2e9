/* The handle table: small integer values naming reference-counted objects, shared with SOCKET. */
#include "ntc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/*
 * A value is ((gen << INDEX_BITS) | (index + 1)) << 2: a multiple of 4 like a Windows handle, below
 * 2^31 so that code storing a SOCKET in an int still works, and carrying a generation so that a
 * stale value of a closed and reused slot is rejected instead of naming the new object.
 */
#define INDEX_BITS 20
#define GEN_BITS 9
#define CHUNK_BITS 10
#define CHUNK_SIZE (1u << CHUNK_BITS)
#define MAX_SLOTS (1u << INDEX_BITS)
#define MAX_CHUNKS (MAX_SLOTS / CHUNK_SIZE)

#define PSEUDO_PROCESS ((HANDLE)(LONG_PTR)-1)
#define PSEUDO_THREAD ((HANDLE)(LONG_PTR)-2)

struct slot {
    struct ntc_object *obj;
    uint16_t gen;
    uint8_t flags; /* HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE */
};

static struct slot *chunks[MAX_CHUNKS];
static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static uint32_t next_fresh;  /* slots >= next_fresh were never used */
static uint32_t *free_stack; /* closed slots, reused last-closed-first */
static uint32_t free_count, free_cap;
static unsigned live;

static const struct ntc_ops *const ops_by_type[NTC_T_COUNT] = {
    [NTC_T_EVENT] = &ntc_event_ops,         [NTC_T_MUTEX] = &ntc_mutex_ops,
    [NTC_T_SEMAPHORE] = &ntc_semaphore_ops, [NTC_T_THREAD] = &ntc_thread_ops,
    [NTC_T_PROCESS] = &ntc_process_ops,     [NTC_T_PORT] = &ntc_port_ops,
    [NTC_T_SOCKET] = &ntc_socket_ops,       [NTC_T_FILE] = &ntc_file_ops,
    [NTC_T_MAPPING] = &ntc_mapping_ops,
};

/* Before main() and before other constructors use handles: a child of CreateProcess rebuilds the
 * handles it inherited at their values. Here because this file is linked into every program. */
__attribute__((constructor(101))) static void handle_table_init(void)
{
    ntc_channel_init_child();
}

const struct ntc_ops *ntc_ops_of_type(enum ntc_type t)
{
    return (t > NTC_T_NONE && t < NTC_T_COUNT) ? ops_by_type[t] : NULL;
}

void ntc_object_init(struct ntc_object *o, const struct ntc_ops *ops)
{
    o->ops = ops;
    atomic_init(&o->refs, 1);
    atomic_init(&o->handles, 0);
}

void ntc_object_ref(struct ntc_object *o)
{
    atomic_fetch_add_explicit(&o->refs, 1, memory_order_relaxed);
}

void ntc_object_unref(struct ntc_object *o)
{
    if (atomic_fetch_sub_explicit(&o->refs, 1, memory_order_acq_rel) == 1)
        o->ops->destroy(o);
}

static HANDLE encode(uint32_t index, uint16_t gen)
{
    return (HANDLE)(UINT_PTR)((((UINT_PTR)gen << INDEX_BITS) | (index + 1)) << 2);
}

/* Decode a value into index and generation; false for values that can never be handles. */
static bool decode(HANDLE h, uint32_t *index, uint16_t *gen)
{
    UINT_PTR v = (UINT_PTR)h;
    if (v == 0 || (v & 3) || (v >> (2 + INDEX_BITS + GEN_BITS)) != 0)
        return false;
    v >>= 2;
    uint32_t low = (uint32_t)(v & (MAX_SLOTS - 1));
    if (low == 0)
        return false;
    *index = low - 1;
    *gen = (uint16_t)(v >> INDEX_BITS);
    return *gen != 0;
}

static struct slot *slot_at(uint32_t index)
{
    struct slot *c = chunks[index >> CHUNK_BITS];
    return c ? &c[index & (CHUNK_SIZE - 1)] : NULL;
}

/* With the write lock held: make sure the chunk holding index exists. */
static bool ensure_chunk(uint32_t index)
{
    uint32_t ci = index >> CHUNK_BITS;
    if (chunks[ci])
        return true;
    chunks[ci] = calloc(CHUNK_SIZE, sizeof(struct slot));
    return chunks[ci] != NULL;
}

static bool push_free(uint32_t index)
{
    if (free_count == free_cap) {
        uint32_t cap = free_cap ? free_cap * 2 : 256;
        uint32_t *n = realloc(free_stack, cap * sizeof(*n));
        if (!n)
            return false;
        free_stack = n;
        free_cap = cap;
    }
    free_stack[free_count++] = index;
    return true;
}

static void fill_slot(struct slot *s, struct ntc_object *o, BOOL inherit)
{
    if (s->gen == 0)
        s->gen = 1;
    s->obj = o;
    s->flags = inherit ? HANDLE_FLAG_INHERIT : 0;
    atomic_fetch_add_explicit(&o->handles, 1, memory_order_relaxed);
    live++;
}

HANDLE ntc_handle_alloc(struct ntc_object *o, BOOL inherit)
{
    HANDLE h = NULL;
    pthread_rwlock_wrlock(&table_lock);
    uint32_t index;
    if (free_count > 0) {
        index = free_stack[--free_count];
    } else if (next_fresh < MAX_SLOTS && ensure_chunk(next_fresh)) {
        index = next_fresh++;
    } else {
        pthread_rwlock_unlock(&table_lock);
        SetLastError(ERROR_NO_SYSTEM_RESOURCES);
        return NULL;
    }
    struct slot *s = slot_at(index);
    fill_slot(s, o, inherit);
    h = encode(index, s->gen);
    pthread_rwlock_unlock(&table_lock);
    return h;
}

BOOL ntc_handle_alloc_at(HANDLE value, struct ntc_object *o, BOOL inherit)
{
    uint32_t index;
    uint16_t gen;
    if (!decode(value, &index, &gen)) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    pthread_rwlock_wrlock(&table_lock);
    if (!ensure_chunk(index)) {
        pthread_rwlock_unlock(&table_lock);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    struct slot *s = slot_at(index);
    if (s->obj) {
        pthread_rwlock_unlock(&table_lock);
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    if (index >= next_fresh) {
        for (uint32_t i = next_fresh; i < index; i++) {
            if (!ensure_chunk(i) || !push_free(i)) {
                pthread_rwlock_unlock(&table_lock);
                SetLastError(ERROR_NOT_ENOUGH_MEMORY);
                return FALSE;
            }
        }
        next_fresh = index + 1;
    } else {
        /* Rare (only while a child rebuilds its inherited table): take it out of the free stack. */
        for (uint32_t i = 0; i < free_count; i++) {
            if (free_stack[i] == index) {
                free_stack[i] = free_stack[--free_count];
                break;
            }
        }
    }
    s->gen = gen;
    fill_slot(s, o, inherit);
    pthread_rwlock_unlock(&table_lock);
    return TRUE;
}

struct ntc_object *ntc_handle_get(HANDLE h, enum ntc_type want)
{
    struct ntc_object *o = NULL;
    if (h == PSEUDO_PROCESS) {
        o = ntc_process_self();
    } else if (h == PSEUDO_THREAD) {
        o = ntc_thread_self();
    } else {
        uint32_t index;
        uint16_t gen;
        if (decode(h, &index, &gen)) {
            pthread_rwlock_rdlock(&table_lock);
            struct slot *s = index < next_fresh ? slot_at(index) : NULL;
            if (s && s->obj && s->gen == gen) {
                o = s->obj;
                ntc_object_ref(o);
            }
            pthread_rwlock_unlock(&table_lock);
        }
    }
    if (o && want != NTC_T_NONE && o->ops->type != want) {
        ntc_object_unref(o);
        o = NULL;
    }
    if (!o)
        SetLastError(ERROR_INVALID_HANDLE);
    return o;
}

BOOL ntc_handle_close(HANDLE h)
{
    uint32_t index;
    uint16_t gen;
    if (!decode(h, &index, &gen)) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    pthread_rwlock_wrlock(&table_lock);
    struct slot *s = index < next_fresh ? slot_at(index) : NULL;
    if (!s || !s->obj || s->gen != gen || (s->flags & HANDLE_FLAG_PROTECT_FROM_CLOSE)) {
        pthread_rwlock_unlock(&table_lock);
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    struct ntc_object *o = s->obj;
    s->obj = NULL;
    s->flags = 0;
    s->gen = (uint16_t)(s->gen % ((1u << GEN_BITS) - 1) + 1);
    live--;
    bool pushed = push_free(index); /* on ENOMEM the slot is merely never reused */
    (void)pushed;
    pthread_rwlock_unlock(&table_lock);
    if (atomic_fetch_sub_explicit(&o->handles, 1, memory_order_acq_rel) == 1 &&
        o->ops->last_handle_closed)
        o->ops->last_handle_closed(o);
    ntc_object_unref(o);
    return TRUE;
}

void ntc_handle_foreach_inheritable(void (*fn)(HANDLE h, struct ntc_object *o, void *arg),
                                    void *arg)
{
    pthread_rwlock_rdlock(&table_lock);
    for (uint32_t i = 0; i < next_fresh; i++) {
        struct slot *s = slot_at(i);
        if (s && s->obj && (s->flags & HANDLE_FLAG_INHERIT))
            fn(encode(i, s->gen), s->obj, arg);
    }
    pthread_rwlock_unlock(&table_lock);
}

unsigned ntc_handle_count(void)
{
    pthread_rwlock_rdlock(&table_lock);
    unsigned n = live;
    pthread_rwlock_unlock(&table_lock);
    return n;
}

/* Find the slot of a real handle with the write lock held; NULL if h is not one. */
static struct slot *locked_slot(HANDLE h)
{
    uint32_t index;
    uint16_t gen;
    if (!decode(h, &index, &gen) || index >= next_fresh)
        return NULL;
    struct slot *s = slot_at(index);
    return (s && s->obj && s->gen == gen) ? s : NULL;
}

BOOL WINAPI CloseHandle(HANDLE hObject)
{
    /* Closing a pseudo handle is a documented no-op that succeeds [CloseHandle]. */
    if (hObject == PSEUDO_PROCESS || hObject == PSEUDO_THREAD)
        return TRUE;
    return ntc_handle_close(hObject);
}

BOOL WINAPI GetHandleInformation(HANDLE hObject, LPDWORD lpdwFlags)
{
    pthread_rwlock_rdlock(&table_lock);
    struct slot *s = locked_slot(hObject);
    if (s && lpdwFlags)
        *lpdwFlags = s->flags;
    pthread_rwlock_unlock(&table_lock);
    if (!s)
        SetLastError(ERROR_INVALID_HANDLE);
    else if (!lpdwFlags)
        SetLastError(ERROR_INVALID_PARAMETER);
    return s && lpdwFlags;
}

BOOL WINAPI SetHandleInformation(HANDLE hObject, DWORD dwMask, DWORD dwFlags)
{
    const DWORD known = HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE;
    pthread_rwlock_wrlock(&table_lock);
    struct slot *s = locked_slot(hObject);
    if (s)
        s->flags = (uint8_t)((s->flags & ~(dwMask & known)) | (dwFlags & dwMask & known));
    pthread_rwlock_unlock(&table_lock);
    if (!s)
        SetLastError(ERROR_INVALID_HANDLE);
    return s != NULL;
}

static bool is_self_process(HANDLE h, struct ntc_object **out)
{
    *out = NULL;
    if (h == PSEUDO_PROCESS)
        return true;
    struct ntc_object *p = ntc_handle_get(h, NTC_T_PROCESS);
    if (!p)
        return false;
    struct ntc_object *self = ntc_process_self();
    bool same = (p == self);
    ntc_object_unref(self);
    if (same) {
        ntc_object_unref(p);
        return true;
    }
    *out = p;
    return false;
}

BOOL WINAPI DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle,
                            HANDLE hTargetProcessHandle, LPHANDLE lpTargetHandle,
                            DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwOptions)
{
    (void)
        dwDesiredAccess; /* compat/ has no per-handle access masks: every handle has full access */
    struct ntc_object *src_proc;
    if (!is_self_process(hSourceProcessHandle, &src_proc)) {
        /* Pulling a handle out of another process is not part of the subset. */
        if (src_proc)
            ntc_object_unref(src_proc);
        SetLastError(src_proc ? ERROR_NOT_SUPPORTED : ERROR_INVALID_HANDLE);
        return FALSE;
    }
    struct ntc_object *o = ntc_handle_get(hSourceHandle, NTC_T_NONE);
    if (!o)
        return FALSE;

    BOOL ok = TRUE;
    HANDLE out = NULL;
    struct ntc_object *tgt_proc;
    if (lpTargetHandle == NULL) {
        ok = (dwOptions & DUPLICATE_CLOSE_SOURCE) != 0;
        if (!ok)
            SetLastError(ERROR_INVALID_PARAMETER);
    } else if (is_self_process(hTargetProcessHandle, &tgt_proc)) {
        ntc_object_ref(o);
        out = ntc_handle_alloc(o, bInheritHandle);
        if (!out) {
            ntc_object_unref(o);
            ok = FALSE;
        }
    } else if (tgt_proc) {
        ok = ntc_process_push_handle(tgt_proc, o, bInheritHandle, &out);
        ntc_object_unref(tgt_proc);
    } else {
        ok = FALSE; /* last error set by the failed lookup */
    }
    if (ok && lpTargetHandle)
        *lpTargetHandle = out;
    ntc_object_unref(o);
    /* The source is closed even when the duplication fails [DuplicateHandle]. */
    if (dwOptions & DUPLICATE_CLOSE_SOURCE) {
        DWORD saved = GetLastError();
        CloseHandle(hSourceHandle);
        SetLastError(saved);
    }
    return ok;
}
