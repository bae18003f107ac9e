"""Rate limiters seen from a guest: a disk given --drive ...,bps= and a NIC
given --net ...,bps= are held to their rates, and PATCH /drives/{id} and
PATCH /network-interfaces/{id} change them while the guest runs. Each rate
is measured as bytes (or requests) over the time the guest itself reports
(dd's own timing, /proc/uptime around wget), over transfers of several
seconds, and must be within 10% of the configured one. Limits are set well
below what the guest reaches unthrottled, so a slow host only makes a
transfer slower than the limit if the limiter is not what holds it. One
PASS/FAIL line per check."""
import hashlib
import http.server
import os
import re
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from apiclient import Api  # noqa: E402
from console import Console  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
KERNEL = os.environ["GUEST_KERNEL"]
INITRD = os.environ["GUEST_INITRD"]
LOGDIR = os.environ.get("BUILD", "build") + "/guest-logs"
MIB = 1 << 20
DISK_BPS = 2 * MIB     # --drive bps=2M
NET_BPS = 512 << 10    # --net bps=512K
DOWNLOAD = 4 * MIB     # 8 s at NET_BPS
# Frames carry Ethernet, IP and TCP headers (66 of every 1514 bytes) which
# the limiter counts and a download does not: the payload rate is lower.
PAYLOAD_SHARE = 1448.0 / 1514.0

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s guest/ratelimit/%s%s" % ("PASS" if ok else "FAIL", name,
                                        "" if ok else ": " + str(detail)))
    sys.stdout.flush()


def near(rate, want):
    return abs(rate - want) <= 0.1 * want


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def dd_rate(con, args):
    """Runs dd in the guest; returns (bytes, seconds) as dd reports them."""
    out = con.run("dd %s 2>&1" % args, 300)
    m = re.search(r"(\d+) bytes \([^)]*\) copied, ([\d.]+) seconds", out)
    if not m:
        raise ValueError("dd said %r" % out)
    return int(m.group(1)), float(m.group(2))


def uptime(con):
    return float(con.run("cut -d' ' -f1 /proc/uptime"))


def download(con, port):
    """wget of the blob with guest-reported time; returns (ok, seconds)."""
    t0 = uptime(con)
    out = con.run("wget -q -O /tmp/blob http://10.0.2.2:%d/blob; echo rc=$?" % port, 300)
    t1 = uptime(con)
    sha = con.run("sha256sum /tmp/blob; rm -f /tmp/blob", 120)
    return out.endswith("rc=0") and sha.split()[0:1], t1 - t0, sha


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="rvmm-rl-")
    disk = os.path.join(tmp, "disk.raw")
    with open(disk, "wb") as f:
        f.truncate(64 * MIB)
    blob = os.urandom(DOWNLOAD)
    want_sha = hashlib.sha256(blob).hexdigest()
    with open(os.path.join(tmp, "blob"), "wb") as f:
        f.write(blob)
    handler = lambda *a, **k: QuietHandler(*a, directory=tmp, **k)  # noqa: E731
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    port = srv.server_address[1]
    sock = os.path.join(tmp, "api.sock")
    argv = [RVMM, "--kernel", KERNEL, "--initrd", INITRD, "-m", "256M", "--api-sock", sock,
            "--drive", "file=%s,format=raw,bps=2M" % disk, "--net", "user,bps=512K"]
    argv += os.environ.get("RVMM_ARGS", "").split()
    con = Console(argv, "%s/ratelimit.log" % LOGDIR)
    api = Api(sock)
    try:
        con.boot_to_shell()
        api.wait_ready(con.proc)

        n, secs = dd_rate(con, "if=/dev/zero of=/dev/vda bs=1M count=16 oflag=direct")
        rate = n / secs
        check("cli_drive_bps_write", near(rate, DISK_BPS), "%.0f B/s, want %d" % (rate, DISK_BPS))
        print("INFO ratelimit: write %.2f MiB/s with bps=2M" % (rate / MIB))
        n, secs = dd_rate(con, "if=/dev/vda of=/dev/null bs=1M count=16 iflag=direct")
        rate = n / secs
        check("cli_drive_bps_read", near(rate, DISK_BPS), "%.0f B/s, want %d" % (rate, DISK_BPS))

        out = con.run("udhcpc -i eth0 -n -q -t 5 -T 2 >/dev/null 2>&1; echo rc=$?", 90)
        check("dhcp_lease", out.endswith("rc=0"), repr(out))
        ok, secs, sha = download(con, port)
        rate = DOWNLOAD / secs
        check("cli_net_bps_download", bool(ok) and ok[0] == want_sha and
              near(rate, NET_BPS * PAYLOAD_SHARE),
              "%.0f B/s payload, want %.0f; %r" % (rate, NET_BPS * PAYLOAD_SHARE, sha))
        print("INFO ratelimit: download %.0f KiB/s with bps=512K" % (rate / 1024))

        status, cfg = api.get("/vm/config")
        rl = cfg["drives"][0].get("rate_limiter", {}) if status == 200 else {}
        check("vm_config_shows_limits", rl.get("bandwidth", {}).get("size") == 209716 and
              "rx_rate_limiter" in cfg["network-interfaces"][0], cfg)

        # PATCH: 1 MiB/s from a bucket of 100 ms.
        status, body = api.patch("/drives/drive0", {"drive_id": "drive0", "rate_limiter": {
            "bandwidth": {"size": MIB // 10, "refill_time": 100}}})
        check("patch_drive_bandwidth", status == 204, (status, body))
        n, secs = dd_rate(con, "if=/dev/zero of=/dev/vda bs=256k count=32 oflag=direct")
        rate = n / secs
        check("patched_drive_bps", near(rate, MIB), "%.0f B/s, want %d" % (rate, MIB))

        # PATCH: 50 requests a second, bytes unlimited.
        status, body = api.patch("/drives/drive0", {"drive_id": "drive0", "rate_limiter": {
            "ops": {"size": 5, "refill_time": 100}}})
        check("patch_drive_ops", status == 204, (status, body))
        n, secs = dd_rate(con, "if=/dev/vda of=/dev/null bs=4k count=200 iflag=direct")
        iops = n / 4096 / secs
        check("patched_drive_iops", near(iops, 50), "%.1f requests/s, want 50" % iops)

        for bad, why in (({"bandwidth": {"size": 100}}, "missing_refill"),
                         ({"bandwidth": {"size": -1, "refill_time": 100}}, "negative"),
                         ({"ops": {"size": 1, "refill_time": 0}}, "zero_refill"),
                         ({"bogus": {}}, "bogus")):
            status, body = api.patch("/drives/drive0", {"drive_id": "drive0", "rate_limiter": bad})
            check("patch_refused_" + why, status == 400 and "rate_limiter" in
                  (body or {}).get("fault_message", ""), (status, body))

        status, body = api.patch("/network-interfaces/net0", {"iface_id": "net0",
                                 "rx_rate_limiter": {"bandwidth": {"size": 26214,
                                                                   "refill_time": 100}}})
        check("patch_net_rx", status == 204, (status, body))
        ok, secs, sha = download(con, port)
        rate = DOWNLOAD / secs
        check("patched_net_download", bool(ok) and ok[0] == want_sha and
              near(rate, 262140 * PAYLOAD_SHARE),
              "%.0f B/s payload, want %.0f; %r" % (rate, 262140 * PAYLOAD_SHARE, sha))

        status, body = api.patch("/drives/drive0", {"drive_id": "drive0", "rate_limiter": None})
        status2, cfg = api.get("/vm/config")
        check("patch_null_removes", status == 204 and "rate_limiter" not in cfg["drives"][0],
              (status, body, cfg))
        n, secs = dd_rate(con, "if=/dev/zero of=/dev/vda bs=1M count=16 oflag=direct")
        print("INFO ratelimit: write %.2f MiB/s unlimited" % (n / secs / MIB))

        con.send("poweroff -f\n")
        check("poweroff", con.wait_exit(60) == 0)
    except (TimeoutError, EOFError, OSError, KeyError, ValueError, TypeError) as e:
        check("run", False, repr(e))
    finally:
        con.kill()
        srv.shutdown()


if __name__ == "__main__":
    main()
    sys.exit(0 if all(results) else 1)
