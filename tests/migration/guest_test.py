"""Live migration of a Linux guest (the busybox initramfs): it fills 64 MiB
of tmpfs with random data and notes its SHA-256, then keeps copying it over
a second 64 MiB file (dirtying 64 MiB of RAM over and over) while a shell
loop prints "tick N" once a second. The VM migrates to a new rvmm process;
there the loop goes on until the test types a line into the destination's
console, and the guest prints both files' SHA-256. Checks: every tick once
and in order across the two processes, one boot (one banner), both files
still hold the data (same SHA-256 as before), guest time without a jump,
the source exits 0. Once JIT to JIT over a unix socket, once JIT to the
interpreter over TCP on 127.0.0.1. Then a qcow2 disk under a guest's
writes (known content, disjoint blocks) across a migration and across one
that fails after the switch-over: qemu-img check clean, every block intact.
And two network namespaces joined by a veth pair as two hosts, and tap
NICs on one bridge with a TCP connection open across the switch (root).
Env: RVMM, BUILD, GUEST_KERNEL, GUEST_INITRD. One PASS/FAIL line per check."""
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "guest"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from apiclient import Api  # noqa: E402
from console import Console, free_port  # noqa: E402

BUILD = os.environ.get("BUILD", "build")
RVMM = os.environ.get("RVMM", BUILD + "/rvmm")
KERNEL = os.environ["GUEST_KERNEL"]
INITRD = os.environ["GUEST_INITRD"]
LOGDIR = BUILD + "/guest-logs"

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print("%s migration/guest/%s%s" % ("PASS" if ok else "FAIL", name,
                                       "" if ok else ": " + detail))
    sys.stdout.flush()


WORK = ("dd if=/dev/urandom of=/tmp/data bs=1M count=64 2>/dev/null; "
        "cp /tmp/data /tmp/copy; sha256sum /tmp/data; "
        "(while :; do dd if=/tmp/data of=/tmp/copy bs=1M conv=notrunc 2>/dev/null; done) & "
        "D=$!; i=0; while ! read -t 1 x; do i=$((i+1)); read up _ </proc/uptime; "
        "echo tick $i up $up; done; kill $D; wait $D 2>/dev/null; "
        "sha256sum /tmp/data /tmp/copy; echo WORK""DONE\n")


def migrate(name, url, src_engine, dst_engine, tmp):
    sock = os.path.join(tmp, name + ".api")
    src = Console([RVMM, "--api-sock", sock, "--kernel", KERNEL, "--initrd", INITRD,
                   "-m", "384M", "--engine", src_engine], "%s/mig-%s-src.log" % (LOGDIR, name))
    dst = None
    try:
        src.boot_to_shell(600)
        src.send(WORK)
        m = src.expect(r"([0-9a-f]{64})  /tmp/data", 300)
        want = m.group(1)
        src.expect(r"tick 3 ", 300)
        dst = Console([RVMM, "--incoming", url, "--engine", dst_engine],
                      "%s/mig-%s-dst.log" % (LOGDIR, name))
        dst.expect(r"waiting for a migration on", 60)
        api = Api(sock)
        status, reply, _ = api.call("PUT", "/migration/send", {"destination_url": url})
        rc = src.wait_exit(600)
        while src._read(1):  # what the source printed last is still in the pipe
            pass
        dst.expect(r"migration received", 300)
        before = open(src.log.name, errors="replace").read() if src.log else ""
        # The loop goes on here; a line typed into the new console ends it.
        last = max([int(n) for n in re.findall(r"tick (\d+) ", before)] or [0])
        dst.expect(r"tick %d " % (last + 3), 120)
        dst.send("\n")
        sums = dst.expect(r"([0-9a-f]{64})  /tmp/data\s+([0-9a-f]{64})  /tmp/copy\s+WORKDONE",
                          600)
        after = open(dst.log.name, errors="replace").read()
        ticks = [(int(a), float(b)) for a, b in re.findall(r"tick (\d+) up ([\d.]+)",
                                                           before + after)]
        seq = [t for t, _ in ticks] == list(range(1, len(ticks) + 1))
        # Guest time: about a second a tick, across the switch as elsewhere
        # (no jump forward by the migration's duration, none backward).
        steps = [b - a for (_, a), (_, b) in zip(ticks, ticks[1:])]
        no_jump = steps and all(0.5 < s < 10 for s in steps)
        banners = (before + after).count("rvmm guest ready")
        done = re.search(r"migration completed: .*", before)
        ok = (status == 204 and rc == 0 and seq and no_jump and banners == 1 and
              sums.group(1) == want and sums.group(2) == want)
        if done:
            print("INFO migration/guest/%s: %s" % (name, done.group(0)))
        check(name, ok, "send %s %s, source rc %s, ticks in order %s (%d), steps %s, banners %d, "
              "sums %s %s want %s" % (status, reply, rc, seq, len(ticks),
                                      [round(s, 2) for s in steps][-8:], banners,
                                      sums.group(1)[:8], sums.group(2)[:8], want[:8]))
    except (TimeoutError, EOFError, OSError) as e:
        check(name, False, str(e)[-400:])
    finally:
        src.kill()
        if dst:
            dst.kill()


BLOCKS = 192  # 64 KiB each, "blk NNNNNNNNNNN\n" lines: block i names itself
WRITER = ("i=0; while [ $i -lt %d ]; do yes \"$(printf 'blk %%011d' $i)\" | head -c 65536 | "
          "dd of=/dev/vda bs=65536 seek=$i conv=notrunc 2>/dev/null; echo w $i; "
          "i=$((i+1)); done; sync; echo WRITER""DONE\n" % BLOCKS)


def image_ok(path):
    """qemu-img check is clean and every block holds what the guest wrote
    there (the rest of the disk is zero)."""
    chk = subprocess.run(["qemu-img", "check", path], capture_output=True, text=True)
    raw = path + ".raw"
    conv = subprocess.run(["qemu-img", "convert", "-O", "raw", path, raw], capture_output=True,
                          text=True)
    if chk.returncode or conv.returncode:
        return False, "qemu-img check %d %r, convert %d %r" % (
            chk.returncode, chk.stdout[-300:] + chk.stderr[-300:], conv.returncode, conv.stderr)
    with open(raw, "rb") as f:
        data = f.read()
    os.unlink(raw)
    for i in range(BLOCKS):
        want = (b"blk %011d\n" % i) * 4096
        if data[i * 65536:(i + 1) * 65536] != want:
            return False, "block %d: %r" % (i, data[i * 65536:i * 65536 + 32])
    if data[BLOCKS * 65536:].count(0) != len(data) - BLOCKS * 65536:
        return False, "data past the last block"
    return True, chk.stdout.strip().splitlines()[-1] if chk.stdout.strip() else ""


def qcow2_under_load(name, tmp, fail):
    """A guest writes known blocks to a qcow2 disk in a loop; once it has
    written 40 (a chosen point) the VM migrates, for real or to a stand-in
    destination that takes everything and then vanishes before answering
    (the source has flushed and released the image by then, and must take
    it back). The writer finishes wherever the guest ended up; then the
    image must pass qemu-img check and hold every block as written."""
    disk = os.path.join(tmp, name + ".qcow2")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", disk, "32M"], check=True)
    sock = os.path.join(tmp, name + ".api")
    url = "unix:" + os.path.join(tmp, name + ".mig")
    src = Console([RVMM, "--api-sock", sock, "--kernel", KERNEL, "--initrd", INITRD, "-m", "256M",
                   "--drive", "file=%s,format=qcow2" % disk], "%s/mig-%s-src.log" % (LOGDIR, name))
    dst = fake = None
    try:
        src.boot_to_shell(600)
        if fail:
            from migration_test import FakeDest
            fake = FakeDest(url[5:], "nodone")
        else:
            dst = Console([RVMM, "--incoming", url], "%s/mig-%s-dst.log" % (LOGDIR, name))
            dst.expect(r"waiting for a migration on", 60)
        src.send(WRITER)
        src.expect(r"w 40\s", 300)
        api = Api(sock)
        status, reply, _ = api.call("PUT", "/migration/send", {"destination_url": url})
        if fail:
            # The source keeps the guest: its writer finishes there.
            state = None
            for _ in range(600):
                st, body = api.get("/migration")
                if st == 200 and body["state"] in ("Failed", "Completed", "Cancelled"):
                    state = body["state"]
                    break
                time.sleep(0.1)
            src.expect(r"WRITERDONE", 600)
            src.send("poweroff -f\n")
            rc = src.wait_exit(120)
            ok_mig = state == "Failed" and rc == 0
        else:
            rc_src = src.wait_exit(600)
            dst.expect(r"migration received", 300)
            dst.expect(r"WRITERDONE", 600)
            dst.send("poweroff -f\n")
            rc = dst.wait_exit(120)
            state = "Completed" if rc_src == 0 else "source rc %s" % rc_src
            ok_mig = rc_src == 0 and rc == 0
        good, why = image_ok(disk)
        check(name, status == 204 and ok_mig and good,
              "send %s %s, migration %s, rvmm rc %s, image: %s" % (status, reply, state, rc, why))
    except (TimeoutError, EOFError, OSError) as e:
        check(name, False, str(e)[-400:])
    finally:
        src.kill()
        if dst:
            dst.kill()


WHO = r"""
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("served by %s\n" % sys.argv[2]).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H)
print("ready", flush=True)
srv.serve_forever()
"""


def two_hosts(tmp):
    """Two network namespaces joined by a veth pair stand in for two hosts
    (each with its own loopback, where a small HTTP server says which host
    it is). A Linux guest on user-mode NAT (--net user) gets its address by
    DHCP and reaches host A's server through 10.0.2.2; it migrates over TCP
    across the veth link to an rvmm in the other namespace; there DHCP
    gives it the same address back and 10.0.2.2 is host B's server."""
    name = "two namespaces over tcp"
    if os.geteuid() != 0:
        check(name, False, "needs root (ip netns)")
        return
    tag = os.getpid() % 100000
    ns = ["rvmm-ma-%d" % tag, "rvmm-mb-%d" % tag]
    va, vb = "rvmva%d" % tag, "rvmvb%d" % tag
    port = free_port()
    steps = [["ip", "netns", "add", ns[0]], ["ip", "netns", "add", ns[1]],
             ["ip", "link", "add", va, "type", "veth", "peer", "name", vb],
             ["ip", "link", "set", va, "netns", ns[0]], ["ip", "link", "set", vb, "netns", ns[1]]]
    for n, dev, addr in ((ns[0], va, "10.231.0.1/24"), (ns[1], vb, "10.231.0.2/24")):
        steps += [["ip", "-n", n, "link", "set", "lo", "up"],
                  ["ip", "-n", n, "addr", "add", addr, "dev", dev],
                  ["ip", "-n", n, "link", "set", dev, "up"]]
    procs = []
    try:
        for argv in steps:
            r = subprocess.run(argv, capture_output=True, text=True)
            if r.returncode:
                check(name, False, "%s: %s" % (" ".join(argv), r.stderr.strip()))
                return
        for n, who in zip(ns, "AB"):
            srv = Console(["ip", "netns", "exec", n, sys.executable, "-c", WHO, str(port), who])
            procs.append(srv)
            srv.expect("ready", 60)
        sock = os.path.join(tmp, "ns.api")
        url = "tcp:10.231.0.2:%d" % free_port()
        src = Console(["ip", "netns", "exec", ns[0], RVMM, "--api-sock", sock, "--kernel", KERNEL,
                       "--initrd", INITRD, "-m", "256M", "--net", "user"],
                      "%s/mig-netns-src.log" % LOGDIR)
        procs.append(src)
        dst = Console(["ip", "netns", "exec", ns[1], RVMM, "--incoming", url],
                      "%s/mig-netns-dst.log" % LOGDIR)
        procs.append(dst)
        dst.expect(r"waiting for a migration on", 60)
        src.boot_to_shell(600)
        dhcp = "udhcpc -i eth0 -n -q -t 5 -T 2 >/dev/null 2>&1; echo rc=$?"
        who = "wget -q -O - http://10.0.2.2:%d/who" % port
        addr = "ip -4 addr show eth0 | grep -o 'inet [0-9.]*'"
        before = [src.run(dhcp, 120), src.run(addr), src.run(who, 120)]
        status, reply, _ = Api(sock).call("PUT", "/migration/send", {"destination_url": url})
        rc = src.wait_exit(600)
        dst.expect(r"migration received[^\n]*\n", 300)
        after = [dst.run(dhcp, 120), dst.run(addr), dst.run(who, 120)]
        ok = (before == ["rc=0", "inet 10.0.2.15", "served by A"] and status == 204 and rc == 0
              and after == ["rc=0", "inet 10.0.2.15", "served by B"])
        check(name, ok, "before %r, send %s %s, source rc %s, after %r" % (
            before, status, reply, rc, after))
    except (TimeoutError, EOFError, OSError) as e:
        check(name, False, str(e)[-400:])
    finally:
        for p in procs:
            p.kill()
        for n in ns:
            subprocess.run(["ip", "netns", "del", n], capture_output=True)


ACK = r"""
import socket, sys
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((sys.argv[1], int(sys.argv[2])))
srv.listen(4)
print("ready", flush=True)
n = 0
while True:
    c, _ = srv.accept()
    n += 1
    f = c.makefile("rwb", 0)
    for line in f:
        print("got %s on connection %d" % (line.decode().strip(), n), flush=True)
        f.write(b"ack " + line)
"""


def tap_bridge(tmp):
    """Tap NICs on one bridge (in a private network namespace) stand in for
    two hosts' ports on one network: the guest, with a fixed address, opens
    a TCP connection to a server on the bridge and exchanges a line; it
    migrates to a destination on the other tap; the same connection carries
    the next line both ways (the destination's RARP moved the guest's MAC
    to its port)."""
    name = "tap bridge, tcp connection survives"
    if os.geteuid() != 0 or not os.path.exists("/dev/net/tun"):
        check(name, False, "needs root and /dev/net/tun")
        return
    ns = "rvmm-mbr-%d" % (os.getpid() % 100000)
    port = free_port()

    def in_ns(*argv):
        return ["ip", "netns", "exec", ns] + list(argv)
    steps = [["ip", "netns", "add", ns], in_ns("ip", "link", "set", "lo", "up"),
             in_ns("ip", "link", "add", "br0", "type", "bridge"),
             in_ns("ip", "addr", "add", "10.232.0.1/24", "dev", "br0"),
             in_ns("ip", "link", "set", "br0", "up")]
    for tap in ("mtapa", "mtapb"):
        steps += [in_ns("ip", "tuntap", "add", "dev", tap, "mode", "tap"),
                  in_ns("ip", "link", "set", tap, "master", "br0"),
                  in_ns("ip", "link", "set", tap, "up")]
    procs = []
    try:
        for argv in steps:
            r = subprocess.run(argv, capture_output=True, text=True)
            if r.returncode:
                check(name, False, "%s: %s" % (" ".join(argv), r.stderr.strip()))
                return
        srv = Console(in_ns(sys.executable, "-c", ACK, "10.232.0.1", str(port)))
        procs.append(srv)
        srv.expect("ready", 60)
        sock = os.path.join(tmp, "br.api")
        url = "unix:" + os.path.join(tmp, "br.mig")
        src = Console(in_ns(RVMM, "--api-sock", sock, "--kernel", KERNEL, "--initrd", INITRD,
                            "-m", "256M", "--net", "tap,ifname=mtapa"),
                      "%s/mig-tapbr-src.log" % LOGDIR)
        procs.append(src)
        dst = Console(in_ns(RVMM, "--incoming", url, "--net", "tap,ifname=mtapb"),
                      "%s/mig-tapbr-dst.log" % LOGDIR)
        procs.append(dst)
        dst.expect(r"waiting for a migration on", 60)
        src.boot_to_shell(600)
        src.run("ip addr add 10.232.0.10/24 dev eth0; ip link set eth0 up")
        src.run("mkfifo /tmp/f; (sleep 100000 > /tmp/f &); "
                "(nc 10.232.0.1 %d < /tmp/f > /tmp/o &)" % port)
        wait_ack = ("i=0; while [ $i -lt 60 ] && ! grep -q 'ack %s' /tmp/o; do sleep 1; "
                    "i=$((i+1)); done; cat /tmp/o")
        src.run("echo one > /tmp/f")
        before = src.run(wait_ack % "one", 120)
        got_one = srv.expect(r"got one on connection (\d+)", 60).group(1)
        status, reply, _ = Api(sock).call("PUT", "/migration/send", {"destination_url": url})
        rc = src.wait_exit(600)
        dst.expect(r"migration received[^\n]*\n", 300)
        dst.run("echo two > /tmp/f")
        after = dst.run(wait_ack % "two", 120)
        got_two = srv.expect(r"got two on connection (\d+)", 120).group(1)
        ok = (before == "ack one" and status == 204 and rc == 0 and
              after == "ack one\nack two" and got_one == got_two == "1")
        check(name, ok, "before %r (connection %s), send %s %s, source rc %s, after %r "
              "(connection %s)" % (before, got_one, status, reply, rc, after, got_two))
    except (TimeoutError, EOFError, OSError, AttributeError) as e:
        check(name, False, str(e)[-400:])
    finally:
        for p in procs:
            p.kill()
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="rvmm-migg-", dir="/tmp")
    migrate("jit-unix", "unix:" + os.path.join(tmp, "mig.sock"), "jit", "jit", tmp)
    migrate("jit-to-interp-tcp", "tcp:127.0.0.1:%d" % free_port(), "jit", "interp", tmp)
    qcow2_under_load("qcow2-writes-migrate", tmp, False)
    qcow2_under_load("qcow2-writes-failed-migration", tmp, True)
    two_hosts(tmp)
    tap_bridge(tmp)
    return 0 if results and all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
