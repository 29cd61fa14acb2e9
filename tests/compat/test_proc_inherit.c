/* CreateProcess(bInheritHandles): inheritable handles keep their values in the child; others don't.
 */
#include "tcheck.h"
#include "tproc.h"

START_TEST(inherited_event_is_usable_at_its_value)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE ev = CreateEventA(&sa, TRUE, FALSE, NULL);
    ck_assert_ptr_nonnull(ev);
    char args[64];
    snprintf(args, sizeof(args), "set-event %llu", (unsigned long long)(UINT_PTR)ev);
    ck_assert_uint_eq(ntt_finish(ntt_spawn("proc_child", args, TRUE)), 0);
    ck_assert_uint_eq(WaitForSingleObject(ev, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(CloseHandle(ev));
}
END_TEST

START_TEST(non_inheritable_handle_is_not_passed)
{
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    char args[64];
    snprintf(args, sizeof(args), "check-invalid %llu", (unsigned long long)(UINT_PTR)ev);
    ck_assert_uint_eq(ntt_finish(ntt_spawn("proc_child", args, TRUE)), 0);
    ck_assert_uint_eq(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    ck_assert(CloseHandle(ev));
}
END_TEST

START_TEST(nothing_is_passed_without_inherit)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE ev = CreateEventA(&sa, TRUE, FALSE, NULL);
    char args[64];
    snprintf(args, sizeof(args), "check-invalid %llu", (unsigned long long)(UINT_PTR)ev);
    ck_assert_uint_eq(ntt_finish(ntt_spawn("proc_child", args, FALSE)), 0);
    ck_assert(CloseHandle(ev));
}
END_TEST

START_TEST(inherited_pipe_carries_data)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE r, w;
    ck_assert(CreatePipe(&r, &w, &sa, 0));
    ck_assert(SetHandleInformation(r, HANDLE_FLAG_INHERIT, 0));
    char args[64];
    snprintf(args, sizeof(args), "write-handle %llu inherited", (unsigned long long)(UINT_PTR)w);
    ck_assert_uint_eq(ntt_finish(ntt_spawn("proc_child", args, TRUE)), 0);
    ck_assert(CloseHandle(w));
    char buf[64] = {0};
    DWORD n = 0, total = 0;
    while (ReadFile(r, buf + total, sizeof(buf) - 1 - total, &n, NULL) && n > 0)
        total += n;
    ck_assert_str_eq(buf, "inherited");
    ck_assert(CloseHandle(r));
}
END_TEST

NTT_MAIN(inherited_event_is_usable_at_its_value, non_inheritable_handle_is_not_passed,
         nothing_is_passed_without_inherit, inherited_pipe_carries_data)
