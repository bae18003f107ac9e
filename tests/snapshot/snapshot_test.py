"""Snapshots end to end. A guest counts in a shell loop; the driver
(snapdrv, the embedding API) pauses it mid-loop and writes a snapshot; the
process is killed. Then:
 - `rvmm --restore` in a new process continues the count from where it was
   (no second boot), guest time continues without a jump, virtio-rng still
   works, the loop finishes with the right result, poweroff exits 0;
 - ten clones restored from the one snapshot run at once, each finishes its
   own work; their memory (PSS from /proc/PID/smaps_rollup) is printed and
   must be below five separate copies, which copy-on-write sharing allows;
 - corrupt or mismatched snapshots fail with one line and exit status 2.
One PASS/FAIL line per check."""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "guest"))
sys.path.insert(0, os.path.dirname(__file__))
from console import Console  # noqa: E402
from snapenv import (  # noqa: E402
    INITRD, KERNEL, LOGDIR, RVMM, SNAPDRV, check, exit_status, refused, shell)
from snapenv import check as report  # noqa: E402

LOOP_END = 26
CLONES = 10


def counts_in(text):
    """(count, uptime) pairs the loop printed."""
    return [(int(a), float(b)) for a, b in re.findall(r"count (\d+) up ([\d.]+)", text)]


def take_snapshot(d):
    """Boots, starts the loop, snapshots mid-loop, kills the process.
    Returns the (count, uptime) pairs printed before the snapshot, and the
    unfinished line the snapshot cut (the restored guest prints its rest)."""
    state, mem = os.path.join(d, "state"), os.path.join(d, "mem")
    argv = [SNAPDRV, "--kernel", KERNEL, "--initrd", INITRD, "--smp", "2", "--rng",
            "--marker", "count 20 ", "--snapshot", state, mem]
    log = LOGDIR + "/snapshot-take.log"
    con = Console(argv, log)
    try:
        shell(con)
        # Shell builtins only but sleep: the clones then write few new pages.
        con.send("i=0; while [ $i -lt %d ]; do i=$((i+1)); read up _ </proc/uptime;"
                 " echo count $i up $up; sleep 0.1; done; echo RES$((6*7))\n" % LOOP_END)
        con.expect(r"snapdrv: snapshot written", 300)
        before = open(log, errors="replace").read()
        os.kill(con.proc.pid, signal.SIGKILL)
        con.wait_exit(30)
        check("take", os.path.exists(state) and os.path.exists(mem))
        before = before[:before.rfind("snapdrv: snapshot written")]
        end = before.rfind("\n") + 1  # whole lines only: a number may be cut
        return counts_in(before[:end]), before[end:]
    finally:
        con.kill()


def restore_continues(d, pairs, cut, engine):
    """Restores under `engine`; snapdrv took the snapshot under the
    interpreter, so the jit run also checks a change of engine. `cut` is
    the line the snapshot split, whose rest comes first after the restore."""
    state, mem = os.path.join(d, "state"), os.path.join(d, "mem")
    log = LOGDIR + "/snapshot-restore-%s.log" % engine
    con = Console([RVMM, "--restore", state, "--mem-file", mem, "--engine", engine], log)

    def check(name, ok, detail=""):
        report(name + "_" + engine, ok, detail)

    try:
        con.expect(r"RES42", 120)
        text = open(log, errors="replace").read()
        after = counts_in(cut + text)
        last, last_up = pairs[-1]
        first = after[0][0] if after else None
        # Time from the first line printed wholly after the restore.
        first_up = counts_in(text[text.find("\n") + 1:])[0][1] if after[1:] else None
        check("restore_continues_count", first == last + 1 and
              [c for c, _ in after] == list(range(last + 1, LOOP_END + 1)),
              "before ended at %d, after: %r" % (last, [c for c, _ in after][:5]))
        check("restore_no_second_boot", "Linux version" not in text, text[:300])
        # 0.1 s sleeps: the next line comes well under 2 s of guest time later.
        check("restore_guest_time_continues", first_up is not None and
              last_up <= first_up < last_up + 2.0, "uptime %r then %r" % (last_up, first_up))
        got = con.run("head -c 64 /dev/hwrng | wc -c; echo $((7*6))", 60)
        check("restore_devices_work", got.split() == ["64", "42"], repr(got))
        con.send("poweroff -f\n")
        check("restore_poweroff_exit_status", con.wait_exit(60) == 0)
    except (TimeoutError, EOFError) as e:
        check("restore_continues_count", False, str(e))
    finally:
        con.kill()


def mem_of(pid):
    """(rss_kib, pss_kib) of a process."""
    vals = {}
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            parts = line.split()
            if parts[0] in ("Rss:", "Pss:"):
                vals[parts[0]] = int(parts[1])
    return vals["Rss:"], vals["Pss:"]


def clones(d):
    state, mem = os.path.join(d, "state"), os.path.join(d, "mem")
    cons = []
    try:
        for k in range(CLONES):
            # The interpreter: the JIT's translated code (about 6 MiB per
            # hart after this loop) is private to each process and would
            # measure the code cache, not the sharing of guest memory;
            # bench/lifecycle.sh reports both engines.
            cons.append(Console([RVMM, "--restore", state, "--mem-file", mem, "--engine",
                                 "interp"], LOGDIR + "/snapshot-clone%d.log" % k))
        for con in cons:
            con.expect(r"RES42", 300)
        for k, con in enumerate(cons):
            con.send("echo clone$((%d*%d))\n" % (k, k))
        ok = 0
        for k, con in enumerate(cons):
            try:
                con.expect(r"clone%d\b" % (k * k), 120)
                ok += 1
            except (TimeoutError, EOFError):
                pass
        check("clones_each_finish_own_work", ok == CLONES, "%d of %d" % (ok, CLONES))
        mems = [mem_of(c.proc.pid) for c in cons]
        rss = sum(r for r, _ in mems)
        pss = sum(p for _, p in mems)
        one = max(r for r, _ in mems)
        print("INFO snapshot/clones: %d clones: RSS sum %d MiB, PSS sum %d MiB, one clone's RSS"
              " %d MiB; PSS sum = %.1f separate copies" % (CLONES, rss >> 10, pss >> 10, one >> 10,
                                                         pss / one))
        check("clones_share_memory", pss < 5 * one, "PSS %d KiB vs one copy %d KiB" % (pss, one))
        for con in cons:
            con.send("poweroff -f\n")
        codes = [con.wait_exit(60) for con in cons]
        check("clones_poweroff", codes == [0] * CLONES, repr(codes))
    except (TimeoutError, EOFError) as e:
        check("clones_each_finish_own_work", False, str(e))
    finally:
        for con in cons:
            con.kill()


def bad(name, args, want):
    refused("corrupt_" + name, args, want)


def corrupt(d):
    state, mem = os.path.join(d, "state"), os.path.join(d, "mem")
    data = open(state, "rb").read()
    c = os.path.join(d, "c")

    def variant(name, content):
        path = "%s-%s" % (c, name)
        with open(path, "wb") as f:
            f.write(content)
        return path

    half = data[:len(data) // 2]
    bad("truncated_state", ["--restore", variant("trunc", half), "--mem-file", mem],
        r"truncated")
    bad("empty_state", ["--restore", variant("empty", b""), "--mem-file", mem], r"truncated")
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x40
    bad("flipped_byte", ["--restore", variant("flip", bytes(flipped)), "--mem-file", mem],
        r"checksum mismatch")
    wrong = bytearray(data)
    wrong[8:12] = (99).to_bytes(4, "little")
    bad("wrong_version", ["--restore", variant("ver", bytes(wrong)), "--mem-file", mem],
        r"format version 99")
    bad("not_a_snapshot", ["--restore", KERNEL, "--mem-file", mem], r"not an rvmm snapshot")
    short = c + "-mem-short"
    subprocess.run(["cp", "--sparse=always", mem, short], check=True)
    os.truncate(short, os.path.getsize(mem) // 2)
    bad("mem_too_short", ["--restore", state, "--mem-file", short], r"too short")
    other = c + "-mem-other"
    subprocess.run(["cp", "--sparse=always", mem, other], check=True)
    with open(other, "r+b") as f:
        f.seek(os.path.getsize(mem) - 4096 + 30)
        f.write(b"\xff")
    bad("mem_of_another_snapshot", ["--restore", state, "--mem-file", other], r"another snapshot")
    bad("missing_state", ["--restore", c + "-nope", "--mem-file", mem], r"No such file")
    bad("missing_mem", ["--restore", state, "--mem-file", c + "-nope"], r"No such file")
    bad("no_mem_file_option", ["--restore", state], r"--mem-file")
    bad("ram_override_mismatch", ["--restore", state, "--mem-file", mem, "-m", "512M"],
        r"RAM cannot change")
    bad("smp_override_mismatch", ["--restore", state, "--mem-file", mem, "--smp", "3"],
        r"hart count")
    bad("drive_override_without_drive", ["--restore", state, "--mem-file", mem,
                                         "--drive", "file=" + mem], r"no drive 'drive0'")
    bad("machine_options_with_restore", ["--restore", state, "--mem-file", mem, "--kernel",
                                         KERNEL], r"--restore takes the machine")


def console_vm_snapshots(d):
    """A VM whose console is a virtio-console is saved too (the refusal of
    a device without a save hook is test_snapshot's, as every device has
    one now); tests/snapshot/devices_test.py restores such a VM."""
    state, mem = os.path.join(d, "vcon-state"), os.path.join(d, "vcon-mem")
    log = LOGDIR + "/snapshot-vcon.log"
    argv = [SNAPDRV, "--kernel", KERNEL, "--initrd", INITRD, "--console", "virtio",
            "--append", "console=hvc0", "--marker", "rvmm guest ready", "--snapshot", state, mem]
    con = Console(argv, log)
    try:
        con.expect(r"snapdrv: snapshot written", 300)
        check("virtio_console_vm_saved", os.path.getsize(state) > 0 and os.path.exists(mem) and
              con.wait_exit(60) == 0)
    except (TimeoutError, EOFError, OSError) as e:
        check("virtio_console_vm_saved", False, str(e))
    finally:
        con.kill()


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    d = tempfile.mkdtemp(prefix="rvmm-snap-")
    try:
        pairs, cut = take_snapshot(d)
        if not pairs:
            check("take_saw_count", False, "no count lines before the snapshot")
            return 1
        mem = os.path.join(d, "mem")
        st = os.stat(mem)
        print("INFO snapshot/memory_file: %d MiB of RAM, %d MiB on disk (sparse)"
              % (st.st_size >> 20, (st.st_blocks * 512) >> 20))
        check("memory_file_sparse", st.st_blocks * 512 < st.st_size // 2,
              "%d of %d bytes allocated" % (st.st_blocks * 512, st.st_size))
        for engine in ("interp", "jit"):
            restore_continues(d, pairs, cut, engine)
        clones(d)
        corrupt(d)
        console_vm_snapshots(d)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
