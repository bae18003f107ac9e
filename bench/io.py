"""I/O benchmark: rvmm against qemu-system-riscv64 (TCG) on the same firmware,
kernel and initramfs, each with two scratch virtio-blk disks (one raw, one
qcow2, fresh every run) and a virtio-net NIC behind user-mode NAT (slirp).
Each round boots both emulators (the order alternates) and measures:

  disk write   dd of zeros onto the whole device with conv=fsync
  disk read    dd of the whole device after dropping the page cache
  tcp out      guest busybox nc sends zeros to a host socket (10.0.2.2)
  tcp in       the host sends to the guest's `nc -l` through a hostfwd port

Disk times are busybox dd's own ("copied, S seconds", the guest clock); TCP
times are the host's (first byte to end of stream). Prints MiB/s per run and
a table of medians with the rvmm/QEMU ratio (above 1: rvmm is faster). Not a
test: the numbers depend on the host and its load.

Environment: as bench/boot.py (BENCH_ROUNDS default 3 here, RVMM, QEMU,
BENCH_FIRMWARE, GUEST_KERNEL, GUEST_INITRD, RVMM_CACHE, BENCH_MEM, BUILD),
plus BENCH_DISK_MIB (default 32) and BENCH_NET_MIB (default 16)."""
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import boot  # noqa: E402
from boot import PROMPT, Console, fail, reap  # noqa: E402

DISK_MIB = int(os.environ.get("BENCH_DISK_MIB", "32"))
NET_MIB = int(os.environ.get("BENCH_NET_MIB", "16"))
GUEST_PORT = 5001
DD_RX = re.compile(r"copied, ([0-9.]+) seconds")
DROP = "sync; echo 3 > /proc/sys/vm/drop_caches; "
METRICS = [("raw_write", "raw disk write (MiB/s)"), ("raw_read", "raw disk read (MiB/s)"),
           ("qcow2_write", "qcow2 disk write (MiB/s)"), ("qcow2_read", "qcow2 disk read (MiB/s)"),
           ("tcp_out", "tcp guest->host (MiB/s)"), ("tcp_in", "tcp host->guest (MiB/s)")]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_disks(tmp):
    """A raw and a qcow2 image of different sizes: the guest tells them
    apart by size, whatever order the emulator probes them in."""
    raw = os.path.join(tmp, "d.raw")
    qcow = os.path.join(tmp, "d.qcow2")
    with open(raw, "wb") as f:
        f.truncate(DISK_MIB << 20)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", qcow, "%dM" % (DISK_MIB + 1)],
                   check=True)
    return raw, qcow


def emulator_argv(cfg, name, raw, qcow, hport):
    fwd = "hostfwd=tcp:127.0.0.1:%d-:%d" % (hport, GUEST_PORT)
    if name.startswith("rvmm"):
        # rvmm-nosc: the same without the seccomp filters (on by default).
        nosc = ["--no-seccomp"] if name == "rvmm-nosc" else []
        return boot.emulator_argv(cfg, "rvmm") + nosc + [
            "--drive", "file=%s,format=raw" % raw, "--drive", "file=%s,format=qcow2" % qcow,
            "--net", "user," + fwd]
    return boot.emulator_argv(cfg, name) + [
        "-drive", "file=%s,format=raw,if=none,id=d0" % raw,
        "-device", "virtio-blk-device,drive=d0",
        "-drive", "file=%s,format=qcow2,if=none,id=d1" % qcow,
        "-device", "virtio-blk-device,drive=d1",
        "-netdev", "user,id=n0," + fwd, "-device", "virtio-net-device,netdev=n0"]


def dd_mibps(con, cmd):
    out = con.run(cmd + " 2>&1", 900)
    m = DD_RX.search(out)
    if not m:
        raise RuntimeError("no dd timing in %r" % out[-300:])
    return DISK_MIB / float(m.group(1))


def disk_parts(con, res):
    sizes = con.run("for d in /sys/block/vd*; do echo ${d##*/} $(cat $d/size); done")
    devs = {int(n) >> 11: d for d, n in (l.split() for l in sizes.splitlines())}
    for fmt, mib in (("raw", DISK_MIB), ("qcow2", DISK_MIB + 1)):
        dev = "/dev/" + devs[mib]
        res[fmt + "_write"] = dd_mibps(
            con, "dd if=/dev/zero of=%s bs=1M count=%d conv=fsync" % (dev, DISK_MIB))
        res[fmt + "_read"] = dd_mibps(
            con, DROP + "dd if=%s of=/dev/null bs=1M count=%d" % (dev, DISK_MIB))


def sink_server():
    """A host socket that counts what one client sends; returns (port,
    thread, result dict with bytes and first/last byte times)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    srv.settimeout(300)
    res = {"bytes": 0}

    def serve():
        try:
            c, _ = srv.accept()
        except OSError:
            return
        with c:
            while True:
                d = c.recv(1 << 16)
                if not d:
                    break
                res.setdefault("t0", time.monotonic())
                res["bytes"] += len(d)
            res["t1"] = time.monotonic()
        srv.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return srv.getsockname()[1], t, res


def tcp_out(con):
    port, thread, res = sink_server()
    con.run("dd if=/dev/zero bs=64k count=%d 2>/dev/null | nc 10.0.2.2 %d" % (NET_MIB * 16, port),
            900)
    thread.join(60)
    if res["bytes"] != NET_MIB << 20 or "t1" not in res:
        raise RuntimeError("tcp out: host got %d bytes" % res["bytes"])
    return NET_MIB / (res["t1"] - res["t0"])


def tcp_in(con, hport):
    con.run("( nc -l -p %d > /dev/null </dev/null 2>&1 & ); for i in $(seq 100); do "
            "netstat -ltn | grep -q ':%d ' && break; sleep 0.2; done" % (GUEST_PORT, GUEST_PORT),
            60)
    chunk = bytes(1 << 16)
    with socket.create_connection(("127.0.0.1", hport), timeout=300) as s:
        t0 = time.monotonic()
        for _ in range(NET_MIB * 16):
            s.sendall(chunk)
        s.shutdown(socket.SHUT_WR)
        while s.recv(1 << 16):  # the guest's nc closes once it has it all
            pass
        return NET_MIB / (time.monotonic() - t0)


def run_once(cfg, name, rnd, tmp):
    raw, qcow = make_disks(tmp)
    hport = free_port()
    log = os.path.join(cfg["logdir"], "io-%s-%d.log" % (name, rnd))
    con = Console(emulator_argv(cfg, name, raw, qcow, hport), log)
    res = {}
    try:
        con.expect(boot.GUEST_READY, 300)
        con.expect(re.escape(PROMPT), 120)
        con.quiet()
        disk_parts(con, res)
        out = con.run("udhcpc -i eth0 -n -q -t 5 -T 2 >/dev/null 2>&1; echo rc=$?", 120)
        if not out.endswith("rc=0"):
            raise RuntimeError("%s: no DHCP lease: %r" % (name, out))
        res["tcp_out"] = tcp_out(con)
        res["tcp_in"] = tcp_in(con, hport)
        con.send("poweroff -f\n")
        reap(con, 60)
    except BaseException:
        if con.proc.returncode is None:
            con.proc.kill()
            reap(con, 10)
        con.kill()
        sys.stderr.write("bench/io: %s round %d failed; console log in %s\n" % (name, rnd, log))
        raise
    con.kill()
    return res


def bench(cfg, tmp):
    emus = ["rvmm", "qemu", "rvmm-nosc"]
    print("bench/io: %d rounds, -m %s, disks %d MiB (raw, qcow2), tcp %d MiB; rvmm=%s (copied)"
          " qemu=%s" % (cfg["rounds"], cfg["mem"], DISK_MIB, NET_MIB, cfg["rvmm_orig"],
                        cfg["qemu"]))
    sys.stdout.flush()
    results = {e: [] for e in emus}
    for rnd in range(1, cfg["rounds"] + 1):
        for name in (emus if rnd % 2 else emus[::-1]):
            r = run_once(cfg, name, rnd, tmp)
            results[name].append(r)
            print("round %d %-4s %s" % (rnd, name,
                                        "  ".join("%s %.1f" % (k, r[k]) for k, _ in METRICS)))
            sys.stdout.flush()
    print()
    print("medians over %d rounds, MiB/s" % cfg["rounds"])
    print("%-26s %9s %9s %10s %9s %10s" % ("metric", "rvmm", "qemu", "rvmm/qemu", "nosc",
                                           "rvmm/nosc"))
    for key, label in METRICS:
        a = statistics.median(r[key] for r in results["rvmm"])
        b = statistics.median(r[key] for r in results["qemu"])
        n = statistics.median(r[key] for r in results["rvmm-nosc"])
        print("%-26s %9.1f %9.1f %10.2f %9.1f %10.2f" % (label, a, b, a / b if b else float("nan"),
                                                      n, a / n if n else float("nan")))


def main():
    os.environ.setdefault("BENCH_ROUNDS", "3")
    cfg = boot.config()
    if not shutil.which("qemu-img"):
        fail("qemu-img not found: install qemu-utils")
    os.makedirs(cfg["logdir"], exist_ok=True)
    # A private copy of rvmm, so a rebuild during the session cannot swap it.
    tmp = tempfile.mkdtemp(prefix="rvmm-bench-io-")
    try:
        pinned = os.path.join(tmp, "rvmm")
        shutil.copy2(cfg["rvmm"], pinned)
        bench(dict(cfg, rvmm=pinned, rvmm_orig=cfg["rvmm"]), tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, frame: sys.exit(128 + signum))
    main()
