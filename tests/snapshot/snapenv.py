"""What the snapshot tests share: paths from the environment and the
PASS/FAIL line each check prints."""
import os
import sys

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
