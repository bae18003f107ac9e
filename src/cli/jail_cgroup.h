/* The jailer's cgroup (cli_jail.h): the VM's process in a cgroup of its
 * own, named rvmm-jail-<pid of the rvmm the user started> and made under
 * rvmm's own cgroup (so the limits nest inside whatever already confines
 * rvmm; on v2 its nearest ancestor holding no process), on the host's cgroup v2 (one unified
 * hierarchy) or cgroup v1 (one hierarchy per controller, a directory in each the VM uses), chosen
 * by
 * --cgroup-version or found. It holds the limits --jail-cpu, --jail-mem and
 * Firecracker's --cgroup FILE=VALUE give. Made and written by the outer
 * rvmm before any namespace exists (a bad value is one line and exit
 * status 2 before the guest runs), joined by the VM's process alone (the
 * waiters stay outside), reported on (a memory-limit OOM kill) and removed
 * by the outer rvmm once the jail's processes are gone, through directory
 * descriptors opened before the jail hid the hierarchy. */
#ifndef RVMM_CLI_JAIL_CGROUP_H
#define RVMM_CLI_JAIL_CGROUP_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

struct cli_jail;

#define JAIL_CGROUP_MAX_SETS 16 /* --cgroup FILE=VALUE options */
#define JAIL_CGROUP_MAX_DIRS 8  /* v1 hierarchies one VM may use */

struct jail_cgroup_dir {
    char path[PATH_MAX]; /* the VM's cgroup directory */
    char ctrls[128];     /* v1: the hierarchy's mount options (its controllers) */
    int parent_fd;       /* O_PATH of the parent: the cgroup is removed by name */
    int dir_fd;          /* O_PATH of the cgroup: its counters read after the end */
    int procs_fd;        /* its cgroup.procs, written "0" by the VM's process */
};

struct jail_cgroup {
    int version; /* 1 or 2; 0: no cgroup (no limit asked for) */
    char name[32];
    unsigned ndirs;
    struct jail_cgroup_dir dirs[JAIL_CGROUP_MAX_DIRS];
};

/* Checks one --cgroup FILE=VALUE by its form (FILE is CONTROLLER.NAME, no
 * "..", no slash, not a cgroup.* core file; VALUE one line): 0, or -EINVAL
 * with one line in msg. Whether the controller exists is known only when
 * the hierarchy is (jail_cgroup_setup). */
int jail_cgroup_check_set(const char *arg, char *msg, size_t msglen);

/* Makes the VM's cgroup and writes its limits, outer is rvmm's own pid.
 * No limit asked for: version 0 and nothing made. A failure is one line
 * on stderr, whatever was made removed, and -EINVAL (or another negative
 * errno). */
int jail_cgroup_setup(struct jail_cgroup *cg, const struct cli_jail *j, pid_t outer);

/* In the VM's process, before anything else: moves it into the cgroup and
 * closes every descriptor of cg (none leads out of the jail). 0 or a
 * negative errno (one line on stderr). */
int jail_cgroup_join(struct jail_cgroup *cg);

/* In a process that stays outside (the PID namespace's init): closes cg's
 * descriptors. */
void jail_cgroup_drop(struct jail_cgroup *cg);

/* In the outer rvmm once the jail's processes are gone, status being the
 * exit status they stand for: one line when the kernel's OOM killer ended
 * the VM at the cgroup's memory limit (the limit, failcnt and oom_kill
 * counts), then the cgroup removed. */
void jail_cgroup_finish(struct jail_cgroup *cg, int status);

#endif
