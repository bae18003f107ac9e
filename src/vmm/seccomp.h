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

struct seccomp_filters;

/* The programs come from f (--seccomp-filter FILE, seccomp_file.h) when it
 * is not NULL, else from rvmm's own lists: f's "api" program where the main
 * list goes (every thread, TSYNC), "vmm" stacked on the I/O loop, "vcpu" on
 * each vCPU. Whoever starts a thread hands it the same f (the VM keeps it:
 * vm_set_seccomp), so nothing here is process-wide but the kernel's own
 * state; f must outlive every thread confined with it. */

/* Confines every thread of the process with the main list and arms the
 * SIGSYS reporter; a no-op if the process is confined already. */
int seccomp_confine_process(const struct seccomp_filters *f);

/* Stacks the list of kind on the calling thread, if the process is
 * confined (so a VM run with --seccomp off stays unconfined). */
int seccomp_confine_thread(enum seccomp_kind kind, const struct seccomp_filters *f);

/* Test build only (RVMM_SECCOMP_SELFTEST=1): a forbidden call from a vCPU. */
void seccomp_selftest_vcpu(void);

/* Whether --seccomp is on when not given. */
bool seccomp_default_on(void);

/* Whether the calling thread runs under a filter. */
bool seccomp_active(void);

#endif
