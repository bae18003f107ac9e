/* The vector configuration-setting instructions (unpriv spec V chapter 6:
 * vsetvli, vsetivli, vsetvl): the operands as the encodings give them;
 * the rules (vtype support, VLMAX, the AVL cases) are hart_vec.c's. */
#include "cpu/hart_vec.h"
#include "cpu/interp.h"
#include "cpu/interp_v.h"

/* rd = x0 decodes to the sink (decode.c), rs1 = x0 stays 0: 6.2's AVL
 * encodings (rs1 != x0: x[rs1]; rs1 = x0, rd != x0: VLMAX; both x0: the
 * current vl). */
static int v_setvl(struct rv_hart *h, const struct rv_insn *i, uint64_t vtype, uint64_t avl,
                   bool imm)
{
    if (!hart_vec_on(h)) return interp_illegal(h, i);
    bool rd0 = i->rd == RV_REG_SINK;
    bool rs0 = !imm && i->rs1 == 0;
    h->x[i->rd] = vec_setvl(h, vtype, avl, rs0 && !rd0, rs0 && rd0);
    return interp_next(h, i);
}

int interp_vsetvli(struct rv_hart *h, const struct rv_insn *i)
{
    return v_setvl(h, i, (i->raw >> 20) & 0x7ff, h->x[i->rs1], false);
}

int interp_vsetivli(struct rv_hart *h, const struct rv_insn *i)
{
    return v_setvl(h, i, (i->raw >> 20) & 0x3ff, i->rs1, true);
}

int interp_vsetvl(struct rv_hart *h, const struct rv_insn *i)
{
    return v_setvl(h, i, h->x[i->rs2], h->x[i->rs1], false);
}
