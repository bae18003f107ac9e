/* Native code for the bit-manipulation and conditional instructions
 * (Zba, Zbb, Zbs, Zicond; unpriv spec chapter 28 and 12) the list marks
 * for the JIT. Each matches the interpreter's handler in
 * interp_bitmanip.c. Host instructions beyond x86-64's baseline (popcnt,
 * lzcnt, tzcnt, andn, rorx) are used only when jit->host has them; the
 * others get a baseline sequence, or (cpop) the interpreter's handler.
 * A function returns false when it emitted nothing and the caller must
 * run the handler instead. */
#include "cpu/jit/jit_tctx.h"

/* sh1add/sh2add/sh3add (shift 1-3) and add.uw and its shifted forms
 * (uw): rd = rs2 + (rs1 << shift), rs1 zero-extended from 32 bits for uw. */
static void emit_shadd(struct tctx *t, const struct rv_insn *i, unsigned shift, bool uw)
{
    struct x64_buf *b = &t->buf;
    enum x64_reg a = SRC(i->rs1), c = SRC(i->rs2);
    if (uw) {
        x64_mov_rr(b, false, X64_RAX, a); /* a 32-bit move clears bits 63:32 */
        a = X64_RAX;
    }
    x64_lea(b, true, DST(i->rd), x64_mi(c, a, shift, 0));
}

static void emit_slli_uw(struct tctx *t, const struct rv_insn *i)
{
    struct x64_buf *b = &t->buf;
    enum x64_reg a = SRC(i->rs1);
    x64_mov_rr(b, false, X64_RAX, a);
    x64_shift_ri(b, true, X64_SHL, X64_RAX, (uint8_t)i->imm);
    x64_mov_rr(b, true, DST(i->rd), X64_RAX);
}

/* andn, orn, xnor: rs2 inverted into the operation. */
static void emit_logic_n(struct tctx *t, const struct rv_insn *i, enum x64_alu op)
{
    struct x64_buf *b = &t->buf;
    enum x64_reg a = SRC(i->rs1), c = SRC(i->rs2);
    if (op == X64_AND && (t->j->host & X64_HAS_BMI1)) {
        x64_andn(b, DST(i->rd), c, a);
        return;
    }
    if (op == X64_XOR) {
        x64_mov_rr(b, true, X64_RAX, a);
        x64_alu_rr(b, true, X64_XOR, X64_RAX, c);
        x64_not(b, true, X64_RAX);
    } else {
        x64_mov_rr(b, true, X64_RAX, c);
        x64_not(b, true, X64_RAX);
        x64_alu_rr(b, true, op, X64_RAX, a);
    }
    x64_mov_rr(b, true, DST(i->rd), X64_RAX);
}

/* clz, ctz, cpop and their W forms. The result of a zero source is the
 * width, which lzcnt and tzcnt give; bsr/bsf leave it undefined, so a
 * cmov puts the width in. */
static bool emit_count(struct tctx *t, const struct rv_insn *i, enum x64_bitcnt op, bool w32)
{
    struct x64_buf *b = &t->buf;
    unsigned host = t->j->host;
    bool w = !w32;
    unsigned width = w32 ? 32 : 64;
    if (op == X64_POPCNT && !(host & X64_HAS_POPCNT)) return false;
    enum x64_reg a = SRC(i->rs1);
    bool native = op == X64_POPCNT || (op == X64_LZCNT && (host & X64_HAS_LZCNT)) ||
                  (op == X64_TZCNT && (host & X64_HAS_BMI1));
    if (native) {
        x64_bitcnt(b, w, op, X64_RAX, a);
    } else if (op == X64_LZCNT) { /* width-1 - bsr, or width: (2*width-1) ^ (width-1) */
        x64_bitcnt(b, w, X64_BSR, X64_RAX, a);
        x64_mov_imm(b, X64_RCX, 2 * width - 1);
        x64_cmov(b, X64_CC_E, X64_RAX, X64_RCX);
        x64_alu_ri(b, w, X64_XOR, X64_RAX, (int32_t)width - 1);
    } else {
        x64_bitcnt(b, w, X64_BSF, X64_RAX, a);
        x64_mov_imm(b, X64_RCX, width);
        x64_cmov(b, X64_CC_E, X64_RAX, X64_RCX);
    }
    /* A 32-bit result is at most 32: its upper half must read zero. */
    x64_mov_rr(b, w, DST(i->rd), X64_RAX);
    return true;
}

/* max, maxu, min, minu: rd = rs1, replaced by rs2 when cc holds for
 * (rs1, rs2). */
static void emit_minmax(struct tctx *t, const struct rv_insn *i, enum x64_cc cc)
{
    struct x64_buf *b = &t->buf;
    enum x64_reg a = SRC(i->rs1), c = SRC(i->rs2);
    x64_mov_rr(b, true, X64_RAX, a);
    x64_alu_rr(b, true, X64_CMP, a, c);
    x64_cmov(b, cc, X64_RAX, c);
    x64_mov_rr(b, true, DST(i->rd), X64_RAX);
}

/* Rotations: by rs2 (rcx, which x86 masks as RISC-V does) or by an
 * immediate (rorx when the host has it); W forms rotate the low word and
 * sign-extend it. */
static void emit_rot(struct tctx *t, const struct rv_insn *i, enum x64_shift op, bool imm, bool w32)
{
    struct x64_buf *b = &t->buf;
    if (imm && (t->j->host & X64_HAS_BMI2)) {
        enum x64_reg a = SRC(i->rs1);
        if (w32) {
            x64_rorx(b, false, X64_RAX, a, (uint8_t)i->imm);
            x64_movsxd(b, DST(i->rd), X64_RAX);
        } else {
            x64_rorx(b, true, DST(i->rd), a, (uint8_t)i->imm);
        }
        return;
    }
    jit_emit_shift_rax(t, i, op, imm, w32);
}

static void emit_rev8(struct tctx *t, const struct rv_insn *i)
{
    struct x64_buf *b = &t->buf;
    x64_mov_rr(b, true, X64_RAX, SRC(i->rs1));
    x64_bswap(b, X64_RAX);
    x64_mov_rr(b, true, DST(i->rd), X64_RAX);
}

/* bset, bclr, binv, bext and their immediate forms (index mod 64, as the
 * register form of bts/btr/btc/bt takes it). */
static void emit_bit(struct tctx *t, const struct rv_insn *i, enum x64_bt op, bool imm)
{
    struct x64_buf *b = &t->buf;
    enum x64_reg a = SRC(i->rs1);
    enum x64_reg c = imm ? X64_RAX : SRC(i->rs2);
    if (op == X64_BT) {
        if (imm)
            x64_bt_ri(b, op, a, (uint8_t)i->imm);
        else
            x64_bt_rr(b, op, a, c);
        x64_setcc(b, X64_CC_B, X64_RAX);
        x64_movzx8(b, DST(i->rd), X64_RAX);
        return;
    }
    x64_mov_rr(b, true, X64_RAX, a);
    if (imm)
        x64_bt_ri(b, op, X64_RAX, (uint8_t)i->imm);
    else
        x64_bt_rr(b, op, X64_RAX, c);
    x64_mov_rr(b, true, DST(i->rd), X64_RAX);
}

/* czero.eqz (cc E) and czero.nez (cc NE): rd = rs1, or 0 when rs2 is
 * (not) zero. */
static void emit_czero(struct tctx *t, const struct rv_insn *i, enum x64_cc cc)
{
    struct x64_buf *b = &t->buf;
    enum x64_reg a = SRC(i->rs1), c = SRC(i->rs2);
    x64_alu_rr(b, false, X64_XOR, X64_RCX, X64_RCX);
    x64_mov_rr(b, true, X64_RAX, a);
    x64_test_rr(b, true, c, c);
    x64_cmov(b, cc, X64_RAX, X64_RCX);
    x64_mov_rr(b, true, DST(i->rd), X64_RAX);
}

bool jit_emit_bit(struct tctx *t, const struct rv_insn *i, unsigned kind, unsigned a, unsigned b,
                  unsigned c)
{
    switch (kind) {
    case JK_shadd: emit_shadd(t, i, a, b); return true;
    case JK_slli_uw: emit_slli_uw(t, i); return true;
    case JK_logic_n: emit_logic_n(t, i, (enum x64_alu)a); return true;
    case JK_count: return emit_count(t, i, (enum x64_bitcnt)a, b);
    case JK_minmax: emit_minmax(t, i, (enum x64_cc)a); return true;
    case JK_ext: {
        struct x64_buf *buf = &t->buf;
        enum x64_reg s = rc_src(buf, &t->rc, i->rs1);
        x64_extend(buf, rc_dst(buf, &t->rc, i->rd, NULL), s, a, b);
        return true;
    }
    case JK_rot: emit_rot(t, i, (enum x64_shift)a, b, c); return true;
    case JK_rev8: emit_rev8(t, i); return true;
    case JK_bit: emit_bit(t, i, (enum x64_bt)a, b); return true;
    case JK_czero: emit_czero(t, i, (enum x64_cc)a); return true;
    default: return false;
    }
}
