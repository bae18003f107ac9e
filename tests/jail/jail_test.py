"""rvmm --jail: a guest boots in the jail as an unprivileged uid, writes its
disk (the bytes reach the image on the host), downloads through user-mode
NAT from a server on the host, and the API answers at the socket path
given. The VM's process runs as that uid and gid with no capabilities,
no_new_privs and seccomp, in its own PID namespace, and its root holds only
the files it was given (plus device nodes, /proc and resolv.conf). A
guest also boots in the jail from a qcow2 overlay whose backing chain (a
qcow2 over a raw base) is bound into the jail read-only: it writes a file,
the overlay takes the write, the backing files stay as they were. With a
cgroup v2 mounted in a private mount namespace (this may be a cgroup v1
host), the VM's process is in the cgroup "rvmm-jail-<pid of the rvmm
started>" with the limits the v2 hierarchy can hold (a limit whose
controller is cgroup v1's is one line and exit status 2), and it is gone
when rvmm exits; cgroup_limits.py checks that the limits act on the
host's own hierarchy. Bad --jail options are one line and exit status 2.
Needs root (a jail cannot be built otherwise): as another user every check
FAILs. One PASS/FAIL line per check."""
import hashlib
import http.server
import os
import re
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "guest"))
sys.path.insert(0, os.path.join(HERE, "..", "api"))
sys.path.insert(0, HERE)
from apiclient import Api  # noqa: E402
from console import Console  # noqa: E402
import cgroup_limits  # noqa: E402

RVMM = os.path.realpath(os.environ.get("RVMM", "build/rvmm"))
KERNEL = os.path.realpath(os.environ["GUEST_KERNEL"])
ROOTDISK = os.path.realpath(os.environ.get("GUEST_ROOTDISK",
                                           os.path.join(os.path.dirname(KERNEL), "rootfs.ext4")))
INITRD = os.path.realpath(os.environ["GUEST_INITRD"])
LOGDIR = os.environ.get("BUILD", "build") + "/guest-logs"
UID = GID = 4242
MARK = b"written-in-the-jail"

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print("%s jail/%s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + str(detail)[:400]))
    sys.stdout.flush()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def status_of(pid):
    with open("/proc/%d/status" % pid) as f:
        return dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)


def vm_pid(outer):
    """The VM's process: the child of the PID namespace's init, itself the
    child of the rvmm the test started."""
    for _ in range(2):
        out = subprocess.run(["pgrep", "-P", str(outer)], capture_output=True, text=True).stdout
        outer = int(out.split()[0])
    return outer


def jail_files(root):
    found = set()
    for d, dirs, files in os.walk(root):
        rel = os.path.relpath(d, root)
        if rel == "proc" or rel.startswith("proc/"):
            dirs[:] = []
            continue
        for f in files:
            found.add("/" + os.path.normpath(os.path.join(rel, f)))
    return found


def bad_options(tmp):
    for name, args in (("no_uid", ["--jail", tmp, "--gid", "1"]),
                       ("uid_zero", ["--jail", tmp, "--uid", "0", "--gid", "1"]),
                       ("relative_dir", ["--jail", "jail", "--uid", "1", "--gid", "1"]),
                       ("missing_dir", ["--jail", tmp + "/nope", "--uid", "1", "--gid", "1"]),
                       ("uid_without_jail", ["--uid", "5"])):
        p = subprocess.run([RVMM] + args + ["--kernel", KERNEL], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=30)
        check("bad_" + name, p.returncode == 2 and len(p.stderr.splitlines()) == 1,
              (p.returncode, p.stderr))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def mount_options(pid, path):
    """The options of the mount at path in pid's mount namespace, or None."""
    with open("/proc/%d/mountinfo" % pid) as f:
        for line in f:
            fields = line.split()
            if fields[4] == path:
                return fields[5].split(",")
    return None


def overlay_run(tmp, jail):
    """The root disk is a qcow2 overlay over a qcow2 over a raw base, the
    backing files root's and read-only, the overlay the jailed uid's."""
    img = os.path.join(tmp, "images")
    os.mkdir(img)
    base, mid, top = (os.path.join(img, n) for n in ("base.raw", "mid.qcow2", "top.qcow2"))
    subprocess.run(["cp", "--sparse=always", ROOTDISK, base], check=True)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", "base.raw", "-F", "raw", mid],
                   check=True)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", "mid.qcow2", "-F", "qcow2",
                    top], check=True)
    for f in (base, mid):
        os.chmod(f, 0o444)
    os.chown(top, UID, GID)
    before = {f: sha256(f) for f in (base, mid)}
    argv = [RVMM, "--jail", jail, "--uid", str(UID), "--gid", str(GID), "--kernel", KERNEL,
            "-m", "256M", "--append", "console=ttyS0 root=/dev/vda rw",
            "--drive", "file=%s,format=qcow2" % top]
    con = Console(argv, "%s/jail-overlay.log" % LOGDIR)
    try:
        con.boot_to_shell()
        check("overlay_boots", True)
        pid = vm_pid(con.proc.pid)
        files = jail_files("/proc/%d/root" % pid)
        want = {KERNEL, top, mid, base, "/dev/null", "/dev/zero", "/dev/random", "/dev/urandom"}
        check("overlay_chain_in_jail", files == want, (sorted(files - want), sorted(want - files)))
        ro = [mount_options(pid, f) for f in (base, mid)]
        rw = mount_options(pid, top)
        check("overlay_backing_read_only", all(o and "ro" in o for o in ro) and rw and "rw" in rw,
              (ro, rw))
        out = con.run("echo %s > /root/jail-mark && sync && cat /root/jail-mark" % MARK.decode())
        check("overlay_guest_writes", out.strip() == MARK.decode(), out)
        con.send("poweroff\n")
        code = con.wait_exit(120)
        check("overlay_poweroff", code == 0, code)
        check("overlay_backing_unchanged", {f: sha256(f) for f in (base, mid)} == before)
        # The file, read on the host from the chain flattened.
        r = subprocess.run(["qemu-img", "check", "-q", top], capture_output=True, text=True)
        flat = os.path.join(tmp, "flat.raw")
        subprocess.run(["qemu-img", "convert", "-O", "raw", top, flat], check=True)
        got = subprocess.run(["debugfs", "-R", "cat /root/jail-mark", flat], capture_output=True,
                             text=True).stdout
        os.unlink(flat)
        check("overlay_took_the_write", r.returncode == 0 and got.strip() == MARK.decode(),
              (r.returncode, r.stderr, got))
    except (TimeoutError, EOFError, OSError, KeyError, IndexError, ValueError) as e:
        check("overlay_run", False, repr(e) + " " + con.buf[-300:])
    finally:
        con.kill()


def cgroup2_files(mnt, name, files):
    """Files of the cgroup, read through a cgroup v2 mount of our own (the
    VM's is in its private mount namespace)."""
    r = subprocess.run(["unshare", "-m", "sh", "-c",
                        'mount -t cgroup2 none "$1" && cd "$1/$2" && shift 2 && cat "$@"',
                        "sh", mnt, name] + files, capture_output=True, text=True)
    return r.stdout.split("\n")[:len(files)] if r.returncode == 0 else None


def cgroup2_controllers(mnt):
    r = subprocess.run(["unshare", "-m", "sh", "-c",
                        'mount -t cgroup2 none "$1" && cat "$1/cgroup.controllers"', "sh", mnt],
                       capture_output=True, text=True)
    return r.stdout.split()


def cgroup2_subtree(mnt):
    r = subprocess.run(["unshare", "-m", "sh", "-c",
                        'mount -t cgroup2 none "$1" && cat "$1/cgroup.subtree_control"', "sh", mnt],
                       capture_output=True, text=True)
    return r.stdout.split()


def cgroup2_run(tmp, jail):
    """cgroup v2 on a host that may be cgroup v1: a cgroup v2 mounted on
    /sys/fs/cgroup in a private mount namespace (unshare -m; rvmm is exec'd
    by the shell, so its pid is the one the test holds), where rvmm finds
    it as a unified host's. Where the v2 hierarchy has cpu and memory,
    --jail-cpu 50 --jail-mem 300 are checked in cpu.max and memory.max;
    where cgroup v1 holds them (this project's build host), --jail-cpu is
    one line and exit status 2, and the v2 path is checked with a
    controller v2 does have here (hugetlb, through --cgroup
    hugetlb.2MB.max=0). Either way the VM's process is in
    "rvmm-jail-<pid>" beside the cgroup rvmm started in, rvmm's own process
    is not, and the cgroup is gone after exit."""
    mnt = os.path.join(tmp, "cg2")
    os.mkdir(mnt)
    controllers = cgroup2_controllers(mnt)
    # rvmm starts in a cgroup of the test's, "<top>/inner" (a process in
    # it: rvmm): v2 gives no controller below a cgroup with processes, so
    # the VM's cgroup must be made under <top>, the nearest that has none.
    top = "rvmm-jail-test-%d" % os.getpid()
    script = ('mount --make-rprivate / && mount -t cgroup2 none /sys/fs/cgroup && '
              'mkdir -p /sys/fs/cgroup/%s/inner && echo $$ > /sys/fs/cgroup/%s/inner/cgroup.procs '
              '&& exec "$@"' % (top, top))
    before = cgroup2_subtree(mnt)
    base = ["unshare", "-m", "sh", "-c", script, "sh", RVMM, "--jail", jail, "--uid", str(UID),
            "--gid", str(GID), "--kernel", KERNEL, "--initrd", INITRD, "-m", "256M"]
    if "cpu" in controllers and "memory" in controllers:
        print("INFO jail: cgroup v2 with cpu and memory: the limits are checked")
        extra = ["--jail-cpu", "50", "--jail-mem", "300"]
        files, want = ["cpu.max", "memory.max"], ["50000 100000", str(300 << 20)]
    else:
        print("INFO jail: cgroup v2 controllers here: %r (cpu and memory are cgroup v1's)" %
              controllers)
        p = subprocess.run(base + ["--jail-cpu", "50"], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=60)
        check("cgroup2_no_cpu_controller_refused", p.returncode == 2 and
              len(p.stderr.splitlines()) == 1 and "no cpu controller" in p.stderr,
              (p.returncode, p.stderr))
        if "hugetlb" not in controllers:
            check("cgroup2_has_a_controller", False, "no controller in cgroup v2: %r" % controllers)
            return
        extra = ["--cgroup", "hugetlb.2MB.max=0"]
        files, want = ["hugetlb.2MB.max"], ["0"]
    con = Console(base + extra, "%s/jail-cgroup2.log" % LOGDIR)
    outer = con.proc.pid
    name = top + "/rvmm-jail-%d" % outer
    try:
        con.boot_to_shell()
        pid = vm_pid(outer)
        with open("/proc/%d/cgroup" % pid) as f:
            v2 = [l.strip() for l in f if l.startswith("0::")]
        check("cgroup2_vm_in_its_cgroup", v2 == ["0::/" + name], v2)
        with open("/proc/%d/cgroup" % outer) as f:
            check("cgroup2_outer_left_out", not any(name in l for l in f))
        got = cgroup2_files(mnt, name, files)
        check("cgroup2_limits", got == want, (got, want))
        con.send("poweroff -f\n")
        code = con.wait_exit(60)
        check("cgroup2_exit_status", code == 0, code)
        r = subprocess.run(["unshare", "-m", "sh", "-c",
                            'mount -t cgroup2 none "$1" && test ! -e "$1/$2"', "sh", mnt, name])
        check("cgroup2_removed_after_exit", r.returncode == 0, r.returncode)
    except (TimeoutError, EOFError, OSError, IndexError, ValueError) as e:
        check("cgroup2_run", False, repr(e) + " " + con.buf[-300:])
    finally:
        con.kill()
        # The test's own cgroups go, and the host's v2 root hands down only
        # what it did before.
        undo = " ".join("-" + c for c in cgroup2_subtree(mnt) if c not in before)
        subprocess.run(["unshare", "-m", "sh", "-c", 'mount -t cgroup2 none "$1" && '
                        'rmdir "$1/$2/inner" "$1/$2"; test -z "$3" || echo "$3" > '
                        '"$1/cgroup.subtree_control"', "sh", mnt, top, undo])


def main():
    if os.geteuid() != 0:
        check("needs_root", False, "run as root: the jail needs namespaces and mounts")
        return
    os.makedirs(LOGDIR, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="rvmm-jail-")
    os.chmod(tmp, 0o755)
    jail = os.path.join(tmp, "root")
    run = os.path.join(tmp, "run")
    www = os.path.join(tmp, "www")
    for d in (jail, run, www):
        os.mkdir(d)
    os.chown(run, UID, GID)
    disk = os.path.join(run, "disk.raw")
    with open(disk, "wb") as f:
        f.truncate(16 << 20)
    os.chown(disk, UID, GID)
    blob = os.urandom(1 << 20)
    with open(os.path.join(www, "blob"), "wb") as f:
        f.write(blob)
    handler = lambda *a, **k: Quiet(*a, directory=www, **k)  # noqa: E731
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    sock = os.path.join(run, "api.sock")
    argv = [RVMM, "--jail", jail, "--uid", str(UID), "--gid", str(GID), "--kernel", KERNEL,
            "--initrd", INITRD, "-m", "256M", "--drive", "file=%s,format=raw" % disk,
            "--net", "user", "--api-sock", sock, "--seccomp", "on"]
    con = Console(argv, "%s/jail.log" % LOGDIR)
    try:
        con.boot_to_shell()
        check("boots", True)
        api = Api(sock)
        api.wait_ready(con.proc)
        status, body = api.get("/")
        check("api_at_given_path", status == 200 and body["state"] == "Running", (status, body))
        st_mode = os.stat(sock).st_mode & 0o777
        check("api_socket_0600_owned_by_uid", st_mode == 0o600 and os.stat(sock).st_uid == UID,
              (oct(st_mode), os.stat(sock).st_uid))

        pid = vm_pid(con.proc.pid)
        st = status_of(pid)
        check("runs_as_uid_gid", st["Uid"].split()[0] == str(UID) and
              st["Gid"].split()[0] == str(GID) and st["Groups"].strip() == "", st)
        check("no_capabilities", int(st["CapEff"], 16) == 0 and int(st["CapPrm"], 16) == 0 and
              int(st["CapBnd"], 16) == 0, st)
        check("no_new_privs", st["NoNewPrivs"].strip() == "1", st)
        check("seccomp_on", st["Seccomp"].strip() == "2", st)
        check("own_pid_namespace", st["NSpid"].split()[1:] == ["2"], st["NSpid"])
        root = "/proc/%d/root" % pid
        files = jail_files(root)
        want = {KERNEL, INITRD, disk, sock, "/etc/resolv.conf", "/dev/null", "/dev/zero",
                "/dev/random", "/dev/urandom"}
        check("root_holds_only_its_files", files <= want and {KERNEL, INITRD, disk} <= files,
              sorted(files - want))
        check("host_files_hidden", not os.path.exists(root + "/etc/passwd") and
              not os.path.exists(root + "/usr") and not os.path.exists(root + os.path.dirname(RVMM)),
              sorted(os.listdir(root)))

        out = con.run("printf %s | dd of=/dev/vda conv=fsync 2>/dev/null; echo rc=$?" %
                      MARK.decode())
        check("guest_writes_disk", out.endswith("rc=0"), out)
        out = con.run("udhcpc -i eth0 -n -q -t 5 -T 2 >/dev/null 2>&1 && wget -q -O - "
                      "http://10.0.2.2:%d/blob | sha256sum" % srv.server_address[1], 120)
        check("nat_download", hashlib.sha256(blob).hexdigest() in out, out)
        con.send("poweroff -f\n")
        code = con.wait_exit(60)
        check("exit_status_passed_out", code == 0, code)
        with open(disk, "rb") as f:
            check("disk_written_on_host", f.read(len(MARK)) == MARK)
        check("socket_removed", not os.path.exists(sock))
    except (TimeoutError, EOFError, OSError, KeyError, IndexError, ValueError) as e:
        check("run", False, repr(e) + " " + con.buf[-300:])
    finally:
        con.kill()
        srv.shutdown()
    overlay_run(tmp, jail)
    cgroup2_run(tmp, jail)
    cgroup_limits.run(check, Console, {"rvmm": RVMM, "jail": jail, "uid": UID, "gid": GID,
                                       "kernel": KERNEL, "initrd": INITRD, "logdir": LOGDIR})
    bad_options(tmp)
    subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    main()
    print("%d passed, %d failed" % (results.count(True), results.count(False)))
    sys.exit(0 if all(results) else 1)
