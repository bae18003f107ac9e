/* Virtual memory for one hart: the slow paths behind the software TLB (page
 * walk for Sv39/Sv48/Sv57, PMP, A/D updates, MMIO routing), TLB fills and
 * flushes. Fast paths live inline in the interpreter and JIT.
 * Functions return 0, or the exception cause to raise with h->fault_tval set. */
#ifndef RVMM_CPU_MMU_H
#define RVMM_CPU_MMU_H

#include "cpu/hart.h"

enum mmu_access { MMU_READ = 0, MMU_WRITE = 1, MMU_EXEC = 2 };

/* What a load/store/atomic slow path returns instead of a cause when the
 * access hits a debugger's watchpoint (cpu/hart_debug.h): nothing was
 * accessed. Never a valid cause. */
#define MMU_DEBUG_STOP (-1)

/* Recomputes which TLB sets serve data and fetch after a change of
 * privilege, MPRV/MPP or SUM. */
void mmu_update_mode(struct rv_hart *h);
/* Empties every TLB set, whatever it holds (a fresh hart's are zeroes). */
void mmu_reset(struct rv_hart *h);
void mmu_flush(struct rv_hart *h);
/* The V=0 translations only (satp writes, sfence.vma with V=0): the guest
 * contexts keep theirs. */
void mmu_flush_hs(struct rv_hart *h);
/* sfence.vma with V=0 and rs1 != x0: drops the V=0 translations of va's
 * leaf PTE. */
void mmu_flush_va(struct rv_hart *h, gva_t va);

/* Guest TLB contexts (mmu_vtlb.c, struct tlb_vctx). After a write of
 * hgatp or vsatp: makes h->vctx the context of the pair now in them (then
 * mmu_update_mode() points the V=1 sets at it). */
void mmu_vtlb_select(struct rv_hart *h);
/* hfence.vvma, and sfence.vma with V=1 (priv spec 8.3.1): drops the VS-stage
 * translations of guest `vmid`, of one ASID (by_asid) or all, of one guest
 * virtual address (by_va) or all. */
void mmu_vtlb_fence_vvma(struct rv_hart *h, uint64_t vmid, bool by_asid, uint64_t asid, bool by_va,
                         gva_t va);
/* hfence.gvma (8.3.2): drops the G-stage translations of one VMID
 * (by_vmid) or all, of one guest physical address (by_gpa) or all; with
 * combined entries, every one made through them. */
void mmu_vtlb_fence_gvma(struct rv_hart *h, bool by_vmid, uint64_t vmid, bool by_gpa, gpa_t gpa);
/* The VMID of an hgatp value and the ASID of a satp/vsatp value. */
static inline uint64_t mmu_vmid(uint64_t hgatp)
{
    return (hgatp >> 44) & 0x3fff;
}
static inline uint64_t mmu_asid(uint64_t atp)
{
    return (atp >> 44) & 0xffff;
}
/* Catches up with the code epoch: drops the write entries of the pages
 * that became code since h->code_epoch_seen (all of them if it is behind
 * by more than the RAM's ring holds). */
void mmu_drop_code_writes(struct rv_hart *h, uint64_t epoch);

/* A page became code (here or on another hart): write TLB entries that
 * would let stores bypass the invalidation check are dropped. One load of
 * a line that rarely changes, so it can run at every block boundary. */
static inline void mmu_sync_code_epoch(struct rv_hart *h)
{
    uint64_t epoch = __atomic_load_n(&h->ram->code_epoch, __ATOMIC_ACQUIRE);
    if (unlikely(epoch != h->code_epoch_seen)) mmu_drop_code_writes(h, epoch);
}

int mmu_load(struct rv_hart *h, gva_t va, unsigned size, uint64_t *val);
int mmu_store(struct rv_hart *h, gva_t va, unsigned size, uint64_t val);

/* Translates va for instruction fetch; *host points at the byte at va in RAM
 * and *pa is its physical address. Code must be in RAM. */
int mmu_fetch(struct rv_hart *h, gva_t va, uint8_t **host, gpa_t *pa);

/* Translates an aligned AMO/LR/SC address for read and write; RAM only. */
int mmu_atomic_addr(struct rv_hart *h, gva_t va, unsigned size, bool is_lr, void **host, gpa_t *pa);

/* Full translation without side effects on the TLB (used by tests too). */
int mmu_translate(struct rv_hart *h, gva_t va, enum mmu_access acc, unsigned priv, gpa_t *pa,
                  bool *page_uniform);

/* A debugger's translation of va as the hart would fetch or read it now
 * (its privilege, satp; MPRV ignored): no TLB fill, no A/D update, no
 * permission check beyond a valid leaf. 0 or a page-fault cause. */
int mmu_translate_debug(struct rv_hart *h, gva_t va, gpa_t *pa);

/* PMP (priv spec 3.7): whether an access of len bytes at pa is allowed.
 * priv may carry MMU_V. */
bool pmp_allows(struct rv_hart *h, gpa_t pa, uint64_t len, enum mmu_access acc, unsigned priv);
/* To be called after any change of pmpcfg/pmpaddr: the next check decodes
 * them again. */
void pmp_invalidate(struct rv_hart *h);
/* Whether the whole 4 KiB page at pa has one PMP outcome equal to `allowed`
 * for this access, so a TLB entry may cover it. */
bool pmp_page_uniform(struct rv_hart *h, gpa_t page, enum mmu_access acc, unsigned priv);
/* In a privilege argument: the access is a guest's (V=1), translated by
 * vsatp over hgatp. PMP sees only the low bits (never M for a guest). */
#define MMU_V 4u

/* Privilege used for loads and stores (MPRV, priv spec 3.1.6.3, and MPV
 * for the H extension, 8.2.1), with MMU_V for a guest access. */
static inline unsigned mmu_data_priv(const struct rv_hart *h)
{
    if (h->priv == PRV_M && (h->mstatus & MSTATUS_MPRV)) {
        unsigned mpp = (unsigned)((h->mstatus & MSTATUS_MPP) >> 11);
        return mpp | (mpp != PRV_M && (h->mstatus & MSTATUS_MPV) ? MMU_V : 0);
    }
    return h->priv | (h->virt ? MMU_V : 0);
}

/* Loads/stores of HLV/HLVX/HSV (priv spec 8.3.2): as the guest at
 * hstatus.SPVP would, without the TLB. exec: HLVX (execute permission
 * instead of read; faults are load faults). */
int mmu_load_guest(struct rv_hart *h, gva_t va, unsigned size, bool exec, uint64_t *val);
int mmu_store_guest(struct rv_hart *h, gva_t va, unsigned size, uint64_t val);

#endif
