"""Firecracker's boot timer from Linux (--boot-timer): the guest's shell,
through /dev/mem (busybox devmem; the guest kernel has CONFIG_DEVMEM),
writes the magic byte 123 to the boot-timer register at 0x102000, the
address of memmap.c's "boot_timer" entry (it is not in the device tree, as
on Firecracker). Writes that must be ignored come first: the value as a
32-bit word, 123 at offset 1, another byte value at offset 0. The log
(--log-path) then has exactly one "Guest-boot-time" line, and its wall time
is plausible by causality alone: at most the time from starting rvmm to the
write's return (the VM is built after the process starts), at least the
time from the first console output to the shell's prompt (the VM was built
before it printed anything, and the write came after the prompt). One
PASS/FAIL line per check."""
import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from console import Console  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
KERNEL = os.environ["GUEST_KERNEL"]
INITRD = os.environ["GUEST_INITRD"]
LOGDIR = os.environ.get("BUILD", "build") + "/guest-logs"
BOOT_TIMER = 0x102000  # src/machine/memmap.c MEMMAP_BOOT_TIMER
LINE = re.compile(r"Guest-boot-time\s+=\s+(\d+)\s+us\s+(\d+)\s+ms,\s+(\d+)\s+CPU us\s+(\d+)\s+CPU ms$")

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s guest/boot_timer/%s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + detail))
    sys.stdout.flush()


def boot_lines(log):
    with open(log) as f:
        return [l.rstrip("\n") for l in f if "Guest-boot-time" in l]


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="rvmm-boot-timer-")
    log = os.path.join(tmp, "rvmm.log")
    argv = [RVMM, "--kernel", KERNEL, "--initrd", INITRD, "-m", "256M", "--boot-timer",
            "--log-path", log] + os.environ.get("RVMM_ARGS", "").split()
    t_start = time.monotonic()
    con = Console(argv, "%s/boot-timer.log" % LOGDIR)
    try:
        try:
            con.expect(r"\S", 120)
            t_first = time.monotonic()
            con.boot_to_shell()
            t_prompt = time.monotonic()
        except (TimeoutError, EOFError) as e:
            check("boot", False, str(e))
            return
        out = con.run("test -c /dev/mem && echo has-dev-mem")
        check("guest_has_dev_mem", out == "has-dev-mem", "%r (the guest kernel needs CONFIG_DEVMEM)"
              % out)
        # Ignored, as on Firecracker: not one byte, not offset 0, not 123.
        out = con.run("devmem 0x%x 32 123; devmem 0x%x 8 123; devmem 0x%x 8 124; echo rc=$?"
                      % (BOOT_TIMER, BOOT_TIMER + 1, BOOT_TIMER))
        # No wait needed: the line is written on the vCPU thread during the
        # store itself, so it is in the file before devmem returns.
        lines = boot_lines(log)
        check("other_writes_ignored", out.endswith("rc=0") and lines == [], "%r %r" % (out, lines))
        out = con.run("devmem 0x%x 8 123; echo rc=$?" % BOOT_TIMER)
        t_written = time.monotonic()
        lines = boot_lines(log)
        m = LINE.search(lines[0]) if len(lines) == 1 else None
        check("one_boot_time_line", out.endswith("rc=0") and m is not None, "%r %r" % (out, lines))
        if m:
            us, ms, cpu_us, cpu_ms = (int(g) for g in m.groups())
            low, high = t_prompt - t_first, t_written - t_start
            check("wall_time_plausible", low <= us / 1e6 <= high and ms == us // 1000,
                  "%d us, want %.3f..%.3f s" % (us, low, high))
            check("cpu_time_plausible", 0 < cpu_us and cpu_ms == cpu_us // 1000, lines[0])
            print("INFO boot_timer: Guest-boot-time %.3f s (prompt seen %.3f s after rvmm "
                  "started)" % (us / 1e6, t_prompt - t_start))
        con.send("poweroff -f\n")
        code = con.wait_exit(60)
        check("poweroff_exit_status", code == 0, "exit status %r" % code)
    finally:
        con.kill()


if __name__ == "__main__":
    main()
    sys.exit(0 if results and all(results) else 1)
