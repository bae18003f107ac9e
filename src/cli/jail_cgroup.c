/* The jailer's cgroup (jail_cgroup.h): finds the hierarchy (cgroup v2's
 * unified one or cgroup v1's per-controller ones, from /proc/self/mountinfo,
 * each mount checked by its file-system magic so a mount hidden under
 * another is not taken), makes rvmm-jail-<pid> under rvmm's own cgroup in
 * each hierarchy the limits need, writes them, and later reports on and
 * removes it. Knows the jail only through struct cli_jail's limits. */
#include "cli/jail_cgroup.h"

#include "cli/cli_jail.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#define CG_V1_MAGIC  0x27e0eb   /* CGROUP_SUPER_MAGIC */
#define CG_V2_MAGIC  0x63677270 /* CGROUP2_SUPER_MAGIC */
#define CG_PERIOD_US 100000UL   /* the CPU quota's period, as Firecracker's and systemd's */
#define CG_MAX_CTRLS (JAIL_CGROUP_MAX_SETS + 2)

/* A cgroup mount: where, which part of the hierarchy it shows, its options. */
struct cg_mount {
    char mnt[PATH_MAX / 2], root[PATH_MAX / 4], opts[128];
};

static int cg_fail(int e, const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "rvmm: --jail: ");
    fprintf(stderr, fmt, a, b);
    if (e) fprintf(stderr, ": %s", strerror(e));
    fputc('\n', stderr);
    return e ? -e : -EINVAL;
}

/* tok is one of the sep-separated words of list. */
static bool cg_has_word(const char *list, const char *tok, char sep)
{
    size_t n = strlen(tok);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, sep);
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, tok, n) == 0) return true;
        p = end ? end + 1 : NULL;
    }
    return false;
}

int jail_cgroup_check_set(const char *arg, char *msg, size_t msglen)
{
    const char *eq = strchr(arg, '=');
    size_t flen = eq ? (size_t)(eq - arg) : 0;
    const char *dot = eq ? memchr(arg, '.', flen) : NULL;
    bool ok = eq && flen < 64 && dot && dot > arg && dot + 1 < eq && strlen(eq + 1) < 256 &&
              strncmp(arg, "cgroup.", 7) != 0;
    for (size_t k = 0; ok && k < flen; k++)
        ok = isalnum((unsigned char)arg[k]) || arg[k] == '_' || arg[k] == '-' ||
             (arg[k] == '.' && arg[k + 1] != '.');
    for (const char *v = eq ? eq + 1 : ""; ok && *v; v++)
        ok = isprint((unsigned char)*v);
    if (ok) return 0;
    char shown[65];
    snprintf(shown, sizeof(shown), "%s", arg);
    for (char *c = shown; *c; c++) /* the error stays one line */
        if (!isprint((unsigned char)*c)) *c = '?';
    snprintf(msg, msglen,
             "--cgroup '%s': want FILE=VALUE, FILE a controller's file as "
             "cpu.cfs_quota_us (no '..', no '/', not cgroup.*), VALUE one line",
             shown);
    return -EINVAL;
}

/* A small file's text (what fits in len - 1 bytes), NUL-terminated: its
 * length or -errno. */
static ssize_t cg_read(int dfd, const char *file, char *buf, size_t len)
{
    int fd = openat(dfd, file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    ssize_t n = read(fd, buf, len - 1);
    int e = errno;
    close(fd);
    if (n < 0) return -e;
    buf[n] = '\0';
    return n;
}

/* Writes val to file in dfd (shown as dir/file in an error line). */
static int cg_write(int dfd, const char *dir, const char *file, const char *val)
{
    int fd = openat(dfd, file, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return cg_fail(errno, "cannot open %s/%s", dir, file);
    ssize_t n = write(fd, val, strlen(val));
    int e = errno;
    close(fd);
    if (n < 0) {
        fprintf(stderr, "rvmm: --jail: cannot write '%s' to %s/%s: %s\n", val, dir, file,
                strerror(e));
        return -e;
    }
    return 0;
}

/* The mount of the hierarchy of version holding ctrl (v2: any); v2 prefers
 * /sys/fs/cgroup, the unified layout's place. 0, or -ENOENT. */
static int cg_find_mount(int version, const char *ctrl, struct cg_mount *m)
{
    FILE *f = fopen("/proc/self/mountinfo", "re");
    if (!f) return -errno;
    char line[4096];
    int rc = -ENOENT;
    while (fgets(line, sizeof(line), f)) {
        char root[PATH_MAX / 4], mnt[PATH_MAX / 2], fstype[32], opts[128];
        const char *dash = strstr(line, " - ");
        if (!dash || sscanf(line, "%*s %*s %*s %1023s %2047s", root, mnt) != 2 ||
            sscanf(dash, " - %31s %*s %127s", fstype, opts) != 2)
            continue;
        if (strcmp(fstype, version == 2 ? "cgroup2" : "cgroup") != 0) continue;
        if (version == 1 && !cg_has_word(opts, ctrl, ',')) continue;
        struct statfs fs;
        if (statfs(mnt, &fs) ||
            (unsigned long)fs.f_type != (version == 2 ? CG_V2_MAGIC : CG_V1_MAGIC))
            continue; /* hidden under a later mount */
        if (rc == 0 && strcmp(mnt, "/sys/fs/cgroup") != 0) continue;
        snprintf(m->mnt, sizeof(m->mnt), "%s", mnt);
        snprintf(m->root, sizeof(m->root), "%s", root);
        snprintf(m->opts, sizeof(m->opts), "%s", opts);
        rc = 0;
    }
    fclose(f);
    return rc;
}

/* rvmm's own cgroup in m's hierarchy, relative to m's root ("" for it). */
static void cg_own_path(int version, const char *ctrl, const struct cg_mount *m, char *out,
                        size_t len)
{
    FILE *f = fopen("/proc/self/cgroup", "re");
    char line[1024], path[PATH_MAX / 4] = "/";
    while (f && fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2) continue;
        *c2 = '\0';
        bool mine = version == 2 ? c1 == line + 1 && line[0] == '0' && c2 == c1 + 1
                                 : cg_has_word(c1 + 1, ctrl, ',');
        if (mine) snprintf(path, sizeof(path), "%s", c2 + 1);
    }
    if (f) fclose(f);
    size_t rl = strlen(m->root);
    const char *rel = path;
    if (strcmp(m->root, "/") != 0) /* a mount of part of the hierarchy */
        rel = strncmp(path, m->root, rl) == 0 && (path[rl] == '/' || !path[rl]) ? path + rl : "";
    snprintf(out, len, "%s", strcmp(rel, "/") == 0 ? "" : rel);
}

/* cgroup v2 gives no controller to the children of a cgroup that holds
 * processes (but the root), and rvmm's own cgroup holds rvmm: rel becomes
 * its nearest ancestor that holds none (a systemd slice, the root at most),
 * still inside whatever bounds rvmm from above. */
static void cg_v2_parent(const struct cg_mount *m, char *rel)
{
    char dir[PATH_MAX], procs[16];
    for (char *slash; *rel; *slash = '\0') {
        snprintf(dir, sizeof(dir), "%s%s", m->mnt, rel);
        int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        ssize_t n = dfd < 0 ? -1 : cg_read(dfd, "cgroup.procs", procs, sizeof(procs));
        if (dfd >= 0) close(dfd);
        if (n == 0) return;
        slash = strrchr(rel, '/');
    }
}

/* cgroup v2 hands a controller to a child only through every ancestor's
 * cgroup.subtree_control: ctrl is added there from the root down to rel. */
static int cg_v2_hand_down(const struct cg_mount *m, const char *rel, const char *ctrl)
{
    char avail[512], dir[PATH_MAX], val[40];
    if (cg_read(AT_FDCWD, strcat(strcpy(dir, m->mnt), "/cgroup.controllers"), avail,
                sizeof(avail)) < 0 ||
        (avail[strcspn(avail, "\n")] = '\0', !cg_has_word(avail, ctrl, ' ')))
        return cg_fail(0,
                       "cgroup v2 at %s has no %s controller (a cgroup v1 hierarchy holds it? "
                       "--cgroup-version 1)",
                       m->mnt, ctrl);
    snprintf(dir, sizeof(dir), "%s", m->mnt);
    for (const char *p = rel;;) {
        char have[512] = "";
        int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0) return cg_fail(errno, "cannot open %s%s", dir, "");
        cg_read(dfd, "cgroup.subtree_control", have, sizeof(have));
        int rc = 0;
        have[strcspn(have, "\n")] = '\0';
        if (!cg_has_word(have, ctrl, ' ')) {
            snprintf(val, sizeof(val), "+%s", ctrl);
            rc = cg_write(dfd, dir, "cgroup.subtree_control", val);
        }
        close(dfd);
        if (rc) return rc;
        if (!*p) return 0;
        const char *next = strchr(p + 1, '/');
        size_t n = next ? (size_t)(next - p) : strlen(p);
        size_t dl = strlen(dir);
        if (dl + n >= sizeof(dir)) return cg_fail(ENAMETOOLONG, "%s%s", dir, "");
        memcpy(dir + dl, p, n);
        dir[dl + n] = '\0';
        p += n;
    }
}

/* The directory of cg holding ctrl (v2: the one), or NULL. */
static struct jail_cgroup_dir *cg_dir_of(struct jail_cgroup *cg, const char *ctrl)
{
    for (unsigned k = 0; k < cg->ndirs; k++)
        if (cg->version == 2 || cg_has_word(cg->dirs[k].ctrls, ctrl, ',')) return &cg->dirs[k];
    return NULL;
}

static void cg_close_all(struct jail_cgroup *cg)
{
    for (unsigned k = 0; k < cg->ndirs; k++) {
        int *fds[] = {&cg->dirs[k].parent_fd, &cg->dirs[k].dir_fd, &cg->dirs[k].procs_fd};
        for (unsigned i = 0; i < 3; i++)
            if (*fds[i] >= 0) close(*fds[i]), *fds[i] = -1;
    }
}

static void cg_remove_all(struct jail_cgroup *cg)
{
    for (unsigned k = 0; k < cg->ndirs; k++) {
        struct jail_cgroup_dir *d = &cg->dirs[k];
        if (d->parent_fd < 0) continue;
        /* The last task leaves its cgroup as it exits, before its parent
         * reaps it; a busy cgroup here is a kernel still tearing down. */
        int rc, tries = 0;
        while ((rc = unlinkat(d->parent_fd, cg->name, AT_REMOVEDIR)) && errno == EBUSY &&
               tries++ < 100)
            usleep(10000);
        if (rc && errno != ENOENT) cg_fail(errno, "cannot remove %s%s", d->path, "");
    }
    cg_close_all(cg);
    cg->ndirs = 0;
}

/* The VM's cgroup in m's hierarchy: made (a stale one of a reused pid
 * removed first), its descriptors opened; v1 cpuset given its parent's
 * CPUs and memory nodes, without which no process may join it. */
static int cg_make_dir(struct jail_cgroup *cg, const struct cg_mount *m, const char *rel)
{
    for (unsigned k = 0; k < cg->ndirs; k++)
        if (strncmp(cg->dirs[k].path, m->mnt, strlen(m->mnt)) == 0 &&
            cg->dirs[k].path[strlen(m->mnt)] == '/')
            return 0; /* a v1 hierarchy of several controllers, made already */
    if (cg->ndirs == JAIL_CGROUP_MAX_DIRS)
        return cg_fail(0, "too many cgroup hierarchies%s%s", "", "");
    char parent[PATH_MAX];
    if (snprintf(parent, sizeof(parent), "%s%s", m->mnt, rel) >= (int)sizeof(parent))
        return cg_fail(ENAMETOOLONG, "%s%s", m->mnt, rel);
    struct jail_cgroup_dir *d = &cg->dirs[cg->ndirs];
    snprintf(d->path, sizeof(d->path), "%.*s/%s", PATH_MAX - 40, parent, cg->name);
    snprintf(d->ctrls, sizeof(d->ctrls), "%s", m->opts);
    d->parent_fd = open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC);
    d->dir_fd = d->procs_fd = -1;
    if (d->parent_fd < 0) return cg_fail(errno, "cannot open the cgroup %s%s", parent, "");
    cg->ndirs++;
    /* One left by an rvmm that was killed outright goes, unless its
     * processes still run there: never share a cgroup with them. */
    int made = mkdirat(d->parent_fd, cg->name, 0755);
    if (made && errno == EEXIST && unlinkat(d->parent_fd, cg->name, AT_REMOVEDIR) == 0)
        made = mkdirat(d->parent_fd, cg->name, 0755);
    if (made) {
        int e = errno;
        close(d->parent_fd);
        d->parent_fd = -1; /* not ours to remove */
        return cg_fail(e, "cannot make the cgroup %s%s (is the hierarchy writable?)", d->path, "");
    }
    d->dir_fd = openat(d->parent_fd, cg->name, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (d->dir_fd < 0) return cg_fail(errno, "cannot open %s%s", d->path, "");
    d->procs_fd = openat(d->dir_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
    if (d->procs_fd < 0) return cg_fail(errno, "cannot open %s/cgroup.procs%s", d->path, "");
    if (cg->version == 1 && cg_has_word(m->opts, "cpuset", ',')) {
        static const char *const inherit[] = {"cpuset.cpus", "cpuset.mems"};
        for (unsigned k = 0; k < 2; k++) {
            char val[256];
            int rc = 0;
            if (cg_read(d->parent_fd, inherit[k], val, sizeof(val)) > 0)
                rc = cg_write(d->dir_fd, d->path, inherit[k], val);
            if (rc) return rc;
        }
    }
    return 0;
}

/* The hierarchy to use: the one asked for, else v2 where /sys/fs/cgroup is
 * unified, else v1 where a v1 hierarchy is mounted, else any v2. */
static int cg_version(int asked)
{
    struct cg_mount m;
    struct statfs fs;
    if (asked) return asked;
    if (statfs("/sys/fs/cgroup", &fs) == 0 && (unsigned long)fs.f_type == CG_V2_MAGIC) return 2;
    static const char *const v1[] = {"cpu", "memory", "cpuset", "pids", "blkio", "cpuacct"};
    for (unsigned k = 0; k < sizeof(v1) / sizeof(v1[0]); k++)
        if (cg_find_mount(1, v1[k], &m) == 0) return 1;
    return cg_find_mount(2, "", &m) == 0 ? 2 : 0;
}

/* The host has swap: v1's memory+swap limit is then set too. Not without
 * (it would change nothing but hide memory.failcnt: the kernel counts the
 * failure against memsw, whose failcnt it does not keep). */
static bool cg_swap_on(void)
{
    char buf[4096];
    if (cg_read(AT_FDCWD, "/proc/meminfo", buf, sizeof(buf)) < 0) return true;
    const char *p = strstr(buf, "SwapTotal:");
    return !p || strtoull(p + 10, NULL, 10) != 0;
}

/* The limits: --jail-cpu and --jail-mem in the version's own files (a
 * memory limit covers swap too, so a host with swap enforces the same),
 * then each --cgroup FILE=VALUE as given. */
static int cg_write_limits(struct jail_cgroup *cg, const struct cli_jail *j)
{
    char val[64];
    int rc = 0;
    struct jail_cgroup_dir *d;
    if (j->cpu_pct && (d = cg_dir_of(cg, "cpu"))) {
        unsigned long quota = j->cpu_pct * (CG_PERIOD_US / 100);
        if (cg->version == 2) {
            snprintf(val, sizeof(val), "%lu %lu", quota, CG_PERIOD_US);
            rc = cg_write(d->dir_fd, d->path, "cpu.max", val);
        } else {
            snprintf(val, sizeof(val), "%lu", CG_PERIOD_US);
            rc = cg_write(d->dir_fd, d->path, "cpu.cfs_period_us", val);
            snprintf(val, sizeof(val), "%lu", quota);
            if (!rc) rc = cg_write(d->dir_fd, d->path, "cpu.cfs_quota_us", val);
        }
        if (rc) return rc;
    }
    if (j->mem_mib && (d = cg_dir_of(cg, "memory"))) {
        snprintf(val, sizeof(val), "%lu", j->mem_mib << 20);
        rc = cg_write(d->dir_fd, d->path, cg->version == 2 ? "memory.max" : "memory.limit_in_bytes",
                      val);
        const char *swap = cg->version == 2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes";
        if (!rc && faccessat(d->dir_fd, swap, F_OK, 0) == 0 && (cg->version == 2 || cg_swap_on()))
            rc = cg_write(d->dir_fd, d->path, swap, cg->version == 2 ? "0" : val);
        if (rc) return rc;
    }
    for (unsigned k = 0; k < j->ncgroup_sets; k++) {
        char file[64];
        const char *set = j->cgroup_sets[k], *eq = strchr(set, '=');
        snprintf(file, sizeof(file), "%.*s", (int)(eq - set), set);
        *strchr(file, '.') = '\0';
        d = cg_dir_of(cg, file);
        snprintf(file, sizeof(file), "%.*s", (int)(eq - set), set);
        if (faccessat(d->dir_fd, file, F_OK, 0))
            return cg_fail(0, "--cgroup %s: %s has no such file", file, d->path);
        if ((rc = cg_write(d->dir_fd, d->path, file, eq + 1))) return rc;
    }
    return 0;
}

int jail_cgroup_setup(struct jail_cgroup *cg, const struct cli_jail *j, pid_t outer)
{
    const char *ctrls[CG_MAX_CTRLS];
    char names[JAIL_CGROUP_MAX_SETS][64];
    unsigned n = 0;
    memset(cg, 0, sizeof(*cg));
    snprintf(cg->name, sizeof(cg->name), "rvmm-jail-%d", (int)outer);
    if (j->cpu_pct) ctrls[n++] = "cpu";
    if (j->mem_mib) ctrls[n++] = "memory";
    for (unsigned k = 0; k < j->ncgroup_sets; k++) {
        snprintf(names[k], sizeof(names[k]), "%s", j->cgroup_sets[k]);
        names[k][strcspn(names[k], ".")] = '\0';
        ctrls[n++] = names[k];
    }
    if (!n) return 0;
    if (!(cg->version = cg_version(j->cgroup_version)))
        return cg_fail(0, "no cgroup hierarchy is mounted (neither v1 nor v2)%s%s", "", "");
    struct cg_mount m;
    int rc = 0;
    for (unsigned k = 0; k < n && !rc; k++) {
        if (cg_find_mount(cg->version, ctrls[k], &m)) {
            rc = cg_fail(0,
                         cg->version == 2 ? "no cgroup v2 hierarchy is mounted%s%s"
                                          : "no cgroup v1 hierarchy has the %s controller%s",
                         ctrls[k], cg->version == 2 ? "" : " (--cgroup-version 2?)");
            break;
        }
        char rel[PATH_MAX / 4];
        cg_own_path(cg->version, ctrls[k], &m, rel, sizeof(rel));
        if (cg->version == 2) {
            cg_v2_parent(&m, rel);
            rc = cg_v2_hand_down(&m, rel, ctrls[k]);
        }
        if (!rc) rc = cg_make_dir(cg, &m, rel);
    }
    if (!rc) rc = cg_write_limits(cg, j);
    if (rc) cg_remove_all(cg);
    return rc;
}

int jail_cgroup_join(struct jail_cgroup *cg)
{
    int rc = 0;
    for (unsigned k = 0; k < cg->ndirs && !rc; k++)
        if (write(cg->dirs[k].procs_fd, "0", 1) < 0)
            rc = cg_fail(errno, "cannot join the cgroup %s%s", cg->dirs[k].path, "");
    cg_close_all(cg);
    return rc;
}

void jail_cgroup_drop(struct jail_cgroup *cg)
{
    cg_close_all(cg);
}

/* The number after word in a "key value" per line counter file, or 0. */
static unsigned long long cg_counter(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, word, n) == 0 && p[n] == ' ') return strtoull(p + n + 1, NULL, 10);
    return 0;
}

void jail_cgroup_finish(struct jail_cgroup *cg, int status)
{
    struct jail_cgroup_dir *d = cg->version ? cg_dir_of(cg, "memory") : NULL;
    char ev[1024], lim[64] = "?", fc[64], swap[48] = "";
    if (d && d->dir_fd >= 0 && status == 128 + 9 /* SIGKILL */) {
        bool v2 = cg->version == 2;
        unsigned long long kills = 0, fails = 0;
        if (cg_read(d->dir_fd, v2 ? "memory.events" : "memory.oom_control", ev, sizeof(ev)) > 0)
            kills = cg_counter(ev, "oom_kill");
        if (v2 && cg_read(d->dir_fd, "memory.events", ev, sizeof(ev)) > 0)
            fails = cg_counter(ev, "max");
        if (!v2 && cg_read(d->dir_fd, "memory.failcnt", fc, sizeof(fc)) > 0)
            fails = strtoull(fc, NULL, 10);
        /* With swap accounting the memory+swap limit (set equal) may be
         * the one reached: its count is shown beside. */
        if (!v2 && cg_read(d->dir_fd, "memory.memsw.failcnt", fc, sizeof(fc)) > 0)
            snprintf(swap, sizeof(swap), ", memsw failcnt %llu", strtoull(fc, NULL, 10));
        cg_read(d->dir_fd, v2 ? "memory.max" : "memory.limit_in_bytes", lim, sizeof(lim));
        lim[strcspn(lim, "\n")] = '\0';
        if (kills)
            fprintf(stderr,
                    "rvmm: --jail: the VM was killed by the kernel's OOM killer at its cgroup's "
                    "memory limit (%s %s = %s; failcnt %llu%s, oom_kill %llu)\n",
                    d->path, v2 ? "memory.max" : "memory.limit_in_bytes", lim, fails, swap, kills);
    }
    cg_remove_all(cg);
}
