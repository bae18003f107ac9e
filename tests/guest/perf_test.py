"""End-to-end: perf events in the guest on rvmm's counters. With the default
CPU model (Sscofpmf on), under the built-in SBI (JIT and interpreter) and
under OpenSBI, Linux's SBI PMU driver probes (dmesg "SBI PMU extension is
available") and does not complain of a missing Sscofpmf, /proc/cpuinfo's isa
has sscofpmf, and perf-smoke (guest/programs/perf-smoke.c: cycles and
instructions counted around a loop of known length, then instructions
sampled through overflow interrupts into the mmap ring) passes. With
sscofpmf=off the driver says sampling is not supported and perf-smoke's
sampling event is refused. Needs a guest kernel with CONFIG_PERF_EVENTS and
CONFIG_RISCV_PMU_SBI. One PASS/FAIL line per check; RVMM_ARGS is added to
every command line."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from console import Console  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
KERNEL = os.environ["GUEST_KERNEL"]
INITRD = os.environ["GUEST_INITRD"]
FW = os.environ.get("OPENSBI_FW", "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin")
EXTRA = os.environ.get("RVMM_ARGS", "").split()
LOGDIR = os.environ.get("BUILD", "build") + "/guest-logs"

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s guest/perf/%s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + detail))
    sys.stdout.flush()


def boot(tag, bios, engine=None, cpu=None):
    argv = [RVMM, "--kernel", KERNEL, "--initrd", INITRD, "-m", "256M"] + EXTRA
    if engine:
        argv += ["--engine", engine]
    if cpu:
        argv += ["--cpu", cpu]
    if bios:
        argv += ["--bios", FW]
    return Console(argv, os.path.join(LOGDIR, "perf-%s.log" % tag))


def finish(tag, con):
    con.send("poweroff -f\n")
    code = con.wait_exit(60)
    check(tag + "/poweroff", code == 0, "exit status %r" % code)


def with_sscofpmf(tag, bios, engine=None):
    con = boot(tag, bios, engine)
    try:
        con.boot_to_shell()
        out = con.run("dmesg | grep -c 'SBI PMU extension is available'")
        check(tag + "/sbi_pmu_probed", out == "1", repr(out))
        out = con.run("dmesg | grep -ci 'sscof.*not available'")
        check(tag + "/sscofpmf_used", out == "0", repr(out))
        out = con.run("grep -m1 '^isa' /proc/cpuinfo")
        check(tag + "/cpuinfo_isa", "sscofpmf" in out, repr(out))
        out = con.run("perf-smoke; echo status=$?", 180)
        check(tag + "/perf_smoke", "perf-smoke: PASS" in out and out.endswith("status=0"), repr(out))
        finish(tag, con)
    except (TimeoutError, EOFError) as e:
        check(tag + "/boot", False, str(e))
    finally:
        if con.proc.poll() is None:
            con.kill()


def without_sscofpmf(tag, bios):
    """sscofpmf=off: counting still works through the SBI PMU, sampling
    (which needs the overflow interrupt) is refused."""
    con = boot(tag, bios, None, "rv64,sscofpmf=off")
    try:
        con.boot_to_shell()
        out = con.run("dmesg | grep -c 'SBI PMU extension is available'")
        check(tag + "/sbi_pmu_probed", out == "1", repr(out))
        out = con.run("grep -m1 '^isa' /proc/cpuinfo")
        check(tag + "/cpuinfo_isa", "sscofpmf" not in out, repr(out))
        out = con.run("perf-smoke; echo status=$?", 180)
        check(tag + "/sampling_refused",
              "FAIL open sampling instructions" in out and out.endswith("status=1"), repr(out))
        finish(tag, con)
    except (TimeoutError, EOFError) as e:
        check(tag + "/boot", False, str(e))
    finally:
        if con.proc.poll() is None:
            con.kill()


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    with_sscofpmf("builtin", False)
    with_sscofpmf("builtin_interp", False, "interp")
    with_sscofpmf("opensbi", True)
    without_sscofpmf("builtin_no_sscofpmf", False)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
