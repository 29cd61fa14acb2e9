/* The MPM compiled into ntmpm: meson generates mpm_builtin.c from -Dmpm and -Dmpms_shared. */
#ifndef NTMPM_MPM_BUILTIN_H
#define NTMPM_MPM_BUILTIN_H

#include "mpm.h"

/* The compiled-in MPM, or NULL when it is a loadable module (mpms_shared): LoadModule names it. */
const struct mpm_module *mpm_builtin(void);

#endif
