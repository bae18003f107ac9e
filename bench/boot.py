"""Boot-and-workload benchmark: rvmm against qemu-system-riscv64 (TCG) on the
same firmware, kernel and initramfs. Each round boots both emulators in turn
(the order alternates between rounds), measures wall time from process start
to the first shell prompt, runs a fixed CPU workload timed by the guest's own
clock, powers off, and reads the child's peak RSS from wait4(). Prints one
line per run and a table of medians at the end. Python 3 stdlib only; reuses
tests/guest/console.py to drive the serial console.

Environment: BENCH_ROUNDS (default 5), RVMM (default build/rvmm), QEMU
(default qemu-system-riscv64), BENCH_FIRMWARE, GUEST_KERNEL, GUEST_INITRD,
RVMM_CACHE, BENCH_MEM (default 256M), BENCH_ENGINE (rvmm's --engine: jit or
interp; default: rvmm's own default), BENCH_APPEND (more kernel arguments
for every emulator, e.g. "norandmaps"), BUILD (console logs go to
$BUILD/bench-logs)."""
import hashlib
import os
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "guest"))
from console import PROMPT, Console  # noqa: E402

# Sizes are calibrated so that QEMU 7.2 TCG needs roughly 1-2 s per part.
SEQ_N = 300000          # lines of `seq` output: the data set (~1.9 MiB)
SHA_COPIES = 16         # sha256sum runs over this many copies of it (~30 MiB)
GZIP_COPIES = 4         # gzip compresses this many copies of it (~7.6 MiB)
AWK_N = 300000          # iterations of the awk floating-point loop

GUEST_READY = "rvmm guest ready"


def seq_bytes(n):
    return "".join("%d\n" % i for i in range(1, n + 1)).encode()


def mib(nbytes):
    return nbytes / (1 << 20)


def copies(n, dst):
    """Untimed guest command concatenating n copies of /tmp/d into dst."""
    return "for i in %s; do cat /tmp/d; done > %s" % (" ".join(str(i) for i in range(n)), dst)


def workload_parts():
    """(key, table label, untimed preparation or None, timed command,
    output check or None). A check returns False for a wrong answer; the
    gzip output (compressed size) must only agree between all runs."""
    data = seq_bytes(SEQ_N)
    big_sha = hashlib.sha256(data * SHA_COPIES).hexdigest()
    last = max(str(i) for i in range(1, SEQ_N + 1))
    awk_sum = sum(i * i for i in range(AWK_N))  # exact in a double: < 2^53
    return [
        ("seq", "seq %dk lines (s)" % (SEQ_N // 1000), None,
         "seq 1 %d > /tmp/d" % SEQ_N, None),
        ("sha256", "sha256 %.1f MiB (s)" % mib(len(data) * SHA_COPIES),
         copies(SHA_COPIES, "/tmp/big"),
         "sha256sum /tmp/big", lambda out: big_sha in out),
        ("gzip", "gzip %.1f MiB (s)" % mib(len(data) * GZIP_COPIES),
         "rm -f /tmp/big; " + copies(GZIP_COPIES, "/tmp/d4"),
         "gzip -c /tmp/d4 | wc -c", None),
        ("sort", "sort %dk lines (s)" % (SEQ_N // 1000), "rm -f /tmp/d4",
         "sort /tmp/d | tail -n 1", lambda out: out.strip() == last),
        ("awk", "awk loop %dk (s)" % (AWK_N // 1000), None,
         "awk 'BEGIN{s=0;for(i=0;i<%d;i++)s+=i*i;print s}'" % AWK_N,
         lambda out: out.strip() == str(awk_sum)),
    ]


def fail(msg):
    sys.stderr.write("bench/boot: %s\n" % msg)
    sys.exit(2)


def config():
    cache = os.environ.get("RVMM_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "rvmm")
    cfg = {
        "rounds": os.environ.get("BENCH_ROUNDS", "5"),
        "rvmm": os.environ.get("RVMM", "build/rvmm"),
        "qemu": os.environ.get("QEMU", "qemu-system-riscv64"),
        "fw": os.environ.get("BENCH_FIRMWARE",
                             "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"),
        "kernel": os.environ.get("GUEST_KERNEL", os.path.join(cache, "guest", "Image")),
        "initrd": os.environ.get("GUEST_INITRD",
                                 os.path.join(cache, "guest", "initramfs.cpio.gz")),
        "mem": os.environ.get("BENCH_MEM", "256M"),
        "engine": os.environ.get("BENCH_ENGINE", ""),
        "append": os.environ.get("BENCH_APPEND", ""),
        "logdir": os.path.join(os.environ.get("BUILD", "build"), "bench-logs"),
    }
    try:
        cfg["rounds"] = int(cfg["rounds"])
        if cfg["rounds"] < 1:
            raise ValueError
    except ValueError:
        fail("BENCH_ROUNDS must be a positive integer, not %r" % cfg["rounds"])
    if cfg["engine"] not in ("", "jit", "interp"):
        fail("BENCH_ENGINE must be jit or interp, not %r" % cfg["engine"])
    if not (os.path.isfile(cfg["rvmm"]) and os.access(cfg["rvmm"], os.X_OK)):
        fail("%s not found or not executable: run `make` first (or set RVMM)" % cfg["rvmm"])
    for key in ("kernel", "initrd"):
        if not os.path.isfile(cfg[key]):
            fail("guest %s %s not found: run `make guest` first (or set GUEST_%s)"
                 % (key, cfg[key], key.upper()))
    if not os.path.isfile(cfg["fw"]):
        fail("firmware %s not found: install Debian's opensbi package "
             "(or set BENCH_FIRMWARE)" % cfg["fw"])
    if not shutil.which(cfg["qemu"]):
        fail("%s not found: install qemu-system-misc (or set QEMU)" % cfg["qemu"])
    return cfg


def emulator_argv(cfg, name):
    append = " ".join(["console=ttyS0"] + cfg.get("append", "").split())
    if name == "rvmm":
        return [cfg["rvmm"], "--bios", cfg["fw"], "--kernel", cfg["kernel"],
                "--initrd", cfg["initrd"], "-m", cfg["mem"], "--append", append] + \
            (["--engine", cfg["engine"]] if cfg["engine"] else []) + cfg.get("rvmm_extra", [])
    return [cfg["qemu"], "-M", "virt", "-m", cfg["mem"], "-nographic", "-bios", cfg["fw"],
            "-kernel", cfg["kernel"], "-initrd", cfg["initrd"], "-append", append]


TIMED = 'read _a _ </proc/uptime; %s; read _b _ </proc/uptime; echo "__t $_a $_b"'
TIMED_RX = re.compile(r"__t ([0-9.]+) ([0-9.]+)\s*$")


def timed(con, cmd, timeout=600):
    """Runs cmd in the guest; returns (guest seconds, host seconds, output)."""
    t0 = time.monotonic()
    out = con.run(TIMED % cmd, timeout)
    host = time.monotonic() - t0
    m = TIMED_RX.search(out)
    if not m:
        raise RuntimeError("no timing line in output of %r: %r" % (cmd, out[-300:]))
    return float(m.group(2)) - float(m.group(1)), host, out[:m.start()]


def reap(con, timeout):
    """Waits for the emulator to exit, draining its console, and returns
    ru_maxrss in KiB from wait4 (Console.wait_exit would reap the child
    through Popen and lose its rusage)."""
    pid = con.proc.pid
    deadline = time.monotonic() + timeout
    status = None
    while status is None:
        wpid, st, ru = os.wait4(pid, os.WNOHANG)
        if wpid == pid:
            status = st
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            wpid, st, ru = os.wait4(pid, 0)
            status = st
            break
        try:
            if con._read(0.1) is None:  # console closed: the exit is near
                time.sleep(0.02)
        except (OSError, ValueError):
            time.sleep(0.1)
    con.proc.returncode = os.waitstatus_to_exitcode(status)
    return ru.ru_maxrss, con.proc.returncode


def cpu_seconds(pid):
    """User+system CPU time the emulator process has used so far: on a busy
    host it measures the work done, where wall time also counts waiting."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_once(cfg, name, rnd, parts):
    log = os.path.join(cfg["logdir"], "boot-%s-%d.log" % (name, rnd))
    t0 = time.monotonic()
    con = Console(emulator_argv(cfg, name), log)
    res = {}
    try:
        con.expect(GUEST_READY, 300)
        con.expect(re.escape(PROMPT), 120)
        res["boot"] = time.monotonic() - t0
        con.quiet()
        guest_total = host_total = cpu_total = 0.0
        for key, label, prep, cmd, check in parts:
            if prep:
                con.run(prep, 600)
            c0 = cpu_seconds(con.proc.pid)
            g, h, out = timed(con, cmd)
            cpu_total += cpu_seconds(con.proc.pid) - c0
            if check and not check(out):
                raise RuntimeError("%s: wrong output from %r: %r" % (name, cmd, out[-300:]))
            res[key] = g
            res[key + "_out"] = out.strip()
            guest_total += g
            host_total += h
        res["total"] = guest_total
        res["host_total"] = host_total
        res["cpu"] = cpu_total
        con.send("poweroff -f\n")
        rss_kib, code = reap(con, 60)
        if code != 0:
            print("  note: %s exited with status %d after poweroff" % (name, code))
        res["rss"] = rss_kib / 1024.0
    except BaseException:
        if con.proc.returncode is None:
            con.proc.kill()
            reap(con, 10)
        con.kill()
        sys.stderr.write("bench/boot: %s round %d failed; console log in %s\n"
                         % (name, rnd, log))
        raise
    con.kill()
    return res


def fmt(key, v):
    return "%.1f" % v if key == "rss" else "%.2f" % v


def main():
    cfg = config()
    os.makedirs(cfg["logdir"], exist_ok=True)
    # Benchmark a private copy so a rebuild of build/rvmm during the session
    # cannot swap the binary between rounds.
    tmp = tempfile.mkdtemp(prefix="rvmm-bench-")
    try:
        pinned = os.path.join(tmp, "rvmm")
        shutil.copy2(cfg["rvmm"], pinned)
        bench(cfg, pinned)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench(cfg, pinned):
    parts = workload_parts()
    emus = ["rvmm", "qemu"]
    print("bench/boot: %d rounds, -m %s, 1 hart; rvmm=%s (copied) qemu=%s" %
          (cfg["rounds"], cfg["mem"], cfg["rvmm"], cfg["qemu"]))
    cfg = dict(cfg, rvmm=pinned)
    print("  kernel %s\n  initrd %s\n  firmware %s" % (cfg["kernel"], cfg["initrd"], cfg["fw"]))
    sys.stdout.flush()
    results = {e: [] for e in emus}
    for rnd in range(1, cfg["rounds"] + 1):
        order = emus if rnd % 2 == 1 else emus[::-1]
        for name in order:
            r = run_once(cfg, name, rnd, parts)
            results[name].append(r)
            print("round %d %-4s boot %5.2f s  %s  total %6.2f s  cpu %6.2f s  rss %5.1f MiB" % (
                rnd, name, r["boot"],
                " ".join("%s %.2f" % (k, r[k]) for k, _, _, _, _ in parts),
                r["total"], r["cpu"], r["rss"]))
            sys.stdout.flush()

    sizes = {r["gzip_out"] for e in emus for r in results[e]}
    if len(sizes) != 1:
        raise RuntimeError("gzip output sizes differ between runs: %s" % sorted(sizes))

    def med(name, key):
        return statistics.median(r[key] for r in results[name])

    rows = [("boot to shell (s)", "boot")]
    rows += [(label, key) for key, label, _, _, _ in parts]
    rows += [("workload total (s)", "total"), ("workload host CPU (s)", "cpu"),
             ("peak RSS (MiB)", "rss")]
    print()
    print("medians over %d rounds (workload parts timed by the guest clock)" % cfg["rounds"])
    print("%-22s %9s %9s %10s %10s" % ("metric", "rvmm", "qemu", "rvmm/qemu", "qemu/rvmm"))
    for label, key in rows:
        a, b = med("rvmm", key), med("qemu", key)
        inv = "" if key == "rss" else "%10.2f" % (b / a if a else float("nan"))
        print("%-22s %9s %9s %10.2f %s" % (label, fmt(key, a), fmt(key, b),
                                           a / b if b else float("nan"), inv))
    a, b = med("rvmm", "total"), med("qemu", "total")
    print()
    print("rvmm speed relative to QEMU (workload total): %.2fx" % (b / a))
    a, b = med("rvmm", "cpu"), med("qemu", "cpu")
    print("rvmm speed relative to QEMU (host CPU time over the workload): %.2fx" % (b / a))
    # The guest clock is the emulator's timer; check it against the host's.
    for name in emus:
        g = sum(r["total"] for r in results[name])
        h = sum(r["host_total"] for r in results[name])
        ratio = g / h if h else float("nan")
        note = "" if 0.95 <= ratio <= 1.02 else "  WARNING: guest clock disagrees with host"
        print("%s guest clock / host clock over the workload: %.3f%s" % (name, ratio, note))


if __name__ == "__main__":
    # On SIGTERM/SIGHUP unwind normally so the running emulator is killed and
    # the temporary copy of rvmm is removed.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, frame: sys.exit(128 + signum))
    try:
        main()
    except (TimeoutError, EOFError, RuntimeError) as e:
        sys.stderr.write("bench/boot: %s\n" % e)
        sys.exit(1)
