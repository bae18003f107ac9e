/* Memory instructions: loads and stores of every width (unpriv spec 2.6),
 * FP loads/stores, and the A extension (chapter 8). AMOs run as host atomics
 * on the RAM page, so they stay atomic across vCPU threads; SC succeeds only
 * while the reservation holds and memory still has the value LR saw. */
#include "cpu/interp.h"

#define RS1 (h->x[i->rs1])
#define RS2 (h->x[i->rs2])
#define RD  (h->x[i->rd])
#define EA  (RS1 + (uint64_t)(int64_t)i->imm)

static inline uint64_t sext(uint64_t v, unsigned bits)
{
    return (uint64_t)((int64_t)(v << (64 - bits)) >> (64 - bits));
}

static inline int load(struct rv_hart *h, const struct rv_insn *i, unsigned size, bool sign)
{
    uint64_t v;
    if (interp_load(h, i, EA, size, &v)) return 1;
    RD = sign ? sext(v, size * 8) : v;
    return interp_next(h, i);
}

int interp_lb(struct rv_hart *h, const struct rv_insn *i)
{
    return load(h, i, 1, true);
}
int interp_lh(struct rv_hart *h, const struct rv_insn *i)
{
    return load(h, i, 2, true);
}
int interp_lw(struct rv_hart *h, const struct rv_insn *i)
{
    return load(h, i, 4, true);
}
int interp_ld(struct rv_hart *h, const struct rv_insn *i)
{
    return load(h, i, 8, false);
}
int interp_lbu(struct rv_hart *h, const struct rv_insn *i)
{
    return load(h, i, 1, false);
}
int interp_lhu(struct rv_hart *h, const struct rv_insn *i)
{
    return load(h, i, 2, false);
}
int interp_lwu(struct rv_hart *h, const struct rv_insn *i)
{
    return load(h, i, 4, false);
}
static inline int store(struct rv_hart *h, const struct rv_insn *i, unsigned size, uint64_t v)
{
    if (interp_store(h, i, EA, size, v)) return 1;
    return interp_next(h, i);
}

int interp_sb(struct rv_hart *h, const struct rv_insn *i)
{
    return store(h, i, 1, RS2);
}
int interp_sh(struct rv_hart *h, const struct rv_insn *i)
{
    return store(h, i, 2, RS2);
}
int interp_sw(struct rv_hart *h, const struct rv_insn *i)
{
    return store(h, i, 4, RS2);
}
int interp_sd(struct rv_hart *h, const struct rv_insn *i)
{
    return store(h, i, 8, RS2);
}

int interp_flw(struct rv_hart *h, const struct rv_insn *i)
{
    uint64_t v;
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    if (interp_load(h, i, EA, 4, &v)) return 1;
    h->f[i->rd] = v | 0xffffffff00000000ULL; /* NaN-boxed (12.2) */
    hart_fs_dirty(h);
    return interp_next(h, i);
}

int interp_fld(struct rv_hart *h, const struct rv_insn *i)
{
    uint64_t v;
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    if (interp_load(h, i, EA, 8, &v)) return 1;
    h->f[i->rd] = v;
    hart_fs_dirty(h);
    return interp_next(h, i);
}

int interp_fsw(struct rv_hart *h, const struct rv_insn *i)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    return store(h, i, 4, (uint32_t)h->f[i->rs2]);
}

int interp_fsd(struct rv_hart *h, const struct rv_insn *i)
{
    if (!hart_fp_on(h)) return interp_illegal(h, i);
    return store(h, i, 8, h->f[i->rs2]);
}

enum amo_kind { AMO_SWAP, AMO_ADD, AMO_XOR, AMO_AND, AMO_OR, AMO_MIN, AMO_MAX, AMO_MINU, AMO_MAXU };

static uint64_t amo_apply(enum amo_kind k, uint64_t old, uint64_t src, unsigned size)
{
    int64_t so = (int64_t)sext(old, size * 8), ss = (int64_t)sext(src, size * 8);
    uint64_t mask = size == 8 ? ~0ULL : 0xffffffffULL;
    uint64_t uo = old & mask, us = src & mask;
    switch (k) {
    case AMO_SWAP: return src;
    case AMO_ADD: return old + src;
    case AMO_XOR: return old ^ src;
    case AMO_AND: return old & src;
    case AMO_OR: return old | src;
    case AMO_MIN: return so < ss ? old : src;
    case AMO_MAX: return so > ss ? old : src;
    case AMO_MINU: return uo < us ? old : src;
    case AMO_MAXU: return uo > us ? old : src;
    }
    return old;
}

static int amo(struct rv_hart *h, const struct rv_insn *i, enum amo_kind k, unsigned size)
{
    void *p;
    gpa_t pa;
    int c = mmu_atomic_addr(h, RS1, size, false, &p, &pa);
    if (c) return interp_fault(h, i, c);
    uint64_t src = RS2;
    uint64_t old;
    if (size == 4) {
        uint32_t *q = p;
        uint32_t cur = __atomic_load_n(q, __ATOMIC_RELAXED);
        while (!__atomic_compare_exchange_n(q, &cur, (uint32_t)amo_apply(k, cur, src, 4), false,
                                            __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
            ;
        old = sext(cur, 32);
    } else {
        uint64_t *q = p;
        uint64_t cur = __atomic_load_n(q, __ATOMIC_RELAXED);
        while (!__atomic_compare_exchange_n(q, &cur, amo_apply(k, cur, src, 8), false,
                                            __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
            ;
        old = cur;
    }
    RD = old;
    return interp_next(h, i);
}

int interp_amoswap_w(struct rv_hart *h, const struct rv_insn *i)
{
    return amo(h, i, AMO_SWAP, 4);
}
int interp_amoadd_w(struct rv_hart *h, const struct rv_insn *i)
{
    return amo(h, i, AMO_ADD, 4);
}
int interp_amoxor_w(struct rv_hart *h, const struct rv_insn *i)
{
    return amo(h, i, AMO_XOR, 4);
}
int interp_amoand_w(struct rv_hart *h, const struct rv_insn *i)
{
    return amo(h, i, AMO_AND, 4);
}
int interp_amoor_w(struct rv_hart *h, const struct rv_insn *i)
{
    return amo(h, i, AMO_OR, 4);
}
int interp_amomin_w(struct rv_hart *h, const struct rv_insn *i)
{
    return amo(h, i, AMO_MIN, 4);
}
int interp_amomax_w(struct rv_hart *h, const struct rv_insn *i)
{
    return amo(h, i, AMO_MAX, 4);
}
int interp_amominu_w(struct rv_hart *h, const struct rv_insn *i)
{
    return amo(h, i, AMO_MINU, 4);
}
int interp_amomaxu_w(struct rv_hart *h, const struct rv_insn *i)
{
    return amo(h, i, AMO_MAXU, 4);
}
int interp_amoswap_d(struct rv_hart *h, const struct rv_insn *i)
{
    return amo(h, i, AMO_SWAP, 8);
}
int interp_amoadd_d(struct rv_hart *h, const struct rv_insn *i)
{
    return amo(h, i, AMO_ADD, 8);
}
int interp_amoxor_d(struct rv_hart *h, const struct rv_insn *i)
{
    return amo(h, i, AMO_XOR, 8);
}
int interp_amoand_d(struct rv_hart *h, const struct rv_insn *i)
{
    return amo(h, i, AMO_AND, 8);
}
int interp_amoor_d(struct rv_hart *h, const struct rv_insn *i)
{
    return amo(h, i, AMO_OR, 8);
}
int interp_amomin_d(struct rv_hart *h, const struct rv_insn *i)
{
    return amo(h, i, AMO_MIN, 8);
}
int interp_amomax_d(struct rv_hart *h, const struct rv_insn *i)
{
    return amo(h, i, AMO_MAX, 8);
}
int interp_amominu_d(struct rv_hart *h, const struct rv_insn *i)
{
    return amo(h, i, AMO_MINU, 8);
}
int interp_amomaxu_d(struct rv_hart *h, const struct rv_insn *i)
{
    return amo(h, i, AMO_MAXU, 8);
}

static int lr(struct rv_hart *h, const struct rv_insn *i, unsigned size)
{
    void *p;
    gpa_t pa;
    int c = mmu_atomic_addr(h, RS1, size, true, &p, &pa);
    if (c) return interp_fault(h, i, c);
    uint64_t v = size == 4 ? __atomic_load_n((uint32_t *)p, __ATOMIC_SEQ_CST)
                           : __atomic_load_n((uint64_t *)p, __ATOMIC_SEQ_CST);
    h->resv_valid = 1;
    h->resv_addr = pa;
    h->resv_value = v;
    RD = size == 4 ? sext(v, 32) : v;
    return interp_next(h, i);
}

static int sc(struct rv_hart *h, const struct rv_insn *i, unsigned size)
{
    void *p;
    gpa_t pa;
    int c = mmu_atomic_addr(h, RS1, size, false, &p, &pa);
    if (c) return interp_fault(h, i, c);
    bool ok = false;
    if (h->resv_valid && h->resv_addr == pa) {
        if (size == 4) {
            uint32_t expect = (uint32_t)h->resv_value;
            ok = __atomic_compare_exchange_n((uint32_t *)p, &expect, (uint32_t)RS2, false,
                                             __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
        } else {
            uint64_t expect = h->resv_value;
            ok = __atomic_compare_exchange_n((uint64_t *)p, &expect, RS2, false, __ATOMIC_SEQ_CST,
                                             __ATOMIC_RELAXED);
        }
    }
    h->resv_valid = 0; /* SC always clears the reservation (8.2) */
    RD = ok ? 0 : 1;
    return interp_next(h, i);
}

int interp_lr_w(struct rv_hart *h, const struct rv_insn *i)
{
    return lr(h, i, 4);
}
int interp_lr_d(struct rv_hart *h, const struct rv_insn *i)
{
    return lr(h, i, 8);
}
int interp_sc_w(struct rv_hart *h, const struct rv_insn *i)
{
    return sc(h, i, 4);
}
int interp_sc_d(struct rv_hart *h, const struct rv_insn *i)
{
    return sc(h, i, 8);
}
