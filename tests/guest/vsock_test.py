"""virtio-vsock with Firecracker's host side, against a real Linux guest
running guest/programs/vsock.c (/usr/bin/vsock in the initramfs):

 - host to guest: a host client connects to uds_path, writes "CONNECT 5000\n",
   gets "OK <port>\n" (port from 2^30, Firecracker's numbering), sends 1 MiB
   of random bytes, half-closes, and reads back exactly those bytes from the
   guest's echo server;
 - guest to host: the guest's client connects to CID 2 port 6000, which is
   the host listener at "<uds_path>_6000"; the host checks every byte it
   receives against the program's pattern and echoes it; the guest checks
   the echo ("client ... ok");
 - a host CONNECT to a port nobody listens on in the guest is closed (EOF,
   no OK), and a bad command line is closed too;
 - pause/resume: an open connection keeps working across PATCH /vm Paused
   and Resumed (bytes written while paused arrive after the resume);
 - snapshot/restore: the snapshot carries the device (GET /vm/config of the
   restored VM shows it), vsock_override moves it to another uds_path, and,
   as Firecracker documents, connections do not survive the restore (the
   guest gets a transport reset) while the guest's listener does: a new
   CONNECT reaches it and the restored guest's client reaches the host.
   The source VM's connection keeps working after the snapshot.
One PASS/FAIL line per check. Env: RVMM, GUEST_KERNEL, GUEST_INITRD, BUILD."""
import os
import socket
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from apiclient import Api  # noqa: E402
from console import Console  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
KERNEL = os.environ["GUEST_KERNEL"]
INITRD = os.environ["GUEST_INITRD"]
LOGDIR = os.environ.get("BUILD", "build") + "/guest-logs"
WAIT = 180  # seconds: the bound on any guest reaction, generous for a loaded host
CID = 7

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print("%s vsock/%s%s" % ("PASS" if ok else "FAIL", name,
                             ": %s" % (detail,) if detail != "" else ""))
    sys.stdout.flush()


def pattern(seed, n):
    """The bytes guest/programs/vsock.c sends: byte i of seed s."""
    out = bytearray(n)
    for blk in range(0, n, 256):
        x = (((blk >> 8) * 0x9E3779B97F4A7C15) + seed) & 0xFFFFFFFFFFFFFFFF
        hi = (x >> 29) & 0xFF
        for i in range(blk, min(n, blk + 256)):
            out[i] = (hi ^ i) & 0xFF
    return bytes(out)


def recv_line(s):
    line = b""
    while not line.endswith(b"\n"):
        b = s.recv(1)
        if not b:
            break
        line += b
    return line


def host_connect(uds, port):
    """CONNECT through uds_path; returns (socket, the OK line)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(WAIT)
    s.connect(uds)
    s.sendall(b"CONNECT %d\n" % port)
    return s, recv_line(s)


def recv_exact(s, n):
    got = bytearray()
    while len(got) < n:
        b = s.recv(n - len(got))
        if not b:
            break
        got += b
    return bytes(got)


def echo_roundtrip(s, data):
    """Sends data (a thread, so neither side has to buffer all of it),
    half-closes, returns what comes back until EOF."""
    def writer():
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
    t = threading.Thread(target=writer)
    t.start()
    got = bytearray()
    while True:
        b = s.recv(65536)
        if not b:
            break
        got += b
    t.join()
    return bytes(got)


class HostEcho:
    """A host listener at PATH: each connection's bytes are kept (for the
    check) and echoed back until EOF."""
    def __init__(self, path):
        self.path = path
        self.received = []
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(8)
        self.sock.settimeout(WAIT)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            c.settimeout(WAIT)
            data = bytearray()
            try:
                while True:
                    b = c.recv(65536)
                    if not b:
                        break
                    data += b
                    c.sendall(b)
            except OSError:
                pass
            self.received.append(bytes(data))
            c.close()

    def close(self):
        self.sock.close()


def start(tmp, name, args):
    sock = os.path.join(tmp, name + ".sock")
    con = Console([RVMM, "--api-sock", sock] + args, "%s/vsock-%s.log" % (LOGDIR, name))
    api = Api(sock)
    api.wait_ready(con.proc)
    return con, api


def guest_client(con, port, n, seed):
    return con.run("vsock client vsock:2:%d %d %d" % (port, n, seed), timeout=WAIT)


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="rvmm-vsock-")
    uds = os.path.join(tmp, "v.sock")
    con, api = start(tmp, "src", ["--kernel", KERNEL, "--initrd", INITRD, "-m", "256M",
                                  "--append", "console=ttyS0",
                                  "--vsock", "cid=%d,uds=%s" % (CID, uds),
                                  "--net", "user,mtu=9000"])
    procs = [con]
    try:
        con.boot_to_shell(300)
        # The NIC's MTU (VIRTIO_NET_F_MTU), beside the vsock.
        out = con.run("cat /sys/class/net/eth0/mtu")
        check("net_mtu_offered", out.strip() == "9000", out)
        out = con.run("test -c /dev/vsock && echo vsock-present")
        check("guest_has_device", out.strip() == "vsock-present", out)
        # The listener is up once it says so (waited for in the guest).
        out = con.run("vsock echo vsock:5000 > /tmp/echo.log 2>&1 & "
                      "until grep -q listening /tmp/echo.log; do sleep 0.1; done; cat /tmp/echo.log",
                      timeout=WAIT)
        check("guest_listener", "listening vsock:5000" in out, out)

        # Host to guest through CONNECT.
        data = os.urandom(1 << 20)
        s, ok = host_connect(uds, 5000)
        port = int(ok.split()[1]) if ok.startswith(b"OK ") else -1
        check("connect_ok_line", ok.startswith(b"OK ") and port >= (1 << 30), ok)
        back = echo_roundtrip(s, data)
        s.close()
        check("host_to_guest_echo", back == data, "%d of %d bytes back" % (len(back), len(data)))

        # A second connection at once gets another host port.
        s1, ok1 = host_connect(uds, 5000)
        s2, ok2 = host_connect(uds, 5000)
        check("distinct_host_ports", ok1.startswith(b"OK ") and ok2.startswith(b"OK ") and
              ok1 != ok2, (ok1, ok2))
        b1 = echo_roundtrip(s1, b"one")
        b2 = echo_roundtrip(s2, b"two")
        check("two_connections", (b1, b2) == (b"one", b"two"), (b1, b2))
        s1.close()
        s2.close()

        # Nobody listens on 5999: the guest answers RST, the host sees EOF.
        s, ok = host_connect(uds, 5999)
        check("connect_refused", ok == b"", ok)
        s.close()
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(WAIT)
        s.connect(uds)
        s.sendall(b"HELLO 5000\n")
        check("bad_command_closed", recv_line(s) == b"")
        s.close()

        # Guest to host: uds_path_6000.
        echo = HostEcho(uds + "_6000")
        n = 1 << 20
        out = guest_client(con, 6000, n, 7)
        check("guest_to_host_client", "client sent %d got %d ok" % (n, n) in out, out)
        check("guest_to_host_bytes", echo.received and echo.received[-1] == pattern(7, n),
              "%d bytes" % (len(echo.received[-1]) if echo.received else -1))
        out = guest_client(con, 6001, 10, 1)
        check("guest_connect_refused", "connect" in out and "ok" not in out, out)

        # Pause and resume with a connection open.
        s, ok = host_connect(uds, 5000)
        s.sendall(b"before")
        first = recv_exact(s, 6)
        status, _ = api.patch("/vm", {"state": "Paused"})
        s.sendall(b"during")
        status2, _ = api.patch("/vm", {"state": "Resumed"})
        got = recv_exact(s, 6)
        check("pause_resume", (status, status2, first, bytes(got)) ==
              (204, 204, b"before", b"during"), (status, status2, first, bytes(got)))

        # Snapshot with that connection open; the source keeps it.
        status, _ = api.patch("/vm", {"state": "Paused"})
        st, mem = os.path.join(tmp, "state"), os.path.join(tmp, "mem")
        status2, body = api.put("/snapshot/create", {"snapshot_path": st, "mem_file_path": mem})
        status3, _ = api.patch("/vm", {"state": "Resumed"})
        check("snapshot_created", (status, status2, status3) == (204, 204, 204), body)
        back = echo_roundtrip(s, b"after-snapshot")
        check("source_connection_survives", back == b"after-snapshot", back)
        s.close()

        # Restore in a new process, on another socket (the source holds uds).
        uds2 = os.path.join(tmp, "v2.sock")
        rcon, rapi = start(tmp, "dst", [])
        procs.append(rcon)
        status, body = rapi.put("/snapshot/load", {
            "snapshot_path": st, "mem_backend": {"backend_type": "File", "backend_path": mem},
            "vsock_override": {"uds_path": uds2}, "resume_vm": True})
        check("restore_with_override", status == 204, body)
        status, cfg = rapi.get("/vm/config")
        check("restored_config_has_vsock", status == 200 and cfg.get("vsock") ==
              {"guest_cid": CID, "uds_path": uds2}, cfg.get("vsock") if cfg else cfg)
        nets = cfg.get("network-interfaces", []) if cfg else []
        check("restored_net_mtu", [n.get("mtu") for n in nets] == [9000], nets)
        # The guest resets its connected sockets when it handles the
        # transport reset event; a connection it took before that goes with
        # them (empty, closed), so a client retries, as on Firecracker.
        data = os.urandom(200000)
        for attempt in range(50):
            s, ok = host_connect(uds2, 5000)
            back = echo_roundtrip(s, data) if ok.startswith(b"OK ") else b""
            s.close()
            if back:
                break
            time.sleep(0.2)
        check("restored_listener_answers", back == data, (ok, len(back), attempt))
        # The connection open at the snapshot was reset in the restored
        # guest: its echo process ends, the listener stays (waited for in
        # the guest, bounded).
        out = rcon.run("i=0; while [ $(ps | grep -c '[v]sock echo') -gt 1 ] && [ $i -lt 600 ]; "
                       "do sleep 0.1; i=$((i+1)); done; ps | grep -c '[v]sock echo'", timeout=WAIT)
        check("restored_connections_reset", out.strip() == "1", out)
        echo2 = HostEcho(uds2 + "_6000")
        rcon.send("\n")
        out = guest_client(rcon, 6000, 300000, 9)
        check("restored_guest_client", "client sent 300000 got 300000 ok" in out, out)
        check("restored_guest_bytes", echo2.received and echo2.received[-1] == pattern(9, 300000))
        echo.close()
        echo2.close()

        # Bad requests.
        status, body = rapi.put("/vsock", {"guest_cid": 3, "uds_path": uds})
        check("put_after_start_refused", status == 400, body)
    except (TimeoutError, EOFError, OSError, ValueError, KeyError) as e:
        check("exception", False, repr(e))
    finally:
        for p in procs:
            p.proc.kill()
            p.proc.wait()
    print("vsock: %d checks, %d failed" % (len(results), results.count(False)))
    return 0 if results and all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
