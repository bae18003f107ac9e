/* --seccomp-filter FILE: Firecracker's compiled filters in place of rvmm's
 * own allow-lists (src/vmm/seccomp_file.h says the format and mapping). */
#ifndef RVMM_CLI_OPT_SECCOMP_H
#define RVMM_CLI_OPT_SECCOMP_H

#include <stddef.h>

/* Loads path and hands its programs to seccomp.c for the whole process.
 * 0, or a negative errno with one line (no "rvmm: ") in msg. */
int cli_seccomp_filter(const char *path, char *msg, size_t msglen);

#endif
