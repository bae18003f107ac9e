/* The native emitters of the instructions that compute (jit_tctx.h):
 * integer ALU, shifts, compares, multiplies and divides, loads and stores
 * through the inline TLB probe, FP loads/stores and the FP bit moves.
 * Each follows the interpreter handler of the same instruction exactly;
 * whatever may trap goes to a cold path that runs that handler. Nothing
 * here ends a block. */
#include "cpu/jit/jit_tctx.h"

/* rsi = rs1 + imm, the effective address. */
static void emit_ea(struct tctx *t, const struct rv_insn *i)
{
    struct x64_buf *b = &t->buf;
    if (i->imm)
        x64_lea(b, true, X64_RSI, x64_m(SRC(i->rs1), i->imm));
    else
        x64_mov_rr(b, true, X64_RSI, SRC(i->rs1));
}

/* The inline TLB probe (interp_load/interp_store's fast path, tlb_lookup):
 * rdx = the entry's addend on a hit. Way 0 is compared inline; on a miss
 * there the cold path compares way 1 first (jit_emit_tlb_way1), so a hit
 * in either way runs native code and the inline path is as long as with
 * one way. A misaligned access (whose low bits make the tag differ) comes
 * back from the cold path when it stays within a page whose entry is in
 * either way; anything else runs the handler. */
static struct cold *emit_tlb_probe(struct tctx *t, unsigned idx, unsigned size, bool write)
{
    struct x64_buf *b = &t->buf;
    int32_t base = write ? TLB_SLOTS * 16 : 0;
    x64_load(b, true, X64_RAX, HM(dtlb));
    x64_mov_rr(b, false, X64_RCX, X64_RSI);
    x64_shift_ri(b, false, X64_SHR, X64_RCX, TLB_ROW_SHIFT);
    x64_alu_ri(b, false, X64_AND, X64_RCX, TLB_ROW_MASK);
    x64_mov_rr(b, true, X64_RDX, X64_RSI);
    x64_alu_ri(b, true, X64_AND, X64_RDX, (int32_t)(0xfffff000u | (size - 1)));
    x64_alu_rm(b, true, X64_CMP, X64_RDX, x64_mi(X64_RAX, X64_RCX, 0, base));
    struct cold *c = jit_new_cold(t, x64_jcc(b, X64_CC_NE), idx);
    c->misaligned_size = size;
    c->tlb_off = base;
    c->hit = x64_offset(b);
    if (write) t->wrote = true;
    x64_load(b, true, X64_RDX, x64_mi(X64_RAX, X64_RCX, 0, base + 8));
    c->way1 = base + TLB_WAY1;
    c->back = x64_offset(b);
    return c;
}

void jit_emit_tlb_way1(struct tctx *t, const struct cold *c)
{
    struct x64_buf *b = &t->buf;
    x64_alu_rm(b, true, X64_CMP, X64_RDX, x64_mi(X64_RAX, X64_RCX, 0, c->way1));
    size_t miss = x64_jcc(b, X64_CC_NE);
    x64_load(b, true, X64_RDX, x64_mi(X64_RAX, X64_RCX, 0, c->way1 + 8));
    size_t back = x64_jmp(b);
    if (!b->full) x64_patch_rel32(jit_at(t, back), jit_at(t, c->back));
    jit_land(t, miss);
}

void jit_emit_load(struct tctx *t, unsigned idx, unsigned size, bool sign)
{
    struct x64_buf *b = &t->buf;
    const struct rv_insn *i = &t->b->insns[idx];
    emit_ea(t, i);
    /* rd's register is taken before the probe, so an eviction it causes
     * happens on both paths. */
    bool fresh;
    enum x64_reg d = rc_dst(b, &t->rc, i->rd, &fresh);
    struct cold *c = emit_tlb_probe(t, idx, size, false);
    if (fresh) c->skip = t->rc.slot[i->rd];
    x64_load_ext(b, d, x64_mi(X64_RDX, X64_RSI, 0, 0), size, sign);
    c->resume = x64_offset(b);
}

void jit_emit_store(struct tctx *t, unsigned idx, unsigned size)
{
    struct x64_buf *b = &t->buf;
    const struct rv_insn *i = &t->b->insns[idx];
    emit_ea(t, i);
    enum x64_reg v = SRC(i->rs2);
    struct cold *c = emit_tlb_probe(t, idx, size, true);
    x64_store_sized(b, x64_mi(X64_RDX, X64_RSI, 0, 0), v, size);
    c->resume = x64_offset(b);
}

/* The FS gate of hart_fp_on: mstatus.FS Off, or with V=1 vsstatus.FS Off
 * (priv spec 8.2.10), sends the instruction to the cold path, whose
 * handler raises the illegal instruction. Branch-free in V: ecx is
 * vsstatus.FS with V=1 and a nonzero stand-in with V=0, and the product
 * of the two fields is zero when either is. Clobbers rax and rcx. */
static struct cold *emit_fs_check(struct tctx *t, unsigned idx)
{
    struct x64_buf *b = &t->buf;
    x64_load_ext(b, X64_RCX, HM(virt), 1, false);
    x64_alu_ri(b, false, X64_SUB, X64_RCX, 1); /* V=0: all ones */
    x64_alu_rm(b, false, X64_OR, X64_RCX, HM(vsstatus));
    x64_alu_ri(b, false, X64_AND, X64_RCX, (int32_t)MSTATUS_FS);
    x64_load(b, false, X64_RAX, HM(mstatus));
    x64_alu_ri(b, false, X64_AND, X64_RAX, (int32_t)MSTATUS_FS);
    x64_imul_rr(b, false, X64_RAX, X64_RCX); /* fits: each is at most 3 << 13 */
    x64_test_rr(b, false, X64_RAX, X64_RAX);
    return jit_new_cold(t, x64_jcc(b, X64_CC_E), idx);
}

/* hart_fs_dirty: mstatus.FS and, with V=1, vsstatus.FS become Dirty
 * (vsstatus is stored back unchanged with V=0). Clobbers rax. */
static void emit_fs_dirty(struct tctx *t)
{
    struct x64_buf *b = &t->buf;
    x64_alu_mi(b, true, X64_OR, HM(mstatus), (int32_t)MSTATUS_FS);
    x64_load_ext(b, X64_RAX, HM(virt), 1, false);
    x64_neg(b, false, X64_RAX); /* V=1: all ones */
    x64_alu_ri(b, false, X64_AND, X64_RAX, (int32_t)MSTATUS_FS);
    x64_alu_rm(b, true, X64_OR, X64_RAX, HM(vsstatus));
    x64_store(b, true, HM(vsstatus), X64_RAX);
}

/* Sign injection on doubles (unpriv spec 13.7 via 11.6): bit operations,
 * no flags. k: 0 sgnj, 1 sgnjn, 2 sgnjx. */
void jit_emit_fsgnj_d(struct tctx *t, unsigned idx, int k)
{
    struct x64_buf *b = &t->buf;
    const struct rv_insn *i = &t->b->insns[idx];
    struct cold *off = emit_fs_check(t, idx);
    x64_load(b, true, X64_RAX, FM(i->rs1));
    x64_load(b, true, X64_RCX, FM(i->rs2));
    if (k == 1) x64_alu_ri(b, true, X64_XOR, X64_RCX, -1);
    if (k == 2) x64_alu_rr(b, true, X64_XOR, X64_RCX, X64_RAX);
    x64_mov_imm(b, X64_RDX, 0x7fffffffffffffffULL);
    x64_alu_rr(b, true, X64_AND, X64_RAX, X64_RDX);
    x64_alu_ri(b, true, X64_XOR, X64_RDX, -1); /* the sign bit */
    x64_alu_rr(b, true, X64_AND, X64_RCX, X64_RDX);
    x64_alu_rr(b, true, X64_OR, X64_RAX, X64_RCX);
    x64_store(b, true, FM(i->rd), X64_RAX);
    emit_fs_dirty(t);
    off->resume = x64_offset(b);
}

/* fmv.x.d / fmv.d.x: bit copies; only the move into f marks FS dirty. */
void jit_emit_fmv_d(struct tctx *t, unsigned idx, bool to_x)
{
    struct x64_buf *b = &t->buf;
    const struct rv_insn *i = &t->b->insns[idx];
    if (to_x) {
        bool fresh;
        enum x64_reg d = rc_dst(b, &t->rc, i->rd, &fresh);
        struct cold *off = emit_fs_check(t, idx);
        if (fresh) off->skip = t->rc.slot[i->rd];
        x64_load(b, true, d, FM(i->rs1));
        off->resume = x64_offset(b);
        return;
    }
    enum x64_reg v = SRC(i->rs1);
    struct cold *off = emit_fs_check(t, idx);
    x64_store(b, true, FM(i->rd), v);
    emit_fs_dirty(t);
    off->resume = x64_offset(b);
}

/* FP loads and stores (unpriv spec 12.5, 13.3): the interpreter's handler
 * when the FP unit is off (illegal instruction) or the TLB misses; a load
 * NaN-boxes a single and marks FS dirty, as interp_flw/interp_fld do. */
void jit_emit_fp_access(struct tctx *t, unsigned idx, unsigned size, bool store)
{
    struct x64_buf *b = &t->buf;
    const struct rv_insn *i = &t->b->insns[idx];
    struct cold *off = emit_fs_check(t, idx);
    emit_ea(t, i);
    struct cold *c = emit_tlb_probe(t, idx, size, store);
    if (store) {
        x64_load(b, true, X64_RAX, FM(i->rs2));
        x64_store_sized(b, x64_mi(X64_RDX, X64_RSI, 0, 0), X64_RAX, size);
    } else {
        x64_load_ext(b, X64_RAX, x64_mi(X64_RDX, X64_RSI, 0, 0), size, false);
        if (size == 4) {
            x64_mov_imm(b, X64_RCX, 0xffffffff00000000ULL);
            x64_alu_rr(b, true, X64_OR, X64_RAX, X64_RCX);
        }
        x64_store(b, true, FM(i->rd), X64_RAX);
        emit_fs_dirty(t);
    }
    c->resume = off->resume = x64_offset(b);
}

/* x0 as an operand of add, or, xor (li, mv, c.mv): rd is a constant or a
 * copy. Returns false for any other case. */
static bool emit_alu_x0(struct tctx *t, const struct rv_insn *i, enum x64_alu op, bool imm,
                        bool w32)
{
    struct x64_buf *b = &t->buf;
    if (op != X64_ADD && op != X64_OR && op != X64_XOR) return false;
    if (imm && i->rs1 == 0) { /* a 12-bit immediate: the same sign-extended in 32 or 64 bits */
        x64_mov_imm(b, DST(i->rd), (uint64_t)(int64_t)i->imm);
        return true;
    }
    if (imm || (i->rs1 != 0 && i->rs2 != 0)) return false;
    enum x64_reg s = SRC(i->rs1 ? i->rs1 : i->rs2);
    enum x64_reg d = DST(i->rd);
    if (w32)
        x64_movsxd(b, d, s);
    else if (d != s)
        x64_mov_rr(b, true, d, s);
    return true;
}

/* rd = op(rs1, rs2) or op(rs1, imm); w32 sign-extends a 32-bit result. */
void jit_emit_alu(struct tctx *t, const struct rv_insn *i, enum x64_alu op, bool imm, bool w32)
{
    struct x64_buf *b = &t->buf;
    if (emit_alu_x0(t, i, op, imm, w32)) return;
    enum x64_reg a = SRC(i->rs1);
    enum x64_reg c = imm ? X64_RAX : SRC(i->rs2);
    enum x64_reg d = DST(i->rd);
    if (!w32 && d == a) {
        if (imm)
            x64_alu_ri(b, true, op, d, i->imm);
        else
            x64_alu_rr(b, true, op, d, c);
        return;
    }
    if (w32 && op == X64_ADD && imm && i->imm == 0) { /* sext.w */
        x64_movsxd(b, d, a);
        return;
    }
    /* Three-operand add (addi/add, addiw/addw, mv, li) is one lea. */
    if (op == X64_ADD) {
        struct x64_mem m = imm ? x64_m(a, i->imm) : x64_mi(a, c, 0, 0);
        if (w32) {
            x64_lea(b, false, X64_RAX, m);
            x64_movsxd(b, d, X64_RAX);
        } else {
            x64_lea(b, true, d, m);
        }
        return;
    }
    if (!w32 && (imm || d != c)) { /* rd = rs1 first: rd is neither source after */
        x64_mov_rr(b, true, d, a);
        if (imm)
            x64_alu_ri(b, true, op, d, i->imm);
        else
            x64_alu_rr(b, true, op, d, c);
        return;
    }
    if (!w32 && op != X64_SUB) { /* rd == rs2, commutative */
        x64_alu_rr(b, true, op, d, a);
        return;
    }
    x64_mov_rr(b, !w32, X64_RAX, a);
    if (imm)
        x64_alu_ri(b, !w32, op, X64_RAX, i->imm);
    else
        x64_alu_rr(b, !w32, op, X64_RAX, c);
    if (w32)
        x64_movsxd(b, d, X64_RAX);
    else
        x64_mov_rr(b, true, d, X64_RAX);
}

void jit_emit_shift_rax(struct tctx *t, const struct rv_insn *i, enum x64_shift op, bool imm,
                        bool w32)
{
    struct x64_buf *b = &t->buf;
    enum x64_reg a = SRC(i->rs1);
    /* x86 masks the count in CL to 6 (5) bits as RISC-V does. */
    if (!imm) x64_mov_rr(b, false, X64_RCX, SRC(i->rs2));
    x64_mov_rr(b, !w32, X64_RAX, a);
    if (imm)
        x64_shift_ri(b, !w32, op, X64_RAX, (uint8_t)i->imm);
    else
        x64_shift_cl(b, !w32, op, X64_RAX);
    enum x64_reg d = DST(i->rd);
    if (w32)
        x64_movsxd(b, d, X64_RAX);
    else
        x64_mov_rr(b, true, d, X64_RAX);
}

void jit_emit_shift(struct tctx *t, const struct rv_insn *i, enum x64_shift op, bool imm, bool w32)
{
    if (imm && !w32) { /* in place in rd */
        struct x64_buf *b = &t->buf;
        enum x64_reg a = SRC(i->rs1), d = DST(i->rd);
        if (d != a) x64_mov_rr(b, true, d, a);
        x64_shift_ri(b, true, op, d, (uint8_t)i->imm);
        return;
    }
    jit_emit_shift_rax(t, i, op, imm, w32);
}

void jit_emit_set(struct tctx *t, const struct rv_insn *i, enum x64_cc cc, bool imm)
{
    struct x64_buf *b = &t->buf;
    enum x64_reg a = SRC(i->rs1);
    if (imm)
        x64_alu_ri(b, true, X64_CMP, a, i->imm);
    else
        x64_alu_rr(b, true, X64_CMP, a, SRC(i->rs2));
    enum x64_reg d = DST(i->rd);
    x64_setcc(b, cc, X64_RAX);
    x64_movzx8(b, d, X64_RAX);
}

void jit_emit_mul(struct tctx *t, const struct rv_insn *i, bool w32)
{
    struct x64_buf *b = &t->buf;
    enum x64_reg a = SRC(i->rs1), c = SRC(i->rs2), d = DST(i->rd);
    x64_mov_rr(b, !w32, X64_RAX, a);
    x64_imul_rr(b, !w32, X64_RAX, c);
    if (w32)
        x64_movsxd(b, d, X64_RAX);
    else
        x64_mov_rr(b, true, d, X64_RAX);
}

void jit_emit_mulh(struct tctx *t, const struct rv_insn *i, bool sign)
{
    struct x64_buf *b = &t->buf;
    enum x64_reg a = SRC(i->rs1), c = SRC(i->rs2), d = DST(i->rd);
    x64_mov_rr(b, true, X64_RAX, a);
    x64_mul_wide(b, sign, c);
    x64_mov_rr(b, true, d, X64_RDX);
}

/* Divides and remainders (unpriv spec table 13.1), which x86 traps on: a
 * zero divisor gives all ones (quotient) or the dividend (remainder); a
 * signed divide by -1, the only overflow case, gives the negated dividend
 * (wrapping) and remainder 0. w32 divides the low words and sign-extends. */
void jit_emit_div(struct tctx *t, const struct rv_insn *i, bool sign, bool rem, bool w32)
{
    struct x64_buf *b = &t->buf;
    bool w = !w32;
    enum x64_reg a = SRC(i->rs1), c = SRC(i->rs2), d = DST(i->rd);
    x64_mov_rr(b, w, X64_RAX, a);
    x64_test_rr(b, w, c, c);
    size_t zero = x64_jcc(b, X64_CC_E), minus1_done = 0;
    if (sign) {
        x64_alu_ri(b, w, X64_CMP, c, -1);
        size_t normal = x64_jcc(b, X64_CC_NE);
        if (rem)
            x64_alu_rr(b, false, X64_XOR, X64_RAX, X64_RAX);
        else
            x64_neg(b, w, X64_RAX);
        minus1_done = x64_jmp(b);
        jit_land(t, normal);
        x64_cqo(b, w);
    } else {
        x64_alu_rr(b, false, X64_XOR, X64_RDX, X64_RDX);
    }
    x64_div(b, w, sign, c);
    if (rem) x64_mov_rr(b, true, X64_RAX, X64_RDX);
    size_t done = x64_jmp(b);
    jit_land(t, zero);
    if (!rem) x64_mov_imm(b, X64_RAX, ~0ULL); /* a remainder is the dividend, already in rax */
    jit_land(t, done);
    if (sign) jit_land(t, minus1_done);
    if (w32)
        x64_movsxd(b, d, X64_RAX);
    else
        x64_mov_rr(b, true, d, X64_RAX);
}

/* slli rd, rs, k then srli/srai rd, rd, k with k = 32, 48 or 56: the
 * compiler's zero- and sign-extensions (zext.w, zext.h, sext.h, sext.b
 * without Zbb) as one move. Neither can trap and nothing sees the state
 * between them. Returns whether it emitted instructions idx and idx+1. */
bool jit_emit_extend_pair(struct tctx *t, unsigned idx)
{
    const struct rv_insn *i = &t->b->insns[idx], *j = &t->b->insns[idx + 1];
    if (idx + 1 >= t->b->n || i->op != RV_OP_slli || (j->op != RV_OP_srli && j->op != RV_OP_srai) ||
        j->rs1 != i->rd || j->rd != i->rd || j->imm != i->imm || i->rd == RV_REG_SINK)
        return false;
    unsigned size = i->imm == 32 ? 4 : i->imm == 48 ? 2 : i->imm == 56 ? 1 : 0;
    if (!size) return false;
    struct x64_buf *b = &t->buf;
    enum x64_reg a = SRC(i->rs1), d = DST(i->rd);
    x64_extend(b, d, a, size, j->op == RV_OP_srai);
    return true;
}
/* The inline TLB probe for the other emitter files (jit_emit_vec.c): the
 * address in rsi, rdx = the addend on a hit, a miss to the returned cold
 * path. */
struct cold *jit_emit_tlb_probe(struct tctx *t, unsigned idx, unsigned size, bool write)
{
    return emit_tlb_probe(t, idx, size, write);
}

/* fence (unprivileged spec 2.7) runs inline, not through the handler: it
 * is on every spinlock and barrier of a kernel (30 a timer tick in Linux
 * 6.1), and a helper call is a few cache misses when the tick finds the
 * host's caches cold. x86's TSO keeps every order a fence asks for except
 * an earlier store before a later load, so only a fence ordering writes
 * (W, or O: device output is a store here, MMIO being a call on the hart's
 * own thread) before reads (R, or I) needs mfence, as the interpreter's
 * sequentially consistent fence is; fence.tso (fm 1000 with RW,RW) asks
 * for nothing more than TSO. */
void jit_emit_fence(struct tctx *t, const struct rv_insn *i)
{
    unsigned fm = i->raw >> 28, pred = i->raw >> 24 & 15, succ = i->raw >> 20 & 15;
    if (fm == 8 && pred == 3 && succ == 3) return;
    if ((pred & 5) && (succ & 10)) x64_mfence(&t->buf);
}
