"""End-to-end: Linux in the guest finds the hypervisor extension and runs a
VM of its own. With `--cpu rv64,h=on`, under the built-in SBI and under
OpenSBI 1.1, each with the JIT and the interpreter, Linux's KVM prints that
the extension is available and the G-stage format and VMID bits it probed,
/dev/kvm exists, and kvm-smoke (guest/programs/kvm-smoke.c: a one-vCPU VM
whose MMIO store and SBI call must come back from KVM_RUN with the right
values) passes; with h=off Linux says the extension is not available and
none of that appears. One PASS/FAIL line per
check. RVMM_ARGS is added to every command line."""
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
    print("%s guest/kvm/%s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + detail))
    sys.stdout.flush()


def boot(tag, cpu, bios, engine=None):
    argv = [RVMM, "--kernel", KERNEL, "--initrd", INITRD, "-m", "256M"] + EXTRA
    if engine:
        argv += ["--engine", engine]
    if cpu:
        argv += ["--cpu", cpu]
    if bios:
        argv += ["--bios", FW]
    return Console(argv, os.path.join(LOGDIR, "kvm-%s.log" % tag))


def with_h(tag, bios, engine=None):
    con = boot(tag, "rv64,h=on", bios, engine)
    try:
        m = con.expect(r"kvm \[1\]: using (Sv\d+x4) G-stage page table format", 240)
        check(tag + "/gstage_format", m.group(1) == "Sv57x4", m.group(1))
        m = con.expect(r"kvm \[1\]: VMID (\d+) bits available", 30)
        check(tag + "/vmid_bits", m.group(1) == "14", m.group(1))
        con.boot_to_shell()
        out = con.run("dmesg | grep -c 'hypervisor extension available'")
        check(tag + "/extension_available", out == "1", repr(out))
        out = con.run("test -c /dev/kvm && echo present")
        check(tag + "/dev_kvm", out == "present", repr(out))
        out = con.run("grep -m1 '^isa' /proc/cpuinfo")
        check(tag + "/cpuinfo_isa", "rv64imafdch" in out, repr(out))
        out = con.run("kvm-smoke; echo status=$?", 180)
        check(tag + "/kvm_smoke", "kvm-smoke: PASS" in out and out.endswith("status=0"), repr(out))
        con.send("poweroff -f\n")
        code = con.wait_exit(60)
        check(tag + "/poweroff", code == 0, "exit status %r" % code)
    except (TimeoutError, EOFError) as e:
        check(tag + "/boot", False, str(e))
    finally:
        if con.proc.poll() is None:
            con.kill()


def without_h(tag, bios):
    """h=off: Linux says KVM has no hypervisor extension, the ISA string
    has no h, and the guest boots and powers off as it does with it."""
    con = boot(tag, "rv64,h=off", bios)
    try:
        con.boot_to_shell()
        out = con.run("dmesg | grep -c 'hypervisor extension not available'")
        check(tag + "/extension_unavailable", out == "1", repr(out))
        out = con.run("dmesg | grep -c 'hypervisor extension available'")
        check(tag + "/no_extension", out == "0", repr(out))
        out = con.run("test -e /dev/kvm && echo present || echo absent")
        check(tag + "/no_dev_kvm", out == "absent", repr(out))
        out = con.run("grep -m1 '^isa' /proc/cpuinfo")
        check(tag + "/cpuinfo_isa", "rv64imafdc_" in out, repr(out))
        out = con.run("kvm-smoke; echo status=$?")
        check(tag + "/kvm_smoke_refused", "FAIL open /dev/kvm" in out and out.endswith("status=1"),
              repr(out))
        con.send("poweroff -f\n")
        code = con.wait_exit(60)
        check(tag + "/poweroff", code == 0, "exit status %r" % code)
    except (TimeoutError, EOFError) as e:
        check(tag + "/boot", False, str(e))
    finally:
        if con.proc.poll() is None:
            con.kill()


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    with_h("builtin_h", False)
    with_h("opensbi_h", True)
    with_h("builtin_h_interp", False, "interp")
    with_h("opensbi_h_interp", True, "interp")
    without_h("builtin_no_h", False)
    without_h("opensbi_no_h", True)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
