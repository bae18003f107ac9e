"""virtio-net on a tap device (--net tap): in a private network namespace
(so the host's own network is never touched) the test makes a tap with
192.168.76.1/24, runs rvmm in that namespace, gives the guest 192.168.76.2
and checks ping and TCP both ways (guest wget from a host HTTP server, host
fetch from the guest's httpd), SHA-256 on the receiving side. Where tap
devices cannot be made (no root, no /dev/net/tun, no ip netns), it checks
what it can: that --net tap fails with one line and exit status 2."""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from console import Console  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
KERNEL = os.environ["GUEST_KERNEL"]
INITRD = os.environ["GUEST_INITRD"]
LOGDIR = os.environ.get("BUILD", "build") + "/guest-logs"
NS = "rvmm-tap-%d" % os.getpid()
TAP = "rvtap0"
HOST_IP, GUEST_IP = "192.168.76.1", "192.168.76.2"
MAC = "52:54:00:ab:cd:ef"
SIZE = 2 << 20

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s guest/net_tap/%s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + detail))
    sys.stdout.flush()


def sh(*argv):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def in_ns(*argv):
    return ["ip", "netns", "exec", NS] + list(argv)


def make_tap():
    """Returns None when the namespace and tap exist, else why not."""
    if os.geteuid() != 0 or not os.path.exists("/dev/net/tun") or not shutil.which("ip"):
        return "needs root, /dev/net/tun and ip"
    steps = [["ip", "netns", "add", NS],
             in_ns("ip", "tuntap", "add", "dev", TAP, "mode", "tap"),
             in_ns("ip", "addr", "add", HOST_IP + "/24", "dev", TAP),
             in_ns("ip", "link", "set", TAP, "up"),
             in_ns("ip", "link", "set", "lo", "up")]
    for argv in steps:
        r = sh(*argv)
        if r.returncode:
            return "%s: %s" % (" ".join(argv), r.stdout.strip())
    return None


def open_error_only(why):
    r = sh(RVMM, "--kernel", KERNEL, "--net", "tap,ifname=rvmm-no-such-tap-device-name")
    lines = r.stdout.strip().splitlines()
    check("open_error_one_line", r.returncode == 2 and len(lines) == 1
          and lines[0].startswith("rvmm: "), "%s; exit %d: %r" % (why, r.returncode, r.stdout))


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    why = make_tap()
    if why:
        print("INFO net_tap: no tap device here (%s): checking the open error only" % why)
        sh("ip", "netns", "del", NS)
        open_error_only(why)
        return
    tmp = tempfile.mkdtemp(prefix="rvmm-tap-")
    blob = os.urandom(SIZE)
    with open(os.path.join(tmp, "blob"), "wb") as f:
        f.write(blob)
    srv = subprocess.Popen(in_ns("python3", "-m", "http.server", "--bind", HOST_IP, "8000",
                                 "--directory", tmp),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    argv = in_ns(RVMM, "--kernel", KERNEL, "--initrd", INITRD, "-m", "256M",
                 "--net", "tap,ifname=%s,mac=%s" % (TAP, MAC))
    con = Console(argv, "%s/net-tap.log" % LOGDIR)
    try:
        try:
            con.boot_to_shell()
        except (TimeoutError, EOFError) as e:
            check("boot", False, str(e))
            return
        out = con.run("cat /sys/class/net/eth0/address")
        check("mac_option", out == MAC, repr(out))
        con.run("ip addr add %s/24 dev eth0 && ip link set eth0 up" % GUEST_IP)
        out = con.run("ping -c 3 -W 5 %s >/dev/null 2>&1; echo rc=$?" % HOST_IP, 60)
        check("ping_host", out.endswith("rc=0"), repr(out))

        out = con.run("wget -q -O /tmp/blob http://%s:8000/blob; echo rc=$?; sha256sum /tmp/blob"
                      % HOST_IP, 300)
        m = re.search(r"\b([0-9a-f]{64})\b", out)
        check("tcp_host_to_guest_sha256", bool(m) and m.group(1) == hashlib.sha256(blob).hexdigest(),
              repr(out))

        out = con.run("mkdir -p /tmp/www && head -c %d /dev/urandom > /tmp/www/reply && "
                      "httpd -p 8080 -h /tmp/www && sha256sum /tmp/www/reply" % SIZE, 60)
        m = re.search(r"\b([0-9a-f]{64})\b", out)
        want = m.group(1) if m else out
        fetch = ("import hashlib, urllib.request; print(hashlib.sha256(urllib.request.urlopen("
                 "'http://%s:8080/reply', timeout=120).read()).hexdigest())" % GUEST_IP)
        got = ""
        for _ in range(20):
            r = sh(*in_ns("python3", "-c", fetch))
            got = r.stdout.strip()
            if r.returncode == 0:
                break
            time.sleep(0.5)
        check("tcp_guest_to_host_sha256", got == want, "got %r want %r" % (got, want))
        con.send("poweroff -f\n")
        check("poweroff_exit_status", con.wait_exit(60) == 0)
    finally:
        con.kill()
        srv.kill()
        srv.wait()
        sh("ip", "netns", "del", NS)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
    sys.exit(0 if all(results) else 1)
