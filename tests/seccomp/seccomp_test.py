"""Seccomp confinement (src/vmm/seccomp.h), as a user sees it: every thread
of a running VM is filtered (Seccomp: 2 in /proc/PID/task/*/status) and the
guest still boots, uses its NIC and answers the API; --seccomp off leaves
every thread unfiltered; a forbidden call made on a vCPU (the test build's
RVMM_SECCOMP_SELFTEST=1) stops the process with the line naming the call
and status 159; a bad --seccomp value is a usage error. One PASS/FAIL line
per check."""
import os
import socket
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


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    bad_option()
    forbidden_call()
    with tempfile.TemporaryDirectory() as tmp:
        confined_run(tmp)
    unconfined_run()
    return 0 if results and all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
