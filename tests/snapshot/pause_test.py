"""Pause/resume of a running guest through the embedding API: the driver
(snapdrv) pauses and resumes a 2-hart guest hundreds of times while it does
parallel work, reboots and boots again; the work's results must be exact,
the guest must keep going afterwards and power off cleanly. One PASS/FAIL
line per check."""
import os
import subprocess
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "guest"))
sys.path.insert(0, os.path.dirname(__file__))
from console import Console  # noqa: E402
from snapenv import (  # noqa: E402
    INITRD, KERNEL, LOGDIR, SNAPDRV, check, exit_status, shell)

SEQ_MD5 = "0e10426a1d5bddffcef02f1345787128"  # seq 1 200000 | md5sum
CYCLES = 200


def lines_of(out):
    return [l for l in out.splitlines() if l.strip() and not re.match(r"\s*\[\s*\d+\.\d+\]", l)]


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    argv = [SNAPDRV, "--kernel", KERNEL, "--initrd", INITRD, "--smp", "2",
            "--marker", "rvmm guest ready", "--pause-cycles", str(CYCLES),
            "--until", "END_PAUSES"]
    con = Console(argv, LOGDIR + "/pause.log")
    try:
        shell(con)
        out = con.run("(seq 1 200000 | md5sum > /tmp/a) & (seq 1 200000 | md5sum > /tmp/b) &"
                      " i=0; while [ $i -lt 3000 ]; do i=$((i+1)); echo n$i; done; wait;"
                      " cat /tmp/a /tmp/b", 600)
        lines = lines_of(out)
        counts = [l for l in lines if l.startswith("n")]
        check("pause/counter_exact_while_pausing",
              counts == ["n%d" % i for i in range(1, 3001)],
              "%d lines, first bad: %r" % (len(counts), next(
                  (c for i, c in enumerate(counts) if c != "n%d" % (i + 1)), None)))
        md5s = [l.split()[0] for l in lines if not l.startswith("n")]
        check("pause/parallel_work_exact_while_pausing", md5s == [SEQ_MD5] * 2, repr(md5s))
        # The guest reboots (SRST: the board is rebuilt) while the pauses go on.
        con.send("reboot -f\n")
        con.expect(r"Linux version 6\.1", 300)
        shell(con)
        out = con.run("echo $((6*7))", 120)
        check("pause/runs_after_reboot_while_pausing", lines_of(out) == ["42"], repr(out))
        con.send('echo END_""PAUSES\n')
        m = con.expect(r"snapdrv: (\d+) pause/resume cycles done", 300)
        check("pause/cycles_done", int(m.group(1)) >= CYCLES, m.group(0))
        out = con.run("echo after; echo $((1+2))", 120)
        check("pause/runs_after_the_last_resume", lines_of(out) == ["after", "3"], repr(out))
        con.send("poweroff -f\n")
        code = con.wait_exit(120)
        if code is None:
            # Seen once in many runs and never reproduced by hand: keep
            # every thread's stack for the next time.
            bt = subprocess.run(["gdb", "-p", str(con.proc.pid), "-batch", "-ex",
                                 "thread apply all bt"], capture_output=True, text=True,
                                timeout=120).stdout
            with open(LOGDIR + "/pause-hang-backtrace.txt", "w") as f:
                f.write(bt)
            frames = [ln for ln in bt.splitlines() if ln.startswith(("Thread", "#"))]
            for ln in frames[:60]:
                print("INFO pause-hang: " + ln[:160])
        check("pause/poweroff_exit_status", code == 0, "exit status %r (stacks in %s)"
              % (code, LOGDIR + "/pause-hang-backtrace.txt"))
    except (TimeoutError, EOFError) as e:
        check("pause/driver", False, str(e))
    finally:
        con.kill()
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
