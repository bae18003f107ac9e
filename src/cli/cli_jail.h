/* The jailer: `rvmm --jail DIR --uid U --gid G [--jail-netns]`, Firecracker's
 * jailer folded into rvmm. Before any thread exists, rvmm moves into new
 * mount and PID namespaces (and a new network namespace on request), makes
 * DIR (a fresh tmpfs mounted there) its root holding only what the VM
 * names, bind-mounted at the same absolute paths (kernel, initrd, firmware
 * and restore files read-only, drives read-write or read-only as given, the
 * API socket's directory, /etc/resolv.conf for user-mode NAT), the device
 * nodes it needs (null, zero, random, urandom, net/tun for a tap) and a
 * /proc of its own, puts itself into a cgroup (v1 or v2, jail_cgroup.h)
 * with the CPU and memory limits given, then becomes uid U /
 * gid G with no supplementary groups, no capabilities and no_new_privs
 * before any guest code runs. Paths mean the same inside and outside, so
 * nothing else changes; the API socket is at the path given (its directory
 * is shared with the host). */
#ifndef RVMM_CLI_CLI_JAIL_H
#define RVMM_CLI_CLI_JAIL_H

#include "cli/jail_cgroup.h"
#include "vmm/vm.h"

#include <stdbool.h>
#include <sys/types.h>

struct cli_jail {
    const char *dir;       /* NULL: no jail */
    long uid, gid;         /* -1 until given */
    bool netns;            /* --jail-netns: a new, empty network namespace */
    unsigned long cpu_pct; /* --jail-cpu PCT of one CPU (the cgroup's quota), 0: none */
    unsigned long mem_mib; /* --jail-mem MIB (the cgroup's memory limit), 0: none */
    int cgroup_version;    /* --cgroup-version 1 or 2; 0: the host's */
    unsigned ncgroup_sets;
    const char *cgroup_sets[JAIL_CGROUP_MAX_SETS]; /* --cgroup FILE=VALUE, checked by form */
};

#define CLI_JAIL_INIT                                                                              \
    {                                                                                              \
        .uid = -1, .gid = -1                                                                       \
    }
enum {
    CLI_JAIL_OPT_FIRST = 0x200,
    CLI_JAIL_OPT_DIR = CLI_JAIL_OPT_FIRST,
    CLI_JAIL_OPT_UID,
    CLI_JAIL_OPT_GID,
    CLI_JAIL_OPT_NETNS,
    CLI_JAIL_OPT_CPU,
    CLI_JAIL_OPT_MEM,
    CLI_JAIL_OPT_CGVER,
    CLI_JAIL_OPT_CGSET,
    CLI_JAIL_OPT_LAST = CLI_JAIL_OPT_CGSET
};
/* Entries for main's getopt_long table. */
#define CLI_JAIL_LONG_OPTIONS                                                                      \
    {"jail", required_argument, NULL, CLI_JAIL_OPT_DIR},                                           \
        {"uid", required_argument, NULL, CLI_JAIL_OPT_UID},                                        \
        {"gid", required_argument, NULL, CLI_JAIL_OPT_GID},                                        \
        {"jail-netns", no_argument, NULL, CLI_JAIL_OPT_NETNS},                                     \
        {"jail-cpu", required_argument, NULL, CLI_JAIL_OPT_CPU},                                   \
        {"cgroup-version", required_argument, NULL, CLI_JAIL_OPT_CGVER},                           \
        {"cgroup", required_argument, NULL, CLI_JAIL_OPT_CGSET},                                   \
    {                                                                                              \
        "jail-mem", required_argument, NULL, CLI_JAIL_OPT_MEM                                      \
    }

/* One of the options above: 0, or -EINVAL with one line in msg. */
int cli_jail_option(struct cli_jail *j, int opt, const char *arg, char *msg, size_t msglen);

/* Checks the options (one line in msg): 0 or -EINVAL. */
int cli_jail_check(const struct cli_jail *j, char *msg, size_t msglen);

/* Enters the jail with cfg's files and the API socket path (may be NULL),
 * restore/mem files (may be NULL). In the calling process only the VM's
 * side returns, with 0; the processes left outside wait for it and exit
 * with its status (so *exit_status is set and 1 returned to them). A
 * failure is one line on stderr and a negative errno. */
int cli_jail_enter(const struct cli_jail *j, const struct vm_config *cfg, const char *api_sock,
                   const char *const *more, int *exit_status);

#endif
