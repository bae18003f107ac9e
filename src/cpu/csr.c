/* The CSR file: read and write rules of every implemented CSR, the privilege
 * and read-only checks encoded in the CSR number (priv spec 2.1), counter
 * enables, and the WARL legalisations. Side effects on translation go through
 * mmu_*; nothing here raises traps itself. */
#include "cpu/csr.h"

#include "cpu/fpu.h"
#include "cpu/mmu.h"
#include "cpu/trap.h"

#define SSTATUS_MASK                                                                               \
    (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_XS | MSTATUS_SUM |            \
     MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)
#define SSTATUS_WRITABLE                                                                           \
    (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | MSTATUS_MXR)
#define MSTATUS_WRITABLE                                                                           \
    (SSTATUS_WRITABLE | MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TVM |    \
     MSTATUS_TW | MSTATUS_TSR)
#define S_INTS         (MIP_SSIP | MIP_STIP | MIP_SEIP)
#define ALL_INTS       (S_INTS | MIP_MSIP | MIP_MTIP | MIP_MEIP)
#define DELEGABLE_EXCS 0xb3ffULL /* all but ecall from M (11) and reserved 10, 14 */

uint64_t csr_read_mstatus(const struct rv_hart *h)
{
    uint64_t s = h->mstatus | (2ULL << 32) | (2ULL << 34); /* UXL = SXL = 64 */
    if ((s & MSTATUS_FS) == MSTATUS_FS) s |= MSTATUS_SD;
    return s;
}

/* Counters readable below M only where m/scounteren allow (3.1.11, 4.1.3). */
static bool counter_allowed(const struct rv_hart *h, unsigned csr)
{
    unsigned bit = csr & 31;
    if (h->priv < PRV_M && !((h->mcounteren >> bit) & 1)) return false;
    if (h->priv < PRV_S && !((h->scounteren >> bit) & 1)) return false;
    return true;
}

static int csr_read(struct rv_hart *h, unsigned csr, uint64_t *v)
{
    switch (csr) {
    case 0x001:
        if (!hart_fp_on(h)) return -1;
        *v = h->fflags;
        return 0;
    case 0x002:
        if (!hart_fp_on(h)) return -1;
        *v = h->frm;
        return 0;
    case 0x003:
        if (!hart_fp_on(h)) return -1;
        *v = h->fflags | (h->frm << 5);
        return 0;
    case 0xc00:
    case 0xc01:
    case 0xc02:
        if (!counter_allowed(h, csr)) return -1;
        *v = csr == 0xc00   ? h->instret - 1 + h->mcycle_offset
             : csr == 0xc01 ? vclock_ticks(h->clock)
                            : h->instret - 1 + h->minstret_offset;
        return 0;
    case 0x100: *v = csr_read_mstatus(h) & SSTATUS_MASK; return 0;
    case 0x104: *v = h->mie & h->mideleg; return 0;
    case 0x105: *v = h->stvec; return 0;
    case 0x106: *v = h->scounteren; return 0;
    case 0x10a: *v = h->senvcfg; return 0;
    case 0x140: *v = h->sscratch; return 0;
    case 0x141: *v = h->sepc; return 0;
    case 0x142: *v = h->scause; return 0;
    case 0x143: *v = h->stval; return 0;
    case 0x144: *v = trap_mip(h) & h->mideleg; return 0;
    case 0x180:
        if (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM)) return -1;
        *v = h->satp;
        return 0;
    case 0xf11:
    case 0xf12:
    case 0xf13:
    case 0xf15: *v = 0; return 0;
    case 0xf14: *v = h->mhartid; return 0;
    case 0x300: *v = csr_read_mstatus(h); return 0;
    case 0x301: *v = h->misa; return 0;
    case 0x302: *v = h->medeleg; return 0;
    case 0x303: *v = h->mideleg; return 0;
    case 0x304: *v = h->mie; return 0;
    case 0x305: *v = h->mtvec; return 0;
    case 0x306: *v = h->mcounteren; return 0;
    case 0x30a: *v = h->menvcfg; return 0;
    case 0x14d: /* stimecmp (Sstc): S-mode needs menvcfg.STCE and mcounteren.TM */
        if (h->priv < PRV_M && (!(h->menvcfg & MENVCFG_STCE) || !(h->mcounteren & 2))) return -1;
        *v = h->stimecmp;
        return 0;
    case 0x320: *v = h->mcountinhibit; return 0;
    case 0x340: *v = h->mscratch; return 0;
    case 0x341: *v = h->mepc; return 0;
    case 0x342: *v = h->mcause; return 0;
    case 0x343: *v = h->mtval; return 0;
    case 0x344: *v = trap_mip(h); return 0;
    case 0x747: *v = h->mseccfg; return 0;
    case 0xb00: *v = h->instret - 1 + h->mcycle_offset; return 0;
    case 0xb02: *v = h->instret - 1 + h->minstret_offset; return 0;
    case 0x7a0:
    case 0x7a1:
    case 0x7a2:
    case 0x7a3: *v = 0; return 0; /* no triggers */
    default: break;
    }
    if (csr >= 0x3a0 && csr <= 0x3af) {
        if (csr & 1) return -1; /* odd pmpcfg do not exist on RV64 */
        unsigned n = (csr - 0x3a0) / 2;
        *v = n < PMP_COUNT / 8 ? h->pmpcfg[n] : 0;
        return 0;
    }
    if (csr >= 0x3b0 && csr <= 0x3ef) {
        unsigned n = csr - 0x3b0;
        *v = n < PMP_COUNT ? h->pmpaddr[n] : 0;
        return 0;
    }
    if ((csr >= 0xc03 && csr <= 0xc1f)) {
        if (!counter_allowed(h, csr)) return -1;
        *v = 0;
        return 0;
    }
    if ((csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0x323 && csr <= 0x33f)) {
        *v = 0;
        return 0;
    }
    return -1;
}

static bool pmp_locked(const struct rv_hart *h, unsigned i)
{
    return (h->pmpcfg[i / 8] >> (8 * (i % 8))) & 0x80;
}

static void write_pmpcfg(struct rv_hart *h, unsigned n, uint64_t v)
{
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

static void write_pmpaddr(struct rv_hart *h, unsigned n, uint64_t v)
{
    if (pmp_locked(h, n)) return;
    /* A locked TOR entry also locks the address below it (3.7.1.2). */
    if (n + 1 < PMP_COUNT && pmp_locked(h, n + 1) &&
        ((h->pmpcfg[(n + 1) / 8] >> (8 * ((n + 1) % 8) + 3)) & 3) == 1)
        return;
    h->pmpaddr[n] = v & ((1ULL << 54) - 1);
}

static uint64_t legal_tvec(uint64_t old, uint64_t v)
{
    return (v & 3) >= 2 ? old : v;
}

static void write_mstatus(struct rv_hart *h, uint64_t v, uint64_t mask)
{
    uint64_t old = h->mstatus;
    /* Without F, FS is read-only zero (priv spec 3.1.6.6), which keeps
     * every FP instruction and fcsr access illegal. */
    if (!cpu_model_has(&h->cpu, CPU_EXT_f)) mask &= ~MSTATUS_FS;
    uint64_t n = (old & ~mask) | (v & mask);
    if (((n & MSTATUS_MPP) >> 11) == 2) /* reserved MPP: keep the old one */
        n = (n & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
    h->mstatus = n & ~(MSTATUS_SD | MSTATUS_UXL | MSTATUS_SXL | MSTATUS_XS | MSTATUS_VS);
    if ((old ^ h->mstatus) & MSTATUS_MXR) mmu_flush(h);
    mmu_update_mode(h);
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

static int csr_write(struct rv_hart *h, unsigned csr, uint64_t v)
{
    switch (csr) {
    case 0x001: h->fflags = v & 31; break;
    case 0x002: h->frm = v & 7; break;
    case 0x003:
        h->fflags = v & 31;
        h->frm = (v >> 5) & 7;
        break;
    case 0x100: write_mstatus(h, v, SSTATUS_WRITABLE); return 0;
    case 0x104: h->mie = (h->mie & ~h->mideleg) | (v & h->mideleg); return 0;
    case 0x105: h->stvec = legal_tvec(h->stvec, v); return 0;
    case 0x106: h->scounteren = v & 0xffffffff; return 0;
    case 0x10a: h->senvcfg = v & envcfg_cbo_mask(h); return 0;
    case 0x140: h->sscratch = v; return 0;
    case 0x141: h->sepc = v & ~1ULL; return 0;
    case 0x142: h->scause = v; return 0;
    case 0x143: h->stval = v; return 0;
    case 0x144:
        h->mip = (h->mip & ~(h->mideleg & MIP_SSIP)) | (v & h->mideleg & MIP_SSIP);
        return 0;
    case 0x180: {
        if (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM)) return -1;
        unsigned mode = (unsigned)(v >> 60);
        if (mode != 0 && mode != 8 && mode != 9 && mode != 10)
            return 0; /* unsupported mode: the whole write has no effect (4.1.11) */
        h->satp = v & (0xfULL << 60 | 0xffffULL << 44 | ((1ULL << 44) - 1));
        mmu_flush(h);
        return 0;
    }
    case 0x300: write_mstatus(h, v, MSTATUS_WRITABLE); return 0;
    case 0x301: return 0; /* misa is fixed: WARL */
    case 0x302: h->medeleg = v & DELEGABLE_EXCS; return 0;
    case 0x303: h->mideleg = v & S_INTS; return 0;
    case 0x304: h->mie = v & ALL_INTS; return 0;
    case 0x305: h->mtvec = legal_tvec(h->mtvec, v); return 0;
    case 0x306: h->mcounteren = v & 0xffffffff; return 0;
    case 0x30a:
        h->menvcfg = v & (envcfg_cbo_mask(h) | MENVCFG_STCE);
        hart_update_timer(h);
        return 0;
    case 0x14d:
        h->stimecmp = v;
        hart_update_timer(h);
        return 0;
    case 0x320: h->mcountinhibit = v & 0xfffffffd; return 0;
    case 0x340: h->mscratch = v; return 0;
    case 0x341: h->mepc = v & ~1ULL; return 0;
    case 0x342: h->mcause = v; return 0;
    case 0x343: h->mtval = v; return 0;
    case 0x344: {
        /* With Sstc, STIP follows stimecmp and is not writable (Sstc 1.0). */
        uint64_t m = (h->menvcfg & MENVCFG_STCE) ? (S_INTS & ~MIP_STIP) : S_INTS;
        h->mip = (h->mip & ~m) | (v & m);
        return 0;
    }
    case 0x747: h->mseccfg = 0; return 0;
    case 0xb00: h->mcycle_offset = v - h->instret; return 0;
    case 0xb02: h->minstret_offset = v - h->instret; return 0;
    case 0x7a0:
    case 0x7a1:
    case 0x7a2:
    case 0x7a3: return 0;
    default:
        if (csr >= 0x3a0 && csr <= 0x3af) {
            unsigned n = (csr - 0x3a0) / 2;
            if (n < PMP_COUNT / 8) write_pmpcfg(h, n, v);
            pmp_invalidate(h);
            mmu_flush(h);
            return 0;
        }
        if (csr >= 0x3b0 && csr <= 0x3ef) {
            if (csr - 0x3b0 < PMP_COUNT) write_pmpaddr(h, csr - 0x3b0, v);
            pmp_invalidate(h);
            mmu_flush(h);
            return 0;
        }
        return 0; /* other existing CSRs are read-only zero in effect */
    }
    /* fflags/frm/fcsr writes make the FP state dirty. */
    h->mstatus |= MSTATUS_FS;
    return 0;
}

int csr_access(struct rv_hart *h, unsigned csr, enum csr_op op, uint64_t operand, bool do_write,
               uint64_t *old)
{
    unsigned min_priv = (csr >> 8) & 3;
    if (h->priv < min_priv) return -1;
    if (do_write && (csr >> 10) == 3) return -1; /* read-only CSR (2.1) */
    uint64_t v;
    if (csr_read(h, csr, &v)) return -1;
    if (do_write) {
        /* Read-modify-write of mip/sip acts on the software-written bits,
         * not on what the interrupt lines add (3.1.9). */
        uint64_t base = csr == 0x344 ? h->mip : csr == 0x144 ? (h->mip & h->mideleg) : v;
        uint64_t nv = op == CSR_OP_WRITE ? operand
                      : op == CSR_OP_SET ? base | operand
                                         : base & ~operand;
        if (csr_write(h, csr, nv)) return -1;
    }
    *old = v;
    return 0;
}
