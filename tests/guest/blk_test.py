"""virtio-blk end to end: Linux boots from an ext4 root disk (root=/dev/vda,
no initrd), writes a file, and the file must survive `reboot -f` in the same
rvmm process and a new rvmm process, byte for byte (checked in the guest and
on the host with debugfs), on a raw image and on a qcow2 overlay; after a
clean poweroff e2fsck finds the file system clean. qcow2 interop with QEMU:
an overlay made by qemu-img, written by rvmm's guest (32 MiB), passes
`qemu-img check`, leaves its base unchanged and reads back the same in
qemu-system-riscv64, and what QEMU's guest wrote reads back the same in
rvmm. A drive given readonly=on refuses the guest's writes and its image
does not change. One PASS/FAIL line per check."""
import hashlib
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from console import PROMPT, Console  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
QEMU = os.environ.get("QEMU", "qemu-system-riscv64")
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


def boot(drives, tag, extra=()):
    argv = [RVMM, "--kernel", KERNEL, "--append", APPEND, "-m", "256M"] + list(extra)
    for d in drives:
        argv += ["--drive", d]
    con = Console(argv, "%s/blk-%s.log" % (LOGDIR, tag))
    wait_shell(con)
    return con


def boot_qemu(qcow2, tag):
    argv = [QEMU, "-M", "virt", "-m", "256M", "-nographic", "-bios", "default",
            "-kernel", KERNEL, "-append", APPEND,
            "-drive", "file=%s,if=none,id=d,format=qcow2" % qcow2,
            "-device", "virtio-blk-device,drive=d"]
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


def flatten(qcow2):
    """The disk a qcow2 image describes, as a raw file (for e2fsck, debugfs)."""
    out = os.path.join(WORK, "flat.raw")
    subprocess.run(["qemu-img", "convert", "-O", "raw", qcow2, out], check=True)
    return out


def qemu_img_check(qcow2, name):
    r = subprocess.run(["qemu-img", "check", qcow2], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    check(name, r.returncode == 0 and "No errors were found" in r.stdout,
          "exit %d: %s" % (r.returncode, r.stdout[-300:]))


def make_overlay(name, base):
    """An overlay as a user makes it: qemu-img, relative backing file name."""
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", os.path.basename(base),
                    "-F", "raw", name], cwd=WORK, check=True)
    return os.path.join(WORK, name)


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
    disk = img if fmt == "raw" else flatten(img)
    fsck_clean(disk, "%s/e2fsck_clean_after_poweroff" % fmt)
    got = host_file_hash(disk, "/root/blob")
    check("%s/host_reads_guest_file" % fmt, got == want, "%r != %r" % (got, want))
    con = boot([drive], fmt + "-2")
    try:
        got = con.run(HASH_BLOB, 120)
        check("%s/file_survives_new_process" % fmt, got == want, "%r != %r" % (got, want))
        poweroff(con, "%s/poweroff_exit_status_2" % fmt)
    finally:
        con.kill()
    fsck_clean(img if fmt == "raw" else flatten(img), "%s/e2fsck_clean_after_second_boot" % fmt)


def test_qemu_interop(base):
    overlay = make_overlay("interop.qcow2", base)
    base_before = sha256(base)
    big = ("dd if=/dev/urandom of=/root/%s bs=1M count=%d 2>/dev/null && sync && "
           "sha256sum /root/%s | cut -d' ' -f1")
    con = boot(["file=" + overlay], "interop-rvmm-1")
    try:
        want = con.run(big % ("big", 32, "big"), 600)
        check("interop/rvmm_writes_32MiB", is_hash(want), repr(want))
        poweroff(con, "interop/rvmm_poweroff")
    finally:
        con.kill()
    qemu_img_check(overlay, "interop/qemu_img_check_after_rvmm")
    check("interop/base_unchanged", sha256(base) == base_before, "the backing file changed")
    con = boot_qemu(overlay, "interop-qemu")
    try:
        got = con.run("sha256sum /root/big | cut -d' ' -f1", 300)
        check("interop/qemu_reads_rvmm_file", got == want, "%r != %r" % (got, want))
        qwant = con.run(big % ("fromqemu", 4, "fromqemu"), 300)
        check("interop/qemu_writes_file", is_hash(qwant), repr(qwant))
        poweroff(con, "interop/qemu_poweroff")
    finally:
        con.kill()
    con = boot(["file=" + overlay], "interop-rvmm-2")
    try:
        got = con.run("sha256sum /root/fromqemu /root/big | cut -d' ' -f1", 300)
        check("interop/rvmm_reads_qemu_file", got.split() == [qwant, want],
              "%r != %r" % (got.split(), [qwant, want]))
        poweroff(con, "interop/rvmm_poweroff_2")
    finally:
        con.kill()
    qemu_img_check(overlay, "interop/qemu_img_check_at_end")
    fsck_clean(flatten(overlay), "interop/e2fsck_clean")
    check("interop/base_unchanged_at_end", sha256(base) == base_before, "the backing file changed")


def test_smp_parallel(root):
    """Four vCPUs write at once; the files are then read back from the disk
    (page cache dropped), so requests from several harts interleave both ways."""
    con = boot(["file=" + root], "smp4", ["--smp", "4", "--stats"])
    try:
        out = con.run("for i in 1 2 3 4; do (dd if=/dev/urandom of=/root/p$i bs=64k count=32 "
                      "2>/dev/null; sha256sum /root/p$i > /root/p$i.sum) & done; wait; sync; "
                      "echo 3 > /proc/sys/vm/drop_caches; cat /root/p?.sum | sha256sum -c", 300)
        check("smp4/parallel_writers_read_back", out.count(": OK") == 4, repr(out))
        poweroff(con, "smp4/poweroff_exit_status")
        # --stats at exit: the 8 MiB written and the flushes are counted
        m = re.search(r"drive0 \(raw\): reads=(\d+) \(([\d.]+) MiB\) writes=(\d+) "
                      r"\(([\d.]+) MiB\) flushes=(\d+) .* errors=(\d+)", con.buf)
        check("smp4/stats_count_disk_requests",
              m is not None and float(m.group(4)) >= 8 and int(m.group(5)) >= 1
              and m.group(6) == "0", m.group(0) if m else con.buf[-300:])
    finally:
        con.kill()
    fsck_clean(root, "smp4/e2fsck_clean")


def test_readonly(root):
    """vdb is an ext4 image holding one file, given readonly=on."""
    tree = os.path.join(WORK, "ro-tree")
    os.makedirs(tree, exist_ok=True)
    with open(os.path.join(tree, "data"), "wb") as f:
        f.write(os.urandom(300 * 1024))
    want = sha256(os.path.join(tree, "data"))
    img = os.path.join(WORK, "ro.ext4")
    subprocess.run(["mke2fs", "-q", "-t", "ext4", "-d", tree, img, "16M"], check=True,
                   stdout=subprocess.DEVNULL)
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
    base = os.path.join(WORK, "base.raw")
    copy_base(base)
    os.chmod(base, 0o444)

    def qcow2():
        overlay = make_overlay("root.qcow2", base)
        test_persistence("qcow2", overlay, "file=%s,format=qcow2" % overlay)

    parts = [("raw", lambda: test_persistence("raw", raw, "file=%s,format=raw" % raw)),
             ("qcow2", qcow2), ("interop", lambda: test_qemu_interop(base)),
             ("smp4", lambda: test_smp_parallel(raw)), ("readonly", lambda: test_readonly(raw))]
    for name, part in parts:
        try:
            part()
        except (TimeoutError, EOFError) as e:
            check(name + "/console", False, str(e))
    check("base_image_unchanged", sha256(ROOTDISK) == base_before, "the base root disk changed")
    if all(results):  # the images stay for a look when something failed
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
    sys.exit(0 if all(results) else 1)
