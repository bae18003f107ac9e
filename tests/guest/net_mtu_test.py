"""An MTU on user-mode NAT (--net user,mtu=N) end to end: the guest's eth0
comes up with N (VIRTIO_NET_F_MTU) and slirp uses the same MTU, so packets
of that size cross the NAT and hostfwd both ways with their bytes intact.

Two guests: mtu=9000 (jumbo) and mtu=576 (the smallest IPv4 datagram every
host must take). Each phase reads the NIC's frame counters from GET /stats
before and after, and checks the mean frame size of the phase against the
MTU. With 9000, a mean above 1514 (the largest Ethernet frame at 1500) is
possible only if frames larger than 1514 crossed, so slirp used the MTU
(with slirp at its default 1500, TCP would offer and use MSS 1460 and every
frame would be <= 1514). With 576, a mean above 590 (576 + the 14-byte
Ethernet header) means slirp sent frames larger than the MTU. The phases:
ping with a payload near the MTU (slirp answers; at 576 the reply of a
1400-byte ping must come back in fragments), a download through NAT from
a host HTTP server, an upload host->guest through hostfwd (guest nc -l)
and a download guest->host through hostfwd (guest httpd). Transfers are
checked by SHA-256 on the receiving side. One PASS/FAIL line per check."""
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
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from apiclient import Api  # noqa: E402
from console import Console, free_port  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
KERNEL = os.environ["GUEST_KERNEL"]
INITRD = os.environ["GUEST_INITRD"]
LOGDIR = os.environ.get("BUILD", "build") + "/guest-logs"
SIZE = 1 << 20
GUEST_NC_PORT = 5555
GUEST_HTTP_PORT = 8080
ETH_HDR = 14

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s guest/net_mtu/%s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + detail))
    sys.stdout.flush()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def counters(api):
    status, body = api.get("/stats")
    if status != 200:
        raise RuntimeError("GET /stats: %r %r" % (status, body))
    return body["network_interfaces"]["net0"]


def mean_frame(before, after, way):
    frames = after[way + "_frames"] - before[way + "_frames"]
    nbytes = after[way + "_bytes"] - before[way + "_bytes"]
    return frames, (nbytes / frames if frames else 0.0)


def frames_ok(mtu, frames, mean):
    """Jumbo: some frame was larger than a 1500-MTU link allows. Small: on
    average no frame was larger than the MTU allows."""
    if not frames:
        return False
    return mean > 1500 + ETH_HDR if mtu > 1500 else mean <= mtu + ETH_HDR


def connect_retry(port, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=60)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def guest_sha(con, path):
    out = con.run("sha256sum %s" % path, 120)
    m = re.search(r"\b([0-9a-f]{64})\b", out)
    return m.group(1) if m else out


def run_guest(mtu, http_port, blob, tmp):
    tag = "mtu%d" % mtu
    nc_fwd, http_fwd = free_port(), free_port()
    sock = os.path.join(tmp, "api-%d.sock" % mtu)
    net = "user,mtu=%d,hostfwd=tcp:127.0.0.1:%d-:%d,hostfwd=tcp:127.0.0.1:%d-:%d" % (
        mtu, nc_fwd, GUEST_NC_PORT, http_fwd, GUEST_HTTP_PORT)
    argv = [RVMM, "--kernel", KERNEL, "--initrd", INITRD, "-m", "256M", "--net", net,
            "--api-sock", sock] + os.environ.get("RVMM_ARGS", "").split()
    con = Console(argv, "%s/net-%s.log" % (LOGDIR, tag))
    api = Api(sock)
    try:
        try:
            con.boot_to_shell()
            api.wait_ready(con.proc)
        except (TimeoutError, EOFError) as e:
            check(tag + "/boot", False, str(e))
            return
        out = con.run("cat /sys/class/net/eth0/mtu")
        check(tag + "/guest_eth0_mtu", out.strip() == str(mtu), repr(out))
        out = con.run("udhcpc -i eth0 -n -q -t 5 -T 2 >/dev/null 2>&1; echo rc=$?", 90)
        check(tag + "/dhcp_lease", out.endswith("rc=0"), repr(out))

        # ICMP echo answered by slirp itself (10.0.2.2), sized near the MTU
        # for the jumbo guest, and well above it for the small one.
        psize = mtu - 28 - 100 if mtu > 1500 else 1400
        c0 = counters(api)
        out = con.run("ping -c 3 -s %d -W 5 10.0.2.2 >/dev/null 2>&1; echo rc=$?" % psize, 60)
        c1 = counters(api)
        frames, mean = mean_frame(c0, c1, "rx")
        check(tag + "/ping_%d" % psize, out.endswith("rc=0") and frames_ok(mtu, frames, mean),
              "%r; %d frames to the guest, mean %.0f bytes" % (out, frames, mean))

        # NAT: the guest downloads from the host.
        c0 = counters(api)
        out = con.run("wget -q -O /tmp/blob http://10.0.2.2:%d/blob; echo rc=$?" % http_port, 300)
        c1 = counters(api)
        sha = guest_sha(con, "/tmp/blob") if out.endswith("rc=0") else out
        frames, mean = mean_frame(c0, c1, "rx")
        check(tag + "/nat_download", sha == hashlib.sha256(blob).hexdigest() and
              frames_ok(mtu, frames, mean),
              "sha %r; %d frames to the guest, mean %.0f bytes" % (sha, frames, mean))
        print("INFO net_mtu: %s NAT download: %d frames, mean %.0f bytes" % (tag, frames, mean))
        con.run("rm /tmp/blob")

        # hostfwd host -> guest: nc in the guest receives.
        up = os.urandom(SIZE)
        con.run("( (nc -l -p %d > /tmp/up; echo nc-done > /tmp/up.done) </dev/null"
                " >/dev/null 2>&1 & )" % GUEST_NC_PORT)
        con.run("for i in $(seq 100); do netstat -ltn | grep -q ':%d ' && break; sleep 0.2; done"
                % GUEST_NC_PORT, 60)
        c0 = counters(api)
        err = ""
        try:
            s = connect_retry(nc_fwd)
            s.sendall(up)
            s.shutdown(socket.SHUT_WR)
            s.settimeout(120)
            while s.recv(4096):
                pass
            s.close()
        except OSError as e:
            err = str(e)
        con.run("for i in $(seq 60); do [ -f /tmp/up.done ] && break; sleep 1; done", 90)
        c1 = counters(api)
        sha = guest_sha(con, "/tmp/up")
        frames, mean = mean_frame(c0, c1, "rx")
        check(tag + "/hostfwd_host_to_guest", not err and sha == hashlib.sha256(up).hexdigest() and
              frames_ok(mtu, frames, mean),
              "%s sha %r; %d frames to the guest, mean %.0f bytes" % (err, sha, frames, mean))
        con.run("rm /tmp/up")

        # hostfwd guest -> host: httpd in the guest serves.
        con.run("mkdir -p /tmp/www && head -c %d /dev/urandom > /tmp/www/reply && "
                "httpd -p %d -h /tmp/www" % (SIZE, GUEST_HTTP_PORT), 60)
        want = guest_sha(con, "/tmp/www/reply")
        got, err = "", ""
        c0 = counters(api)
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/reply" % http_fwd,
                                            timeout=120) as r:
                    got = hashlib.sha256(r.read()).hexdigest()
                break
            except OSError as e:
                err = str(e)
                if time.monotonic() > deadline:
                    break
                time.sleep(0.5)
        c1 = counters(api)
        frames, mean = mean_frame(c0, c1, "tx")
        check(tag + "/hostfwd_guest_to_host", got == want and frames_ok(mtu, frames, mean),
              "got %r want %r %s; %d frames from the guest, mean %.0f bytes" % (
                  got, want, err, frames, mean))
        print("INFO net_mtu: %s guest->host: %d frames, mean %.0f bytes" % (tag, frames, mean))
        check(tag + "/nothing_dropped", c1["rx_dropped"] == 0 and c1["tx_dropped"] == 0, repr(c1))

        con.send("poweroff -f\n")
        code = con.wait_exit(60)
        check(tag + "/poweroff_exit_status", code == 0, "exit status %r" % code)
    finally:
        con.kill()


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="rvmm-mtu-")
    blob = os.urandom(SIZE)
    with open(os.path.join(tmp, "blob"), "wb") as f:
        f.write(blob)
    handler = lambda *a, **k: QuietHandler(*a, directory=tmp, **k)  # noqa: E731
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        for mtu in (9000, 576):
            run_guest(mtu, srv.server_address[1], blob, tmp)
    finally:
        srv.shutdown()


if __name__ == "__main__":
    main()
    sys.exit(0 if all(results) else 1)
