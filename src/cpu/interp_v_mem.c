/* The vector loads and stores (unpriv spec V chapter 7): unit-stride,
 * strided and indexed (ordered and unordered: rvmm performs every access
 * in element order), segments of any of them, fault-only-first,
 * whole-register and mask forms. One walker (v_mem_run) does them all:
 * element by element from vstart, skipping masked-off elements, so a trap
 * at element k leaves vstart = k with the elements before it done (7.7:
 * the instruction is restarted from vstart), and a fault-only-first load
 * trims vl at an element > 0 instead (7.7). Memory is reached only through
 * the TLB and the MMU (interp.h's paths without the raise, which the walker
 * does after setting vstart). */
#include "cpu/interp_v.h"

/* How an instruction walks memory. */
enum v_mode { V_UNIT, V_STRIDED, V_INDEXED };

struct v_access {
    enum v_mode mode;
    bool store, ff, unmasked;
    unsigned vd;   /* first register of the data (vs3 for a store) */
    unsigned nf;   /* fields per segment */
    unsigned eew;  /* data element bytes */
    unsigned regs; /* registers between one field's group and the next */
    uint64_t evl;  /* elements */
    uint64_t base, stride;
    unsigned vs2, ieew; /* indexed: the index group and its element bytes */
};

/* A load or store of one element: 0 or the cause (mmu.h), nothing raised. */
static int v_ld(struct rv_hart *h, gva_t va, unsigned size, uint64_t *v)
{
    const struct tlb_entry *e = tlb_lookup(h->dtlb->r, va, va & (~0xfffULL | (size - 1)));
    if (likely(e != NULL)) {
        uint64_t r = 0;
        memcpy(&r, (const void *)(e->addend + va), size);
        *v = r;
        return 0;
    }
    return mmu_load(h, va, size, v);
}

static int v_st(struct rv_hart *h, gva_t va, unsigned size, uint64_t v)
{
    const struct tlb_entry *e = tlb_lookup(h->dtlb->w, va, va & (~0xfffULL | (size - 1)));
    if (likely(e != NULL)) {
        memcpy((void *)(e->addend + va), &v, size);
        return 0;
    }
    return mmu_store(h, va, size, v);
}

static int v_mem_run(struct rv_hart *h, const struct rv_insn *i, const struct v_access *a)
{
    for (uint64_t k = h->vec.vstart; k < a->evl; k++) {
        if (!a->unmasked && !v_active(h, i, k)) continue;
        for (unsigned f = 0; f < a->nf; f++) {
            gva_t va;
            if (a->mode == V_UNIT)
                va = a->base + (k * a->nf + f) * a->eew;
            else if (a->mode == V_STRIDED)
                va = a->base + k * a->stride + f * a->eew;
            else /* the index is an unsigned byte offset (7.6) */
                va = a->base + v_get(h, a->vs2, k, a->ieew) + f * a->eew;
            unsigned reg = a->vd + f * a->regs;
            int c;
            if (a->store) {
                c = v_st(h, va, a->eew, v_get(h, reg, k, a->eew));
            } else {
                uint64_t v;
                c = v_ld(h, va, a->eew, &v);
                if (!c) v_set(h, reg, k, a->eew, v);
            }
            if (unlikely(c)) {
                if (a->ff && k > 0 && c != MMU_DEBUG_STOP) {
                    h->vec.vl = k; /* 7.7: no trap, vl trimmed to the element */
                    return v_done(h, i);
                }
                v_trap_at(h, k);
                return interp_fault(h, i, c);
            }
        }
    }
    return v_done(h, i);
}

static unsigned v_nf(const struct rv_insn *i)
{
    return ((i->raw >> 29) & 7) + 1;
}

static int log2u(unsigned x)
{
    return __builtin_ctz(x);
}

/* Unit-stride, strided and indexed, with segments (7.4-7.8). eew is the
 * width field's EEW: the data's for unit-stride and strided, the index's
 * for indexed (whose data EEW is SEW). */
static int v_mem(struct rv_hart *h, const struct rv_insn *i, enum v_mode mode, unsigned eew,
                 bool store, bool ff)
{
    struct v_cfg c;
    if (!v_begin(h, &c)) return interp_illegal(h, i);
    struct v_access a = {.mode = mode, .store = store, .ff = ff, .unmasked = v_vm(i)};
    a.vd = i->rd;
    a.nf = v_nf(i);
    a.evl = c.vl;
    a.base = h->x[i->rs1];
    a.stride = mode == V_STRIDED ? h->x[i->rs2] : 0;
    int emul; /* the data's */
    if (mode == V_INDEXED) {
        a.eew = c.esz;
        a.vs2 = i->rs2;
        a.ieew = eew;
        emul = c.lmul;
        int iemul = log2u(eew) - log2u(c.esz) + c.lmul;
        if (iemul < -3 || iemul > 3 || !v_group_ok(a.vs2, iemul)) return interp_illegal(h, i);
        /* The data may overlap the index only as 5.2 allows, and not at
         * all for segments (7.8.3). */
        for (unsigned f = 0; !store && f < a.nf; f++) {
            unsigned vd = a.vd + f * v_regs(emul);
            if (a.nf > 1 ? v_overlap(vd, v_regs(emul), a.vs2, v_regs(iemul))
                         : !v_overlap_ok(vd, c.esz, emul, a.vs2, eew, iemul))
                return interp_illegal(h, i);
        }
    } else {
        a.eew = eew;
        emul = log2u(eew) - log2u(c.esz) + c.lmul;
        if (emul < -3 || emul > 3) return interp_illegal(h, i);
    }
    a.regs = v_regs(emul);
    /* 7.8: EMUL * NFIELDS <= 8 and the groups end at v31. */
    if (!v_group_ok(a.vd, emul) || a.nf * a.regs > 8 || a.vd + a.nf * a.regs > 32)
        return interp_illegal(h, i);
    if (!store && !v_mask_dest_ok(i, a.vd)) return interp_illegal(h, i);
    return v_mem_run(h, i, &a);
}

/* Whole-register loads and stores (7.9): NFIELDS registers (1, 2, 4, 8,
 * vd aligned to it) as evl = NFIELDS * VLEN / EEW elements, whatever
 * vtype and vl are. */
static int v_whole(struct rv_hart *h, const struct rv_insn *i, unsigned eew, bool store)
{
    struct v_cfg c;
    if (!v_begin_any(h, &c)) return interp_illegal(h, i);
    unsigned nf = v_nf(i);
    if ((nf & (nf - 1)) || (i->rd & (nf - 1))) return interp_illegal(h, i);
    struct v_access a = {.mode = V_UNIT, .store = store, .unmasked = true, .nf = 1};
    a.vd = i->rd;
    a.eew = eew;
    a.regs = nf;
    a.evl = (uint64_t)nf * h->vec.vlenb / eew;
    a.base = h->x[i->rs1];
    return v_mem_run(h, i, &a);
}

/* vlm.v and vsm.v (7.4): ceil(vl / 8) bytes, unmasked. */
static int v_mask_mem(struct rv_hart *h, const struct rv_insn *i, bool store)
{
    struct v_cfg c;
    if (!v_begin(h, &c)) return interp_illegal(h, i);
    struct v_access a = {.mode = V_UNIT, .store = store, .unmasked = true, .nf = 1};
    a.vd = i->rd;
    a.eew = 1;
    a.regs = 1;
    a.evl = (c.vl + 7) / 8;
    a.base = h->x[i->rs1];
    return v_mem_run(h, i, &a);
}

int interp_vlm_v(struct rv_hart *h, const struct rv_insn *i)
{
    return v_mask_mem(h, i, false);
}

int interp_vsm_v(struct rv_hart *h, const struct rv_insn *i)
{
    return v_mask_mem(h, i, true);
}

int interp_vs_r_v(struct rv_hart *h, const struct rv_insn *i)
{
    return v_whole(h, i, 1, true);
}

/* One handler per row, by EEW. */
#define V_MEM_EEW(w)                                                                               \
    int interp_vle##w##_v(struct rv_hart *h, const struct rv_insn *i)                              \
    {                                                                                              \
        return v_mem(h, i, V_UNIT, w / 8, false, false);                                           \
    }                                                                                              \
    int interp_vle##w##ff_v(struct rv_hart *h, const struct rv_insn *i)                            \
    {                                                                                              \
        return v_mem(h, i, V_UNIT, w / 8, false, true);                                            \
    }                                                                                              \
    int interp_vl_re##w##_v(struct rv_hart *h, const struct rv_insn *i)                            \
    {                                                                                              \
        return v_whole(h, i, w / 8, false);                                                        \
    }                                                                                              \
    int interp_vlse##w##_v(struct rv_hart *h, const struct rv_insn *i)                             \
    {                                                                                              \
        return v_mem(h, i, V_STRIDED, w / 8, false, false);                                        \
    }                                                                                              \
    int interp_vluxei##w##_v(struct rv_hart *h, const struct rv_insn *i)                           \
    {                                                                                              \
        return v_mem(h, i, V_INDEXED, w / 8, false, false);                                        \
    }                                                                                              \
    int interp_vloxei##w##_v(struct rv_hart *h, const struct rv_insn *i)                           \
    {                                                                                              \
        return v_mem(h, i, V_INDEXED, w / 8, false, false);                                        \
    }                                                                                              \
    int interp_vse##w##_v(struct rv_hart *h, const struct rv_insn *i)                              \
    {                                                                                              \
        return v_mem(h, i, V_UNIT, w / 8, true, false);                                            \
    }                                                                                              \
    int interp_vsse##w##_v(struct rv_hart *h, const struct rv_insn *i)                             \
    {                                                                                              \
        return v_mem(h, i, V_STRIDED, w / 8, true, false);                                         \
    }                                                                                              \
    int interp_vsuxei##w##_v(struct rv_hart *h, const struct rv_insn *i)                           \
    {                                                                                              \
        return v_mem(h, i, V_INDEXED, w / 8, true, false);                                         \
    }                                                                                              \
    int interp_vsoxei##w##_v(struct rv_hart *h, const struct rv_insn *i)                           \
    {                                                                                              \
        return v_mem(h, i, V_INDEXED, w / 8, true, false);                                         \
    }

V_MEM_EEW(8)
V_MEM_EEW(16)
V_MEM_EEW(32)
V_MEM_EEW(64)
