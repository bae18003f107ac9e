"""Live migration of a Linux guest (the busybox initramfs): it fills 64 MiB
of tmpfs with random data and notes its SHA-256, then keeps copying it over
a second 64 MiB file (dirtying 64 MiB of RAM over and over) while a shell
loop prints "tick N" once a second. The VM migrates to a new rvmm process;
there the loop goes on until the test types a line into the destination's
console, and the guest prints both files' SHA-256. Checks: every tick once
and in order across the two processes, one boot (one banner), both files
still hold the data (same SHA-256 as before), guest time without a jump,
the source exits 0. Once JIT to JIT over a unix socket, once JIT to the
interpreter over TCP on 127.0.0.1.
Env: RVMM, BUILD, GUEST_KERNEL, GUEST_INITRD. One PASS/FAIL line per check."""
import os
import re
import sys
import tempfile

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


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="rvmm-migg-", dir="/tmp")
    migrate("jit-unix", "unix:" + os.path.join(tmp, "mig.sock"), "jit", "jit", tmp)
    migrate("jit-to-interp-tcp", "tcp:127.0.0.1:%d" % free_port(), "jit", "interp", tmp)
    return 0 if results and all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
