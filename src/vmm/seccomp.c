/* Seccomp-BPF confinement per thread kind (see seccomp.h). Owns the three
 * allow-lists, the BPF program built from them, and the SIGSYS reporter
 * that names a forbidden call before the process stops.
 *
 * Hand-written BPF rather than libseccomp: the program is a straight list
 * of "nr == N: allow" pairs, nothing a library would add to, and no new
 * package. A violation is SECCOMP_RET_TRAP, not RET_KILL_PROCESS, only so
 * the handler can print the call's name first; the handler then ends the
 * whole process at once (exit_group), so the effect is a process kill. */
#include "vmm/seccomp.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vmm/seccomp_file.h"

#ifndef SECCOMP_FILTER_FLAG_TSYNC
#define SECCOMP_FILTER_FLAG_TSYNC 1
#endif

/* A build with -DRVMM_SECCOMP_AUDIT lets every call through and has the
 * kernel log the unlisted ones (dmesg: "audit: type=1326 ... syscall=N"):
 * how the lists were found, and how to find what a new feature needs. */
#ifdef RVMM_SECCOMP_AUDIT
#define SECCOMP_DENY SECCOMP_RET_LOG
#else
#define SECCOMP_DENY SECCOMP_RET_TRAP
#endif

struct seccomp_name {
    int nr;
    const char *name;
};

#define SC(n) __NR_##n

/* Every kind may start threads (clone with CLONE_THREAD, checked below):
 * the audit build saw it beyond the main thread. */
/* Every vCPU's list, and the base of the others: guest code runs on
 * memory and on fds opened at setup (disk reads and writes, the console,
 * eventfds), waits on futexes and clocks, and ends its thread. */
static const int seccomp_vcpu_list[] = {
    SC(read),
    SC(write),
    SC(readv),
    SC(writev),
    SC(pread64),
    SC(pwrite64),
    SC(preadv),
    SC(pwritev),
    SC(lseek),
    SC(fsync),
    SC(fdatasync),
    SC(fallocate),
    SC(fstat),
    SC(newfstatat),
    SC(unlink),
    SC(set_robust_list),
    SC(rseq),
    SC(mmap),
    SC(munmap),
    SC(mprotect),
    SC(madvise),
    SC(mremap),
    SC(brk),
    SC(futex),
    SC(sched_yield),
    SC(nanosleep),
    SC(clock_nanosleep),
    SC(clock_gettime),
    SC(gettimeofday),
    SC(ppoll),
    SC(poll),
    SC(epoll_wait),
    SC(epoll_pwait),
    SC(rt_sigprocmask),
    SC(rt_sigreturn),
    SC(getpid),
    SC(gettid),
    SC(tgkill),
    SC(exit),
    SC(exit_group),
    SC(getrandom),
    SC(restart_syscall),
    SC(sendto),
    SC(sendmsg),
    SC(recvfrom),
    SC(recvmsg),
    SC(close),
    SC(ioctl),
#ifdef __SANITIZE_ADDRESS__
    SC(sigaltstack),
#endif
};

/* The I/O loop adds what its backends do after start: NAT sockets made and
 * closed as the guest connects, tap and eventfd handling, timers, and
 * libslirp reading /etc/resolv.conf when the guest asks for DNS. */
static const int seccomp_io_list[] = {
    SC(socket),
    SC(connect),
    SC(bind),
    SC(listen),
    SC(accept),
    SC(accept4),
    SC(setsockopt),
    SC(getsockopt),
    SC(getsockname),
    SC(getpeername),
    SC(shutdown),
    SC(fcntl),
    SC(epoll_ctl),
    SC(pipe2),
    SC(eventfd2),
    SC(timerfd_create),
    SC(timerfd_settime),
    SC(timerfd_gettime),
    SC(dup),
    SC(socketpair),
    SC(sendmmsg),
    SC(recvmmsg),
    SC(openat),
    SC(newfstatat),
    SC(stat),
    SC(statx),
    SC(uname),
    SC(sysinfo),
    SC(prctl),
    SC(seccomp),
    SC(sigaltstack),
    SC(rt_sigaction),
    SC(getuid),
    SC(geteuid),
    SC(getppid),
};

/* The main and API threads (and gdb, migration, which they start) also
 * build and rebuild VMs after start: InstanceStart, restore, snapshot
 * files, hot-plugged drives, reboot, migration streams and new threads. */
static const int seccomp_main_list[] = {
    SC(open),
    SC(creat),
    SC(ftruncate),
    SC(truncate),
    SC(unlink),
    SC(unlinkat),
    SC(rename),
    SC(renameat),
    SC(renameat2),
    SC(mkdir),
    SC(mkdirat),
    SC(getdents64),
    SC(readlink),
    SC(readlinkat),
    SC(access),
    SC(faccessat),
    SC(faccessat2),
    SC(getcwd),
    SC(umask),
    SC(fchmod),
    SC(chmod),
    SC(fchmodat),
    SC(flock),
    SC(fstatfs),
    SC(statfs),
    SC(lstat),
    SC(set_robust_list),
    SC(rseq),
    SC(memfd_create),
    SC(fadvise64),
    SC(sync_file_range),
    SC(copy_file_range),
    SC(sendfile),
    SC(prlimit64),
    SC(getrlimit),
    SC(sched_getaffinity),
    SC(sched_setaffinity),
    SC(getrusage),
    SC(times),
    SC(getgid),
    SC(getegid),
    SC(rt_sigtimedwait),
    SC(rt_sigsuspend),
    SC(signalfd4),
    SC(pause),
    SC(setitimer),
    SC(alarm),
    SC(dup2),
    SC(dup3),
    SC(pipe),
    SC(select),
    SC(pselect6),
    SC(epoll_create1),
    SC(eventfd),
    SC(mincore),
    SC(msync),
    SC(mlock),
    SC(munlock),
    SC(get_mempolicy),
    SC(fchown),
    SC(utimensat),
    SC(futimesat),
    SC(fsetxattr),
    SC(fgetxattr),
};

/* Names for the report: every listed call and the ones an attack would
 * reach for; any other is named by number. */
static const struct seccomp_name seccomp_names[] = {
#define N(n)                                                                                       \
    {                                                                                              \
        __NR_##n, #n                                                                               \
    }
    N(read),
    N(write),
    N(open),
    N(close),
    N(stat),
    N(fstat),
    N(lstat),
    N(poll),
    N(lseek),
    N(mmap),
    N(mprotect),
    N(munmap),
    N(brk),
    N(rt_sigaction),
    N(rt_sigprocmask),
    N(rt_sigreturn),
    N(ioctl),
    N(pread64),
    N(pwrite64),
    N(readv),
    N(writev),
    N(access),
    N(pipe),
    N(select),
    N(sched_yield),
    N(mremap),
    N(msync),
    N(mincore),
    N(madvise),
    N(dup),
    N(dup2),
    N(pause),
    N(nanosleep),
    N(getpid),
    N(sendfile),
    N(socket),
    N(connect),
    N(accept),
    N(sendto),
    N(recvfrom),
    N(sendmsg),
    N(recvmsg),
    N(shutdown),
    N(bind),
    N(listen),
    N(getsockname),
    N(getpeername),
    N(socketpair),
    N(setsockopt),
    N(getsockopt),
    N(clone),
    N(fork),
    N(vfork),
    N(execve),
    N(exit),
    N(wait4),
    N(kill),
    N(uname),
    N(fcntl),
    N(flock),
    N(fsync),
    N(fdatasync),
    N(truncate),
    N(ftruncate),
    N(getcwd),
    N(chdir),
    N(rename),
    N(mkdir),
    N(rmdir),
    N(creat),
    N(link),
    N(unlink),
    N(symlink),
    N(readlink),
    N(chmod),
    N(fchmod),
    N(chown),
    N(fchown),
    N(umask),
    N(ptrace),
    N(getuid),
    N(setuid),
    N(setgid),
    N(personality),
    N(prctl),
    N(chroot),
    N(mount),
    N(umount2),
    N(reboot),
    N(init_module),
    N(gettid),
    N(futex),
    N(getdents64),
    N(clock_gettime),
    N(clock_nanosleep),
    N(exit_group),
    N(epoll_wait),
    N(epoll_ctl),
    N(tgkill),
    N(openat),
    N(mkdirat),
    N(newfstatat),
    N(unlinkat),
    N(renameat),
    N(ppoll),
    N(epoll_pwait),
    N(fallocate),
    N(eventfd2),
    N(accept4),
    N(pipe2),
    N(preadv),
    N(pwritev),
    N(prlimit64),
    N(getrandom),
    N(memfd_create),
    N(execveat),
    N(bpf),
    N(kexec_load),
    N(perf_event_open),
    N(process_vm_readv),
    N(process_vm_writev),
    N(seccomp),
    N(statx),
    N(clone3),
    N(io_uring_setup),
    N(userfaultfd),
    N(pidfd_open),
    N(unshare),
    N(setns),
#undef N
};

enum { SECCOMP_MAX_INSNS = 512 };

struct seccomp_prog {
    struct sock_filter insn[SECCOMP_MAX_INSNS];
    unsigned n;
};

static void prog_add(struct seccomp_prog *p, struct sock_filter f)
{
    if (p->n < SECCOMP_MAX_INSNS) p->insn[p->n] = f;
    p->n++;
}

static void prog_allow(struct seccomp_prog *p, const int *list, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        prog_add(p,
                 (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)list[k], 0, 1));
        prog_add(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    }
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The program: the architecture must be x86-64 (an x32 or i386 call would
 * reach other numbers), then one allow pair per listed call; a thread may
 * only be cloned as a thread (no fork); clone3, whose flags BPF cannot
 * see, says ENOSYS so glibc falls back to clone; anything else traps. */
static void seccomp_build(struct seccomp_prog *p, enum seccomp_kind kind)
{
    p->n = 0;
    prog_add(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                             offsetof(struct seccomp_data, arch)));
    prog_add(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0));
    prog_add(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
    prog_add(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                             offsetof(struct seccomp_data, nr)));
    prog_add(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1));
    prog_add(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
    prog_allow(p, seccomp_vcpu_list, ARRAY_LEN(seccomp_vcpu_list));
    if (kind != SECCOMP_KIND_VCPU) prog_allow(p, seccomp_io_list, ARRAY_LEN(seccomp_io_list));
    if (kind == SECCOMP_KIND_MAIN) prog_allow(p, seccomp_main_list, ARRAY_LEN(seccomp_main_list));
    prog_add(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 4));
    prog_add(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                             offsetof(struct seccomp_data, args[0])));
    prog_add(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_THREAD, 0, 1));
    prog_add(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    prog_add(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_DENY));
    prog_add(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1));
    prog_add(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS));
    prog_add(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_DENY));
}

static const char *seccomp_name_of(int nr)
{
    for (size_t k = 0; k < ARRAY_LEN(seccomp_names); k++)
        if (seccomp_names[k].nr == nr) return seccomp_names[k].name;
    return NULL;
}

static size_t put_str(char *buf, size_t at, size_t len, const char *s)
{
    while (*s && at + 1 < len)
        buf[at++] = *s++;
    return at;
}

static size_t put_num(char *buf, size_t at, size_t len, unsigned long v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n && at + 1 < len)
        buf[at++] = tmp[--n];
    return at;
}

/* SIGSYS from the filter: one line naming the call, then the whole process
 * ends. Only async-signal-safe work here: no stdio, no malloc. */
static void seccomp_sigsys(int sig, siginfo_t *si, void *uc)
{
    char line[256];
    size_t at = put_str(line, 0, sizeof(line), "rvmm: seccomp: forbidden system call ");
    const char *name = seccomp_name_of(si->si_syscall);
    if (name) {
        at = put_str(line, at, sizeof(line), name);
        at = put_str(line, at, sizeof(line), " (");
        at = put_num(line, at, sizeof(line), (unsigned long)si->si_syscall);
        at = put_str(line, at, sizeof(line), ")");
    } else {
        at = put_str(line, at, sizeof(line), "number ");
        at = put_num(line, at, sizeof(line), (unsigned long)si->si_syscall);
    }
    at = put_str(line, at, sizeof(line), " on thread ");
    at = put_num(line, at, sizeof(line), (unsigned long)syscall(SYS_gettid));
    at = put_str(line, at, sizeof(line), "; stopping (--seccomp off lifts the filter)\n");
    ssize_t w = write(STDERR_FILENO, line, at);
    (void)w;
    syscall(SYS_exit_group, SECCOMP_EXIT_STATUS);
}

bool seccomp_active(void)
{
    return prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 2;
}

/* f: --seccomp-filter FILE's programs, or NULL for rvmm's own lists. */
static int seccomp_install(enum seccomp_kind kind, unsigned flags, const struct seccomp_filters *f)
{
    struct seccomp_prog p;
    struct sock_fprog fprog;
    if (f) {
        fprog = (struct sock_fprog){.len = f->len[kind], .filter = f->prog[kind]};
    } else {
        seccomp_build(&p, kind);
        if (p.n > SECCOMP_MAX_INSNS) return -E2BIG;
        fprog = (struct sock_fprog){.len = (unsigned short)p.n, .filter = p.insn};
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) return -errno;
    long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
    if (r < 0) return -errno;
    return r > 0 ? -EBUSY : 0; /* TSYNC: the id of a thread it could not sync */
}

int seccomp_confine_process(const struct seccomp_filters *f)
{
    if (seccomp_active()) return 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = seccomp_sigsys;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSYS, &sa, NULL)) return -errno;
    return seccomp_install(SECCOMP_KIND_MAIN, SECCOMP_FILTER_FLAG_TSYNC, f);
}

int seccomp_confine_thread(enum seccomp_kind kind, const struct seccomp_filters *f)
{
    if (!seccomp_active()) return 0;
    return seccomp_install(kind, 0, f);
}

/* Off by default in the sanitizer build: LeakSanitizer's exit check runs a
 * ptrace helper that no allow-list should let in (it hangs the exit). Its
 * tests ask for --seccomp on where they test the filter. */
bool seccomp_default_on(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return false;
#else
    return true;
#endif
}

/* The test build's proof that a vCPU is confined: RVMM_SECCOMP_SELFTEST=1
 * makes each vCPU call execve once confined, which must stop the process
 * with the report line. Only the sanitizer build (the tests' build) reads
 * it; a release build has no such door. */
void seccomp_selftest_vcpu(void)
{
#ifdef __SANITIZE_ADDRESS__
    const char *t = getenv("RVMM_SECCOMP_SELFTEST");
    if (t && strcmp(t, "1") == 0) syscall(SYS_execve, NULL, NULL, NULL);
#endif
}
