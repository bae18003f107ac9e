/* Seccomp in a build whose allow-lists do not cover the host's system call
 * numbers (the riscv64 build: seccomp.c names x86-64 calls). --seccomp on
 * fails with "Operation not supported" rather than running unconfined, and
 * it is off by default. Compiled only when RVMM_NO_SECCOMP is defined
 * (mk/riscv64.mk), in place of seccomp.c. */
#include "vmm/seccomp.h"

#include <errno.h>

#if defined(RVMM_NO_SECCOMP)
int seccomp_confine_process(const struct seccomp_filters *f)
{
    (void)f; /* --seccomp-filter fails here too */
    return -ENOTSUP;
}

int seccomp_confine_thread(enum seccomp_kind kind, const struct seccomp_filters *f)
{
    (void)kind;
    (void)f;
    return 0; /* the process is never confined */
}

void seccomp_selftest_vcpu(void) {}

bool seccomp_default_on(void)
{
    return false;
}

bool seccomp_active(void)
{
    return false;
}
#endif
