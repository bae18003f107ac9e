"""Live migration benchmark: downtime and total migration time of the same
guest (kernel and initramfs, BENCH_MEM of RAM, default 256M), idle at its
shell prompt and while it rewrites 64 MiB of tmpfs in a loop, migrated over
TCP on 127.0.0.1 to a second process of the same emulator:
 - rvmm: destination `rvmm --incoming tcp:127.0.0.1:PORT`, source
   `PUT /migration/send` on its API; the figures are the source's closing
   line (downtime from the pause to the destination's answer that it built
   the VM, and its source side: from the pause to the last byte sent);
 - QEMU: destination `-incoming tcp:127.0.0.1:PORT`, source monitor
   `migrate -d tcp:...` with auto-converge on (rvmm's default), figures from
   `info migrate` (downtime, total time). QEMU 7.2's downtime stops when the
   source has sent everything (no return path): the "source-side" row
   compares like with like, the "downtime" row puts rvmm's whole pause
   against it.
Both keep their default downtime limit (300 ms). Prints the medians over
BENCH_ROUNDS rounds (default 3) and the ratios rvmm/qemu. A migration that
does not complete in BENCH_TIMEOUT seconds (default 300) is reported so.

Environment: BENCH_ROUNDS, BENCH_MEM, BENCH_TIMEOUT, RVMM (default
build/rvmm), QEMU (default qemu-system-riscv64), GUEST_KERNEL,
GUEST_INITRD, RVMM_CACHE, BUILD."""
import json
import os
import re
import socket
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "guest"))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "api"))
sys.path.insert(0, HERE)
from apiclient import Api  # noqa: E402
from console import Console  # noqa: E402
from lifecycle import config, fail, monitor, qemu_argv  # noqa: E402

DIRTY = ("dd if=/dev/urandom of=/tmp/d bs=1M count=64 2>/dev/null; "
         "(while :; do dd if=/tmp/d of=/tmp/e bs=1M conv=notrunc 2>/dev/null; done) &\n")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def ready(con, dirty):
    con.expect(r"rvmm guest ready", 600)
    con.send("\n")
    con.expect(r"# ", 60)
    if dirty:
        con.send(DIRTY)
        con.send("echo DIR""TYING\n")
        con.expect(r"DIRTYING", 300)
    time.sleep(1)  # the guest settles (idle) or the loop gets going (dirty)


def rvmm_once(cfg, d, dirty, timeout):
    sock = os.path.join(d, "api.sock")
    url = "tcp:127.0.0.1:%d" % free_port()
    base = [cfg["rvmm"], "-m", cfg["mem"]]
    src = Console(base + ["--api-sock", sock, "--kernel", cfg["kernel"], "--initrd",
                          cfg["initrd"]], os.path.join(cfg["logdir"], "migration-rvmm-src.log"))
    dst = Console([cfg["rvmm"], "--incoming", url],
                  os.path.join(cfg["logdir"], "migration-rvmm-dst.log"))
    try:
        dst.expect("waiting for a migration", 60)
        ready(src, dirty)
        status, reply, _ = Api(sock).call("PUT", "/migration/send", {"destination_url": url})
        if status != 204:
            fail("rvmm refused the migration: %s" % reply)
        m = src.expect(r"downtime (\d+) ms, total (\d+) ms, .*source side of the downtime "
                       r"([\d.]+) ms", timeout)
        return float(m.group(1)), float(m.group(2)), float(m.group(3))
    except TimeoutError:
        return None
    finally:
        src.kill()
        dst.kill()


def qemu_once(cfg, d, dirty, timeout):
    sock = os.path.join(d, "mon.sock")
    port = free_port()
    src = Console(qemu_argv(cfg, ["-monitor", "unix:%s,server,nowait" % sock]),
                  os.path.join(cfg["logdir"], "migration-qemu-src.log"))
    dst = Console(qemu_argv(cfg, ["-incoming", "tcp:127.0.0.1:%d" % port]),
                  os.path.join(cfg["logdir"], "migration-qemu-dst.log"))
    try:
        ready(src, dirty)
        monitor(sock, "migrate_set_capability auto-converge on")
        monitor(sock, "migrate -d tcp:127.0.0.1:%d" % port)
        deadline = time.monotonic() + timeout
        while True:
            info = monitor(sock, "info migrate")
            if re.search(r"[Ss]tatus: completed", info):
                break
            if re.search(r"[Ss]tatus: failed", info) or time.monotonic() > deadline:
                return None
            time.sleep(0.2)
        down = re.search(r"downtime: (\d+) ms", info)
        total = re.search(r"total time: (\d+) ms", info)
        if not down or not total:
            fail("cannot read QEMU's info migrate: %r" % info[-400:])
        return float(down.group(1)), float(total.group(1)), float(down.group(1))
    finally:
        src.kill()
        dst.kill()


def main():
    cfg = config()
    timeout = float(os.environ.get("BENCH_TIMEOUT", "300"))
    rows = {}
    with tempfile.TemporaryDirectory(prefix="rvmm-bench-mig-") as d:
        for r in range(cfg["rounds"]):
            for dirty in (False, True):
                for emu, fn in (("rvmm", rvmm_once), ("qemu", qemu_once)):
                    res = fn(cfg, d, dirty, timeout)
                    key = (emu, "dirtying" if dirty else "idle")
                    rows.setdefault(key, []).append(res)
                    print("round %d %-5s %-9s %s" % (r + 1, emu, key[1], "did not complete"
                          if res is None else "downtime %4.0f ms, total %6.0f ms, source side "
                          "%5.1f ms" % res))
                    sys.stdout.flush()
    print("\nmedians over %d rounds (%s guest)   rvmm      qemu   rvmm/qemu" % (
        cfg["rounds"], cfg["mem"]))
    out = {}
    for kind in ("idle", "dirtying"):
        for i, what in ((0, "downtime ms"), (2, "source-side ms"), (1, "total ms")):
            vals = {}
            for emu in ("rvmm", "qemu"):
                got = [x[i] for x in rows[(emu, kind)] if x is not None]
                vals[emu] = statistics.median(got) if got else None
            a, b = vals["rvmm"], vals["qemu"]
            ratio = "%.2f" % (a / b) if a is not None and b else "-"
            f = "%.1f" if i == 2 else "%.0f"
            print("%-9s %-14s %7s %9s %9s" % (kind, what, "-" if a is None else f % a,
                                              "-" if b is None else f % b, ratio))
            out["%s_%s" % (kind, what.split()[0])] = vals
    print(json.dumps(out))


if __name__ == "__main__":
    main()
