"""gdb-multiarch against the Linux guest under rvmm's GDB stub (--smp 2,
the engine from RVMM_ARGS): attach to a booted guest (it stops; `GET /`
says Paused), read priv, satp and memory at the stack pointer (a kernel
virtual address), break on the kernel's write system call (its address
from the guest build's System.map,
checked against /proc/kallsyms) and have the shell's next output hit it
in S-mode, watch jiffies until a timer tick stores it, read the second
hart, detach, and the shell goes on. The test moves on when gdb says it
has continued (a file its `shell touch` makes), never after a delay. One
PASS/FAIL line per check. Env: RVMM, GUEST_KERNEL, GUEST_INITRD, BUILD."""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "guest"))
sys.path.insert(0, os.path.join(HERE, "..", "api"))
from apiclient import Api  # noqa: E402
from console import Console  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
KERNEL = os.environ.get("GUEST_KERNEL", "")
INITRD = os.environ.get("GUEST_INITRD", "")
# The guest build's System.map (guest/lib.sh: $GUEST_DIR/work/linux): the
# kernel has KALLSYMS but not KALLSYMS_ALL, so jiffies is only there.
SYSTEM_MAP = os.environ.get("GUEST_SYSTEM_MAP",
                            os.path.join(os.path.dirname(KERNEL), "work", "linux", "System.map"))
GDB = os.environ.get("GDB", "gdb-multiarch")
EXTRA = os.environ.get("RVMM_ARGS", "").split()
LOGDIR = os.environ.get("BUILD", "build") + "/gdb-logs"

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s gdb/linux/%s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + detail))
    sys.stdout.flush()


def wait_file(path, proc, timeout):
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        if proc.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def section(out, name):
    m = re.search(r"@@%s\n([\s\S]*?)(?=@@|\Z)" % name, out)
    return m.group(1) if m else ""


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    if not (os.path.exists(KERNEL) and os.path.exists(INITRD)):
        check("guest_images", False, "GUEST_KERNEL/GUEST_INITRD missing (make guest)")
        return
    tmp = tempfile.mkdtemp(prefix="rvmm-gdb-linux-")
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    api_path = tmp + "/api.sock"
    tag = "-".join(a.strip("-") for a in EXTRA) or "default"
    con = Console([RVMM, "--kernel", KERNEL, "--initrd", INITRD, "-m", "256M", "--smp", "2",
                   "--gdb", "tcp::%d" % port, "--api-sock", api_path] + EXTRA,
                  "%s/linux-%s.log" % (LOGDIR, tag))
    gdb = None
    try:
        try:
            con.boot_to_shell(400)
        except (TimeoutError, EOFError) as e:
            check("boot_to_shell", False, str(e))
            return
        addr = {}
        try:
            with open(SYSTEM_MAP) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 3 and parts[2] in ("sys_write", "jiffies"):
                        addr[parts[2]] = int(parts[0], 16)
        except OSError as e:
            check("system_map", False, str(e))
            return
        if len(addr) != 2:
            check("system_map", False, "sys_write or jiffies missing in " + SYSTEM_MAP)
            return
        out = con.run("grep ' sys_write$' /proc/kallsyms")
        check("system_map_matches_kernel", out.split()[:1] == ["%016x" % addr["sys_write"]], out)
        script = tmp + "/linux.gdb"
        with open(script, "w") as f:
            f.write("""set pagination off
set confirm off
set architecture riscv:rv64
set tcp auto-retry on
set tcp connect-timeout 30
target remote :%(port)d
echo @@attach\\n
info registers priv
p/x (unsigned long)$satp >> 60
x/2gx $sp
info threads
hbreak *0x%(write)x
shell touch %(tmp)s/stage1
continue
echo @@break\\n
info registers pc priv
delete
watch *(long *)0x%(jiffies)x
shell touch %(tmp)s/stage2
continue
echo @@watch\\n
info registers priv
delete
thread 2
echo @@thread2\\n
info registers mhartid
detach
echo @@end\\n
""" % {"port": port, "write": addr["sys_write"], "jiffies": addr["jiffies"], "tmp": tmp})
        glog = open("%s/linux-gdb-%s.log" % (LOGDIR, tag), "w")
        gdb = subprocess.Popen([GDB, "-nx", "-batch", "-x", script], stdout=glog,
                               stderr=subprocess.STDOUT)
        api = Api(api_path)
        check("attached_and_continued", wait_file(tmp + "/stage1", gdb, 120),
              "gdb did not get to its first continue")
        con.send("echo hello-from-shell\n")  # the shell's write hits the breakpoint
        check("continued_after_break", wait_file(tmp + "/stage2", gdb, 120),
              "gdb did not get past the breakpoint")
        con.send("echo tick\n")  # activity: timer ticks store jiffies
        try:
            gdb.wait(timeout=180)
        except subprocess.TimeoutExpired:
            gdb.kill()
        glog.close()
        with open("%s/linux-gdb-%s.log" % (LOGDIR, tag)) as f:
            out = f.read()
        att = section(out, "attach")
        check("priv_supervisor_or_user", re.search(r"^priv\s+0x[01]\s", att, re.M) is not None, att)
        check("satp_sv39_or_more", re.search(r"^\$1 = 0x[89a]$", att, re.M) is not None, att)
        check("stack_memory_read", re.search(r"^0x[0-9a-f]+[^\n]*:\s+0x[0-9a-f]{16}\s+0x",
                                             att, re.M) is not None, att)
        check("two_threads", re.search(r"^\s+2\s+Thread 2 \(hart 1\)", att, re.M) is not None, att)
        brk = section(out, "break")
        check("breakpoint_in_kernel", re.search(
            r"^pc\s+0x%x\s" % addr["sys_write"], brk, re.M) is not None and
            re.search(r"^priv\s+0x1\s", brk, re.M) is not None, brk)
        # The watchpoint's report comes before the @@watch marker (gdb prints
        # it as `continue` returns); the marker's section has the mode.
        m = re.search(r"hit Hardware watchpoint 2: \*\(long \*\)0x%x\n\nOld value = (\d+)\n"
                      r"New value = (\d+)" % addr["jiffies"], out)
        check("watchpoint_on_jiffies", m is not None and int(m.group(2)) > int(m.group(1)) and
              re.search(r"^priv\s+0x1\s", section(out, "watch"), re.M) is not None, out[-800:])
        t2 = section(out, "thread2")
        check("second_hart", re.search(r"^mhartid\s+0x1\s", t2, re.M) is not None, t2)
        check("detached", "@@end" in out and "detached" in out, out[-300:])
        status, body = api.get("/")
        check("running_after_detach", status == 200 and body.get("state") == "Running",
              "%s %r" % (status, body))
        out = con.run("echo $((6*7))")
        check("shell_goes_on", out.endswith("42"), repr(out))
    finally:
        if gdb and gdb.poll() is None:
            gdb.kill()
        con.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
    sys.exit(0 if results and all(results) else 1)
