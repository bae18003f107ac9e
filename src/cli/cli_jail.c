/* rvmm --jail (cli_jail.h): namespaces, the private root, the cgroup and
 * the drop of privileges, in that order, before rvmm starts any thread.
 * The process tree: rvmm (outside, waits and forwards stop signals) ->
 * init of the new PID namespace (waits and forwards) -> the VM, which
 * returns from cli_jail_enter into the jail. Knows the VM only through the
 * paths of its configuration. */
#include "cli/cli_jail.h"

#include "backend/block/blockdev.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CGROUP2_MAGIC 0x63677270

static int jail_fail(const char *what, const char *path, int e)
{
    fprintf(stderr, "rvmm: --jail: %s%s%s: %s\n", what, path ? " " : "", path ? path : "",
            strerror(e));
    return -e;
}

/* A whole number from 1 to max. */
static long jail_number(const char *arg, long max)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    return errno || *end || end == arg || v < 1 || v > max ? -1 : v;
}

int cli_jail_option(struct cli_jail *j, int opt, const char *arg, char *msg, size_t msglen)
{
    long v = 0;
    switch (opt) {
    case CLI_JAIL_OPT_DIR: j->dir = arg; return 0;
    case CLI_JAIL_OPT_NETNS: j->netns = true; return 0;
    case CLI_JAIL_OPT_UID:
    case CLI_JAIL_OPT_GID:
        if ((v = jail_number(arg, 0x7fffffffL)) < 0) break;
        *(opt == CLI_JAIL_OPT_UID ? &j->uid : &j->gid) = v;
        return 0;
    case CLI_JAIL_OPT_CPU:
        if ((v = jail_number(arg, 100000)) < 0) break;
        j->cpu_pct = (unsigned long)v;
        return 0;
    case CLI_JAIL_OPT_MEM:
        if ((v = jail_number(arg, 1L << 30)) < 0) break;
        j->mem_mib = (unsigned long)v;
        return 0;
    default: break;
    }
    snprintf(msg, msglen, "bad value '%.64s' for a --jail option (a whole number, not 0)", arg);
    return -EINVAL;
}

int cli_jail_check(const struct cli_jail *j, char *msg, size_t msglen)
{
    if (!j->dir) {
        if (j->uid >= 0 || j->gid >= 0 || j->netns || j->cpu_pct || j->mem_mib) {
            snprintf(msg, msglen, "--uid, --gid and --jail-* go with --jail DIR");
            return -EINVAL;
        }
        return 0;
    }
    struct stat st;
    if (j->dir[0] != '/' || stat(j->dir, &st) || !S_ISDIR(st.st_mode)) {
        snprintf(msg, msglen, "--jail %.200s: must be an existing directory, given absolute",
                 j->dir);
        return -EINVAL;
    }
    if (j->uid <= 0 || j->gid <= 0) {
        snprintf(msg, msglen, "--jail needs --uid U and --gid G, neither 0 (root)");
        return -EINVAL;
    }
    return 0;
}

/* mkdir -p, every component 0755. */
static int mkdirs(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) return -ENAMETOOLONG;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0755) && errno != EEXIST) return -errno;
        *p = '/';
    }
    if (mkdir(buf, 0755) && errno != EEXIST) return -errno;
    return 0;
}

/* Bind-mounts host path src at the same absolute path (relative ones
 * taken from cwd) under root; read-only on request. */
static int bind_into(const char *root, const char *cwd, const char *src, bool rdonly)
{
    char abs[PATH_MAX], dst[2 * PATH_MAX + 2];
    if (src[0] == '/')
        snprintf(abs, sizeof(abs), "%s", src);
    else
        snprintf(abs, sizeof(abs), "%s/%s", cwd, src);
    struct stat st;
    if (stat(abs, &st)) return jail_fail("cannot find", abs, errno);
    snprintf(dst, sizeof(dst), "%s%s", root, abs);
    char *slash = strrchr(dst, '/');
    *slash = '\0';
    int rc = mkdirs(dst);
    *slash = '/';
    if (rc) return jail_fail("cannot make a directory for", abs, -rc);
    if (S_ISDIR(st.st_mode)) {
        if ((rc = mkdirs(dst))) return jail_fail("cannot make", dst, -rc);
    } else {
        int fd = open(dst, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
        if (fd < 0) return jail_fail("cannot make", dst, errno);
        close(fd);
    }
    if (mount(abs, dst, NULL, MS_BIND, NULL)) return jail_fail("cannot bind", abs, errno);
    unsigned long ro = rdonly ? MS_RDONLY : 0;
    /* Device nodes keep working through their own bind; nothing else in
     * the jail may be one or run set-uid. */
    unsigned long dev = S_ISCHR(st.st_mode) ? 0 : MS_NODEV;
    if (mount(NULL, dst, NULL, MS_BIND | MS_REMOUNT | MS_NOSUID | dev | ro, NULL))
        return jail_fail("cannot restrict", abs, errno);
    return 0;
}

struct jail_binds {
    const char *root, *cwd;
    int rc;
};

static void bind_backing(void *opaque, const char *path)
{
    struct jail_binds *b = opaque;
    if (!b->rc) b->rc = bind_into(b->root, b->cwd, path, true);
}

/* A drive's qcow2 backing chain, read-only at the paths the VM will open
 * them by: the overlay alone would not boot in the jail. Found by opening
 * the chain as the VM will (every check of a real open), before the jail
 * hides the files. */
static int bind_backing_chain(const char *root, const char *cwd, const struct vm_drive *d)
{
    struct jail_binds b = {root, cwd, 0};
    char err[1024];
    int rc = blockdev_backing_files(d->path, (enum blockdev_format)d->format,
                                    d->backing_dir[0] ? d->backing_dir : NULL, bind_backing, &b,
                                    err, sizeof(err));
    if (rc) {
        fprintf(stderr, "rvmm: %s\n", err);
        return rc;
    }
    return b.rc;
}

/* Waits for child, passing on stop signals (blocked in the caller), and
 * returns the exit status the child's end stands for. */
static int wait_forwarding(pid_t child, const sigset_t *set)
{
    for (;;) {
        siginfo_t si;
        if (sigwaitinfo(set, &si) < 0) continue;
        if (si.si_signo != SIGCHLD) {
            kill(child, si.si_signo);
            continue;
        }
        int status;
        pid_t p;
        while ((p = waitpid(-1, &status, WNOHANG)) > 0)
            if (p == child) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
}

/* The VM's cgroup, named by the pid of the rvmm the user started (the
 * VM's own pid is 2 in every jail's PID namespace). */
static void jail_cgroup_dir(char *dir, size_t len, pid_t outer)
{
    snprintf(dir, len, "/sys/fs/cgroup/rvmm-jail-%d", (int)outer);
}

/* Writes val to path; warns (and goes on) when it cannot. */
static void jail_cgroup_write(const char *path, const char *val)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, val, strlen(val)) < 0) jail_fail("cannot write", path, errno);
    if (fd >= 0) close(fd);
}

/* cgroup v2 limits, when the host has a writable unified hierarchy: the
 * parent must hand the cpu and memory controllers down (subtree_control)
 * before a child has cpu.max and memory.max; a controller it cannot hand
 * down is a warning, as is a host without cgroup v2. */
static void jail_cgroup(const struct cli_jail *j, pid_t outer)
{
    struct statfs fs;
    if (!j->cpu_pct && !j->mem_mib) return;
    if (statfs("/sys/fs/cgroup", &fs) || fs.f_type != CGROUP2_MAGIC ||
        access("/sys/fs/cgroup", W_OK)) {
        fprintf(stderr, "rvmm: --jail: /sys/fs/cgroup is not a writable cgroup v2: no CPU or "
                        "memory limit set\n");
        return;
    }
    char dir[128], path[192], val[64];
    if (j->cpu_pct) jail_cgroup_write("/sys/fs/cgroup/cgroup.subtree_control", "+cpu");
    if (j->mem_mib) jail_cgroup_write("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
    jail_cgroup_dir(dir, sizeof(dir), outer);
    if (mkdir(dir, 0755) && errno != EEXIST) {
        jail_fail("cannot make", dir, errno);
        return;
    }
    struct {
        const char *file;
        bool on;
    } w[] = {{"cpu.max", j->cpu_pct != 0}, {"memory.max", j->mem_mib != 0}, {"cgroup.procs", 1}};
    for (unsigned k = 0; k < 3; k++) {
        if (!w[k].on) continue;
        if (k == 0) snprintf(val, sizeof(val), "%lu 100000", j->cpu_pct * 1000);
        if (k == 1) snprintf(val, sizeof(val), "%lu", j->mem_mib << 20);
        if (k == 2) snprintf(val, sizeof(val), "%d", (int)getpid());
        snprintf(path, sizeof(path), "%s/%s", dir, w[k].file);
        jail_cgroup_write(path, val);
    }
}

/* Outside, once the jail's processes are gone: the cgroup goes too.
 * Through cgfd, /sys/fs/cgroup opened before the jail was built: the
 * outer process shares the jail's mount namespace, so pivot_root moved
 * its root into the jail as well. */
static void jail_cgroup_remove(int cgfd, pid_t outer)
{
    char dir[128];
    if (cgfd < 0) return;
    jail_cgroup_dir(dir, sizeof(dir), outer);
    if (unlinkat(cgfd, strrchr(dir, '/') + 1, AT_REMOVEDIR) && errno != ENOENT)
        jail_fail("cannot remove", dir, errno);
    close(cgfd);
}

/* In the VM's process: the private root, then the drop of privileges. */
static int jail_build(const struct cli_jail *j, const struct vm_config *cfg, const char *api_sock,
                      const char *const *more, pid_t outer)
{
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof(cwd)))
        return jail_fail("cannot read the working directory", NULL, errno);
    const char *root = j->dir;
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
        return jail_fail("cannot make the mounts private", NULL, errno);
    if (mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m"))
        return jail_fail("cannot mount a tmpfs on", root, errno);
    int rc = 0;
    const char *ro[] = {cfg->board.kernel, cfg->board.initrd, cfg->board.bios};
    for (unsigned k = 0; k < 3 && !rc; k++)
        if (ro[k]) rc = bind_into(root, cwd, ro[k], true);
    for (unsigned k = 0; k < cfg->ndrives && !rc; k++) {
        rc = bind_into(root, cwd, cfg->drives[k].path, cfg->drives[k].readonly);
        if (!rc) rc = bind_backing_chain(root, cwd, &cfg->drives[k]);
    }
    for (unsigned k = 0; more && more[k] && !rc; k++)
        rc = bind_into(root, cwd, more[k], true);
    bool tap = false, user = false;
    for (unsigned k = 0; k < cfg->nnets; k++) {
        tap |= strncmp(cfg->nets[k].spec, "tap", 3) == 0;
        user |= strncmp(cfg->nets[k].spec, "user", 4) == 0;
    }
    if (!rc && user && access("/etc/resolv.conf", R_OK) == 0)
        rc = bind_into(root, cwd, "/etc/resolv.conf", true);
    if (!rc && api_sock) {
        char d[PATH_MAX];
        snprintf(d, sizeof(d), "%s", api_sock);
        char *slash = strrchr(d, '/');
        if (slash == d)
            rc = jail_fail("the API socket must not be in /", NULL, EINVAL);
        else if (slash)
            *slash = '\0';
        if (!rc) rc = bind_into(root, cwd, slash ? d : ".", false);
    }
    static const char *const devs[] = {"/dev/null", "/dev/zero", "/dev/random", "/dev/urandom"};
    for (unsigned k = 0; k < 4 && !rc; k++)
        rc = bind_into(root, cwd, devs[k], false);
    if (!rc && tap) rc = bind_into(root, cwd, "/dev/net/tun", false);
    if (rc) return rc;
    char p[PATH_MAX + 16];
    snprintf(p, sizeof(p), "%s%s", root, cwd);
    if ((rc = mkdirs(p))) return jail_fail("cannot make", p, -rc);
    snprintf(p, sizeof(p), "%s/proc", root);
    if (mkdirs(p) || mount("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
        return jail_fail("cannot mount /proc in", root, errno);
    jail_cgroup(j, outer);
    snprintf(p, sizeof(p), "%s/.old-root", root);
    if (mkdirs(p) || syscall(SYS_pivot_root, root, p))
        return jail_fail("cannot make the jail the root:", root, errno);
    if (chdir("/") || umount2("/.old-root", MNT_DETACH) || rmdir("/.old-root"))
        return jail_fail("cannot leave the old root", NULL, errno);
    /* The tmpfs itself is read-only from now on: only the binds write. */
    mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL);
    if (chdir(cwd)) return jail_fail("cannot enter", cwd, errno);
    /* Privileges last: no capability survives into the guest's run. */
    for (int cap = 0; cap < 64; cap++)
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno == EINVAL) break;
    gid_t g = (gid_t)j->gid;
    uid_t u = (uid_t)j->uid;
    if (setgroups(0, NULL) || setresgid(g, g, g) || setresuid(u, u, u))
        return jail_fail("cannot become the given --uid/--gid", NULL, errno);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) return jail_fail("no_new_privs", NULL, errno);
    return 0;
}

int cli_jail_enter(const struct cli_jail *j, const struct vm_config *cfg, const char *api_sock,
                   const char *const *more, int *exit_status)
{
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, &old);
    pid_t outer = getpid();
    int cgfd =
        j->cpu_pct || j->mem_mib ? open("/sys/fs/cgroup", O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
    int flags = CLONE_NEWNS | CLONE_NEWPID | (j->netns ? CLONE_NEWNET : 0);
    pid_t init = unshare(flags) ? -1 : fork();
    if (init < 0) {
        int e = errno;
        if (cgfd >= 0) close(cgfd);
        return jail_fail("cannot make new namespaces or fork", NULL, e);
    }
    if (init > 0) { /* outside: rvmm's own pid, as the user started it */
        *exit_status = wait_forwarding(init, &set);
        jail_cgroup_remove(cgfd, outer); /* init's end took every process of the jail */
        return 1;
    }
    if (cgfd >= 0) close(cgfd); /* no way out of the jail through it */
    pid_t vm = fork();          /* init of the namespace forks the VM's process */
    if (vm < 0) _exit(jail_fail("fork", NULL, errno) ? 70 : 70);
    if (vm > 0) _exit(wait_forwarding(vm, &set));
    sigprocmask(SIG_SETMASK, &old, NULL);
    int rc = jail_build(j, cfg, api_sock, more, outer);
    if (rc) return rc;
    *exit_status = 0;
    return 0;
}
