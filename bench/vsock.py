"""vsock throughput against TCP through the user-mode NIC, on one guest:
host->guest and guest->host, MiB/s and rvmm's host CPU seconds per GiB.

The guest runs guest/programs/vsock.c (/usr/bin/vsock; build the guest
images from this tree: make guest). Each transfer is N MiB (BENCH_MIB,
default 32) of the program's pattern, BENCH_ROUNDS rounds (default 3),
the four kinds interleaved in each round:
 - vsock host->guest: a host client CONNECTs through uds_path to the
   guest's `vsock sink`, sends N MiB, half-closes, and waits for the sink's
   "sink N" answer (so every byte reached the guest program);
 - vsock guest->host: `vsock source vsock:2:PORT N` in the guest, to a host
   listener at uds_path_PORT that reads to EOF;
 - tcp host->guest and guest->host: the same through --net user (slirp),
   with a hostfwd rule to the guest's `vsock sink tcp:PORT` and the guest's
   source connecting to the host at 10.0.2.2.
Time runs from the first byte sent (host side) or from the command sent to
the guest (guest side; its start-up is included, a few ms) to the end of the
transfer; CPU is utime+stime of the rvmm process (/proc/PID/stat) over the
same span. Env: RVMM, RVMM_CACHE, BENCH_MIB, BENCH_ROUNDS, RVMM_ARGS."""
import os
import socket
import statistics
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "guest"))
from console import Console, free_port  # noqa: E402

RVMM = os.path.abspath(os.environ.get("RVMM", "build/rvmm"))
CACHE = os.environ.get("RVMM_CACHE", os.path.expanduser("~/.cache/rvmm"))
KERNEL = os.path.join(CACHE, "guest", "Image")
INITRD = os.path.join(CACHE, "guest", "initramfs.cpio.gz")
MIB = int(os.environ.get("BENCH_MIB", "32"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
N = MIB << 20
TICK = os.sysconf("SC_CLK_TCK")


def cpu_s(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def send_and_wait(sock):
    """Sends N bytes, half-closes, returns the answer line."""
    chunk = bytes(1 << 16)
    left = N
    while left:
        n = sock.send(chunk[:min(left, len(chunk))])
        left -= n
    sock.shutdown(socket.SHUT_WR)
    answer = b""
    while not answer.endswith(b"\n"):
        b = sock.recv(64)
        if not b:
            break
        answer += b
    return answer.decode().strip()


def host_to_guest(pid, connect):
    s = connect()
    c0, t0 = cpu_s(pid), time.monotonic()
    answer = send_and_wait(s)
    t, c = time.monotonic() - t0, cpu_s(pid) - c0
    s.close()
    if answer != "sink %d" % N:
        raise RuntimeError("guest sink answered %r" % answer)
    return t, c


def guest_to_host(con, pid, listener, target):
    got = [0]

    def serve():
        c, _ = listener.accept()
        while True:
            b = c.recv(1 << 16)
            if not b:
                break
            got[0] += len(b)
        c.close()
    th = threading.Thread(target=serve)
    th.start()
    c0, t0 = cpu_s(pid), time.monotonic()
    con.run("vsock source %s %d" % (target, N), timeout=600)
    th.join()
    t, c = time.monotonic() - t0, cpu_s(pid) - c0
    if got[0] != N:
        raise RuntimeError("host got %d of %d bytes" % (got[0], N))
    return t, c


def main():
    tmp = tempfile.mkdtemp(prefix="rvmm-bench-vsock-")
    uds = os.path.join(tmp, "v.sock")
    hp = free_port()
    extra = os.environ.get("RVMM_ARGS", "").split()
    con = Console([RVMM, "--kernel", KERNEL, "--initrd", INITRD, "-m", "256M",
                   "--append", "console=ttyS0", "--vsock", "cid=3,uds=" + uds,
                   "--net", "user,hostfwd=tcp:127.0.0.1:%d-:5002" % hp] + extra)
    pid = con.proc.pid
    try:
        con.boot_to_shell(300)
        # The sinks are up once they say so (waited for in the guest).
        con.run("udhcpc -q -i eth0 >/dev/null 2>&1; vsock sink vsock:5000 >/tmp/s1 & "
                "vsock sink tcp:5002 >/tmp/s2 & "
                "until grep -q listening /tmp/s1 && grep -q listening /tmp/s2; do sleep 0.1; done",
                timeout=120)
        vl = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        vl.bind(uds + "_5001")
        vl.listen(1)
        tl = socket.socket()
        tl.bind(("0.0.0.0", 0))
        tl.listen(1)
        tport = tl.getsockname()[1]

        def vconnect():
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(uds)
            s.sendall(b"CONNECT 5000\n")
            line = b""
            while not line.endswith(b"\n"):
                line += s.recv(1)
            if not line.startswith(b"OK "):
                raise RuntimeError("CONNECT answered %r" % line)
            return s

        def tconnect():
            return socket.create_connection(("127.0.0.1", hp))

        kinds = [("vsock host->guest", lambda: host_to_guest(pid, vconnect)),
                 ("vsock guest->host", lambda: guest_to_host(con, pid, vl, "vsock:2:5001")),
                 ("tcp host->guest", lambda: host_to_guest(pid, tconnect)),
                 ("tcp guest->host",
                  lambda: guest_to_host(con, pid, tl, "tcp:10.0.2.2:%d" % tport))]
        res = {k: [] for k, _ in kinds}
        for r in range(ROUNDS):
            for name, fn in kinds:
                t, c = fn()
                res[name].append((t, c))
                print("round %d %-18s %7.1f MiB/s  %6.2f host CPU s/GiB" %
                      (r + 1, name, MIB / t, c / (N / (1 << 30))))
                sys.stdout.flush()
        print("median of %d rounds, %d MiB each:" % (ROUNDS, MIB))
        for name, _ in kinds:
            t = statistics.median(x[0] for x in res[name])
            c = statistics.median(x[1] for x in res[name])
            print("  %-18s %7.1f MiB/s  %6.2f host CPU s/GiB" % (name, MIB / t, c / (N / (1 << 30))))
    finally:
        con.kill()


if __name__ == "__main__":
    main()
