/* Native x86-64 code for the common vector loop (V, RVV 1.0): vsetvli
 * and vsetivli with a constant vtype, unit-stride loads and stores, the
 * single-width integer ALU operations and the integer reductions the
 * list marks for the JIT, with SSE2 (SSE4.1 where the host has it, and
 * 256-bit AVX2 forms where it has that and a group is whole 32-byte chunks).
 *
 * Shape: an instruction runs natively only in the case that needs no
 * element-wise policy: VS on, vstart 0, vtype the one assumed at
 * translation (a vsetvli earlier in the block, else the hart's at
 * translation time), vl = VLMAX, unmasked, register groups legal for it
 * (checked at translation). Then every element of the group is computed
 * and there is no tail, so tail and mask policies cannot differ from the
 * interpreter's. A guard checks at run time what translation could not
 * know and sends anything else (vl < VLMAX, another vtype, VS off, a TLB
 * miss, a page crossing) to the instruction's interpreter handler on a
 * cold path: the interpreter stays the reference, traps and vstart are
 * its own. Native code marks VS dirty as v_done does.
 *
 * What translation knows of the vector state (struct jit_vknow) carries
 * from instruction to instruction of a block: any vector instruction
 * that finished, natively or through its handler, left VS on and Dirty
 * and vstart 0, and none but vset{i}vl{i} and fault-only-first loads
 * changes vtype or vl. A label (region sub-block) or any other helper
 * forgets it. Must not touch guest state other than the handler would. */
#include "cpu/hart_vec.h"
#include "cpu/jit/jit_tctx.h"
#include "cpu/jit/x64_emit_sse.h"

/* The packed operation of each ALU op by log2(SEW), 0 when SSE has none. */
static const uint32_t jv_sse[JV_MV][4] = {
    [JV_ADD] = {X64_PADDB, X64_PADDW, X64_PADDD, X64_PADDQ},
    [JV_SUB] = {X64_PSUBB, X64_PSUBW, X64_PSUBD, X64_PSUBQ},
    [JV_RSUB] = {X64_PSUBB, X64_PSUBW, X64_PSUBD, X64_PSUBQ},
    [JV_AND] = {X64_PAND, X64_PAND, X64_PAND, X64_PAND},
    [JV_OR] = {X64_POR, X64_POR, X64_POR, X64_POR},
    [JV_XOR] = {X64_PXOR, X64_PXOR, X64_PXOR, X64_PXOR},
    [JV_MINU] = {X64_PMINUB, X64_PMINUW, X64_PMINUD, 0},
    [JV_MIN] = {X64_PMINSB, X64_PMINSW, X64_PMINSD, 0},
    [JV_MAXU] = {X64_PMAXUB, X64_PMAXUW, X64_PMAXUD, 0},
    [JV_MAX] = {X64_PMAXSB, X64_PMAXSW, X64_PMAXSD, 0},
    [JV_MUL] = {0, X64_PMULLW, X64_PMULLD, 0},
    [JV_SLL] = {0, X64_PSLLW, X64_PSLLD, X64_PSLLQ},
    [JV_SRL] = {0, X64_PSRLW, X64_PSRLD, X64_PSRLQ},
    [JV_SRA] = {0, X64_PSRAW, X64_PSRAD, 0},
    [JV_MACC] = {0, X64_PMULLW, X64_PMULLD, 0},
    [JV_NMSAC] = {0, X64_PMULLW, X64_PMULLD, 0},
    [JV_MADD] = {0, X64_PMULLW, X64_PMULLD, 0},
    [JV_NMSUB] = {0, X64_PMULLW, X64_PMULLD, 0},
};

/* The operation, if the host has it (the 0F 38 ones are SSE4.1). */
static uint32_t jv_op(const struct tctx *t, unsigned op, unsigned sew_log2)
{
    uint32_t o = op < JV_MV ? jv_sse[op][sew_log2] : 0;
    if (((o >> 8) & 0xffff) == 0x0f38 && !(t->j->host & X64_HAS_SSE41)) return 0;
    return o;
}

static bool jv_vm(const struct rv_insn *i)
{
    return (i->raw >> 25) & 1;
}

/* Register r's bytes in the hart struct, + off. */
static struct x64_mem jv_reg(const struct tctx *t, unsigned r, uint32_t off)
{
    return x64_m(X64_RBX, HOFF(vec.reg) + (int32_t)(r * t->h->vec.vlenb + off));
}

/* The chunk width: 32 bytes (ymm, AVX2) when the host has it and the
 * group is made of whole chunks, else 16 (xmm, SSE). */
static unsigned jv_width(const struct tctx *t, uint32_t bytes)
{
    return (t->j->host & X64_HAS_AVX2) && bytes % 32 == 0 ? 32 : 16;
}

static void jv_ld(struct tctx *t, unsigned w, unsigned x, struct x64_mem m)
{
    if (w == 32)
        x64_vex_rm(&t->buf, X64_MOVDQU_LD, true, x, 0, m);
    else
        x64_sse_rm(&t->buf, X64_MOVDQU_LD, x, m);
}

static void jv_st(struct tctx *t, unsigned w, unsigned x, struct x64_mem m)
{
    if (w == 32)
        x64_vex_rm(&t->buf, X64_MOVDQU_ST, true, x, 0, m);
    else
        x64_sse_rm(&t->buf, X64_MOVDQU_ST, x, m);
}

/* xd = xa op xs (SSE: a copy first when xd is not xa; xd is never xs). */
static void jv_op3(struct tctx *t, unsigned w, uint32_t op, unsigned xd, unsigned xa, unsigned xs)
{
    if (w == 32) {
        x64_vex_rr(&t->buf, (enum x64_sse)op, true, xd, xa, xs);
        return;
    }
    if (xd != xa) x64_sse_rr(&t->buf, X64_MOVDQA_RR, xd, xa);
    x64_sse_rr(&t->buf, (enum x64_sse)op, xd, xs);
}

/* After 256-bit code: the upper halves zeroed for the SSE code around. */
static void jv_end(struct tctx *t, unsigned w)
{
    if (w == 32) x64_vzeroupper(&t->buf);
}

/* The vtype the instruction is translated for: the one a vsetvli of the
 * block set, else the hart's now; false when that is not a legal one. */
static bool jv_vtype(const struct tctx *t, uint64_t *vtype)
{
    uint64_t v = t->vk.vtype_known ? t->vk.vtype : t->h->vec.vtype;
    if (!vec_vtype_ok(t->h, v)) return false;
    *vtype = v;
    return true;
}

/* The guard (see the top): eax accumulates what differs from what the
 * native code assumes, a nonzero value sends instruction idx to its
 * handler. vs_only: just VS on (vset). bytes: a memory access of that
 * many bytes at rsi must stay in its page. Clobbers rax, rcx, rdx.
 * NULL when nothing needed checking. */
static struct cold *emit_guard(struct tctx *t, unsigned idx, uint64_t vtype, uint32_t bytes,
                               bool vs_only)
{
    struct x64_buf *b = &t->buf;
    const struct jit_vknow *k = &t->vk;
    bool vs = !k->vs_ok;
    bool vt = !vs_only && !(k->vtype_known && k->vtype == vtype);
    bool vl = !vs_only && (vt || !k->vlmax);
    if (!vs && !vt && !vl && !bytes) return NULL;
    x64_mov_imm(b, X64_RAX, 0);
    if (vs) { /* hart_vec_on, branch-free in V as emit_fs_check; and vstart 0 */
        x64_load_ext(b, X64_RCX, HM(virt), 1, false);
        x64_alu_ri(b, false, X64_SUB, X64_RCX, 1); /* V=0: all ones */
        x64_alu_rm(b, false, X64_OR, X64_RCX, HM(vsstatus));
        x64_alu_ri(b, false, X64_AND, X64_RCX, (int32_t)MSTATUS_VS);
        x64_load(b, false, X64_RDX, HM(mstatus));
        x64_alu_ri(b, false, X64_AND, X64_RDX, (int32_t)MSTATUS_VS);
        x64_imul_rr(b, false, X64_RCX, X64_RDX);
        x64_test_rr(b, false, X64_RCX, X64_RCX);
        x64_setcc(b, X64_CC_E, X64_RAX); /* al = 1 when off */
        if (!vs_only) x64_alu_rm(b, true, X64_OR, X64_RAX, HM(vec.vstart));
    }
    if (vt) {
        x64_load(b, true, X64_RCX, HM(vec.vtype));
        x64_alu_ri(b, true, X64_XOR, X64_RCX, (int32_t)vtype);
        x64_alu_rr(b, true, X64_OR, X64_RAX, X64_RCX);
    }
    if (vl) {
        x64_load(b, true, X64_RCX, HM(vec.vl));
        x64_alu_ri(b, true, X64_XOR, X64_RCX, (int32_t)vec_vlmax(t->h, vtype));
        x64_alu_rr(b, true, X64_OR, X64_RAX, X64_RCX);
    }
    if (bytes) { /* ((rsi & 0xfff) + bytes - 1) >> 12: 1 when it crosses */
        x64_mov_rr(b, false, X64_RCX, X64_RSI);
        x64_alu_ri(b, false, X64_AND, X64_RCX, 0xfff);
        x64_alu_ri(b, false, X64_ADD, X64_RCX, (int32_t)bytes - 1);
        x64_shift_ri(b, false, X64_SHR, X64_RCX, 12);
        x64_alu_rr(b, true, X64_OR, X64_RAX, X64_RCX);
    }
    x64_test_rr(b, true, X64_RAX, X64_RAX);
    return jit_new_cold(t, x64_jcc(b, X64_CC_NE), idx);
}

/* hart_vs_dirty (unless known done): mstatus.VS and, with V=1,
 * vsstatus.VS become Dirty. Clobbers rax. */
static void emit_vs_dirty(struct tctx *t)
{
    struct x64_buf *b = &t->buf;
    if (t->vk.vs_ok) return;
    x64_alu_mi(b, true, X64_OR, HM(mstatus), (int32_t)MSTATUS_VS);
    x64_load_ext(b, X64_RAX, HM(virt), 1, false);
    x64_neg(b, false, X64_RAX); /* V=1: all ones */
    x64_alu_ri(b, false, X64_AND, X64_RAX, (int32_t)MSTATUS_VS);
    x64_alu_rm(b, true, X64_OR, X64_RAX, HM(vsstatus));
    x64_store(b, true, HM(vsstatus), X64_RAX);
}

/* vsetvli/vsetivli with a legal vtype (6.1, vec_setvl): vl = min(AVL,
 * VLMAX), vtype, vstart = 0, VS dirty, rd = vl. rs1 = rd = x0 (keep vl)
 * and an unsupported vtype (vill) go to the handler. */
static bool emit_vset(struct tctx *t, unsigned idx, bool imm_avl)
{
    struct x64_buf *b = &t->buf;
    const struct rv_insn *i = &t->b->insns[idx];
    uint64_t vtype = (i->raw >> 20) & (imm_avl ? 0x3ff : 0x7ff);
    bool rs0 = !imm_avl && i->rs1 == 0;
    if (!vec_vtype_ok(t->h, vtype) || (rs0 && i->rd == RV_REG_SINK)) return false;
    uint64_t vlmax = vec_vlmax(t->h, vtype);
    uint64_t cvl = imm_avl ? (i->rs1 < vlmax ? i->rs1 : vlmax) : vlmax; /* when constant */
    enum x64_reg a = imm_avl || rs0 ? X64_RAX : SRC(i->rs1);
    bool fresh;
    enum x64_reg d = rc_dst(b, &t->rc, i->rd, &fresh);
    struct cold *c = emit_guard(t, idx, vtype, 0, true);
    if (c && fresh) c->skip = t->rc.slot[i->rd];
    if (imm_avl || rs0) {
        x64_mov_imm(b, X64_RAX, cvl);
    } else {
        x64_mov_rr(b, true, X64_RAX, a);
        x64_mov_imm(b, X64_RCX, vlmax);
        x64_alu_rr(b, true, X64_CMP, X64_RAX, X64_RCX);
        x64_cmov(b, X64_CC_A, X64_RAX, X64_RCX);
    }
    x64_store(b, true, HM(vec.vl), X64_RAX);
    x64_store_imm(b, true, HM(vec.vtype), (int32_t)vtype);
    if (!t->vk.vs_ok) x64_store_imm(b, true, HM(vec.vstart), 0);
    x64_mov_rr(b, true, d, X64_RAX);
    emit_vs_dirty(t);
    if (c) c->resume = x64_offset(b);
    t->vk = (struct jit_vknow){
        .vs_ok = true, .vtype_known = true, .vtype = vtype, .vlmax = imm_avl ? cvl == vlmax : rs0};
    return true;
}

/* vle<eew>.v / vse<eew>.v, unmasked, one field (7.4): the group's
 * VLMAX * EEW bytes copied 16 (32) at a time between guest memory (one page,
 * through the TLB probe) and the register file. */
static bool emit_vmem(struct tctx *t, unsigned idx, unsigned eew, bool store)
{
    struct x64_buf *b = &t->buf;
    const struct rv_insn *i = &t->b->insns[idx];
    uint64_t vtype;
    if (!jv_vm(i) || (i->raw >> 29) || !jv_vtype(t, &vtype)) return false;
    int emul = __builtin_ctz(eew) - (int)((vtype >> 3) & 7) + vec_lmul_log2(vtype);
    if (emul < -3 || emul > 3) return false;
    unsigned regs = emul > 0 ? 1u << emul : 1u;
    if ((i->rd & (regs - 1)) || i->rd + regs > 32) return false;
    uint32_t bytes =
        emul >= 0 ? (uint32_t)t->h->vec.vlenb << emul : (uint32_t)t->h->vec.vlenb >> -emul;
    if (bytes % 16 || bytes > 4096 || t->ncold + 2 > MAX_COLD) return false;
    x64_mov_rr(b, true, X64_RSI, SRC(i->rs1));
    struct cold *g = emit_guard(t, idx, vtype, bytes, false);
    struct cold *c = jit_emit_tlb_probe(t, idx, eew, store);
    unsigned w = jv_width(t, bytes);
    for (uint32_t off = 0; off < bytes; off += w) {
        struct x64_mem m = x64_mi(X64_RDX, X64_RSI, 0, (int32_t)off);
        struct x64_mem r = jv_reg(t, i->rd, off);
        jv_ld(t, w, 0, store ? r : m);
        jv_st(t, w, 0, store ? m : r);
    }
    jv_end(t, w);
    emit_vs_dirty(t);
    c->resume = x64_offset(b);
    if (g) g->resume = c->resume;
    return true;
}

/* xmm1 = the scalar operand: for a shift its count (x[rs1] or uimm5
 * mod SEW, 11.6) in the low quadword; else x[rs1] truncated to SEW
 * (11.1) or simm5, in every element. */
static void emit_scalar(struct tctx *t, const struct rv_insn *i, unsigned form, bool shift,
                        unsigned sew_log2, enum x64_reg xs)
{
    struct x64_buf *b = &t->buf;
    unsigned bits = 8u << sew_log2;
    static const uint64_t rep[4] = {0x0101010101010101ULL, 0x0001000100010001ULL,
                                    0x0000000100000001ULL, 1};
    if (shift) {
        if (form == JV_VI) {
            x64_mov_imm(b, X64_RAX, i->rs1 & (bits - 1));
        } else {
            x64_mov_rr(b, false, X64_RAX, xs);
            x64_alu_ri(b, false, X64_AND, X64_RAX, (int32_t)bits - 1);
        }
        x64_movq_xr(b, 1, X64_RAX);
        return;
    }
    if (form == JV_VI) {
        uint64_t v = (uint64_t)((int64_t)((uint64_t)i->rs1 << 59) >> 59);
        if (bits < 64) v &= (1ULL << bits) - 1;
        x64_mov_imm(b, X64_RAX, v * rep[sew_log2]);
    } else {
        if (sew_log2 < 3)
            x64_extend(b, X64_RAX, xs, 1u << sew_log2, false);
        else
            x64_mov_rr(b, true, X64_RAX, xs);
        if (sew_log2 < 3) {
            x64_mov_imm(b, X64_RCX, rep[sew_log2]);
            x64_imul_rr(b, true, X64_RAX, X64_RCX);
        }
    }
    x64_movq_xr(b, 1, X64_RAX);
    x64_sse_rr(b, X64_PUNPCKLQDQ, 1, 1);
}

/* The multiply-adds (11.13): reg 0 = vs2, 3 = vd, `m` the multiplier
 * (vs1 or the scalar); returns the register holding the result. */
static unsigned emit_madd(struct tctx *t, unsigned w, unsigned op, uint32_t mul, unsigned sew_log2,
                          unsigned m)
{
    uint32_t add = jv_sse[JV_ADD][sew_log2], sub = jv_sse[JV_SUB][sew_log2];
    jv_op3(t, w, mul, 4, m, op == JV_MACC || op == JV_NMSAC ? 0 : 3);
    switch (op) {
    case JV_MACC: jv_op3(t, w, add, 3, 3, 4); return 3;
    case JV_NMSAC: jv_op3(t, w, sub, 3, 3, 4); return 3;
    case JV_MADD: jv_op3(t, w, add, 4, 4, 0); return 4;
    default: jv_op3(t, w, sub, 0, 0, 4); return 0;
    }
}

/* The single-width integer operations (11.1, 11.5, 11.6, 11.9, 11.10,
 * 11.13, 11.16) at LMUL >= 1, a chunk at a time: vd = vs2 op (vs1 | x | imm),
 * vrsub the other way round, vmv.v.* a copy. */
static bool emit_varith(struct tctx *t, unsigned idx, unsigned op, unsigned form)
{
    struct x64_buf *b = &t->buf;
    const struct rv_insn *i = &t->b->insns[idx];
    uint64_t vtype;
    if (!jv_vm(i) || !jv_vtype(t, &vtype)) return false;
    unsigned sew_log2 = (unsigned)(vtype >> 3) & 7;
    int lmul = vec_lmul_log2(vtype);
    if (lmul < 0) return false;
    unsigned regs = 1u << lmul;
    if ((i->rd | i->rs2 | (form == JV_VV ? i->rs1 : 0)) & (regs - 1)) return false;
    bool shift = op == JV_SLL || op == JV_SRL || op == JV_SRA;
    uint32_t sop = jv_op(t, op, sew_log2);
    if (op != JV_MV && (!sop || (shift && form == JV_VV))) return false;
    if (t->ncold + 1 > MAX_COLD) return false;
    enum x64_reg xs = form == JV_VX ? SRC(i->rs1) : X64_RAX;
    struct cold *g = emit_guard(t, idx, vtype, 0, false);
    if (form != JV_VV) emit_scalar(t, i, form, shift, sew_log2, xs);
    uint32_t bytes = (uint32_t)t->h->vec.vlenb << lmul;
    unsigned w = jv_width(t, bytes);
    if (form != JV_VV && !shift && w == 32) x64_vex_rr(b, X64_VPBROADCASTQ, true, 1, 0, 1);
    for (uint32_t off = 0; off < bytes; off += w) {
        struct x64_mem vd = jv_reg(t, i->rd, off);
        unsigned res = 0;
        if (op == JV_MV) {
            if (form == JV_VV)
                jv_ld(t, w, 0, jv_reg(t, i->rs1, off));
            else
                res = 1;
        } else {
            jv_ld(t, w, 0, jv_reg(t, i->rs2, off));
            if (op == JV_RSUB) {
                jv_op3(t, w, sop, 2, 1, 0);
                res = 2;
            } else if (op >= JV_MACC) {
                jv_ld(t, w, 3, vd);
                if (form == JV_VV) jv_ld(t, w, 2, jv_reg(t, i->rs1, off));
                res = emit_madd(t, w, op, sop, sew_log2, form == JV_VV ? 2 : 1);
            } else if (form == JV_VV) {
                jv_ld(t, w, 2, jv_reg(t, i->rs1, off));
                jv_op3(t, w, sop, 0, 0, 2);
            } else {
                jv_op3(t, w, sop, 0, 0, 1);
            }
        }
        jv_st(t, w, res, vd);
    }
    jv_end(t, w);
    emit_vs_dirty(t);
    if (g) g->resume = x64_offset(b);
    return true;
}

/* The single-width integer reductions (14.1) with an operation SSE has:
 * vd[0] = vs1[0] op vs2[0..VLMAX-1], folded a chunk at a time and then
 * within the register; vd's other elements are left alone. */
static bool emit_vred(struct tctx *t, unsigned idx, unsigned op)
{
    struct x64_buf *b = &t->buf;
    const struct rv_insn *i = &t->b->insns[idx];
    uint64_t vtype;
    if (!jv_vm(i) || !jv_vtype(t, &vtype)) return false;
    unsigned sew_log2 = (unsigned)(vtype >> 3) & 7;
    int lmul = vec_lmul_log2(vtype);
    uint32_t sop = jv_op(t, op, sew_log2);
    if (lmul < 0 || !sop || (i->rs2 & ((1u << lmul) - 1)) || t->ncold + 1 > MAX_COLD) return false;
    struct cold *g = emit_guard(t, idx, vtype, 0, false);
    uint32_t bytes = (uint32_t)t->h->vec.vlenb << lmul;
    unsigned w = jv_width(t, bytes);
    jv_ld(t, w, 0, jv_reg(t, i->rs2, 0));
    for (uint32_t off = w; off < bytes; off += w) {
        jv_ld(t, w, 2, jv_reg(t, i->rs2, off));
        jv_op3(t, w, sop, 0, 0, 2);
    }
    if (w == 32) { /* the two halves, then on in xmm */
        x64_vextracti128(b, 2, 0, 1);
        x64_vzeroupper(b);
        x64_sse_rr(b, (enum x64_sse)sop, 0, 2);
    }
    for (unsigned s = 8; s >= (1u << sew_log2); s /= 2) {
        x64_sse_rr(b, X64_MOVDQA_RR, 2, 0);
        x64_psrldq(b, 2, (uint8_t)s);
        x64_sse_rr(b, (enum x64_sse)sop, 0, 2);
    }
    x64_sse_rm(b, X64_MOVDQU_LD, 2, jv_reg(t, i->rs1, 0));
    x64_sse_rr(b, (enum x64_sse)sop, 0, 2);
    x64_movq_rx(b, X64_RAX, 0);
    x64_store_sized(b, jv_reg(t, i->rd, 0), X64_RAX, 1u << sew_log2);
    emit_vs_dirty(t);
    if (g) g->resume = x64_offset(b);
    return true;
}

/* The integer compares into a mask (11.8) with VLMAX <= 64 and an SSE
 * compare for SEW: every element compared 16 bytes at a time (unsigned
 * ones with the sign bits flipped, < and <= as > the other way round or
 * inverted), the lane masks packed to bits in rcx, written as vd's first
 * VLMAX bits; its other bits (the tail) are left alone. */
static bool emit_vcmp(struct tctx *t, unsigned idx, unsigned cmp, unsigned form)
{
    static const uint32_t eq[4] = {X64_PCMPEQB, X64_PCMPEQW, X64_PCMPEQD, X64_PCMPEQQ};
    static const uint32_t gt[4] = {X64_PCMPGTB, X64_PCMPGTW, X64_PCMPGTD, X64_PCMPGTQ};
    struct x64_buf *b = &t->buf;
    const struct rv_insn *i = &t->b->insns[idx];
    uint64_t vtype;
    if (!jv_vm(i) || !jv_vtype(t, &vtype)) return false;
    unsigned sew_log2 = (unsigned)(vtype >> 3) & 7;
    int lmul = vec_lmul_log2(vtype);
    uint64_t vlmax = vec_vlmax(t->h, vtype);
    if (lmul < 0 || vlmax > 64 || t->ncold + 1 > MAX_COLD) return false;
    unsigned regs = 1u << lmul;
    /* 5.2: groups aligned; the mask may overlap a source group only as
     * its first register (what v_cmp_run checks) */
    bool over2 = i->rd != i->rs2 && i->rd >= i->rs2 && i->rd < i->rs2 + regs;
    bool over1 = form == JV_VV && i->rd != i->rs1 && i->rd >= i->rs1 && i->rd < i->rs1 + regs;
    if ((i->rs2 | (form == JV_VV ? i->rs1 : 0)) & (regs - 1) || over1 || over2) return false;
    bool eqk = cmp == JC_EQ || cmp == JC_NE;
    if (sew_log2 == 3 && !(t->j->host & (eqk ? X64_HAS_SSE41 : X64_HAS_SSE42))) return false;
    bool uns = cmp == JC_LTU || cmp == JC_LEU || cmp == JC_GTU;
    bool swap = cmp == JC_LTU || cmp == JC_LT;                /* b > a */
    bool inv = cmp == JC_NE || cmp == JC_LEU || cmp == JC_LE; /* !(a == b), !(a > b) */
    enum x64_reg xs = form == JV_VX ? SRC(i->rs1) : X64_RAX;
    struct cold *g = emit_guard(t, idx, vtype, 0, false);
    if (form != JV_VV) emit_scalar(t, i, form, false, sew_log2, xs);
    static const uint64_t signs[4] = {0x8080808080808080ULL, 0x8000800080008000ULL,
                                      0x8000000080000000ULL, 0x8000000000000000ULL};
    unsigned src = form == JV_VV ? 2 : 1;
    if (uns) { /* xmm5 = the sign bit of every element; the scalar flipped once */
        x64_mov_imm(b, X64_RAX, signs[sew_log2]);
        x64_movq_xr(b, 5, X64_RAX);
        x64_sse_rr(b, X64_PUNPCKLQDQ, 5, 5);
        if (form != JV_VV) x64_sse_rr(b, X64_PXOR, 1, 5);
    }
    x64_mov_imm(b, X64_RCX, 0);
    uint32_t bytes = (uint32_t)t->h->vec.vlenb << lmul;
    unsigned lanes = 16u >> sew_log2;
    for (uint32_t off = 0, k = 0; off < bytes; off += 16, k++) {
        x64_sse_rm(b, X64_MOVDQU_LD, 0, jv_reg(t, i->rs2, off));
        if (uns) x64_sse_rr(b, X64_PXOR, 0, 5);
        if (form == JV_VV) {
            x64_sse_rm(b, X64_MOVDQU_LD, 2, jv_reg(t, i->rs1, off));
            if (uns) x64_sse_rr(b, X64_PXOR, 2, 5);
        }
        unsigned res = 0;
        if (eqk) {
            x64_sse_rr(b, (enum x64_sse)eq[sew_log2], 0, src);
        } else if (swap) {
            x64_sse_rr(b, X64_MOVDQA_RR, 3, src);
            x64_sse_rr(b, (enum x64_sse)gt[sew_log2], 3, 0);
            res = 3;
        } else {
            x64_sse_rr(b, (enum x64_sse)gt[sew_log2], 0, src);
        }
        if (sew_log2 == 1) x64_sse_rr(b, X64_PACKSSWB, res, res); /* words to bytes */
        x64_sse_rr(b,
                   sew_log2 <= 1   ? X64_PMOVMSKB
                   : sew_log2 == 2 ? X64_MOVMSKPS
                                   : X64_MOVMSKPD,
                   X64_RAX, res);
        if (sew_log2 == 1) x64_alu_ri(b, false, X64_AND, X64_RAX, 0xff);
        if (k) x64_shift_ri(b, true, X64_SHL, X64_RAX, (uint8_t)(k * lanes));
        x64_alu_rr(b, true, X64_OR, X64_RCX, X64_RAX);
    }
    if (inv) x64_not(b, true, X64_RCX);
    struct x64_mem vd = jv_reg(t, i->rd, 0);
    if (vlmax >= 8) {
        x64_store_sized(b, vd, X64_RCX, (unsigned)vlmax / 8);
    } else { /* a part of the first byte */
        int32_t ones = (int32_t)((1u << vlmax) - 1);
        x64_load_ext(b, X64_RAX, vd, 1, false);
        x64_alu_ri(b, false, X64_AND, X64_RAX, ~ones & 0xff);
        x64_alu_ri(b, false, X64_AND, X64_RCX, ones);
        x64_alu_rr(b, false, X64_OR, X64_RAX, X64_RCX);
        x64_store_sized(b, vd, X64_RAX, 1);
    }
    emit_vs_dirty(t);
    if (g) g->resume = x64_offset(b);
    return true;
}

bool jit_emit_vec(struct tctx *t, unsigned idx, unsigned kind, unsigned a, unsigned b, unsigned c)
{
    (void)c;
    bool done;
    if (!(t->j->host & X64_HAS_SSE2)) return false;
    switch (kind) {
    case JK_vset: return emit_vset(t, idx, a);
    case JK_vmem: done = emit_vmem(t, idx, a, b); break;
    case JK_varith: done = emit_varith(t, idx, a, b); break;
    case JK_vred: done = emit_vred(t, idx, a); break;
    case JK_vcmp: done = emit_vcmp(t, idx, a, b); break;
    default: return false;
    }
    if (done) t->vk.vs_ok = true;
    return done;
}

void jit_vec_after_helper(struct tctx *t, unsigned idx)
{
    const struct rv_insn *i = &t->b->insns[idx];
    unsigned opc = i->raw & 0x7f, width = (i->raw >> 12) & 7;
    bool vec_mem = (opc == 0x07 || opc == 0x27) && (width == 0 || width >= 5);
    bool ff =
        opc == 0x07 && vec_mem && ((i->raw >> 26) & 3) == 0 && ((i->raw >> 20) & 0x1f) == 0x10;
    bool vset = opc == 0x57 && width == 7;
    if ((opc == 0x57 && !vset) || (vec_mem && !ff))
        t->vk.vs_ok = true; /* it finished: VS on and Dirty, vstart 0 */
    else
        jit_vec_forget(t);
}
