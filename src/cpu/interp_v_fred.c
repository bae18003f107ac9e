/* The vector floating-point reductions (unpriv spec V chapter 14.3,
 * 14.4): vfredosum/vfredusum, vfredmin/vfredmax and the widening sums
 * vfwredosum/vfwredusum. vd[0] = vs1[0] op the active elements of
 * vs2[0..vl-1]; vd and vs1 are single registers, the rest of vd is left
 * undisturbed; vl = 0 writes nothing and raises no flag. The unordered sum
 * may associate in any order (14.3); rvmm adds in element order, as the
 * ordered one must, so both give the ordered result (QEMU 7.2 does the
 * same). A reduction is not restartable: vstart != 0 is illegal (14). */
#include "cpu/interp_v_fp.h"

enum vfred_op { SUM, MIN, MAX };

static uint64_t vfred_alu(enum vfred_op op, uint64_t a, uint64_t b, unsigned esz, unsigned rm,
                          uint32_t *fl)
{
    if (esz == 4) {
        uint32_t x = (uint32_t)a, y = (uint32_t)b;
        return op == SUM   ? f32_add(x, y, rm, fl)
               : op == MIN ? f32_min(x, y, fl)
                           : f32_max(x, y, fl);
    }
    return op == SUM ? f64_add(a, b, rm, fl) : op == MIN ? f64_min(a, b, fl) : f64_max(a, b, fl);
}

/* wide: the widening sums, SEW 32 elements into a binary64 sum (SEW 16
 * would need Zvfh); each element converts exactly (a signaling NaN raises
 * invalid). */
static int vfred_run(struct rv_hart *h, const struct rv_insn *i, enum vfred_op op, bool wide)
{
    struct v_cfg c;
    unsigned rm;
    uint32_t fl = 0;
    if (!vf_begin(h, &c, &rm) || c.vstart || !v_group_ok(i->rs2, c.lmul) || (wide && c.esz != 4))
        return interp_illegal(h, i);
    if (!c.vl) return v_done(h, i);
    unsigned e = c.esz, de = wide ? 2 * e : e;
    uint64_t acc = v_get(h, i->rs1, 0, de);
    for (uint64_t k = 0; k < c.vl; k++) {
        if (!v_active(h, i, k)) continue;
        uint64_t x = v_get(h, i->rs2, k, e);
        if (wide) x = f32_to_f64((uint32_t)x, &fl);
        acc = vfred_alu(op, acc, x, de, rm, &fl);
    }
    v_set(h, i->rd, 0, de, acc);
    return vf_done(h, i, fl);
}

#define VFRED_ROW(name, op, wide)                                                                  \
    int interp_##name(struct rv_hart *h, const struct rv_insn *i)                                  \
    {                                                                                              \
        return vfred_run(h, i, op, wide);                                                          \
    }

/* One handler per row of insn_v_fred.h. */
VFRED_ROW(vfredusum_vs, SUM, false)
VFRED_ROW(vfredosum_vs, SUM, false)
VFRED_ROW(vfredmin_vs, MIN, false)
VFRED_ROW(vfredmax_vs, MAX, false)
VFRED_ROW(vfwredusum_vs, SUM, true)
VFRED_ROW(vfwredosum_vs, SUM, true)
