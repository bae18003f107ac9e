/* --seccomp, --no-seccomp and --seccomp-filter FILE (see opt_seccomp.h).
 * The file is read while the options are parsed, before a jail or any
 * thread, so a bad file is a usage error and the path is resolved where
 * the user gave it. */
#include "cli/opt_seccomp.h"

#include <stdio.h>
#include <string.h>

#include "vmm/seccomp.h"
#include "vmm/seccomp_file.h"
#include "vmm/vm.h"

int cli_seccomp_filter(struct cli_confine *c, const char *path, char *msg, size_t msglen)
{
    char why[384];
    int rc = seccomp_file_load(path, &c->filters, why, sizeof(why));
    if (rc) snprintf(msg, msglen, "--seccomp-filter: %s", why);
    return rc;
}

/* The process is confined once (seccomp_confine_process is a no-op after
 * that); every VM run later still needs the programs for its threads. */
int cli_confine(const struct cli_confine *c, struct vm *vm)
{
    if (!c->on) return 0;
    int rc = seccomp_confine_process(c->filters);
    if (rc) {
        fprintf(stderr, "rvmm: cannot install the seccomp filter: %s\n", strerror(-rc));
        return 1; /* main.c's EXIT_INTERNAL: not the user's fault */
    }
    if (vm) vm_set_seccomp(vm, c->filters);
    return 0;
}
