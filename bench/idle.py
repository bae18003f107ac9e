"""Idle cost of a guest with a periodic tick: the same 256 MiB 2-vCPU guest
booted with nohz=off (250 ticks a second on each hart) under rvmm (JIT,
built-in SBI), rvmm (JIT, OpenSBI), rvmm (interpreter) and QEMU TCG
(OpenSBI), all at once, side by side. Once every guest idles at its shell,
each process's CPU time (utime + stime, /proc/PID/stat) is read over
BENCH_WINDOWS windows of BENCH_WINDOW seconds.

The machine this runs on is shared: its load changes a tick's cost
(the tick runs with the host's caches cold, and a busier host evicts more
of them), so a figure alone says as much about the load as about the VMM.
The guests run in the same windows, so they see the same load: the ratio
of each to QEMU in each window is a property of the VMMs, and its median
is printed beside the median CPU share. The 1% line is the issue's target
for rvmm, the guest's CPU share being the sum over its threads, as a
fraction of one core.

RVMM_BASE (another rvmm binary) adds it as rvmm-jit-base, to compare a
change in the same windows. Environment: RVMM, RVMM_BASE, QEMU, GUEST_KERNEL, GUEST_INITRD, OPENSBI_FW,
BENCH_WINDOWS (default 6), BENCH_WINDOW (default 10 s), BENCH_SETTLE
(default 10 s), BENCH_IDLE_ONLY (comma-separated names to run), BUILD."""
import os
import re
import shutil
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "guest"))
from console import PROMPT, Console  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def fail(msg):
    print("bench/idle: " + msg, file=sys.stderr)
    sys.exit(1)


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def guests():
    cache = os.environ.get("RVMM_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "rvmm")
    build = os.environ.get("BUILD", "build")
    rvmm = os.environ.get("RVMM", build + "/rvmm")
    qemu = os.environ.get("QEMU", "qemu-system-riscv64")
    kernel = os.environ.get("GUEST_KERNEL", os.path.join(cache, "guest", "Image"))
    initrd = os.environ.get("GUEST_INITRD", os.path.join(cache, "guest", "initramfs.cpio.gz"))
    fw = os.environ.get("OPENSBI_FW", "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin")
    if not os.access(rvmm, os.X_OK):
        fail("%s not found: run `make` first" % rvmm)
    for path in (kernel, initrd):
        if not os.path.isfile(path):
            fail("guest file %s not found: run `make guest` first" % path)
    if not shutil.which(qemu):
        fail("%s not found: install qemu-system-misc (or set QEMU)" % qemu)
    if not os.path.isfile(fw):
        fail("no OpenSBI firmware at %s: install opensbi (or set OPENSBI_FW)" % fw)
    append = "console=ttyS0 nohz=off"
    common = ["--kernel", kernel, "--initrd", initrd, "-m", "256M", "--smp", "2",
              "--append", append]
    all_ = [("qemu", [qemu, "-M", "virt", "-m", "256M", "-smp", "2", "-nographic", "-bios", fw,
                      "-kernel", kernel, "-initrd", initrd, "-append", append]),
            ("rvmm-jit", [rvmm, "--engine", "jit", "--bios", "builtin"] + common),
            ("rvmm-jit-opensbi", [rvmm, "--engine", "jit", "--bios", fw] + common),
            ("rvmm-interp", [rvmm, "--engine", "interp", "--bios", "builtin"] + common)]
    base = os.environ.get("RVMM_BASE")  # another build, to measure a change side by side
    if base:
        all_.append(("rvmm-jit-base", [base, "--engine", "jit", "--bios", "builtin"] + common))
    only = os.environ.get("BENCH_IDLE_ONLY")
    if only:
        all_ = [g for g in all_ if g[0] in only.split(",")]
    return all_, os.path.join(build, "bench-logs")


def main():
    windows = int(os.environ.get("BENCH_WINDOWS", "6"))
    window = float(os.environ.get("BENCH_WINDOW", "10"))
    settle = float(os.environ.get("BENCH_SETTLE", "10"))
    runs, logdir = guests()
    os.makedirs(logdir, exist_ok=True)
    cons = []
    try:
        for name, argv in runs:
            cons.append(Console(argv, os.path.join(logdir, "idle-%s.log" % name)))
        for (name, _), con in zip(runs, cons):
            try:
                con.expect(r"rvmm guest ready", 900)
                con.send("\n")
                con.expect(re.escape(PROMPT), 120)
            except (TimeoutError, EOFError) as e:
                fail("%s did not reach its shell: %s" % (name, e))
            con.quiet()
        time.sleep(settle)
        shares = {name: [] for name, _ in runs}
        for _ in range(windows):
            t0 = time.monotonic()
            c0 = [cpu_ticks(c.proc.pid) for c in cons]
            time.sleep(window)
            c1 = [cpu_ticks(c.proc.pid) for c in cons]
            span = time.monotonic() - t0
            for (name, _), a, b in zip(runs, c0, c1):
                shares[name].append(100.0 * (b - a) / TICK / span)
        for con in cons:
            con.send("poweroff -f\n")
    finally:
        for con in cons:
            con.kill()
    load = open("/proc/loadavg").read().split()[0]
    print("idle guest, 2 vCPUs, nohz=off (250 Hz): %% of one core over %d windows of %.0f s, "
          "load average %s" % (windows, window, load))
    print("%-18s %8s %8s %8s %10s" % ("vmm", "median", "min", "max", "vs qemu"))
    ref = shares.get("qemu")
    for name, _ in runs:
        s = shares[name]
        ratio = ""
        if ref and name != "qemu":
            ratios = [a / b for a, b in zip(s, ref) if b > 0]
            ratio = "%.2f" % statistics.median(ratios) if ratios else "-"
        print("%-18s %7.2f%% %7.2f%% %7.2f%% %10s" %
              (name, statistics.median(s), min(s), max(s), ratio))
    print("target: rvmm-jit under 1% of one core (issue 14)")


if __name__ == "__main__":
    main()
