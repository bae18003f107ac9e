"""Density benchmark: what N idle guests of 256 MiB cost the host, rvmm
against qemu-system-riscv64 (TCG), on the same kernel and initramfs.

Scenarios (each: start N guests, wait until each answers a shell command,
let them settle BENCH_SETTLE seconds, then measure over BENCH_IDLE seconds):
 - rvmm cold: N cold boots under the JIT;
 - rvmm reporting: the same with --balloon free_page_reporting=on (the
   guests return the memory they freed after boot);
 - rvmm clones: N clones of one snapshot taken at the shell prompt
   (--restore, RAM mapped copy-on-write from one memory file);
 - rvmm ksm: cold boots with --mem-merge on, measured once KSM has done two
   full scans after they settled (only with BENCH_KSM=1, which switches the
   host's KSM on for the run and back off after: it needs root);
 - qemu cold: N cold boots (QEMU's default mem-merge=on: merging happens
   only if KSM runs); qemu reporting: with -device
   virtio-balloon-device,free-page-reporting=on.
Per scenario: the sum of the guests' PSS (/proc/PID/smaps_rollup: shared
pages divided among the processes sharing them) and their host CPU share
over the idle period (utime+stime from /proc/PID/stat, percent of one core,
summed over the N processes). Prints a table and the ratios to QEMU.

Both emulators boot read-only copies of the kernel and initramfs (mode
0444 in a temporary directory): what a host serving many VMs from one
image does, and what lets rvmm map them into guest RAM copy-on-write
(the page cache of the kernel's text shared by every guest) instead of
copying them into each.

Environment: BENCH_N (default 8), BENCH_SETTLE (default 20), BENCH_IDLE
(default 60), BENCH_KSM (default 0), BENCH_SCENARIOS (comma-separated
names to run, e.g. "rvmm cold,rvmm clones,qemu cold"; default all), RVMM,
SNAPDRV, QEMU, GUEST_KERNEL, GUEST_INITRD, RVMM_CACHE, BUILD."""
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests", "guest"))
from console import Console  # noqa: E402
from lifecycle import answer, config, pss_kib, qemu_argv, save_rvmm, to_prompt, wake  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
KSM = "/sys/kernel/mm/ksm/"


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def ksm_read(name):
    with open(KSM + name) as f:
        return int(f.read())


def ksm_write(name, value):
    with open(KSM + name, "w") as f:
        f.write(str(value))


def run(cfg, name, argv, reach, n, settle, idle, ksm=False):
    """Starts n guests of argv, returns (total PSS MiB, CPU % of one core)."""
    cons = []
    try:
        for k in range(n):
            cons.append(Console(argv, os.path.join(cfg["logdir"], "density-%s-%d.log" % (name, k))))
        for con in cons:
            reach(con)
            answer(con, 600)
        time.sleep(settle)
        if ksm:  # two full scans after the guests settled
            want = ksm_read("full_scans") + 2
            deadline = time.monotonic() + 1200
            while ksm_read("full_scans") < want and time.monotonic() < deadline:
                time.sleep(1)
        t0 = time.monotonic()
        c0 = sum(cpu_ticks(c.proc.pid) for c in cons)
        time.sleep(idle)
        c1 = sum(cpu_ticks(c.proc.pid) for c in cons)
        pct = 100.0 * (c1 - c0) / TICK / (time.monotonic() - t0)
        pss = sum(pss_kib(c.proc.pid) for c in cons) / 1024.0
        return pss, pct
    finally:
        for con in cons:
            con.kill()


def main():
    cfg = config()
    n = int(os.environ.get("BENCH_N", "8"))
    settle = float(os.environ.get("BENCH_SETTLE", "20"))
    idle = float(os.environ.get("BENCH_IDLE", "60"))
    use_ksm = os.environ.get("BENCH_KSM", "0") == "1"
    only = [x.strip() for x in os.environ.get("BENCH_SCENARIOS", "").split(",") if x.strip()]
    d = tempfile.mkdtemp(prefix="rvmm-density-")
    for key in ("kernel", "initrd"):
        copy = os.path.join(d, os.path.basename(cfg[key]))
        shutil.copyfile(cfg[key], copy)
        os.chmod(copy, 0o444)
        cfg[key] = copy
    rows = []
    ksm_was = None
    try:
        cold = [cfg["rvmm"], "--kernel", cfg["kernel"], "--initrd", cfg["initrd"],
                "-m", cfg["mem"], "--append", "console=ttyS0"]
        scenarios = [
            ("rvmm cold", cold, to_prompt, False),
            ("rvmm reporting", cold + ["--balloon", "free_page_reporting=on"], to_prompt, False),
            ("rvmm clones", [cfg["rvmm"]] + (save_rvmm(cfg, d) if not only or "rvmm clones" in only
                                              else []), wake, False),
            ("qemu cold", qemu_argv(cfg), to_prompt, False),
            ("qemu reporting", qemu_argv(cfg, ["-device",
                                               "virtio-balloon-device,free-page-reporting=on"]),
             to_prompt, False),
        ]
        if use_ksm:
            ksm_was = ksm_read("run")
            ksm_write("run", 1)
            scenarios.append(("rvmm ksm", cold + ["--mem-merge", "on"], to_prompt, True))
            scenarios.append(("qemu ksm", qemu_argv(cfg), to_prompt, True))
        for name, argv, reach, ksm in scenarios:
            if only and name not in only:
                continue
            pss, pct = run(cfg, name.replace(" ", "-"), argv, reach, n, settle, idle, ksm)
            rows.append((name, pss, pct))
            print("%-16s %d guests: PSS %.1f MiB (%.1f per guest), CPU %.2f%% of a core" %
                  (name, n, pss, pss / n, pct))
            sys.stdout.flush()
        q = dict((r[0], r) for r in rows)
        print("\n%-16s %10s %10s %12s" % ("scenario", "PSS MiB", "CPU %", "PSS / qemu"))
        for name, pss, pct in rows:
            ratio = pss / q["qemu cold"][1] if "qemu cold" in q else float("nan")
            print("%-16s %10.1f %10.2f %12.2f" % (name, pss, pct, ratio))
    finally:
        if ksm_was is not None:
            ksm_write("run", ksm_was)
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
