/* The CSR file as one table (QEMU's target/riscv/csr.c shape): a row per
 * CSR or numbered run, each with its name, an access predicate and read and
 * write functions; csr_access() applies the rules of the number itself
 * (privilege in bits 9:8, read-only when bits 11:10 are 3; priv spec 2.1)
 * and then the row's predicate, so whether an access is illegal (or, with
 * the H extension, a virtual-instruction exception) is decided in one
 * place. The write functions hold the WARL legalisations. Side effects on
 * translation go through mmu_*; nothing here raises traps itself. */
#include "cpu/csr.h"

#include "cpu/fpu.h"
#include "cpu/mmu.h"
#include "cpu/trap.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>

#define SSTATUS_MASK                                                                               \
    (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_VS | MSTATUS_FS | MSTATUS_XS |             \
     MSTATUS_SUM | MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)
#define SSTATUS_WRITABLE                                                                           \
    (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_VS | MSTATUS_FS | MSTATUS_SUM | MSTATUS_MXR)
#define MSTATUS_WRITABLE                                                                           \
    (SSTATUS_WRITABLE | MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TVM |    \
     MSTATUS_TW | MSTATUS_TSR)
#define S_INTS         (MIP_SSIP | MIP_STIP | MIP_SEIP)
#define LCOF_INT(h)    (cpu_model_has(&(h)->cpu, CPU_EXT_sscofpmf) ? MIP_LCOFIP : 0)
#define ALL_INTS       (S_INTS | MIP_MSIP | MIP_MTIP | MIP_MEIP)
#define DELEGABLE_EXCS 0xb3ffULL /* all but ecall from M (11) and reserved 10, 14 */

struct csr_desc;
/* 0 when the access may go on, else CSR_ILLEGAL or CSR_VIRTUAL. */
typedef int (*csr_pred_fn)(const struct rv_hart *h, unsigned csr);
typedef uint64_t (*csr_read_fn)(struct rv_hart *h, const struct csr_desc *d, unsigned csr);
typedef void (*csr_write_fn)(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v);

/* One row. A run of `count` numbered CSRs (pmpaddr0..63) shares a row; its
 * functions get the number. Plain registers use field_read/field_write
 * with the field's offset and writable bits. */
struct csr_desc {
    uint16_t num, count;
    const char *name;
    csr_pred_fn pred;   /* NULL: the number's own rules decide alone */
    csr_read_fn read;   /* NULL: reads zero */
    csr_write_fn write; /* NULL: writes are ignored (a hardwired WARL value) */
    /* For read-modify-write: the bits the operation applies to when they
     * are not what a read returns (mip: the software-written bits). */
    csr_read_fn rmw_base;
    uint16_t off; /* field_read/field_write: offsetof(struct rv_hart, field) */
    uint64_t wmask;
};

uint64_t csr_read_mstatus(const struct rv_hart *h)
{
    uint64_t s = h->mstatus | (2ULL << 32) | (2ULL << 34); /* UXL = SXL = 64 */
    if ((s & MSTATUS_FS) == MSTATUS_FS || (s & MSTATUS_VS) == MSTATUS_VS) s |= MSTATUS_SD;
    return s;
}

/* ---- predicates ---- */

/* fflags, frm, fcsr: illegal while mstatus.FS is Off (3.1.6.6). */
static int pred_fp(const struct rv_hart *h, unsigned csr)
{
    return hart_fp_on(h) ? 0 : CSR_ILLEGAL;
}

/* Counters readable below M only where m/scounteren allow (3.1.11, 4.1.3);
 * in a guest, hcounteren too, whose refusal is a virtual instruction
 * (8.2.5), as is scounteren's for VU-mode. */
static int pred_counter(const struct rv_hart *h, unsigned csr)
{
    unsigned bit = csr & 31;
    if (h->priv < PRV_M && !((h->mcounteren >> bit) & 1)) return CSR_ILLEGAL;
    if (h->virt && !((h->hcounteren >> bit) & 1)) return CSR_VIRTUAL;
    if (h->priv < PRV_S && !((h->scounteren >> bit) & 1))
        return h->virt ? CSR_VIRTUAL : CSR_ILLEGAL;
    return 0;
}

/* Smstateen (priv spec chapter "Smstateen"): whether mstateenN (or
 * hstateenN from VS/VU) lets a lower level reach the state of `bit`. A
 * hart without Smstateen has no mstateen: nothing is withheld by M; one
 * without Ssstateen has no hstateen to withhold anything from a guest. */
static int stateen_check(const struct rv_hart *h, unsigned n, uint64_t bit)
{
    if (h->priv < PRV_M && cpu_model_has(&h->cpu, CPU_EXT_smstateen) && !(h->mstateen[n] & bit))
        return CSR_ILLEGAL;
    if (h->virt && cpu_model_has(&h->cpu, CPU_EXT_ssstateen) && !(h->hstateen[n] & bit))
        return CSR_VIRTUAL;
    return 0;
}

static int pred_mstateen(const struct rv_hart *h, unsigned csr)
{
    return cpu_model_has(&h->cpu, CPU_EXT_smstateen) ? 0 : CSR_ILLEGAL;
}

/* sstateenN: needs mstateenN.SE below M and hstateenN.SE in a guest. */
static int pred_sstateen(const struct rv_hart *h, unsigned csr)
{
    if (!cpu_model_has(&h->cpu, CPU_EXT_ssstateen)) return CSR_ILLEGAL;
    return stateen_check(h, csr & 3, STATEEN_SE);
}

static int pred_hstateen(const struct rv_hart *h, unsigned csr)
{
    if (!cpu_model_has(&h->cpu, CPU_EXT_h) || !cpu_model_has(&h->cpu, CPU_EXT_ssstateen))
        return CSR_ILLEGAL;
    return stateen_check(h, csr & 3, STATEEN_SE);
}

/* senvcfg and henvcfg: mstateen0.ENVCFG (and hstateen0.ENVCFG for a guest). */
static int pred_senvcfg(const struct rv_hart *h, unsigned csr)
{
    return stateen_check(h, 0, STATEEN0_ENVCFG);
}

/* satp from S-mode traps while mstatus.TVM is set (3.1.6.5). */
static int pred_satp(const struct rv_hart *h, unsigned csr)
{
    return h->priv == PRV_S && (h->mstatus & MSTATUS_TVM) ? CSR_ILLEGAL : 0;
}

/* stimecmp (Sstc): S-mode needs menvcfg.STCE and mcounteren.TM. */
static int pred_sstc(const struct rv_hart *h, unsigned csr)
{
    if (h->priv < PRV_M && (!(h->menvcfg & MENVCFG_STCE) || !(h->mcounteren & 2)))
        return CSR_ILLEGAL;
    return 0;
}

/* H and VS CSRs, mtval2, mtinst exist only with the H extension. */
static int pred_h(const struct rv_hart *h, unsigned csr)
{
    return cpu_model_has(&h->cpu, CPU_EXT_h) ? 0 : CSR_ILLEGAL;
}

/* vsatp (satp from VS-mode): hstatus.VTVM makes it a virtual instruction. */
static int pred_vsatp(const struct rv_hart *h, unsigned csr)
{
    if (pred_h(h, csr)) return CSR_ILLEGAL;
    return h->virt && (h->hstatus & HSTATUS_VTVM) ? CSR_VIRTUAL : 0;
}

/* vstimecmp: from VS-mode it needs henvcfg.STCE and hcounteren.TM as well. */
static int pred_vstimecmp(const struct rv_hart *h, unsigned csr)
{
    if (pred_h(h, csr) || pred_sstc(h, csr)) return CSR_ILLEGAL;
    if (h->virt && (!(h->henvcfg & MENVCFG_STCE) || !(h->hcounteren & 2))) return CSR_VIRTUAL;
    return 0;
}

/* The odd pmpcfg registers do not exist on RV64 (3.7.1). */
static int pred_pmpcfg(const struct rv_hart *h, unsigned csr)
{
    return (csr & 1) ? CSR_ILLEGAL : 0;
}

/* ---- plain registers ---- */

static uint64_t *field(struct rv_hart *h, const struct csr_desc *d)
{
    return (uint64_t *)((char *)h + d->off);
}

static uint64_t field_read(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return *field(h, d);
}

static void field_write(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    *field(h, d) = v & d->wmask;
}

/* ---- floating point (unpriv spec 11.2) ---- */

static uint64_t read_fflags(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return h->fflags;
}

static uint64_t read_frm(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return h->frm;
}

static uint64_t read_fcsr(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return h->fflags | (h->frm << 5);
}

/* Any write makes the FP state dirty. */
static void write_fp(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    if (csr != CSR_FRM) h->fflags = v & 31;
    if (csr == CSR_FRM) h->frm = v & 7;
    if (csr == CSR_FCSR) h->frm = (v >> 5) & 7;
    hart_fs_dirty(h);
}

/* ---- vector (unpriv spec V chapter 3) ---- */

/* The vector CSRs: illegal without V or while the vector unit is Off. */
static int pred_vec(const struct rv_hart *h, unsigned csr)
{
    return cpu_model_has(&h->cpu, CPU_EXT_v) && hart_vec_on(h) ? 0 : CSR_ILLEGAL;
}

static uint64_t read_vec(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    const struct rv_vstate *v = &h->vec;
    switch (csr) {
    case CSR_VSTART: return v->vstart;
    case CSR_VXSAT: return v->vxsat;
    case CSR_VXRM: return v->vxrm;
    case CSR_VCSR: return (uint64_t)v->vxrm << 1 | v->vxsat;
    case CSR_VL: return v->vl;
    case CSR_VTYPE: return v->vtype;
    default: return v->vlenb; /* CSR_VLENB */
    }
}

/* vstart keeps the bits an element index of the largest VLMAX (VLEN) has
 * (3.7: WARL, as many bits as needed); vl, vtype and vlenb are read-only. */
static void write_vec(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    struct rv_vstate *s = &h->vec;
    if (csr == CSR_VSTART) s->vstart = v & (s->vlenb * 8u - 1);
    if (csr == CSR_VXSAT) s->vxsat = v & 1;
    if (csr == CSR_VXRM) s->vxrm = v & 3;
    if (csr == CSR_VCSR) {
        s->vxsat = v & 1;
        s->vxrm = (v >> 1) & 3;
    }
    hart_vs_dirty(h);
}

/* ---- counters ---- */

/* mcycle, minstret, mhpmcounterN and their unprivileged shadows: counter
 * csr & 31 as of the instructions retired before this one (it is the
 * last of its block: h->instret counts it). */
static uint64_t read_counter(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return pmu_read(h, csr & 31, h->instret - 1);
}

static uint64_t read_time(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return vclock_ticks(h->clock) + (h->virt ? h->htimedelta : 0);
}

static void write_counter(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    pmu_write_counter(h, csr & 31, v);
}

static uint64_t read_hpmevent(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return h->pmu.event[csr & 31];
}

static void write_hpmevent(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    pmu_write_event(h, csr & 31, v);
}

static void write_inhibit(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    pmu_write_inhibit(h, v);
}

/* scountovf (Sscofpmf): S-level, read-only, masked by the counter enables. */
static int pred_sscofpmf(const struct rv_hart *h, unsigned csr)
{
    return cpu_model_has(&h->cpu, CPU_EXT_sscofpmf) ? 0 : CSR_ILLEGAL;
}

static uint64_t read_scountovf(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return pmu_scountovf(h);
}

/* ---- status, interrupts, traps ---- */

static uint64_t read_mstatus(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return csr_read_mstatus(h) & d->wmask;
}

/* mstatus and its sstatus view: d->wmask is what the view shows. */
static void write_mstatus(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    uint64_t mask = csr == CSR_MSTATUS ? MSTATUS_WRITABLE : SSTATUS_WRITABLE;
    if (csr == CSR_MSTATUS && cpu_model_has(&h->cpu, CPU_EXT_h)) mask |= MSTATUS_MPV | MSTATUS_GVA;
    /* Without F, FS is read-only zero (priv spec 3.1.6.6), which keeps
     * every FP instruction and fcsr access illegal. */
    if (!cpu_model_has(&h->cpu, CPU_EXT_f)) mask &= ~MSTATUS_FS;
    /* Likewise VS without V (3.1.6.6, V chapter 3.2). */
    if (!cpu_model_has(&h->cpu, CPU_EXT_v)) mask &= ~MSTATUS_VS;
    uint64_t old = h->mstatus;
    uint64_t n = (old & ~mask) | (v & mask);
    if (((n & MSTATUS_MPP) >> 11) == 2) /* reserved MPP: keep the old one */
        n = (n & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
    h->mstatus = n & ~(MSTATUS_SD | MSTATUS_UXL | MSTATUS_SXL | MSTATUS_XS);
    if ((old ^ h->mstatus) & MSTATUS_MXR) mmu_flush(h);
    mmu_update_mode(h);
}

static uint64_t read_misa(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return h->misa;
}

static void write_tvec(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    if ((v & 3) < 2) *field(h, d) = v; /* reserved modes: keep the old value */
}

/* sie and sip show the S-level interrupts mideleg hands S-mode; the
 * VS-level ones mideleg reads as delegated are hie/hip's (8.2.3), as in
 * QEMU (S_MODE_INTERRUPTS). */
static uint64_t read_sie(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return h->mie & h->mideleg & (S_INTS | LCOF_INT(h));
}

static void write_sie(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    uint64_t m = h->mideleg & (S_INTS | LCOF_INT(h));
    h->mie = (h->mie & ~m) | (v & m);
}

/* With H, the VS interrupts and SGEI are delegated to HS for good (8.4.2). */
static uint64_t h_ints(const struct rv_hart *h)
{
    return cpu_model_has(&h->cpu, CPU_EXT_h) ? VS_INTS | MIP_SGEIP : 0;
}

/* With H, ecalls from VS, guest-page faults and virtual instructions may
 * go to HS as well (8.4.1). */
static void write_medeleg(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    uint64_t m = DELEGABLE_EXCS;
    if (cpu_model_has(&h->cpu, CPU_EXT_h)) m |= 1ULL << EXC_ECALL_VS | 0xfULL << 20;
    h->medeleg = v & m;
}

static void write_mideleg(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    h->mideleg = (v & (S_INTS | LCOF_INT(h))) | h_ints(h);
}

static void write_mie(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    /* SGEIE is writable (as in QEMU) though with GEILEN 0 no guest
     * external interrupt can ever be pending. */
    h->mie = v & (ALL_INTS | h_ints(h) | LCOF_INT(h));
}

static uint64_t read_mip(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return trap_mip(h);
}

/* Read-modify-write of mip/sip acts on the software-written bits, not on
 * what the interrupt lines add (3.1.9). */
static uint64_t mip_sw(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return h->mip;
}

static void write_mip(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    /* With Sstc, STIP follows stimecmp and is not writable (Sstc 1.0). */
    uint64_t m = (h->menvcfg & MENVCFG_STCE) ? (S_INTS & ~MIP_STIP) : S_INTS;
    m |= h_ints(h) & MIP_VSSIP; /* the alias of hvip.VSSIP */
    m |= LCOF_INT(h);           /* set by an overflow, cleared by software */
    h->mip = (h->mip & ~m) | (v & m);
}

static uint64_t read_sip(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return trap_mip(h) & h->mideleg & (S_INTS | LCOF_INT(h));
}

static uint64_t sip_sw(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return h->mip & h->mideleg & (S_INTS | LCOF_INT(h));
}

/* SSIP, and LCOFIP (Sscofpmf), where delegated. */
static void write_sip(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    uint64_t m = h->mideleg & (MIP_SSIP | LCOF_INT(h));
    h->mip = (h->mip & ~m) | (v & m);
}

/* The writable envcfg bits: FIOM, and the cache-block fields of the
 * CMO extensions the hart has (CMO spec 2.5; read-only zero otherwise). */
static uint64_t envcfg_cbo_mask(const struct rv_hart *h)
{
    uint64_t m = 1;
    if (cpu_model_has(&h->cpu, CPU_EXT_zicbom)) m |= ENVCFG_CBIE | ENVCFG_CBCFE;
    if (cpu_model_has(&h->cpu, CPU_EXT_zicboz)) m |= ENVCFG_CBZE;
    return m;
}

static void write_senvcfg(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    h->senvcfg = v & envcfg_cbo_mask(h);
}

/* The envcfg bits of the translation extensions the hart has (Svpbmt's
 * PBMTE, Svadu's ADUE): they change how PTEs read, so the TLB goes. */
static uint64_t envcfg_pte_mask(const struct rv_hart *h)
{
    return (cpu_model_has(&h->cpu, CPU_EXT_svpbmt) ? ENVCFG_PBMTE : 0) |
           (cpu_model_has(&h->cpu, CPU_EXT_svadu) ? ENVCFG_ADUE : 0);
}

static void write_menvcfg(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    uint64_t old = h->menvcfg;
    h->menvcfg = v & (envcfg_cbo_mask(h) | MENVCFG_STCE | envcfg_pte_mask(h));
    /* henvcfg.STCE is read-only zero while menvcfg.STCE is (Sstc 1.0). */
    if (!(h->menvcfg & MENVCFG_STCE)) h->henvcfg &= ~MENVCFG_STCE;
    if ((old ^ h->menvcfg) & (ENVCFG_PBMTE | ENVCFG_ADUE)) mmu_flush(h);
    hart_update_timer(h);
}

static void write_stimecmp(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    h->stimecmp = v;
    hart_update_timer(h);
}

/* ---- translation and protection ---- */

static void write_satp(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    unsigned mode = (unsigned)(v >> 60);
    if (mode != 0 && mode != 8 && mode != 9 && mode != 10)
        return; /* unsupported mode: the whole write has no effect (4.1.11) */
    h->satp = v & (0xfULL << 60 | 0xffffULL << 44 | ((1ULL << 44) - 1));
    mmu_flush_hs(h); /* ASIDs are not tagged at V=0; the guest contexts keep theirs */
}

static bool pmp_locked(const struct rv_hart *h, unsigned i)
{
    return (h->pmpcfg[i / 8] >> (8 * (i % 8))) & 0x80;
}

static uint64_t read_pmpcfg(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    unsigned n = (csr - CSR_PMPCFG0) / 2;
    return n < PMP_COUNT / 8 ? h->pmpcfg[n] : 0;
}

static void write_pmpcfg(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    unsigned n = (csr - CSR_PMPCFG0) / 2;
    if (n < PMP_COUNT / 8) {
        uint64_t cur = h->pmpcfg[n];
        for (unsigned b = 0; b < 8; b++) {
            unsigned i = n * 8 + b;
            if (pmp_locked(h, i)) continue;
            uint64_t cfg = (v >> (8 * b)) & 0x9f;
            if ((cfg & 3) == 2) /* W without R is reserved: keep the entry as it was */
                cfg = (cur >> (8 * b)) & 0xff;
            cur = (cur & ~(0xffULL << (8 * b))) | (cfg << (8 * b));
        }
        h->pmpcfg[n] = cur;
    }
    pmp_invalidate(h);
    mmu_flush(h);
}

static uint64_t read_pmpaddr(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    unsigned n = csr - CSR_PMPADDR0;
    return n < PMP_COUNT ? h->pmpaddr[n] : 0;
}

static void write_pmpaddr(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    unsigned n = csr - CSR_PMPADDR0;
    /* A locked TOR entry also locks the address below it (3.7.1.2). */
    if (n < PMP_COUNT && !pmp_locked(h, n) &&
        !(n + 1 < PMP_COUNT && pmp_locked(h, n + 1) &&
          ((h->pmpcfg[(n + 1) / 8] >> (8 * ((n + 1) % 8) + 3)) & 3) == 1))
        h->pmpaddr[n] = v & ((1ULL << 54) - 1);
    pmp_invalidate(h);
    mmu_flush(h);
}

static uint64_t read_mhartid(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return h->mhartid;
}

/* ---- hypervisor and virtual-supervisor CSRs (priv spec 1.12, 8.2-8.3) ---- */

#define HSTATUS_WRITABLE                                                                           \
    (HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_HU | HSTATUS_VTVM | HSTATUS_VTW |          \
     HSTATUS_VTSR)
/* All synchronous exceptions but ecalls from HS/VS/M, guest-page faults
 * and virtual instructions may go on to VS (8.2.2). */
#define HEDELEG_WRITABLE 0xb1ffULL

static uint64_t read_hstatus(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return h->hstatus | (2ULL << 32); /* VSXL = 64 */
}

static uint64_t read_vsstatus(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    uint64_t s = h->vsstatus | (2ULL << 32); /* UXL = 64 */
    if ((s & MSTATUS_FS) == MSTATUS_FS || (s & MSTATUS_VS) == MSTATUS_VS) s |= MSTATUS_SD;
    return s & SSTATUS_MASK;
}

static void write_vsstatus(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    uint64_t mask = SSTATUS_WRITABLE;
    if (!cpu_model_has(&h->cpu, CPU_EXT_f)) mask &= ~MSTATUS_FS;
    if (!cpu_model_has(&h->cpu, CPU_EXT_v)) mask &= ~MSTATUS_VS;
    uint64_t old = h->vsstatus;
    h->vsstatus = (old & ~mask) | (v & mask);
    if ((old ^ h->vsstatus) & MSTATUS_MXR) mmu_flush(h);
    mmu_update_mode(h);
}

/* vsie/vsip: the VS bits hideleg gives the guest, shifted to the S
 * positions (8.2.13). */
static uint64_t read_vsie(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return (h->mie & h->hideleg & VS_INTS) >> 1;
}

static void write_vsie(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    uint64_t m = h->hideleg & VS_INTS;
    h->mie = (h->mie & ~m) | ((v << 1) & m);
}

static uint64_t read_vsip(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return (trap_mip(h) & h->hideleg & VS_INTS) >> 1;
}

static uint64_t vsip_sw(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return (h->mip & h->hideleg & VS_INTS) >> 1;
}

static void write_vsip(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    uint64_t m = h->hideleg & MIP_VSSIP;
    h->mip = (h->mip & ~m) | ((v << 1) & m);
}

/* hie: the VS enables and SGEIE (8.2.3). */
static uint64_t read_hie(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return h->mie & (VS_INTS | MIP_SGEIP);
}

static void write_hie(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    uint64_t m = VS_INTS | MIP_SGEIP;
    h->mie = (h->mie & ~m) | (v & m);
}

static uint64_t read_hip(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return trap_mip(h) & VS_INTS;
}

/* hip.VSSIP is the only writable bit of hip; hvip holds all three. */
static void write_hip(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    h->mip = (h->mip & ~MIP_VSSIP) | (v & MIP_VSSIP);
}

static uint64_t read_hvip(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    return h->mip & VS_INTS;
}

static void write_hvip(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    h->mip = (h->mip & ~VS_INTS) | (v & VS_INTS);
}

/* hgatp (8.2.18): MODE is WARL over Bare/Sv39x4/Sv48x4/Sv57x4 (an
 * unsupported one reads back Bare, which is how Linux probes), VMID keeps
 * all 14 bits, and the root is 16 KiB aligned (PPN bits 1:0 read zero). */
static void write_hgatp(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    uint64_t mode = v >> 60;
    if (mode != 0 && mode != 8 && mode != 9 && mode != 10) mode = 0;
    h->hgatp = mode << 60 | (v & (0x3fffULL << 44)) | (v & ((1ULL << 44) - 4));
    /* No flush: the guest TLB contexts are tagged by (hgatp, vsatp). */
    mmu_vtlb_select(h);
    mmu_update_mode(h);
}

static void write_vsatp(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    unsigned mode = (unsigned)(v >> 60);
    if (mode != 0 && mode != 8 && mode != 9 && mode != 10) return; /* as satp */
    h->vsatp = v & (0xfULL << 60 | 0xffffULL << 44 | ((1ULL << 44) - 1));
    mmu_vtlb_select(h);
    mmu_update_mode(h);
}

static int pred_henvcfg(const struct rv_hart *h, unsigned csr)
{
    return pred_h(h, csr) ? CSR_ILLEGAL : stateen_check(h, 0, STATEEN0_ENVCFG);
}

/* The state-enable bits rvmm has state behind: SE in every register of the
 * M and H levels, ENVCFG in number 0; the rest (Zfinx's FCSR, Zcmt's JVT,
 * AIA, the context CSRs, custom state) are read-only zero, and sstateen
 * has none. An H-level bit is writable only while M's is set. */
static uint64_t stateen_mask(unsigned n)
{
    return STATEEN_SE | (n == 0 ? STATEEN0_ENVCFG : 0);
}

static uint64_t read_stateen(struct rv_hart *h, const struct csr_desc *d, unsigned csr)
{
    unsigned n = csr & 3;
    if (d->num == CSR_MSTATEEN0) return h->mstateen[n];
    return d->num == CSR_HSTATEEN0 ? h->hstateen[n] : h->sstateen[n];
}

static void write_stateen(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    unsigned n = csr & 3;
    if (d->num == CSR_MSTATEEN0) {
        h->mstateen[n] = v & stateen_mask(n);
        h->hstateen[n] &= h->mstateen[n]; /* read-only zero now where M's is clear */
    } else if (d->num == CSR_HSTATEEN0) {
        bool m = cpu_model_has(&h->cpu, CPU_EXT_smstateen);
        h->hstateen[n] = v & stateen_mask(n) & (m ? h->mstateen[n] : ~0ULL);
    }
}

static void write_henvcfg(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    uint64_t old = h->henvcfg;
    h->henvcfg = v & (1 | (h->menvcfg & (MENVCFG_STCE | envcfg_pte_mask(h))));
    if ((old ^ h->henvcfg) & (ENVCFG_PBMTE | ENVCFG_ADUE)) mmu_flush(h);
    hart_update_timer(h);
}

/* vstimecmp and htimedelta move the guest's timer (VSTIP, Sstc 1.0). */
static void write_vtimer(struct rv_hart *h, const struct csr_desc *d, unsigned csr, uint64_t v)
{
    *field(h, d) = v;
    hart_update_timer(h);
}

#define F(fld) offsetof(struct rv_hart, fld)
#define ALL    (~0ULL)

/* The table, sorted by number (a unit test checks the order). */
static const struct csr_desc csr_table[] = {
    {CSR_FFLAGS, 1, "fflags", pred_fp, read_fflags, write_fp, NULL, 0, 0},
    {CSR_FRM, 1, "frm", pred_fp, read_frm, write_fp, NULL, 0, 0},
    {CSR_FCSR, 1, "fcsr", pred_fp, read_fcsr, write_fp, NULL, 0, 0},
    {CSR_VSTART, 1, "vstart", pred_vec, read_vec, write_vec, NULL, 0, 0},
    {CSR_VXSAT, 1, "vxsat", pred_vec, read_vec, write_vec, NULL, 0, 0},
    {CSR_VXRM, 1, "vxrm", pred_vec, read_vec, write_vec, NULL, 0, 0},
    {CSR_VCSR, 1, "vcsr", pred_vec, read_vec, write_vec, NULL, 0, 0},
    {CSR_SSTATUS, 1, "sstatus", NULL, read_mstatus, write_mstatus, NULL, 0, SSTATUS_MASK},
    {CSR_SIE, 1, "sie", NULL, read_sie, write_sie, NULL, 0, 0},
    {CSR_STVEC, 1, "stvec", NULL, field_read, write_tvec, NULL, F(stvec), 0},
    {CSR_SCOUNTEREN, 1, "scounteren", NULL, field_read, field_write, NULL, F(scounteren),
     0xffffffff},
    {CSR_SENVCFG, 1, "senvcfg", pred_senvcfg, field_read, write_senvcfg, NULL, F(senvcfg), 0},
    {CSR_SSTATEEN0, 4, "sstateen", pred_sstateen, read_stateen, write_stateen, NULL, 0, 0},
    {CSR_SSCRATCH, 1, "sscratch", NULL, field_read, field_write, NULL, F(sscratch), ALL},
    {CSR_SEPC, 1, "sepc", NULL, field_read, field_write, NULL, F(sepc), ~1ULL},
    {CSR_SCAUSE, 1, "scause", NULL, field_read, field_write, NULL, F(scause), ALL},
    {CSR_STVAL, 1, "stval", NULL, field_read, field_write, NULL, F(stval), ALL},
    {CSR_SIP, 1, "sip", NULL, read_sip, write_sip, sip_sw, 0, 0},
    {CSR_STIMECMP, 1, "stimecmp", pred_sstc, field_read, write_stimecmp, NULL, F(stimecmp), 0},
    {CSR_SATP, 1, "satp", pred_satp, field_read, write_satp, NULL, F(satp), 0},
    {CSR_VSSTATUS, 1, "vsstatus", pred_h, read_vsstatus, write_vsstatus, NULL, 0, 0},
    {CSR_VSIE, 1, "vsie", pred_h, read_vsie, write_vsie, NULL, 0, 0},
    {CSR_VSTVEC, 1, "vstvec", pred_h, field_read, write_tvec, NULL, F(vstvec), 0},
    {CSR_VSSCRATCH, 1, "vsscratch", pred_h, field_read, field_write, NULL, F(vsscratch), ALL},
    {CSR_VSEPC, 1, "vsepc", pred_h, field_read, field_write, NULL, F(vsepc), ~1ULL},
    {CSR_VSCAUSE, 1, "vscause", pred_h, field_read, field_write, NULL, F(vscause), ALL},
    {CSR_VSTVAL, 1, "vstval", pred_h, field_read, field_write, NULL, F(vstval), ALL},
    {CSR_VSIP, 1, "vsip", pred_h, read_vsip, write_vsip, vsip_sw, 0, 0},
    {CSR_VSTIMECMP, 1, "vstimecmp", pred_vstimecmp, field_read, write_vtimer, NULL, F(vstimecmp),
     ALL},
    {CSR_VSATP, 1, "vsatp", pred_vsatp, field_read, write_vsatp, NULL, F(vsatp), 0},
    {CSR_MSTATUS, 1, "mstatus", NULL, read_mstatus, write_mstatus, NULL, 0, ALL},
    {CSR_MISA, 1, "misa", NULL, read_misa, NULL, NULL, 0, 0},
    {CSR_MEDELEG, 1, "medeleg", NULL, field_read, write_medeleg, NULL, F(medeleg), 0},
    {CSR_MIDELEG, 1, "mideleg", NULL, field_read, write_mideleg, NULL, F(mideleg), 0},
    {CSR_MIE, 1, "mie", NULL, field_read, write_mie, NULL, F(mie), 0},
    {CSR_MTVEC, 1, "mtvec", NULL, field_read, write_tvec, NULL, F(mtvec), 0},
    {CSR_MCOUNTEREN, 1, "mcounteren", NULL, field_read, field_write, NULL, F(mcounteren),
     0xffffffff},
    {CSR_MENVCFG, 1, "menvcfg", NULL, field_read, write_menvcfg, NULL, F(menvcfg), 0},
    {CSR_MSTATEEN0, 4, "mstateen", pred_mstateen, read_stateen, write_stateen, NULL, 0, 0},
    {CSR_MCOUNTINHIBIT, 1, "mcountinhibit", NULL, field_read, write_inhibit, NULL, F(mcountinhibit),
     0},
    {CSR_MHPMEVENT3, 29, "mhpmevent", NULL, read_hpmevent, write_hpmevent, NULL, 0, 0},
    {CSR_MSCRATCH, 1, "mscratch", NULL, field_read, field_write, NULL, F(mscratch), ALL},
    {CSR_MEPC, 1, "mepc", NULL, field_read, field_write, NULL, F(mepc), ~1ULL},
    {CSR_MCAUSE, 1, "mcause", NULL, field_read, field_write, NULL, F(mcause), ALL},
    {CSR_MTVAL, 1, "mtval", NULL, field_read, field_write, NULL, F(mtval), ALL},
    {CSR_MIP, 1, "mip", NULL, read_mip, write_mip, mip_sw, 0, 0},
    {CSR_MTINST, 1, "mtinst", pred_h, field_read, field_write, NULL, F(mtinst), ALL},
    {CSR_MTVAL2, 1, "mtval2", pred_h, field_read, field_write, NULL, F(mtval2), ALL},
    {CSR_PMPCFG0, 16, "pmpcfg", pred_pmpcfg, read_pmpcfg, write_pmpcfg, NULL, 0, 0},
    {CSR_PMPADDR0, 64, "pmpaddr", NULL, read_pmpaddr, write_pmpaddr, NULL, 0, 0},
    {CSR_HSTATUS, 1, "hstatus", pred_h, read_hstatus, field_write, NULL, F(hstatus),
     HSTATUS_WRITABLE},
    {CSR_HEDELEG, 1, "hedeleg", pred_h, field_read, field_write, NULL, F(hedeleg),
     HEDELEG_WRITABLE},
    {CSR_HIDELEG, 1, "hideleg", pred_h, field_read, field_write, NULL, F(hideleg), VS_INTS},
    {CSR_HIE, 1, "hie", pred_h, read_hie, write_hie, NULL, 0, 0},
    {CSR_HTIMEDELTA, 1, "htimedelta", pred_h, field_read, write_vtimer, NULL, F(htimedelta), ALL},
    {CSR_HCOUNTEREN, 1, "hcounteren", pred_h, field_read, field_write, NULL, F(hcounteren),
     0xffffffff},
    {CSR_HGEIE, 1, "hgeie", pred_h, NULL, NULL, NULL, 0, 0}, /* GEILEN = 0 */
    {CSR_HENVCFG, 1, "henvcfg", pred_henvcfg, field_read, write_henvcfg, NULL, F(henvcfg), 0},
    {CSR_HSTATEEN0, 4, "hstateen", pred_hstateen, read_stateen, write_stateen, NULL, 0, 0},
    {CSR_HTVAL, 1, "htval", pred_h, field_read, field_write, NULL, F(htval), ALL},
    {CSR_HIP, 1, "hip", pred_h, read_hip, write_hip, read_hvip, 0, 0},
    {CSR_HVIP, 1, "hvip", pred_h, read_hvip, write_hvip, NULL, 0, 0},
    {CSR_HTINST, 1, "htinst", pred_h, field_read, field_write, NULL, F(htinst), ALL},
    {CSR_HGATP, 1, "hgatp", pred_h, field_read, write_hgatp, NULL, F(hgatp), 0},
    {CSR_MSECCFG, 1, "mseccfg", NULL, field_read, field_write, NULL, F(mseccfg), 0},
    {CSR_TSELECT, 1, "tselect", NULL, NULL, NULL, NULL, 0, 0}, /* no triggers */
    {CSR_TDATA1, 1, "tdata1", NULL, NULL, NULL, NULL, 0, 0},
    {CSR_TDATA2, 1, "tdata2", NULL, NULL, NULL, NULL, 0, 0},
    {CSR_TDATA3, 1, "tdata3", NULL, NULL, NULL, NULL, 0, 0},
    {CSR_MCYCLE, 1, "mcycle", NULL, read_counter, write_counter, NULL, 0, 0},
    {CSR_MINSTRET, 1, "minstret", NULL, read_counter, write_counter, NULL, 0, 0},
    {CSR_MHPMCOUNTER3, 29, "mhpmcounter", NULL, read_counter, write_counter, NULL, 0, 0},
    {CSR_CYCLE, 1, "cycle", pred_counter, read_counter, NULL, NULL, 0, 0},
    {CSR_TIME, 1, "time", pred_counter, read_time, NULL, NULL, 0, 0},
    {CSR_INSTRET, 1, "instret", pred_counter, read_counter, NULL, NULL, 0, 0},
    {CSR_HPMCOUNTER3, 29, "hpmcounter", pred_counter, read_counter, NULL, NULL, 0, 0},
    {CSR_VL, 1, "vl", pred_vec, read_vec, NULL, NULL, 0, 0},
    {CSR_VTYPE, 1, "vtype", pred_vec, read_vec, NULL, NULL, 0, 0},
    {CSR_VLENB, 1, "vlenb", pred_vec, read_vec, NULL, NULL, 0, 0},
    {CSR_SCOUNTOVF, 1, "scountovf", pred_sscofpmf, read_scountovf, NULL, NULL, 0, 0},
    {CSR_HGEIP, 1, "hgeip", pred_h, NULL, NULL, NULL, 0, 0}, /* GEILEN = 0 */
    {CSR_MVENDORID, 1, "mvendorid", NULL, NULL, NULL, NULL, 0, 0},
    {CSR_MARCHID, 1, "marchid", NULL, NULL, NULL, NULL, 0, 0},
    {CSR_MIMPID, 1, "mimpid", NULL, NULL, NULL, NULL, 0, 0},
    {CSR_MHARTID, 1, "mhartid", NULL, read_mhartid, NULL, NULL, 0, 0},
    {CSR_MCONFIGPTR, 1, "mconfigptr", NULL, NULL, NULL, NULL, 0, 0},
};

#undef F
#undef ALL

static const struct csr_desc *csr_find(unsigned csr)
{
    size_t lo = 0, hi = ARRAY_SIZE(csr_table);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const struct csr_desc *d = &csr_table[mid];
        if (csr < d->num)
            hi = mid;
        else if (csr >= (unsigned)d->num + d->count)
            lo = mid + 1;
        else
            return d;
    }
    return NULL;
}

const char *csr_name(unsigned csr, char *buf, size_t len)
{
    const struct csr_desc *d = csr_find(csr);
    if (!d) return NULL;
    if (d->count == 1) return d->name;
    /* Runs are numbered from their first CSR's index (pmpcfg0, mhpmevent3). */
    unsigned first =
        d->num == CSR_MHPMEVENT3 || d->num == CSR_MHPMCOUNTER3 || d->num == CSR_HPMCOUNTER3 ? 3 : 0;
    snprintf(buf, len, "%s%u", d->name, first + (csr - d->num));
    return buf;
}

int csr_legalize(struct rv_hart *h, unsigned csr, uint64_t v)
{
    const struct csr_desc *d = csr_find(csr);
    if (!d) return -EINVAL;
    /* The predicates look at the privilege and V bit: ask them as M-mode. */
    uint8_t priv = h->priv, virt = h->virt;
    h->priv = PRV_M;
    h->virt = 0;
    bool absent = d->pred && d->pred(h, csr) != 0;
    if (d->write) d->write(h, d, csr, absent ? 0 : v);
    h->priv = priv;
    h->virt = virt;
    return 0;
}

/* The rules of the number (2.1), with the V bit (8.6.1): hypervisor-level
 * CSRs (bits 9:8 = 2) are HS-mode's; from VS-mode they, and from VU-mode
 * the supervisor ones too, are virtual instructions; a VS-mode access to
 * an S CSR reaches its VS counterpart (0x1xx -> 0x2xx). */
int csr_access(struct rv_hart *h, unsigned csr, enum csr_op op, uint64_t operand, bool do_write,
               uint64_t *old)
{
    unsigned level = (csr >> 8) & 3;
    if (h->virt && level == 1 && h->priv == PRV_S && csr_find(csr + 0x100)) csr += 0x100;
    const struct csr_desc *d = csr_find(csr);
    if (!d) return CSR_ILLEGAL;
    if (do_write && (csr >> 10) == 3) return CSR_ILLEGAL; /* read-only CSR (2.1) */
    if (h->virt) {
        if (level == 3) return CSR_ILLEGAL;
        if (level == 2 || (level == 1 && h->priv == PRV_U)) return CSR_VIRTUAL;
    } else if (h->priv < (level == 2 ? PRV_S : level)) {
        return CSR_ILLEGAL;
    }
    if (d->pred) {
        int rc = d->pred(h, csr);
        if (rc) return rc;
    }
    uint64_t v = d->read ? d->read(h, d, csr) : 0;
    if (do_write && d->write) {
        uint64_t base = d->rmw_base ? d->rmw_base(h, d, csr) : v;
        uint64_t nv = op == CSR_OP_WRITE ? operand
                      : op == CSR_OP_SET ? base | operand
                                         : base & ~operand;
        d->write(h, d, csr, nv);
    }
    *old = v;
    return 0;
}
