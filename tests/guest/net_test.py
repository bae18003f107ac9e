"""Networking end to end over virtio-net and user-mode NAT (--net user):
the guest gets its address by DHCP, downloads a file from an HTTP server the
test runs on the host's loopback (seen from the guest at 10.0.2.2), and two
hostfwd rules carry data host->guest (guest nc -l) and guest->host (guest
httpd). Every transfer is several MiB or hundreds of KiB, checked by SHA-256
on the receiving side. One PASS/FAIL line per check."""
import hashlib
import http.server
import os
import re
import socket
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from console import Console, free_port  # noqa: E402
from idle_test import LIMIT, TICK, cpu_ticks  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
KERNEL = os.environ["GUEST_KERNEL"]
INITRD = os.environ["GUEST_INITRD"]
LOGDIR = os.environ.get("BUILD", "build") + "/guest-logs"
DOWNLOAD_SIZE = 4 << 20
UPLOAD_SIZE = 768 << 10
REPLY_SIZE = 512 << 10
GUEST_NC_PORT = 5555
GUEST_HTTP_PORT = 8080

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s guest/net/%s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + detail))
    sys.stdout.flush()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory):
    handler = lambda *a, **k: QuietHandler(*a, directory=directory, **k)  # noqa: E731
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def connect_retry(port, timeout=30):
    """Retries until the host side of the forward accepts."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=60)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def upload(port, data):
    """Sends data to the guest's nc over hostfwd; the guest reports its hash."""
    s = connect_retry(port)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    s.settimeout(120)
    try:
        while s.recv(4096):
            pass
    finally:
        s.close()


def guest_sha(con, path):
    out = con.run("sha256sum %s" % path, 120)
    m = re.search(r"\b([0-9a-f]{64})\b", out)
    return m.group(1) if m else out


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="rvmm-net-")
    blob = os.urandom(DOWNLOAD_SIZE)
    with open(os.path.join(tmp, "blob"), "wb") as f:
        f.write(blob)
    srv = serve(tmp)
    http_port = srv.server_address[1]
    nc_fwd, http_fwd = free_port(), free_port()
    net = "user,hostfwd=tcp:127.0.0.1:%d-:%d,hostfwd=tcp::%d-:%d" % (
        nc_fwd, GUEST_NC_PORT, http_fwd, GUEST_HTTP_PORT)
    argv = [RVMM, "--kernel", KERNEL, "--initrd", INITRD, "-m", "256M", "--net", net,
            "--stats"] + os.environ.get("RVMM_ARGS", "").split()
    con = Console(argv, "%s/net-user.log" % LOGDIR)
    try:
        try:
            con.boot_to_shell()
        except (TimeoutError, EOFError) as e:
            check("boot", False, str(e))
            return

        out = con.run("cat /sys/class/net/eth0/address")
        check("default_mac", out == "52:54:00:12:34:56", repr(out))
        out = con.run("udhcpc -i eth0 -n -q -t 5 -T 2 >/dev/null 2>&1; echo rc=$?", 90)
        check("dhcp_lease", out.endswith("rc=0"), repr(out))
        out = con.run("ip -4 addr show eth0 | grep -o 'inet [0-9./]*'; ip route | grep default;"
                      " cat /etc/resolv.conf")
        check("dhcp_address", "inet 10.0.2.15/24" in out, repr(out))
        check("dhcp_route", "default via 10.0.2.2" in out, repr(out))
        check("dhcp_dns", "nameserver 10.0.2.3" in out, repr(out))

        out = con.run("ping -c 2 -W 5 10.0.2.2 >/dev/null 2>&1; echo rc=$?", 30)
        check("ping_gateway", out.endswith("rc=0"), repr(out))

        t0 = time.monotonic()
        out = con.run("wget -q -O /tmp/blob http://10.0.2.2:%d/blob; echo rc=$?" % http_port, 300)
        secs = time.monotonic() - t0
        ok = out.endswith("rc=0")
        sha = guest_sha(con, "/tmp/blob") if ok else out
        check("wget_download_sha256", sha == hashlib.sha256(blob).hexdigest(), repr(sha))
        print("INFO net: %d KiB downloaded in %.1f s (%.0f KiB/s)" %
              (DOWNLOAD_SIZE >> 10, secs, (DOWNLOAD_SIZE >> 10) / secs))
        con.run("rm /tmp/blob")

        # host -> guest through the first hostfwd rule
        up = os.urandom(UPLOAD_SIZE)
        con.run("( (nc -l -p %d > /tmp/up; echo nc-done > /tmp/up.done) </dev/null"
                " >/dev/null 2>&1 & )" % GUEST_NC_PORT)
        # slirp accepts on the host first and resets if the guest is not
        # listening yet: wait for the listener.
        con.run("for i in $(seq 100); do netstat -ltn | grep -q ':%d ' && break; sleep 0.2; done"
                % GUEST_NC_PORT, 60)
        err = ""
        try:
            upload(nc_fwd, up)
        except OSError as e:
            err = str(e)
        out = con.run("for i in $(seq 60); do [ -f /tmp/up.done ] && break; sleep 1; done;"
                      " wc -c < /tmp/up", 90)
        sha = guest_sha(con, "/tmp/up")
        check("hostfwd_host_to_guest", not err and sha == hashlib.sha256(up).hexdigest(),
              "%s size %s sha %s" % (err, out, sha))

        # guest -> host through the second hostfwd rule
        con.run("mkdir -p /tmp/www && head -c %d /dev/urandom > /tmp/www/reply && "
                "httpd -p %d -h /tmp/www" % (REPLY_SIZE, GUEST_HTTP_PORT), 60)
        want = guest_sha(con, "/tmp/www/reply")
        got, err = "", ""
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/reply" % http_fwd, timeout=120) as r:
                    got = hashlib.sha256(r.read()).hexdigest()
                break
            except OSError as e:
                err = str(e)
                if time.monotonic() > deadline:
                    break
                time.sleep(0.5)
        check("hostfwd_guest_to_host", got == want, "got %r want %r %s" % (got, want, err))

        # An idle guest with a lease, listening forwards and a server running
        # costs ~0 host CPU: slirp's fds and timers do not spin the I/O thread.
        time.sleep(3)
        t0, c0 = time.monotonic(), cpu_ticks(con.proc.pid)
        time.sleep(8)
        t1, c1 = time.monotonic(), cpu_ticks(con.proc.pid)
        pct = 100.0 * (c1 - c0) / TICK / (t1 - t0)
        check("idle_cpu", pct < LIMIT, "%.1f%% of one core" % pct)
        print("INFO net: idle with --net user: %.1f%% of one core" % pct)

        # The backend outlives the board: after a reboot the new NIC works.
        con.send("reboot -f\n")
        try:
            con.boot_to_shell()
            out = con.run("udhcpc -i eth0 -n -q -t 5 -T 2 >/dev/null 2>&1 &&"
                          " wget -q -O - http://10.0.2.2:%d/blob | sha256sum" % http_port, 120)
            check("after_reboot_dhcp_wget", hashlib.sha256(blob).hexdigest() in out, repr(out))
        except (TimeoutError, EOFError) as e:
            check("after_reboot_dhcp_wget", False, str(e))

        con.send("poweroff -f\n")
        code = con.wait_exit(60)
        check("poweroff_exit_status", code == 0, "exit status %r" % code)
        m = re.search(r"net0 \(user\): rx frames=(\d+) bytes=(\d+) dropped=\d+, tx frames=(\d+)",
                      con.buf)
        check("stats_counts_frames",
              bool(m) and int(m.group(2)) > DOWNLOAD_SIZE and int(m.group(3)) > 0,
              repr(con.buf[-400:]))
    finally:
        con.kill()
        srv.shutdown()


if __name__ == "__main__":
    main()
    sys.exit(0 if all(results) else 1)
