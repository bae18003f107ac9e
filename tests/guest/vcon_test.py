"""End-to-end: boot the default guest with `--console virtio` (the shell on
the virtio-console, hvc1, served by rvmm's I/O thread), use the shell, check
that output a slow reader leaves in the pipe is delayed and not lost, power
off; then boot again and quit with Ctrl-A x while the guest floods the
console. One PASS/FAIL line per check."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from console import PROMPT, Console  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
KERNEL = os.environ["GUEST_KERNEL"]
INITRD = os.environ["GUEST_INITRD"]
LOGDIR = os.environ.get("BUILD", "build") + "/guest-logs"
# About twice what a pipe holds (64 KiB): the guest must wait for the reader.
# Long lines, because every line costs the guest driver two round trips.
SEQ_N = 1500
PAD = "x" * 80

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s guest/vcon/%s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + detail))
    sys.stdout.flush()


def boot(log):
    argv = [RVMM, "--kernel", KERNEL, "--initrd", INITRD, "-m", "256M", "--console", "virtio",
            "--rng"]
    con = Console(argv, os.path.join(LOGDIR, log))
    # Kernel messages from before the virtio-console probes are not shown
    # (the hvc console has no device until then); the banner comes later.
    con.boot_to_shell()
    return con


def slow_reader(con):
    """The guest prints SEQ_N lines while nobody reads for a while; every
    line must still arrive, in order."""
    con.send("seq 1 %d | sed 's/$/ %s/'; echo __seq_""end__\n" % (SEQ_N, PAD))
    time.sleep(3)
    m = con.expect(r"([\s\S]*?)__seq_end__", 240)
    nums = [int(x) for x in re.findall(r"^(?:~ # )?(\d+) %s\r?$" % PAD, m.group(1), re.M)]
    return nums == list(range(1, SEQ_N + 1)), "got %d lines, first %r last %r" % (
        len(nums), nums[:2], nums[-2:])


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    try:
        con = boot("vcon.log")
    except (TimeoutError, EOFError) as e:
        check("boot_to_shell", False, str(e))
        return
    try:
        check("boot_to_shell", True)
        out = con.run("echo $((6*7)) $((123456789*987))")
        check("shell_arithmetic", out == "42 121851850743", repr(out))
        out = con.run("cut -d' ' -f1 /proc/consoles")
        check("kernel_console_is_hvc1", out == "hvc1", repr(out))
        out = con.run("ls /sys/bus/virtio/drivers/virtio_console | grep -c virtio")
        check("virtio_console_bound", out == "1", repr(out))
        # Slot order: the console comes before the rng.
        out = con.run("cat /sys/bus/virtio/devices/virtio*/device")
        check("virtio_slot_order", out.split() == ["0x0003", "0x0004"], repr(out))
        out = con.run("head -c 16 /dev/hwrng | od -x | head -1 | wc -w")
        check("virtio_rng_read", out == "9", repr(out))
        ok, detail = slow_reader(con)
        check("slow_reader_loses_nothing", ok, detail)
        con.expect(PROMPT, 30)
        out = con.run("echo after")
        check("shell_after_backpressure", out == "after", repr(out))
        con.send("poweroff -f\n")
        code = con.wait_exit(60)
        check("poweroff_exit_status", code == 0, "exit status %r" % code)
    except (TimeoutError, EOFError) as e:
        check("session", False, str(e))
    finally:
        con.kill()
    try:
        con = boot("vcon-quit.log")
    except (TimeoutError, EOFError) as e:
        check("ctrl_a_x_quits_during_output", False, str(e))
        return
    try:
        # While the guest floods the console: input is still read.
        con.send("yes\n")
        con.expect("y\r?\ny\r?\ny", 30)
        time.sleep(2)
        con.send("\x01x")
        code = con.wait_exit(30)
        check("ctrl_a_x_quits_during_output", code == 0, "exit status %r" % code)
    finally:
        con.kill()


if __name__ == "__main__":
    main()
    sys.exit(0 if all(results) else 1)
