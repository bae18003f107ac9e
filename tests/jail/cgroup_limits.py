"""The jail's cgroup limits act, on this host's hierarchy (cgroup v1, one
mount per controller, or cgroup v2, found as rvmm finds it): called by
jail_test.py, one PASS/FAIL line per check.

- limits: --jail-cpu 50 --jail-mem 512 and a --cgroup FILE=VALUE
  pass-through put the VM's process, alone, in rvmm-jail-<pid of rvmm>
  under the test's own cgroup (v2: its nearest ancestor holding no
  process) in the cpu and memory hierarchies, with
  every one of its threads (tasks / cgroup.threads); the quota is 50000
  per 100000 us, the memory limit 512 MiB, the pass-through value as
  given; the guest fills 128 MiB of tmpfs and powers off: exit 0, and
  the cgroups are gone.
- oom: --jail-mem 96 with a 256 MiB guest that fills 128 MiB of tmpfs:
  the kernel's cgroup OOM killer ends the VM, rvmm exits 137 and says so
  in one line with failcnt > 0 and oom_kill > 0; the cgroups are gone.
- sigterm: SIGTERM to rvmm while the guest runs: it stops, the cgroups
  are gone.
- outer_killed: SIGKILL to rvmm's own process: the VM's process goes too
  and its cgroup is left empty.
- bad: malformed --cgroup / --cgroup-version, an unknown controller or
  file, a value the kernel refuses, and the other cgroup version than the
  host's for --jail-cpu: each one line, exit status 2, no cgroup left.
Nothing here asserts how much CPU the guest obtained (the machine is
shared): only where the limits are written and that the memory one acts.
A host without a writable hierarchy FAILs the checks with rvmm's line."""
import os
import signal
import subprocess
import time

FILL = ("mkdir -p /tmp/fill && mount -t tmpfs -o size=200m fill /tmp/fill && "
        "dd if=/dev/zero of=/tmp/fill/f bs=1M count=128 2>/dev/null; echo dd=$?")


def host_version():
    """2 where /sys/fs/cgroup is cgroup v2 (as rvmm decides), else 1."""
    r = subprocess.run(["stat", "-f", "-c", "%T", "/sys/fs/cgroup"], capture_output=True,
                       text=True)
    return 2 if r.stdout.strip() == "cgroup2fs" else 1


def mounts(version):
    """{controller or "": mount point} of the version's cgroup mounts."""
    found = {}
    with open("/proc/self/mountinfo") as f:
        for line in f:
            left, right = line.split(" - ", 1)
            mnt = left.split()[4]
            fstype, _, opts = right.split()[:3]
            if version == 2 and fstype == "cgroup2":
                if "" not in found or mnt == "/sys/fs/cgroup":
                    found[""] = mnt
            elif version == 1 and fstype == "cgroup" and os.path.isdir(mnt):
                for c in opts.split(","):
                    found.setdefault(c, mnt)
    return found


def cgroup_of(pid, version, ctrl):
    """pid's cgroup path in ctrl's hierarchy (v2: the unified one)."""
    with open("/proc/%d/cgroup" % pid) as f:
        for line in f:
            hid, ctrls, path = line.rstrip("\n").split(":", 2)
            if (version == 2 and hid == "0") or (version == 1 and ctrl in ctrls.split(",")):
                return path
    return None


def vm_dirs(version, outer, ctrls=("cpu", "memory")):
    """{ctrl: directory} where the VM's cgroup must be: rvmm-jail-<outer>
    under this test's own cgroup (rvmm starts in it)."""
    m = mounts(version)
    out = {}
    for ctrl in ctrls:
        mnt = m.get("" if version == 2 else ctrl)
        own = cgroup_of(os.getpid(), version, ctrl)
        if mnt and own is not None:
            own = own.rstrip("/")
            # v2: the nearest of them holding no process (as rvmm picks).
            while version == 2 and own and read(mnt + own + "/cgroup.procs"):
                own = os.path.dirname(own).rstrip("/")
            out[ctrl] = os.path.join(mnt + own, "rvmm-jail-%d" % outer)
    return out


def read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError as e:
        return "<%s>" % e.strerror


def vm_pid(outer):
    for _ in range(2):
        out = subprocess.run(["pgrep", "-P", str(outer)], capture_output=True, text=True).stdout
        outer = int(out.split()[0])
    return outer


class Runner:
    def __init__(self, check, console, env):
        self.check, self.Console, self.env = check, console, env
        self.version = host_version()
        self.files = {1: {"cpu": ("cpu.cfs_quota_us", "cpu.cfs_period_us"),
                          "mem": "memory.limit_in_bytes", "threads": "tasks",
                          "set": ("cpu.shares", "512")},
                      2: {"cpu": ("cpu.max",), "mem": "memory.max", "threads": "cgroup.threads",
                          "set": ("cpu.weight", "50")}}[self.version]

    def argv(self, extra, mem="256M"):
        e = self.env
        return [e["rvmm"], "--jail", e["jail"], "--uid", str(e["uid"]), "--gid", str(e["gid"]),
                "--kernel", e["kernel"], "--initrd", e["initrd"], "-m", mem] + extra

    def gone(self, name, dirs):
        left = [d for d in dirs.values() if os.path.exists(d)]
        self.check(name, not left, left)

    def start(self, name, extra):
        con = self.Console(self.argv(extra), "%s/jail-cg-%s.log" % (self.env["logdir"], name))
        return con, con.proc.pid

    def limits(self):
        v, f = self.version, self.files
        setf, setv = f["set"]
        con, outer = self.start("limits", ["--jail-cpu", "50", "--jail-mem", "512",
                                           "--cgroup", "%s=%s" % (setf, setv)])
        dirs = vm_dirs(v, outer)
        try:
            con.boot_to_shell()
            pid = vm_pid(outer)
            init = int(subprocess.run(["pgrep", "-P", str(outer)], capture_output=True,
                                      text=True).stdout.split()[0])
            for ctrl in ("cpu", "memory"):
                want = dirs.get(ctrl)
                self.check("cg_limits_vm_in_%s_cgroup" % ctrl, want and os.path.isdir(want) and
                           read(want + "/cgroup.procs").split() == [str(pid)],
                           (want, want and read(want + "/cgroup.procs"),
                            cgroup_of(pid, v, ctrl)))
                tids = set(os.listdir("/proc/%d/task" % pid))
                listed = set(read((want or "/nonexistent") + "/" + f["threads"]).split())
                self.check("cg_limits_all_threads_in_%s" % ctrl, len(tids) > 1 and tids <= listed,
                           (sorted(tids), sorted(listed)))
                self.check("cg_limits_waiters_outside_%s" % ctrl,
                           cgroup_of(outer, v, ctrl) == cgroup_of(os.getpid(), v, ctrl) ==
                           cgroup_of(init, v, ctrl), (outer, init))
            cpu = dirs.get("cpu", "/nonexistent")
            got = [read(cpu + "/" + n) for n in f["cpu"]]
            self.check("cg_limits_cpu_quota", got == (["50000", "100000"] if v == 1
                                                       else ["50000 100000"]), got)
            mem = read(dirs.get("memory", "/nonexistent") + "/" + f["mem"])
            self.check("cg_limits_memory_limit", mem == str(512 << 20), mem)
            self.check("cg_limits_passthrough", read(cpu + "/" + setf) == setv,
                       read(cpu + "/" + setf))
            out = con.run(FILL, 600)
            self.check("cg_limits_guest_fills_128m", out.strip().endswith("dd=0"), out)
            con.send("poweroff -f\n")
            code = con.wait_exit(120)
            self.check("cg_limits_completes", code == 0, code)
            self.gone("cg_limits_removed_after_exit", dirs)
        except (TimeoutError, EOFError, OSError, IndexError, ValueError) as e:
            self.check("cg_limits_run", False, repr(e) + " " + con.buf[-400:])
        finally:
            con.kill()

    def oom(self):
        con, outer = self.start("oom", ["--jail-mem", "96"])
        dirs = vm_dirs(self.version, outer)
        try:
            con.boot_to_shell()
            con.send(FILL + "\n")
            code = con.wait_exit(600)
            log = con.buf
            line = [l.strip() for l in log.splitlines() if "OOM killer" in l]
            self.check("cg_oom_killed", code == 128 + signal.SIGKILL, (code, log[-400:]))
            ok = False
            if len(line) == 1:
                nums = dict(w.split(" ", 1) for w in line[0].split("(", 1)[1].rstrip(")").split("; ")
                            [1].split(", "))
                # On a host with swap, rvmm sets the memory+swap limit equal
                # and the kernel counts the failure there (and may keep no
                # failcnt for it): its count stands in for failcnt.
                fails = int(nums["failcnt"]) + int(nums.get("memsw failcnt", "0"))
                ok = (fails > 0 or "memsw failcnt" in nums) and int(nums["oom_kill"]) > 0 and \
                    str(96 << 20) in line[0]
            self.check("cg_oom_reported", ok, line or log[-400:])
            self.gone("cg_oom_removed", dirs)
        except (TimeoutError, EOFError, OSError, IndexError, ValueError, KeyError) as e:
            self.check("cg_oom_run", False, repr(e) + " " + con.buf[-400:])
        finally:
            con.kill()

    def sigterm(self):
        """Also a v1 cpuset pass-through where the host has cpuset: the
        cgroup must take its parent's CPUs and memory nodes before the
        VM's process can join it."""
        extra, ctrls = ["--jail-cpu", "50", "--jail-mem", "512"], ("cpu", "memory")
        if self.version == 1 and "cpuset" in mounts(1):
            extra, ctrls = extra + ["--cgroup", "cpuset.cpus=0"], ctrls + ("cpuset",)
        con, outer = self.start("sigterm", extra)
        dirs = vm_dirs(self.version, outer, ctrls)
        try:
            con.boot_to_shell()
            self.check("cg_sigterm_made", all(os.path.isdir(d) for d in dirs.values()) and
                       len(dirs) == len(ctrls), dirs)
            if "cpuset" in dirs:
                cs = dirs["cpuset"]
                self.check("cg_cpuset_passthrough", read(cs + "/cpuset.cpus") == "0" and
                           read(cs + "/cpuset.mems") == read(os.path.dirname(cs) +
                                                             "/cpuset.mems") and
                           read(cs + "/cgroup.procs").split() == [str(vm_pid(outer))],
                           (read(cs + "/cpuset.cpus"), read(cs + "/cpuset.mems")))
            os.kill(outer, signal.SIGTERM)
            code = con.wait_exit(120)
            self.check("cg_sigterm_stops", code is not None, code)
            self.gone("cg_sigterm_removed", dirs)
        except (TimeoutError, EOFError, OSError, IndexError, ValueError) as e:
            self.check("cg_sigterm_run", False, repr(e) + " " + con.buf[-400:])
        finally:
            con.kill()

    def outer_killed(self):
        """SIGKILL to rvmm's own process (nothing can clean up after that):
        the jail goes with it, VM and all, rather than running on with no
        one to wait for it; its cgroups are left empty (the test removes
        them)."""
        con, outer = self.start("killed", ["--jail-mem", "512"])
        dirs = vm_dirs(self.version, outer, ("memory",))
        try:
            con.boot_to_shell()
            pid = vm_pid(outer)
            os.kill(outer, signal.SIGKILL)
            con.proc.wait(60)
            deadline = time.monotonic() + 120  # an event awaited, not a duration assumed
            while os.path.exists("/proc/%d" % pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            self.check("cg_outer_killed_vm_gone", not os.path.exists("/proc/%d" % pid), pid)
            left = [read(d + "/cgroup.procs") for d in dirs.values() if os.path.isdir(d)]
            self.check("cg_outer_killed_cgroup_empty", all(p == "" for p in left), left)
        except (TimeoutError, EOFError, OSError, IndexError, ValueError,
                subprocess.TimeoutExpired) as e:
            self.check("cg_outer_killed_run", False, repr(e) + " " + con.buf[-400:])
        finally:
            con.kill()
            # A VM left running (the failure above) is ended first; its
            # init follows it.
            for d in [d for d in dirs.values() if os.path.isdir(d)]:
                for p in read(d + "/cgroup.procs").split():
                    if p.isdigit():
                        os.kill(int(p), signal.SIGKILL)
                for _ in range(600):
                    try:
                        os.rmdir(d)
                        break
                    except OSError:
                        time.sleep(0.1)

    def bad(self):
        other = "2" if self.version == 1 else "1"
        cases = (("dotdot", ["--cgroup", "cpu..x=1"]),
                 ("parent", ["--cgroup", "../cpu.shares=1"]),
                 ("slash", ["--cgroup", "cpu/cpu.shares=1"]),
                 ("core_file", ["--cgroup", "cgroup.procs=1"]),
                 ("no_value", ["--cgroup", "cpu.shares"]),
                 ("no_controller", ["--cgroup", "shares=1"]),
                 ("newline", ["--cgroup", "cpu.shares=1\n2"]),
                 ("version", ["--cgroup-version", "3"]),
                 ("unknown_controller", ["--cgroup", "nosuch.limit=1"]),
                 ("unknown_file", ["--cgroup", "cpu.nosuch_file=1"]),
                 ("kernel_refuses", ["--jail-mem", "64", "--cgroup", "%s=abc" % self.files["mem"]]),
                 ("other_version", ["--cgroup-version", other, "--jail-cpu", "50"]))
        for name, extra in cases:
            p = subprocess.Popen(self.argv(extra), stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            dirs = vm_dirs(self.version, p.pid)
            out, err = p.communicate(timeout=60)
            self.check("cg_bad_" + name, p.returncode == 2 and len(err.splitlines()) == 1 and
                       not any(os.path.exists(d) for d in dirs.values()),
                       (p.returncode, err))
        p = subprocess.run([self.env["rvmm"], "--cgroup", "cpu.shares=5", "--kernel",
                            self.env["kernel"]], stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=60)
        self.check("cg_bad_without_jail", p.returncode == 2 and len(p.stderr.splitlines()) == 1,
                   (p.returncode, p.stderr))


def run(check, console, env):
    r = Runner(check, console, env)
    need = [c for c in ("cpu", "memory") if (("" if r.version == 2 else c) not in mounts(r.version))]
    writable = [os.access(m, os.W_OK) for m in mounts(r.version).values()]
    print("INFO jail: cgroup v%d here" % r.version)
    check("cg_hierarchy_writable", not need and writable and all(writable),
          "no writable cgroup v%d hierarchy with cpu and memory: the jail's limits cannot be "
          "tested (missing: %r)" % (r.version, need))
    r.limits()
    r.oom()
    r.sigterm()
    r.outer_killed()
    r.bad()
