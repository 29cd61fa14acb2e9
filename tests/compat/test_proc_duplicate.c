/* DuplicateHandle into a running child: the value, sent over a pipe, names the object there. */
#include "tcheck.h"
#include "tproc.h"

START_TEST(event_pushed_into_child)
{
    /* The child reads the value from the read end of a pipe it inherits. */
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE r, w;
    ck_assert(CreatePipe(&r, &w, &sa, 0));
    ck_assert(SetHandleInformation(w, HANDLE_FLAG_INHERIT, 0));
    char args[64];
    snprintf(args, sizeof(args), "set-pushed %llu", (unsigned long long)(UINT_PTR)r);
    PROCESS_INFORMATION pi = ntt_spawn("proc_child", args, TRUE);
    ck_assert(CloseHandle(r));

    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL); /* not inheritable: only pushed */
    HANDLE remote = NULL;
    ck_assert(DuplicateHandle(GetCurrentProcess(), ev, pi.hProcess, &remote, 0, FALSE,
                              DUPLICATE_SAME_ACCESS));
    ck_assert_ptr_nonnull(remote);
    char value[32];
    snprintf(value, sizeof(value), "%llu", (unsigned long long)(UINT_PTR)remote);
    DWORD n;
    ck_assert(WriteFile(w, value, (DWORD)strlen(value), &n, NULL));
    ck_assert(CloseHandle(w));

    ck_assert_uint_eq(WaitForSingleObject(ev, NTT_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_uint_eq(ntt_finish(pi), 0);
    ck_assert(CloseHandle(ev));
}
END_TEST

NTT_MAIN(event_pushed_into_child)
