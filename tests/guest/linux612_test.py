"""End-to-end: boot the Linux 6.12 guest (GUEST_KERNEL_612, `make guest
GUEST_LINUX=6.12`) in rvmm with a CPU model (GUEST_CPU, e.g. rva23 or rv64)
and check that the kernel sees and enables the extensions rvmm offers:

- /proc/cpuinfo's isa line names exactly the extensions of the device tree's
  riscv,isa-extensions that 6.12 knows (plus the ones it derives: C gives
  Zca and, with D, Zcd; V gives the Zve* subsets), so an extension rvmm
  offers but the kernel dropped (a missing cbo block size, a failed
  validation) or one the kernel claims without rvmm offering it fails;
- the model's extensions that rvmm implements today are all there (MINIMUM);
- dmesg's "riscv: ELF capabilities" line gives user space the single-letter
  extensions offered (V included once rvmm offers it) and nothing says an
  extension was disabled;
- with Sscofpmf in the device tree, the SBI PMU driver probes with sampling;
- the shell works (tmpfs, sha256 through the kernel's Zbb string functions
  and Zicboz page clearing where offered);
- vec-smoke runs its clang-vectorised loops with checked results when V is
  offered (6.12 gives it to user space), its scalar build otherwise;
- perf-smoke (perf_event_open cycles, instructions, sampling) counts the
  loop it runs exactly enough where Sscofpmf is offered;
- poweroff exits 0.

GUEST_BIOS is "builtin" (rvmm's SBI, the default) or a firmware path
(Debian's OpenSBI fw_dynamic.bin); RVMM_ARGS adds options (--engine interp).
One PASS/FAIL line per check."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from console import PROMPT, Console  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
KERNEL = os.environ["GUEST_KERNEL_612"]
INITRD = os.environ["GUEST_INITRD"]
CPU = os.environ.get("GUEST_CPU", "rva23")
BIOS = os.environ.get("GUEST_BIOS", "builtin")
EXTRA = os.environ.get("RVMM_ARGS", "").split()
LOGDIR = os.environ.get("BUILD", "build") + "/guest-logs"
TAG = "linux612-%s-%s" % (CPU.replace(",", "-").replace("=", ""),
                          "builtin" if BIOS == "builtin" else "opensbi")
if EXTRA:
    TAG += "-" + "-".join(a.strip("-") for a in EXTRA)

# The extensions Linux 6.12 knows (riscv_isa_ext[] in
# arch/riscv/kernel/cpufeature.c); /proc/cpuinfo shows only these.
KNOWN_612 = set("""i m a f d q c v h zicbom zicboz zicntr zicond zicsr zifencei
 zihintntl zihintpause zihpm zimop zacas zawrs zfa zfh zfhmin zca zcb zcd zcf
 zcmop zba zbb zbc zbkb zbkc zbkx zbs zk zkn zknd zkne zknh zkr zks zkt zksed
 zksh ztso zvbb zvbc zve32f zve32x zve64d zve64f zve64x zvfh zvfhmin zvkb zvkg
 zvkn zvknc zvkned zvkng zvknha zvknhb zvks zvksc zvksed zvksh zvksg zvkt smaia
 smstateen ssaia sscofpmf sstc svinval svnapot svpbmt svvptc""".split())
# What each model must show at least: the extensions rvmm implements for it
# today that 6.12 knows (README "CPU models"), V's Zve* subsets and Zvbb's
# Zvkb included; the device tree comparison checks the rest.
BASE = set("i m a f d c zicntr zicsr zifencei zca zcd sstc".split())
MINIMUM = {
    "rv64": BASE | set("h zihintpause zba zbb zbc zbs".split()),
    "rva23": BASE | set("""h zihintpause zba zbb zbc zbs zicbom zicboz zkt zfhmin
 svpbmt svinval zicond zimop zcmop zcb zawrs zihintntl zfa svnapot sscofpmf v
 zve32x zve32f zve64x zve64f zve64d zvbb zvkb zvkt zvfhmin""".split()),
}
# The single letters 6.12 passes to user space in AT_HWCAP, in its order.
HWCAP_LETTERS = "acdfimqv"

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s guest/%s/%s%s" % ("PASS" if ok else "FAIL", TAG, name, "" if ok else ": " + detail))
    sys.stdout.flush()


PERF_LOOP = 2 * 2000000  # perf-smoke's counted loop: LOOP_ITERS x (addi, bnez)
PERF_PERIOD = 100000  # its SAMPLE_PERIOD


def check_perf_smoke(out):
    """perf-smoke's counts: cycles non-zero, user-mode instructions the
    loop's within 1% (Sscofpmf filters out the kernel's), and about one
    sample per period of the same loop."""
    m = re.search(r"perf-smoke: PASS cycles=(\d+) instructions=(\d+) samples=(\d+)", out)
    check("perf_smoke", m is not None and out.endswith("status=0"), repr(out))
    if m:
        cyc, ins, smp = (int(g) for g in m.groups())
        check("perf_smoke_counts", cyc > 0 and PERF_LOOP <= ins <= PERF_LOOP * 101 // 100,
              "cycles=%d instructions=%d (want > 0, %d..+1%%)" % (cyc, ins, PERF_LOOP))
        want = PERF_LOOP // PERF_PERIOD
        check("perf_smoke_samples", want * 3 // 4 <= smp <= want * 5 // 4,
              "samples=%d, want about %d" % (smp, want))


def expected_isa(dt_exts):
    """What 6.12's cpuinfo lists for a device tree naming dt_exts."""
    exp = set(dt_exts) & KNOWN_612
    if "c" in exp:
        exp.add("zca")
        if "d" in exp:
            exp.add("zcd")
    if "v" in exp:
        exp |= {"zve32x", "zve32f", "zve64x", "zve64f", "zve64d"}
    if "zvbb" in exp:
        exp.add("zvkb")  # Zvbb is a superset of Zvkb (6.12's riscv_zvbb_exts)
    return exp


def parse_isa(line):
    """'isa : rv64imafdch_zicbom_...' -> set of extension names."""
    m = re.match(r"isa\s*:\s*rv64([a-z]*)((?:_[a-z0-9]+)*)\s*$", line)
    if not m:
        return None
    return set(m.group(1)) | set(x for x in m.group(2).split("_") if x)


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    argv = [RVMM, "--bios", BIOS, "--kernel", KERNEL, "--initrd", INITRD, "-m", "256M",
            "--cpu", CPU, "--append", "console=ttyS0"] + EXTRA
    con = Console(argv, "%s/%s.log" % (LOGDIR, TAG))
    try:
        try:
            con.expect(r"Linux version 6\.12\.", 300)
            con.expect(r"rvmm guest ready: Linux 6\.12\.", 600)
            con.send("\n")
            con.expect(PROMPT, 60)
            con.quiet()
            check("boot_to_shell", True)
        except (TimeoutError, EOFError) as e:
            check("boot_to_shell", False, str(e))
            return
        out = con.run("cat /proc/device-tree/cpus/cpu@0/riscv,isa-extensions | tr '\\0' ' '")
        dt = set(out.split())
        check("dt_isa_extensions", {"i", "m", "a"} <= dt, repr(out))
        out = con.run("grep -m1 '^isa' /proc/cpuinfo")
        isa = parse_isa(out.strip())
        exp = expected_isa(dt)
        check("cpuinfo_isa_parses", isa is not None, repr(out))
        if isa is not None:
            check("cpuinfo_isa_matches_dt", isa == exp,
                  "missing %s, extra %s (%r)" % (sorted(exp - isa), sorted(isa - exp), out))
            base = CPU.split(",")[0]
            # --cpu EXT=off removes what the options switch off from the minimum.
            offs = set(p.split("=")[0] for p in CPU.split(",")[1:] if p.endswith("=off"))
            need = MINIMUM.get(base, BASE) - offs
            check("cpuinfo_isa_model", need <= isa, "missing %s (%r)" % (sorted(need - isa), out))
        out = con.run("dmesg | grep -o 'riscv: ELF capabilities [a-z]*'")
        want = "".join(c for c in HWCAP_LETTERS if c in dt)
        check("dmesg_elf_capabilities", out.strip() == "riscv: ELF capabilities " + want,
              "want %r, got %r" % (want, out))
        out = con.run("dmesg | grep -o 'riscv: base ISA extensions [a-z]*'")
        letters = set(out.strip().rsplit(" ", 1)[-1]) if out.strip() else set()
        want_base = set(c for c in dt if len(c) == 1 and c in KNOWN_612)
        check("dmesg_base_isa", letters == want_base,
              "want %s, got %r" % ("".join(sorted(want_base)), out))
        # 6.12 says so when it drops an extension the device tree names (a cbo
        # block size missing, vector state it cannot set up, no isa-extensions).
        out = con.run("dmesg | grep -iE 'zic|zb|zc|svnapot|svpbmt|vector|riscv,isa' | "
                      "grep -ciE 'disabl|not supported|fall'")
        check("dmesg_no_disabled_extension", out.strip() == "0", repr(out))
        if "sscofpmf" in dt:
            # Sscofpmf offered: the SBI PMU driver probes and can sample.
            out = con.run("dmesg | grep -c 'SBI PMU extension is available'; "
                          "dmesg | grep -c 'sampling/filtering is not supported'")
            check("dmesg_sbi_pmu_sscofpmf", out.split() == ["1", "0"], repr(out))
        out = con.run("dd if=/dev/zero of=/tmp/z bs=4096 count=256 2>/dev/null; "
                      "echo hello >> /tmp/z; sha256sum /tmp/z | cut -c1-16")
        check("tmpfs_sha256", out.strip() == "cffab783bc307b6d", repr(out))
        # vec-smoke (guest/programs/vec): clang's vectorised loops with
        # checked results when the kernel gives user space V, the scalar
        # build alone (and no SIGILL) when it does not.
        out = con.run("vec-smoke; echo status=$?", 300)
        if "v" in dt:
            m = re.search(r"vlen=(\d+)", CPU)
            want = "vec-smoke: PASS vector vlenb=%d " % ((int(m.group(1)) if m else 128) // 8)
        else:
            want = "vec-smoke: PASS scalar (V absent) "
        check("vec_smoke", want in out and out.endswith("status=0"), "want %r, got %r" % (want, out))
        if "sscofpmf" in dt:
            check_perf_smoke(con.run("perf-smoke; echo status=$?", 300))
        con.send("poweroff -f\n")
        code = con.wait_exit(60)
        check("poweroff_exit_status", code == 0, "exit status %r" % code)
    finally:
        con.kill()


if __name__ == "__main__":
    main()
    sys.exit(0 if all(results) else 1)
