/* TEMPORARY while compat/ is being written: weak stand-ins for symbols other areas will define. */
#include "ntc.h"

#define PLACEHOLDER_OPS(sym, t)                                                                    \
    static void sym##_destroy(struct ntc_object *o)                                                \
    {                                                                                              \
        (void)o;                                                                                   \
    }                                                                                              \
    __attribute__((weak)) const struct ntc_ops sym = {.type = t, .name = #sym, .destroy = sym##_destroy}

PLACEHOLDER_OPS(ntc_process_ops, NTC_T_PROCESS);
PLACEHOLDER_OPS(ntc_socket_ops, NTC_T_SOCKET);
PLACEHOLDER_OPS(ntc_file_ops, NTC_T_FILE);
PLACEHOLDER_OPS(ntc_mapping_ops, NTC_T_MAPPING);

__attribute__((weak)) struct ntc_object *ntc_process_self(void)
{
    return NULL;
}
__attribute__((weak)) struct ntc_object *ntc_process_by_pid(DWORD pid)
{
    (void)pid;
    SetLastError(ERROR_CALL_NOT_IMPLEMENTED);
    return NULL;
}
__attribute__((weak)) BOOL ntc_process_push_handle(struct ntc_object *target, struct ntc_object *o,
                                                   BOOL inherit, HANDLE *out)
{
    (void)target, (void)o, (void)inherit, (void)out;
    SetLastError(ERROR_CALL_NOT_IMPLEMENTED);
    return FALSE;
}
