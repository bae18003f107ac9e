#!/usr/bin/env python3
"""Differential test runner: rvmm against QEMU on the same bare-metal programs.

Owns: generating the random programs (gen.py), building them and the directed
programs (directed/*.S) under $BUILD/diff/, running each in QEMU (the oracle,
whose dumps are cached by program hash) and in $RVMM, and comparing the dumps
line by line. Prints `PASS diff/NAME` or `FAIL diff/NAME: ...` per program and a
summary; exits 1 if anything failed. A directed program with a line
`# xfail: REASON` is expected to fail (XFAIL, not counted as a failure); if it
passes, that is reported as a failure (XPASS) so the line gets removed. One
with a line `# cpu: MODEL` runs on that CPU model (rvmm --cpu MODEL; QEMU's
-cpu gets MODEL's items after rv64 added, on/off spelled true/false).
It must not modify the sources it tests.

Environment (all optional):
  RVMM            emulator under test (default $BUILD/rvmm), run as
                  $RVMM --bios none --kernel PROG.elf -m 128M $DIFF_RVMM_ARGS
  DIFF_RVMM_ARGS  extra arguments for $RVMM (e.g. to pick an engine)
  BUILD           build directory (default build)
  DIFF_PROGRAMS   number of random programs (default 200)
  DIFF_TRAP_PROGRAMS  number of random programs with resumable traps and
                  U-mode excursions (gen.py --traps; default 50)
  DIFF_ZB_PROGRAMS  number of random programs with Zba/Zbb/Zbc/Zbs
                  instructions (gen.py --zb; default 50)
  DIFF_VIRT_PROGRAMS  number of random programs run in VS-mode with resumable
                  traps (default 0; they need the H extension: the jit layer
                  builds them for its lockstep, they are not compared with QEMU)
  DIFF_QEMU_CPU   QEMU's -cpu (default rv64 with zba, zbb, zbc, zbs)
  DIFF_SEED       seed of the random programs (default 1)
  DIFF_MIN_LEN, DIFF_MAX_LEN  items per random program (default 30, 50)
  DIFF_JOBS       parallel jobs (default 2)
  DIFF_TIMEOUT    seconds per emulator run (default 10)
  DIFF_ONLY       run only programs whose name contains this string
  DIFF_NOCACHE=1  ignore cached QEMU dumps (they are still refreshed)
  DIFF_IGNORE_XFAIL=1  treat xfail programs as ordinary ones (for QEMU vs QEMU)
  QEMU            oracle binary (default qemu-system-riscv64)
  RVMM_CACHE      cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/rvmm)
Options: --build-only (generate and build, run nothing).
"""

import concurrent.futures
import hashlib
import os
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402

# The JIT translates each block on its first run here (its default waits
# for 32): the generated programs run nearly all their code once, and the
# JIT's translation of it is what they compare with QEMU.
os.environ.setdefault("RVMM_JIT_TRANSLATE_AFTER", "0")
CROSS = os.environ.get("DIFF_CROSS", "riscv64-unknown-elf-")
ASFLAGS = ["-march=rv64gc", "-mabi=lp64d", "-mcmodel=medany", "-nostdlib", "-nostartfiles",
           "-ffreestanding", "-fno-builtin"]
MEM = "128M"
# The oracle: QEMU's default virt CPU, whose Zba/Zbb/Zbc/Zbs rvmm's default
# rv64 model has too (the raw encodings in gen.py reach them, and the
# DIFF_ZB_PROGRAMS programs use them).
QEMU_CPU = os.environ.get("DIFF_QEMU_CPU", "rv64,zba=true,zbb=true,zbc=true,zbs=true")


def env_int(name, default):
    v = os.environ.get(name, "")
    return int(v) if v else default


class Config:
    def __init__(self):
        self.build = os.environ.get("BUILD", "build")
        self.out = os.path.join(self.build, "diff")
        self.rvmm = os.environ.get("RVMM") or os.path.join(self.build, "rvmm")
        self.rvmm_args = shlex.split(os.environ.get("DIFF_RVMM_ARGS", ""))
        self.qemu = os.environ.get("QEMU", "qemu-system-riscv64")
        self.programs = env_int("DIFF_PROGRAMS", 200)
        self.trap_programs = env_int("DIFF_TRAP_PROGRAMS", 50)
        self.zb_programs = env_int("DIFF_ZB_PROGRAMS", 50)
        self.virt_programs = env_int("DIFF_VIRT_PROGRAMS", 0)
        self.seed = os.environ.get("DIFF_SEED", "1") or "1"
        self.min_len = env_int("DIFF_MIN_LEN", 30)
        self.max_len = env_int("DIFF_MAX_LEN", 50)
        self.jobs = env_int("DIFF_JOBS", 2)
        self.timeout = env_int("DIFF_TIMEOUT", 10)
        self.only = os.environ.get("DIFF_ONLY", "")
        self.nocache = os.environ.get("DIFF_NOCACHE", "") not in ("", "0")
        self.ignore_xfail = os.environ.get("DIFF_IGNORE_XFAIL", "") not in ("", "0")
        root = os.environ.get("RVMM_CACHE") or os.path.join(
            os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
            "rvmm")
        self.cache = os.path.join(root, "diff")


# ---- building -----------------------------------------------------------
def newer(target, sources):
    """True if target exists and is at least as new as every source."""
    try:
        t = os.stat(target).st_mtime_ns
    except FileNotFoundError:
        return False
    return all(os.stat(s).st_mtime_ns <= t for s in sources)


def run_cmd(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode:
        raise RuntimeError("%s\n%s" % (" ".join(cmd), p.stdout))


def write_if_changed(path, text):
    try:
        with open(path) as fh:
            if fh.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(path, "w") as fh:
        fh.write(text)


def build_runtime(cfg):
    os.makedirs(cfg.out, exist_ok=True)
    rt = os.path.join(cfg.out, "rt.o")
    dump = os.path.join(cfg.out, "dump.o")
    if not newer(rt, [os.path.join(HERE, "rt.S")]):
        run_cmd([CROSS + "gcc"] + ASFLAGS + ["-c", os.path.join(HERE, "rt.S"), "-o", rt])
    if not newer(dump, [os.path.join(HERE, "dump.c")]):
        run_cmd([CROSS + "gcc"] + ASFLAGS + ["-O2", "-Wall", "-c", os.path.join(HERE, "dump.c"),
                                            "-o", dump])
    return [rt, dump, os.path.join(HERE, "link.ld")]


def collect_programs(cfg):
    """[(name, source path, elf path)] for the directed and random programs."""
    progs = []
    ddir = os.path.join(HERE, "directed")
    odir = os.path.join(cfg.out, "directed")
    os.makedirs(odir, exist_ok=True)
    for fn in sorted(os.listdir(ddir)):
        if fn.endswith(".S"):
            name = fn[:-2]
            progs.append((name, os.path.join(ddir, fn), os.path.join(odir, name + ".elf")))
    rdir = os.path.join(cfg.out, "rand")
    os.makedirs(rdir, exist_ok=True)
    for traps, zb, virt, count in ((False, False, False, cfg.programs),
                                   (True, False, False, cfg.trap_programs),
                                   (False, True, False, cfg.zb_programs),
                                   (True, False, True, cfg.virt_programs)):
        for i in range(count):
            name = gen.program_name(cfg.seed, i, traps, zb, virt)
            if cfg.only and cfg.only not in name:
                continue
            name, text = gen.generate(cfg.seed, i, cfg.min_len, cfg.max_len, traps, zb, virt)
            src = os.path.join(rdir, name + ".S")
            write_if_changed(src, text)
            progs.append((name, src, os.path.join(rdir, name + ".elf")))
    if cfg.only:
        progs = [p for p in progs if cfg.only in p[0]]
    return progs


def build_program(deps, prog):
    """None, or the build error of prog."""
    name, src, elf = prog
    # The program bodies directed programs include (vint.inc, ...).
    incs = [os.path.join(HERE, f) for f in os.listdir(HERE) if f.endswith(".inc")]
    if newer(elf, [src] + deps + incs):
        return None
    rt, dump, ld = deps
    try:
        run_cmd([CROSS + "gcc"] + ASFLAGS + ["-I", HERE, "-T", ld, rt, dump, src, "-o", elf])
    except RuntimeError as e:
        if os.path.exists(elf):
            os.unlink(elf)
        return str(e).strip().split("\n")[-1]
    return None


# ---- running ------------------------------------------------------------
def parse_dump(text):
    """The dump lines between the markers, and whether the end marker came."""
    lines = []
    inside = False
    for raw in text.replace("\r", "").split("\n"):
        if raw == "DIFF-BEGIN":
            inside, lines = True, []
        elif raw == "DIFF-END" and inside:
            return lines, True
        elif inside:
            lines.append(raw)
    return lines, False


def run_emulator(cmd, timeout):
    """(stdout, stderr, status) where status is an exit code or 'timeout'."""
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
        return (p.stdout.decode("latin-1"), p.stderr.decode("latin-1"), p.returncode)
    except subprocess.TimeoutExpired as e:
        return ((e.stdout or b"").decode("latin-1"), (e.stderr or b"").decode("latin-1"),
                "timeout")
    except OSError as e:
        return ("", str(e), "cannot run")


def qemu_identity(cfg):
    try:
        v = subprocess.run([cfg.qemu, "--version"], stdout=subprocess.PIPE, text=True).stdout
    except OSError:
        return None
    return v.split("\n")[0]


def program_cpu(src):
    """The CPU model a directed program asks for with a `# cpu: MODEL` line
    (rvmm's --cpu spelling, e.g. rv64,v=on,vlen=512), or None."""
    with open(src) as fh:
        for line in fh:
            if line.startswith("# cpu:"):
                return line[len("# cpu:"):].strip()
    return None


def qemu_cpu(cpu):
    """QEMU's -cpu for a program's model: the oracle's default plus the
    model's items after rv64, with on/off spelled true/false."""
    if not cpu:
        return QEMU_CPU
    items = cpu.split(",")[1:]
    items = [i.replace("=on", "=true").replace("=off", "=false") for i in items]
    return ",".join([QEMU_CPU] + items)


def qemu_cmd(cfg, elf, cpu=None):
    return [cfg.qemu, "-M", "virt", "-cpu", qemu_cpu(cpu), "-m", MEM, "-nographic", "-bios",
            "none", "-kernel", elf]


def oracle(cfg, qid, elf, cpu=None):
    """QEMU's dump text for elf, from the cache when possible."""
    with open(elf, "rb") as fh:
        key = hashlib.sha256(fh.read() + (qid + " -cpu " + qemu_cpu(cpu)).encode()).hexdigest()
    path = os.path.join(cfg.cache, key[:2], key + ".txt")
    if not cfg.nocache:
        try:
            with open(path) as fh:
                return fh.read(), None
        except FileNotFoundError:
            pass
    out, err, status = run_emulator(qemu_cmd(cfg, elf, cpu), cfg.timeout)
    lines, complete = parse_dump(out)
    if not complete or status != 0:
        return None, "QEMU gave no complete dump (status %s): %s" % (status, err.strip()[-200:])
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w") as fh:
        fh.write(text)
    os.replace(tmp, path)
    return text, None


def xfail_reason(src):
    with open(src) as fh:
        for line in fh:
            if line.startswith("# xfail:"):
                return line[len("# xfail:"):].strip()
    return None


def compare(cfg, qid, prog, build_error):
    """One result line for prog, and True (pass), False (fail), None (skip)
    or "xfail"."""
    line, ok = compare_one(cfg, qid, prog, build_error)
    reason = xfail_reason(prog[1]) if ok is not None and not cfg.ignore_xfail else None
    if reason is None:
        return line, ok
    if ok:
        return "FAIL diff/%s: XPASS, remove its xfail line (%s)" % (prog[0], reason), False
    return "XFAIL" + line[4:] + " (expected: %s)" % reason, "xfail"


def compare_one(cfg, qid, prog, build_error):
    name, src, elf = prog
    tag = "diff/" + name
    if build_error:
        return "FAIL %s: build failed: %s [src: %s]" % (tag, build_error, src), False
    if qid is None:
        return "SKIP %s: no QEMU (%s)" % (tag, cfg.qemu), None
    cpu = program_cpu(src)
    want, err = oracle(cfg, qid, elf, cpu)
    if want is None:
        return "FAIL %s: %s [src: %s]" % (tag, err, src), False
    out, errtext, status = run_emulator(
        [cfg.rvmm, "--bios", "none", "--kernel", elf, "-m", MEM] +
        (["--cpu", cpu] if cpu else []) + cfg.rvmm_args, cfg.timeout)
    got, complete = parse_dump(out)
    base = os.path.splitext(elf)[0]
    want_lines = want.rstrip("\n").split("\n")
    if complete and got == want_lines and status == 0:
        for suffix in (".qemu.txt", ".rvmm.txt"):
            if os.path.exists(base + suffix):
                os.unlink(base + suffix)
        return "PASS " + tag, True
    with open(base + ".qemu.txt", "w") as fh:
        fh.write(want)
    with open(base + ".rvmm.txt", "w") as fh:
        fh.write(out + ("\n--- stderr ---\n" + errtext if errtext else ""))
    if not complete:
        last = errtext.strip().split("\n")[-1][:160] if errtext.strip() else ""
        what = "no complete dump (status %s, %d dump lines)%s" % (
            status, len(got), ": " + last if last else "")
    elif got != want_lines:
        diffs = [(w, g) for w, g in zip(want_lines, got) if w != g]
        if not diffs:
            what = "dump length %d, QEMU %d" % (len(got), len(want_lines))
        else:
            w, g = diffs[0]
            reg = w.split(" ")[0]
            what = "%s: qemu %s rvmm %s" % (reg, w[len(reg) + 1:], g[len(reg) + 1:] if g.startswith(reg + " ") else g)
            if len(diffs) > 1:
                what += " (+%d more lines)" % (len(diffs) - 1)
    else:
        what = "dump matches but rvmm exit status %s" % status
    return "FAIL %s: %s [src: %s]" % (tag, what, src), False


def main():
    cfg = Config()
    build_only = "--build-only" in sys.argv[1:]
    deps = build_runtime(cfg)
    progs = collect_programs(cfg)
    with concurrent.futures.ThreadPoolExecutor(max(1, cfg.jobs)) as ex:
        errors = list(ex.map(lambda p: build_program(deps, p), progs))
    if build_only:
        for p, e in zip(progs, errors):
            if e:
                print("FAIL diff/%s: build failed: %s" % (p[0], e))
        print("diff: built %d programs under %s" % (len(progs) - sum(map(bool, errors)), cfg.out))
        return 1 if any(errors) else 0
    if not os.access(cfg.rvmm, os.X_OK):
        print("FAIL diff: emulator under test %s is not built" % cfg.rvmm)
        return 1
    qid = qemu_identity(cfg)
    passed = failed = skipped = xfailed = 0
    with concurrent.futures.ThreadPoolExecutor(max(1, cfg.jobs)) as ex:
        for line, ok in ex.map(lambda pe: compare(cfg, qid, *pe), zip(progs, errors)):
            print(line, flush=True)
            if ok is None:
                skipped += 1
            elif ok == "xfail":
                xfailed += 1
            elif ok:
                passed += 1
            else:
                failed += 1
    print("diff: %d passed, %d failed, %d expected failures, %d skipped (seed %s, %s)" % (
        passed, failed, xfailed, skipped, cfg.seed, cfg.rvmm))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
