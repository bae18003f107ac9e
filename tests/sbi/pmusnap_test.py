"""The SBI PMU extension's state across a snapshot and a migration:
tests/sbi/pmusnap.c (PMUSNAP_ELF) is handed counters by the built-in SBI,
then snapdrv (the embedding API) pauses it at "pmusnap: ready" and writes a
snapshot; `rvmm --restore` in a new process, under each engine, gets a byte
on the console and the program checks that every counter is still its own
(a firmware count going on, a stopped counter, mcycle handed out) and
prints "pmusnap: PASS" (rvmm exits 0), or a failed check's code (rvmm exits
with it). Then the same program, run under --api-sock, is migrated at
"pmusnap: ready" (PUT /migration/send) to an --incoming rvmm, which must
pass the same checks. One PASS/FAIL line per check."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "guest"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from apiclient import Api  # noqa: E402
from console import Console  # noqa: E402

BUILD = os.environ.get("BUILD", "build")
RVMM = os.environ.get("RVMM", BUILD + "/rvmm")
SNAPDRV = os.environ.get("SNAPDRV", BUILD + "/tests/snapdrv")
ELF = os.environ["PMUSNAP_ELF"]
LOGDIR = BUILD + "/sbi"

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print("%s sbi/pmusnap-%s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + detail))
    sys.stdout.flush()


def finish(name, con, log):
    """Sends the byte pmusnap waits for; its verdict and rvmm's exit."""
    con.send("x")
    try:
        con.expect(r"pmusnap: (PASS|FAIL[^\n]*)", 60)
    except (TimeoutError, EOFError) as e:
        check(name, False, str(e))
        return
    code = con.wait_exit(30)
    text = open(log).read()
    check(name, code == 0 and "pmusnap: PASS" in text,
          "exit status %r, console %r" % (code, text[-300:]))


def migrate(d):
    url = "unix:" + os.path.join(d, "mig")
    sock = os.path.join(d, "api")
    dlog, slog = LOGDIR + "/pmusnap-dst.log", LOGDIR + "/pmusnap-src.log"
    dst = Console([RVMM, "--incoming", url, "--engine", "jit"], dlog)
    src = Console([RVMM, "--api-sock", sock, "--kernel", ELF, "-m", "64M", "--engine", "interp"],
                  slog)
    try:
        try:
            dst.expect(r"waiting for a migration on", 30)
            src.expect(r"pmusnap: ready", 60)
        except (TimeoutError, EOFError) as e:
            check("migrate", False, str(e))
            return
        api = Api(sock)
        api.wait_ready(src.proc)
        status, reply, _ = api.call("PUT", "/migration/send", {"destination_url": url})
        if status != 204:
            check("migrate", False, "PUT /migration/send: %s %s" % (status, reply))
            return
        src_rc = src.wait_exit(60)
        try:
            dst.expect(r"migration received", 60)
        except (TimeoutError, EOFError) as e:
            check("migrate", False, "source exit %r; %s" % (src_rc, e))
            return
        finish("migrate-interp-to-jit", dst, dlog)
    finally:
        src.kill()
        dst.kill()


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rvmm-pmusnap-") as d:
        state, mem = os.path.join(d, "state"), os.path.join(d, "mem")
        p = subprocess.run([SNAPDRV, "--kernel", ELF, "-m", "64", "--marker", "pmusnap: ready",
                            "--snapshot", state, mem], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=120)
        ok = p.returncode == 0 and "pmusnap: ready" in p.stdout and os.path.exists(state)
        check("snapshot", ok, "status %d, out %r, err %r" % (p.returncode, p.stdout[-300:],
                                                             p.stderr[-300:]))
        if not ok:
            return
        for engine in ("interp", "jit"):
            log = "%s/pmusnap-%s.log" % (LOGDIR, engine)
            con = Console([RVMM, "--restore", state, "--mem-file", mem, "--engine", engine], log)
            try:
                finish("restore-" + engine, con, log)
            finally:
                con.kill()
        migrate(d)


if __name__ == "__main__":
    main()
    sys.exit(0 if results and all(results) else 1)
