"""Nested benchmark (issue 12): rvmm --engine kvm inside a guest, with the
outer machine rvmm (JIT, --cpu rv64,h=on) against QEMU TCG (-cpu
rv64,h=true), on the same kernel, initramfs and riscv64 build of rvmm (the
outer initramfs of tests/nested/outer_image.py), in one run. Per outer
engine: the outer guest's boot to shell; the CPU workload in the outer
guest; the nested guest's boot to shell (host wall time from typing the
nested rvmm command to its shell); the same workload in the nested guest.
Then the ratios rvmm/QEMU (below 1: rvmm is faster) and the nested tax
(workload in the nested guest / in the outer guest, same outer engine: 1.0
would mean nesting costs nothing).

The workload (awk floating-point loop, sha256sum of 8 copies of seq's
output) is timed inside each guest from /proc/uptime, as bench/boot.py
does; its answers are checked. One run per outer engine, the two runs
back to back: run on a quiet host and compare runs of the same host only.

Environment: RVMM (default build/rvmm), RVMM_RISCV64 (default
build-riscv64/rvmm: make riscv64), QEMU, BENCH_FIRMWARE (QEMU's -bios; rvmm
runs its built-in SBI, as the nested tests do), GUEST_KERNEL, GUEST_INITRD,
RVMM_CACHE, BUILD, BENCH_NESTED_TIMEOUT (seconds per wait, default 900),
BENCH_ONLY ("rvmm", "qemu" or both, default both). Exit status 2 with what
to build when an input is missing, 1 when a guest fails."""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "guest"))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "nested"))
from console import Console  # noqa: E402
from outer_image import build_outer_initrd  # noqa: E402

TIMEOUT = int(os.environ.get("BENCH_NESTED_TIMEOUT", "900"))
NESTED_CMD = ("rvmm --engine kvm --kernel /nested/Image --initrd /nested/initramfs.cpio.gz "
              "-m 256M")
AWK_N = 200000
SEQ_N = 50000
COPIES = 8
TIMED = 'read _a _ </proc/uptime; %s; read _b _ </proc/uptime; echo "__t $_a $_b"'
TIMED_RX = re.compile(r"__t ([0-9.]+) ([0-9.]+)\s*$")


def fail(msg, code=2):
    sys.stderr.write("bench/nested: %s\n" % msg)
    sys.exit(code)


def config():
    cache = os.environ.get("RVMM_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "rvmm")
    cfg = {
        "rvmm": os.environ.get("RVMM", "build/rvmm"),
        "rvmm64": os.environ.get("RVMM_RISCV64", "build-riscv64/rvmm"),
        "qemu": os.environ.get("QEMU", "qemu-system-riscv64"),
        "fw": os.environ.get("BENCH_FIRMWARE",
                             "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"),
        "kernel": os.environ.get("GUEST_KERNEL", os.path.join(cache, "guest", "Image")),
        "initrd": os.environ.get("GUEST_INITRD",
                                 os.path.join(cache, "guest", "initramfs.cpio.gz")),
        "build": os.environ.get("BUILD", "build"),
        "only": os.environ.get("BENCH_ONLY", "rvmm qemu").split(),
    }
    if [o for o in cfg["only"] if o not in ("rvmm", "qemu")] or not cfg["only"]:
        fail("BENCH_ONLY must name rvmm and/or qemu, not %r" % " ".join(cfg["only"]))
    if not os.access(cfg["rvmm"], os.X_OK):
        fail("%s not found or not executable: run `make` first (or set RVMM)" % cfg["rvmm"])
    if not os.path.isfile(cfg["rvmm64"]):
        fail("%s not found: run `make riscv64` first (or set RVMM_RISCV64)" % cfg["rvmm64"])
    for key in ("kernel", "initrd"):
        if not os.path.isfile(cfg[key]):
            fail("guest %s %s not found: run `make guest` first" % (key, cfg[key]))
    if "qemu" in cfg["only"]:
        if not shutil.which(cfg["qemu"]):
            fail("%s not found: install qemu-system-misc (or set QEMU)" % cfg["qemu"])
        if not os.path.isfile(cfg["fw"]):
            fail("firmware %s not found: install Debian's opensbi package" % cfg["fw"])
    return cfg


def outer_argv(cfg, outer, initrd):
    if outer == "qemu":
        return [cfg["qemu"], "-M", "virt", "-cpu", "rv64,h=true", "-m", "1G", "-smp", "1",
                "-nographic", "-bios", cfg["fw"], "-kernel", cfg["kernel"], "-initrd", initrd,
                "-append", "console=ttyS0"]
    return [cfg["rvmm"], "--engine", "jit", "--cpu", "rv64,h=on", "-m", "1G", "--kernel",
            cfg["kernel"], "--initrd", initrd]


def expected():
    """The workload's answers, computed here: the awk sum (exact in a
    double, so awk prints it as an integer) and the digest of COPIES copies
    of `seq 1 SEQ_N`."""
    text = "".join("%d\n" % i for i in range(1, SEQ_N + 1)) * COPIES
    return str(sum(i * i for i in range(AWK_N))), hashlib.sha256(text.encode()).hexdigest()


def workload(con, where):
    """Runs the workload in the guest con's shell is in; returns its time
    in seconds (guest clock), checking both answers."""
    con.run("seq 1 %d > /tmp/b1; : > /tmp/b8; for k in $(seq %d); do cat /tmp/b1 >> /tmp/b8; done"
            % (SEQ_N, COPIES), TIMEOUT)
    awk_sum, digest = expected()
    cmd = ("awk 'BEGIN{s=0;for(i=0;i<%d;i++)s+=i*i;print s}'; sha256sum /tmp/b8" % AWK_N)
    t0 = time.monotonic()
    out = con.run(TIMED % cmd, TIMEOUT)
    host = time.monotonic() - t0
    m = TIMED_RX.search(out)
    if not m or awk_sum not in out or digest not in out:
        fail("%s: wrong workload answer: %r (want %s and %s)" % (where, out[-300:], awk_sum,
                                                                 digest), 1)
    con.run("rm -f /tmp/b1 /tmp/b8")
    return float(m.group(2)) - float(m.group(1)), host


def run_outer(cfg, outer, initrd):
    log = os.path.join(cfg["build"], "bench-logs", "nested-%s.log" % outer)
    r = {}
    t0 = time.monotonic()
    con = Console(outer_argv(cfg, outer, initrd), log)
    try:
        con.boot_to_shell(TIMEOUT)
        r["outer_boot"] = time.monotonic() - t0
        r["outer_work"], r["outer_work_host"] = workload(con, outer + " outer")
        t0 = time.monotonic()
        con.send(NESTED_CMD + "\n")
        con.boot_to_shell(TIMEOUT)
        r["nested_boot"] = time.monotonic() - t0
        out = con.run("test -e /dev/kvm && echo outer || echo nested")
        if out != "nested":
            fail("%s: the shell after the nested boot is not the nested guest's (%r)" % (outer, out), 1)
        r["nested_work"], r["nested_work_host"] = workload(con, outer + " nested")
        con.send("poweroff -f\n")
        # The prompt the last command left is still buffered: the outer
        # shell's is the one after the nested kernel's last words.
        con.expect("reboot: Power down", TIMEOUT)
        con.expect("~ # ", TIMEOUT)
        con.quiet()
        status = con.run("echo status=$?", TIMEOUT)
        if not status.endswith("status=0"):
            fail("%s: the nested rvmm ended with %r" % (outer, status), 1)
        con.send("poweroff -f\n")
        con.wait_exit(120)
    except (TimeoutError, EOFError) as e:
        fail("%s: %s (log %s)" % (outer, e, log), 1)
    finally:
        con.kill()
    print("%-5s outer boot %7.1f s  outer workload %7.2f s  nested boot %7.1f s  "
          "nested workload %7.2f s  (host wall: outer %.2f s, nested %.2f s)" % (
              outer, r["outer_boot"], r["outer_work"], r["nested_boot"], r["nested_work"],
              r["outer_work_host"], r["nested_work_host"]))
    sys.stdout.flush()
    return r


def main():
    cfg = config()
    os.makedirs(os.path.join(cfg["build"], "bench-logs"), exist_ok=True)
    work = os.path.join(cfg["build"], "bench-nested")
    os.makedirs(work, exist_ok=True)
    initrd = os.path.join(work, "outer.cpio.gz")
    build_outer_initrd(initrd, cfg["rvmm64"], cfg["kernel"], cfg["initrd"])
    print("bench/nested: workload awk %d iterations + sha256sum of %d x seq %d; nested guest "
          "%s" % (AWK_N, COPIES, SEQ_N, NESTED_CMD.split(" ", 1)[1]))
    res = {o: run_outer(cfg, o, initrd) for o in cfg["only"]}
    print()
    for o, r in res.items():
        print("nested tax (%s outer): workload nested/outer %.2f" % (o, r["nested_work"] / r["outer_work"]))
    if len(res) == 2:
        q, v = res["qemu"], res["rvmm"]
        print("rvmm/qemu (below 1: rvmm faster): nested boot %.2f, nested workload %.2f, "
              "outer boot %.2f, outer workload %.2f" % (
                  v["nested_boot"] / q["nested_boot"], v["nested_work"] / q["nested_work"],
                  v["outer_boot"] / q["outer_boot"], v["outer_work"] / q["outer_work"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
