/* Seccomp confinement, as Firecracker's: an allow-list of system calls per
 * thread kind, installed once setup is done (every file and socket the VM
 * starts with is open). A call outside the list stops the process with one
 * line on stderr naming the call ("rvmm: seccomp: ..."), exit status 159
 * (128 + SIGSYS, as a shell reports a process killed by SIGSYS).
 *
 * The main/API filter is put on every thread that exists (TSYNC) and is
 * inherited by every thread made later; the I/O loop and each vCPU then
 * stack their narrower list on top of it. */
#ifndef RVMM_VMM_SECCOMP_H
#define RVMM_VMM_SECCOMP_H

#include <stdbool.h>

enum seccomp_kind {
    SECCOMP_KIND_MAIN, /* the main thread, the API thread, gdb and migration */
    SECCOMP_KIND_IO,   /* the I/O loop: virtio queues, disks, NAT sockets */
    SECCOMP_KIND_VCPU, /* a vCPU: runs guest code, touches open fds only */
};

/* Exit status of a process stopped by its filter. */
#define SECCOMP_EXIT_STATUS 159

/* Confines every thread of the process with the main list and arms the
 * SIGSYS reporter; a no-op if the process is confined already. */
int seccomp_confine_process(void);

/* Stacks the list of kind on the calling thread, if the process is
 * confined (so a VM run with --seccomp off stays unconfined). */
int seccomp_confine_thread(enum seccomp_kind kind);

struct seccomp_filters;

/* Installs f's programs (--seccomp-filter FILE, seccomp_file.h) instead of
 * rvmm's own lists: f's "api" program where the main list goes (every
 * thread, TSYNC), "vmm" stacked on the I/O loop, "vcpu" on each vCPU.
 * Call before seccomp_confine_process; f must outlive the process. */
void seccomp_use_filters(const struct seccomp_filters *f);

/* Test build only (RVMM_SECCOMP_SELFTEST=1): a forbidden call from a vCPU. */
void seccomp_selftest_vcpu(void);

/* Whether --seccomp is on when not given. */
bool seccomp_default_on(void);

/* Whether the calling thread runs under a filter. */
bool seccomp_active(void);

#endif
