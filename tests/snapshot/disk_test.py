"""Snapshot under disk I/O: a guest with an ext4 data disk (virtio-blk)
writes file after file, syncing each, while the driver pauses it and takes
a snapshot; the process is killed. The disk image as it was at the
snapshot becomes the base of a qcow2 overlay (the clone rule: each restored
VM gets its own disk) and `rvmm --restore --drive file=OVERLAY` continues
the writes there; the base does not change. Every
file written before the pause, and every one after, must hold its exact
contents; after umount and poweroff, e2fsck -fn finds the overlay's disk
clean. A
drive override of another size, and a second clone on the disk the first
one has open, are refused (exit 2, one line). One
PASS/FAIL line per check."""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "guest"))
sys.path.insert(0, os.path.dirname(__file__))
from console import Console  # noqa: E402
from snapenv import (  # noqa: E402
    INITRD, KERNEL, LOGDIR, RVMM, SNAPDRV, check, exit_status, refused, shell)

FILES = 40
# Each file holds its number repeated: checkable in the guest with cmp.
WRITE_LOOP = ("i=0; while [ $i -lt %d ]; do i=$((i+1)); yes $i | head -c 65536 > /mnt/f$i; sync;"
              " echo wrote $i; done; echo WR""DONE\n" % FILES)
VERIFY = ("bad=0; i=0; while [ $i -lt %d ]; do i=$((i+1));"
          " yes $i | head -c 65536 | cmp -s - /mnt/f$i || bad=$((bad+1)); done; echo bad=$bad"
          % FILES)


def fsck(img):
    r = subprocess.run(["e2fsck", "-fn", img], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    return r.returncode, r.stdout[-300:]


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    d = tempfile.mkdtemp(prefix="rvmm-snapdisk-")
    img, copy = os.path.join(d, "disk.img"), os.path.join(d, "clone.qcow2")
    state, mem = os.path.join(d, "state"), os.path.join(d, "mem")
    try:
        subprocess.run(["mkfs.ext4", "-q", "-F", img, "64M"], check=True,
                       stdout=subprocess.DEVNULL)
        argv = [SNAPDRV, "--kernel", KERNEL, "--initrd", INITRD, "--drive", img,
                "--marker", "wrote 8\r", "--snapshot", state, mem]
        con = Console(argv, LOGDIR + "/snapshot-disk-take.log")
        try:
            shell(con)
            con.run("dmesg -n 1; mount -t ext4 /dev/vda /mnt && echo mounted", 60)
            con.send(WRITE_LOOP)
            con.expect(r"snapdrv: snapshot written", 300)
            os.kill(con.proc.pid, signal.SIGKILL)
            con.wait_exit(30)
        finally:
            con.kill()
        check("disk/take", os.path.exists(state))
        # The README's recipe: the disk as it was at the snapshot becomes a
        # read-only base, and the clone gets its own qcow2 overlay over it.
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", img, "-F", "raw", copy],
                       check=True)
        base_before = open(img, "rb").read()

        small = os.path.join(d, "small.img")
        subprocess.run(["truncate", "-s", "32M", small], check=True)
        refused("disk/override_of_another_size_refused",
                ["--restore", state, "--mem-file", mem, "--drive", "file=" + small],
                r"another size")

        con = Console([RVMM, "--restore", state, "--mem-file", mem, "--drive", "file=" + copy],
                      LOGDIR + "/snapshot-disk-restore.log")
        try:
            con.expect(r"wrote 1[0-9]", 300)
            # A second clone on the disk the first one has open is refused.
            refused("disk/second_clone_on_a_disk_in_use_refused",
                    ["--restore", state, "--mem-file", mem, "--drive", "file=" + copy],
                    r"in use by another process")
            con.expect(r"WRDONE", 300)
            out = con.run(VERIFY, 120)
            check("disk/files_before_and_after_pause_intact", "bad=0" in out, repr(out))
            log = open(LOGDIR + "/snapshot-disk-restore.log", errors="replace").read()
            continued = re.search(r"^wrote 9\r?$", log, re.M) and "Linux version" not in log
            check("disk/writes_continue_after_the_snapshot", continued, log[:200])
            con.run("umount /mnt", 60)
            con.send("poweroff -f\n")
            check("disk/poweroff", con.wait_exit(60) == 0)
        except (TimeoutError, EOFError) as e:
            check("disk/files_before_and_after_pause_intact", False, str(e))
        finally:
            con.kill()
        check("disk/base_image_unchanged", open(img, "rb").read() == base_before)
        flat = os.path.join(d, "flat.img")
        subprocess.run(["qemu-img", "convert", "-O", "raw", copy, flat], check=True)
        code, out = fsck(flat)
        check("disk/e2fsck_clean_after_restore", code == 0, "e2fsck -fn exit %d: %s" % (code, out))
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
