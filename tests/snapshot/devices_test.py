"""Snapshots of a VM with a NIC (--net user, one hostfwd rule) and its
shell on a virtio console. The running guest (a DHCP lease, an httpd
listening behind the hostfwd rule, a TCP connection to the host, a counter
printing on the console) is
paused and saved through the control API, and the process killed; then
`rvmm --restore` in a new process: the counter goes on with no line lost or
printed twice and no second boot, the shell answers, and the NIC works
again on a new slirp: the same MAC and address (DHCP gives it again), a
fresh download from the host through 10.0.2.2 and a fresh connection
through the hostfwd rule (checked by SHA-256); a TCP connection that was open through the NAT is
reset when the guest uses it. Loaded through the API instead, the
interface counters are the snapshot's. One PASS/FAIL line per check."""
import hashlib
import os
import re
import signal
import socket
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "guest"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
sys.path.insert(0, os.path.dirname(__file__))
from apiclient import Api  # noqa: E402
from api_test import drain, ticks  # noqa: E402
from console import Console  # noqa: E402
from net_test import free_port, guest_sha, serve  # noqa: E402
from snapenv import INITRD, KERNEL, LOGDIR, RVMM, check, exit_status, shell  # noqa: E402

GUEST_HTTP_PORT = 8080
BOOT_BANNER = re.compile(r"Linux version|rvmm guest ready|OpenSBI")
BLOB_SIZE = 1 << 20


def wget(con, port, name, blob):
    out = con.run("wget -q -O /tmp/%s http://10.0.2.2:%d/%s; echo rc=$?" % (name, port, name),
                  180)
    sha = guest_sha(con, "/tmp/" + name) if out.endswith("rc=0") else out
    return sha == hashlib.sha256(blob).hexdigest(), sha


def fetch_forwarded(port, name):
    """The guest's httpd through the hostfwd rule: the body, or the error."""
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/%s" % (port, name), timeout=60) as r:
                return r.read()
        except OSError as e:
            if time.monotonic() > deadline:
                return repr(e)
            time.sleep(0.5)


def listener():
    """A host TCP server that accepts and holds connections open."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    held = []

    def accept():
        while True:
            try:
                held.append(srv.accept()[0])
            except OSError:
                return
    threading.Thread(target=accept, daemon=True).start()
    return srv, held


def nic_counters(api):
    status, body = api.get("/stats")
    return body.get("network_interfaces") if status == 200 else (status, body)


def load_keeps_counters(tmp, st, mem, nets):
    """PUT /snapshot/load without resuming: the interface counters are the
    snapshot's (the I/O thread is parked, so nothing moved them)."""
    sock = os.path.join(tmp, "load.sock")
    con = Console([RVMM, "--api-sock", sock], LOGDIR + "/snapshot-devices-load.log")
    try:
        api = Api(sock)
        api.wait_ready(con.proc)
        status, body = api.put("/snapshot/load", {"snapshot_path": st, "mem_file_path": mem})
        got = nic_counters(api) if status == 204 else (status, body)
        check("devices_load_keeps_nic_counters",
              isinstance(nets, dict) and nets and got == nets and
              all(v["rx_frames"] > 0 and v["tx_frames"] > 0 for v in nets.values()),
              "saved %r, loaded %r" % (nets, got))
    except (TimeoutError, EOFError, OSError) as e:
        check("devices_load_keeps_nic_counters", False, repr(e))
    finally:
        con.kill()


def take(tmp, http_port, fwd, st, mem, tcp_port, held):
    """Boots, sets the network up, starts the counter, snapshots it while
    it runs and kills the process. Returns (console text of the run, MAC,
    guest-served blob) or None."""
    sock = os.path.join(tmp, "source.sock")
    net = "user,hostfwd=tcp:127.0.0.1:%d-:%d" % (fwd, GUEST_HTTP_PORT)
    argv = [RVMM, "--kernel", KERNEL, "--initrd", INITRD, "-m", "256M", "--smp", "2",
            "--net", net, "--console", "virtio", "--api-sock", sock]
    con = Console(argv, LOGDIR + "/snapshot-devices-take.log")
    try:
        api = Api(sock)
        api.wait_ready(con.proc)
        shell(con)
        mac = con.run("cat /sys/class/net/eth0/address")
        out = con.run("udhcpc -i eth0 -n -q -t 5 -T 2 >/dev/null 2>&1; echo rc=$?", 90)
        check("devices_source_dhcp", out.endswith("rc=0"), repr(out))
        ok, sha = wget(con, http_port, "before", open(os.path.join(tmp, "before"), "rb").read())
        check("devices_source_wget", ok, repr(sha))
        # What the guest serves after the restore, made before it.
        con.run("mkdir -p /tmp/www; head -c %d /dev/urandom > /tmp/www/guest.bin;"
                " httpd -p %d -h /tmp/www" % (BLOB_SIZE, GUEST_HTTP_PORT))
        served = fetch_forwarded(fwd, "guest.bin")
        check("devices_source_hostfwd", isinstance(served, bytes) and len(served) == BLOB_SIZE,
              repr(served)[:200])
        # A connection through the NAT that is open at the snapshot: nc
        # sends what is written to the fifo.
        con.run("mkfifo /tmp/f; (sleep 1000 > /tmp/f &);"
                " (nc 10.0.2.2 %d < /tmp/f >/dev/null 2>&1 &)" % tcp_port)
        con.run("echo hello > /tmp/f")
        out = con.run("sleep 1; netstat -tn 2>/dev/null | grep -c ':%d .*ESTABLISHED'" % tcp_port)
        check("devices_source_nat_connection", out == "1" and held, repr(out))
        con.send("(i=0; while true; do echo tick$i; i=$((i+1)); usleep 100000; done) &"
                 " echo $! > /tmp/tick.pid\n")
        before = drain(con, 2.0)
        status, _ = api.patch("/vm", {"state": "Paused"})
        check("devices_source_paused", status == 204, status)
        before += drain(con, 0.5)  # written before the pause took hold
        status, body = api.put("/snapshot/create", {"snapshot_path": st, "mem_file_path": mem})
        check("devices_snapshot_create", status == 204 and os.path.exists(st), (status, body))
        nets = nic_counters(api)
        before += drain(con, 0.5)
        os.kill(con.proc.pid, signal.SIGKILL)
        con.wait_exit(30)
        if status != 204:
            return None
        return before, mac, served, nets
    except (TimeoutError, EOFError, OSError, KeyError) as e:
        check("devices_take", False, repr(e))
        return None
    finally:
        con.kill()


def restore(tmp, http_port, fwd, st, mem, taken, tcp_port):
    before, mac, served, _ = taken
    con = Console([RVMM, "--restore", st, "--mem-file", mem],
                  LOGDIR + "/snapshot-devices-restore.log")
    try:
        text = drain(con, 3.0)
        got, seen = ticks(text), ticks(before)
        # Output stopped at a line boundary or in the middle of one: either
        # way the restored console goes on from the next byte, so the two
        # texts together count without a gap or a repeat.
        joined = ticks(before + text)
        check("devices_console_continues",
              len(got) >= 3 and seen and joined == list(range(joined[0], joined[-1] + 1)),
              "before %r, after %r" % (seen[-3:], got[:3]))
        check("devices_no_second_boot", not BOOT_BANNER.search(text), text[:200])
        con.send("kill $(cat /tmp/tick.pid); wait\n")
        drain(con, 1.0)
        out = con.run("echo answer$((6*7))", 30)
        check("devices_console_answers", out == "answer42", repr(out))
        out = con.run("cat /sys/class/net/eth0/address;"
                      " ip -4 addr show eth0 | grep -o 'inet [0-9./]*'")
        check("devices_nic_identity", mac in out.split("\n") and "inet 10.0.2.15/24" in out,
              repr(out))
        # A new slirp knows no lease: asking again gets the same address.
        out = con.run("udhcpc -i eth0 -n -q -t 5 -T 2 >/dev/null 2>&1; echo rc=$?;"
                      " ip -4 addr show eth0 | grep -o 'inet [0-9./]*'", 90)
        check("devices_nic_dhcp_after_restore", "rc=0" in out and "inet 10.0.2.15/24" in out,
              repr(out))
        # The connection open through the old slirp is reset when used:
        # the guest's kernel drops it.
        out = con.run("netstat -tn 2>/dev/null | grep -c ':%d .*ESTABLISHED'" % tcp_port)
        con.run("echo again > /tmp/f")
        gone = con.run("for i in $(seq 50); do netstat -tn 2>/dev/null | grep -q ':%d ' || break;"
                       " sleep 0.2; done; netstat -tn 2>/dev/null | grep -c ':%d '"
                       % (tcp_port, tcp_port), 30)
        check("devices_nat_connection_reset", out == "1" and gone == "0", repr((out, gone)))
        ok, sha = wget(con, http_port, "after", open(os.path.join(tmp, "after"), "rb").read())
        check("devices_nic_wget_after_restore", ok, repr(sha))
        again = fetch_forwarded(fwd, "guest.bin")
        check("devices_nic_hostfwd_after_restore",
              isinstance(again, bytes) and again == served,
              repr(again)[:200])
        con.send("poweroff -f\n")
        check("devices_poweroff_exit_status", con.wait_exit(60) == 0)
    except (TimeoutError, EOFError, OSError) as e:
        check("devices_restore", False, repr(e))
    finally:
        con.kill()


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="rvmm-snapdev-")
    for name in ("before", "after"):
        with open(os.path.join(tmp, name), "wb") as f:
            f.write(os.urandom(BLOB_SIZE))
    srv = serve(tmp)
    try:
        http_port, fwd = srv.server_address[1], free_port()
        st, mem = os.path.join(tmp, "state"), os.path.join(tmp, "mem")
        tcp, held = listener()
        taken = take(tmp, http_port, fwd, st, mem, tcp.getsockname()[1], held)
        if taken:
            restore(tmp, http_port, fwd, st, mem, taken, tcp.getsockname()[1])
            # After the first restore exited: its hostfwd port is free again.
            load_keeps_counters(tmp, st, mem, taken[3])
    finally:
        srv.shutdown()
        tcp.close()
        for name in os.listdir(tmp):
            os.unlink(os.path.join(tmp, name))
        os.rmdir(tmp)
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
