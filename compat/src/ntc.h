/* The internal contract between compat/'s sources: objects, handles, errors, sync, segments,
 * engine, wire. */
#ifndef NTC_INTERNAL_H
#define NTC_INTERNAL_H

/*
 * Every compat source that includes this header sees the Win32 kernel32 view (windows.h) and may
 * also include POSIX headers: nothing in windows.h collides with them. The winsock headers DO
 * collide with <sys/socket.h> and friends (struct sockaddr, AF_INET6 = 23, fd_set...), so the
 * winsock sources include <winsock2.h> and no POSIX network header; every socket system call goes
 * through the neutral wrappers of net_sys.h, implemented in net_sys.c, which sees only POSIX
 * headers.
 */
#include <windows.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* ------------------------------------------------------------------------------------------------
 * Objects. Each kernel object is a struct that starts with struct ntc_object. `refs` counts every
 * reference (handle-table entries and in-flight users such as pending I/O); `handles` counts only
 * the handle-table entries of this process. When `handles` drops to 0, ops->last_handle_closed runs
 * (a socket cancels its pending I/O there); when `refs` drops to 0, ops->destroy frees it.
 * --------------------------------------------------------------------------------------------- */
enum ntc_type {
    NTC_T_NONE = 0,
    NTC_T_EVENT,
    NTC_T_MUTEX,
    NTC_T_SEMAPHORE,
    NTC_T_THREAD,
    NTC_T_PROCESS,
    NTC_T_PORT,
    NTC_T_SOCKET,
    NTC_T_FILE, /* regular files, pipes, std streams: anything that is one plain descriptor */
    NTC_T_MAPPING,
    NTC_T_COUNT
};

struct ntc_object;
struct ntc_sync;
struct ntc_wire;

struct ntc_ops {
    enum ntc_type type;
    const char *name;
    /* Optional: the last handle of this process to the object was closed (cancel I/O, unregister).
     */
    void (*last_handle_closed)(struct ntc_object *o);
    /* Required: the last reference went; free everything the object owns. */
    void (*destroy)(struct ntc_object *o);
    /* Optional: the waitable state of the object; NULL when it cannot be waited on. */
    struct ntc_sync *(*sync)(struct ntc_object *o);
    /* Optional: describe the object for another process (inheritance, DuplicateHandle, sockets).
     * Fills *w; descriptors placed in w->fds are borrowed (the caller sends copies). FALSE with the
     * last error set when the object cannot cross a process boundary. */
    BOOL (*export_wire)(struct ntc_object *o, struct ntc_wire *w);
    /* Optional: rebuild an object from a wire description received from another process; takes
     * ownership of w->fds. Returns the object with refs = 1, handles = 0, or NULL with last error.
     */
    struct ntc_object *(*import_wire)(struct ntc_wire *w);
    /* Optional: where completions of this object's overlapped I/O go (sockets, files). */
    struct ntc_io_target *(*io_target)(struct ntc_object *o);
    /* Optional: cancel pending overlapped I/O: ov == NULL cancels all (CancelIo/CancelIoEx(h,
     * NULL)), this_thread_only for CancelIo. Each cancelled operation still completes, with 995.
     * Returns TRUE if anything was found to cancel (else the caller reports ERROR_NOT_FOUND). */
    BOOL (*cancel)(struct ntc_object *o, LPOVERLAPPED ov, BOOL this_thread_only);
};

struct ntc_object {
    const struct ntc_ops *ops;
    atomic_int refs;
    atomic_int handles;
};

/* Initialise the header of a new object: refs = 1 (the caller's), handles = 0. */
void ntc_object_init(struct ntc_object *o, const struct ntc_ops *ops);
void ntc_object_ref(struct ntc_object *o);
void ntc_object_unref(struct ntc_object *o);

/* The ops of each type (defined by the file that implements the type). */
extern const struct ntc_ops ntc_event_ops, ntc_mutex_ops, ntc_semaphore_ops, ntc_thread_ops,
    ntc_process_ops, ntc_port_ops, ntc_socket_ops, ntc_file_ops, ntc_mapping_ops;
const struct ntc_ops *ntc_ops_of_type(enum ntc_type t);

/* ------------------------------------------------------------------------------------------------
 * Handles (handle.c). Values are small multiples of 4 with a generation in the upper bits, stable
 * across processes for inherited handles, and shared with SOCKET: a SOCKET is a HANDLE value.
 * (HANDLE)-1 is GetCurrentProcess() (and INVALID_HANDLE_VALUE); (HANDLE)-2 is GetCurrentThread().
 * --------------------------------------------------------------------------------------------- */
/* Enter o in the table: consumes one reference of the caller's, adds one handle. NULL and
 * ERROR_NO_SYSTEM_RESOURCES (or ERROR_TOO_MANY_OPEN_FILES) when the table is full. */
HANDLE ntc_handle_alloc(struct ntc_object *o, BOOL inherit);
/* The same at a given value (a child rebuilding its inherited handles); FALSE if the slot is taken.
 */
BOOL ntc_handle_alloc_at(HANDLE value, struct ntc_object *o, BOOL inherit);
/* Look up a handle; returns a new reference (drop it with ntc_object_unref). With want !=
 * NTC_T_NONE the object must be of that type. On failure NULL and ERROR_INVALID_HANDLE (sockets:
 * the winsock callers translate to WSAENOTSOCK). Pseudo handles resolve to the current process or
 * thread object. */
struct ntc_object *ntc_handle_get(HANDLE h, enum ntc_type want);
/* Remove a handle from the table (CloseHandle, closesocket). FALSE and ERROR_INVALID_HANDLE if it
 * is not a handle. Runs last_handle_closed when it was the object's last handle here. */
BOOL ntc_handle_close(HANDLE h);
/* Call fn for every inheritable handle (under the table lock: fn must not use the table). */
void ntc_handle_foreach_inheritable(void (*fn)(HANDLE h, struct ntc_object *o, void *arg),
                                    void *arg);
/* Number of live handles (tests and leak checks). */
unsigned ntc_handle_count(void);

/* ------------------------------------------------------------------------------------------------
 * Errors (errors.c). One thread-local last-error value, shared by GetLastError and WSAGetLastError
 * as on Windows. errno is mapped in exactly one table.
 * --------------------------------------------------------------------------------------------- */
DWORD ntc_win32_from_errno(int e); /* ERROR_* */
DWORD ntc_wsa_from_errno(int e);   /* WSAE* */
DWORD ntc_wsa_from_win32(DWORD e); /* ERROR_* of a completion -> the WSAE* Winsock reports */
/* Set the last error from errno (or from e) and return FALSE/NULL-friendly 0. */
void ntc_set_error_errno(int e);
void ntc_set_wsa_errno(int e);
/* Convert between OVERLAPPED.Internal (an NTSTATUS) and Win32 errors. Success is STATUS_SUCCESS,
 * 995 is STATUS_CANCELLED, others are encoded as 0xC0070000 | error (FACILITY_NTWIN32 style). */
ULONG_PTR ntc_status_from_error(DWORD err);
DWORD ntc_error_from_status(ULONG_PTR status);

/* ------------------------------------------------------------------------------------------------
 * Waitable state (sync.c, wait.c). Every waitable object owns one struct ntc_sync, which lives in a
 * shareable segment so that the object can be inherited or duplicated into another process. Process
 * and thread objects use a NOTIFY sync that becomes signalled once, forever.
 * --------------------------------------------------------------------------------------------- */
enum ntc_sync_kind {
    NTC_SYNC_EVENT_AUTO,
    NTC_SYNC_EVENT_MANUAL,
    NTC_SYNC_MUTEX,
    NTC_SYNC_SEMAPHORE,
    NTC_SYNC_NOTIFY /* process or thread end: manual, never reset */
};
/* A process-private NOTIFY sync for a thread or process object (not shareable). NULL on ENOMEM. */
struct ntc_sync *ntc_sync_new_notify(void);
void ntc_sync_free_notify(struct ntc_sync *s);
/* Signal a NOTIFY sync (idempotent) and wake every waiter, in every process. */
void ntc_sync_notify(struct ntc_sync *s);
BOOL ntc_sync_is_signaled(struct ntc_sync *s);
/* The engine behind WaitForMultipleObjectsEx: objs are references held by the caller. Returns a
 * WAIT_* value; WAIT_FAILED with the last error set. */
DWORD ntc_wait(struct ntc_object *const *objs, DWORD n, BOOL wait_all, DWORD ms);

/* Current thread's object (creates one for threads not made by CreateThread); a new reference. */
struct ntc_object *ntc_thread_self(void);
/* Current process's object; a new reference. */
struct ntc_object *ntc_process_self(void);

/* ------------------------------------------------------------------------------------------------
 * Shareable segments (shm.c): anonymous (memfd) or named (POSIX shm, mode 0600, name hashed to
 * fit 31 characters), with a header that holds the Win32 name, the object type and a reference
 * count of holders; the last holder unlinks it, and holders that died are detected by pid so that
 * stale segments of crashed processes are reclaimed.
 * --------------------------------------------------------------------------------------------- */
struct ntc_seg {
    int fd;
    void *base;    /* the whole mapping, header included for named segments */
    void *payload; /* where the object's state starts */
    size_t payload_size;
    bool named;
};
/* Anonymous segment of payload_size bytes, zeroed. FALSE with last error on failure. */
BOOL ntc_seg_create_anon(size_t payload_size, struct ntc_seg *out);
/* Named segment. create=TRUE: create or open (existed tells which); create=FALSE: open only
 * (ERROR_FILE_NOT_FOUND if missing). A name that exists with another type fails with
 * ERROR_INVALID_HANDLE, as Windows does. The name is the Win32 name, UTF-8. */
BOOL ntc_seg_open_named(const char *name, enum ntc_type type, size_t payload_size, BOOL create,
                        struct ntc_seg *out, BOOL *existed);
/* Rebuild a segment from a descriptor received from another process (named or anonymous). */
BOOL ntc_seg_import(int fd, bool named, size_t payload_size, struct ntc_seg *out);
/* Drop this holder's reference: unmaps, closes, unlinks a named segment at zero holders. */
void ntc_seg_release(struct ntc_seg *s);
/* UTF-16 (WCHAR) to UTF-8 for the W entry points; returns malloc'd string or NULL (then
 * ERROR_NOT_ENOUGH_MEMORY or ERROR_INVALID_PARAMETER is set). NULL in, NULL out without error. */
char *ntc_utf8_from_wide(const WCHAR *w);
/* UTF-8 to UTF-16 into buf of n WCHARs; returns length without terminator, or (DWORD)-1. */
DWORD ntc_wide_from_utf8(const char *s, WCHAR *buf, DWORD n);

/* ------------------------------------------------------------------------------------------------
 * The readiness engine (engine.h; engine_epoll.c or engine_libevent.c). Engine threads run the
 * event loops; a watch is persistent and edge-triggered; its callback runs on the thread running
 * its loop: an engine thread, or a thread waiting in GetQueuedCompletionStatus that borrowed it.
 * --------------------------------------------------------------------------------------------- */
#include "engine.h"

/* ------------------------------------------------------------------------------------------------
 * Overlapped completion (iocp.c). An object that does overlapped I/O embeds a struct ntc_io_target;
 * CreateIoCompletionPort(handle, port, key) fills it through ops->io_target.
 * --------------------------------------------------------------------------------------------- */
struct ntc_io_target {
    _Atomic(struct ntc_object *) port; /* the associated port (a reference is held), or NULL */
    ULONG_PTR key;
    atomic_uchar modes; /* FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE */
};
/* Release the port reference of a target (when its object is destroyed). */
void ntc_io_target_release(struct ntc_io_target *t);
/*
 * Publish the result of an overlapped operation, exactly once, as the LAST thing done with ov:
 * writes ov->InternalHigh = bytes and ov->Internal = ntc_status_from_error(error) (release order),
 * sets ov->hEvent (low bit masked) if non-NULL, wakes GetOverlappedResult(bWait) waiters, and posts
 * a packet (key, bytes, ov) to the target's port unless the hEvent low bit is set, or unless
 * synchronous is TRUE, error is 0 and FILE_SKIP_COMPLETION_PORT_ON_SUCCESS is set. A synchronous
 * FAILURE must not be published at all (Windows queues nothing): the caller just returns the error.
 * t may be NULL (no port association).
 */
void ntc_io_complete(struct ntc_io_target *t, LPOVERLAPPED ov, DWORD error, DWORD bytes,
                     BOOL synchronous);
/* Mark ov as in flight (Internal = STATUS_PENDING, InternalHigh = 0) before starting it. */
void ntc_io_begin(LPOVERLAPPED ov);

/* The descriptor behind a FILE object (file.c); -1 if o is not one. For TransmitFile. */
int ntc_file_fd(struct ntc_object *o);

/* ------------------------------------------------------------------------------------------------
 * Crossing processes (process.c, wire.c). A compat process started by CreateProcess of another
 * compat process keeps a control channel (a unix socket) to its parent: inherited handles arrive
 * on it before main() runs, at their original values, and a broker thread in the child serves
 * DuplicateHandle and WSADuplicateSocket requests from the parent over it.
 * --------------------------------------------------------------------------------------------- */
#define NTC_WIRE_MAXFDS 4
#define NTC_WIRE_DATA 512
struct ntc_wire {
    uint32_t type; /* enum ntc_type */
    uint32_t nfds;
    int fds[NTC_WIRE_MAXFDS];
    uint32_t len;
    unsigned char data[NTC_WIRE_DATA];
};
/* Give object o to the process behind process object `target`: returns in *out the handle value
 * that names it there. Used by DuplicateHandle when the target is not the current process. */
BOOL ntc_process_push_handle(struct ntc_object *target, struct ntc_object *o, BOOL inherit,
                             HANDLE *out);
/* A process object for pid with a control channel (a child we created), or the current process;
 * a new reference, or NULL with ERROR_INVALID_PARAMETER. WSADuplicateSocketA/W push the socket with
 * ntc_process_push_handle and carry the returned value in WSAPROTOCOL_INFO; WSASocket with
 * FROM_PROTOCOL_INFO in the target returns that handle. */
struct ntc_object *ntc_process_by_pid(DWORD pid);
/* In a child started by CreateProcess: receive the inherited handles (at their values) and start
 * the broker. Called once, before main(), by a constructor in handle.c (always linked); a no-op in
 * a process that has no control channel. */
void ntc_channel_init_child(void);

#endif
