/* rvmm --jail (cli_jail.h): the cgroup (made by jail_cgroup.c, joined by
 * the VM's process alone), namespaces, the private root and the drop of
 * privileges, in that order, before rvmm starts any thread.
 * The process tree: rvmm (outside, waits and forwards stop signals) ->
 * init of the new PID namespace (waits and forwards) -> the VM, which
 * returns from cli_jail_enter into the jail. Knows the VM only through the
 * paths of its configuration. */
#include "cli/cli_jail.h"

#include "backend/block/blockdev.h"
#include "cli/jail_cgroup.h"

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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

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
    case CLI_JAIL_OPT_CGVER:
        if (strcmp(arg, "1") && strcmp(arg, "2")) {
            snprintf(msg, msglen, "--cgroup-version '%.16s': 1 or 2", arg);
            return -EINVAL;
        }
        j->cgroup_version = arg[0] - '0';
        return 0;
    case CLI_JAIL_OPT_CGSET:
        if (j->ncgroup_sets == JAIL_CGROUP_MAX_SETS) {
            snprintf(msg, msglen, "at most %d --cgroup options", JAIL_CGROUP_MAX_SETS);
            return -EINVAL;
        }
        if (jail_cgroup_check_set(arg, msg, msglen)) return -EINVAL;
        j->cgroup_sets[j->ncgroup_sets++] = arg;
        return 0;
    default: break;
    }
    snprintf(msg, msglen, "bad value '%.64s' for a --jail option (a whole number, not 0)", arg);
    return -EINVAL;
}

int cli_jail_check(const struct cli_jail *j, char *msg, size_t msglen)
{
    if (!j->dir) {
        if (j->uid >= 0 || j->gid >= 0 || j->netns || j->cpu_pct || j->mem_mib ||
            j->cgroup_version || j->ncgroup_sets) {
            snprintf(msg, msglen, "--uid, --gid, --jail-* and --cgroup* go with --jail DIR");
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

/* In the VM's process: the private root, then the drop of privileges. */
static int jail_build(const struct cli_jail *j, const struct vm_config *cfg, const char *api_sock,
                      const char *const *more)
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
    /* The cgroup first, while the hierarchy is in view and nothing runs:
     * a limit the kernel refuses is one line before any namespace. */
    struct jail_cgroup cg;
    int rc = jail_cgroup_setup(&cg, j, getpid());
    if (rc) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        return rc;
    }
    /* Its write end open in rvmm's own process alone: init reads EOF once
     * that process is gone (see below). */
    int alive[2];
    if (pipe2(alive, O_CLOEXEC | O_NONBLOCK)) {
        int e = errno;
        jail_cgroup_finish(&cg, 0);
        return jail_fail("pipe", NULL, e);
    }
    int flags = CLONE_NEWNS | CLONE_NEWPID | (j->netns ? CLONE_NEWNET : 0);
    pid_t init = unshare(flags) ? -1 : fork();
    if (init < 0) {
        int e = errno;
        close(alive[0]), close(alive[1]);
        jail_cgroup_finish(&cg, 0);
        return jail_fail("cannot make new namespaces or fork", NULL, e);
    }
    if (init > 0) { /* outside: rvmm's own pid, as the user started it */
        close(alive[0]);
        *exit_status = wait_forwarding(init, &set);
        jail_cgroup_finish(&cg, *exit_status); /* init's end took every process of the jail */
        close(alive[1]);
        return 1;
    }
    /* Should rvmm's own process be killed outright, init goes too, and the
     * PID namespace, the VM with it: never a jail running on with no one
     * to wait for it. The pipe covers a death before the prctl. */
    close(alive[1]);
    char b;
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) || read(alive[0], &b, 1) == 0) _exit(137);
    close(alive[0]);
    pid_t vm = fork(); /* init of the namespace forks the VM's process */
    if (vm < 0) _exit(jail_fail("fork", NULL, errno) ? 70 : 70);
    if (vm > 0) {
        jail_cgroup_drop(&cg); /* init stays outside the cgroup, with no way out of the jail */
        _exit(wait_forwarding(vm, &set));
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    if ((rc = jail_cgroup_join(&cg))) return rc; /* every thread the VM starts is in it */
    rc = jail_build(j, cfg, api_sock, more);
    if (rc) return rc;
    *exit_status = 0;
    return 0;
}
