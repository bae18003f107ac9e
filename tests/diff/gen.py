#!/usr/bin/env python3
"""Random RV64GC program generator for the differential test against QEMU.

Owns: turning (seed, index) into one assembly file that defines diff_body (the
random instruction sequence), the initial register tables and the scratch area
that rt.S and dump.c expect. Everything is derived from random.Random seeded
with a string, so the same seed gives byte-identical sources on every host.
It must not emit anything whose result may legitimately differ between two
correct implementations (cycle/time counters, misaligned AMOs, LR/SC pairs the
spec lets fail, vendor/arch id CSRs).

A program runs in M-mode, or (about one in four) in S-mode under Sv39 or Sv48
(rt.S builds the identity map); S-mode programs use sscratch instead of
mscratch and end with ecall (mcause 9), since the dump needs M-mode.
With --virt (H extension: the jit layer's lockstep runs them on
--cpu rv64,h=on; not compared with QEMU) a program runs in VS-mode (V=1)
under the same Sv39 map as its VS-stage, over a G-stage Sv39x4 identity
map of RAM (mode 3 in rt.S), and ends with ecall (mcause 10).

Register conventions inside diff_body: sp (x2) points at the scratch area and
s0 (x8) at scratch + 256; both are only ever read, so every load and store
stays within the 512-byte scratch area. All other registers are fair game.

Usage: gen.py --seed S --index I [--min-len N --max-len M] > prog.S
"""

import argparse
import random
import struct
import sys

SCRATCH_SIZE = 512
S0_OFFSET = 256  # s0 = scratch + S0_OFFSET
RESERVED = (0, 2, 8)
DST_REGS = [r for r in range(32) if r not in RESERVED]
CREGS = list(range(8, 16))  # registers reachable from 3-bit compressed fields
CDST = [r for r in CREGS if r not in RESERVED]

M64 = (1 << 64) - 1

INT_SPECIAL = [
    0, 1, 2, 3, M64, M64 - 1, 1 << 63, (1 << 63) - 1, (1 << 63) + 1,
    0x80000000, 0x7fffffff, 0xffffffff, 0xffffffff80000000, 0x100000000,
    0xffffffff7fffffff, 0x00000000ffff8000, 0x8000, 0x7fff, 0xffff, 0x7ff,
    0x800, M64 - 2047, 31, 32, 33, 63, 64, 65, 0x5555555555555555,
    0xaaaaaaaaaaaaaaaa, 0x0123456789abcdef, 0xfedcba9876543210,
]

F64_SPECIAL = [
    0x0000000000000000, 0x8000000000000000,  # +-0
    0x7ff0000000000000, 0xfff0000000000000,  # +-inf
    0x7ff8000000000000, 0xfff8000000000000,  # qNaN (canonical, negative)
    0x7ff8000000000123, 0x7ff0000000000001,  # qNaN payload, sNaN
    0x7ff4000000000000, 0xfff0000000000abc,  # sNaNs
    0x0000000000000001, 0x000fffffffffffff,  # denormals
    0x8000000000000001, 0x800fffffffffffff,
    0x0010000000000000, 0x8010000000000000,  # min normal
    0x7fefffffffffffff, 0xffefffffffffffff,  # max normal
    0x3ff0000000000000, 0xbff0000000000000,  # +-1
    0x3fe0000000000000, 0x3ff8000000000000,  # 0.5, 1.5
    0x4004000000000000, 0xc004000000000000,  # +-2.5
    0x3fb999999999999a, 0x3fd5555555555555,  # 0.1, 1/3
    0x3ff0000000000001, 0x3fefffffffffffff,  # 1 +- ulp
    0x43e0000000000000, 0xc3e0000000000000,  # +-2^63
    0x43dfffffffffffff, 0x43f0000000000000,  # below 2^63, 2^64
    0x41e0000000000000, 0xc1e0000000000000,  # +-2^31
    0x41dfffffffc00000, 0x41efffffffe00000,  # 2^31-1, 2^32-1
    0x41f0000000000000, 0xc1e0000000200000,  # 2^32, -2^31-1
    0x3ff0000010000000, 0x3ff0000018000000,  # 1+2^-24 (f32 tie), above tie
    0x3ff0000030000000,                      # 1+3*2^-24 (tie, odd)
    0x47efffffe0000000, 0x47effffff0000000,  # FLT_MAX, between FLT_MAX and overflow
    0x47f0000000000000, 0x7e37e43c8800759c,  # 2^128, 1e300
    0x01a56e1fc2f8f359, 0x36a0000000000000,  # 1e-300, 2^-149
    0x3690000000000000, 0x3810000000000000,  # 2^-150, 2^-126
    0x380fffffe0000000, 0x4330000000000000,  # near f32 min normal, 2^52
    0x4330000000000001, 0xc330000000000001,
]

F32_SPECIAL = [
    0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000,
    0x7fc00123, 0x7f800001, 0x7fa00000, 0xff800abc, 0x00000001, 0x007fffff,
    0x80000001, 0x807fffff, 0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff,
    0x3f800000, 0xbf800000, 0x3f000000, 0x3fc00000, 0x40200000, 0xc0200000,
    0x4f000000, 0xcf000000, 0x4effffff, 0x4f800000, 0x4f7fffff, 0x5f000000,
    0xdf000000, 0x5effffff, 0x5f800000, 0x3dcccccd, 0x3eaaaaab, 0x33800000,
    0x4b000000, 0x4b000001, 0xcb000001, 0x3f800001, 0x3f7fffff, 0x0b000000,
]

RMS = ["rne", "rtz", "rdn", "rup", "rmm", "dyn"]
RM_BITS = {"rne": 0, "rtz": 1, "rdn": 2, "rup": 3, "rmm": 4, "dyn": 7}

RR_OPS = [
    "add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and",
    "addw", "subw", "sllw", "srlw", "sraw",
    "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu",
    "mulw", "divw", "divuw", "remw", "remuw",
]
RI_OPS = ["addi", "slti", "sltiu", "xori", "ori", "andi", "addiw"]
SHIFT_OPS = {"slli": 63, "srli": 63, "srai": 63, "slliw": 31, "srliw": 31, "sraiw": 31}
BRANCHES = ["beq", "bne", "blt", "bge", "bltu", "bgeu"]
AMO_OPS = ["amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin", "amomax",
           "amominu", "amomaxu"]
AQRL = ["", ".aq", ".rl", ".aqrl"]
# Zba, Zbb, Zbc, Zbs (generated with zb=True). ctzw is left out: QEMU 7.2
# returns 63 instead of 32 when the low word is zero and a higher bit is set.
ZB_RR = ["sh1add", "sh2add", "sh3add", "add.uw", "sh1add.uw", "sh2add.uw", "sh3add.uw", "andn",
         "orn", "xnor", "max", "maxu", "min", "minu", "rol", "rolw", "ror", "rorw", "clmul",
         "clmulh", "clmulr", "bclr", "bext", "binv", "bset"]
ZB_R = ["clz", "clzw", "ctz", "cpop", "cpopw", "sext.b", "sext.h", "zext.h", "orc.b", "rev8"]
ZB_RI = {"slli.uw": 63, "rori": 63, "roriw": 31, "bclri": 63, "bexti": 63, "binvi": 63,
         "bseti": 63}
LOADS = {"lb": 1, "lh": 2, "lw": 4, "ld": 8, "lbu": 1, "lhu": 2, "lwu": 4}
STORES = {"sb": 1, "sh": 2, "sw": 4, "sd": 8}


def x(r):
    return "x%d" % r


def f(r):
    return "f%d" % r


def s64(v):
    v &= M64
    return v - (1 << 64) if v >> 63 else v


class Gen:
    """One program's generator; all randomness comes from self.r."""

    def __init__(self, seed, index, min_len, max_len, traps=False, zb=False, virt=False):
        self.r = random.Random("rvmm-diff%s%s:%s:%d" % (":traps" if traps else "",
                                                       ":virt" if virt else "", seed, index))
        self.traps = traps
        self.zb = zb
        # One program in eight also gets raw encodings (decoder fuzzing).
        self.raw_rate = 0.06 if index % 8 == 7 else 0.0
        c = self.r.random()
        self.mode = 0 if c < 0.74 else 1 if c < 0.87 else 2  # M, S+Sv39, S+Sv48
        if virt:
            self.mode = 3  # VS+Sv39 over Sv39x4
        self.scratch_csr = "mscratch" if self.mode == 0 else "sscratch"
        self.min_len = min_len
        self.max_len = max_len
        self.label_id = 0
        self.dst = list(DST_REGS)
        self.data = []  # extra lines for the .data section (SMC sources)
        self.in_loop = False

    # ---- small helpers -------------------------------------------------
    def label(self, kind):
        self.label_id += 1
        return ".L%s_%d" % (kind, self.label_id)

    def rd(self):
        r = self.r
        if r.random() < 0.03:
            return 0
        return r.choice(self.dst)

    def rs(self):
        return self.r.randrange(32)

    def cdst(self):
        return self.r.choice([c for c in CDST if c in self.dst])

    def rtmp(self, avoid=()):
        return self.r.choice([d for d in self.dst if d not in avoid])

    def imm12(self):
        r = self.r
        c = r.random()
        if c < 0.3:
            return r.choice([0, 1, -1, 2047, -2048, 0x7ff, -2, 0x555, -0x556, 31, 32, 63])
        if c < 0.6:
            return r.randint(-32, 32)
        return r.randint(-2048, 2047)

    def int_value(self):
        r = self.r
        c = r.random()
        if c < 0.45:
            return r.choice(INT_SPECIAL)
        if c < 0.65:
            return r.getrandbits(64)
        if c < 0.8:
            return s64(r.getrandbits(32) | (M64 << 32 if r.random() < 0.5 else 0)) & M64
        if c < 0.9:
            return (1 << r.randrange(64)) ^ (M64 if r.random() < 0.3 else 0)
        return r.randint(-300, 300) & M64

    def f64_value(self):
        r = self.r
        c = r.random()
        if c < 0.5:
            return r.choice(F64_SPECIAL)
        if c < 0.85:  # moderate exponents so arithmetic stays interesting
            e = 1023 + r.randint(-12, 12)
            return (r.getrandbits(1) << 63) | (e << 52) | r.getrandbits(52)
        if c < 0.9:  # short mantissa: exact results and ties
            e = 1023 + r.randint(-3, 3)
            return (r.getrandbits(1) << 63) | (e << 52) | (r.getrandbits(4) << 48)
        return r.getrandbits(64)

    def f32_value(self):
        r = self.r
        c = r.random()
        if c < 0.5:
            return r.choice(F32_SPECIAL)
        if c < 0.85:
            e = 127 + r.randint(-12, 12)
            return (r.getrandbits(1) << 31) | (e << 23) | r.getrandbits(23)
        if c < 0.9:
            e = 127 + r.randint(-3, 3)
            return (r.getrandbits(1) << 31) | (e << 23) | (r.getrandbits(4) << 19)
        return r.getrandbits(32)

    def freg_value(self):
        r = self.r
        c = r.random()
        if c < 0.42:
            return self.f64_value()
        if c < 0.88:
            return 0xffffffff00000000 | self.f32_value()
        # Not NaN-boxed: reads as the canonical NaN when used as f32.
        upper = r.choice([0, 0xfffffffe, 0x7fffffff, 0x3ff00000, r.getrandbits(32)])
        return (upper << 32) | self.f32_value()

    def mem_off(self, size, aligned, compressed_base=None):
        """Offset for an access of `size` bytes from s0 (or sp) inside scratch."""
        r = self.r
        if compressed_base == "sp":
            lo, hi = 0, SCRATCH_SIZE - size
        else:
            lo, hi = -S0_OFFSET, SCRATCH_SIZE - S0_OFFSET - size
        off = r.randint(lo, hi)
        if aligned:
            off -= off % size
            if off < lo:
                off += size
        return off

    # ---- items: each returns a list of assembly lines ------------------
    def i_rr(self):
        op = self.r.choice(RR_OPS)
        return ["%s %s, %s, %s" % (op, x(self.rd()), x(self.rs()), x(self.rs()))]

    def i_ri(self):
        r = self.r
        if r.random() < 0.35:
            op = r.choice(list(SHIFT_OPS))
            sh = r.choice([0, 1, SHIFT_OPS[op], SHIFT_OPS[op] - 1, r.randint(0, SHIFT_OPS[op])])
            return ["%s %s, %s, %d" % (op, x(self.rd()), x(self.rs()), sh)]
        op = r.choice(RI_OPS)
        return ["%s %s, %s, %d" % (op, x(self.rd()), x(self.rs()), self.imm12())]

    def i_zb(self):
        """A Zba/Zbb/Zbc/Zbs instruction (the programs' zb=True mode)."""
        r = self.r
        c = r.random()
        if c < 0.55:
            op = r.choice(ZB_RR)
            return ["%s %s, %s, %s" % (op, x(self.rd()), x(self.rs()), x(self.rs()))]
        if c < 0.8:
            return ["%s %s, %s" % (r.choice(ZB_R), x(self.rd()), x(self.rs()))]
        op = r.choice(list(ZB_RI))
        sh = r.choice([0, 1, ZB_RI[op], r.randint(0, ZB_RI[op])])
        return ["%s %s, %s, %d" % (op, x(self.rd()), x(self.rs()), sh)]

    def i_upper(self):
        r = self.r
        op = r.choice(["lui", "auipc", "li", "li", "li"])
        if op == "li":
            return ["li %s, %d" % (x(self.rtmp()), s64(self.int_value()))]
        imm = r.choice([0, 1, 0x80000, 0xfffff, 0x7ffff, r.getrandbits(20)])
        return ["%s %s, 0x%x" % (op, x(self.rd()), imm)]

    def i_load(self):
        r = self.r
        aligned = r.random() < 0.8
        if r.random() < 0.25:
            op = r.choice(["flw", "fld"])
            size = 4 if op == "flw" else 8
            return ["%s %s, %d(x8)" % (op, f(r.randrange(32)), self.mem_off(size, aligned))]
        op = r.choice(list(LOADS))
        size = LOADS[op]
        if r.random() < 0.3:
            return ["%s %s, %d(x2)" % (op, x(self.rd()), self.mem_off(size, aligned, "sp"))]
        return ["%s %s, %d(x8)" % (op, x(self.rd()), self.mem_off(size, aligned))]

    def i_store(self):
        r = self.r
        aligned = r.random() < 0.8
        if r.random() < 0.25:
            op = r.choice(["fsw", "fsd"])
            size = 4 if op == "fsw" else 8
            return ["%s %s, %d(x8)" % (op, f(r.randrange(32)), self.mem_off(size, aligned))]
        op = r.choice(list(STORES))
        size = STORES[op]
        if r.random() < 0.3:
            return ["%s %s, %d(x2)" % (op, x(self.rs()), self.mem_off(size, aligned, "sp"))]
        return ["%s %s, %d(x8)" % (op, x(self.rs()), self.mem_off(size, aligned))]

    def i_compressed(self):
        r = self.r
        k = r.randrange(30)
        if k == 0:
            return ["c.addi %s, %d" % (x(self.rtmp()), r.choice([v for v in range(-32, 32) if v]))]
        if k == 1:
            return ["c.addiw %s, %d" % (x(self.rtmp()), r.randint(-32, 31))]
        if k == 2:
            return ["c.li %s, %d" % (x(self.rtmp()), r.randint(-32, 31))]
        if k == 3:
            imm = r.choice(list(range(1, 32)) + list(range(0xfffe0, 0x100000)))
            return ["c.lui %s, 0x%x" % (x(self.rtmp()), imm)]
        if k == 4:
            return ["c.addi4spn %s, sp, %d" % (x(self.cdst()), 4 * r.randint(1, 255))]
        if k == 5:
            return ["c.slli %s, %d" % (x(self.rtmp()), r.randint(1, 63))]
        if k == 6:
            op = r.choice(["c.srli", "c.srai"])
            return ["%s %s, %d" % (op, x(self.cdst()), r.randint(1, 63))]
        if k == 7:
            return ["c.andi %s, %d" % (x(self.cdst()), r.randint(-32, 31))]
        if k == 8:
            return ["c.mv %s, %s" % (x(self.rtmp()), x(r.randint(1, 31)))]
        if k == 9:
            return ["c.add %s, %s" % (x(self.rtmp()), x(r.randint(1, 31)))]
        if k in (10, 11):
            op = r.choice(["c.and", "c.or", "c.xor", "c.sub", "c.addw", "c.subw"])
            return ["%s %s, %s" % (op, x(self.cdst()), x(r.choice(CREGS)))]
        if k == 12:
            return ["c.nop"]
        if k in (13, 14):  # loads, base s0
            op, size = r.choice([("c.lw", 4), ("c.ld", 8)])
            off = size * r.randint(0, (128 if size == 4 else 256) // size - 1)
            return ["%s %s, %d(x8)" % (op, x(self.cdst()), off)]
        if k in (15, 16):
            op, size = r.choice([("c.sw", 4), ("c.sd", 8)])
            off = size * r.randint(0, (128 if size == 4 else 256) // size - 1)
            return ["%s %s, %d(x8)" % (op, x(r.choice(CREGS)), off)]
        if k == 17:
            op = r.choice(["c.fld", "c.fsd"])
            return ["%s %s, %d(x8)" % (op, f(r.randint(8, 15)), 8 * r.randint(0, 31))]
        if k in (18, 19):  # sp-relative
            op, size, lim = r.choice([("c.lwsp", 4, 256), ("c.ldsp", 8, 512)])
            return ["%s %s, %d(sp)" % (op, x(self.rtmp()), size * r.randrange(lim // size))]
        if k in (20, 21):
            op, size, lim = r.choice([("c.swsp", 4, 256), ("c.sdsp", 8, 512)])
            return ["%s %s, %d(sp)" % (op, x(r.randrange(32)), size * r.randrange(lim // size))]
        if k == 22:
            op = r.choice(["c.fldsp", "c.fsdsp"])
            return ["%s %s, %d(sp)" % (op, f(r.randrange(32)), 8 * r.randrange(64))]
        # Also let gas pick: plain mnemonics that usually compress.
        rd = self.cdst()
        return [r.choice([
            "addi %s, %s, %d" % (x(rd), x(rd), r.randint(-32, 31)),
            "add %s, %s, %s" % (x(rd), x(rd), x(r.randint(1, 31))),
            "and %s, %s, %s" % (x(rd), x(rd), x(r.choice(CREGS))),
            "addw %s, %s, %s" % (x(rd), x(rd), x(r.choice(CREGS))),
            "mv %s, %s" % (x(rd), x(r.randint(1, 31))),
            "ld %s, %d(x8)" % (x(rd), 8 * r.randint(0, 31)),
            "sd %s, %d(sp)" % (x(r.randrange(32)), 8 * r.randrange(64)),
            "srai %s, %s, %d" % (x(rd), x(rd), r.randint(1, 63)),
        ])]

    def i_amo(self):
        r = self.r
        w = r.choice(["w", "d"])
        size = 4 if w == "w" else 8
        t = self.rtmp()
        op = "%s.%s%s" % (r.choice(AMO_OPS), w, r.choice(AQRL))
        return ["addi %s, x8, %d" % (x(t), self.mem_off(size, True)),
                "%s %s, %s, (%s)" % (op, x(self.rd()), x(self.rs()), x(t))]

    def i_lrsc(self):
        """LR then SC to the same address with only ALU ops between: QEMU and
        any implementation with a valid reservation agree that the SC succeeds.
        Sometimes a second SC follows, which must fail (no reservation)."""
        r = self.r
        w = r.choice(["w", "d"])
        size = 4 if w == "w" else 8
        t = self.rtmp()
        out = ["addi %s, x8, %d" % (x(t), self.mem_off(size, True))]
        out.append("lr.%s%s %s, (%s)" % (w, r.choice(AQRL), x(self.rtmp(avoid=(t,))), x(t)))
        saved = self.dst
        self.dst = [d for d in saved if d != t]
        for _ in range(r.randint(0, 2)):
            out += self.r.choice([self.i_rr, self.i_ri])()
        self.dst = saved
        out.append("sc.%s%s %s, %s, (%s)" % (w, r.choice(AQRL), x(self.rd()), x(self.rs()), x(t)))
        if r.random() < 0.2:
            t2 = self.rtmp()
            out.append("addi %s, x8, %d" % (x(t2), self.mem_off(size, True)))
            out.append("sc.%s %s, %s, (%s)" % (w, x(self.rd()), x(self.rs()), x(t2)))
        return out

    def i_fp_arith(self):
        r = self.r
        p = r.choice(["s", "d"])
        rm = r.choice(RMS)
        k = r.randrange(10)
        a, b, c, d = (r.randrange(32) for _ in range(4))
        if k < 5:
            op = r.choice(["fadd", "fsub", "fmul", "fdiv"])
            return ["%s.%s %s, %s, %s, %s" % (op, p, f(d), f(a), f(b), rm)]
        if k == 5:
            return ["fsqrt.%s %s, %s, %s" % (p, f(d), f(a), rm)]
        if k < 8:
            op = r.choice(["fmadd", "fmsub", "fnmadd", "fnmsub"])
            return ["%s.%s %s, %s, %s, %s, %s" % (op, p, f(d), f(a), f(b), f(c), rm)]
        op = r.choice(["fmin", "fmax", "fsgnj", "fsgnjn", "fsgnjx"])
        if r.random() < 0.2:
            b = a
        return ["%s.%s %s, %s, %s" % (op, p, f(d), f(a), f(b))]

    def i_fp_cmp(self):
        r = self.r
        p = r.choice(["s", "d"])
        a = r.randrange(32)
        b = a if r.random() < 0.15 else r.randrange(32)
        if r.random() < 0.25:
            return ["fclass.%s %s, %s" % (p, x(self.rd()), f(a))]
        op = r.choice(["feq", "flt", "fle"])
        return ["%s.%s %s, %s, %s" % (op, p, x(self.rd()), f(a), f(b))]

    def i_fp_cvt(self):
        r = self.r
        rm = r.choice(RMS)
        k = r.randrange(5)
        if k < 2:  # float -> int
            i = r.choice(["w", "wu", "l", "lu"])
            p = r.choice(["s", "d"])
            return ["fcvt.%s.%s %s, %s, %s" % (i, p, x(self.rd()), f(r.randrange(32)), rm)]
        if k < 4:  # int -> float
            i = r.choice(["w", "wu", "l", "lu"])
            p = r.choice(["s", "d"])
            if p == "d" and i in ("w", "wu"):  # exact: gas takes no rm, so encode it
                return [".insn r 0x53, %d, 0x69, %s, %s, %s" % (
                    RM_BITS[rm], f(r.randrange(32)), x(self.rs()), x(0 if i == "w" else 1))]
            return ["fcvt.%s.%s %s, %s, %s" % (p, i, f(r.randrange(32)), x(self.rs()), rm)]
        if r.random() < 0.5:
            return ["fcvt.s.d %s, %s, %s" % (f(r.randrange(32)), f(r.randrange(32)), rm)]
        return [".insn r 0x53, %d, 0x21, %s, %s, x0" % (
            RM_BITS[rm], f(r.randrange(32)), f(r.randrange(32)))]

    def i_fp_move(self):
        r = self.r
        k = r.randrange(6)
        if k == 0:
            return ["fmv.x.w %s, %s" % (x(self.rd()), f(r.randrange(32)))]
        if k == 1:
            return ["fmv.x.d %s, %s" % (x(self.rd()), f(r.randrange(32)))]
        if k == 2:
            return ["fmv.w.x %s, %s" % (f(r.randrange(32)), x(self.rs()))]
        if k == 3:
            return ["fmv.d.x %s, %s" % (f(r.randrange(32)), x(self.rs()))]
        # A fresh special value into an f register (boxed, unboxed or f64).
        t = self.rtmp()
        if k == 4:
            return ["li %s, %d" % (x(t), s64(self.freg_value())),
                    "fmv.d.x %s, %s" % (f(r.randrange(32)), x(t))]
        return ["li %s, %d" % (x(t), s64(self.f32_value())),
                "fmv.w.x %s, %s" % (f(r.randrange(32)), x(t))]

    def i_csr(self):
        r = self.r
        k = r.randrange(12)
        if k < 3:
            op = r.choice(["csrrw", "csrrs", "csrrc"])
            return ["%s %s, fflags, %s" % (op, x(self.rd()), x(self.rs()))]
        if k < 5:
            op = r.choice(["csrrwi", "csrrsi", "csrrci"])
            return ["%s %s, fflags, %d" % (op, x(self.rd()), r.randrange(32))]
        if k == 5:  # frm stays valid: write 0..4, or clear bits of a valid value
            if r.random() < 0.6:
                return ["csrrwi %s, frm, %d" % (x(self.rd()), r.randrange(5))]
            return ["csrrci %s, frm, %d" % (x(self.rd()), r.randrange(32))]
        if k == 6:
            return ["csrr %s, %s" % (x(self.rd()), r.choice(["frm", "fflags", "fcsr"]))]
        if k == 7:  # fcsr from a register, frm forced valid
            t = self.rtmp()
            return ["andi %s, %s, 0x1f" % (x(t), x(self.rs())),
                    "ori %s, %s, %d" % (x(t), x(t), r.randrange(5) << 5),
                    "csrrw %s, fcsr, %s" % (x(self.rd()), x(t))]
        if k == 8:
            t = self.rtmp()
            op = r.choice(["csrrs", "csrrc"])
            return ["andi %s, %s, 0x1f" % (x(t), x(self.rs())),
                    "%s %s, fcsr, %s" % (op, x(self.rd()), x(t))]
        if k == 9:
            op = r.choice(["csrrw", "csrrs", "csrrc"])
            return ["%s %s, %s, %s" % (op, x(self.rd()), self.scratch_csr, x(self.rs()))]
        if k == 10:
            op = r.choice(["csrrwi", "csrrsi", "csrrci"])
            return ["%s %s, %s, %d" % (op, x(self.rd()), self.scratch_csr, r.randrange(32))]
        return ["csrrwi %s, fcsr, %d" % (x(self.rd()), r.randrange(32))]

    def i_fence(self):
        return [self.r.choice(["fence", "fence rw, rw", "fence.i", "fence.tso", "fence r, w",
                               "fence iorw, iorw"])]

    def i_smc(self):
        """Overwrite an instruction slot that follows in the code, fence.i,
        then execute the new instruction."""
        r = self.r
        src = self.label("smcsrc")
        dst = self.label("smcdst")
        t = self.rtmp()
        u = self.rtmp(avoid=(t,))
        new = r.choice([self.i_rr, self.i_ri, self.i_fp_arith])()[0]
        self.data += [".balign 4", src + ":", ".option push", ".option norvc",
                      new, ".option pop"]
        return ["la %s, %s" % (x(t), src), "lwu %s, 0(%s)" % (x(u), x(t)),
                "la %s, %s" % (x(t), dst), "sw %s, 0(%s)" % (x(u), x(t)), "fence.i",
                ".balign 4", ".option push", ".option norvc", dst + ":", "addi x0, x0, 0",
                ".option pop"]

    def i_raw(self):
        """A random word in an opcode space without memory access or control
        flow (OP, OP-32, OP-IMM, OP-IMM-32, OP-FP, the FMA group), biased to
        near-legal encodings: legal ones execute, the others must raise an
        illegal-instruction exception with the word in mtval. rd is always a
        register the program may write, so sp and s0 stay scratch pointers."""
        r = self.r
        opcode = r.choice([0x33, 0x3b, 0x13, 0x1b, 0x53, 0x53, 0x43, 0x47, 0x4b, 0x4f])
        word = r.getrandbits(25) << 7 | opcode
        if opcode in (0x33, 0x3b) and r.random() < 0.7:
            word = (word & ~(0x7f << 25)) | (r.choice([0, 0x20, 0x01]) << 25)
        if opcode == 0x53 and r.random() < 0.7:
            f7 = r.choice([0x00, 0x04, 0x08, 0x0c, 0x2c, 0x10, 0x14, 0x20, 0x50, 0x60, 0x68,
                           0x70, 0x78]) | r.choice([0, 1, 1, 2, 3])
            word = (word & ~(0x7f << 25)) | (f7 << 25)
            if r.random() < 0.5:  # mostly valid rs2 selectors for unary ops
                word = (word & ~(0x1f << 20)) | (r.randrange(4) << 20)
        word = (word & ~(0x1f << 7)) | (r.choice(self.dst) << 7)
        if (word & 0xfff0707f) == 0x6010101b:  # ctzw: see ZB_RR
            word ^= 0x00100000  # clzw
        return [".word 0x%08x" % word]

    # ---- resumable traps (programs generated with traps=True) -----------
    def i_trap(self):
        """An instruction that traps and is resumed by rt.S (diff_trap_resume),
        which logs mcause and mtval in the scratch area: loads and stores to
        the unmapped page at 0 (access faults in M-mode, page faults under
        Sv39/Sv48), illegal encodings, breakpoints and, in M-mode, ecall.
        No AMOs there (see below)."""
        r = self.r
        k = r.randrange(6)
        if k == 0:
            op = r.choice(list(LOADS) + ["flw", "fld"])
            size = {"flw": 4, "fld": 8}.get(op) or LOADS[op]
            rd = f(r.randrange(32)) if op.startswith("f") else x(self.rd())
            return ["%s %s, %d(x0)" % (op, rd, size * r.randrange(0, 2048 // size))]
        if k == 1:
            op = r.choice(list(STORES) + ["fsd"])
            size = 8 if op == "fsd" else STORES[op]
            rs = f(r.randrange(32)) if op == "fsd" else x(self.rs())
            return ["%s %s, %d(x0)" % (op, rs, size * r.randrange(0, 2048 // size))]
        if k == 2:
            return [".word 0x%08x" % r.choice([0xfe000033, 0x0000000b, 0x30200073 | (1 << 15),
                                               0xffffffff]),]
        if k == 3:
            return [".option push", ".option rvc", r.choice(["ebreak", "c.ebreak", "c.unimp"]),
                    ".option pop"]
        if k == 4 and self.mode == 0:
            return ["ecall"]
        # An access through a register to the unmapped page. Not an AMO:
        # QEMU 7.2 reports a load fault for those, the spec a store/AMO one.
        t = self.rtmp()
        return ["li %s, %d" % (x(t), 8 * r.randrange(256)),
                "%s %s, 0(%s)" % (r.choice(["ld", "sd", "lw", "sh"]), x(self.rd()), x(t))]

    def i_fs_off(self):
        """The FPU switched off (mstatus.FS = Off) around one FP load, store,
        move or arithmetic instruction, which must trap as illegal (and is
        resumed), then switched back on (Dirty, as rt.S left it)."""
        r = self.r
        t = self.rtmp()
        csr = "mstatus" if self.mode == 0 else "sstatus"
        fp = r.choice([
            "fld %s, %d(x8)" % (f(r.randrange(32)), 8 * r.randrange(32)),
            "fsd %s, %d(x8)" % (f(r.randrange(32)), 8 * r.randrange(32)),
            "fmv.x.d %s, %s" % (x(self.rd()), f(r.randrange(32))),
            "fadd.d %s, %s, %s" % (f(r.randrange(32)), f(r.randrange(32)), f(r.randrange(32))),
            "fsgnjn.d %s, %s, %s" % (f(r.randrange(32)), f(r.randrange(32)), f(r.randrange(32))),
            "fmv.d.x %s, %s" % (f(r.randrange(32)), x(self.rs())),
            "csrr %s, fcsr" % x(self.rd()),
        ])
        return ["li %s, %d" % (x(t), 3 << 13), "csrc %s, %s" % (csr, x(t)), fp,
                "csrs %s, %s" % (csr, x(t))]

    def i_umode(self):
        """A few ALU and scratch-memory items in U-mode (M-mode programs only:
        the S-mode identity map has no U pages): mret to U, ecall back, which
        the resume handler turns into a return to M after the ecall."""
        r = self.r
        if self.mode != 0:
            return self.i_rr()
        t = self.rtmp()
        back = self.label("umode")
        saved = self.dst
        self.dst = [d for d in saved if d != t]
        body = []
        for _ in range(r.randint(1, 4)):
            body += r.choice([self.i_rr, self.i_ri, self.i_load, self.i_store, self.i_trap])()
        self.dst = saved
        return (["la %s, %s" % (x(t), back), "csrw mepc, %s" % x(t),
                 "li %s, %d" % (x(t), 3 << 11), "csrc mstatus, %s" % x(t), "mret",
                 back + ":"] + body + ["ecall"])

    # ---- control flow --------------------------------------------------
    def branch_head(self):
        """First line(s) of a forward jump to `label`, as a template."""
        r = self.r
        k = r.randrange(12)
        if k < 6:
            a = r.randrange(32)
            b = a if r.random() < 0.1 else r.randrange(32)
            return ["%s %s, %s, {L}" % (r.choice(BRANCHES), x(a), x(b))]
        if k < 8:
            return ["%s %s, {L}" % (r.choice(["c.beqz", "c.bnez"]), x(r.choice(CREGS)))]
        if k == 8:
            return ["jal %s, {L}" % x(self.rd())]
        if k == 9:
            return ["c.j {L}"]
        t = self.rtmp()
        if k == 10:  # jalr: target + 1 - 1 and the low bit cleared
            bias = r.choice([0, 1])
            return ["la %s, {L}+%d" % (x(t), bias + 4),
                    "jalr %s, %d(%s)" % (x(self.rd()), -4, x(t))]
        op = "c.jalr" if 1 in self.dst and r.random() < 0.5 else "c.jr"  # c.jalr writes x1
        return ["la %s, {L}" % x(t), "%s %s" % (op, x(t))]

    def i_loop(self):
        """A short counted loop whose body never writes the counter."""
        r = self.r
        c = self.rtmp()
        top = self.label("loop")
        saved = self.dst
        self.dst = [d for d in saved if d != c]
        self.in_loop = True
        body = self.sequence(r.randint(3, 8))
        self.in_loop = False
        self.dst = saved
        return (["li %s, %d" % (x(c), r.randint(2, 6)), top + ":"] + body +
                ["addi %s, %s, -1" % (x(c), x(c)), "bnez %s, %s" % (x(c), top)])

    ITEMS = [
        ("i_rr", 18), ("i_ri", 14), ("i_upper", 5), ("i_load", 8), ("i_store", 7),
        ("i_compressed", 14), ("i_amo", 4), ("i_lrsc", 2), ("i_fp_arith", 14),
        ("i_fp_cmp", 4), ("i_fp_cvt", 9), ("i_fp_move", 5), ("i_csr", 5),
        ("i_fence", 1), ("branch", 6), ("i_loop", 1), ("i_smc", 1),
    ]

    TRAP_ITEMS = [("i_trap", 4), ("i_umode", 2), ("i_fs_off", 1)]

    def sequence(self, n):
        """n items; forward branches land 1..4 items later, inside this sequence."""
        r = self.r
        items = self.ITEMS + (self.TRAP_ITEMS if self.traps else [])
        if self.zb:
            items = items + [("i_zb", 12)]
        names = [k for k, _ in items]
        weights = [w for _, w in items]
        out = []
        pending = []  # [items left, label]
        for _ in range(n):
            kind = r.choices(names, weights)[0]
            if self.raw_rate and r.random() < self.raw_rate:
                kind = "i_raw"
            if self.in_loop and kind in ("i_loop", "i_smc", "i_umode"):
                kind = "i_rr"
            if kind == "branch":
                lab = self.label("fwd")
                out += [l.replace("{L}", lab) for l in self.branch_head()]
                pending.append([r.randint(1, 4), lab])
            else:
                lines = getattr(self, kind)()
                if kind not in ("i_loop", "i_smc", "i_compressed", "i_umode") and r.random() < 0.25:
                    lines = [".option push", ".option norvc"] + lines + [".option pop"]
                out += lines
            for p in pending:
                p[0] -= 1
            out += [p[1] + ":" for p in pending if p[0] <= 0]
            pending = [p for p in pending if p[0] > 0]
        out += [p[1] + ":" for p in pending]
        return out

    def trap_tail(self):
        """Occasionally end the program with a trap, so trap reporting
        (mcause, mepc, mtval and the registers at the trap) is compared too."""
        r = self.r
        k = r.randrange(7)
        if k == 0:
            return ["ecall"]
        if k == 1:
            return ["ebreak"]
        if k == 2:
            return ["c.ebreak"]
        if k == 3:
            return ["c.unimp"]
        if k == 4:
            return ["csrw mhartid, %s" % x(self.rs())]
        if k == 5:  # reserved frm, then a dynamic-rounding op
            return ["csrwi frm, %d" % r.choice([5, 6, 7]),
                    "fadd.d %s, %s, %s" % (f(r.randrange(32)), f(r.randrange(32)),
                                           f(r.randrange(32)))]
        # Illegal: OP with funct7 0x7f, custom-0, mret with rs1 != 0.
        return [".word 0x%08x" % r.choice([0xfe000033, 0x0000000b, 0x30200073 | (1 << 15)])]

    # ---- whole program -------------------------------------------------
    def program(self, name):
        r = self.r
        n = r.randint(self.min_len, self.max_len)
        body = self.sequence(n)
        if r.random() < 0.06:
            body += self.trap_tail()
        xs = [0] * 32
        for i in DST_REGS:
            xs[i] = self.int_value()
        fs = [self.freg_value() for _ in range(32)]
        fcsr = (r.randrange(5) << 5) | (r.randrange(32) if r.random() < 0.3 else 0)
        mscratch = self.int_value()
        scratch = bytearray(r.getrandbits(8) for _ in range(SCRATCH_SIZE))
        for _ in range(16):  # sprinkle special values
            o = 8 * r.randrange(SCRATCH_SIZE // 8)
            v = r.choice([self.int_value(), self.freg_value(), self.f64_value()])
            scratch[o:o + 8] = struct.pack("<Q", v & M64)

        out = ["# %s: generated by tests/diff/gen.py; do not edit." % name,
               "\t.section .text", "\t.option rvc", "\t.globl diff_body", "\t.balign 4",
               "diff_body:"]
        if self.zb:
            out.insert(2, "\t.option arch, +zba, +zbb, +zbc, +zbs")
        out += ["\t" + l if not l.endswith(":") else l for l in body]
        out += ["\tj diff_end" if self.mode == 0 else "\tecall", "", "\t.section .data",
                "\t.balign 8",
                "\t.globl diff_init_x, diff_init_f, diff_init_csr, diff_scratch",
                "diff_init_x:"]
        for i in range(32):
            if i == 2:
                out.append("\t.dword diff_scratch")
            elif i == 8:
                out.append("\t.dword diff_scratch + %d" % S0_OFFSET)
            else:
                out.append("\t.dword 0x%016x" % xs[i])
        out.append("diff_init_f:")
        out += ["\t.dword 0x%016x" % v for v in fs]
        out += ["diff_init_csr:", "\t.dword 0x%x, 0x%016x, %d" % (fcsr, mscratch, self.mode)]
        if self.traps:  # the resume handler's budget: a runaway trap loop still ends
            out += ["\t.globl diff_trap_budget", "diff_trap_budget:", "\t.dword 64"]
        out += ["\t" + l if not l.endswith(":") else l for l in self.data]
        out += ["\t.balign 4096", "diff_scratch:"]
        for o in range(0, SCRATCH_SIZE, 16):
            out.append("\t.byte " + ", ".join("0x%02x" % b for b in scratch[o:o + 16]))
        return "\n".join(out) + "\n"


def program_name(seed, index, traps=False, zb=False, virt=False):
    return "rand_%s%s%s%s_%04d" % ("v" if virt else "", "t" if traps else "s", "b" if zb else "",
                                   seed, index)


def generate(seed, index, min_len=30, max_len=50, traps=False, zb=False, virt=False):
    """Return (name, assembly text) of random program `index` for `seed`;
    traps=True adds resumable traps and U-mode excursions, zb=True the
    Zba/Zbb/Zbc/Zbs instructions, virt=True runs it in VS-mode."""
    name = program_name(seed, index, traps, zb, virt)
    return name, Gen(seed, index, min_len, max_len, traps, zb, virt).program(name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", default="1")
    ap.add_argument("--index", type=int, default=0)
    ap.add_argument("--min-len", type=int, default=30)
    ap.add_argument("--max-len", type=int, default=50)
    ap.add_argument("--traps", action="store_true", help="resumable traps and U-mode")
    ap.add_argument("--zb", action="store_true", help="Zba/Zbb/Zbc/Zbs instructions")
    ap.add_argument("--virt", action="store_true", help="VS-mode over two-stage translation")
    a = ap.parse_args()
    sys.stdout.write(generate(a.seed, a.index, a.min_len, a.max_len, a.traps, a.zb,
                              a.virt)[1])


if __name__ == "__main__":
    main()
