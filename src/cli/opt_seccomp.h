/* --seccomp on|off, --no-seccomp and --seccomp-filter FILE: whether every
 * thread is confined once the VM is set up, and with which programs
 * (Firecracker's compiled filters in place of rvmm's own allow-lists;
 * src/vmm/seccomp_file.h says the format and mapping). */
#ifndef RVMM_CLI_OPT_SECCOMP_H
#define RVMM_CLI_OPT_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>

struct seccomp_filters;
struct vm;

/* What the options asked for; main() owns it, the run paths read it. */
struct cli_confine {
    bool on;
    struct seccomp_filters *filters; /* --seccomp-filter's, or NULL; kept for the process's life */
};

/* Loads path's programs into c->filters. 0, or a negative errno with one
 * line (no "rvmm: ") in msg. */
int cli_seccomp_filter(struct cli_confine *c, const char *path, char *msg, size_t msglen);

/* With c->on: confines every thread of the process (vmm/seccomp.h) and, if
 * vm is not NULL, hands it the programs its I/O loop and vCPUs stack on
 * top. 0, or the exit status for the error (its line printed). */
int cli_confine(const struct cli_confine *c, struct vm *vm);

#endif
