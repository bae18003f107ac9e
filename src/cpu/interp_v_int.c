/* The vector integer arithmetic instructions (unpriv spec V chapter 11:
 * add/sub, logic, shifts, narrowing shifts, compares, min/max, multiply,
 * divide, multiply-add, widening forms, carry, merge and move, integer
 * extension) and Zvbb's (vector crypto spec: vandn, rotates, vwsll, bit
 * and byte reversal, counts). Each row's handler names its shape (one
 * walker per shape: single-width, multiply-add, compare, carry, merge,
 * widening, narrowing, extension, unary) and its operation; the element
 * arithmetic is v_alu() and friends on zero-extended SEW-bit values. The
 * walkers follow interp_v.h's contract: operand checks first, elements
 * vstart..vl-1, inactive and tail elements undisturbed. */
#include "cpu/interp_v.h"

/* Where the second operand comes from: vs1, x[rs1], simm5, or an
 * unsigned immediate (shift amounts: uimm5; vror.vi: uimm6). */
enum v_src { V, X, I, U5, U6 };

enum v_op {
    ADD,
    SUB,
    RSUB,
    MINU,
    MIN,
    MAXU,
    MAX,
    AND,
    OR,
    XOR,
    ANDN,
    SLL,
    SRL,
    SRA,
    ROL,
    ROR,
    DIVU,
    DIV,
    REMU,
    REM,
    MUL,
    MULH,
    MULHU,
    MULHSU,
    MADD,
    NMSUB,
    MACC,
    NMSAC,
    EQ,
    NE,
    LTU,
    LT,
    LEU,
    LE,
    GTU,
    GT,
    ADDU,
    SUBU,
    MULU,
    MULSU,
    MULUS,
    MERGE,
    MOVE,
    Z2,
    Z4,
    Z8,
    S2,
    S4,
    S8,
    BREV8,
    REV8,
    BREV,
    CLZ,
    CTZ,
    CPOP,
};

static uint64_t v_ones(unsigned esz)
{
    return esz >= 8 ? ~0ULL : (1ULL << (8 * esz)) - 1;
}

static int64_t v_sext(uint64_t x, unsigned esz)
{
    unsigned sh = 64 - 8 * esz;
    return (int64_t)(x << sh) >> sh;
}

static bool v_is_shift(enum v_op op)
{
    return op == SLL || op == SRL || op == SRA || op == ROL || op == ROR;
}

/* The second operand of element k, truncated to esz bytes: vs1[k], x[rs1]
 * (11.1: truncated or sign-extended to SEW) or the immediate. */
static uint64_t v_op1(struct rv_hart *h, const struct rv_insn *i, enum v_src src, uint64_t k,
                      unsigned esz)
{
    switch (src) {
    case V: return v_get(h, i->rs1, k, esz);
    case X: return h->x[i->rs1] & v_ones(esz);
    case I: return (uint64_t)((int64_t)((uint64_t)i->rs1 << 59) >> 59) & v_ones(esz);
    case U5: return i->rs1;
    default: return i->rs1 | ((i->raw >> 26) & 1) << 5;
    }
}

/* High half of the 2*SEW-bit product (11.10): unsigned x unsigned in
 * unsigned 128-bit arithmetic, a signed operand in signed (it fits). */
static uint64_t v_mulh(int64_t a, int64_t b, bool as, bool bs, unsigned esz)
{
    if (!as && !bs) return (uint64_t)(((unsigned __int128)(uint64_t)a * (uint64_t)b) >> (8 * esz));
    __int128 x = as ? (__int128)a : (__int128)(uint64_t)a;
    __int128 y = bs ? (__int128)b : (__int128)(uint64_t)b;
    return (uint64_t)((unsigned __int128)(x * y) >> (8 * esz));
}

/* A single-width operation on zero-extended SEW-bit a (vs2) and b. */
static uint64_t v_alu(enum v_op op, uint64_t a, uint64_t b, unsigned esz)
{
    unsigned bits = 8 * esz, sh = (unsigned)b & (bits - 1);
    int64_t sa = v_sext(a, esz), sb = v_sext(b, esz);
    switch (op) {
    case ADD: return a + b;
    case SUB: return a - b;
    case RSUB: return b - a;
    case MINU: return a < b ? a : b;
    case MIN: return sa < sb ? a : b;
    case MAXU: return a > b ? a : b;
    case MAX: return sa > sb ? a : b;
    case AND: return a & b;
    case OR: return a | b;
    case XOR: return a ^ b;
    case ANDN: return a & ~b;
    case SLL: return a << sh;
    case SRL: return a >> sh;
    case SRA: return (uint64_t)(sa >> sh);
    case ROL: return sh ? (a << sh | a >> (bits - sh)) : a;
    case ROR: return sh ? (a >> sh | a << (bits - sh)) : a;
    /* 11.11: x / 0 = all ones, x % 0 = x; the signed overflow gives the
     * dividend and remainder 0 */
    case DIVU: return b ? a / b : ~0ULL;
    case REMU: return b ? a % b : a;
    case DIV:
        if (!b) return ~0ULL;
        if (sb == -1) return (uint64_t)0 - a;
        return (uint64_t)(sa / sb);
    case REM:
        if (!b) return a;
        if (sb == -1) return 0;
        return (uint64_t)(sa % sb);
    case MUL: return a * b;
    case MULH: return v_mulh(sa, sb, true, true, esz);
    case MULHU: return v_mulh((int64_t)a, (int64_t)b, false, false, esz);
    case MULHSU: return v_mulh(sa, (int64_t)b, true, false, esz);
    default: return 0;
    }
}

/* A compare (11.8) of a (vs2) with b. */
static bool v_cmp(enum v_op op, uint64_t a, uint64_t b, unsigned esz)
{
    int64_t sa = v_sext(a, esz), sb = v_sext(b, esz);
    switch (op) {
    case EQ: return a == b;
    case NE: return a != b;
    case LTU: return a < b;
    case LT: return sa < sb;
    case LEU: return a <= b;
    case LE: return sa <= sb;
    case GTU: return a > b;
    default: return sa > sb; /* GT */
    }
}

/* The usual single-width register checks (5.2, 5.3): groups aligned to
 * LMUL, and v0 not the destination of a masked operation. */
static bool v_sss_ok(const struct rv_insn *i, const struct v_cfg *c, enum v_src src)
{
    return v_group_ok(i->rd, c->lmul) && v_group_ok(i->rs2, c->lmul) &&
           (src != V || v_group_ok(i->rs1, c->lmul)) && v_mask_dest_ok(i, i->rd);
}

/* A mask destination may overlap a source group only as that group's
 * first register (5.2: the lowest-numbered part). */
static bool v_mask_over_ok(unsigned vd, unsigned vs, int lmul)
{
    return vd == vs || !v_overlap(vd, 1, vs, v_regs(lmul));
}

static int v_bin(struct rv_hart *h, const struct rv_insn *i, enum v_op op, enum v_src src)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || !v_sss_ok(i, &c, src)) return interp_illegal(h, i);
    if (src == I && v_is_shift(op)) src = U5;
    for (uint64_t k = c.vstart; k < c.vl; k++)
        if (v_active(h, i, k))
            v_set(h, i->rd, k, c.esz,
                  v_alu(op, v_get(h, i->rs2, k, c.esz), v_op1(h, i, src, k, c.esz), c.esz));
    return v_done(h, i);
}

/* vmacc, vnmsac, vmadd, vnmsub (11.13). */
static int v_madd(struct rv_hart *h, const struct rv_insn *i, enum v_op op, enum v_src src)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || !v_sss_ok(i, &c, src)) return interp_illegal(h, i);
    for (uint64_t k = c.vstart; k < c.vl; k++) {
        if (!v_active(h, i, k)) continue;
        uint64_t a = v_get(h, i->rs2, k, c.esz), b = v_op1(h, i, src, k, c.esz);
        uint64_t d = v_get(h, i->rd, k, c.esz), r;
        if (op == MACC)
            r = d + b * a;
        else if (op == NMSAC)
            r = d - b * a;
        else if (op == MADD)
            r = b * d + a;
        else /* NMSUB */
            r = a - b * d;
        v_set(h, i->rd, k, c.esz, r);
    }
    return v_done(h, i);
}

/* Integer compares into a mask register (11.8). */
static int v_cmp_run(struct rv_hart *h, const struct rv_insn *i, enum v_op op, enum v_src src)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || !v_group_ok(i->rs2, c.lmul) || !v_mask_over_ok(i->rd, i->rs2, c.lmul) ||
        (src == V && (!v_group_ok(i->rs1, c.lmul) || !v_mask_over_ok(i->rd, i->rs1, c.lmul))))
        return interp_illegal(h, i);
    for (uint64_t k = c.vstart; k < c.vl; k++)
        if (v_active(h, i, k))
            v_mask_set(h, i->rd, k,
                       v_cmp(op, v_get(h, i->rs2, k, c.esz), v_op1(h, i, src, k, c.esz), c.esz));
    return v_done(h, i);
}

/* vadc/vsbc (11.4): every element, the carry or borrow in v0; vd = v0
 * reserved. */
static int v_adc(struct rv_hart *h, const struct rv_insn *i, enum v_op op, enum v_src src)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || !v_sss_ok(i, &c, src) || i->rd == 0) return interp_illegal(h, i);
    for (uint64_t k = c.vstart; k < c.vl; k++) {
        uint64_t a = v_get(h, i->rs2, k, c.esz), b = v_op1(h, i, src, k, c.esz);
        uint64_t cin = v_mask(h, 0, k);
        v_set(h, i->rd, k, c.esz, op == ADD ? a + b + cin : a - b - cin);
    }
    return v_done(h, i);
}

/* vmadc/vmsbc (11.4): the carry or borrow out into a mask register, with
 * v0's bits as carries in when vm = 0. */
static int v_madc(struct rv_hart *h, const struct rv_insn *i, enum v_op op, enum v_src src)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || !v_group_ok(i->rs2, c.lmul) || !v_mask_over_ok(i->rd, i->rs2, c.lmul) ||
        (src == V && (!v_group_ok(i->rs1, c.lmul) || !v_mask_over_ok(i->rd, i->rs1, c.lmul))))
        return interp_illegal(h, i);
    for (uint64_t k = c.vstart; k < c.vl; k++) {
        unsigned __int128 a = v_get(h, i->rs2, k, c.esz), b = v_op1(h, i, src, k, c.esz);
        unsigned __int128 cin = v_vm(i) ? 0 : v_mask(h, 0, k);
        bool out = op == ADD ? ((a + b + cin) >> (8 * c.esz)) & 1 : a < b + cin;
        v_mask_set(h, i->rd, k, out);
    }
    return v_done(h, i);
}

/* vmerge (vm = 0: v0 picks the operand) and vmv.v.* (11.15, 11.16). */
static int v_merge(struct rv_hart *h, const struct rv_insn *i, enum v_op op, enum v_src src)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || !v_sss_ok(i, &c, src) || (op == MERGE && i->rd == 0))
        return interp_illegal(h, i);
    for (uint64_t k = c.vstart; k < c.vl; k++) {
        bool pick = op == MOVE || v_mask(h, 0, k);
        v_set(h, i->rd, k, c.esz, pick ? v_op1(h, i, src, k, c.esz) : v_get(h, i->rs2, k, c.esz));
    }
    return v_done(h, i);
}

/* The widening shapes need 2 * SEW <= ELEN and 2 * LMUL <= 8 (11.2). */
static bool v_wide_ok(const struct v_cfg *c)
{
    return c->esz <= 4 && c->lmul <= 2;
}

/* Widening: vd (2 * SEW) = vs2 (SEW, or 2 * SEW for the .w forms: wide)
 * op vs1/rs1 (SEW); with acc, vd is also the accumulator (11.2, 11.12,
 * 11.14, Zvbb vwsll). */
static int v_widen(struct rv_hart *h, const struct rv_insn *i, enum v_op op, enum v_src src,
                   bool wide, bool acc)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || !v_wide_ok(&c)) return interp_illegal(h, i);
    unsigned e = c.esz, w = 2 * c.esz;
    int wl = c.lmul + 1;
    if (!v_group_ok(i->rd, wl) || !v_mask_dest_ok(i, i->rd) ||
        !v_group_ok(i->rs2, wide ? wl : c.lmul) ||
        (!wide && !v_overlap_ok(i->rd, w, wl, i->rs2, e, c.lmul)) ||
        (src == V &&
         (!v_group_ok(i->rs1, c.lmul) || !v_overlap_ok(i->rd, w, wl, i->rs1, e, c.lmul))))
        return interp_illegal(h, i);
    if (src == I) src = U5; /* vwsll.vi: an unsigned shift amount */
    for (uint64_t k = c.vstart; k < c.vl; k++) {
        if (!v_active(h, i, k)) continue;
        uint64_t a = v_get(h, i->rs2, k, wide ? w : e), b = v_op1(h, i, src, k, e);
        int64_t sa = v_sext(a, wide ? w : e), sb = v_sext(b, e);
        uint64_t r;
        if (acc) { /* vwmacc*: vd += vs1/rs1 * vs2 */
            uint64_t p = op == MULU    ? b * a
                         : op == MUL   ? (uint64_t)(sb * sa)
                         : op == MULSU ? (uint64_t)sb * a
                                       : b * (uint64_t)sa; /* MULUS */
            r = v_get(h, i->rd, k, w) + p;
        } else {
            switch (op) {
            case ADDU: r = a + b; break;
            case ADD: r = (uint64_t)(sa + sb); break;
            case SUBU: r = a - b; break;
            case SUB: r = (uint64_t)(sa - sb); break;
            case MULU: r = a * b; break;
            case MUL: r = (uint64_t)(sa * sb); break;
            case MULSU: r = (uint64_t)sa * b; break;
            default: r = a << (b & (16 * e - 1)); break; /* SLL: vwsll */
            }
        }
        v_set(h, i->rd, k, w, r);
    }
    return v_done(h, i);
}

/* vnsrl/vnsra (11.7): vd (SEW) = vs2 (2 * SEW) >> the low log2(2 * SEW)
 * bits of the operand. */
static int v_narrow(struct rv_hart *h, const struct rv_insn *i, enum v_op op, enum v_src src)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || !v_wide_ok(&c)) return interp_illegal(h, i);
    unsigned e = c.esz, w = 2 * c.esz;
    if (!v_group_ok(i->rs2, c.lmul + 1) || !v_group_ok(i->rd, c.lmul) ||
        !v_overlap_ok(i->rd, e, c.lmul, i->rs2, w, c.lmul + 1) || !v_mask_dest_ok(i, i->rd) ||
        (src == V && !v_group_ok(i->rs1, c.lmul)))
        return interp_illegal(h, i);
    if (src == I) src = U5;
    for (uint64_t k = c.vstart; k < c.vl; k++) {
        if (!v_active(h, i, k)) continue;
        uint64_t a = v_get(h, i->rs2, k, w);
        unsigned sh = (unsigned)v_op1(h, i, src, k, e) & (16 * e - 1);
        v_set(h, i->rd, k, e, op == SRL ? a >> sh : (uint64_t)(v_sext(a, w) >> sh));
    }
    return v_done(h, i);
}

/* vzext/vsext.vf2/4/8 (11.3): vs2 has EEW SEW / f and EMUL LMUL / f. */
static int v_ext(struct rv_hart *h, const struct rv_insn *i, enum v_op op, enum v_src src)
{
    struct v_cfg c;
    if (!v_begin(h, &c)) return interp_illegal(h, i);
    unsigned lf = op == Z2 || op == S2 ? 1 : op == Z4 || op == S4 ? 2 : 3;
    unsigned se = c.esz >> lf;
    int semul = c.lmul - (int)lf;
    if (!se || semul < -3 || !v_group_ok(i->rd, c.lmul) || !v_group_ok(i->rs2, semul) ||
        !v_overlap_ok(i->rd, c.esz, c.lmul, i->rs2, se, semul) || !v_mask_dest_ok(i, i->rd))
        return interp_illegal(h, i);
    bool sx = op == S2 || op == S4 || op == S8;
    for (uint64_t k = c.vstart; k < c.vl; k++)
        if (v_active(h, i, k)) {
            uint64_t a = v_get(h, i->rs2, k, se);
            v_set(h, i->rd, k, c.esz, sx ? (uint64_t)v_sext(a, se) : a);
        }
    return v_done(h, i);
}

static uint64_t v_brev8(uint64_t x)
{
    x = (x & 0x5555555555555555ULL) << 1 | ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) << 2 | ((x >> 2) & 0x3333333333333333ULL);
    return (x & 0x0f0f0f0f0f0f0f0fULL) << 4 | ((x >> 4) & 0x0f0f0f0f0f0f0f0fULL);
}

/* Zvbb's unary operations on SEW-bit elements. */
static uint64_t v_unary(enum v_op op, uint64_t a, unsigned esz)
{
    unsigned bits = 8 * esz, sh = 64 - bits;
    switch (op) {
    case BREV8: return v_brev8(a);
    case REV8: return __builtin_bswap64(a) >> sh;
    case BREV: return __builtin_bswap64(v_brev8(a)) >> sh;
    case CLZ: return a ? (unsigned)__builtin_clzll(a) - sh : bits;
    case CTZ: return a ? (unsigned)__builtin_ctzll(a) : bits;
    default: return (unsigned)__builtin_popcountll(a); /* CPOP */
    }
}

static int v_unary_run(struct rv_hart *h, const struct rv_insn *i, enum v_op op, enum v_src src)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || !v_sss_ok(i, &c, V)) return interp_illegal(h, i);
    for (uint64_t k = c.vstart; k < c.vl; k++)
        if (v_active(h, i, k))
            v_set(h, i->rd, k, c.esz, v_unary(op, v_get(h, i->rs2, k, c.esz), c.esz));
    return v_done(h, i);
}

static int v_widen_plain(struct rv_hart *h, const struct rv_insn *i, enum v_op op, enum v_src src)
{
    return v_widen(h, i, op, src, false, false);
}

static int v_widen_w(struct rv_hart *h, const struct rv_insn *i, enum v_op op, enum v_src src)
{
    return v_widen(h, i, op, src, true, false);
}

static int v_wmacc(struct rv_hart *h, const struct rv_insn *i, enum v_op op, enum v_src src)
{
    return v_widen(h, i, op, src, false, true);
}

/* The shapes of insn_v_int.h's rows, by the names of V_ROW's second
 * argument. */
#define V_SHAPE_BIN     v_bin
#define V_SHAPE_MADD    v_madd
#define V_SHAPE_CMP     v_cmp_run
#define V_SHAPE_ADC     v_adc
#define V_SHAPE_MADC    v_madc
#define V_SHAPE_MERGE   v_merge
#define V_SHAPE_WIDEN   v_widen_plain
#define V_SHAPE_WIDEN_W v_widen_w
#define V_SHAPE_WMACC   v_wmacc
#define V_SHAPE_NARROW  v_narrow
#define V_SHAPE_EXT     v_ext
#define V_SHAPE_UNARY   v_unary_run

#define V_ROW(name, shape, op, src)                                                                \
    int interp_##name(struct rv_hart *h, const struct rv_insn *i)                                  \
    {                                                                                              \
        return V_SHAPE_##shape(h, i, op, src);                                                     \
    }

/* One handler per row of insn_v_int.h. */
V_ROW(vadd_vv, BIN, ADD, V)
V_ROW(vadd_vx, BIN, ADD, X)
V_ROW(vadd_vi, BIN, ADD, I)
V_ROW(vsub_vv, BIN, SUB, V)
V_ROW(vsub_vx, BIN, SUB, X)
V_ROW(vrsub_vx, BIN, RSUB, X)
V_ROW(vrsub_vi, BIN, RSUB, I)
V_ROW(vminu_vv, BIN, MINU, V)
V_ROW(vminu_vx, BIN, MINU, X)
V_ROW(vmin_vv, BIN, MIN, V)
V_ROW(vmin_vx, BIN, MIN, X)
V_ROW(vmaxu_vv, BIN, MAXU, V)
V_ROW(vmaxu_vx, BIN, MAXU, X)
V_ROW(vmax_vv, BIN, MAX, V)
V_ROW(vmax_vx, BIN, MAX, X)
V_ROW(vand_vv, BIN, AND, V)
V_ROW(vand_vx, BIN, AND, X)
V_ROW(vand_vi, BIN, AND, I)
V_ROW(vor_vv, BIN, OR, V)
V_ROW(vor_vx, BIN, OR, X)
V_ROW(vor_vi, BIN, OR, I)
V_ROW(vxor_vv, BIN, XOR, V)
V_ROW(vxor_vx, BIN, XOR, X)
V_ROW(vxor_vi, BIN, XOR, I)
V_ROW(vadc_vvm, ADC, ADD, V)
V_ROW(vadc_vxm, ADC, ADD, X)
V_ROW(vadc_vim, ADC, ADD, I)
V_ROW(vmadc_vvm, MADC, ADD, V)
V_ROW(vmadc_vxm, MADC, ADD, X)
V_ROW(vmadc_vim, MADC, ADD, I)
V_ROW(vsbc_vvm, ADC, SUB, V)
V_ROW(vsbc_vxm, ADC, SUB, X)
V_ROW(vmsbc_vvm, MADC, SUB, V)
V_ROW(vmsbc_vxm, MADC, SUB, X)
V_ROW(vmseq_vv, CMP, EQ, V)
V_ROW(vmseq_vx, CMP, EQ, X)
V_ROW(vmseq_vi, CMP, EQ, I)
V_ROW(vmsne_vv, CMP, NE, V)
V_ROW(vmsne_vx, CMP, NE, X)
V_ROW(vmsne_vi, CMP, NE, I)
V_ROW(vmsltu_vv, CMP, LTU, V)
V_ROW(vmsltu_vx, CMP, LTU, X)
V_ROW(vmslt_vv, CMP, LT, V)
V_ROW(vmslt_vx, CMP, LT, X)
V_ROW(vmsleu_vv, CMP, LEU, V)
V_ROW(vmsleu_vx, CMP, LEU, X)
V_ROW(vmsleu_vi, CMP, LEU, I)
V_ROW(vmsle_vv, CMP, LE, V)
V_ROW(vmsle_vx, CMP, LE, X)
V_ROW(vmsle_vi, CMP, LE, I)
V_ROW(vmsgtu_vx, CMP, GTU, X)
V_ROW(vmsgtu_vi, CMP, GTU, I)
V_ROW(vmsgt_vx, CMP, GT, X)
V_ROW(vmsgt_vi, CMP, GT, I)
V_ROW(vsll_vv, BIN, SLL, V)
V_ROW(vsll_vx, BIN, SLL, X)
V_ROW(vsll_vi, BIN, SLL, I)
V_ROW(vsrl_vv, BIN, SRL, V)
V_ROW(vsrl_vx, BIN, SRL, X)
V_ROW(vsrl_vi, BIN, SRL, I)
V_ROW(vsra_vv, BIN, SRA, V)
V_ROW(vsra_vx, BIN, SRA, X)
V_ROW(vsra_vi, BIN, SRA, I)
V_ROW(vnsrl_wv, NARROW, SRL, V)
V_ROW(vnsrl_wx, NARROW, SRL, X)
V_ROW(vnsrl_wi, NARROW, SRL, I)
V_ROW(vnsra_wv, NARROW, SRA, V)
V_ROW(vnsra_wx, NARROW, SRA, X)
V_ROW(vnsra_wi, NARROW, SRA, I)
V_ROW(vdivu_vv, BIN, DIVU, V)
V_ROW(vdivu_vx, BIN, DIVU, X)
V_ROW(vdiv_vv, BIN, DIV, V)
V_ROW(vdiv_vx, BIN, DIV, X)
V_ROW(vremu_vv, BIN, REMU, V)
V_ROW(vremu_vx, BIN, REMU, X)
V_ROW(vrem_vv, BIN, REM, V)
V_ROW(vrem_vx, BIN, REM, X)
V_ROW(vmulhu_vv, BIN, MULHU, V)
V_ROW(vmulhu_vx, BIN, MULHU, X)
V_ROW(vmul_vv, BIN, MUL, V)
V_ROW(vmul_vx, BIN, MUL, X)
V_ROW(vmulhsu_vv, BIN, MULHSU, V)
V_ROW(vmulhsu_vx, BIN, MULHSU, X)
V_ROW(vmulh_vv, BIN, MULH, V)
V_ROW(vmulh_vx, BIN, MULH, X)
V_ROW(vmadd_vv, MADD, MADD, V)
V_ROW(vmadd_vx, MADD, MADD, X)
V_ROW(vnmsub_vv, MADD, NMSUB, V)
V_ROW(vnmsub_vx, MADD, NMSUB, X)
V_ROW(vmacc_vv, MADD, MACC, V)
V_ROW(vmacc_vx, MADD, MACC, X)
V_ROW(vnmsac_vv, MADD, NMSAC, V)
V_ROW(vnmsac_vx, MADD, NMSAC, X)
V_ROW(vwaddu_vv, WIDEN, ADDU, V)
V_ROW(vwaddu_vx, WIDEN, ADDU, X)
V_ROW(vwadd_vv, WIDEN, ADD, V)
V_ROW(vwadd_vx, WIDEN, ADD, X)
V_ROW(vwsubu_vv, WIDEN, SUBU, V)
V_ROW(vwsubu_vx, WIDEN, SUBU, X)
V_ROW(vwsub_vv, WIDEN, SUB, V)
V_ROW(vwsub_vx, WIDEN, SUB, X)
V_ROW(vwaddu_w_vv, WIDEN_W, ADDU, V)
V_ROW(vwaddu_w_vx, WIDEN_W, ADDU, X)
V_ROW(vwadd_w_vv, WIDEN_W, ADD, V)
V_ROW(vwadd_w_vx, WIDEN_W, ADD, X)
V_ROW(vwsubu_w_vv, WIDEN_W, SUBU, V)
V_ROW(vwsubu_w_vx, WIDEN_W, SUBU, X)
V_ROW(vwsub_w_vv, WIDEN_W, SUB, V)
V_ROW(vwsub_w_vx, WIDEN_W, SUB, X)
V_ROW(vwmulu_vv, WIDEN, MULU, V)
V_ROW(vwmulu_vx, WIDEN, MULU, X)
V_ROW(vwmulsu_vv, WIDEN, MULSU, V)
V_ROW(vwmulsu_vx, WIDEN, MULSU, X)
V_ROW(vwmul_vv, WIDEN, MUL, V)
V_ROW(vwmul_vx, WIDEN, MUL, X)
V_ROW(vwmaccu_vv, WMACC, MULU, V)
V_ROW(vwmaccu_vx, WMACC, MULU, X)
V_ROW(vwmacc_vv, WMACC, MUL, V)
V_ROW(vwmacc_vx, WMACC, MUL, X)
V_ROW(vwmaccus_vx, WMACC, MULUS, X)
V_ROW(vwmaccsu_vv, WMACC, MULSU, V)
V_ROW(vwmaccsu_vx, WMACC, MULSU, X)
V_ROW(vandn_vv, BIN, ANDN, V)
V_ROW(vandn_vx, BIN, ANDN, X)
V_ROW(vrol_vv, BIN, ROL, V)
V_ROW(vrol_vx, BIN, ROL, X)
V_ROW(vror_vv, BIN, ROR, V)
V_ROW(vror_vx, BIN, ROR, X)
V_ROW(vwsll_vv, WIDEN, SLL, V)
V_ROW(vwsll_vx, WIDEN, SLL, X)
V_ROW(vwsll_vi, WIDEN, SLL, I)
V_ROW(vmerge_vvm, MERGE, MERGE, V)
V_ROW(vmerge_vxm, MERGE, MERGE, X)
V_ROW(vmerge_vim, MERGE, MERGE, I)
V_ROW(vmv_v_v, MERGE, MOVE, V)
V_ROW(vmv_v_x, MERGE, MOVE, X)
V_ROW(vmv_v_i, MERGE, MOVE, I)
V_ROW(vror_vi, BIN, ROR, U6)
V_ROW(vzext_vf8, EXT, Z8, V)
V_ROW(vsext_vf8, EXT, S8, V)
V_ROW(vzext_vf4, EXT, Z4, V)
V_ROW(vsext_vf4, EXT, S4, V)
V_ROW(vzext_vf2, EXT, Z2, V)
V_ROW(vsext_vf2, EXT, S2, V)
V_ROW(vbrev8_v, UNARY, BREV8, V)
V_ROW(vrev8_v, UNARY, REV8, V)
V_ROW(vbrev_v, UNARY, BREV, V)
V_ROW(vclz_v, UNARY, CLZ, V)
V_ROW(vctz_v, UNARY, CTZ, V)
V_ROW(vcpop_v, UNARY, CPOP, V)
