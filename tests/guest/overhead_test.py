"""What every VM pays whether it uses it or not (issue 14, density): boot a
256 MiB guest with 2 harts under the default engine to its shell, then read
the process's /proc/PID/smaps. The malloc heap holds no freed boot-image
buffers (the initramfs, 2.7 MiB, used to stay resident for the VM's life),
so it stays under 1 MiB. The harts' own memory is checked by the unit test
test_hart_mem (mincore), which sees inside the struct. One PASS/FAIL line
per check."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from console import PROMPT, Console  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
KERNEL = os.environ["GUEST_KERNEL"]
INITRD = os.environ["GUEST_INITRD"]
LOGDIR = os.environ.get("BUILD", "build") + "/guest-logs"
HEAP_MAX_KIB = 1024

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s guest/overhead/%s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + detail))
    sys.stdout.flush()


def heap_rss_kib(pid):
    """Rss of the [heap] mapping, or None if the process has none."""
    cur = None
    with open("/proc/%d/smaps" % pid) as f:
        for line in f:
            if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
                cur = line
            elif line.startswith("Rss:") and cur is not None and cur.rstrip().endswith("[heap]"):
                return int(line.split()[1])
    return None


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    argv = [RVMM, "--kernel", KERNEL, "--initrd", INITRD, "-m", "256M", "--smp", "2",
            "--append", "console=ttyS0"]
    con = Console(argv, "%s/overhead.log" % LOGDIR)
    try:
        try:
            con.expect(r"rvmm guest ready", 300)
            con.send("\n")
            con.expect(PROMPT, 60)
            con.quiet()
        except (TimeoutError, EOFError) as e:
            check("boot_to_shell", False, str(e))
            return
        out = con.run("echo $((6*7))")
        check("boot_to_shell", out == "42", repr(out))
        heap = heap_rss_kib(con.proc.pid)
        check("heap_rss_under_%d_kib" % HEAP_MAX_KIB, heap is not None and heap < HEAP_MAX_KIB,
              "heap Rss %r KiB" % heap)
        con.send("poweroff -f\n")
        code = con.wait_exit(60)
        check("poweroff_exit_status", code == 0, "exit status %r" % code)
    finally:
        con.kill()


if __name__ == "__main__":
    main()
    sys.exit(0 if all(results) else 1)
