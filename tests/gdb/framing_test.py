"""The GDB stub byte by byte, over its unix socket, on tests/gdb/prog.S
with --smp 2 --gdb-wait: acknowledgements and checksums (a bad checksum gets
'-'), a packet over PacketSize refused, garbage and malformed packets never
crash the VMM and get error or empty replies, a second connection is closed
while the first goes on, registers (incl. priv) written and read back,
target.xml, a breakpoint, a raw single step into a trap handler (as QEMU
steps), Ctrl-C stopping every hart, QStartNoAckMode, and a dropped
connection (with a breakpoint still set) letting the VM run on to its exit
status. One PASS/FAIL line per
check."""
import os
import random
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
from apiclient import Api  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
BUILD = os.environ.get("BUILD", "build")
ELF = os.environ.get("GDB_PROG", BUILD + "/gdb/prog.elf")
NM = os.environ.get("NM", "riscv64-unknown-elf-nm")
LOGDIR = BUILD + "/gdb-logs"

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s gdb/framing/%s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + detail))
    sys.stdout.flush()


def frame(payload):
    data = payload.encode("latin-1") if isinstance(payload, str) else payload
    return b"$" + data + b"#%02x" % (sum(data) & 0xff)


class Conn:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(30)
        self.s.connect(path)
        self.buf = b""
        self.noack = False

    def read_byte(self):
        if not self.buf:
            data = self.s.recv(65536)
            if not data:
                raise EOFError("the stub closed the connection")
            self.buf = data
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def read_ack(self):
        return self.read_byte()

    def read_packet(self):
        """The next packet's payload (skipping acks), its checksum checked."""
        while self.read_byte() != b"$":
            pass
        data = b""
        while True:
            c = self.read_byte()
            if c == b"#":
                break
            data += c
        cs = self.read_byte() + self.read_byte()
        assert int(cs, 16) == sum(data) & 0xff, "bad checksum from the stub"
        raw, out, esc = data, b"", False
        for x in raw:
            if esc:
                out += bytes([x ^ 0x20])
                esc = False
            elif x == ord("}"):
                esc = True
            else:
                out += bytes([x])
        if not self.noack:
            self.s.sendall(b"+")
        return out.decode("latin-1")

    def cmd(self, payload):
        """Sends a packet, expects '+' (in ack mode), returns the reply."""
        self.s.sendall(frame(payload))
        if not self.noack:
            ack = self.read_ack()
            assert ack == b"+", "ack %r" % ack
        r = self.read_packet()
        self.output = ""
        while r.startswith("O") and r != "OK":  # console output (monitor commands)
            self.output += bytes.fromhex(r[1:]).decode("latin-1")
            r = self.read_packet()
        return r

    def close(self):
        self.s.close()


def symbols():
    out = subprocess.run([NM, ELF], capture_output=True, text=True).stdout
    return {parts[2]: int(parts[0], 16) for parts in (l.split() for l in out.splitlines())
            if len(parts) == 3}


def le64(v):
    return v.to_bytes(8, "little").hex()


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    if not os.path.exists(ELF):
        check("program", False, "%s is missing (make %s)" % (ELF, ELF))
        return
    sym = symbols()
    # A short path: sun_path holds 107 bytes, the build directory may be deep.
    tmp = tempfile.mkdtemp(prefix="rvmm-gdb-")
    path = tmp + "/gdb.sock"
    log = open(LOGDIR + "/framing-rvmm.log", "w")
    api_path = tmp + "/api.sock"
    proc = subprocess.Popen([RVMM, "--bios", "none", "--kernel", ELF, "-m", "128M", "--smp", "2",
                             "--gdb", "unix:" + path, "--gdb-wait", "--api-sock", api_path],
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        run(proc, path, sym, Api(api_path), tmp)
        kill_test(tmp)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)


def kill_test(tmp):
    """k: rvmm ends (as a quit: status 0) without a reply."""
    path = tmp + "/kill.sock"
    proc = subprocess.Popen([RVMM, "--bios", "none", "--kernel", ELF, "-m", "128M", "--smp", "2",
                             "--gdb", "unix:" + path, "--gdb-wait"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while not os.path.exists(path) and proc.poll() is None and time.time() < deadline:
            time.sleep(0.05)
        c = Conn(path)
        c.cmd("?")
        c.s.sendall(frame("k"))
        ack = c.read_ack()
        try:
            status = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            status = None
        check("kill_ends_rvmm", ack == b"+" and status == 0, "ack %r, status %r" % (ack, status))
        c.close()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def api_state(api):
    status, body = api.get("/")
    return body.get("state") if status == 200 and isinstance(body, dict) else None


def api_state_becomes(api, want, timeout=30.0):
    """The stub acks a continue before the vCPU threads have resumed, so
    the state turns Running a moment later (longer on a loaded host): poll
    until it does, or until the deadline; returns the last state seen."""
    deadline = time.time() + timeout
    state = api_state(api)
    while state != want and time.time() < deadline:
        time.sleep(0.05)
        state = api_state(api)
    return state


def run(proc, path, sym, api, tmp):
    deadline = time.time() + 60
    while not os.path.exists(path) and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    c = Conn(path)
    r = c.cmd("?")
    check("stop_reply_on_attach", r == "T05thread:1;", r)
    r = c.cmd("p20")
    check("frozen_before_first_instruction", r == le64(sym["_start"]), r)
    check("api_shows_paused", api_state(api) == "Paused", api_state(api))
    # Guest time stands still while gdb holds the VM: two reads of the
    # time CSR 50 ms apart agree.
    t1 = c.cmd("p%x" % (65 + 0xc01))
    time.sleep(0.05)
    t2 = c.cmd("p%x" % (65 + 0xc01))
    check("time_frozen_while_stopped", t1 == t2 and len(t1) == 16, t1 + " " + t2)
    st, mem = tmp + "/vm.state", tmp + "/vm.mem"
    status, body = api.put("/snapshot/create", {"snapshot_path": st, "mem_file_path": mem})
    check("snapshot_while_stopped", status == 204 and os.path.exists(st) and os.path.exists(mem),
          "%s %r" % (status, body))
    check("still_stopped_after_snapshot", c.cmd("?") == "T05thread:1;")

    c.s.sendall(b"$?#00")
    check("bad_checksum_nacked", c.read_ack() == b"-")
    c.s.sendall(frame("m" * 5000))
    check("oversized_packet_refused", c.read_ack() == b"-")
    check("alive_after_refusals", c.cmd("?") == "T05thread:1;")

    r = c.cmd("qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+")
    check("qsupported", "PacketSize=1000" in r and "qXfer:features:read+" in r
          and "vContSupported+" in r, r)
    xml, off = "", 0
    while True:
        r = c.cmd("qXfer:features:read:target.xml:%x,200" % off)
        xml += r[1:]
        off += len(r) - 1
        if r[0] == "l" or len(xml) > 100000:
            break
    check("target_xml", all(f in xml for f in (
        "org.gnu.gdb.riscv.cpu", "org.gnu.gdb.riscv.fpu", "org.gnu.gdb.riscv.virtual",
        "org.gnu.gdb.riscv.csr", 'name="priv"', 'name="mstatus"', 'name="fcsr"'))
          and xml.rstrip().endswith("</target>"), xml[:200])

    # A second debugger is refused; the first goes on.
    second = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    second.settimeout(30)
    second.connect(path)
    try:
        second.sendall(frame("?"))
        got = second.recv(100)
    except OSError:
        got = b""
    second.close()
    check("second_connection_refused", got == b"", repr(got))
    check("first_connection_goes_on", c.cmd("?") == "T05thread:1;")

    # Garbage outside packets: no reply, no crash.
    rng = random.Random(16)
    junk = bytes(b for b in (rng.randrange(256) for _ in range(20000)) if b not in b"$\x03-+")
    c.s.sendall(junk)
    check("garbage_ignored", c.cmd("?") == "T05thread:1;")
    bad = ["m", "m80000000", "m80000000,", "mzz,4", "m0,10", "m80000000,ffffffffffffffffff",
           "M80000000,4:zz", "M80000000,2:aabbcc", "M80000000,ffffffff:00", "p", "pzz",
           "p99999", "pffffffffffffffffffff", "P20=", "P1000=00", "P1041=0200000000000000",
           "G00", "Z9,0,0", "Z0,", "Z0,80000001,2", "Z2,80001028,0", "Z2,80001028,ffffffff",
           "z0,1,2", "vCont;x", "vCont;s:99", "vCont;c:p1.", "vCont", "Hgzz", "Hg99", "Hx1",
           "Txx", "T9", "qXfer:features:read:target.xml:ffffffff,10",
           "qXfer:features:read:other.xml:0,10", "qXfer:features:read:target.xml:zz",
           "qRcmd,zz", "qRcmd," + b"bogus".hex(), "qRcmd," + b"xp /99999gx 0".hex(),
           "qRcmd," + b"xp /4gx 0x0".hex(), "qThreadExtraInfo,zz", "X80000000,4:abcd",
           "m\x00\x00", "\x7f" * 10, "qfoo", "vMustReplyEmpty"]
    replies = {}
    for p in bad:
        replies[p] = c.cmd(p)
    odd = {p: r for p, r in replies.items()
           if not (r == "" or r == "OK" or (r.startswith("E") and len(r) == 3))}
    check("malformed_packets_answered", not odd, repr(odd))
    check("unknown_gets_empty_reply", replies["qfoo"] == "" and replies["vMustReplyEmpty"] == "")
    r = c.cmd("qRcmd," + b"xp /2gx 0x80001008".hex())
    check("monitor_xp_physical", r == "OK" and c.output ==
          "0000000080001008: 0x0000000000001111 0x0000000000002222\n", repr(c.output))
    check("unmapped_read_is_an_error", replies["m0,10"].startswith("E"), replies["m0,10"])
    # A packet cut short by a new '$' (here its '#' escaped) is refused.
    c.s.sendall(b"$}#7d")
    c.s.sendall(frame("?"))
    check("cut_packet_refused", c.read_ack() == b"-")
    check("cut_packet_next_served", c.read_ack() == b"+" and c.read_packet() == "T05thread:1;")
    check("alive_after_malformed", c.cmd("?") == "T05thread:1;" and proc.poll() is None)

    # Registers: a1 (x11) and priv (4161) written and read back.
    r1 = c.cmd("P0b=" + le64(0x1234))
    r2 = c.cmd("p0b")
    check("register_write_read", r1 == "OK" and r2 == le64(0x1234), r1 + " " + r2)
    check("priv_is_machine", c.cmd("p1041") == le64(3))
    check("mhartid_of_thread_2", c.cmd("Hg2") == "OK" and c.cmd("p%x" % (65 + 0xf14)) == le64(1))
    c.cmd("Hg1")

    # A breakpoint at work, then a raw single step over its branch, and
    # one over an ecall, which enters the trap handler (QEMU's 's' does too).
    check("breakpoint_insert", c.cmd("Z0,%x,2" % sym["work"]) == "OK")
    r = c.cmd("vCont;c")
    check("breakpoint_hit", r == "T05thread:1;" and c.cmd("p20") == le64(sym["work"]), r)
    check("breakpoint_remove", c.cmd("z0,%x,2" % sym["work"]) == "OK")
    r = c.cmd("vCont;s:1;c")
    check("step_over_branch", r == "T05thread:1;" and c.cmd("p20") == le64(sym["work"] + 6), r)
    ecall = sym["work"] + 0x10
    c.cmd("P20=" + le64(ecall))
    r = c.cmd("s")
    check("step_into_trap_handler", r == "T05thread:1;" and c.cmd("p20") == le64(sym["trap_handler"])
          and c.cmd("p%x" % (65 + 0x342)) == le64(11), r)

    # A read watchpoint (Z3) on value and a hardware breakpoint (Z1): the
    # load in work stops before it reads, with the pc at the load.
    c.cmd("P20=" + le64(sym["work"]))
    check("rwatch_insert", c.cmd("Z3,%x,8" % sym["value"]) == "OK")
    r = c.cmd("vCont;c")
    load = sym["work"] + 0xe
    check("rwatch_hit", r == "T05rwatch:%x;thread:1;" % sym["value"] and
          c.cmd("p20") == le64(load), r)
    check("rwatch_remove", c.cmd("z3,%x,8" % sym["value"]) == "OK")
    check("hbreak_insert", c.cmd("Z1,%x,2" % sym["count_loop"]) == "OK")
    r = c.cmd("c")
    check("hbreak_hit", r == "T05thread:1;" and c.cmd("p20") == le64(sym["count_loop"]), r)
    check("hbreak_remove", c.cmd("z1,%x,2" % sym["count_loop"]) == "OK")

    # Ctrl-C stops every hart, running or asleep in wfi.
    spin = sym["finish"] + 0x16  # the finisher's "1: j 1b"
    c.cmd("P20=" + le64(spin))
    c.s.sendall(frame("c"))
    check("continue_acked", c.read_ack() == b"+")
    state = api_state_becomes(api, "Running")
    check("api_shows_running", state == "Running", state)
    c.s.sendall(b"\x03")
    r = c.read_packet()
    check("ctrl_c_stops", r.startswith("T02thread:"), r)
    state = api_state_becomes(api, "Paused")
    check("api_paused_after_ctrl_c", state == "Paused", state)
    c.cmd("Hg1")
    pc1 = c.cmd("p20")
    c.cmd("Hg2")
    pc2 = c.cmd("p20")
    check("ctrl_c_stops_every_hart", pc1 in (le64(spin), le64(spin - 0)) and
          pc2 == le64(sym["park"] + 4), pc1 + " " + pc2)
    c.cmd("Hg1")

    # No-ack mode: no '+' any more.
    check("no_ack_mode", c.cmd("QStartNoAckMode") == "OK")
    c.noack = True
    r = c.cmd("p20")
    check("no_ack_mode_replies", r == le64(spin), r)

    # Restart the program with a breakpoint on its way, continue and drop
    # the connection: whether the breakpoint was hit before the drop or
    # not, the breakpoint goes with the debugger, the VM runs on, a1 is set
    # to 7 again and the finisher gives the exit status.
    c.cmd("P20=" + le64(sym["_start"]))
    check("breakpoint_before_drop", c.cmd("Z0,%x,2" % sym["finish"]) == "OK")
    c.s.sendall(frame("c"))
    c.close()
    try:
        status = proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        status = None
    check("dropped_connection_runs_on", status == 7, "exit status %r" % status)


if __name__ == "__main__":
    main()
    sys.exit(0 if results and all(results) else 1)
