#!/usr/bin/env python3
"""Generates the half-precision and Zfa ISA tests (tests/isa/zfh_arith.S,
zfh_conv.S, zfa.S) with expected values from an exact rational model of
IEEE 754-2008 binary16/32/64 with the RISC-V choices (canonical NaN results,
tininess after rounding, saturating conversions). QEMU 7.2 runs the Zfh tests
too (it has Zfh), which checks this model against an independent
implementation; Zfa is newer than QEMU 7.2, so zfa.S checks rvmm against the
model alone. Run from the repository root: python3 tests/isa/gen_fp_half.py
(deterministic: a fixed seed), and commit the .S files it writes."""

import math
import random
from fractions import Fraction as Q

NX, UF, OF, DZ, NV = 1, 2, 4, 8, 16
RMS = ["rne", "rtz", "rdn", "rup", "rmm"]


class Fmt:
    def __init__(self, m, e):
        self.m, self.ebits = m, e
        self.w = 1 + m + e
        self.emax = (1 << e) - 1
        self.bias = (1 << (e - 1)) - 1
        self.qnan = (self.emax << m) | (1 << (m - 1))
        self.sign = 1 << (self.w - 1)
        self.box = ((1 << 64) - 1) ^ ((1 << self.w) - 1)

    def is_nan(self, a):
        return (a >> self.m) & self.emax == self.emax and a & ((1 << self.m) - 1)

    def is_snan(self, a):
        return self.is_nan(a) and not (a >> (self.m - 1)) & 1

    def is_inf(self, a):
        return (a & ~self.sign) == self.emax << self.m

    def value(self, a):
        """Finite value as a Fraction (zero keeps no sign)."""
        e = (a >> self.m) & self.emax
        f = a & ((1 << self.m) - 1)
        v = Q(f, 1 << self.m) * Q(2) ** (1 - self.bias) if e == 0 else \
            (1 + Q(f, 1 << self.m)) * Q(2) ** (e - self.bias)
        return -v if a & self.sign else v

    def inf(self, s):
        return (self.sign if s else 0) | (self.emax << self.m)

    def round(self, v, rm, sign=None):
        """Rounds a Fraction to the format: (bits, flags)."""
        if v == 0:
            return (self.sign if sign else 0), 0
        s = v < 0
        q = -v if s else v
        emin = 1 - self.bias

        def rnd(q, e):
            quantum = Q(2) ** (e - self.m)
            n = q / quantum
            fl = math.floor(n)
            frac = n - fl
            if frac == 0:
                return fl, quantum, False
            if rm == "rtz":
                up = False
            elif rm == "rdn":
                up = s
            elif rm == "rup":
                up = not s
            elif rm == "rmm":
                up = frac >= Q(1, 2)
            else:
                up = frac > Q(1, 2) or (frac == Q(1, 2) and fl & 1)
            return fl + up, quantum, True

        e = q.numerator.bit_length() - q.denominator.bit_length()
        if Q(2) ** e > q:
            e -= 1
        # tininess after rounding: round with an unbounded exponent
        n_u, qu_u, _ = rnd(q, e)
        tiny = n_u * qu_u < Q(2) ** emin
        n, quantum, inexact = rnd(q, max(e, emin))
        r = n * quantum
        flags = NX if inexact else 0
        if tiny and inexact:
            flags |= UF
        maxv = (2 - Q(2) ** -self.m) * Q(2) ** (self.emax - 1 - self.bias)
        if r > maxv:
            flags = OF | NX
            to_max = rm == "rtz" or (rm == "rdn" and not s) or (rm == "rup" and s)
            return ((self.sign if s else 0) | ((self.emax << self.m) - 1)) if to_max \
                else self.inf(s), flags
        if r == 0:
            return (self.sign if s else 0), flags
        be = r.numerator.bit_length() - r.denominator.bit_length()
        if Q(2) ** be > r:
            be -= 1
        if be < emin:
            bits = int(r / Q(2) ** (emin - self.m))
        else:
            bits = ((be + self.bias) << self.m) | int((r / Q(2) ** be - 1) * (1 << self.m))
        return (self.sign if s else 0) | bits, flags


H, S, D = Fmt(10, 5), Fmt(23, 8), Fmt(52, 11)


def nan_in(f, *xs):
    if any(f.is_nan(x) for x in xs):
        return f.qnan, (NV if any(f.is_snan(x) for x in xs) else 0)
    return None


def add(f, a, b, rm, neg=False):
    if neg:
        b ^= f.sign
    r = nan_in(f, a, b)
    if r:
        return r
    if f.is_inf(a) and f.is_inf(b):
        return (a, 0) if a == b else (f.qnan, NV)
    if f.is_inf(a) or f.is_inf(b):
        return (a if f.is_inf(a) else b), 0
    v = f.value(a) + f.value(b)
    if v == 0:
        sa, sb = a & f.sign, b & f.sign
        if f.value(a) == 0 and f.value(b) == 0 and sa == sb:
            return a, 0
        return (f.sign if rm == "rdn" else 0), 0
    return f.round(v, rm)


def mul(f, a, b, rm):
    r = nan_in(f, a, b)
    if r:
        return r
    s = (a ^ b) & f.sign
    za, zb = (a & ~f.sign) == 0, (b & ~f.sign) == 0
    if f.is_inf(a) or f.is_inf(b):
        return (f.qnan, NV) if za or zb else (s | f.inf(0), 0)
    if za or zb:
        return s, 0
    return f.round(f.value(a) * f.value(b), rm)


def div(f, a, b, rm):
    r = nan_in(f, a, b)
    if r:
        return r
    s = (a ^ b) & f.sign
    za, zb = (a & ~f.sign) == 0, (b & ~f.sign) == 0
    if f.is_inf(a):
        return (f.qnan, NV) if f.is_inf(b) else (s | f.inf(0), 0)
    if f.is_inf(b):
        return s, 0
    if zb:
        return (f.qnan, NV) if za else (s | f.inf(0), DZ)
    if za:
        return s, 0
    return f.round(f.value(a) / f.value(b), rm)


def sqrt(f, a, rm):
    r = nan_in(f, a)
    if r:
        return r
    if (a & ~f.sign) == 0:
        return a, 0
    if a & f.sign:
        return f.qnan, NV
    if f.is_inf(a):
        return a, 0
    v = f.value(a)
    k = 80
    n = v.numerator * (1 << (2 * k)) // v.denominator
    s = math.isqrt(n)
    approx = Q(s, 1 << k)
    if s * s * v.denominator != v.numerator * (1 << (2 * k)):
        approx += Q(1, 1 << (k + 1))  # sticky: below any rounding boundary
    return f.round(approx, rm)


def fma(f, a, b, c, rm, np_=False, nc=False):
    if np_:
        a ^= f.sign
    if nc:
        c ^= f.sign
    za, zb = (a & ~f.sign) == 0, (b & ~f.sign) == 0
    inf_zero = (f.is_inf(a) and zb) or (f.is_inf(b) and za)
    if any(f.is_nan(x) for x in (a, b, c)):
        fl = NV if inf_zero or any(f.is_snan(x) for x in (a, b, c)) else 0
        return f.qnan, fl
    if inf_zero:
        return f.qnan, NV
    sp = (a ^ b) & f.sign
    if f.is_inf(a) or f.is_inf(b):
        if f.is_inf(c) and (c & f.sign) != sp:
            return f.qnan, NV
        return sp | f.inf(0), 0
    if f.is_inf(c):
        return c, 0
    v = f.value(a) * f.value(b) + f.value(c)
    if v == 0:
        pz = za or zb
        if pz and (c & ~f.sign) == 0 and sp == (c & f.sign):
            return sp, 0
        return (f.sign if rm == "rdn" else 0), 0
    return f.round(v, rm)


def minmax(f, a, b, mx, m_variant=False):
    na, nb = f.is_nan(a), f.is_nan(b)
    fl = NV if f.is_snan(a) or f.is_snan(b) else 0
    if na or nb:
        if m_variant or (na and nb):
            return f.qnan, fl
        return (b if na else a), fl
    va, vb = f.value(a), f.value(b)
    if va == vb:
        # -0 < +0
        pick_a = bool(a & f.sign) != mx
        return (a if pick_a else b), fl
    return (a if (va > vb) == mx else b), fl


def cmp(f, a, b, kind):
    """kind: eq, lt, le (signalling lt/le), ltq, leq (quiet)."""
    if f.is_nan(a) or f.is_nan(b):
        sig = kind in ("lt", "le")
        return 0, NV if sig or f.is_snan(a) or f.is_snan(b) else 0
    va, vb = f.value(a), f.value(b)
    return int({"eq": va == vb, "lt": va < vb, "le": va <= vb, "ltq": va < vb,
                "leq": va <= vb}[kind]), 0


def classify(f, a):
    s = bool(a & f.sign)
    e = (a >> f.m) & f.emax
    fr = a & ((1 << f.m) - 1)
    if e == f.emax:
        if fr == 0:
            return 1 << (0 if s else 7)
        return 1 << (9 if fr >> (f.m - 1) else 8)
    if e == 0:
        if fr == 0:
            return 1 << (3 if s else 4)
        return 1 << (2 if s else 5)
    return 1 << (1 if s else 6)


def round_int_value(v, rm):
    fl = math.floor(v)
    frac = v - fl
    if frac == 0:
        return fl, False
    s = v < 0
    if rm == "rtz":
        r = fl + (1 if s else 0)
    elif rm == "rdn":
        r = fl
    elif rm == "rup":
        r = fl + 1
    elif rm == "rmm":
        r = fl + (1 if frac > Q(1, 2) or (frac == Q(1, 2) and not s) else 0)
        if frac == Q(1, 2) and s:
            r = fl
    else:
        r = fl + (1 if frac > Q(1, 2) or (frac == Q(1, 2) and fl & 1) else 0)
    return r, True


def to_int(f, a, rm, bits, signed):
    lo = -(1 << (bits - 1)) if signed else 0
    hi = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1
    if f.is_nan(a):
        return hi, NV
    if f.is_inf(a):
        return (lo if a & f.sign else hi), NV
    v = f.value(a)
    r, inexact = round_int_value(v, rm)
    if r < lo:
        return lo, NV
    if r > hi:
        return hi, NV
    return r, NX if inexact else 0


def from_int(f, v, rm):
    return f.round(Q(v), rm)


def convert(fa, fb, a, rm):
    """fa value a to format fb."""
    if fa.is_nan(a):
        return fb.qnan, NV if fa.is_snan(a) else 0
    s = bool(a & fa.sign)
    if fa.is_inf(a):
        return fb.inf(s), 0
    if (a & ~fa.sign) == 0:
        return (fb.sign if s else 0), 0
    return fb.round(fa.value(a), rm)


def fround(f, a, rm, nx):
    if f.is_nan(a):
        return f.qnan, NV if f.is_snan(a) else 0
    if f.is_inf(a) or (a & ~f.sign) == 0:
        return a, 0
    v = f.value(a)
    r, inexact = round_int_value(v, rm)
    bits, _ = f.round(Q(r), rm, sign=v < 0)
    if r == 0:
        bits = a & f.sign
    return bits, (NX if inexact and nx else 0)


def fcvtmod(a):
    if (a >> 52) & 0x7ff == 0x7ff:
        return 0, NV
    if (a & ~D.sign) == 0:
        return 0, 0
    v = D.value(a)
    t = math.trunc(v)
    inexact = t != v
    r = t & 0xffffffff
    if r >= 1 << 31:
        r -= 1 << 32
    if not -(1 << 31) <= t < (1 << 31):
        return r, NV
    return r, NX if inexact else 0


# ---- operand pools -------------------------------------------------------
H_SPECIAL = [0x0000, 0x8000, 0x3c00, 0xbc00, 0x7c00, 0xfc00, 0x7e00, 0x7d00, 0x0001, 0x8001,
             0x03ff, 0x0400, 0x7bff, 0xfbff, 0x3555, 0x4000, 0x3800, 0x3e00, 0x4248, 0x5640,
             0x0200, 0x3bff, 0x3c01, 0x1400, 0x7a00]


def pool(rng, special, w, n):
    out = list(special)
    while len(out) < n:
        out.append(rng.getrandbits(w))
    return out


def hexv(x):
    return "0x%x" % (x & ((1 << 64) - 1))


def boxed(f, x):
    return f.box | x if f is not D else x


class Out:
    def __init__(self, path, header, cpu, qemu_none=None):
        self.path, self.n, self.lines = path, 0, []
        self.header, self.cpu, self.qemu_none = header, cpu, qemu_none

    def ff(self, res, flags, a, b, c, inst):
        self.n += 1
        assert self.n <= 254, self.path
        self.lines.append("    TEST_FF(%d, %s, 0x%x, %s, %s, %s, %s)" % (
            self.n, hexv(res), flags, hexv(a), hexv(b), hexv(c), inst))

    def fi(self, res, flags, a, b, c, inst):
        self.n += 1
        assert self.n <= 254, self.path
        self.lines.append("    TEST_FI(%d, %s, 0x%x, %s, %s, %s, %s)" % (
            self.n, hexv(res), flags, hexv(a), hexv(b), hexv(c), inst))

    def comment(self, text):
        self.lines.append("    /* %s */" % text)

    def write(self):
        with open(self.path, "w") as fh:
            fh.write("/* cpu: %s\n" % self.cpu)
            if self.qemu_none:
                fh.write(" * qemu: none (%s)\n" % self.qemu_none)
            for line in self.header:
                fh.write(" * %s\n" % line if line else " *\n")
            fh.write(" * Generated by tests/isa/gen_fp_half.py: edit that, not this. */\n")
            fh.write('#include "common.h"\n#include "fp.h"\n\n')
            fh.write("    .option arch, +zfh\n" if "zfh=on" in self.cpu.lower() else "")
            fh.write("    .text\n    .globl test_main\ntest_main:\n")
            fh.write("\n".join(self.lines) + "\n    PASS\n")


def gen_arith(rng):
    o = Out("tests/isa/zfh_arith.S", [
        "Zfh arithmetic (unprivileged spec chapter 20, half precision):",
        "fadd/fsub/fmul/fdiv/fsqrt/fmadd/fmsub/fnmsub/fnmadd.h under every rounding",
        "mode with exact fflags (subnormals, tininess after rounding, overflow per",
        "mode, canonical NaNs, sNaN and invalid signalling), fmin/fmax.h, and",
        "operands that are not NaN-boxed reading as the canonical NaN."],
        "rv64,Zfh=on,Zfhmin=on")
    vals = pool(rng, H_SPECIAL, 16, 40)
    ops = [("fadd.h", lambda a, b, c, rm: add(H, a, b, rm)),
           ("fsub.h", lambda a, b, c, rm: add(H, a, b, rm, neg=True)),
           ("fmul.h", lambda a, b, c, rm: mul(H, a, b, rm)),
           ("fdiv.h", lambda a, b, c, rm: div(H, a, b, rm))]
    for name, fn in ops:
        o.comment(name)
        for k in range(38):
            a, b = rng.choice(vals), rng.choice(vals)
            if k < 10:  # nearby magnitudes: cancellation and ties
                b = (a & 0x7fff) ^ rng.choice([0, 0x8000]) ^ rng.getrandbits(3)
            rm = RMS[k % 5]
            r, fl = fn(a, b, 0, rm)
            o.ff(H.box | r, fl, H.box | a, H.box | b, 0, "%s fa3, fa0, fa1, %s" % (name, rm))
    o.comment("fsqrt.h")
    for k in range(20):
        a = rng.choice(vals) if k % 2 else rng.getrandbits(15)
        rm = RMS[k % 5]
        r, fl = sqrt(H, a, rm)
        o.ff(H.box | r, fl, H.box | a, 0, 0, "fsqrt.h fa3, fa0, %s" % rm)
    o.comment("fused multiply-add: one rounding")
    fused = [("fmadd.h", False, False), ("fmsub.h", False, True), ("fnmsub.h", True, False),
             ("fnmadd.h", True, True)]
    for k in range(40):
        name, np_, nc = fused[k % 4]
        a, b, c = rng.choice(vals), rng.choice(vals), rng.choice(vals)
        rm = RMS[k % 5]
        r, fl = fma(H, a, b, c, rm, np_, nc)
        o.ff(H.box | r, fl, H.box | a, H.box | b, H.box | c,
             "%s fa3, fa0, fa1, fa2, %s" % (name, rm))
    o.comment("fmin/fmax: NaN operands and -0 < +0")
    for a, b in [(0x7e00, 0x3c00), (0x7d00, 0x3c00), (0x7e00, 0x7e00), (0x8000, 0x0000),
                 (0x0000, 0x8000), (0xbc00, 0x3c00)]:
        for mx, name in ((False, "fmin.h"), (True, "fmax.h")):
            r, fl = minmax(H, a, b, mx)
            o.ff(H.box | r, fl, H.box | a, H.box | b, 0, "%s fa3, fa0, fa1" % name)
    o.comment("NaN boxing: an operand whose upper 48 bits are not all ones is the canonical NaN")
    o.ff(H.box | 0x7e00, 0, 0xffffffff00003c00, H.box | 0x3c00, 0, "fadd.h fa3, fa0, fa1, rne")
    o.ff(H.box | 0x3c00, 0, 0xfffffffffffe3c00, H.box | 0x3c00, 0, "fmax.h fa3, fa0, fa1")
    o.write()


def gen_conv(rng):
    o = Out("tests/isa/zfh_conv.S", [
        "Zfh and Zfhmin conversions, moves and comparisons (unprivileged spec",
        "chapter 20): fcvt.{w,wu,l,lu}.h and back with every rounding mode and",
        "saturation, fcvt between h and s/d (rounding, overflow, subnormals, NaNs),",
        "feq/flt/fle.h, fclass.h, fsgnj*.h, fmv.x.h / fmv.h.x and flh/fsh copying",
        "bits (fmv.x.h sign-extends, flh NaN-boxes)."],
        "rv64,Zfh=on,Zfhmin=on")
    vals = pool(rng, H_SPECIAL, 16, 36)
    o.comment("to integers")
    for k in range(40):
        a = rng.choice(vals)
        rm = RMS[k % 5]
        name, bits, sg = [("fcvt.w.h", 32, True), ("fcvt.wu.h", 32, False),
                          ("fcvt.l.h", 64, True), ("fcvt.lu.h", 64, False)][k % 4]
        r, fl = to_int(H, a, rm, bits, sg)
        if bits == 32:
            r = r & 0xffffffff
            if r >> 31:
                r |= 0xffffffff00000000
        o.fi(r, fl, H.box | a, 0, 0, "%s a0, fa0, %s" % (name, rm))
    o.comment("from integers")
    ints = [0, 1, -1, 3, 65504, 65519, 65520, 100000, -70000, 2049, 4097, 0x7fffffff,
            -0x80000000, 0xffffffff, 1 << 40, 12345, -12345, 0x8000000000000000]
    for k, v in enumerate(ints * 2):
        rm = RMS[k % 5]
        name, bits, sg = [("fcvt.h.w", 32, True), ("fcvt.h.wu", 32, False),
                          ("fcvt.h.l", 64, True), ("fcvt.h.lu", 64, False)][k % 4]
        x = v & ((1 << bits) - 1)
        if sg and x >> (bits - 1):
            x -= 1 << bits
        r, fl = from_int(H, x, rm)
        o.ff(H.box | r, fl, v & ((1 << 64) - 1), 0, 0, "%s fa3, a2, %s" % (name, rm))
    o.comment("between formats")
    for k in range(20):
        a = rng.choice(vals)
        r, fl = convert(H, S, a, "rne")
        o.ff(S.box | r, fl, H.box | a, 0, 0, "fcvt.s.h fa3, fa0")
        r, fl = convert(H, D, a, "rne")
        o.ff(r, fl, H.box | a, 0, 0, "fcvt.d.h fa3, fa0")
    svals = [0x3f800000, 0x477fe000, 0x477ff000, 0x47800000, 0x33800000, 0x33000000, 0x33000001,
             0x387fc000, 0x38800000, 0x7fc00000, 0x7f800001, 0xff800000, 0x3eaaaaab, 0xc2f6e979]
    for k, a in enumerate(svals * 2):
        rm = RMS[k % 5]
        r, fl = convert(S, H, a, rm)
        o.ff(H.box | r, fl, S.box | a, 0, 0, "fcvt.h.s fa3, fa0, %s" % rm)
    for k in range(14):
        a = rng.getrandbits(64) if k > 3 else [0x3ff0000000000000, 0x40effc0000000000,
                                                0x3e70000000000000, 0x7ff4000000000000][k]
        if k > 3:  # near binary16's range
            a = (a & 0x800fffffffffffff) | ((1023 - 26 + rng.randrange(44)) << 52)
        rm = RMS[k % 5]
        r, fl = convert(D, H, a, rm)
        o.ff(H.box | r, fl, a, 0, 0, "fcvt.h.d fa3, fa0, %s" % rm)
    o.comment("comparisons and classify")
    pairs = [(0x3c00, 0x3c00), (0x3c00, 0x4000), (0x8000, 0x0000), (0x7e00, 0x3c00),
             (0x7d00, 0x3c00), (0xfc00, 0x7c00), (0x0001, 0x8001)]
    for a, b in pairs:
        for kind, name in (("eq", "feq.h"), ("lt", "flt.h"), ("le", "fle.h")):
            r, fl = cmp(H, a, b, kind)
            o.fi(r, fl, H.box | a, H.box | b, 0, "%s a0, fa0, fa1" % name)
    for a in [0xfc00, 0xbc00, 0x8001, 0x8000, 0x0000, 0x0001, 0x3c00, 0x7c00, 0x7d00, 0x7e00]:
        o.fi(classify(H, a), 0, H.box | a, 0, 0, "fclass.h a0, fa0")
    o.fi(classify(H, 0x7e00), 0, 0xffffffff00003c00, 0, 0, "fclass.h a0, fa0")
    o.comment("sign injection, moves, loads and stores copy bits")
    o.ff(H.box | 0xbc00, 0, H.box | 0x3c00, H.box | 0x8000, 0, "fsgnj.h fa3, fa0, fa1")
    o.ff(H.box | 0x3c00, 0, H.box | 0x3c00, H.box | 0x8000, 0, "fsgnjn.h fa3, fa0, fa1")
    o.ff(H.box | 0x3c00, 0, H.box | 0xbc00, H.box | 0x8000, 0, "fsgnjx.h fa3, fa0, fa1")
    o.ff(H.box | 0xfe00, 0, 0x3c00, H.box | 0x8000, 0, "fsgnj.h fa3, fa0, fa1")
    o.fi(0xffffffffffffbc00, 0, H.box | 0xbc00, 0, 0, "fmv.x.h a0, fa0")
    o.fi(0x3c00, 0, 0x1234567800003c00, 0, 0, "fmv.x.h a0, fa0")
    o.ff(H.box | 0x7d01, 0, 0x123457d01, 0, 0, "fmv.h.x fa3, a2")
    o.ff(H.box | 0xabcd, 0, 0x5555abcd, 0, 0,
         "addi sp, sp, -16; sh a2, 0(sp); flh fa3, 0(sp); addi sp, sp, 16")
    o.fi(0xfffffffffffffd01, 0, 0xfd01, 0, 0,
         "addi sp, sp, -16; sd zero, 0(sp); fsh fa0, 0(sp); lh a0, 0(sp); addi sp, sp, 16")
    o.write()


def word(op):
    return ".word 0x%08x" % op


def r_type(funct7, rs2, rs1, funct3, rd):
    return word((funct7 << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | 0x53)


FA0, FA1, FA3, A0 = 10, 11, 13, 10
RM_CODE = {"rne": 0, "rtz": 1, "rdn": 2, "rup": 3, "rmm": 4}


def gen_zfa(rng):
    o = Out("tests/isa/zfa.S", [
        "Zfa (unprivileged spec chapter 22): fli.{s,d,h} (all 32 constants),",
        "fminm/fmaxm (a NaN operand gives the canonical NaN), fround/froundnx in",
        "every rounding mode (NX only from froundnx), fleq/fltq (quiet: NV only",
        "for signaling NaNs) and fcvtmod.w.d (modular, NV out of range), for the",
        "formats rvmm has. binutils 2.40 has no Zfa: .word encodings. fmvh.x.d",
        "and fmvp.d.x are RV32-only and zfa_off.S checks they trap on rv64."],
        "rv64,zfa=on,Zfh=on,Zfhmin=on", "QEMU 7.2 has no Zfa")
    fmts = [(H, 2), (S, 0), (D, 1)]
    o.comment("fli")
    fli = [-1.0, None, 2 ** -16, 2 ** -15, 2 ** -8, 2 ** -7, 0.0625, 0.125, 0.25, 0.3125,
           0.375, 0.4375, 0.5, 0.625, 0.75, 0.875, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0,
           8.0, 16.0, 128.0, 256.0, 2.0 ** 15, 2.0 ** 16, "inf", "nan"]
    for f, code in fmts:
        for idx in range(32):
            if f is not H and idx % 3:
                continue  # every entry for .h (its own overflow and subnormals), a sample else
            v = fli[idx]
            if idx == 1:
                r = 1 << f.m
            elif v == "inf":
                r = f.inf(0)
            elif v == "nan":
                r = f.qnan
            else:
                r, _ = f.round(Q(v), "rne")
            o.ff(boxed(f, r), 0, 0, 0, 0, r_type(0x78 | code, 1, idx, 0, FA3))
    o.comment("fminm / fmaxm")
    for f, code in fmts:
        one, two = f.round(Q(1), "rne")[0], f.round(Q(2), "rne")[0]
        snan = (f.emax << f.m) | 1
        for a, b in [(one, two), (f.qnan, one), (snan, one), (f.sign, 0), (0, f.sign)]:
            for mx in (0, 1):
                r, fl = minmax(f, a, b, mx, m_variant=True)
                o.ff(boxed(f, r), fl, boxed(f, a), boxed(f, b), 0,
                     r_type(0x14 | code, FA1, FA0, 2 + mx, FA3))
    o.comment("fround / froundnx")
    for f, code in fmts:
        vs = [Q(5, 2), Q(-5, 2), Q(7, 2), Q(1, 4), Q(-1, 4), Q(3, 4), Q(-3, 4), Q(13, 8)]
        specials = [f.qnan, (f.emax << f.m) | 1, f.inf(1), f.sign, f.round(Q(2 ** f.m + 1), "rne")[0]]
        ops = [f.round(v, "rne")[0] for v in vs] + specials
        for k, a in enumerate(ops):
            for nx in (0, 1):
                rm = RMS[(k + nx) % 5]
                r, fl = fround(f, a, rm, nx)
                o.ff(boxed(f, r), fl, boxed(f, a), 0, 0,
                     r_type(0x20 | code, 4 + nx, FA0, RM_CODE[rm], FA3))
    o.comment("fleq / fltq")
    for f, code in fmts:
        one, two = f.round(Q(1), "rne")[0], f.round(Q(2), "rne")[0]
        snan = (f.emax << f.m) | 1
        for a, b in [(one, two), (two, one), (one, one), (f.qnan, one), (snan, one), (f.sign, 0)]:
            for lt in (0, 1):
                r, fl = cmp(f, a, b, "ltq" if lt else "leq")
                o.fi(r, fl, boxed(f, a), boxed(f, b), 0, r_type(0x50 | code, FA1, FA0, 4 + lt, A0))
    o.comment("fcvtmod.w.d")
    dvals = [0x3ff8000000000000, 0xbff8000000000000, 0x41dfffffffc00000, 0x41e0000000000000,
             0xc1e0000000000000, 0xc1e0000000200000, 0x4330000000000001, 0x43f0000000000005,
             0x44b0000000000000, 0x7ff0000000000000, 0x7ff8000000000000, 0x8000000000000000,
             0x3fe0000000000000, 0x41f0000000000001, 0x0000000000000001]
    for a in dvals:
        r, fl = fcvtmod(a)
        o.fi(r & ((1 << 64) - 1), fl, a, 0, 0, r_type(0x61, 8, FA0, 1, A0))
    o.write()


def main():
    rng = random.Random(20261207)
    gen_arith(rng)
    gen_conv(rng)
    gen_zfa(rng)


if __name__ == "__main__":
    main()
