/* Console control handlers: SetConsoleCtrlHandler over SIGINT (CTRL_C_EVENT) and SIGTERM
 * (CTRL_CLOSE_EVENT). */
#include "ntc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <unistd.h>

/*
 * A signal handler may only do async-signal-safe work: it writes the signal number to a pipe. A
 * dispatcher thread reads it and, as Windows does, runs the handlers on a new thread, the most
 * recently added first, until one returns TRUE; when none does, the default action ends the
 * process (here: the signal's own default action, so a parent sees the usual status)
 * [HandlerRoutine; SetConsoleCtrlHandler].
 */

#define MAX_HANDLERS 64

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static PHANDLER_ROUTINE handlers[MAX_HANDLERS];
static int n_handlers;
static bool ignore_ctrl_c;
static bool installed;
static int sigpipe[2] = {-1, -1};

static void on_signal(int sig)
{
    int saved = errno;
    unsigned char b = (unsigned char)sig;
    ssize_t r = write(sigpipe[1], &b, 1);
    (void)r;
    errno = saved;
}

static DWORD ctrl_type(int sig)
{
    return sig == SIGINT ? CTRL_C_EVENT : CTRL_CLOSE_EVENT;
}

static DWORD WINAPI run_handlers(LPVOID arg)
{
    int sig = (int)(intptr_t)arg;
    PHANDLER_ROUTINE list[MAX_HANDLERS];
    pthread_mutex_lock(&lock);
    int n = n_handlers;
    for (int i = 0; i < n; i++)
        list[i] = handlers[i];
    bool ignored = sig == SIGINT && ignore_ctrl_c;
    pthread_mutex_unlock(&lock);
    if (ignored)
        return 0;
    for (int i = n - 1; i >= 0; i--)
        if (list[i](ctrl_type(sig)))
            return 0;
    /* The default handler: end the process as the signal would have. */
    struct sigaction sa = {0};
    sa.sa_handler = SIG_DFL;
    sigaction(sig, &sa, NULL);
    kill(getpid(), sig);
    return 0;
}

static void *dispatcher(void *arg)
{
    (void)arg;
    for (;;) {
        unsigned char b;
        ssize_t r = read(sigpipe[0], &b, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return NULL;
        HANDLE t = CreateThread(NULL, 0, run_handlers, (LPVOID)(intptr_t)b, 0, NULL);
        if (t)
            CloseHandle(t);
    }
}

/* Under lock: the pipe, the dispatcher and the signal handlers, once. */
static bool install_locked(void)
{
    if (installed)
        return true;
    if (pipe2(sigpipe, O_CLOEXEC) != 0)
        return false;
    fcntl(sigpipe[1], F_SETFL, O_NONBLOCK);
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&t, &attr, dispatcher, NULL);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        close(sigpipe[0]);
        close(sigpipe[1]);
        sigpipe[0] = sigpipe[1] = -1;
        return false;
    }
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (!ignore_ctrl_c)
        sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    installed = true;
    return true;
}

/* SIGINT follows the ignore flag, which children inherit as on Windows (SIG_IGN survives exec). */
static void apply_ctrl_c_locked(void)
{
    struct sigaction sa = {0};
    sigemptyset(&sa.sa_mask);
    if (ignore_ctrl_c)
        sa.sa_handler = SIG_IGN;
    else if (installed)
        sa.sa_handler = on_signal, sa.sa_flags = SA_RESTART;
    else
        sa.sa_handler = SIG_DFL;
    sigaction(SIGINT, &sa, NULL);
}

BOOL WINAPI SetConsoleCtrlHandler(PHANDLER_ROUTINE HandlerRoutine, BOOL Add)
{
    DWORD err = ERROR_SUCCESS;
    pthread_mutex_lock(&lock);
    if (!HandlerRoutine) {
        ignore_ctrl_c = Add != FALSE;
        apply_ctrl_c_locked();
    } else if (Add) {
        if (n_handlers == MAX_HANDLERS)
            err = ERROR_NOT_ENOUGH_MEMORY;
        else if (!install_locked())
            err = ntc_win32_from_errno(errno);
        else
            handlers[n_handlers++] = HandlerRoutine;
    } else {
        /* Remove the most recent registration of it; none: ERROR_INVALID_PARAMETER. */
        int i = n_handlers - 1;
        while (i >= 0 && handlers[i] != HandlerRoutine)
            i--;
        if (i < 0) {
            err = ERROR_INVALID_PARAMETER;
        } else {
            for (; i + 1 < n_handlers; i++)
                handlers[i] = handlers[i + 1];
            n_handlers--;
        }
    }
    pthread_mutex_unlock(&lock);
    if (err != ERROR_SUCCESS) {
        SetLastError(err);
        return FALSE;
    }
    return TRUE;
}
