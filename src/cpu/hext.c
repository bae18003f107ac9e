/* The hypervisor extension's instructions (priv spec 1.12, 8.3): HLV, HLVX
 * and HSV (loads and stores as the guest at hstatus.SPVP would make them,
 * through mmu_load_guest/mmu_store_guest) and HFENCE.VVMA/GVMA. Who may
 * run them (8.6.1): M and HS-mode; U-mode (V=0) the loads and stores when
 * hstatus.HU is set; a guest (V=1) never: a virtual instruction. The V
 * bit's state, its CSRs and trap rules live with the CSR table (csr.c),
 * trap.c and the two-stage walk (mmu.c). */
#include "cpu/csr.h"
#include "cpu/interp.h"
#include "cpu/mmu.h"

/* 0 when the instruction may run, else the handler's return after raising. */
static int h_allowed(struct rv_hart *h, const struct rv_insn *i, bool is_fence)
{
    if (h->virt) return interp_virtual(h, i);
    if (h->priv == PRV_U && (is_fence || !(h->hstatus & HSTATUS_HU))) return interp_illegal(h, i);
    return 0;
}

static int hlv(struct rv_hart *h, const struct rv_insn *i, unsigned size, bool sign, bool exec)
{
    int rc = h_allowed(h, i, false);
    if (rc) return rc;
    uint64_t v;
    h->hlv = 1;
    int c = mmu_load_guest(h, h->x[i->rs1], size, exec, &v);
    if (c) {
        rc = interp_fault(h, i, c);
        h->hlv = 0;
        return rc;
    }
    h->hlv = 0;
    if (sign && size < 8) v = (uint64_t)((int64_t)(v << (64 - 8 * size)) >> (64 - 8 * size));
    h->x[i->rd] = v;
    return interp_next(h, i);
}

static int hsv(struct rv_hart *h, const struct rv_insn *i, unsigned size)
{
    int rc = h_allowed(h, i, false);
    if (rc) return rc;
    h->hlv = 1;
    int c = mmu_store_guest(h, h->x[i->rs1], size, h->x[i->rs2]);
    if (c) {
        rc = interp_fault(h, i, c);
        h->hlv = 0;
        return rc;
    }
    h->hlv = 0;
    return interp_next(h, i);
}

int interp_hlv_b(struct rv_hart *h, const struct rv_insn *i)
{
    return hlv(h, i, 1, true, false);
}
int interp_hlv_bu(struct rv_hart *h, const struct rv_insn *i)
{
    return hlv(h, i, 1, false, false);
}
int interp_hlv_h(struct rv_hart *h, const struct rv_insn *i)
{
    return hlv(h, i, 2, true, false);
}
int interp_hlv_hu(struct rv_hart *h, const struct rv_insn *i)
{
    return hlv(h, i, 2, false, false);
}
int interp_hlvx_hu(struct rv_hart *h, const struct rv_insn *i)
{
    return hlv(h, i, 2, false, true);
}
int interp_hlv_w(struct rv_hart *h, const struct rv_insn *i)
{
    return hlv(h, i, 4, true, false);
}
int interp_hlv_wu(struct rv_hart *h, const struct rv_insn *i)
{
    return hlv(h, i, 4, false, false);
}
int interp_hlvx_wu(struct rv_hart *h, const struct rv_insn *i)
{
    return hlv(h, i, 4, false, true);
}
int interp_hlv_d(struct rv_hart *h, const struct rv_insn *i)
{
    return hlv(h, i, 8, false, false);
}
int interp_hsv_b(struct rv_hart *h, const struct rv_insn *i)
{
    return hsv(h, i, 1);
}
int interp_hsv_h(struct rv_hart *h, const struct rv_insn *i)
{
    return hsv(h, i, 2);
}
int interp_hsv_w(struct rv_hart *h, const struct rv_insn *i)
{
    return hsv(h, i, 4);
}
int interp_hsv_d(struct rv_hart *h, const struct rv_insn *i)
{
    return hsv(h, i, 8);
}

/* The fences (8.3.2): rs1 names an address (x0: all), rs2 an ASID or
 * VMID (x0: all). hfence.vvma acts on the current VMID (hgatp's).
 * HFENCE.GVMA in HS-mode is illegal while mstatus.TVM is set. */
int interp_hfence_vvma(struct rv_hart *h, const struct rv_insn *i)
{
    int rc = h_allowed(h, i, true);
    if (rc) return rc;
    mmu_vtlb_fence_vvma(h, mmu_vmid(h->hgatp), i->rs2 != 0, h->x[i->rs2], i->rs1 != 0,
                        h->x[i->rs1]);
    return interp_next(h, i);
}

int interp_hfence_gvma(struct rv_hart *h, const struct rv_insn *i)
{
    int rc = h_allowed(h, i, true);
    if (rc) return rc;
    if (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM)) return interp_illegal(h, i);
    /* rs1 holds the guest physical address shifted right by 2. */
    mmu_vtlb_fence_gvma(h, i->rs2 != 0, h->x[i->rs2], i->rs1 != 0, h->x[i->rs1] << 2);
    return interp_next(h, i);
}
