/* Process objects: the current process, children made by CreateProcess, and OpenProcess. */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * A process object watches its process through a pidfd on the readiness engine: the pidfd becomes
 * readable when the process ends; the watch callback then reaps a child of ours, records the exit
 * code and signals the NOTIFY sync that waits see. The watch holds a reference, so a child is
 * reaped even after every handle to it was closed.
 *
 * Exit codes. A child's normal exit gives its status, which POSIX truncates to 8 bits (Windows
 * keeps 32). A child killed by a signal gets a Windows-like code: the uExitCode of our
 * TerminateProcess, the NTSTATUS of the matching exception (SIGSEGV -> 0xC0000005...), 3 for
 * SIGABRT (what the Windows CRT's abort() exits with), else 1. For a process that is not our child
 * (OpenProcess, or a handle received from another process) POSIX does not tell the exit status:
 * GetExitCodeProcess reports the code if we terminated it, else the status read from
 * /proc/<pid>/stat while the process is still a zombie, else 0.
 */
struct process {
    struct ntc_object obj;
    pid_t pid;
    int pidfd;
    bool is_child;
    bool is_self;
    struct ntc_sync *done;
    _Atomic DWORD exit_code;
    _Atomic bool terminated; /* TerminateProcess sent SIGKILL */
    _Atomic DWORD terminate_code;
    /* The control channel to a child (-1 otherwise); requests are serialised by chan_lock. */
    int channel;
    pthread_mutex_t chan_lock;
    uint32_t seq;
    struct process *next; /* registry of children with a channel */
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct process *registry;

static struct process *proc_of(struct ntc_object *o)
{
    return (struct process *)o;
}

static int pidfd_open_(pid_t pid)
{
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

static int pidfd_send_signal_(int pidfd, int sig)
{
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

static void unregister(struct process *p)
{
    pthread_mutex_lock(&registry_lock);
    for (struct process **pp = &registry; *pp; pp = &(*pp)->next) {
        if (*pp == p) {
            *pp = p->next;
            break;
        }
    }
    pthread_mutex_unlock(&registry_lock);
}

static void process_destroy(struct ntc_object *o)
{
    struct process *p = proc_of(o);
    if (p->channel >= 0)
        unregister(p);
    if (p->pidfd >= 0)
        close(p->pidfd);
    if (p->channel >= 0)
        close(p->channel);
    pthread_mutex_destroy(&p->chan_lock);
    ntc_sync_free_notify(p->done);
    free(p);
}

static struct ntc_sync *process_sync(struct ntc_object *o)
{
    return proc_of(o)->done;
}

/* Another process names this one by pid and gets the pidfd (kept from pid reuse until it opens). */
static BOOL process_export(struct ntc_object *o, struct ntc_wire *w)
{
    struct process *p = proc_of(o);
    if (p->pidfd < 0) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    uint32_t pid = (uint32_t)p->pid;
    w->type = NTC_T_PROCESS;
    w->nfds = 1;
    w->fds[0] = p->pidfd;
    w->len = sizeof(pid);
    memcpy(w->data, &pid, sizeof(pid));
    return TRUE;
}

static struct ntc_object *open_pid(pid_t pid, int pidfd);

static struct ntc_object *process_import(struct ntc_wire *w)
{
    uint32_t pid = 0;
    if (w->len >= sizeof(pid))
        memcpy(&pid, w->data, sizeof(pid));
    int pidfd = w->nfds >= 1 ? w->fds[0] : -1;
    for (uint32_t i = 1; i < w->nfds && i < NTC_WIRE_MAXFDS; i++)
        close(w->fds[i]);
    if (pid == 0) {
        if (pidfd >= 0)
            close(pidfd);
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return open_pid((pid_t)pid, pidfd);
}

const struct ntc_ops ntc_process_ops = {
    .type = NTC_T_PROCESS,
    .name = "process",
    .destroy = process_destroy,
    .sync = process_sync,
    .export_wire = process_export,
    .import_wire = process_import,
};

static struct process *process_new(pid_t pid, int pidfd)
{
    struct process *p = calloc(1, sizeof(*p));
    if (!p) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    p->done = ntc_sync_new_notify();
    if (!p->done) {
        free(p);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    ntc_object_init(&p->obj, &ntc_process_ops);
    p->pid = pid;
    p->pidfd = pidfd;
    p->channel = -1;
    atomic_init(&p->exit_code, STILL_ACTIVE);
    pthread_mutex_init(&p->chan_lock, NULL);
    return p;
}

/* ---- the current process ----------------------------------------------------------------------
 */

static struct process *self_proc;
static pthread_once_t self_once = PTHREAD_ONCE_INIT;

static void self_init(void)
{
    /* The pidfd lets other processes open us without a pid-reuse race; never signalled here. */
    self_proc = process_new(getpid(), pidfd_open_(getpid()));
    if (self_proc)
        self_proc->is_self = true;
}

struct ntc_object *ntc_process_self(void)
{
    pthread_once(&self_once, self_init);
    if (!self_proc)
        return NULL;
    ntc_object_ref(&self_proc->obj);
    return &self_proc->obj;
}

/* ---- ending -----------------------------------------------------------------------------------
 */

static DWORD code_of_signal(struct process *p, int sig)
{
    if (sig == SIGKILL && atomic_load(&p->terminated))
        return atomic_load(&p->terminate_code);
    switch (sig) {
    case SIGSEGV:
    case SIGBUS:
        return 0xC0000005u; /* STATUS_ACCESS_VIOLATION */
    case SIGILL:
        return 0xC000001Du; /* STATUS_ILLEGAL_INSTRUCTION */
    case SIGFPE:
        return 0xC0000094u; /* STATUS_INTEGER_DIVIDE_BY_ZERO */
    case SIGINT:
        return 0xC000013Au; /* STATUS_CONTROL_C_EXIT */
    case SIGABRT:
        return 3;
    default:
        return 1;
    }
}

/* A process that is not our child: its status can still be read while it is a zombie. */
static DWORD foreign_exit_code(struct process *p)
{
    if (atomic_load(&p->terminated))
        return atomic_load(&p->terminate_code);
    char path[64], buf[1024];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)p->pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    /* Fields after the command name (which may hold spaces) start after the last ')'. */
    char *s = strrchr(buf, ')');
    if (!s || s[1] != ' ' || s[2] != 'Z')
        return 0;
    /* exit_code is field 52; s + 2 is field 3 (state). */
    int field = 3;
    for (char *c = s + 2; *c; c++) {
        if (*c == ' ' && ++field == 52) {
            int status = atoi(c + 1);
            if (WIFEXITED(status))
                return (DWORD)WEXITSTATUS(status);
            if (WIFSIGNALED(status))
                return code_of_signal(p, WTERMSIG(status));
            return 0;
        }
    }
    return 0;
}

static void on_exit_cb(struct ntc_watch *w, unsigned events, void *arg)
{
    (void)events;
    struct process *p = arg;
    DWORD code = 0;
    if (p->is_child) {
        siginfo_t si;
        memset(&si, 0, sizeof(si));
        int rc;
        /* The pidfd is readable: the child is a zombie and this returns at once. */
        do {
            rc = waitid(P_PID, (id_t)p->pid, &si, WEXITED);
        } while (rc < 0 && errno == EINTR);
        if (rc == 0 && si.si_code == CLD_EXITED)
            code = (DWORD)si.si_status;
        else if (rc == 0 && (si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED))
            code = code_of_signal(p, si.si_status);
        /* ECHILD: somebody else reaped it (waitpid(-1) elsewhere): the code is lost, 0. */
    } else {
        code = foreign_exit_code(p);
    }
    atomic_store(&p->exit_code, code);
    ntc_watch_free(w);
    ntc_sync_notify(p->done);
    ntc_object_unref(&p->obj); /* the watch's reference */
}

/* Start watching p's pidfd; the watch takes a reference and frees itself when it fires (it may
 * fire before ntc_watch_new returns). */
static BOOL watch_exit(struct process *p)
{
    ntc_object_ref(&p->obj);
    if (!ntc_watch_new(p->pidfd, NTC_WATCH_READ, on_exit_cb, p)) {
        int e = errno;
        ntc_object_unref(&p->obj);
        ntc_set_error_errno(e);
        return FALSE;
    }
    return TRUE;
}

/* ---- lookups ----------------------------------------------------------------------------------
 */

/* A child of ours by pid (a new reference), or NULL. */
static struct process *find_child(pid_t pid)
{
    struct process *found = NULL;
    pthread_mutex_lock(&registry_lock);
    for (struct process *p = registry; p; p = p->next) {
        int refs = atomic_load(&p->obj.refs);
        /* Skip an object already on its way to destroy (it waits for this lock to unregister). */
        while (p->pid == pid && refs > 0 &&
               !atomic_compare_exchange_weak(&p->obj.refs, &refs, refs + 1))
            ;
        if (p->pid == pid && refs > 0) {
            found = p;
            break;
        }
    }
    pthread_mutex_unlock(&registry_lock);
    return found;
}

/* The process object for pid: ourself, a child of ours, or a new one watching pidfd (opened here
 * when pidfd < 0; taken over otherwise). A new reference, or NULL with the last error set. */
static struct ntc_object *open_pid(pid_t pid, int pidfd)
{
    if (pid == getpid()) {
        if (pidfd >= 0)
            close(pidfd);
        return ntc_process_self();
    }
    struct process *child = find_child(pid);
    if (child) {
        if (pidfd >= 0)
            close(pidfd);
        return &child->obj;
    }
    if (pidfd < 0)
        pidfd = pidfd_open_(pid);
    if (pidfd < 0) {
        /* No such process [OpenProcess]. */
        SetLastError(errno == ESRCH || errno == EINVAL ? ERROR_INVALID_PARAMETER
                                                       : ntc_win32_from_errno(errno));
        return NULL;
    }
    fcntl(pidfd, F_SETFD, FD_CLOEXEC);
    struct process *p = process_new(pid, pidfd);
    if (!p) {
        close(pidfd);
        return NULL;
    }
    if (!watch_exit(p)) {
        ntc_object_unref(&p->obj);
        return NULL;
    }
    return &p->obj;
}

struct ntc_object *ntc_process_by_pid(DWORD pid)
{
    if (pid == (DWORD)getpid())
        return ntc_process_self();
    struct process *p = find_child((pid_t)pid);
    if (!p)
        SetLastError(ERROR_INVALID_PARAMETER);
    return p ? &p->obj : NULL;
}

/* ---- children ---------------------------------------------------------------------------------
 */

struct ntc_object *ntc_process_new_child(pid_t pid, int pidfd, int channel)
{
    struct process *p = process_new(pid, pidfd);
    if (!p)
        return NULL;
    p->is_child = true;
    p->channel = channel;
    if (!watch_exit(p)) {
        p->channel = -1; /* the caller still owns it */
        ntc_object_unref(&p->obj);
        return NULL;
    }
    pthread_mutex_lock(&registry_lock);
    p->next = registry;
    registry = p;
    pthread_mutex_unlock(&registry_lock);
    return &p->obj;
}

DWORD ntc_process_pid(struct ntc_object *proc)
{
    return (DWORD)proc_of(proc)->pid;
}

DWORD ntc_process_exit_code(struct ntc_object *proc)
{
    struct process *p = proc_of(proc);
    return ntc_sync_is_signaled(p->done) ? atomic_load(&p->exit_code) : STILL_ACTIVE;
}

/* Bound on a reply from a child's broker: a child that is no compat program never answers. */
#define PUSH_TIMEOUT_MS 10000

BOOL ntc_process_push_handle(struct ntc_object *target, struct ntc_object *o, BOOL inherit,
                             HANDLE *out)
{
    struct process *p = proc_of(target);
    if (p->is_self) {
        ntc_object_ref(o);
        HANDLE h = ntc_handle_alloc(o, inherit);
        if (!h) {
            ntc_object_unref(o);
            return FALSE;
        }
        *out = h;
        return TRUE;
    }
    if (p->channel < 0) {
        /* Only our own children run a broker that can receive a handle. */
        SetLastError(ERROR_NOT_SUPPORTED);
        return FALSE;
    }
    if (ntc_sync_is_signaled(p->done)) {
        SetLastError(ERROR_ACCESS_DENIED); /* the process has ended */
        return FALSE;
    }
    struct ntc_msg msg;
    memset(&msg, 0, sizeof(msg));
    if (!ntc_channel_export(o, &msg.wire))
        return FALSE;
    msg.kind = NTC_MSG_PUSH;
    msg.inherit = inherit ? 1 : 0;
    pthread_mutex_lock(&p->chan_lock);
    msg.seq = ++p->seq;
    BOOL ok = ntc_channel_send(p->channel, &msg);
    struct ntc_msg reply;
    while (ok) {
        ok = ntc_channel_recv(p->channel, &reply, PUSH_TIMEOUT_MS);
        if (!ok)
            break;
        for (uint32_t i = 0; i < reply.wire.nfds; i++)
            close(reply.wire.fds[i]);
        if (reply.kind == NTC_MSG_PUSH_REPLY && reply.seq == msg.seq)
            break;
        /* A late reply to a request that timed out before: skip it. */
    }
    pthread_mutex_unlock(&p->chan_lock);
    if (!ok) {
        DWORD err = GetLastError();
        SetLastError(err == ERROR_BROKEN_PIPE ? ERROR_ACCESS_DENIED : err);
        return FALSE;
    }
    if (reply.value == 0) {
        SetLastError(reply.error ? reply.error : ERROR_INVALID_HANDLE);
        return FALSE;
    }
    *out = (HANDLE)(UINT_PTR)reply.value;
    return TRUE;
}

/* ---- the Win32 calls --------------------------------------------------------------------------
 */

DWORD WINAPI GetCurrentProcessId(void)
{
    return (DWORD)getpid();
}

HANDLE WINAPI GetCurrentProcess(void)
{
    return (HANDLE)(LONG_PTR)-1;
}

DWORD WINAPI GetProcessId(HANDLE Process)
{
    struct ntc_object *o = ntc_handle_get(Process, NTC_T_PROCESS);
    if (!o)
        return 0;
    DWORD pid = (DWORD)proc_of(o)->pid;
    ntc_object_unref(o);
    return pid;
}

BOOL WINAPI GetExitCodeProcess(HANDLE hProcess, LPDWORD lpExitCode)
{
    struct ntc_object *o = ntc_handle_get(hProcess, NTC_T_PROCESS);
    if (!o)
        return FALSE;
    DWORD code = ntc_process_exit_code(o);
    ntc_object_unref(o);
    if (!lpExitCode) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    *lpExitCode = code;
    return TRUE;
}

__attribute__((noreturn)) void WINAPI ExitProcess(UINT uExitCode)
{
    /* POSIX keeps the low 8 bits of the code. */
    exit((int)(uExitCode & 0xff));
}

BOOL WINAPI TerminateProcess(HANDLE hProcess, UINT uExitCode)
{
    struct ntc_object *o = ntc_handle_get(hProcess, NTC_T_PROCESS);
    if (!o)
        return FALSE;
    struct process *p = proc_of(o);
    if (p->is_self) {
        ntc_object_unref(o);
        _exit((int)(uExitCode & 0xff));
    }
    DWORD err = ERROR_SUCCESS;
    /* An ended process keeps its exit code; terminating it again succeeds and does nothing (as
     * on Wine). */
    if (!ntc_sync_is_signaled(p->done)) {
        bool first = !atomic_load(&p->terminated);
        if (first)
            atomic_store(&p->terminate_code, uExitCode);
        atomic_store(&p->terminated, true);
        if (pidfd_send_signal_(p->pidfd, SIGKILL) < 0 && errno != ESRCH)
            err = ntc_win32_from_errno(errno);
    }
    ntc_object_unref(o);
    if (err) {
        SetLastError(err);
        return FALSE;
    }
    return TRUE;
}

HANDLE WINAPI OpenProcess(DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwProcessId)
{
    (void)dwDesiredAccess; /* no per-handle access masks in compat/ */
    if (dwProcessId == 0 || dwProcessId > 0x7fffffffu) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    struct ntc_object *o = open_pid((pid_t)dwProcessId, -1);
    if (!o)
        return NULL;
    HANDLE h = ntc_handle_alloc(o, bInheritHandle);
    if (!h)
        ntc_object_unref(o);
    return h;
}
