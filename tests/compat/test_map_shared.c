/* Mappings across processes: a named mapping opened by a child, an inherited unnamed one. */
#include "tcheck.h"
#include "tproc.h"

START_TEST(named_mapping_between_processes)
{
    char name[64], args[96];
    snprintf(name, sizeof(name), "ntt_map_shared_%lu", (unsigned long)GetCurrentProcessId());
    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, name);
    ck_assert_ptr_nonnull(m);
    char *v = MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    ck_assert_ptr_nonnull(v);
    strcpy(v, "ping");
    snprintf(args, sizeof(args), "map-named %s", name);
    /* The child checks "ping" at 0 and answers "pong" at 64. */
    ck_assert_uint_eq(ntt_finish(ntt_spawn("proc_child", args, FALSE)), 0);
    ck_assert_str_eq(v + 64, "pong");
    ck_assert(UnmapViewOfFile(v));
    ck_assert(CloseHandle(m));
}
END_TEST

START_TEST(inherited_unnamed_mapping)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, &sa, PAGE_READWRITE, 0, 65536, NULL);
    ck_assert_ptr_nonnull(m);
    char *v = MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    ck_assert_ptr_nonnull(v);
    strcpy(v, "ping");
    char args[64];
    snprintf(args, sizeof(args), "map-handle %llu", (unsigned long long)(UINT_PTR)m);
    ck_assert_uint_eq(ntt_finish(ntt_spawn("proc_child", args, TRUE)), 0);
    ck_assert_str_eq(v + 64, "pong");
    ck_assert(UnmapViewOfFile(v));
    ck_assert(CloseHandle(m));
}
END_TEST

NTT_MAIN(named_mapping_between_processes, inherited_unnamed_mapping)
