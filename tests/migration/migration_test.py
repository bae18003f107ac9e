"""Live migration between two rvmm processes, driven as a user would: the
source under --api-sock (PUT /migration/send), the destination under
--incoming. The guest (counter.S) prints "count N" lines while it dirties
16 MiB per value; the source's output followed by the destination's must be
one unbroken sequence: every value once, in order, and "counter start" once
(no second boot). Faults use a stand-in destination written here (it speaks
the wire format: frames with a CRC-32) or a proxy that corrupts one byte, so
each fails at a chosen point, not at whatever point a timer reached; the
source must keep running its guest and report the failure. Every wait is for
an event (a line, an exit, a state), bounded only so a hang fails.
Env: RVMM, BUILD, CC (riscv64-unknown-elf-gcc). One PASS/FAIL line per check."""
import os
import re
import select
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "guest"))
from apiclient import Api  # noqa: E402
from console import free_port  # noqa: E402

BUILD = os.environ.get("BUILD", "build")
RVMM = os.environ.get("RVMM", BUILD + "/rvmm")
CC = os.environ.get("CC", "riscv64-unknown-elf-gcc")
HERE = os.path.dirname(os.path.abspath(__file__))
WAIT = 180  # seconds: only turns a hang into a failure (the machine is shared)

results = []


def copy_back(b, a):
    """A relay's destination-to-source half, untouched. When the destination
    is gone, so is the source's connection (shutdown also ends the relay's
    recv from the source)."""
    try:
        while True:
            d = b.recv(65536)
            if not d:
                break
            a.sendall(d)
    except OSError:
        pass
    try:
        a.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    a.close()


def check(name, ok, detail=""):
    results.append(bool(ok))
    print("%s migration/%s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + detail))
    sys.stdout.flush()


class Proc:
    """A process whose stdout and stderr are collected by threads, with
    waits for text on either."""

    def __init__(self, argv, log):
        self.argv = argv
        self.out = ""
        self.err = ""
        self.cond = threading.Condition()
        self.log = open(log, "w")
        self.p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        self.threads = [threading.Thread(target=self._pump, args=(self.p.stdout, "out")),
                        threading.Thread(target=self._pump, args=(self.p.stderr, "err"))]
        for t in self.threads:
            t.daemon = True
            t.start()

    def _pump(self, f, which):
        while True:
            data = os.read(f.fileno(), 65536)
            with self.cond:
                if not data:
                    setattr(self, which + "_eof", True)
                    self.cond.notify_all()
                    return
                text = data.decode("utf-8", "replace")
                setattr(self, which, getattr(self, which) + text)
                self.log.write(text)
                self.log.flush()
                self.cond.notify_all()

    def wait_for(self, which, pattern, timeout=WAIT):
        """The first match of regex pattern in stdout or stderr, or None if
        the stream ended or the time ran out without one."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                m = rx.search(getattr(self, which))
                if m:
                    return m
                left = deadline - time.monotonic()
                if left <= 0 or getattr(self, which + "_eof", False):
                    return None
                self.cond.wait(left)

    def wait_exit(self, timeout=WAIT):
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        for t in self.threads:
            t.join(10)
        return rc

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
        self.wait_exit(30)


def last_count(text):
    found = re.findall(r"count (\d+)\n", text)
    return int(found[-1]) if found else 0


def sequence_ok(text):
    """The guest's whole output across the switch: one start, then count
    1..n, each once, in order (a last line may be cut short)."""
    # What follows the last newline is "" or a line the stop cut short.
    lines = text.split("\n")[:-1]
    if not lines or lines[0] != "counter start" or text.count("counter start") != 1:
        return False, "not one 'counter start' first"
    for i, line in enumerate(lines[1:], 1):
        if line != "count %d" % i:
            return False, "line %d is %r, want 'count %d'" % (i + 1, line[:40], i)
    return len(lines) > 1, "%d values" % (len(lines) - 1)


def build_guest(tmp, buf=0x1000000):
    elf = os.path.join(tmp, "counter-%x.elf" % buf)
    r = subprocess.run([CC, "-march=rv64gc", "-mabi=lp64d", "-nostdlib", "-nostartfiles",
                        "-DBUF_BYTES=%#x" % buf, "-x", "assembler-with-cpp",
                        "-Wl,-Ttext=0x80200000", "-o", elf, os.path.join(HERE, "counter.S")],
                       capture_output=True, text=True)
    if r.returncode:
        print(r.stderr)
        return None
    return elf


class Env:
    def __init__(self, tmp, elf):
        self.tmp = tmp
        self.elf = elf
        self.n = 0

    def path(self, name):
        self.n += 1
        return os.path.join(self.tmp, "%s%d" % (name, self.n))

    def disk(self):
        path = self.path("disk") + ".img"
        with open(path, "wb") as f:
            f.truncate(8 << 20)
        return path

    def source(self, engine="jit", smp=1, disk=None):
        sock = self.path("api")
        extra = ["--drive", "file=%s,format=raw" % disk] if disk else []
        p = Proc([RVMM, "--api-sock", sock, "--kernel", self.elf, "-m", "64M", "--smp", str(smp),
                  "--engine", engine] + extra, self.path("src") + ".log")
        api = Api(sock)
        api.wait_ready(p.p)
        return p, api

    def dest(self, url, *args):
        p = Proc([RVMM, "--incoming", url] + list(args), self.path("dst") + ".log")
        return p, p.wait_for("err", r"waiting for a migration on") is not None


def disk_busy(env, disk):
    """Whether another process is refused the image (its locks are held)."""
    p = subprocess.run([RVMM, "--kernel", env.elf, "-m", "16M", "--drive",
                        "file=%s,format=raw" % disk], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=WAIT)
    return p.returncode == 2 and "in use by another process" in p.stderr


def migrate_ok(env, name, url, src_engine, dst_engine, smp=1, body=None, disk=None,
               max_mib=None):
    """A whole migration; returns the completion line's match."""
    src, api = env.source(src_engine, smp, disk)
    dst, listening = env.dest(url, "--engine", dst_engine)
    try:
        if not listening or not src.wait_for("out", r"count 3\n"):
            check(name, False, "the destination did not listen or the guest did not run")
            return None
        req = {"destination_url": url}
        req.update(body or {})
        status, reply, _ = api.call("PUT", "/migration/send", req)
        if status != 204:
            check(name, False, "PUT /migration/send: %s %s" % (status, reply))
            return None
        rc = src.wait_exit()
        done = re.search(r"rvmm: migration completed: (\d+) rounds, (\d+) MiB sent, downtime "
                         r"(\d+) ms, total (\d+) ms, throttle (\d+)%", src.err)
        moved = dst.wait_for("err", r"migration received") is not None
        last = last_count(src.out)
        # The destination goes on counting from where the source stopped.
        going = dst.wait_for("out", r"count %d\n" % (last + 5)) is not None
        # Shared storage: the destination took the image over at the switch.
        held = disk_busy(env, disk) if disk else True
        dst.kill()
        seq, why = sequence_ok(src.out + dst.out)
        ok = rc == 0 and done and moved and going and seq and "count" not in src.err and held
        # Compressed: the counter's 16 MiB buffer holds one value over and
        # over, so what went over the wire is a fraction of it.
        small = max_mib is None or (done and int(done.group(2)) <= max_mib)
        ok = ok and small
        if done:
            print("INFO migration/%s: %s" % (name, done.group(0)[len("rvmm: "):]))
        check(name, ok, "source rc %s, completed %s, received %s, counting on %s, sequence %s "
              "(%s), disk held by the destination %s, sent within %s MiB %s; source stderr %r, "
              "destination stderr %r" % (rc, bool(done), moved, going, seq, why, held, max_mib,
                                         small, src.err[-300:], dst.err[-300:]))
        return done
    finally:
        src.kill()
        dst.kill()


def paused_migration(env, name, url, api_dest, body=None):
    """A VM paused before the migration arrives paused: under a destination
    API (PUT /migration/receive without resume_vm) it stays Paused, prints
    nothing, and counts on from where it stopped once resumed; under
    --incoming (no API to resume it later) it runs, saying so."""
    src, api = env.source()
    procs = [src]
    try:
        if not src.wait_for("out", r"count 3\n"):
            check(name, False, "the guest did not run")
            return
        if api_dest:
            dsock = env.path("dapi")
            dst = Proc([RVMM, "--api-sock", dsock], env.path("dst") + ".log")
            procs.append(dst)
            dapi = Api(dsock)
            dapi.wait_ready(dst.p)
            st, reply, _ = dapi.call("PUT", "/migration/receive", {"receiver_url": url})
            listening = st == 204
        else:
            dst, listening = env.dest(url)
            procs.append(dst)
        paused = api.call("PATCH", "/vm", {"state": "Paused"})[0] == 204
        last = last_count(src.out)
        req = {"destination_url": url}
        req.update(body or {})
        status, reply, _ = api.call("PUT", "/migration/send", req)
        rc = src.wait_exit()
        done = re.search(r"rvmm: migration completed: .*", src.err)
        stopped_at = last_count(src.out)
        if api_dest:
            end = wait_state(dapi, ("Completed", "Failed", "Cancelled"))
            vm = wait_vm(dapi, ("Paused", "Running"))
            # Paused: nothing ran here yet (the source's last line was its last).
            quiet = vm.get("state") == "Paused" and "count" not in dst.out
            resumed = dapi.call("PATCH", "/vm", {"state": "Resumed"})[0] == 204
            extra = "destination %s, VM %s, quiet %s, resumed %s" % (end, vm, quiet, resumed)
            extra_ok = end and end["state"] == "Completed" and quiet and resumed
        else:
            note = dst.wait_for("err", r"migration received, the VM runs here now \(it was "
                                       r"paused on the source")
            extra_ok, extra = note is not None, "note %s" % (note is not None)
        going = dst.wait_for("out", r"count %d\n" % (stopped_at + 5)) is not None
        seq, why = sequence_ok(src.out + dst.out)
        ok = (listening and paused and status == 204 and rc == 0 and done and stopped_at == last
              and extra_ok and going and seq)
        if done:
            print("INFO migration/%s: %s" % (name, done.group(0)[len("rvmm: "):]))
        check(name, ok, "listening %s, paused %s, send %s %s, source rc %s, counts %d then %d, "
              "%s, counting on %s, sequence %s (%s); %r %r" % (
                  listening, paused, status, reply, rc, last, stopped_at, extra, going, seq,
                  why, src.err[-300:], dst.err[-300:]))
    finally:
        for p in procs:
            p.kill()


def wait_vm(api, want, timeout=WAIT):
    """GET / once its state is one of want (the VM is handed to the API
    just after the migration completes), or the last answer."""
    deadline = time.monotonic() + timeout
    while True:
        status, body = api.get("/")
        if (status == 200 and body.get("state") in want) or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


def paused_cancel(env):
    """A paused VM whose migration stalls: a resume meanwhile is refused
    (it is sent as it stands), a cancel leaves it Paused, and then it
    resumes and counts on."""
    name = "paused, stalled, cancelled"
    src, api = env.source()
    try:
        path = env.path("fake")
        fake = FakeDest(path, "stall")
        if not src.wait_for("out", r"count 3\n"):
            check(name, False, "the guest did not run")
            return
        paused = api.call("PATCH", "/vm", {"state": "Paused"})[0]
        send = api.call("PUT", "/migration/send", {"destination_url": "unix:" + path})
        active = wait_state(api, ("Active",)) is not None
        refused = api.call("PATCH", "/vm", {"state": "Resumed"})
        cancel = api.call("PATCH", "/migration", {"state": "Cancelled"})[0]
        end = wait_state(api, ("Cancelled", "Failed", "Completed"))
        vm = api.get("/")[1]
        resumed = api.call("PATCH", "/vm", {"state": "Resumed"})[0]
        last = last_count(src.out)
        counting = src.wait_for("out", r"count %d\n" % (last + 5)) is not None
        seq, why = sequence_ok(src.out)
        ok = (paused == 204 and send[0] == 204 and active and refused[0] == 400 and
              "being migrated" in refused[1].get("fault_message", "") and cancel == 204 and
              end and end["state"] == "Cancelled" and vm.get("state") == "Paused" and
              resumed == 204 and counting and seq and fake.got_eof.wait(WAIT))
        check(name, ok, "pause %s, send %s, active %s, resume meanwhile %s, cancel %s, end %s, "
              "VM %s, resumed %s, counting %s, sequence %s (%s)" % (
                  paused, send, active, refused, cancel, end, vm, resumed, counting, seq, why))
    finally:
        src.kill()


def diff_snapshot(env, tmp):
    """Firecracker's Diff snapshots: a VM configured with
    track_dirty_pages takes a Full snapshot, runs on, takes a Diff one.
    The Diff's memory file holds about the 4 MiB the guest rewrote, not
    its RAM; a restore refuses it alone; merged onto the base
    (--snapshot-merge), it restores in a new process whose guest counts on
    from the Diff's value (its check that every page holds the last count
    passes: no page was lost), once and in order."""
    name = "diff snapshot"
    elf = build_guest(tmp, 0x400000)
    sock = env.path("api")
    src = Proc([RVMM, "--api-sock", sock], env.path("src") + ".log")
    procs = [src]
    f = {k: env.path(k) for k in ("base.state", "base.mem", "diff.state", "diff.mem")}
    try:
        api = Api(sock)
        api.wait_ready(src.p)
        steps = [api.call("PUT", "/boot-source", {"kernel_image_path": elf})[0],
                 api.call("PUT", "/machine-config", {"vcpu_count": 1, "mem_size_mib": 64,
                                                     "track_dirty_pages": True})[0],
                 api.call("PUT", "/actions", {"action_type": "InstanceStart"})[0]]
        if steps != [204] * 3 or not src.wait_for("out", r"count 3\n"):
            check(name, False, "configure and start: %s" % steps)
            return
        no_base = api.call("PATCH", "/vm", {"state": "Paused"})[0] == 204 and api.call(
            "PUT", "/snapshot/create", {"snapshot_path": f["diff.state"],
                                        "mem_file_path": f["diff.mem"],
                                        "snapshot_type": "Diff"})
        full = api.call("PUT", "/snapshot/create", {"snapshot_path": f["base.state"],
                                                    "mem_file_path": f["base.mem"],
                                                    "snapshot_type": "Full"})[0]
        api.call("PATCH", "/vm", {"state": "Resumed"})
        at = last_count(src.out)
        src.wait_for("out", r"count %d\n" % (at + 5))
        api.call("PATCH", "/vm", {"state": "Paused"})
        diff = api.call("PUT", "/snapshot/create", {"snapshot_path": f["diff.state"],
                                                    "mem_file_path": f["diff.mem"],
                                                    "snapshot_type": "Diff"})[0]
        stopped_at = last_count(src.out)
        src.kill()
        base_kib = os.stat(f["base.mem"]).st_blocks // 2
        diff_kib = os.stat(f["diff.mem"]).st_blocks // 2
        small = diff_kib <= 4096 + 64  # the buffer, the trailer and the bitmap
        alone = subprocess.run([RVMM, "--restore", f["diff.state"], "--mem-file", f["diff.mem"]],
                               stdin=subprocess.DEVNULL, capture_output=True, text=True,
                               timeout=WAIT)
        refused = alone.returncode == 2 and "--snapshot-merge" in alone.stderr
        merge = subprocess.run([RVMM, "--snapshot-merge",
                                "base=%s,diff=%s" % (f["base.mem"], f["diff.mem"])],
                               capture_output=True, text=True, timeout=WAIT)
        clone = Proc([RVMM, "--restore", f["diff.state"], "--mem-file", f["base.mem"]],
                     env.path("clone") + ".log")
        procs.append(clone)
        going = clone.wait_for("out", r"count %d\n" % (stopped_at + 3)) is not None
        seq, why = sequence_ok(src.out + clone.out)
        ok = (no_base and no_base[0] == 400 and "Full snapshot first" in
              no_base[1].get("fault_message", "") and full == 204 and diff == 204 and small and
              refused and merge.returncode == 0 and going and seq)
        print("INFO migration/%s: base %d KiB, diff %d KiB on disk" % (name, base_kib, diff_kib))
        check(name, ok, "diff before a base %s, full %s, diff %s, diff %d KiB (base %d), alone "
              "%s %r, merge %s %r, counting on from %d %s, sequence %s (%s); %r" % (
                  no_base, full, diff, diff_kib, base_kib, alone.returncode,
                  alone.stderr[-200:], merge.returncode, merge.stderr[-200:], stopped_at, going,
                  seq, why, clone.err[-300:]))
    finally:
        for p in procs:
            p.kill()


def frame(tag, payload=b""):
    hdr = struct.pack("<4sI", tag, len(payload))
    return hdr + payload + struct.pack("<I", zlib.crc32(hdr + payload))


def read_frame(conn):
    def read(n):
        b = b""
        while len(b) < n:
            chunk = conn.recv(n - len(b))
            if not chunk:
                raise EOFError
            b += chunk
        return b
    tag, n = struct.unpack("<4sI", read(8))
    payload = read(n)
    read(4)
    return tag, payload


class FakeDest:
    """A destination that accepts the hello and then fails on purpose:
    'close' after `pages` PAGE frames, 'stall' (stops reading), or
    'nodone' (reads everything, then closes instead of answering)."""

    def __init__(self, path, mode, pages=0):
        self.path = path
        self.mode = mode
        self.pages = pages
        self.got_hello = threading.Event()
        self.got_eof = threading.Event()
        self.srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.srv.bind(path)
        self.srv.listen(1)
        self.t = threading.Thread(target=self.run)
        self.t.daemon = True
        self.t.start()

    def run(self):
        conn, _ = self.srv.accept()
        try:
            tag, hello = read_frame(conn)
            if tag != b"HELO" or not hello.startswith(b"RVMMMIG\0"):
                return
            self.got_hello.set()
            conn.sendall(frame(b"RPLY", struct.pack("<II", 0, 0)))
            if self.mode == "stall":
                self.wait_closed(conn)
                return
            n = 0
            while True:
                tag, _ = read_frame(conn)
                if tag == b"PAGE":
                    n += 1
                    if self.mode == "close" and n >= self.pages:
                        return
                elif tag == b"SYNC":  # the source waits until the pages are in
                    conn.sendall(frame(b"SYNC"))
                elif tag == b"STAT" and self.mode == "nodone":
                    return
                elif tag == b"CANC":
                    return
        except (EOFError, OSError):
            self.got_eof.set()
        finally:
            conn.close()
            self.srv.close()

    def wait_closed(self, conn):
        """Waits, reading nothing more (so the source's sends block once
        the socket is full), for the source to shut the stream down."""
        poller = select.poll()
        poller.register(conn, select.POLLRDHUP | select.POLLHUP)
        if poller.poll(WAIT * 1000):
            self.got_eof.set()


def wait_state(api, want, timeout=WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body = api.get("/migration")
        if status == 200 and body["state"] in want:
            return body
        time.sleep(0.05)
    return None


def source_survives(env, name, dest_setup, expect_state="Failed", cancel=False, disk=None,
                    body=None):
    """The source migrates to a destination that fails at a chosen point:
    the source reports it and its guest counts on (and holds its disk
    again, if it has one)."""
    src, api = env.source(disk=disk)
    try:
        url, extra = dest_setup()
        if not src.wait_for("out", r"count 3\n"):
            check(name, False, "the guest did not run")
            return
        req = {"destination_url": url}
        req.update(body or {})
        status, reply, _ = api.call("PUT", "/migration/send", req)
        if cancel and status == 204:
            if not wait_state(api, ("Active",)):
                check(name, False, "never Active")
                return
            status, reply, _ = api.call("PATCH", "/migration", {"state": "Cancelled"})
        end = wait_state(api, ("Failed", "Cancelled", "Completed"))
        last = last_count(src.out)
        counting = src.wait_for("out", r"count %d\n" % (last + 5)) is not None
        state = end["state"] if end else None
        extra_ok, extra_why = extra() if extra else (True, "")
        st, vm, _ = api.call("GET", "/")
        seq, why = sequence_ok(src.out)
        if disk and not disk_busy(env, disk):
            extra_ok, extra_why = False, "the source let go of its disk"
        ok = (status == 204 and state == expect_state and counting and seq and extra_ok
              and vm["state"] == "Running" and src.p.poll() is None)
        check(name, ok, "send %s %s, end %s, counting on %s, VM %s, sequence %s (%s) %s" % (
            status, reply, end, counting, vm, seq, why, extra_why))
        return api, src
    finally:
        src.kill()


CAPTURE = r"""
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x8035))
s.bind((sys.argv[1], 0))
mac = bytes.fromhex(sys.argv[2].replace(":", ""))
print("ready", flush=True)
while True:
    f = s.recv(2048)
    if f[0:6] == b"\xff" * 6 and f[6:12] == mac and f[12:14] == b"\x80\x35":
        print("rarp from", sys.argv[2], flush=True)
"""


def tap_announce(env):
    """With tap NICs in a private network namespace (two taps standing in
    for the two hosts' ports on one bridge): after the switch the
    destination announces the guest's MAC on its tap (a RARP broadcast),
    so the network learns where the VM went."""
    name = "tap announce"
    if os.geteuid() != 0 or not os.path.exists("/dev/net/tun") or not shutil.which("ip"):
        check(name, False, "needs root, /dev/net/tun and ip")
        return
    ns = "rvmm-mig-%d" % os.getpid()
    mac = "52:54:00:12:34:99"

    def in_ns(*argv):
        return ["ip", "netns", "exec", ns] + list(argv)
    steps = [["ip", "netns", "add", ns], in_ns("ip", "link", "set", "lo", "up")]
    for tap in ("mtapa", "mtapb"):
        steps += [in_ns("ip", "tuntap", "add", "dev", tap, "mode", "tap"),
                  in_ns("ip", "link", "set", tap, "up")]
    procs = []
    try:
        for argv in steps:
            r = subprocess.run(argv, capture_output=True, text=True)
            if r.returncode:
                check(name, False, "%s: %s" % (" ".join(argv), r.stderr.strip()))
                return
        cap = Proc(in_ns(sys.executable, "-c", CAPTURE, "mtapb", mac), env.path("cap") + ".log")
        procs.append(cap)
        sock = env.path("api")
        url = "unix:" + env.path("mig")
        src = Proc(in_ns(RVMM, "--api-sock", sock, "--kernel", env.elf, "-m", "64M", "--net",
                         "tap,ifname=mtapa,mac=" + mac), env.path("src") + ".log")
        procs.append(src)
        dst = Proc(in_ns(RVMM, "--incoming", url, "--net", "tap,ifname=mtapb"),
                   env.path("dst") + ".log")
        procs.append(dst)
        api = Api(sock)
        api.wait_ready(src.p)
        ready = (cap.wait_for("out", "ready") and dst.wait_for("err", "waiting for a migration")
                 and src.wait_for("out", r"count 3\n"))
        status, reply, _ = api.call("PUT", "/migration/send", {"destination_url": url})
        rc = src.wait_exit()
        heard = cap.wait_for("out", "rarp from " + mac) is not None
        going = dst.wait_for("out", r"count %d\n" % (last_count(src.out) + 3)) is not None
        check(name, ready and status == 204 and rc == 0 and heard and going,
              "ready %s, send %s %s, source rc %s, RARP seen %s, counting on %s; %r %r" % (
                  bool(ready), status, reply, rc, heard, going, src.err[-200:], dst.err[-200:]))
    finally:
        for p in procs:
            p.kill()
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def main():
    if not shutil.which(CC):
        check("toolchain", False, "%s not found (scripts/install-deps.sh installs it)" % CC)
        return 1
    tmp = tempfile.mkdtemp(prefix="rvmm-mig-", dir="/tmp")
    elf = build_guest(tmp)
    check("guest builds", elf is not None)
    if not elf:
        return 1
    env = Env(tmp, elf)

    migrate_ok(env, "unix jit shared disk", "unix:" + env.path("mig"), "jit", "jit",
               disk=env.disk())
    migrate_ok(env, "tcp interp smp2", "tcp:127.0.0.1:%d" % free_port(), "interp", "interp",
               smp=2)
    migrate_ok(env, "jit to interp", "unix:" + env.path("mig"), "jit", "interp")
    migrate_ok(env, "interp to jit", "unix:" + env.path("mig"), "interp", "jit")
    # A limit the dirtying guest can hardly meet: rounds go on (how many,
    # and whether auto-converge steps in, depends on the host's speed: the
    # policy itself is unit-tested in test_migration), and the timeout's
    # strategy switches over anyway, with nothing lost.
    migrate_ok(env, "tight limit, timeout switches over", "unix:" + env.path("mig"), "jit", "jit",
               body={"downtime_ms": 1, "timeout_s": 4, "timeout_strategy": "Switchover"})

    # Compression: the destination learns it from the stream; the guest's
    # pages (its counter buffer) shrink, so fewer bytes go than the RAM.
    for alg, engines in (("zstd", ("jit", "interp")), ("lz4", ("interp", "jit"))):
        migrate_ok(env, "%s %s to %s" % (alg, engines[0], engines[1]), "unix:" + env.path("mig"),
                   engines[0], engines[1], body={"compression": alg}, max_mib=4)

    # A paused VM: sent as it stands, paused on arrival.
    paused_migration(env, "paused, to an API destination", "unix:" + env.path("mig"), True)
    paused_migration(env, "paused, lz4, to --incoming", "tcp:127.0.0.1:%d" % free_port(), False,
                     body={"compression": "lz4"})
    paused_cancel(env)

    diff_snapshot(env, tmp)
    tap_announce(env)

    # The destination refuses the VM before any memory: 2 harts asked
    # for, the source has 1. The source never stops.
    src, api = env.source()
    url = "unix:" + env.path("mig")
    dst, listening = env.dest(url, "--smp", "2")
    src.wait_for("out", r"count 3\n")
    status, reply, _ = api.call("PUT", "/migration/send", {"destination_url": url})
    rc = dst.wait_exit()
    lines = dst.err.strip().splitlines()
    st = wait_state(api, ("Failed",))
    last = last_count(src.out)
    counting = src.wait_for("out", r"count %d\n" % (last + 3)) is not None
    check("refused before memory",
          listening and status == 400 and "harts" in reply.get("fault_message", "") and
          rc == 2 and len(lines) == 2 and "failed" in lines[-1] and "harts" in lines[-1] and
          st is not None and counting,
          "send %s %s, dst rc %s stderr %r, state %s, counting %s" % (
              status, reply, rc, dst.err, st, counting))
    src.kill()
    dst.kill()

    # Faults at chosen points: the connection drops after some pages, the
    # destination never answers after the last state, a byte is corrupted
    # (the real destination must notice and exit 2 with one line), and a
    # cancel while the link does not drain.
    def closing(pages):
        def setup():
            path = env.path("fake")
            FakeDest(path, "close", pages)
            return "unix:" + path, None
        return setup
    source_survives(env, "connection dropped after the first pages", closing(1))
    source_survives(env, "connection dropped mid-memory", closing(20))

    def nodone():
        path = env.path("fake")
        FakeDest(path, "nodone")
        return "unix:" + path, None
    source_survives(env, "destination gone before answering", nodone, disk=env.disk())

    def stall():
        path = env.path("fake")
        fake = FakeDest(path, "stall")
        return "unix:" + path, lambda: (fake.got_eof.wait(WAIT), "the stand-in saw no end")
    source_survives(env, "cancel", stall, expect_state="Cancelled", cancel=True)

    def corrupt_compressed():
        """A proxy that cuts the compressed bytes of the third PAGE frame
        short and writes a right CRC for it: only decompressing can tell."""
        dpath = env.path("mig")
        dst, listening = env.dest("unix:" + dpath)
        ppath = env.path("proxy")
        proxy = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        proxy.bind(ppath)
        proxy.listen(1)

        def relay():
            a, _ = proxy.accept()
            b = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            b.connect(dpath)

            threading.Thread(target=copy_back, args=(b, a), daemon=True).start()
            pages = 0
            try:
                while True:
                    tag, payload = read_frame(a)
                    if tag == b"PAGE":
                        pages += 1
                        if pages == 3 and len(payload) > 64:
                            payload = payload[:-32]
                    b.sendall(frame(tag, payload))
            except (EOFError, OSError):
                pass
            b.close()
        threading.Thread(target=relay, daemon=True).start()

        def after():
            rc = dst.wait_exit()
            lines = dst.err.strip().splitlines()
            dst.kill()
            return (rc == 2 and len(lines) == 2 and "corrupt" in lines[-1],
                    "destination rc %s stderr %r" % (rc, dst.err))
        return "unix:" + ppath, after

    def corrupt():
        dpath = env.path("mig")
        dst, listening = env.dest("unix:" + dpath)
        ppath = env.path("proxy")
        proxy = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        proxy.bind(ppath)
        proxy.listen(1)

        def relay():
            a, _ = proxy.accept()
            b = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            b.connect(dpath)

            threading.Thread(target=copy_back, args=(b, a), daemon=True).start()
            seen = 0
            try:
                while True:
                    d = a.recv(65536)
                    if not d:
                        break
                    at = 3 * 1024 * 1024 - seen  # a byte inside the page data
                    if 0 <= at < len(d):
                        d = d[:at] + bytes([d[at] ^ 0x20]) + d[at + 1:]
                    seen += len(d)
                    b.sendall(d)
            except OSError:
                pass
            b.close()
        threading.Thread(target=relay, daemon=True).start()

        def after():
            rc = dst.wait_exit()
            lines = dst.err.strip().splitlines()
            dst.kill()
            return (rc == 2 and len(lines) == 2 and "corrupt" in lines[-1],
                    "destination rc %s stderr %r" % (rc, dst.err))
        return "unix:" + ppath, after
    source_survives(env, "corrupt byte", corrupt)
    for alg in ("zstd", "lz4"):
        source_survives(env, "corrupt %s data" % alg, corrupt_compressed,
                        body={"compression": alg})

    # Requests invalid in the state they meet.
    src, api = env.source()
    st0 = api.get("/migration")
    bad_url = api.call("PUT", "/migration/send", {"destination_url": "ftp:x"})
    bad_field = api.call("PUT", "/migration/send", {"destination_url": "unix:/x", "bogus": 1})
    no_cancel = api.call("PATCH", "/migration", {"state": "Cancelled"})
    no_recv = api.call("PUT", "/migration/receive", {"receiver_url": "unix:/tmp/x"})
    bad_comp = api.call("PUT", "/migration/send", {"destination_url": "unix:/x",
                                                   "compression": "gzip"})
    pause = api.call("PATCH", "/vm", {"state": "Paused"})
    # Paused is fine to migrate: this one fails on the connection alone.
    paused_send = api.call("PUT", "/migration/send", {"destination_url": "unix:/nonexistent"})
    api.call("PATCH", "/vm", {"state": "Resumed"})
    refused = api.call("PUT", "/migration/send",
                       {"destination_url": "unix:" + env.path("nobody")})
    check("bad requests", st0 == (200, st0[1]) and st0[1]["state"] == "Idle" and
          bad_url[0] == 400 and bad_field[0] == 400 and no_cancel[0] == 400 and
          no_recv[0] == 400 and pause[0] == 204 and paused_send[0] == 400 and
          "cannot connect" in paused_send[1]["fault_message"] and refused[0] == 400 and
          bad_comp[0] == 400 and "zstd" in bad_comp[1]["fault_message"] and
          "cannot connect" in refused[1]["fault_message"] and src.p.poll() is None,
          "%s %s %s %s %s %s %s %s %s" % (st0, bad_url, bad_field, no_cancel, no_recv, pause,
                                           paused_send, refused, bad_comp))
    src.kill()
    bad_cli = subprocess.run([RVMM, "--incoming", "tcp:127.0.0.1:99999"], capture_output=True,
                             text=True, timeout=60)
    check("bad --incoming", bad_cli.returncode == 2 and
          len(bad_cli.stderr.strip().splitlines()) == 1, bad_cli.stderr)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if results and all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
