"""Lifecycle benchmark: how fast a saved guest is running again, and what
clones of it cost, rvmm against qemu-system-riscv64 (TCG) on the same
kernel and initramfs.

For each emulator:
 - cold: host wall time from process start to the guest answering a shell
   command (`echo $((6*7))` -> 42) after booting;
 - restore: the same guest saved at its shell prompt, then host wall time
   from process start to the same answer. rvmm saves through the embedding
   API (build/tests/snapdrv: pause + vm_snapshot_create) and restores with
   `rvmm --restore STATE --mem-file MEM`; QEMU saves with the monitor's
   `migrate "exec:cat > FILE"` and restores with `-incoming "exec:cat FILE"`;
 - memory: PSS (from /proc/PID/smaps_rollup, shared pages divided among the
   processes sharing them) of 1 and of 10 restored clones running at once.
Prints the medians over BENCH_ROUNDS rounds and the ratios rvmm/qemu.

rvmm runs its builtin SBI (its default), QEMU its default firmware
(OpenSBI): both boot the same kernel and initramfs to the same point.

Environment: BENCH_ROUNDS (default 3), RVMM (default build/rvmm), SNAPDRV
(default build/tests/snapdrv), QEMU (default qemu-system-riscv64),
GUEST_KERNEL, GUEST_INITRD, RVMM_CACHE, BENCH_MEM (default 256M), BUILD."""
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "guest"))
from console import PROMPT, Console  # noqa: E402

CLONES = 10


def fail(msg):
    sys.stderr.write("bench/lifecycle: %s\n" % msg)
    sys.exit(2)


def config():
    cache = os.environ.get("RVMM_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "rvmm")
    build = os.environ.get("BUILD", "build")
    cfg = {
        "rounds": int(os.environ.get("BENCH_ROUNDS", "3")),
        "rvmm": os.environ.get("RVMM", build + "/rvmm"),
        "snapdrv": os.environ.get("SNAPDRV", build + "/tests/snapdrv"),
        "qemu": os.environ.get("QEMU", "qemu-system-riscv64"),
        "kernel": os.environ.get("GUEST_KERNEL", os.path.join(cache, "guest", "Image")),
        "initrd": os.environ.get("GUEST_INITRD", os.path.join(cache, "guest", "initramfs.cpio.gz")),
        "mem": os.environ.get("BENCH_MEM", "256M"),
        "logdir": os.path.join(build, "bench-logs"),
    }
    for key, hint in (("rvmm", "make"), ("snapdrv", "make build/tests/snapdrv")):
        if not os.access(cfg[key], os.X_OK):
            fail("%s not found: run `%s` first" % (cfg[key], hint))
    for key in ("kernel", "initrd"):
        if not os.path.isfile(cfg[key]):
            fail("guest %s %s not found: run `make guest` first" % (key, cfg[key]))
    if not shutil.which(cfg["qemu"]):
        fail("%s not found: install qemu-system-misc (or set QEMU)" % cfg["qemu"])
    os.makedirs(cfg["logdir"], exist_ok=True)
    return cfg


def qemu_argv(cfg, extra=()):
    return [cfg["qemu"], "-M", "virt", "-m", cfg["mem"], "-nographic", "-kernel", cfg["kernel"],
            "-initrd", cfg["initrd"], "-append", "console=ttyS0"] + list(extra)


def answer(con, timeout=300):
    """Waits until the guest shell answers a command; the marker is split by
    quotes so the echoed command line never matches."""
    con.send('echo AN""SWER$((6*7))\n')
    con.expect(r"ANSWER42", timeout)


def to_prompt(con):
    con.expect(r"rvmm guest ready", 300)
    con.send("\n")
    con.expect(re.escape(PROMPT), 120)


def time_to_answer(cfg, kind, name, argv, rnd, reach):
    """Host seconds from process start until the guest answers; reach gets
    it to its shell (to_prompt after a boot, wake after a restore)."""
    t0 = time.monotonic()
    log = os.path.join(cfg["logdir"], "lifecycle-%s-%s-%d.log" % (kind, name, rnd))
    con = Console(argv, log)
    try:
        reach(con)
        answer(con)
        return time.monotonic() - t0
    finally:
        con.kill()


def save_rvmm(cfg, d):
    state, mem = os.path.join(d, "state"), os.path.join(d, "mem")
    argv = [cfg["snapdrv"], "--kernel", cfg["kernel"], "--initrd", cfg["initrd"],
            "-m", str(int(cfg["mem"].rstrip("M"))), "--marker", "rvmm guest ready",
            "--snapshot", state, mem]
    con = Console(argv, os.path.join(cfg["logdir"], "lifecycle-save-rvmm.log"))
    try:
        con.expect(r"snapdrv: snapshot written", 300)
        con.wait_exit(60)
    finally:
        con.kill()
    return ["--restore", state, "--mem-file", mem]


def monitor(sock_path, cmd):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock_path)
    s.settimeout(30)
    data = b""
    while b"(qemu)" not in data:
        data += s.recv(4096)
    s.sendall(cmd.encode() + b"\n")
    data = b""
    deadline = time.monotonic() + 30
    while data.count(b"(qemu)") < 1 and time.monotonic() < deadline:
        try:
            data += s.recv(4096)
        except socket.timeout:
            break
    s.close()
    return data.decode(errors="replace")


def save_qemu(cfg, d):
    sock = os.path.join(d, "mon.sock")
    image = os.path.join(d, "qemu.mig")
    argv = qemu_argv(cfg, ["-monitor", "unix:%s,server,nowait" % sock])
    con = Console(argv, os.path.join(cfg["logdir"], "lifecycle-save-qemu.log"))
    try:
        to_prompt(con)
        time.sleep(1)  # the guest settles at its prompt, as rvmm's does
        monitor(sock, 'migrate "exec:cat > %s"' % image)
        deadline = time.monotonic() + 120
        while "completed" not in monitor(sock, "info migrate"):
            if time.monotonic() > deadline:
                fail("QEMU migration to a file did not complete")
            time.sleep(0.2)
        monitor(sock, "quit")
        con.wait_exit(30)
    finally:
        con.kill()
    return ["-incoming", "exec:cat %s" % image]


def wake(con, timeout=300):
    """Presses Enter until the restored shell prints a prompt: QEMU drops
    console input that arrives before its incoming migration has finished."""
    deadline = time.monotonic() + timeout
    while True:
        con.send("\n")
        try:
            con.expect(re.escape(PROMPT), 0.05)
            return
        except TimeoutError:
            if time.monotonic() > deadline:
                raise


def pss_kib(pid):
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def clones(cfg, name, argv, n):
    """Total PSS (MiB) of n restored clones, each having answered."""
    cons = []
    try:
        for k in range(n):
            cons.append(Console(argv, os.path.join(cfg["logdir"],
                                                   "lifecycle-clone-%s-%d.log" % (name, k))))
        for con in cons:
            wake(con)
            answer(con, 600)
        time.sleep(1)
        return sum(pss_kib(c.proc.pid) for c in cons) / 1024.0
    finally:
        for con in cons:
            con.kill()


def main():
    cfg = config()
    d = tempfile.mkdtemp(prefix="rvmm-lifecycle-")
    try:
        rvmm_cold = [cfg["rvmm"], "--kernel", cfg["kernel"], "--initrd", cfg["initrd"],
                     "-m", cfg["mem"], "--append", "console=ttyS0"]
        rvmm_restore = [cfg["rvmm"]] + save_rvmm(cfg, d)
        qemu_cold = qemu_argv(cfg)
        qemu_restore = qemu_argv(cfg, save_qemu(cfg, d))
        st = os.stat(os.path.join(d, "mem"))
        print("snapshot sizes: rvmm memory file %d MiB on disk (%d MiB of RAM), QEMU stream "
              "%d MiB" % ((st.st_blocks * 512) >> 20, st.st_size >> 20,
                          os.path.getsize(os.path.join(d, "qemu.mig")) >> 20))
        res = {k: [] for k in ("rvmm_cold", "rvmm_restore", "qemu_cold", "qemu_restore")}
        for rnd in range(cfg["rounds"]):
            for name, cargv, rargv in (("rvmm", rvmm_cold, rvmm_restore),
                                       ("qemu", qemu_cold, qemu_restore)):
                c = time_to_answer(cfg, "cold", name, cargv, rnd, to_prompt)
                r = time_to_answer(cfg, "restore", name, rargv, rnd, wake)
                res[name + "_cold"].append(c)
                res[name + "_restore"].append(r)
                print("round %d %-4s cold boot %.2f s, restore %.3f s" % (rnd, name, c, r))
                sys.stdout.flush()
        mem = {}
        for name, rargv in (("rvmm", rvmm_restore), ("qemu", qemu_restore)):
            mem[name + "_1"] = clones(cfg, name, rargv, 1)
            mem[name + "_n"] = clones(cfg, name, rargv, CLONES)
            print("%-4s PSS: 1 clone %.1f MiB, %d clones %.1f MiB" % (
                name, mem[name + "_1"], CLONES, mem[name + "_n"]))
            sys.stdout.flush()
        med = {k: statistics.median(v) for k, v in res.items()}
        print("\nmedians over %d rounds         rvmm      qemu   rvmm/qemu" % cfg["rounds"])
        for label, key, unit in (("cold boot to answer (s)", "cold", "%9.3f"),
                                 ("restore to answer (s)", "restore", "%9.3f")):
            a, b = med["rvmm_" + key], med["qemu_" + key]
            print(("%-28s" + unit + " " + unit + " %9.2f") % (label, a, b, a / b))
        for label, key in (("PSS, 1 clone (MiB)", "1"), ("PSS, %d clones (MiB)" % CLONES, "n")):
            a, b = mem["rvmm_" + key], mem["qemu_" + key]
            print("%-28s%9.1f %9.1f %9.2f" % (label, a, b, a / b))
        print("restore/cold: rvmm %.3f, qemu %.3f" % (
            med["rvmm_restore"] / med["rvmm_cold"], med["qemu_restore"] / med["qemu_cold"]))
    finally:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
