"""Nested guests: rvmm on KVM inside a guest. An outer machine with the
hypervisor extension (NESTED_OUTER=qemu: qemu-system-riscv64 -cpu
rv64,h=true, the oracle; NESTED_OUTER=rvmm: rvmm --cpu rv64,h=on, with
RVMM_ARGS for its engine) boots the guest kernel with an initramfs that
also holds the riscv64 build of rvmm (/usr/bin/rvmm) and a nested kernel and
initramfs (/nested). Inside, `rvmm --engine kvm` boots the nested Linux to
a shell; a job's result is checked there, a virtio-blk disk reads back what
it wrote (inside, and in the outer guest's file), `poweroff` brings the
outer shell back with exit status 0, and --stats shows the KVM exits by
reason. Then the nested VM is paused through its API socket (`rvmm api`),
snapshotted, and restored in a new nested rvmm on KVM and under --engine
interp: its counter goes on.
One PASS/FAIL line per check. Every wait is for console text, with a
generous deadline (QEMU TCG and rvmm's H extension on a loaded host)."""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "guest"))
from console import Console  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
RVMM_RISCV64 = os.environ.get("RVMM_RISCV64", "build-riscv64/rvmm")
KERNEL = os.environ["GUEST_KERNEL"]
INITRD = os.environ["GUEST_INITRD"]
OUTER = os.environ.get("NESTED_OUTER", "qemu")
EXTRA = os.environ.get("RVMM_ARGS", "").split()
BUILD = os.environ.get("BUILD", "build")
FW = os.environ.get("OPENSBI_FW", "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin")
TAG = OUTER + ("-" + "-".join(a.lstrip("-") for a in EXTRA) if EXTRA else "")
LOGDIR = os.path.join(BUILD, "guest-logs")
# NESTED_ROOTDISK (make nested-rootdisk): the outer guest boots from that
# ext4 disk (through a qcow2 overlay) instead of the initramfs.
ROOTDISK = os.environ.get("NESTED_ROOTDISK", "")
if ROOTDISK:
    TAG += "-rootdisk"
BOOT_TIMEOUT = int(os.environ.get("NESTED_TIMEOUT", "600"))
NESTED_CMD = "rvmm --engine kvm --kernel /nested/Image --initrd /nested/initramfs.cpio.gz -m 128M"

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s nested/%s/%s%s" % ("PASS" if ok else "FAIL", TAG, name, "" if ok else ": " + detail))
    sys.stdout.flush()


def outer_initrd(path):
    """The guest initramfs with a second cpio archive appended (Linux
    unpacks both): /usr/bin/rvmm and /nested/{Image,initramfs.cpio.gz}."""
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "usr", "bin"))
        os.makedirs(os.path.join(root, "nested"))
        for src, dst in ((RVMM_RISCV64, "usr/bin/rvmm"), (KERNEL, "nested/Image"),
                         (INITRD, "nested/initramfs.cpio.gz")):
            subprocess.run(["cp", src, os.path.join(root, dst)], check=True)
        names = subprocess.run("find . | sort", shell=True, cwd=root, check=True,
                               stdout=subprocess.PIPE).stdout
        extra = subprocess.run(["cpio", "-o", "-H", "newc", "--quiet", "-R", "0:0"], cwd=root,
                               input=names, stdout=subprocess.PIPE, check=True).stdout
    extra = subprocess.run(["gzip", "-1"], input=extra, stdout=subprocess.PIPE, check=True).stdout
    with open(path, "wb") as out, open(INITRD, "rb") as base:
        out.write(base.read())
        out.write(extra)


def outer_argv(initrd):
    if ROOTDISK:
        overlay = os.path.join(BUILD, "nested", "root-overlay.qcow2")
        base = os.path.abspath(ROOTDISK)
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", base, "-F", "raw", overlay],
                       check=True)
        append = "console=ttyS0 root=/dev/vda rw"
        if OUTER == "qemu":
            return ["qemu-system-riscv64", "-M", "virt", "-cpu", "rv64,h=true", "-m", "1G",
                    "-nographic", "-bios", FW, "-kernel", KERNEL, "-append", append,
                    "-drive", "file=%s,format=qcow2,if=none,id=d0" % overlay,
                    "-device", "virtio-blk-device,drive=d0"]
        return [RVMM, "--cpu", "rv64,h=on", "-m", "1G", "--kernel", KERNEL, "--append", append,
                "--drive", "file=%s,format=qcow2,backing-dir=%s" % (overlay, os.path.dirname(base))
                ] + EXTRA
    if OUTER == "qemu":
        return ["qemu-system-riscv64", "-M", "virt", "-cpu", "rv64,h=true", "-m", "1G", "-smp", "1",
                "-nographic", "-bios", FW, "-kernel", KERNEL, "-initrd", initrd,
                "-append", "console=ttyS0"]
    return [RVMM, "--cpu", "rv64,h=on", "-m", "1G", "--kernel", KERNEL, "--initrd", initrd] + EXTRA


def nested_boot(con):
    """Boots the nested guest; its shell answers a job, powers off."""
    out = con.run("test -c /dev/kvm && echo present")
    check("outer_dev_kvm", out == "present", repr(out))
    con.run("dd if=/dev/zero of=/tmp/disk.img bs=1M count=8 2>/dev/null")
    con.send(NESTED_CMD + " --drive file=/tmp/disk.img,format=raw --stats\n")
    con.boot_to_shell(BOOT_TIMEOUT)
    check("nested_boot", True)
    out = con.run("test -e /dev/kvm && echo present || echo absent")
    check("nested_is_inner", out == "absent", repr(out))
    out = con.run("i=0; s=0; while [ $i -lt 2000 ]; do i=$((i+1)); s=$((s+i*i)); done; echo $s",
                  BOOT_TIMEOUT)
    check("nested_job", out == str(sum(k * k for k in range(1, 2001))), repr(out))
    # virtio-blk in the nested VM: what it writes reaches the outer file
    # (read there after the nested VM is gone) and reads back inside.
    out = con.run("echo nested-blk-$((6*7)) | dd of=/dev/vda bs=512 count=1 conv=sync 2>/dev/null; "
                  "sync; echo 3 > /proc/sys/vm/drop_caches; dd if=/dev/vda bs=512 count=1 2>/dev/null "
                  "| head -c 13", BOOT_TIMEOUT)
    check("nested_blk_readback", out == "nested-blk-42", repr(out))
    con.send("poweroff -f\n")
    m = con.expect(r"kvm exits: mmio_read=(\d+) mmio_write=(\d+) sbi=(\d+) system_event=(\d+)",
                   BOOT_TIMEOUT)
    reads, writes, system_events = int(m.group(1)), int(m.group(2)), int(m.group(4))
    check("stats_kvm_exits", reads > 0 and writes > 0 and system_events == 1, m.group(0))
    out = con.run("echo status=$?", 120)
    check("poweroff_status", out.endswith("status=0"), repr(out))
    out = con.run("head -c 13 /tmp/disk.img")
    check("nested_blk_outer_file", out == "nested-blk-42", repr(out))


def wait_for(con, path, pattern, what):
    """Waits (in the outer guest) until file path holds pattern."""
    out = con.run("n=0; until grep -q '%s' %s; do sleep 1; n=$((n+1)); [ $n -gt %d ] && break; done; "
                  "grep -c '%s' %s" % (pattern, path, BOOT_TIMEOUT, pattern, path), BOOT_TIMEOUT + 60)
    ok = out.strip().split("\n")[-1] not in ("", "0")
    if not ok:
        print("INFO %s: %s" % (what, con.run("tail -c 600 " + path)))
    return ok


def start_bg(con, n, args):
    """Starts a nested rvmm in the outer shell's background, its console on
    a FIFO (fd 3+n in the outer shell) and a file."""
    con.run("rm -f /tmp/in%d /tmp/o%d; mkfifo /tmp/in%d" % (n, n, n))
    con.send("rvmm %s </tmp/in%d >/tmp/o%d 2>&1 &\n" % (args, n, n))
    con.run("exec %d>/tmp/in%d" % (3 + n, n))


def stop_bg(con, n):
    # SIGKILL: a paused rvmm does not end on SIGTERM (it waits for a resume)
    con.run("kill -9 %%1 2>/dev/null; wait; exec %d>&-" % (3 + n))


def first_tick(con, n):
    out = con.run("grep -o 'tick[0-9]*' /tmp/o%d | head -1" % n)
    return int(out[4:]) if out.startswith("tick") else None


def nested_snapshot(con):
    """Pause the nested VM through its API socket, snapshot it, restore it
    in a new nested rvmm on KVM and under --engine interp: its counter goes
    on from where it was."""
    start_bg(con, 1, NESTED_CMD[len("rvmm "):] + " --api-sock /tmp/a1.sock")
    if not wait_for(con, "/tmp/o1", "rvmm guest ready", "nested boot"):
        check("snapshot/boot", False, "no nested shell")
        return
    con.run("echo >&4; sleep 2; echo 'i=0; while true; do i=$((i+1)); echo tick$i; sleep 1; done &' >&4")
    if not wait_for(con, "/tmp/o1", "tick3", "counter"):
        check("snapshot/counter", False, "no ticks")
        return
    out = con.run("rvmm api /tmp/a1.sock GET /stats | grep -o '\"kvm_exits\":{\"mmio_read\":[1-9]'")
    check("api_stats_kvm_exits", out.startswith('"kvm_exits"'), repr(out))
    out = con.run("rvmm api /tmp/a1.sock PATCH /vm '{\"state\":\"Paused\"}' && echo paused")
    check("snapshot/pause", out.endswith("paused"), repr(out))
    out = con.run("rvmm api /tmp/a1.sock PUT /snapshot/create "
                  "'{\"snapshot_path\":\"/tmp/k.state\",\"mem_file_path\":\"/tmp/k.mem\"}' "
                  "&& echo saved", 600)
    check("snapshot/create", out.endswith("saved"), repr(out))
    last = con.run("grep -o 'tick[0-9]*' /tmp/o1 | tail -1")
    stop_bg(con, 1)
    if not last.startswith("tick"):
        check("snapshot/last_tick", False, repr(last))
        return
    last = int(last[4:])
    for n, engine in ((2, "kvm"), (3, "interp")):
        start_bg(con, n, "--restore /tmp/k.state --mem-file /tmp/k.mem --engine " + engine)
        ok = wait_for(con, "/tmp/o%d" % n, "tick%d" % (last + 2), "restore " + engine)
        first = first_tick(con, n)
        booted = con.run("grep -c 'Linux version' /tmp/o%d" % n)
        check("snapshot/restore_%s" % engine, ok and first == last + 1 and booted == "0",
              "last before %d, first after %r, boots %r" % (last, first, booted))
        stop_bg(con, n)


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    for f in (RVMM_RISCV64, KERNEL, INITRD) + ((ROOTDISK,) if ROOTDISK else ()):
        if not os.path.isfile(f):
            check("inputs", False, "%s is missing (make riscv64; make guest)" % f)
            return 1
    work = os.path.join(BUILD, "nested")
    os.makedirs(work, exist_ok=True)
    initrd = os.path.join(work, "outer.cpio.gz")
    outer_initrd(initrd)
    con = Console(outer_argv(initrd), os.path.join(LOGDIR, "nested-%s.log" % TAG))
    try:
        con.boot_to_shell(BOOT_TIMEOUT)
        nested_boot(con)
        nested_snapshot(con)
        con.send("poweroff -f\n")
        code = con.wait_exit(120)
        check("outer_poweroff", code == 0, "exit status %r" % code)
    except (TimeoutError, EOFError) as e:
        check("boot", False, str(e))
    finally:
        con.kill()
    return 0 if results and all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
