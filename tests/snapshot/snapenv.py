"""What the snapshot tests share: paths from the environment, the PASS/FAIL
line each check prints, reaching the guest shell and the refusal check."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "guest"))
from console import PROMPT  # noqa: E402

BUILD = os.environ.get("BUILD", "build")
RVMM = os.environ.get("RVMM", BUILD + "/rvmm")
SNAPDRV = os.environ.get("SNAPDRV", BUILD + "/tests/snapdrv")
KERNEL = os.environ["GUEST_KERNEL"]
INITRD = os.environ["GUEST_INITRD"]
LOGDIR = BUILD + "/guest-logs"

results = []


def check(name, ok, detail=""):
    """Prints one PASS/FAIL line for snapshot/NAME and records the outcome."""
    results.append(bool(ok))
    print("%s snapshot/%s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + detail))
    sys.stdout.flush()


def exit_status():
    return 0 if results and all(results) else 1


def shell(con):
    """Waits for the booted guest's shell and turns echo off."""
    con.expect(r"rvmm guest ready", 300)
    con.send("\n")
    con.expect(PROMPT, 60)
    con.quiet()


def refused(name, args, want):
    """rvmm with args must exit 2 with one line on stderr matching the regex
    want, and print nothing else (nothing ran)."""
    p = subprocess.run([RVMM] + args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=60)
    lines = p.stderr.strip().splitlines()
    ok = p.returncode == 2 and len(lines) == 1 and re.search(want, lines[0]) and not p.stdout
    check(name, bool(ok), "status %d, stderr %r, stdout %r" % (
        p.returncode, p.stderr[-300:], p.stdout[-200:]))
