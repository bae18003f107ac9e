"""Disk benchmark: rvmm against qemu-system-riscv64 (TCG), each booting the
same kernel from the ext4 root disk through its own fresh qcow2 overlay on
rootfs.ext4 (virtio-blk on virtio-mmio in both). Each round runs both (the
order alternates), and in the guest: a 64 MiB file write ending in fsync, a
read of it back with the page cache dropped, and a 128 MiB read of the raw
device. Times are busybox dd's own ("copied, S seconds"), so they are the
guest clock's. Prints one line per run and a table of medians with the
rvmm/QEMU ratio (above 1 means rvmm took longer). Not a test: numbers
depend on the host and its load.

Environment: BENCH_ROUNDS (default 3), RVMM (default build/rvmm), QEMU
(default qemu-system-riscv64), BENCH_FIRMWARE, GUEST_KERNEL, RVMM_CACHE,
BUILD (console logs go to $BUILD/bench-logs)."""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "guest"))
from console import PROMPT, Console  # noqa: E402

APPEND = "console=ttyS0 root=/dev/vda rw"
DROP = "sync; echo 3 > /proc/sys/vm/drop_caches; "
PARTS = [
    ("write", "write 64 MiB + fsync (s)",
     "dd if=/dev/zero of=/root/w bs=1M count=64 conv=fsync 2>&1"),
    ("read", "read 64 MiB file, cold (s)", DROP + "dd if=/root/w of=/dev/null bs=1M 2>&1"),
    ("device", "read 128 MiB /dev/vda (s)",
     DROP + "dd if=/dev/vda of=/dev/null bs=1M count=128 2>&1"),
]


def config():
    cache = os.environ.get("RVMM_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "rvmm")
    guest = os.path.join(cache, "guest")
    c = {
        "rounds": int(os.environ.get("BENCH_ROUNDS", "3")),
        "rvmm": os.environ.get("RVMM", "build/rvmm"),
        "qemu": os.environ.get("QEMU", "qemu-system-riscv64"),
        "fw": os.environ.get("BENCH_FIRMWARE",
                             "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"),
        "kernel": os.environ.get("GUEST_KERNEL", os.path.join(guest, "Image")),
        "base": os.path.join(guest, "rootfs.ext4"),
        "logs": os.path.join(os.environ.get("BUILD", "build"), "bench-logs"),
    }
    for k in ("rvmm", "fw", "kernel", "base"):
        if not os.path.exists(c[k]) and not shutil.which(c[k]):
            sys.stderr.write("bench/blk: %s missing (make && make guest)\n" % c[k])
            sys.exit(2)
    return c


def argv(c, who, disk):
    if who == "rvmm":
        return [c["rvmm"], "--bios", c["fw"], "--kernel", c["kernel"], "-m", "256M",
                "--append", APPEND, "--drive", "file=%s,format=qcow2" % disk]
    return [c["qemu"], "-M", "virt", "-m", "256M", "-nographic", "-bios", c["fw"],
            "-kernel", c["kernel"], "-append", APPEND,
            "-drive", "file=%s,if=none,id=d,format=qcow2" % disk,
            "-device", "virtio-blk-device,drive=d"]


def run_one(c, who, tmp, rnd):
    disk = os.path.join(tmp, "%s.qcow2" % who)
    if os.path.exists(disk):
        os.unlink(disk)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", c["base"], "-F", "raw",
                    disk], check=True)
    con = Console(argv(c, who, disk), os.path.join(c["logs"], "blk-%s-%d.log" % (who, rnd)))
    try:
        con.expect("rvmm guest ready", 300)
        con.send("\n")
        con.expect(PROMPT, 60)
        con.quiet()
        con.run("dmesg -n 1")
        times = {}
        for key, _, cmd in PARTS:
            out = con.run(cmd, 600)
            m = re.search(r"copied, ([0-9.]+) seconds", out)
            if not m:
                sys.stderr.write("bench/blk: %s %s: %r\n" % (who, key, out))
                sys.exit(1)
            times[key] = float(m.group(1))
        con.send("poweroff -f\n")
        con.wait_exit(60)
        return times
    finally:
        con.kill()


def main():
    c = config()
    os.makedirs(c["logs"], exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="rvmm-bench-blk-")
    res = {"rvmm": [], "qemu": []}
    try:
        for rnd in range(c["rounds"]):
            order = ("rvmm", "qemu") if rnd % 2 == 0 else ("qemu", "rvmm")
            for who in order:
                t = run_one(c, who, tmp, rnd)
                res[who].append(t)
                print("round %d %-4s " % (rnd + 1, who) +
                      "  ".join("%s %.2f s" % (k, t[k]) for k, _, _ in PARTS))
                sys.stdout.flush()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("\n%-30s %10s %10s %8s" % ("median over %d rounds" % c["rounds"], "rvmm", "qemu",
                                     "ratio"))
    for key, label, _ in PARTS:
        r = statistics.median(t[key] for t in res["rvmm"])
        q = statistics.median(t[key] for t in res["qemu"])
        print("%-30s %10.2f %10.2f %8.2f" % (label, r, q, r / q if q else float("nan")))


if __name__ == "__main__":
    main()
