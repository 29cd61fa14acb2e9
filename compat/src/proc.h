/* Internal interface between the PROC sources: file objects, processes and the control channel. */
#ifndef NTC_PROC_H
#define NTC_PROC_H

#include "ntc.h"

#include <sys/types.h>

/* ---- file.c ---------------------------------------------------------------------------------- */
/* A FILE object around fd (regular file, pipe end, std stream). With owns_fd the descriptor is
 * closed when the object is destroyed. A new reference, or NULL with the last error set (the
 * descriptor is then closed if owned). */
struct ntc_object *ntc_file_new(int fd, bool owns_fd, bool overlapped);
/* Map errno to the last error, turning path lookups that failed on a missing directory into
 * ERROR_PATH_NOT_FOUND rather than ERROR_FILE_NOT_FOUND. */
void ntc_file_set_path_error(int e, const char *path);
/* A malloc'd copy of a Win32 path with '\\' turned into '/'; NULL with the last error set. */
char *ntc_path_from_win32(const char *path);

/* ---- fileattr.c ------------------------------------------------------------------------------ */
struct stat;
struct timespec;
/* The Win32 attributes of what st (from stat, or lstat of path) describes. A symbolic link is a
 * reparse point, a directory too when path leads to one. path may be NULL for a non-link. */
DWORD ntc_attributes_of(const char *path, const struct stat *st);
/* A POSIX time as a FILETIME (100 ns since 1601). */
FILETIME ntc_filetime_of(struct timespec ts);

/* ---- process.c ------------------------------------------------------------------------------- */
/* The object of a child just started (pidfd and channel are taken over): watched, registered. A new
 * reference, or NULL with the last error set (then the caller still owns channel). */
struct ntc_object *ntc_process_new_child(pid_t pid, int pidfd, int channel);
DWORD ntc_process_pid(struct ntc_object *proc);
/* STILL_ACTIVE while the process runs, then its exit code. */
DWORD ntc_process_exit_code(struct ntc_object *proc);

/* ---- env.c ----------------------------------------------------------------------------------- */
/* A copy of the environment as a NULL-terminated array in one malloc'd block; NULL on ENOMEM. */
char **ntc_env_snapshot(void);

/* ---- channel.c ------------------------------------------------------------------------------- */
/* Messages on the control channel (SOCK_SEQPACKET: one message per record, descriptors attached
 * with SCM_RIGHTS). */
enum ntc_msg_kind {
    NTC_MSG_INHERIT = 1, /* parent -> child before main(): one inherited handle */
    NTC_MSG_INHERIT_END, /* parent -> child: the inherited table is complete */
    NTC_MSG_PUSH,        /* parent -> child: enter an object, reply with its value */
    NTC_MSG_PUSH_REPLY,  /* child -> parent: value (0 on failure) and error */
};
struct ntc_msg {
    uint32_t kind;
    uint32_t inherit;
    uint64_t value; /* handle value (INHERIT, PUSH_REPLY) */
    uint32_t error; /* PUSH_REPLY: the Win32 error when value is 0 */
    uint32_t seq;   /* PUSH / PUSH_REPLY: pairs a reply with its request */
    struct ntc_wire wire;
};
/* Describe o for another process (ops->export_wire); FALSE with the last error set. */
BOOL ntc_channel_export(struct ntc_object *o, struct ntc_wire *w);
/* Send one message, with w->fds (of msg->wire) attached; FALSE with the last error set. */
BOOL ntc_channel_send(int fd, const struct ntc_msg *msg);
/* Receive one message within ms (INFINITE: no bound); received descriptors land in msg->wire.fds
 * (CLOEXEC). FALSE with the last error set (ERROR_BROKEN_PIPE at end of stream, WAIT_TIMEOUT). */
BOOL ntc_channel_recv(int fd, struct ntc_msg *msg, DWORD ms);
/* Send the inheritable handles of this process when inherit is TRUE, then INHERIT_END, to a new
 * child. */
BOOL ntc_channel_send_inherited(int fd, BOOL inherit);

#endif
