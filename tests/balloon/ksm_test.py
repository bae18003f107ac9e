"""Page sharing across VMs: with the host's KSM running, guests started with
--mem-merge on from the same kernel and initramfs store their identical
pages once.

VM A boots alone; once KSM has done two full scans since (the first only
records checksums, the second merges), A's merged pages are counted from
/proc/PID/ksm_stat (ksm_merging_pages). VM B then boots from the same
images, and after two more full scans both count their merged pages again.
PASS when A gained at least MIN_SHARED_MIB of merged pages through B (pages
it has only once itself, the kernel image and the unpacked initramfs, now
stored once for both) and B has at least as many. Empty pages merge with
the host's zero page (use_zero_pages=1 for the run) and are counted
apart, so they do not make a VM look shared with itself. A third VM with
--mem-merge off is left unmerged.

KSM is the host's: the test switches it on (as root) and puts run,
pages_to_scan, sleep_millisecs and use_zero_pages back afterwards. A host
without KSM (no /sys/kernel/mm/ksm, no ksm_stat) FAILS with the reason:
the feature cannot be shown there.
Env: RVMM, GUEST_KERNEL, GUEST_INITRD, BUILD."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "guest"))
from console import Console  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
KERNEL = os.environ["GUEST_KERNEL"]
INITRD = os.environ["GUEST_INITRD"]
LOGDIR = os.environ.get("BUILD", "build") + "/guest-logs"
KSM = "/sys/kernel/mm/ksm/"
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
MIN_SHARED_MIB = 2
SCAN_WAIT = 600  # seconds for two full scans, generous for a loaded host
# Applied in this order (run last) and put back in the reverse one.
SETTINGS = {"pages_to_scan": 2000, "sleep_millisecs": 20, "use_zero_pages": 1, "run": 1}

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print("%s ksm/%s%s" % ("PASS" if ok else "FAIL", name, ": %s" % detail if detail else ""))
    sys.stdout.flush()


def ksm_read(name):
    with open(KSM + name) as f:
        return int(f.read())


def ksm_write(name, value):
    with open(KSM + name, "w") as f:
        f.write(str(value))


def merging_pages(pid):
    """ksm_merging_pages of /proc/PID/ksm_stat: this process's pages that
    KSM has merged (with the zero page's counted apart)."""
    with open("/proc/%d/ksm_stat" % pid) as f:
        for line in f:
            k, v = line.split()
            if k == "ksm_merging_pages":
                return int(v)
    raise KeyError("ksm_merging_pages")


def two_full_scans():
    """Waits until KSM has finished two whole passes started after now.
    Returns False if it did not within SCAN_WAIT."""
    start = ksm_read("full_scans")
    deadline = time.monotonic() + SCAN_WAIT
    while ksm_read("full_scans") < start + 3:  # the pass under way may predate now
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return True


def boot(name, merge):
    argv = [RVMM, "--kernel", KERNEL, "--initrd", INITRD, "-m", "256M", "--append",
            "console=ttyS0", "--mem-merge", merge]
    con = Console(argv, "%s/ksm-%s.log" % (LOGDIR, name))
    con.boot_to_shell(300)
    con.quiet()
    return con


def share(cons):
    a = boot("a", "on")
    cons.append(a)
    off = boot("off", "off")
    cons.append(off)
    if not two_full_scans():
        check("scans", False, "KSM did not finish two full scans in %d s" % SCAN_WAIT)
        return
    a0 = merging_pages(a.proc.pid)
    b = boot("b", "on")
    cons.append(b)
    if not two_full_scans():
        check("scans", False, "KSM did not finish two full scans in %d s" % SCAN_WAIT)
        return
    a1, b1 = merging_pages(a.proc.pid), merging_pages(b.proc.pid)
    gained = (a1 - a0) * PAGE_KIB / 1024
    print("INFO ksm: A alone %d merged pages, with B %d; B %d (%.1f MiB shared through B)" %
          (a0, a1, b1, gained))
    check("two_vms_share", gained >= MIN_SHARED_MIB and b1 * PAGE_KIB / 1024 >= MIN_SHARED_MIB,
          "A gained %.1f MiB of merged pages when B booted, B has %.1f MiB (at least %d)" %
          (gained, b1 * PAGE_KIB / 1024, MIN_SHARED_MIB))
    n = merging_pages(off.proc.pid)
    check("mem_merge_off_unmerged", n == 0, "%d merged pages in the VM with --mem-merge off" % n)
    # Shared pages are still each guest's: both shells answer.
    for name, con in (("a", a), ("b", b)):
        out = con.run("echo $((6*7))")
        check("alive_%s" % name, out.strip() == "42", repr(out))


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    if not os.path.isdir(KSM) or not os.path.exists("/proc/self/ksm_stat"):
        check("available", False, "this host kernel has no KSM (CONFIG_KSM) or no "
              "/proc/PID/ksm_stat: page sharing cannot be shown here")
        return
    try:
        saved = {k: ksm_read(k) for k in SETTINGS}
    except OSError as e:
        check("available", False, "cannot read %s: %s" % (KSM, e))
        return
    cons = []
    try:
        for k, v in SETTINGS.items():
            ksm_write(k, v)
        share(cons)
    except (OSError, TimeoutError, EOFError, KeyError) as e:
        check("share", False, repr(e))
    finally:
        for con in cons:
            con.kill()
        for k, v in reversed(list(saved.items())):
            try:
                ksm_write(k, v)
            except OSError as e:
                check("restore_%s" % k, False, repr(e))


if __name__ == "__main__":
    main()
    sys.exit(0 if results and all(results) else 1)
