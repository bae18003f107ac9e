"""Seccomp confinement (src/vmm/seccomp.h), as a user sees it: every thread
of a running VM is filtered (Seccomp: 2 in /proc/PID/task/*/status) and the
guest still boots, uses its NIC and answers the API; --seccomp off leaves
every thread unfiltered; a forbidden call made on a vCPU (the test build's
RVMM_SECCOMP_SELFTEST=1) stops the process with the line naming the call
and status 159; a bad --seccomp value is a usage error. --seccomp-filter
FILE (Firecracker's seccompiler-bin output, written here with struct.pack)
replaces rvmm's lists: with allow-all "vmm" and "vcpu" programs and an
"api" program that kills on accept/accept4, the guest boots with every
thread filtered, and the first connection to the API socket kills rvmm
with SIGSYS (rvmm's own lists let the API answer, as confined_run shows);
a "vcpu" or "vmm" program forbidding a call of that kind kills rvmm too.
The same run again with programs made as seccompiler-bin makes them, by
libseccomp (seccomp_init/rule_add/export_bpf), in its bincode map.
One PASS/FAIL line per check."""
import ctypes
import errno
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "guest"))
from console import Console  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
RVMM_ASAN = os.environ.get("RVMM_ASAN", "build/rvmm-asan")
KERNEL = os.environ["GUEST_KERNEL"]
INITRD = os.environ["GUEST_INITRD"]
FW = os.environ.get("OPENSBI_FW", "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin")
LOGDIR = os.environ.get("BUILD", "build") + "/guest-logs"

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s seccomp/%s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + detail))
    sys.stdout.flush()


def seccomp_modes(pid):
    """{tid: Seccomp value} of every thread of pid."""
    modes = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
                for line in f:
                    if line.startswith("Seccomp:"):
                        modes[tid] = line.split()[1]
        except FileNotFoundError:
            pass
    return modes


def api_get(path, url):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(path)
    s.sendall(("GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" % url).encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return data.decode("utf-8", "replace")


def argv(binary, extra):
    return [binary, "--bios", FW, "--kernel", KERNEL, "--initrd", INITRD, "-m", "256M", "--smp", "2",
            "--append", "console=ttyS0", "--rng"] + extra


def confined_run(tmp):
    sock = os.path.join(tmp, "api.sock")
    con = Console(argv(RVMM, ["--seccomp", "on", "--net", "user", "--api-sock", sock]), "%s/seccomp-on.log" % LOGDIR)
    try:
        try:
            con.boot_to_shell(300)
        except (TimeoutError, EOFError) as e:
            check("on/boot_to_shell", False, str(e))
            return
        check("on/boot_to_shell", True)
        modes = seccomp_modes(con.proc.pid)
        # main, I/O loop, API and two vCPUs at least.
        check("on/every_thread_filtered", len(modes) >= 5 and set(modes.values()) == {"2"},
              repr(modes))
        out = con.run("udhcpc -i eth0 -n -q -t 5 -T 2 >/dev/null 2>&1; echo rc=$?", 90)
        check("on/guest_nat_dhcp", out.endswith("rc=0"), repr(out))
        # A TCP connection through the NAT: the I/O loop makes a host socket.
        out = con.run("echo | nc -w 5 10.0.2.2 1 >/dev/null 2>&1; echo done", 60)
        check("on/guest_nat_connect", out.endswith("done"), repr(out))
        reply = api_get(sock, "/vm/config")
        check("on/api_answers", reply.startswith("HTTP/1.1 200"), repr(reply[:200]))
        out = con.run("echo $((6*7))")
        check("on/guest_still_runs", out == "42", repr(out))
        con.send("poweroff -f\n")
        code = con.wait_exit(60)
        check("on/poweroff_exit_0", code == 0, "exit %r; tail %r" % (code, con.buf[-300:]))
    finally:
        con.kill()


def unconfined_run():
    con = Console(argv(RVMM, ["--seccomp", "off"]), "%s/seccomp-off.log" % LOGDIR)
    try:
        try:
            con.boot_to_shell(300)
        except (TimeoutError, EOFError) as e:
            check("off/boot_to_shell", False, str(e))
            return
        modes = seccomp_modes(con.proc.pid)
        check("off/no_thread_filtered", len(modes) >= 3 and set(modes.values()) == {"0"}, repr(modes))
        con.send("poweroff -f\n")
        code = con.wait_exit(60)
        check("off/poweroff_exit_0", code == 0, "exit %r" % code)
    finally:
        con.kill()


def forbidden_call():
    env = dict(os.environ, RVMM_SECCOMP_SELFTEST="1")
    p = subprocess.run(argv(RVMM_ASAN, ["--seccomp", "on"]), env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=300)
    err = p.stderr.decode("utf-8", "replace")
    check("vcpu_forbidden_call_stops", p.returncode == 159, "exit %d; stderr %r" % (p.returncode, err[-400:]))
    check("vcpu_forbidden_call_named",
          "rvmm: seccomp: forbidden system call execve (59) on thread " in err, repr(err[-400:]))
    check("vcpu_forbidden_call_before_guest", b"OpenSBI" not in p.stdout, repr(p.stdout[-200:]))


def bad_option():
    p = subprocess.run([RVMM, "--seccomp", "maybe", "--kernel", KERNEL], stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=60)
    err = p.stderr.decode("utf-8", "replace")
    check("bad_value_usage_error", p.returncode == 2 and "--seccomp maybe" in err and
          err.count("\n") == 1, "exit %d; %r" % (p.returncode, err))


# Classic BPF (linux/filter.h, linux/seccomp.h) and x86-64 call numbers.
BPF_LD_W_ABS, BPF_JEQ_K, BPF_RET_K = 0x20, 0x15, 0x06
RET_ALLOW, RET_KILL_PROCESS = 0x7fff0000, 0x80000000
AUDIT_ARCH_X86_64 = 0xC000003E
NR_ACCEPT, NR_ACCEPT4, NR_EXECVE, NR_EPOLL_WAIT, NR_EPOLL_PWAIT = 43, 288, 59, 232, 281


def bincode_filters(progs):
    """seccompiler-bin's file: bincode (fixed-width little-endian) of a map
    from category name to a list of sock_filter {u16 code; u8 jt, jf; u32 k}."""
    out = struct.pack("<Q", len(progs))
    for name, insns in progs.items():
        out += struct.pack("<Q", len(name)) + name.encode()
        out += struct.pack("<Q", len(insns))
        for code, jt, jf, k in insns:
            out += struct.pack("<HBBI", code, jt, jf, k)
    return out


def libseccomp_filters(path, filters):
    """Writes path as seccompiler-bin (1.10 on) does from its JSON: per
    category, libseccomp's seccomp_init(default action), seccomp_arch_add
    (x86-64), one seccomp_rule_add(filter action, call) per call, and
    seccomp_export_bpf; the programs' raw bytes then go into bincode's
    fixed-width map in key order (a Rust BTreeMap). filters: {category:
    (default action, filter action, [call names])}. Debian's libseccomp2
    stands in for the copy seccompiler links."""
    lib = ctypes.CDLL("libseccomp.so.2", use_errno=True)
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_arch_add.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
    lib.seccomp_rule_add.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint]
    lib.seccomp_export_bpf.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    progs = {}
    for name, (default, action, calls) in filters.items():
        ctx = lib.seccomp_init(default)
        if not ctx:
            raise OSError("seccomp_init failed")
        rc = lib.seccomp_arch_add(ctx, AUDIT_ARCH_X86_64)
        if rc not in (0, -errno.EEXIST):
            raise OSError("seccomp_arch_add: %d" % rc)
        for call in calls:
            nr = lib.seccomp_syscall_resolve_name(call.encode())
            if nr < 0 or lib.seccomp_rule_add(ctx, action, nr, 0):
                raise OSError("seccomp_rule_add %s failed" % call)
        fd = os.memfd_create("bpf")
        if lib.seccomp_export_bpf(ctx, fd):
            raise OSError("seccomp_export_bpf failed")
        lib.seccomp_release(ctx)
        os.lseek(fd, 0, os.SEEK_SET)
        raw = b""
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            raw += chunk
        os.close(fd)
        progs[name] = raw
    out = struct.pack("<Q", len(progs))
    for name in sorted(progs):
        out += struct.pack("<Q", len(name)) + name.encode()
        out += struct.pack("<Q", len(progs[name]) // 8) + progs[name]
    with open(path, "wb") as f:
        f.write(out)
    return {k: len(v) // 8 for k, v in progs.items()}


def custom_filter_run(tmp, tag="file"):
    """tag "file": the programs written here by hand; "libseccomp": as
    seccompiler-bin makes them, through libseccomp (libseccomp_filters)."""
    path = os.path.join(tmp, "filters-%s.bpf" % tag)
    if tag == "libseccomp":
        try:
            sizes = libseccomp_filters(path, {
                "vmm": (RET_ALLOW, RET_KILL_PROCESS, []),
                "vcpu": (RET_ALLOW, RET_KILL_PROCESS, []),
                "api": (RET_ALLOW, RET_KILL_PROCESS, ["accept", "accept4"])})
        except OSError as e:
            check("libseccomp/file_written", False, "%s (libseccomp2 installed?)" % e)
            return
        print("INFO seccomp: libseccomp programs of %r instructions" % sizes)
    else:
        allow_all = [(BPF_RET_K, 0, 0, RET_ALLOW)]
        api = [(BPF_LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
               (BPF_JEQ_K, 2, 0, NR_ACCEPT4),
               (BPF_JEQ_K, 1, 0, NR_ACCEPT),
               (BPF_RET_K, 0, 0, RET_ALLOW),
               (BPF_RET_K, 0, 0, RET_KILL_PROCESS)]
        with open(path, "wb") as f:
            f.write(bincode_filters({"vmm": allow_all, "api": api, "vcpu": allow_all}))
    sock = os.path.join(tmp, "custom-%s.sock" % tag)
    con = Console(argv(RVMM, ["--seccomp-filter", path, "--api-sock", sock]),
                  "%s/seccomp-%s.log" % (LOGDIR, tag))
    try:
        try:
            con.boot_to_shell(300)
        except (TimeoutError, EOFError) as e:
            check(tag + "/boot_to_shell", False, str(e))
            return
        check(tag + "/boot_to_shell", True)
        modes = seccomp_modes(con.proc.pid)
        check(tag + "/every_thread_filtered", len(modes) >= 5 and set(modes.values()) == {"2"},
              repr(modes))
        out = con.run("echo $((6*7))")
        check(tag + "/guest_runs", out == "42", repr(out))
        # The API thread's accept is what the file's "api" program forbids.
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(30)
        try:
            s.connect(sock)
            s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
            s.recv(100)
        except OSError:
            pass
        s.close()
        code = con.wait_exit(60)
        check(tag + "/api_accept_killed_by_sigsys", code == -signal.SIGSYS,
              "exit %r; tail %r" % (code, con.buf[-300:]))
    finally:
        con.kill()


def kill_on(*nrs):
    """A program that kills the process on any of nrs and allows the rest."""
    prog = [(BPF_LD_W_ABS, 0, 0, 0)]
    for i, nr in enumerate(nrs):
        prog.append((BPF_JEQ_K, len(nrs) - i, 0, nr))
    return prog + [(BPF_RET_K, 0, 0, RET_ALLOW), (BPF_RET_K, 0, 0, RET_KILL_PROCESS)]


def file_programs_per_kind(tmp):
    """Each kind runs its own program from the file, not rvmm's list: a
    "vcpu" program killing on execve stops the test build's vCPU self-test
    call by SIGSYS (rvmm's own list would trap it and exit 159 with its
    line), and a "vmm" program killing on epoll_wait stops the I/O loop
    as soon as it waits again, before the guest prints anything."""
    allow_all = [(BPF_RET_K, 0, 0, RET_ALLOW)]
    path = os.path.join(tmp, "vcpu-execve.bpf")
    with open(path, "wb") as f:
        f.write(bincode_filters({"vmm": allow_all, "api": allow_all, "vcpu": kill_on(NR_EXECVE)}))
    env = dict(os.environ, RVMM_SECCOMP_SELFTEST="1")
    p = subprocess.run(argv(RVMM_ASAN, ["--seccomp-filter", path]), env=env, stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=300)
    err = p.stderr.decode("utf-8", "replace")
    check("file/vcpu_program_in_force", p.returncode == -signal.SIGSYS and "forbidden system call" not in err,
          "exit %d; stderr %r" % (p.returncode, err[-300:]))
    path = os.path.join(tmp, "vmm-epoll.bpf")
    with open(path, "wb") as f:
        f.write(bincode_filters({"vmm": kill_on(NR_EPOLL_WAIT, NR_EPOLL_PWAIT), "api": allow_all,
                                 "vcpu": allow_all}))
    try:
        p = subprocess.run(argv(RVMM, ["--seccomp-filter", path]), stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=300)
    except subprocess.TimeoutExpired:  # the program was not in force: the guest ran on
        check("file/vmm_program_in_force", False, "still running after 300 s")
        return
    check("file/vmm_program_in_force", p.returncode == -signal.SIGSYS and b"Linux version" not in p.stdout,
          "exit %d; stdout tail %r" % (p.returncode, p.stdout[-200:]))


def bad_filter_file(tmp):
    """Usage errors rather than a run: unknown category, --no-seccomp too."""
    path = os.path.join(tmp, "bad.bpf")
    with open(path, "wb") as f:
        f.write(bincode_filters({"vmm": [(BPF_RET_K, 0, 0, RET_ALLOW)], "api": [(BPF_RET_K, 0, 0, RET_ALLOW)],
                                 "vcpu": [(BPF_RET_K, 0, 0, RET_ALLOW)], "jailer": [(BPF_RET_K, 0, 0, RET_ALLOW)]}))
    p = subprocess.run([RVMM, "--seccomp-filter", path, "--kernel", KERNEL], stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=60)
    err = p.stderr.decode("utf-8", "replace")
    check("file_unknown_category_usage_error", p.returncode == 2 and '"jailer"' in err and
          err.count("\n") == 1, "exit %d; %r" % (p.returncode, err))
    good = os.path.join(tmp, "good.bpf")
    with open(good, "wb") as f:
        f.write(bincode_filters({k: [(BPF_RET_K, 0, 0, RET_ALLOW)] for k in ("vmm", "api", "vcpu")}))
    p = subprocess.run([RVMM, "--seccomp-filter", good, "--no-seccomp", "--kernel", KERNEL],
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    err = p.stderr.decode("utf-8", "replace")
    check("file_with_no_seccomp_usage_error", p.returncode == 2 and err.count("\n") == 1,
          "exit %d; %r" % (p.returncode, err))


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    bad_option()
    with tempfile.TemporaryDirectory() as tmp:
        bad_filter_file(tmp)
        file_programs_per_kind(tmp)
        custom_filter_run(tmp)
        custom_filter_run(tmp, "libseccomp")
    forbidden_call()
    with tempfile.TemporaryDirectory() as tmp:
        confined_run(tmp)
    unconfined_run()
    return 0 if results and all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
