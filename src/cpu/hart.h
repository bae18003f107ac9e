/* One RISC-V hart (RV64GC, M/S/U): architectural state as a plain struct with
 * fixed offsets, so the JIT can address it and snapshots can copy it, plus the
 * engine's per-hart caches (TLB, translated blocks).
 * The CPU reaches the rest of the machine only through struct hart_bus (MMIO)
 * and struct guest_ram (RAM), and takes interrupts through hart_set_irq(). */
#ifndef RVMM_CPU_HART_H
#define RVMM_CPU_HART_H

#include "common/clock.h"
#include "common/stream.h"
#include "common/types.h"
#include "cpu/cpu_model.h"
#include "cpu/hart_fence.h"
#include "cpu/pmu.h"
#include "mem/ram.h"

#include <stdio.h>

/* Privilege levels (priv spec 1.12, table 1.1). */
enum { PRV_U = 0, PRV_S = 1, PRV_M = 3 };

/* What hart_run() returns: why the VMM got control back (like KVM_RUN exits). */
enum hart_exit {
    HART_EXIT_BUDGET, /* ran its instruction budget */
    HART_EXIT_WFI,    /* waiting for an interrupt; pc is past the wfi */
    HART_EXIT_KICKED, /* another thread asked the hart to stop */
    HART_EXIT_SBI,    /* ecall from S-mode with SBI served by the VMM */
    HART_EXIT_DEBUG,  /* ebreak with a debugger attached, or a single step done */
    /* The KVM engine only: KVM_RUN failed or reported an exit rvmm cannot
     * serve; the VMM stops the VM with an error. The emulating engines
     * never return it: every guest fault is architectural (a trap). No
     * SHUTDOWN: a power-off or reset is a device's request to the board,
     * which kicks the harts (KICKED) and the VMM reads the request. */
    HART_EXIT_FATAL,
    HART_EXIT_COUNT
};

/* Exception causes (priv spec 1.12, table 3.6). */
enum {
    EXC_INSN_MISALIGNED = 0,
    EXC_INSN_ACCESS = 1,
    EXC_ILLEGAL_INSN = 2,
    EXC_BREAKPOINT = 3,
    EXC_LOAD_MISALIGNED = 4,
    EXC_LOAD_ACCESS = 5,
    EXC_STORE_MISALIGNED = 6,
    EXC_STORE_ACCESS = 7,
    EXC_ECALL_U = 8,
    EXC_ECALL_S = 9,
    EXC_ECALL_M = 11,
    EXC_INSN_PAGE_FAULT = 12,
    EXC_LOAD_PAGE_FAULT = 13,
    EXC_STORE_PAGE_FAULT = 15,
    /* Hypervisor extension (priv spec 1.12, table 8.7) */
    EXC_ECALL_VS = 10,
    EXC_INSN_GUEST_PAGE_FAULT = 20,
    EXC_LOAD_GUEST_PAGE_FAULT = 21,
    EXC_VIRTUAL_INSN = 22,
    EXC_STORE_GUEST_PAGE_FAULT = 23,
    EXC_COUNT = 24
};

/* Interrupt numbers; mip/mie bit positions. */
enum {
    IRQ_S_SOFT = 1,
    IRQ_VS_SOFT = 2,
    IRQ_M_SOFT = 3,
    IRQ_S_TIMER = 5,
    IRQ_VS_TIMER = 6,
    IRQ_M_TIMER = 7,
    IRQ_S_EXT = 9,
    IRQ_VS_EXT = 10,
    IRQ_M_EXT = 11,
    IRQ_S_GEXT = 12,
    /* IRQ_LCOF = 13 (Sscofpmf), in cpu/pmu.h */
    IRQ_COUNT = 14
};

#define MIP_SSIP (1ULL << IRQ_S_SOFT)
#define MIP_MSIP (1ULL << IRQ_M_SOFT)
#define MIP_STIP (1ULL << IRQ_S_TIMER)
#define MIP_MTIP (1ULL << IRQ_M_TIMER)
#define MIP_SEIP (1ULL << IRQ_S_EXT)
#define MIP_MEIP (1ULL << IRQ_M_EXT)
/* VS-level interrupts (H extension): always delegated past M (mideleg
 * reads them as one); hvip and hip are views of these mip bits. */
#define MIP_VSSIP (1ULL << IRQ_VS_SOFT)
#define MIP_VSTIP (1ULL << IRQ_VS_TIMER)
#define MIP_VSEIP (1ULL << IRQ_VS_EXT)
#define MIP_SGEIP (1ULL << IRQ_S_GEXT)
#define VS_INTS   (MIP_VSSIP | MIP_VSTIP | MIP_VSEIP)

/* mstatus fields (priv spec 1.12, 3.1.6). */
#define MSTATUS_SIE  (1ULL << 1)
#define MSTATUS_MIE  (1ULL << 3)
#define MSTATUS_SPIE (1ULL << 5)
#define MSTATUS_UBE  (1ULL << 6)
#define MSTATUS_MPIE (1ULL << 7)
#define MSTATUS_SPP  (1ULL << 8)
#define MSTATUS_VS   (3ULL << 9)
#define MSTATUS_MPP  (3ULL << 11)
#define MSTATUS_FS   (3ULL << 13)
#define MSTATUS_XS   (3ULL << 15)
#define MSTATUS_MPRV (1ULL << 17)
#define MSTATUS_SUM  (1ULL << 18)
#define MSTATUS_MXR  (1ULL << 19)
#define MSTATUS_TVM  (1ULL << 20)
#define MSTATUS_TW   (1ULL << 21)
#define MSTATUS_TSR  (1ULL << 22)
#define MSTATUS_UXL  (3ULL << 32)
#define MSTATUS_SXL  (3ULL << 34)
#define MSTATUS_SBE  (1ULL << 36)
#define MSTATUS_MBE  (1ULL << 37)
#define MSTATUS_GVA  (1ULL << 38)
#define MSTATUS_MPV  (1ULL << 39)
#define MSTATUS_SD   (1ULL << 63)

#define MSTATUS_FS_SHIFT 13
#define MENVCFG_STCE     (1ULL << 63)
#define ENVCFG_PBMTE     (1ULL << 62) /* Svpbmt: the PBMT field of PTEs is in use */
#define ENVCFG_ADUE      (1ULL << 61) /* Svadu: hardware A/D updates */
#define STATEEN_SE       (1ULL << 63) /* mstateenN/hstateenN: hstateenN/sstateenN accessible */
#define STATEEN0_ENVCFG  (1ULL << 62) /* mstateen0/hstateen0: senvcfg (and henvcfg) accessible */
/* menvcfg/senvcfg cache-block fields (priv spec 3.1.18, CMO spec 2.5) */
#define ENVCFG_CBIE     (3ULL << 4) /* cbo.inval: 00 illegal, 01 flush, 11 invalidate */
#define ENVCFG_CBIE_INV (3ULL << 4)
#define ENVCFG_CBCFE    (1ULL << 6) /* cbo.clean and cbo.flush allowed */
#define ENVCFG_CBZE     (1ULL << 7) /* cbo.zero allowed */
enum { FS_OFF = 0, FS_INITIAL = 1, FS_CLEAN = 2, FS_DIRTY = 3 };

/* Software TLB. An entry's tag is the page-aligned virtual address; a hit
 * turns a guest virtual address into a host pointer with one add. Entries
 * exist only for RAM pages whose whole 4 KiB passed translation, PMP and
 * permission checks; MMIO always takes the slow path.
 * Two-way set-associative: TLB_ENTRIES rows of TLB_WAYS entries, a page's
 * row chosen by the low bits of its page number, the row's ways side by
 * side (one 32-byte pair) so a probe of both touches one cache line. With
 * one way, two hot pages whose numbers agree in those bits (which a guest's
 * address randomisation makes likely in some runs) evicted each other on
 * every access. A fill puts the new page in way 0 and moves way 0's to way
 * 1, so the last two pages of a row stay; a row never holds a page twice. */
#define TLB_BITS    10
#define TLB_ENTRIES (1u << TLB_BITS)
#define TLB_WAYS    2
#define TLB_SLOTS   (TLB_ENTRIES * TLB_WAYS)
#define TLB_INVALID (~0ULL)

struct tlb_entry {
    uint64_t tag;
    uintptr_t addend; /* host = addend + va */
};

/* Each kind is an array of TLB_SLOTS entries: row i's way w at
 * i * TLB_WAYS + w. */
struct tlb_set {
    struct tlb_entry r[TLB_SLOTS];
    struct tlb_entry w[TLB_SLOTS];
    struct tlb_entry x[TLB_SLOTS];
};

/* The first slot of va's row. */
static inline unsigned tlb_row(uint64_t va)
{
    return ((unsigned)(va >> 12) & (TLB_ENTRIES - 1)) * TLB_WAYS;
}

/* The entry of one kind (a set's r, w or x) whose tag is `tag` in va's row,
 * or NULL. The tag is va's page, with the low bits of a naturally aligned
 * access for loads and stores, so a misaligned access misses. */
static inline const struct tlb_entry *tlb_lookup(const struct tlb_entry *kind, uint64_t va,
                                                 uint64_t tag)
{
    const struct tlb_entry *e = &kind[tlb_row(va)];
    if (__builtin_expect(e[0].tag == tag, 1)) return &e[0];
    if (e[1].tag == tag) return &e[1];
    return NULL;
}

/* Bookkeeping beside each TLB set (kept out of it: native code relies on the
 * set's layout). `live` marks the r, w and x entries that may be valid, so a
 * flush stores only to those. [super_lo, super_hi] spans every superpage a
 * cached 4 KiB piece was cut from (empty while super_lo > super_hi): an
 * sfence.vma of an address outside it drops that address's entries only. */
struct tlb_book {
    uint64_t live[3][TLB_SLOTS / 64];
    uint64_t super_lo, super_hi;
};

/* Translation regimes that get their own TLB set, so common mode switches
 * (traps, sret, SUM toggles in copy_to_user, entering and leaving a guest)
 * need no flush: U, S, S with SUM and M for V=0, then per guest context
 * (below) VU, VS and VS with SUM, which hold the whole two-stage result. */
enum { TLBM_U = 0, TLBM_S = 1, TLBM_S_SUM = 2, TLBM_M = 3, TLBM_HS_COUNT = 4 };
enum { TLBV_VU = 0, TLBV_VS = 1, TLBV_VS_SUM = 2, TLBV_SETS = 3 };

/* Guest TLB contexts (H extension): each holds the V=1 sets of one
 * (hgatp, vsatp) pair, so entries are tagged by VMID and ASID (and root)
 * by the set they sit in and the fast path compares nothing more. A write
 * of hgatp or vsatp selects the context of the new pair (the least
 * recently selected one is emptied for a pair not seen), which makes
 * entering and leaving guests and switching guest processes flush-free;
 * hfence.vvma/gvma and sfence.vma at V=1 drop only the entries of the
 * contexts, addresses and pages they name (mmu_vtlb.c). */
#define TLB_VCTX   4
#define TLBM_V(c)  (TLBM_HS_COUNT + TLBV_SETS * (c))
#define TLBM_COUNT TLBM_V(TLB_VCTX)

struct tlb_vctx {
    uint64_t hgatp, vsatp; /* the pair this context caches translations of */
    uint64_t stamp;        /* when last selected (least recent is reused) */
    bool valid;
    /* For hfence.gvma with an address: the guest physical span of the
     * G-stage superpages behind any entry or VS page-table read (empty
     * while lo > hi), and a Bloom filter of the 4 KiB guest physical pages
     * the VS-stage walks read PTEs from; a fenced address in either drops
     * the whole context, else only the entries of its page. */
    uint64_t gsuper_lo, gsuper_hi;
    uint64_t pt_bloom[4];
    /* Each entry's guest physical page, by set, kind and index. */
    uint64_t gpa[TLBV_SETS][3][TLB_SLOTS];
};

#define PMP_COUNT 16

/* A PMP entry that matches something: the bytes [lo, hi) and its cfg. */
struct pmp_rule {
    uint64_t lo, hi;
    uint8_t cfg;
};

struct hart_bus {
    void *opaque;
    int (*read)(void *opaque, gpa_t pa, unsigned size, uint64_t *val);
    int (*write)(void *opaque, gpa_t pa, unsigned size, uint64_t val);
};

/* KVM_RUN exits by reason (the kvm engine, cpu/kvm/): what the kernel
 * handed back to rvmm, beside the exits hart_run() itself returns. */
enum {
    HART_KVM_MMIO_READ,
    HART_KVM_MMIO_WRITE,
    HART_KVM_SBI,
    HART_KVM_SYSTEM_EVENT,
    HART_KVM_INTR, /* a signal ended KVM_RUN (a kick) */
    HART_KVM_OTHER,
    HART_KVM_STAT_COUNT
};

struct hart_stats {
    uint64_t exits[HART_EXIT_COUNT];
    uint64_t kvm_exits[HART_KVM_STAT_COUNT];
    uint64_t exc[EXC_COUNT][4]; /* by cause and target privilege */
    uint64_t irq[IRQ_COUNT][4]; /* by interrupt and target privilege */
    uint64_t tlb_miss;
    uint64_t tlb_flush;
    uint64_t blocks_translated;
    uint64_t blocks_invalidated;
    uint64_t mmio_slow;
    /* JIT engine */
    uint64_t jit_blocks;        /* blocks translated to host code */
    uint64_t jit_code_bytes;    /* host code emitted */
    uint64_t jit_region_bytes;  /* ... of it in regions */
    uint64_t jit_data_bytes;    /* helper records and region sub-block copies */
    uint64_t jit_lookups;       /* block transitions through the run loop */
    uint64_t jit_chain_hits;    /* ... natively: a linked exit or a jump-table hit */
    uint64_t jit_links;         /* exits patched into direct jumps */
    uint64_t jit_flushes;       /* code cache flushes (full, or blocks flushed) */
    uint64_t jit_translate_ns;  /* host time spent translating */
    uint64_t jit_interp_blocks; /* blocks the JIT left to the interpreter */
    uint64_t jit_cold_runs;     /* runs of blocks not translated yet (lazy translation) */
    uint64_t jit_regions;       /* loops translated as one region */
    uint64_t jit_helper_calls;  /* instructions native code ran by their handler (--stats) */
};

/* The vector unit's state (V, RVV 1.0). The registers are one byte array
 * with register r at r * vlenb, so a register group is contiguous and
 * element k of EEW e of group vd is at vd * vlenb + k * e / 8 (the host is
 * little-endian, as RISC-V's element order is): one multiply and add per
 * element of any width (interp_v.h). vlenb is the model's VLEN / 8, 0
 * without V. */
#define HART_VREG_BYTES (32 * CPU_VLEN_MAX / 8)

struct rv_vstate {
    uint64_t vstart, vl, vtype;
    uint8_t vxrm, vxsat;
    uint16_t vlenb;
    uint8_t reg[HART_VREG_BYTES];
};

_Static_assert((HART_VREG_BYTES & (HART_VREG_BYTES - 1)) == 0,
               "element offsets are masked to the register file");

struct block_cache;
struct jit;
struct hart_debug;
struct kvm_vcpu_ctx;

/* The CPU engines behind hart_run(): all give identical architectural
 * results; the interpreter is the portable reference. KVM (riscv64 hosts
 * only) runs the hart on the host's hardware virtualization. */
enum hart_engine { HART_ENGINE_INTERP = 0, HART_ENGINE_JIT, HART_ENGINE_KVM };

struct rv_hart {
    /* Hot state first: the interpreter and JIT touch these on every insn.
     * x[32] is a write sink: instructions whose rd is x0 write there. */
    uint64_t x[33];
    uint64_t f[32];
    uint64_t pc;
    uint64_t instret;
    struct tlb_set *dtlb; /* TLB set for loads/stores in the current regime */
    struct tlb_set *itlb; /* TLB set for instruction fetch */
    /* Set from other threads (interrupt lines, pause requests); read at
     * block boundaries. */
    uint64_t irq_lines; /* MSIP/MTIP/SEIP/MEIP driven by devices */
    int kick;
    int ssip_req;  /* posted by other threads, folded into mip */
    int flush_req; /* posted by other threads: HART_FLUSH_* bits */

    uint8_t priv;
    uint8_t virt; /* the V bit (H extension): VS-mode or VU-mode when set */
    uint8_t wfi;
    uint8_t fs_dirty_pending;

    /* Machine-mode CSRs */
    uint64_t mhartid;
    uint64_t mstatus;
    uint64_t misa;
    uint64_t medeleg, mideleg;
    uint64_t mie, mip; /* mip holds the software-writable bits */
    uint64_t mtvec, mscratch, mepc, mcause, mtval;
    uint64_t mcounteren, mcountinhibit;
    uint64_t menvcfg;
    uint64_t mseccfg;
    uint64_t pmpcfg[PMP_COUNT / 8]; /* pmpcfg0, pmpcfg2 on RV64 */
    uint64_t pmpaddr[PMP_COUNT];
    /* mcycle, minstret, mhpmcounter3..31 and mhpmevent3..31 (cpu/pmu.c) */
    struct hart_pmu pmu;

    /* Supervisor-mode CSRs (sstatus/sie/sip are views of the M ones) */
    uint64_t stvec, sscratch, sepc, scause, stval, satp;
    uint64_t scounteren, senvcfg;
    uint64_t stimecmp;

    /* Hypervisor and virtual-supervisor CSRs (priv spec 1.12 chapter 8).
     * hie, hip and hvip are views of mie/mip bits (VS_INTS, SGEIP); vsie
     * and vsip views of those. */
    uint64_t hstatus, hedeleg, hideleg, hcounteren, htval, htinst, hgatp, htimedelta, henvcfg;
    uint64_t vsstatus, vstvec, vsscratch, vsepc, vscause, vstval, vsatp, vstimecmp;
    uint64_t mtval2, mtinst;
    /* Smstateen/Ssstateen (priv spec chapter "Smstateen"): state-enable
     * registers 0..3 of each level. */
    uint64_t mstateen[4], hstateen[4], sstateen[4];

    uint32_t fflags, frm;

    /* LR/SC reservation (physical address), valid while resv_valid. */
    uint64_t resv_addr;
    uint64_t resv_value; /* value LR read: SC compares-and-swaps against it */
    uint8_t resv_valid;

    /* Configuration, set by the board. */
    struct cpu_model cpu; /* the extensions offered: misa, decoding, WARL masks */
    bool sbi_in_vmm;      /* ecall from S exits to the VMM instead of trapping */
    struct hart_bus bus;
    struct guest_ram *ram;
    const struct vclock *clock;

    /* Engine caches: not architectural state, never saved. */
    uint64_t fault_tval;  /* tval of the exception a slow path reports */
    uint64_t fault_gpa;   /* with a guest-page fault: the guest physical address */
    uint64_t fault_tinst; /* htinst/mtinst of it (0, or a pseudo-instruction) */
    uint8_t hlv;          /* an HLV/HSV is running: its faults carry a guest address */
    uint64_t block_pc;    /* virtual pc of the block being executed */
    uint32_t block_n;     /* instructions in that block */
    int exit_req;         /* an exit a handler asked for (enum hart_exit), or 0 */
    uint64_t traps;       /* traps taken: a block that trapped is not chained */
    uint64_t code_epoch_seen;
    struct block_cache *bc;
    struct jit *jit;              /* the JIT's code cache, created on first use */
    struct kvm_vcpu_ctx *kvm_cpu; /* the KVM engine's vCPU (cpu/kvm/), or NULL */
    /* The stop word: native code goes on from block to block only while
     * instret < jit_stop. jit_exec() sets it to the run loop's budget end;
     * anything the run loop must look at (a kick, a newly raised
     * interrupt line, a new code page on any hart, a write to the running
     * code's page) zeroes it, so native code has one compare to make. */
    uint64_t jit_stop;
    void *jit_from; /* the block whose unchained exit native code took */
    void *jit_site; /* with JIT_RET_SITE: the rel32 of the region exit taken */
    /* This hart's indirect-jump table (jit_cache.h), which native code
     * loads from here: translated code names nothing of one hart's. */
    void *jit_jt;
    /* The register cache's host registers while a cold path's handler
     * runs (jit_cache.c's shared cold stub): 9 is RC_NPOOL. */
    uint64_t jit_spill[9];
    uint8_t engine; /* enum hart_engine */
    /* Debugger (cpu/hart_debug.h): the table (NULL without one), the
     * generation this hart runs under, whether it has breakpoints and
     * watchpoints, a single step asked for, and why hart_run() last
     * stopped for the debugger (HART_STOP_*, cleared by the debugger). */
    const struct hart_debug *debug;
    uint64_t debug_gen;
    uint8_t debug_bp, debug_wp, debug_step, debug_stop;
    uint8_t debug_watch_kind;
    uint64_t debug_watch_addr;
    struct hart_stats stats;
    /* The PMP entries that match something, in priority order, decoded
     * from pmpcfg/pmpaddr on the first check after pmp_invalidate(). */
    struct pmp_rule pmp_rules[PMP_COUNT];
    uint8_t pmp_nrules;
    bool pmp_any_on; /* some entry is not OFF: unmatched S/U accesses fail */
    bool pmp_decoded;
    struct tlb_set tlb[TLBM_COUNT];
    struct tlb_book tlb_book[TLBM_COUNT];
    uint8_t vctx;   /* the guest TLB context of (hgatp, vsatp) */
    bool vtlb_used; /* a guest set was filled since the last reset or full flush */
    /* The guest sets hold TLB_INVALID tags: they are left untouched (zero
     * pages, 1.1 MiB) until a V=1 regime first selects one (mmu.c). */
    bool vtlb_ready;
    uint64_t vctx_clock; /* selections so far (tlb_vctx.stamp) */
    struct tlb_vctx vctx_tab[TLB_VCTX];
    struct hart_fence_box fences; /* posted by other threads (HART_FLUSH_FENCES) */
    /* Last: 4 KiB that no hot path but a vector instruction touches. */
    struct rv_vstate vec;
};

/* flush_req: flush the whole TLB; take the fences in the box. */
#define HART_FLUSH_ALL    1
#define HART_FLUSH_FENCES 2

/* A slow-path event for the counters that select it (cpu/pmu.c): one
 * test when no counter does. */
static inline void pmu_event(struct rv_hart *h, enum pmu_event ev)
{
    if (__builtin_expect(h->pmu.evc[ev] != 0, 0)) pmu_count(h, ev);
}

/* The F/D unit is usable unless mstatus.FS is Off (priv spec 3.1.6.6):
 * FP instructions and fcsr accesses are illegal while it is. */
static inline bool hart_fp_on(const struct rv_hart *h)
{
    /* With V=1, vsstatus.FS must be on too (priv spec 8.2.10). */
    return (h->mstatus & MSTATUS_FS) != 0 && (!h->virt || (h->vsstatus & MSTATUS_FS) != 0);
}

/* Modifying the FP state marks it Dirty: mstatus.FS, and with V=1
 * vsstatus.FS as well (priv spec 8.2.10). The JIT's inline FP ops
 * (jit_emit.c) do the same. */
static inline void hart_fs_dirty(struct rv_hart *h)
{
    h->mstatus |= MSTATUS_FS;
    if (h->virt) h->vsstatus |= MSTATUS_FS;
}

/* The vector unit is usable unless mstatus.VS is Off, and with V=1
 * vsstatus.VS too (unpriv spec V chapter 3.2, priv spec 8.2.10): vector
 * instructions and vector CSR accesses are illegal while it is. */
static inline bool hart_vec_on(const struct rv_hart *h)
{
    return (h->mstatus & MSTATUS_VS) != 0 && (!h->virt || (h->vsstatus & MSTATUS_VS) != 0);
}

/* Modifying the vector state (registers, vl, vtype, vstart, vxrm, vxsat)
 * marks it Dirty, as hart_fs_dirty does for FP. */
static inline void hart_vs_dirty(struct rv_hart *h)
{
    h->mstatus |= MSTATUS_VS;
    if (h->virt) h->vsstatus |= MSTATUS_VS;
}

/* n harts' storage, all zero pages until touched (NULL if out of memory),
 * and its release. Any memory does for hart_init; this keeps the parts a
 * hart never uses (a guest's TLB sets without H guests) off the RSS. */
struct rv_hart *hart_array_alloc(unsigned n);
void hart_array_free(struct rv_hart *harts, unsigned n);
int hart_init(struct rv_hart *h, uint64_t hartid, struct guest_ram *ram, const struct hart_bus *bus,
              const struct vclock *clock);
void hart_destroy(struct rv_hart *h);
void hart_reset(struct rv_hart *h, uint64_t pc);
/* Gives a hart in its reset state a CPU model (hart_init gives the
 * default one): misa, mideleg's VS bits and the decoded blocks follow. */
void hart_set_model(struct rv_hart *h, const struct cpu_model *m);

/* Runs guest code until the budget (instructions) is spent or an exit.
 * Returns at a block boundary once `budget` instructions retired (h->instret
 * counts them), whichever engine runs the hart. */
enum hart_exit hart_run(struct rv_hart *h, uint64_t budget);

/* How a hart's JIT works, fixed when it is made: whether translated code
 * counts its native block-to-block jumps (hart_stats.jit_chain_hits; one
 * memory add on each, so only --stats asks for it), and the perf map to
 * name translated code in (jit_perf_map_open; NULL: none; not owned). */
struct jit_options {
    bool counting;
    FILE *perf_map;
};

/* Selects the engine hart_run() uses from now on; o (may be NULL: the
 * defaults) applies when the JIT is first made. -ENOTSUP when this host
 * has no JIT (only x86-64 hosts do). */
int hart_set_engine(struct rv_hart *h, enum hart_engine e, const struct jit_options *o);
/* The engine a VM uses when none is asked for: the JIT where the host has one. */
enum hart_engine hart_default_engine(void);
const char *hart_engine_name(enum hart_engine e);

/* Raises or lowers an interrupt line (MSIP, MTIP, SEIP, MEIP). Thread-safe. */
void hart_set_irq(struct rv_hart *h, unsigned irq, int level);
/* Makes native code return to the run loop at its next check (jit_stop). */
static inline void hart_stop_native(struct rv_hart *h)
{
    __atomic_store_n(&h->jit_stop, 0, __ATOMIC_SEQ_CST);
}
/* Makes hart_run() return HART_EXIT_KICKED at the next block boundary. */
void hart_kick(struct rv_hart *h);
/* True when an interrupt is pending and enabled in mie (ignoring the global
 * enable), the condition that ends WFI (priv spec 3.3.3). */
bool hart_wfi_wakeup(const struct rv_hart *h);
/* Sstc: drives STIP from stimecmp against the current time when
 * menvcfg.STCE is set. Called after stimecmp/menvcfg writes and by the VMM
 * between slices. */
void hart_update_timer(struct rv_hart *h);
/* Host monotonic ns at which this hart's Sstc timer fires, or UINT64_MAX. */
uint64_t hart_timer_deadline_ns(const struct rv_hart *h);
/* Asks the hart to set its SSIP bit (SBI IPI from another thread). */
void hart_post_ssip(struct rv_hart *h);
/* Asks the hart to flush its TLB before running on (SBI remote fence). */
void hart_post_flush(struct rv_hart *h);

int hart_save(const struct rv_hart *h, struct stream *s);
int hart_restore(struct rv_hart *h, struct stream *s);

const char *hart_exit_name(enum hart_exit e);

#endif
