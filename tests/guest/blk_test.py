"""virtio-blk end to end: Linux boots from an ext4 root disk (root=/dev/vda,
no initrd), writes a file, and the file must survive `reboot -f` in the same
rvmm process and a new rvmm process, byte for byte (checked in the guest and
on the host with debugfs); after a clean poweroff e2fsck finds the file
system clean. A drive given readonly=on refuses the guest's writes and its
image does not change. One PASS/FAIL line per check."""
import hashlib
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from console import PROMPT, Console  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
KERNEL = os.environ["GUEST_KERNEL"]
ROOTDISK = os.environ.get("GUEST_ROOTDISK", os.path.join(os.path.dirname(KERNEL), "rootfs.ext4"))
BUILD = os.environ.get("BUILD", "build")
LOGDIR = BUILD + "/guest-logs"
WORK = BUILD + "/blk-test"
APPEND = "console=ttyS0 root=/dev/vda rw"
# 4 MiB of /dev/urandom: many clusters and blocks, not only the first.
WRITE_BLOB = ("dd if=/dev/urandom of=/root/blob bs=64k count=64 2>/dev/null && sync && "
              "sha256sum /root/blob | cut -d' ' -f1")
HASH_BLOB = "sha256sum /root/blob | cut -d' ' -f1"

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s guest/blk/%s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + detail))
    sys.stdout.flush()


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def is_hash(s):
    return len(s) == 64 and all(c in "0123456789abcdef" for c in s)


def copy_base(path):
    """A writable copy of the (read-only) base root disk."""
    subprocess.run(["cp", "--sparse=always", ROOTDISK, path], check=True)
    os.chmod(path, 0o644)


def boot(drives, tag):
    argv = [RVMM, "--kernel", KERNEL, "--append", APPEND, "-m", "256M"]
    for d in drives:
        argv += ["--drive", d]
    con = Console(argv, "%s/blk-%s.log" % (LOGDIR, tag))
    wait_shell(con)
    return con


def wait_shell(con):
    con.expect(r"rvmm guest ready", 240)
    con.send("\n")
    con.expect(PROMPT, 60)
    con.quiet()
    con.run("dmesg -n 1")  # kernel messages would mix with command output


def poweroff(con, name):
    """A clean poweroff: busybox init unmounts or remounts / read-only first."""
    con.send("poweroff\n")
    code = con.wait_exit(120)
    check(name, code == 0, "exit status %r" % code)


def fsck_clean(img, name):
    r = subprocess.run(["e2fsck", "-fn", img], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    check(name, r.returncode == 0, "e2fsck -fn exit %d: %s" % (r.returncode, r.stdout[-300:]))


def host_file_hash(img, path):
    """Reads a file out of an ext4 image on the host (debugfs, no mount)."""
    out = os.path.join(WORK, "dumped")
    if os.path.exists(out):
        os.unlink(out)
    subprocess.run(["debugfs", "-R", "dump %s %s" % (path, out), img], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return sha256(out) if os.path.exists(out) else None


def test_persistence(fmt, img, drive):
    con = boot([drive], fmt + "-1")
    try:
        want = con.run(WRITE_BLOB, 180)
        check("%s/write_file" % fmt, is_hash(want), repr(want))
        out = con.run("cat /sys/block/vda/serial")
        check("%s/get_id_serial" % fmt, out == "drive0", repr(out))
        con.send("reboot -f\n")
        wait_shell(con)
        got = con.run(HASH_BLOB, 120)
        check("%s/file_survives_reboot" % fmt, got == want, "%r != %r" % (got, want))
        poweroff(con, "%s/poweroff_exit_status" % fmt)
    finally:
        con.kill()
    fsck_clean(img, "%s/e2fsck_clean_after_poweroff" % fmt)
    if fmt == "raw":
        got = host_file_hash(img, "/root/blob")
        check("raw/host_reads_guest_file", got == want, "%r != %r" % (got, want))
    con = boot([drive], fmt + "-2")
    try:
        got = con.run(HASH_BLOB, 120)
        check("%s/file_survives_new_process" % fmt, got == want, "%r != %r" % (got, want))
        poweroff(con, "%s/poweroff_exit_status_2" % fmt)
    finally:
        con.kill()
    fsck_clean(img, "%s/e2fsck_clean_after_second_boot" % fmt)


def test_readonly(root):
    """vdb is an ext4 image holding one file, given readonly=on."""
    tree = os.path.join(WORK, "ro-tree")
    os.makedirs(tree, exist_ok=True)
    with open(os.path.join(tree, "data"), "wb") as f:
        f.write(os.urandom(300 * 1024))
    want = sha256(os.path.join(tree, "data"))
    img = os.path.join(WORK, "ro.ext4")
    subprocess.run(["mke2fs", "-q", "-t", "ext4", "-d", tree, img, "16M"], check=True)
    before = sha256(img)
    con = boot(["file=" + root, "file=%s,readonly=on" % img], "readonly")
    try:
        out = con.run("cat /sys/block/vdb/ro")
        check("readonly/sysfs_ro", out == "1", repr(out))
        out = con.run("dd if=/dev/zero of=/dev/vdb bs=4k count=1 2>/dev/null; echo rc=$?")
        check("readonly/raw_write_refused", out.endswith("rc=1"), repr(out))
        out = con.run("mount /dev/vdb /mnt 2>/dev/null; sha256sum /mnt/data | cut -d' ' -f1")
        check("readonly/guest_reads_data", out == want, "%r != %r" % (out, want))
        out = con.run("touch /mnt/new 2>/dev/null; echo rc=$?; grep -c ' /mnt ext4 ro' /proc/mounts")
        check("readonly/fs_write_refused", out.split() == ["rc=1", "1"], repr(out))
        con.run("umount /mnt")
        poweroff(con, "readonly/poweroff_exit_status")
    finally:
        con.kill()
    check("readonly/image_unchanged", sha256(img) == before, "image hash changed")


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    raw = os.path.join(WORK, "root.raw")
    copy_base(raw)
    base_before = sha256(ROOTDISK)
    try:
        test_persistence("raw", raw, "file=%s,format=raw" % raw)
    except (TimeoutError, EOFError) as e:
        check("raw/console", False, str(e))
    try:
        test_readonly(raw)
    except (TimeoutError, EOFError) as e:
        check("readonly/console", False, str(e))
    check("base_image_unchanged", sha256(ROOTDISK) == base_before, "the base root disk changed")
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
    sys.exit(0 if all(results) else 1)
