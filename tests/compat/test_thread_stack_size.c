/* CreateThread honours dwStackSize: a 4 MiB thread can use ~3 MiB of stack. */
#include "tcheck.h"

/* Touch about `kib` KiB of stack through recursion that the compiler cannot flatten. */
static DWORD deep(volatile char *prev, DWORD kib)
{
    volatile char frame[1024];
    frame[0] = (char)kib;
    frame[1023] = prev ? prev[0] : 0;
    if (kib == 0)
        return frame[0] + frame[1023];
    return deep(frame, kib - 1) + (frame[0] == 0);
}

static DWORD WINAPI big_user(LPVOID arg)
{
    (void)arg;
    deep(NULL, 3 * 1024);
    return 77;
}

static void run(SIZE_T size, DWORD flags)
{
    HANDLE t = CreateThread(NULL, size, big_user, NULL, flags, NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(WaitForSingleObject(t, NTT_WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 0;
    ck_assert(GetExitCodeThread(t, &code));
    ck_assert_uint_eq(code, 77);
    CloseHandle(t);
}

START_TEST(four_mib_commit)
{
    run(4 * 1024 * 1024, 0);
}
END_TEST

START_TEST(four_mib_reservation)
{
    run(4 * 1024 * 1024, STACK_SIZE_PARAM_IS_A_RESERVATION);
}
END_TEST

static DWORD WINAPI small(LPVOID arg)
{
    (void)arg;
    return 3;
}

START_TEST(tiny_size_is_rounded_up)
{
    HANDLE t = CreateThread(NULL, 1, small, NULL, 0, NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(WaitForSingleObject(t, NTT_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(t);
}
END_TEST

NTT_MAIN(four_mib_commit, four_mib_reservation, tiny_size_is_rounded_up)
