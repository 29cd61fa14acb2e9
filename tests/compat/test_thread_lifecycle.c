/* Threads: exit codes (STILL_ACTIVE while running), waitable handles, ids, CREATE_SUSPENDED. */
#include "tcheck.h"

static HANDLE gate;

static DWORD WINAPI wait_gate(LPVOID arg)
{
    WaitForSingleObject(gate, NTT_WAIT_MS);
    return (DWORD)(UINT_PTR)arg;
}

START_TEST(exit_code_and_still_active)
{
    gate = CreateEventA(NULL, TRUE, FALSE, NULL);
    DWORD tid = 0;
    HANDLE t = CreateThread(NULL, 0, wait_gate, (LPVOID)42, 0, &tid);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_ne(tid, 0);
    ck_assert_uint_ne(tid, GetCurrentThreadId());
    ck_assert_uint_eq(GetThreadId(t), tid);
    DWORD code = 0;
    ck_assert(GetExitCodeThread(t, &code));
    ck_assert_uint_eq(code, STILL_ACTIVE);
    ck_assert_uint_eq(WaitForSingleObject(t, 0), WAIT_TIMEOUT);
    ck_assert(SetEvent(gate));
    ck_assert_uint_eq(WaitForSingleObject(t, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(GetExitCodeThread(t, &code));
    ck_assert_uint_eq(code, 42);
    /* A thread handle stays signalled. */
    ck_assert_uint_eq(WaitForSingleObject(t, 0), WAIT_OBJECT_0);
    ck_assert(CloseHandle(t));
    CloseHandle(gate);
}
END_TEST

static DWORD WINAPI exits(LPVOID arg)
{
    (void)arg;
    ExitThread(1234);
}

START_TEST(exit_thread_code)
{
    HANDLE t = CreateThread(NULL, 0, exits, NULL, 0, NULL);
    ck_assert_uint_eq(WaitForSingleObject(t, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 0;
    ck_assert(GetExitCodeThread(t, &code));
    ck_assert_uint_eq(code, 1234);
    CloseHandle(t);
}
END_TEST

static DWORD WINAPI report_id(LPVOID arg)
{
    *(DWORD *)arg = GetCurrentThreadId();
    return 0;
}

START_TEST(thread_sees_its_own_id)
{
    DWORD seen = 0, tid = 0;
    HANDLE t = CreateThread(NULL, 0, report_id, &seen, 0, &tid);
    ck_assert_uint_eq(WaitForSingleObject(t, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_uint_eq(seen, tid);
    CloseHandle(t);
    ck_assert_ptr_eq(GetCurrentThread(), (HANDLE)(LONG_PTR)-2);
    ck_assert_uint_eq(GetThreadId(GetCurrentThread()), GetCurrentThreadId());
    ck_assert_uint_eq(WaitForSingleObject(GetCurrentThread(), 0), WAIT_TIMEOUT);
}
END_TEST

static volatile LONG ran;

static DWORD WINAPI mark(LPVOID arg)
{
    (void)arg;
    InterlockedExchange(&ran, 1);
    return 5;
}

START_TEST(create_suspended_until_resumed)
{
    ran = 0;
    HANDLE t = CreateThread(NULL, 0, mark, NULL, CREATE_SUSPENDED, NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(WaitForSingleObject(t, 100), WAIT_TIMEOUT);
    ck_assert_int_eq(ran, 0);
    ck_assert_uint_eq(ResumeThread(t), 1);
    ck_assert_uint_eq(WaitForSingleObject(t, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_int_eq(ran, 1);
    ck_assert_uint_eq(ResumeThread(t), 0);
    CloseHandle(t);
}
END_TEST

static HANDLE finished;

static DWORD WINAPI gate_then_finish(LPVOID arg)
{
    (void)arg;
    WaitForSingleObject(gate, NTT_WAIT_MS);
    SetEvent(finished);
    return 0;
}

START_TEST(closing_the_handle_early_is_fine)
{
    gate = CreateEventA(NULL, TRUE, FALSE, NULL);
    finished = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE t = CreateThread(NULL, 0, gate_then_finish, NULL, 0, NULL);
    ck_assert(CloseHandle(t));
    ck_assert(SetEvent(gate));
    ck_assert_uint_eq(WaitForSingleObject(finished, NTT_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(finished);
    Sleep(20); /* let the thread leave before its events go (nothing to wait on: no handle) */
    CloseHandle(gate);
}
END_TEST

NTT_MAIN(exit_code_and_still_active, exit_thread_code, thread_sees_its_own_id,
         create_suspended_until_resumed, closing_the_handle_early_is_fine)
