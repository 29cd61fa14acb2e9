/* TEMPORARY while compat/ is being written: weak stand-ins for symbols other areas will define. */
#include "ntc.h"

#define PLACEHOLDER_OPS(sym, t)                                                                    \
    static void sym##_destroy(struct ntc_object *o)                                                \
    {                                                                                              \
        (void)o;                                                                                   \
    }                                                                                              \
    __attribute__((weak)) const struct ntc_ops sym = {.type = t, .name = #sym, .destroy = sym##_destroy}

PLACEHOLDER_OPS(ntc_mapping_ops, NTC_T_MAPPING);

