"""Where an idle guest's tick goes: boots a guest (the rvmm command line
given as arguments, e.g. build/rvmm --bios builtin --kernel ... --smp 2
--stats --append "console=ttyS0 nohz=off"; --stats makes the JIT count
helper calls and chain hits) with an API socket, lets it idle, and
prints per guest tick over a window: host CPU time, per-thread CPU and
wake-ups, guest instructions, exits by reason, interrupts, TLB misses/flushes,
blocks translated/invalidated and the JIT's counters (GET /stats deltas).
With PERF=1 also records `perf record -g` on the process over the window.
Env: IDLE_SECONDS (window, default 10), SETTLE (default 5)."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "guest"))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "api"))
from console import PROMPT, Console  # noqa: E402
from apiclient import Api  # noqa: E402

SECONDS = float(os.environ.get("IDLE_SECONDS", "10"))
SETTLE = float(os.environ.get("SETTLE", "5"))
TICK = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def threads(pid):
    """{tid: (name, utime+stime ticks, utime, voluntary switches)}"""
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                head, rest = f.read().rsplit(")", 1)
            fields = rest.split()
            vol = 0
            with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
                for line in f:
                    if line.startswith("voluntary_ctxt_switches:"):
                        vol = int(line.split()[1])
            out[tid] = (head.split("(", 1)[1], int(fields[11]) + int(fields[12]),
                        int(fields[11]), vol)
        except OSError:
            pass
    return out


def flat(prefix, o, out):
    if isinstance(o, dict):
        for k, v in o.items():
            flat(prefix + "." + k if prefix else k, v, out)
    elif isinstance(o, (int, float)) and not isinstance(o, bool):
        out[prefix] = o
    return out


def main():
    argv = sys.argv[1:]
    tmp = tempfile.mkdtemp(prefix="idle-probe-")
    sock = os.path.join(tmp, "api.sock")
    con = Console(argv + ["--api-sock", sock], os.path.join(tmp, "console.log"))
    try:
        con.expect(r"rvmm guest ready", 600)
        con.send("\n")
        con.expect(PROMPT, 60)
        con.quiet()
        api = Api(sock)
        time.sleep(SETTLE)
        pid = con.proc.pid
        perf = None
        if os.environ.get("PERF") == "1":
            perf = subprocess.Popen(["perf", "record", "-F", "2000", "-g", "-o",
                                     os.environ.get("PERF_OUT", "/tmp/idle-perf.data"),
                                     "-p", str(pid)], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
        s0 = flat("", api.get("/stats")[1], {})
        th0 = threads(pid)
        t0, c0 = time.monotonic(), cpu_ticks(pid)
        time.sleep(SECONDS)
        t1, c1 = time.monotonic(), cpu_ticks(pid)
        th1 = threads(pid)
        s1 = flat("", api.get("/stats")[1], {})
        if perf:
            perf.send_signal(2)
            perf.wait()
        span = t1 - t0
        ticks = sum(s1.get(k, 0) - s0.get(k, 0) for k in s1 if k.startswith("interrupts.s_timer"))
        pct = 100.0 * (c1 - c0) / TICK / span
        print("window %.1f s: %.2f%% of a core, %d s_timer interrupts (%.0f/s)" %
              (span, pct, ticks, ticks / span))
        if ticks:
            print("host CPU per tick: %.1f us" % ((c1 - c0) / TICK / ticks * 1e6))
        for tid in sorted(th1):
            a = th0.get(tid, ("", 0, 0, 0))
            b = th1[tid]
            if b[1] - a[1] or b[3] - a[3]:
                print("  thread %s %-12s cpu %5.2f%% (user %5.2f%%) wake-ups %6.0f/s" %
                      (tid, b[0], 100.0 * (b[1] - a[1]) / TICK / span,
                       100.0 * (b[2] - a[2]) / TICK / span, (b[3] - a[3]) / span))
        for k in sorted(s1):
            d = s1[k] - s0.get(k, 0)
            if d and "memory" not in k and "bytes" not in k:
                print("  %-40s %12d  %10.1f/tick" % (k, d, d / ticks if ticks else 0))
        if os.environ.get("SMAPS") == "1":
            m = None
            with open("/proc/%d/smaps" % pid) as f:
                for line in f:
                    if "-" in line.split()[0] and ":" not in line.split()[0]:
                        m, size = line.strip(), 0
                    elif line.startswith("Size:"):
                        size = int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss = int(line.split()[1])
                    elif line.startswith("AnonHugePages:") and size >= 1024:
                        print("  smaps size %7d kB rss %7d kB thp %7s kB  %s" %
                              (size, rss, line.split()[1], m[:60]))
        con.send("poweroff -f\n")
        con.wait_exit(30)
    finally:
        con.kill()
        if os.path.exists(sock):
            os.unlink(sock)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
