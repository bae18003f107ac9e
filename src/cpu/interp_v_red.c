/* The vector integer reductions (unpriv spec V chapter 14.1, 14.2):
 * vredsum, vredand/or/xor, vredmin[u]/vredmax[u] and the widening sums
 * vwredsum[u]. vd[0] = vs1[0] op the active elements of vs2[0..vl-1];
 * vd and vs1 are single registers, the rest of vd is left undisturbed;
 * vl = 0 writes nothing. A reduction is not restartable: vstart != 0 is
 * illegal (14). The floating-point reductions are interp_v_fred.c's. */
#include "cpu/interp_v.h"

enum vred_op { SUM, AND, OR, XOR, MINU, MIN, MAXU, MAX };

static int64_t vred_sext(uint64_t x, unsigned esz)
{
    unsigned sh = 64 - 8 * esz;
    return (int64_t)(x << sh) >> sh;
}

static uint64_t vred_alu(enum vred_op op, uint64_t a, uint64_t b, unsigned esz)
{
    int64_t sa = vred_sext(a, esz), sb = vred_sext(b, esz);
    switch (op) {
    case SUM: return a + b;
    case AND: return a & b;
    case OR: return a | b;
    case XOR: return a ^ b;
    case MINU: return a < b ? a : b;
    case MIN: return sa < sb ? a : b;
    case MAXU: return a > b ? a : b;
    default: return sa > sb ? a : b;
    }
}

/* wide: 0 single-width; 1 vwredsumu (zero-extend), 2 vwredsum (sign). */
static int vred_run(struct rv_hart *h, const struct rv_insn *i, enum vred_op op, int wide)
{
    struct v_cfg c;
    if (!v_begin(h, &c) || c.vstart || !v_group_ok(i->rs2, c.lmul) ||
        (wide && (c.esz > 4 || c.lmul > 2)))
        return interp_illegal(h, i);
    if (!c.vl) return v_done(h, i);
    unsigned e = c.esz, de = wide ? 2 * e : e;
    uint64_t acc = v_get(h, i->rs1, 0, de);
    for (uint64_t k = 0; k < c.vl; k++) {
        if (!v_active(h, i, k)) continue;
        uint64_t x = v_get(h, i->rs2, k, e);
        if (wide == 2) x = (uint64_t)vred_sext(x, e);
        acc = vred_alu(op, acc, x, de);
    }
    v_set(h, i->rd, 0, de, acc);
    return v_done(h, i);
}

#define VRED_ROW(name, op, wide)                                                                   \
    int interp_##name(struct rv_hart *h, const struct rv_insn *i)                                  \
    {                                                                                              \
        return vred_run(h, i, op, wide);                                                           \
    }

/* One handler per row of insn_v_red.h. */
VRED_ROW(vredsum_vs, SUM, 0)
VRED_ROW(vredand_vs, AND, 0)
VRED_ROW(vredor_vs, OR, 0)
VRED_ROW(vredxor_vs, XOR, 0)
VRED_ROW(vredminu_vs, MINU, 0)
VRED_ROW(vredmin_vs, MIN, 0)
VRED_ROW(vredmaxu_vs, MAXU, 0)
VRED_ROW(vredmax_vs, MAX, 0)
VRED_ROW(vwredsumu_vs, SUM, 1)
VRED_ROW(vwredsum_vs, SUM, 2)
