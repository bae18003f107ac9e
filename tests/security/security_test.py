"""Hardening findings of issue 17, each a check that failed on the code
before it: host paths opened without blocking on a FIFO or reading a huge
file whole, snapshot targets that would overwrite what is not ours,
qcow2 backing files confined to the image's directory, corrupt L2 entries
that would grow an image, a stuck stdout that stopped Ctrl-A x, stop
signals that left the terminal raw and the API socket behind, an API
socket as open as the umask. The VMs run a four-byte bare-metal loop
(`j .` at the start of RAM, --bios none), so no guest image is needed.
Every wait is bounded by a timeout only a hang reaches. One PASS/FAIL line
per check. Env: RVMM, BLKCHECK."""
import hashlib
import os
import resource
import select
import shutil
import signal
import stat
import struct
import subprocess
import sys
import tempfile
import termios
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from apiclient import Api  # noqa: E402

RVMM = os.path.realpath(os.environ.get("RVMM", "build/rvmm"))
BLKCHECK = os.path.realpath(os.environ.get("BLKCHECK", "build/blkcheck"))
HANG = 30  # seconds: only a process blocked for good gets near this

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print("%s security/%s%s" % ("PASS" if ok else "FAIL", name,
                                "" if ok else ": " + str(detail)[:300]))
    sys.stdout.flush()


def run(args, cwd, timeout=HANG):
    """Runs rvmm or a tool; returns (status, stderr, max RSS in KiB).
    A process still running after timeout is killed and reported as 124."""
    p = subprocess.Popen(args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            p.kill()
            pid, status, ru = os.wait4(p.pid, 0)
            p.returncode = 124
            return 124, p.stderr.read().decode(errors="replace"), ru.ru_maxrss
        time.sleep(0.02)
    err = p.stderr.read().decode(errors="replace")
    return os.waitstatus_to_exitcode(status), err, ru.ru_maxrss


def refused(name, args, cwd, want):
    """Exit status 2 with one line containing want, without hanging."""
    status, err, _ = run(args, cwd)
    check(name, status == 2 and err.count("\n") == 1 and want in err,
          "exit %d: %s" % (status, err))


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def qemu_img(*args):
    subprocess.run(["qemu-img"] + list(args), check=True, stdout=subprocess.DEVNULL)


def fifo_paths(tmp, loop):
    """Every path option given a FIFO: exit 2 at once, not a hang."""
    fifo = os.path.join(tmp, "fifo")
    os.mkfifo(fifo)
    base = [RVMM, "--bios", "none", "--kernel", loop]
    refused("fifo_kernel", [RVMM, "--bios", "none", "--kernel", fifo], tmp, "a FIFO")
    refused("fifo_initrd", base + ["--initrd", fifo], tmp, "a FIFO")
    refused("fifo_bios", [RVMM, "--bios", fifo, "--kernel", loop], tmp, "a FIFO")
    refused("fifo_drive", base + ["--drive", "file=" + fifo], tmp, "a FIFO")
    refused("fifo_drive_raw", base + ["--drive", "file=%s,format=raw" % fifo], tmp, "a FIFO")
    refused("fifo_restore", [RVMM, "--restore", fifo, "--mem-file", fifo], tmp, "a FIFO")
    refused("fifo_config_file", [RVMM, "--config-file", fifo, "--no-api"], tmp, "a FIFO")
    qemu_img("create", "-q", "-f", "qcow2", "-u", "-b", "fifo", "-F", "raw",
             os.path.join(tmp, "onfifo.qcow2"), "16M")
    refused("fifo_backing_file", base + ["--drive", "file=onfifo.qcow2"], tmp, "a FIFO")
    return fifo


def huge_kernel(tmp):
    """A sparse 20 GiB kernel is refused by its size: quickly, and without
    the process growing (it used to read it whole)."""
    big = os.path.join(tmp, "big.bin")
    with open(big, "wb") as f:
        f.truncate(20 << 30)
    t0 = time.monotonic()
    status, err, rss = run([RVMM, "--bios", "none", "--kernel", big], tmp)
    took = time.monotonic() - t0
    check("huge_kernel_refused", status == 2 and "larger than guest RAM" in err,
          "exit %d: %s" % (status, err))
    # 256 MiB of guest RAM is mapped but untouched: far below 20 GiB.
    check("huge_kernel_little_memory", rss < 200 * 1024, "max RSS %d KiB" % rss)
    check("huge_kernel_not_read", took < HANG / 2, "took %.1f s" % took)
    status, err, _ = run([RVMM, "--bios", "none", "--kernel", big, "-m", "16M"], tmp)
    check("huge_initrd_refused", status == 2, "exit %d: %s" % (status, err))


def backing_files(tmp, loop):
    """A backing file must be a regular file under the image's directory
    or the drive's backing-dir; loops say so."""
    d = os.path.join(tmp, "img")
    os.makedirs(os.path.join(d, "sub"))
    with open(os.path.join(tmp, "secret.raw"), "wb") as f:
        f.write(b"host secret\n" * 4096)
    qemu_img("create", "-q", "-f", "qcow2", "-u", "-b", "../../secret.raw", "-F", "raw",
             os.path.join(d, "sub", "escape.qcow2"), "16M")
    base = [RVMM, "--bios", "none", "--kernel", loop]
    refused("backing_outside_dir_refused", base + ["--drive", "file=img/sub/escape.qcow2"], tmp,
            "outside the image's directory")
    status, err, _ = run([BLKCHECK, "img/sub/escape.qcow2", "r:0:12:0x68"], tmp)
    check("backing_outside_dir_refused_blockdev", status == 2 and "outside" in err, err)
    status, err, _ = run([BLKCHECK, "-b", tmp, "-r", "img/sub/escape.qcow2", "s"], tmp)
    check("backing_dir_allows", status == 0, "exit %d: %s" % (status, err))
    for name, target in (("dev_zero", "/dev/zero"), ("proc", "/proc/self/environ")):
        img = os.path.join(d, name + ".qcow2")
        qemu_img("create", "-q", "-f", "qcow2", "-u", "-b", target, "-F", "raw", img, "16M")
        refused("backing_%s_refused" % name, base + ["--drive", "file=%s" % img], tmp, "outside")
        status, err, _ = run([BLKCHECK, "-b", "/", "-r", img, "s"], tmp)
        check("backing_%s_refused_even_allowed" % name, status == 2 and
              ("a character device" in err or "/proc" in err), err)
    qemu_img("create", "-q", "-f", "qcow2", "-u", "-b", "lb.qcow2", "-F", "qcow2",
             os.path.join(d, "la.qcow2"), "16M")
    qemu_img("create", "-q", "-f", "qcow2", "-u", "-b", "la.qcow2", "-F", "qcow2",
             os.path.join(d, "lb.qcow2"), "16M")
    refused("backing_loop_named", base + ["--drive", "file=img/la.qcow2"], tmp,
            "backing file loop")


def corrupt_l2(tmp):
    """An L2 entry pointing 1 TiB away is corruption: the write fails and
    the image does not grow."""
    img = os.path.join(tmp, "far.qcow2")
    qemu_img("create", "-q", "-f", "qcow2", img, "16M")
    subprocess.run(["qemu-io", "-f", "qcow2", "-c", "write -P 0x11 0 64k", img], check=True,
                   stdout=subprocess.DEVNULL)
    with open(img, "r+b") as f:
        h = f.read(104)
        l1_off = struct.unpack(">Q", h[40:48])[0]
        f.seek(l1_off)
        l2_off = struct.unpack(">Q", f.read(8))[0] & 0x00fffffffffffe00
        f.seek(l2_off)
        f.write(struct.pack(">Q", (1 << 63) | (1 << 40)))
    size = os.path.getsize(img)
    status, err, _ = run([BLKCHECK, img, "w:0:4096:0x22", "f"], tmp)
    check("corrupt_l2_far_cluster_fails", status == 1, "exit %d: %s" % (status, err))
    check("corrupt_l2_image_not_grown", os.path.getsize(img) == size,
          "%d -> %d bytes" % (size, os.path.getsize(img)))


def start_vm(tmp, loop, disk):
    sock = os.path.join(tmp, "api.sock")
    proc = subprocess.Popen([RVMM, "--bios", "none", "--kernel", loop, "--drive", "file=" + disk,
                             "--api-sock", sock], cwd=tmp, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    api = Api(sock)
    api.wait_ready(proc, HANG)
    return proc, api


def snapshot_targets(tmp, loop, fifo):
    """PUT /snapshot/create refuses targets it must not replace, with 400
    and nothing written; a symlink planted where the old code put its
    temporary file is not followed."""
    d = os.path.join(tmp, "snap")
    os.makedirs(d)
    qemu_img("create", "-q", "-f", "raw", os.path.join(d, "base.raw"), "4M")
    qemu_img("create", "-q", "-f", "qcow2", "-b", "base.raw", "-F", "raw",
             os.path.join(d, "disk.qcow2"), "4M")
    disk, base = os.path.join(d, "disk.qcow2"), os.path.join(d, "base.raw")
    proc, api = start_vm(d, loop, disk)
    try:
        status, _ = api.patch("/vm", {"state": "Paused"})
        check("vm_paused", status == 204, status)
        st, mem = os.path.join(d, "st"), os.path.join(d, "mem")
        sums = (sha(disk), sha(base))

        def refused_create(name, state_path, mem_path):
            status, body = api.put("/snapshot/create", {"snapshot_path": state_path,
                                                        "mem_file_path": mem_path})
            left = [n for n in os.listdir(d) if n not in before]
            check(name, status == 400 and not left, "%s %r; new files %r" % (status, body, left))

        if os.geteuid() == 0:
            node = os.path.join(d, "null")
            os.mknod(node, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
            kind, is_kind = "device_node", stat.S_ISCHR
        else:
            node, kind, is_kind = fifo, "fifo", stat.S_ISFIFO
        before = set(os.listdir(d))
        refused_create("mem_file_%s_refused" % kind, st, node)
        check("mem_file_%s_kept" % kind, is_kind(os.lstat(node).st_mode))
        refused_create("state_file_%s_refused" % kind, node, mem)
        refused_create("state_file_own_disk_refused", disk, mem)
        refused_create("mem_file_own_disk_refused", st, disk)
        refused_create("mem_file_backing_file_refused", st, base)
        refused_create("same_file_refused", st, st)
        refused_create("same_file_other_spelling_refused", st, os.path.join(d, ".", "st"))
        victim = os.path.join(tmp, "victim")
        with open(victim, "w") as f:
            f.write("keep\n")
        os.symlink(victim, os.path.join(d, "link"))
        before = set(os.listdir(d))
        refused_create("symlink_target_refused", os.path.join(d, "link"), mem)
        check("disk_unchanged", (sha(disk), sha(base)) == sums)
        # The names the old code wrote first ("PATH.tmp.PID"), planted.
        for p in (st, mem):
            os.symlink(victim, "%s.tmp.%d" % (p, proc.pid))
        status, body = api.put("/snapshot/create", {"snapshot_path": st, "mem_file_path": mem})
        with open(victim, "rb") as f:
            kept = f.read() == b"keep\n"
        check("planted_symlink_not_followed", status == 204 and kept and
              stat.S_ISREG(os.lstat(st).st_mode) and stat.S_ISREG(os.lstat(mem).st_mode),
              "%s %r" % (status, body))
        mode = stat.S_IMODE(os.stat(mem).st_mode)
        check("snapshot_files_private", mode & 0o077 == 0, oct(mode))
        temps = [n for n in os.listdir(d) if n.endswith(".tmp")]
        check("no_temporary_left", not temps, temps)
        # An existing regular file is replaced, as before.
        status, body = api.put("/snapshot/create", {"snapshot_path": st, "mem_file_path": mem})
        check("regular_file_replaced", status == 204, "%s %r" % (status, body))
        # A FIFO given to a PUT is refused without wedging the API thread.
        status, body = api.put("/snapshot/create", {"snapshot_path": fifo, "mem_file_path": mem})
        check("api_fifo_snapshot_refused", status == 400, "%s %r" % (status, body))
        status, _ = api.get("/")
        check("api_answers_after_fifo", status == 200, status)
    finally:
        proc.kill()
        proc.wait()
    # The memory file as a FIFO on restore (the state file is good).
    refused("fifo_mem_file", [RVMM, "--restore", st, "--mem-file", fifo], d, "a FIFO")


def wait_for(cond, what):
    """Polls cond() until it holds; a hang (HANG seconds) raises."""
    deadline = time.monotonic() + HANG
    while not cond():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.02)


def exit_status(proc):
    try:
        return proc.wait(HANG)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return 124


def stuck_stdout(tmp):
    """A guest flooding the UART into a pipe nobody reads: once the pipe is
    full the API still answers and Ctrl-A x still quits (the vCPU used to
    block in the write, and the quit waited for it)."""
    flood = os.path.join(tmp, "flood.bin")
    with open(flood, "wb") as f:
        # lui t0,0x10000; li t1,'x'; 1: sb t1,0(t0); j 1b
        f.write(bytes.fromhex("b7020010" "13038007" "23806200" "6ff0dfff"))
    sock = os.path.join(tmp, "flood.sock")
    out_r, out_w = os.pipe()
    in_r, in_w = os.pipe()
    proc = subprocess.Popen([RVMM, "--bios", "none", "--kernel", flood, "--api-sock", sock],
                            cwd=tmp, stdin=in_r, stdout=out_w, stderr=subprocess.DEVNULL)
    os.close(in_r)
    try:
        # Full: not a page of room left, so any write would block (rvmm's
        # own end shares the pipe, so its writability is ours).
        full = select.poll()
        full.register(out_w, select.POLLOUT)
        wait_for(lambda: not full.poll(0), "the guest never filled stdout")
        api = Api(sock)
        api.wait_ready(proc, HANG)
        status, body = api.get("/")
        check("stuck_stdout_api_answers", status == 200 and body.get("state") == "Running",
              (status, body))
        os.write(in_w, b"\x01x")
        status = exit_status(proc)
        check("stuck_stdout_ctrl_a_x_quits", status == 0, "exit %d" % status)
        check("stuck_stdout_socket_removed", not os.path.exists(sock))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(out_r)
        os.close(out_w)
        os.close(in_w)


def stop_signals(tmp, loop):
    """SIGTERM, SIGINT and SIGHUP stop rvmm cleanly: exit 128 + signal, the
    terminal back in its mode, the API socket gone (created 0600 whatever
    the umask), the qcow2 disk clean and unlocked."""
    d = os.path.join(tmp, "sig")
    os.makedirs(d)
    disk = os.path.join(d, "disk.qcow2")
    qemu_img("create", "-q", "-f", "qcow2", disk, "16M")
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        name = signal.Signals(sig).name.lower()
        sock = os.path.join(d, "api.sock")
        master, slave = os.openpty()
        cooked = termios.tcgetattr(slave)
        proc = subprocess.Popen([RVMM, "--bios", "none", "--kernel", loop, "--drive",
                                 "file=" + disk, "--api-sock", sock], cwd=d, stdin=slave,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                preexec_fn=lambda: os.umask(0))
        try:
            Api(sock).wait_ready(proc, HANG)
            mode = stat.S_IMODE(os.stat(sock).st_mode)
            check("%s_api_socket_0600" % name, mode == 0o600, oct(mode))
            wait_for(lambda: not termios.tcgetattr(slave)[3] & termios.ICANON,
                     "the console never went raw")
            proc.send_signal(sig)
            status = exit_status(proc)
            err = proc.stderr.read().decode(errors="replace")
            check("%s_exit_status" % name, status == 128 + sig, "exit %d: %s" % (status, err))
            check("%s_terminal_restored" % name, termios.tcgetattr(slave) == cooked)
            check("%s_socket_removed" % name, not os.path.exists(sock))
            r = subprocess.run(["qemu-img", "check", "-q", disk], capture_output=True)
            check("%s_disk_clean_unlocked" % name, r.returncode == 0, r.stderr[:200])
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            os.close(master)
            os.close(slave)
    # Waiting for the API to configure a VM: SIGTERM ends that too.
    sock = os.path.join(d, "wait.sock")
    proc = subprocess.Popen([RVMM, "--api-sock", sock], cwd=d, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    Api(sock).wait_ready(proc, HANG)
    proc.send_signal(signal.SIGTERM)
    status = exit_status(proc)
    check("sigterm_unconfigured_exits", status == 128 + signal.SIGTERM, "exit %d" % status)
    check("sigterm_unconfigured_socket_removed", not os.path.exists(sock))
    # A paused VM (its I/O thread parked too): SIGTERM still ends it.
    sock = os.path.join(d, "paused.sock")
    proc = subprocess.Popen([RVMM, "--bios", "none", "--kernel", loop, "--api-sock", sock],
                            cwd=d, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        api = Api(sock)
        api.wait_ready(proc, HANG)
        status, _ = api.patch("/vm", {"state": "Paused"})
        check("sigterm_paused_pause", status == 204, "PATCH /vm answered %d" % status)
        proc.send_signal(signal.SIGTERM)
        status = exit_status(proc)
        check("sigterm_paused_exits", status == 128 + signal.SIGTERM, "exit %d" % status)
        check("sigterm_paused_socket_removed", not os.path.exists(sock))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def api_put_time(tmp):
    """The API refuses at PUT time what would otherwise fail later or be
    read as something else: a URL whose %00 would cut the path short (the
    drive id "ab%00cd" read as "ab"), a hostfwd rule with port 0."""
    d = os.path.join(tmp, "put")
    os.mkdir(d)
    sock = os.path.join(d, "api.sock")
    proc = subprocess.Popen([RVMM, "--api-sock", sock], cwd=d, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        api = Api(sock)
        api.wait_ready(proc, HANG)
        img = os.path.join(d, "d.raw")
        with open(img, "wb") as f:
            f.truncate(1 << 20)
        status, body = api.put("/drives/ab%00cd", {"drive_id": "ab", "path_on_host": img,
                                                   "is_root_device": False})
        check("nul_in_url_400", status == 400 and "NUL" in body["fault_message"], (status, body))
        status, cfg = api.get("/vm/config")
        check("nul_in_url_nothing_added", status == 200 and cfg["drives"] == [], cfg)
        status, body = api.get("/%00")
        check("nul_in_get_url_400", status == 400, (status, body))
        for rule in ("tcp::0-:22", "tcp::2222-:0", "udp::99999-:53"):
            status, body = api.put("/network-interfaces/eth0", {
                "iface_id": "eth0", "user_mode": True, "hostfwd": [rule]})
            check("hostfwd_%s_refused_at_put" % rule.replace(":", "_").replace("-", "_"),
                  status == 400 and "ports must be 1 to 65535" in body["fault_message"],
                  (status, body))
        status, body = api.put("/network-interfaces/eth0", {
            "iface_id": "eth0", "user_mode": True, "hostfwd": ["tcp::2222-:22"]})
        check("hostfwd_good_rule_accepted", status == 204, (status, body))
        # Outputs (logger, metrics, serial): a FIFO nobody reads is taken
        # without waiting; a device node or a directory is refused unopened.
        fifo = os.path.join(d, "log.fifo")
        os.mkfifo(fifo)
        t0 = time.monotonic()
        status, body = api.put("/logger", {"log_path": fifo, "level": "Info"})
        check("logger_fifo_without_reader", status == 204 and time.monotonic() - t0 < HANG,
              (status, body))
        for what, path in (("char_device", "/dev/null"), ("directory", d)):
            status, body = api.put("/metrics", {"metrics_path": path})
            check("metrics_%s_refused" % what, status == 400, (status, body))
            status, body = api.put("/serial", {"serial_out_path": path})
            check("serial_%s_refused" % what, status == 400, (status, body))
        out = os.path.join(d, "new.metrics")
        status, body = api.put("/metrics", {"metrics_path": out})
        check("metrics_new_file_0600", status == 204 and
              stat.S_IMODE(os.stat(out).st_mode) == 0o600, (status, body))
    finally:
        proc.kill()
        proc.wait()


def main():
    tmp = tempfile.mkdtemp(prefix="rvmm-sec-")
    try:
        os.chmod(tmp, 0o755)
        loop = os.path.join(tmp, "loop.bin")
        with open(loop, "wb") as f:
            f.write(bytes.fromhex("6f000000"))  # j .
        fifo = fifo_paths(tmp, loop)
        huge_kernel(tmp)
        backing_files(tmp, loop)
        corrupt_l2(tmp)
        snapshot_targets(tmp, loop, fifo)
        stuck_stdout(tmp)
        stop_signals(tmp, loop)
        api_put_time(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (results.count(True), results.count(False)))
    return 0 if all(results) else 1


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.exit(main())
