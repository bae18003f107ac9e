"""End-to-end SMP: boot Linux on rvmm's builtin SBI with 4 harts and check
the vCPUs work together: parallel busybox work, atomics across threads
(AMO, LR/SC, mutex: /usr/bin/atomics from guest/programs), CPU hotplug
through SBI HSM (hart_stop / hart_start), SRST reboot and poweroff. One
PASS/FAIL line per check."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from console import PROMPT, Console  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
KERNEL = os.environ["GUEST_KERNEL"]
INITRD = os.environ["GUEST_INITRD"]
LOGDIR = os.environ.get("BUILD", "build") + "/guest-logs"
EXTRA = os.environ.get("RVMM_ARGS", "").split()
SMP = 4
TAG = "builtin-smp%d" % SMP + ("-" + "-".join(a.strip("-") for a in EXTRA) if EXTRA else "")
SEQ_MD5 = "0e10426a1d5bddffcef02f1345787128"  # seq 1 200000 | md5sum

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s guest/%s/%s%s" % ("PASS" if ok else "FAIL", TAG, name, "" if ok else ": " + detail))
    sys.stdout.flush()


def lines_of(out):
    """The command's output lines, without kernel messages printed meanwhile."""
    return [l for l in out.splitlines() if l.strip() and not re.match(r"\s*\[\s*\d+\.\d+\]", l)]


def boot(con, name):
    """Waits for the shell; returns False (after a FAIL line) if it never comes."""
    try:
        con.expect(r"Linux version 6\.1", 120)
        con.expect(r"rvmm guest ready", 300)
        con.send("\n")
        con.expect(PROMPT, 60)
        con.quiet()
        check(name, True)
        return True
    except (TimeoutError, EOFError) as e:
        check(name, False, str(e))
        return False


def parallel_md5(con, name):
    out = con.run("rm -f /tmp/o*; for i in 1 2 3 4; do (seq 1 200000 | md5sum > /tmp/o$i) & done;"
                  " wait; cat /tmp/o1 /tmp/o2 /tmp/o3 /tmp/o4", 300)
    lines = [l.split()[0] for l in lines_of(out)]
    check(name, lines == [SEQ_MD5] * 4, repr(out))


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    argv = [RVMM, "--bios", "builtin", "--kernel", KERNEL, "--initrd", INITRD, "-m", "256M",
            "--smp", str(SMP), "--append", "console=ttyS0"] + EXTRA
    con = Console(argv, "%s/smp-%s.log" % (LOGDIR, TAG))
    try:
        if not boot(con, "boot_to_shell"):
            return
        out = con.run("grep -c ^processor /proc/cpuinfo; cat /sys/devices/system/cpu/online")
        check("proc_cpuinfo", lines_of(out) == [str(SMP), "0-%d" % (SMP - 1)], repr(out))

        parallel_md5(con, "parallel_md5sum")

        out = con.run("atomics 4 100000", 300)
        check("atomics", "amo 400000 lrsc 400000 mutex 400000" in out, repr(out))
        out = con.run("echo rc=$?")
        check("atomics_exit_status", lines_of(out) == ["rc=0"], repr(out))

        # CPU hotplug: offline is SBI HSM hart_stop, online is hart_start.
        out = con.run("echo 0 > /sys/devices/system/cpu/cpu2/online; echo rc=$?;"
                      " cat /sys/devices/system/cpu/online; grep -c ^processor /proc/cpuinfo", 120)
        check("cpu2_offline", lines_of(out) == ["rc=0", "0-1,3", str(SMP - 1)], repr(out))
        out = con.run("echo 1 > /sys/devices/system/cpu/cpu2/online; echo rc=$?;"
                      " cat /sys/devices/system/cpu/online; grep -c ^processor /proc/cpuinfo", 120)
        check("cpu2_online", lines_of(out) == ["rc=0", "0-%d" % (SMP - 1), str(SMP)], repr(out))
        # Work pinned on the hart that came back; field 39 of stat is the CPU.
        out = con.run("taskset -c 2 sh -c 'seq 1 200000 | md5sum; cut -d\" \" -f39 /proc/self/stat'",
                      300)
        lines = " ".join(lines_of(out)).split()
        check("cpu2_pinned_work", len(lines) == 3 and lines[0] == SEQ_MD5 and lines[2] == "2",
              repr(out))
        parallel_md5(con, "parallel_md5sum_after_hotplug")

        # SRST: reboot -f resets the machine; the guest boots again.
        con.send("reboot -f\n")
        if not boot(con, "reboot_boots_again"):
            return
        out = con.run("grep -c ^processor /proc/cpuinfo")
        check("proc_cpuinfo_after_reboot", lines_of(out) == [str(SMP)], repr(out))
        con.send("poweroff -f\n")
        code = con.wait_exit(60)
        check("poweroff_exit_status", code == 0, "exit status %r" % code)
    finally:
        con.kill()


if __name__ == "__main__":
    main()
    sys.exit(0 if all(results) else 1)
