/* Hart lifecycle and the run loop behind hart_run(), the seam between the
 * CPU and the VMM: executes blocks, takes interrupts at block boundaries and
 * returns an exit reason, like KVM_RUN. Also the hart's save/restore. */
#include "cpu/hart.h"

#include "cpu/block.h"
#include "cpu/csr.h"
#include "cpu/hart_debug.h"
#include "cpu/hart_vec.h"
#include "cpu/jit/jit.h"
#include "cpu/kvm/kvm.h"
#include "cpu/mmu.h"
#include "cpu/trap.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZE_LEAKS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define SANITIZE_LEAKS 1
#endif
#endif
#ifndef SANITIZE_LEAKS
#define SANITIZE_LEAKS 0
#endif
#if SANITIZE_LEAKS
#include <sanitizer/lsan_interface.h>
#endif

/* What hart_init leaves alone: the TLB sets and the guest contexts' page
 * notes (1.7 MiB of a 2.1 MiB hart), which mmu_reset and the fills write
 * before anything reads them. The rest of the struct is cleared; these
 * asserts keep "the rest" meaning what the clearing code says. */
_Static_assert(offsetof(struct rv_hart, tlb_book) ==
                   offsetof(struct rv_hart, tlb) + sizeof(((struct rv_hart *)0)->tlb),
               "tlb_book follows the TLB sets");
_Static_assert(offsetof(struct tlb_vctx, gpa) + sizeof(((struct tlb_vctx *)0)->gpa) ==
                   sizeof(struct tlb_vctx),
               "a guest context's page notes end it");
_Static_assert(offsetof(struct rv_hart, fences) ==
                   offsetof(struct rv_hart, vctx_tab) + sizeof(((struct rv_hart *)0)->vctx_tab),
               "the fence box follows the guest contexts");

static void hart_clear(struct rv_hart *h)
{
    memset(h, 0, offsetof(struct rv_hart, tlb));
    memset(h->tlb_book, 0, offsetof(struct rv_hart, vctx_tab) - offsetof(struct rv_hart, tlb_book));
    for (unsigned k = 0; k < TLB_VCTX; k++)
        memset(&h->vctx_tab[k], 0, offsetof(struct tlb_vctx, gpa));
    memset(&h->fences, 0, sizeof(*h) - offsetof(struct rv_hart, fences));
}

/* The leak checker scans the heap, not mmap'd memory: what only the harts
 * point at (each hart's block cache) would look leaked in a sanitizer
 * build, so the harts' pages are registered as a root region there. */
static void lsan_root(void *p, size_t len, bool add)
{
#if SANITIZE_LEAKS
    if (add)
        __lsan_register_root_region(p, len);
    else
        __lsan_unregister_root_region(p, len);
#else
    (void)p, (void)len, (void)add;
#endif
}

struct rv_hart *hart_array_alloc(unsigned n)
{
    /* Fresh anonymous pages, not calloc: after a board is freed (a guest
     * reboot), malloc's raised mmap threshold would hand out heap memory
     * that calloc clears, making every page of every hart resident. */
    size_t len = (size_t)n * sizeof(struct rv_hart);
    if (!n) return NULL;
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    lsan_root(p, len, true);
    return p;
}

void hart_array_free(struct rv_hart *harts, unsigned n)
{
    if (!harts) return;
    lsan_root(harts, (size_t)n * sizeof(struct rv_hart), false);
    munmap(harts, (size_t)n * sizeof(struct rv_hart));
}

int hart_init(struct rv_hart *h, uint64_t hartid, struct guest_ram *ram, const struct hart_bus *bus,
              const struct vclock *clock)
{
    hart_clear(h);
    h->mhartid = hartid;
    h->ram = ram;
    h->bus = *bus;
    h->clock = clock;
    cpu_model_default(&h->cpu);
    int rc = block_cache_create(&h->bc, &h->jit_stop);
    if (!rc) rc = ram_watch_code(ram, &h->jit_stop);
    if (rc) {
        block_cache_destroy(h->bc);
        h->bc = NULL;
        return rc;
    }
    hart_reset(h, ram->base);
    return 0;
}

void hart_destroy(struct rv_hart *h)
{
    kvm_vcpu_detach(h);
    jit_destroy(h->jit);
    h->jit = NULL;
    block_cache_destroy(h->bc);
    h->bc = NULL;
    if (h->ram) ram_unwatch_code(h->ram, &h->jit_stop);
}

int hart_set_engine(struct rv_hart *h, enum hart_engine e, const struct jit_options *o)
{
    if (e == HART_ENGINE_INTERP) {
        h->engine = HART_ENGINE_INTERP;
        return 0;
    }
    if (e == HART_ENGINE_KVM) { /* kvm_vcpu_attach() gave the hart its vCPU */
        if (!h->kvm_cpu) return -ENOTSUP;
        h->engine = HART_ENGINE_KVM;
        return 0;
    }
    if (e != HART_ENGINE_JIT) return -EINVAL;
    if (!h->jit) {
        int rc = jit_create(&h->jit, o);
        if (rc) return rc;
        h->jit_jt = jit_jump_table(h->jit);
    }
    h->engine = HART_ENGINE_JIT;
    return 0;
}

enum hart_engine hart_default_engine(void)
{
    if (kvm_engine_available()) return HART_ENGINE_KVM; /* riscv64 hosts with /dev/kvm */
    return jit_available() ? HART_ENGINE_JIT : HART_ENGINE_INTERP;
}

const char *hart_engine_name(enum hart_engine e)
{
    return e == HART_ENGINE_JIT      ? "jit"
           : e == HART_ENGINE_INTERP ? "interp"
           : e == HART_ENGINE_KVM    ? "kvm"
                                     : "?";
}

/* Reset state (priv spec 3.4): M-mode, MIE and MPRV clear, misa at its
 * maximal value, everything else zero. */
void hart_reset(struct rv_hart *h, uint64_t pc)
{
    memset(h->x, 0, sizeof(h->x));
    memset(h->f, 0, sizeof(h->f));
    h->pc = pc;
    h->priv = PRV_M;
    h->mstatus = 0;
    h->misa = cpu_model_misa(&h->cpu);
    h->medeleg = h->mideleg = h->mie = h->mip = 0;
    h->mtvec = h->mepc = h->mcause = h->mtval = h->mscratch = 0;
    h->stvec = h->sepc = h->scause = h->stval = h->sscratch = h->satp = 0;
    h->mcounteren = h->scounteren = h->menvcfg = h->senvcfg = 0;
    h->mcountinhibit = 0;
    memset(h->mstateen, 0, sizeof(h->mstateen)); /* every state withheld until M grants it */
    memset(h->hstateen, 0, sizeof(h->hstateen));
    memset(h->sstateen, 0, sizeof(h->sstateen));
    memset(h->pmpcfg, 0, sizeof(h->pmpcfg));
    memset(h->pmpaddr, 0, sizeof(h->pmpaddr));
    h->fflags = h->frm = 0;
    hart_vec_reset(h);
    h->stimecmp = UINT64_MAX;
    /* Hypervisor extension: V = 0, its CSRs zero; VS interrupts are
     * delegated past M for good (mideleg reads them as one). */
    h->virt = 0;
    h->hstatus = h->hedeleg = h->hideleg = h->hcounteren = h->htval = h->htinst = 0;
    h->hgatp = h->htimedelta = h->henvcfg = 0;
    h->vsstatus = h->vstvec = h->vsscratch = h->vsepc = h->vscause = h->vstval = h->vsatp = 0;
    h->vstimecmp = UINT64_MAX;
    h->mtval2 = h->mtinst = 0;
    if (cpu_model_has(&h->cpu, CPU_EXT_h)) h->mideleg = VS_INTS | MIP_SGEIP;
    h->irq_lines = 0;
    h->resv_valid = 0;
    h->wfi = 0;
    h->exit_req = 0;
    pmu_reset(h);
    pmp_invalidate(h);
    mmu_reset(h);
    mmu_update_mode(h);
    block_cache_flush(h->bc);
}

void hart_set_model(struct rv_hart *h, const struct cpu_model *m)
{
    /* What depends on the model in a hart at reset: misa, the VS bits of
     * mideleg, and every decoded block. */
    h->cpu = *m;
    h->misa = cpu_model_misa(m);
    hart_vec_reset(h); /* vlenb from the model's VLEN */
    h->mideleg &= ~(VS_INTS | MIP_SGEIP);
    if (cpu_model_has(m, CPU_EXT_h)) h->mideleg |= VS_INTS | MIP_SGEIP;
    block_cache_flush(h->bc);
}

void hart_set_irq(struct rv_hart *h, unsigned irq, int level)
{
    if (level) {
        /* A line newly raised must be seen by native code, which looks at
         * nothing but its stop word. */
        if (!(__atomic_fetch_or(&h->irq_lines, 1ULL << irq, __ATOMIC_SEQ_CST) & (1ULL << irq)))
            hart_stop_native(h);
    } else
        __atomic_fetch_and(&h->irq_lines, ~(1ULL << irq), __ATOMIC_RELEASE);
    if (h->engine == HART_ENGINE_KVM) kvm_hart_irq_changed(h, irq);
}

void hart_kick(struct rv_hart *h)
{
    __atomic_store_n(&h->kick, 1, __ATOMIC_SEQ_CST);
    hart_stop_native(h);
    if (h->engine == HART_ENGINE_KVM) kvm_hart_kick(h);
}

bool hart_wfi_wakeup(const struct rv_hart *h)
{
    return ((trap_mip(h) | (__atomic_load_n(&h->ssip_req, __ATOMIC_ACQUIRE) ? MIP_SSIP : 0)) &
            h->mie) != 0;
}

/* vstimecmp drives VSTIP (Sstc 1.0; priv spec 8.2.11) while both
 * menvcfg.STCE and henvcfg.STCE are set; otherwise hip.VSTIP is hvip.VSTIP
 * alone. The guest's time is time + htimedelta (8.2.7). */
static bool vs_timer_on(const struct rv_hart *h)
{
    return cpu_model_has(&h->cpu, CPU_EXT_h) && (h->menvcfg & MENVCFG_STCE) &&
           (h->henvcfg & MENVCFG_STCE);
}

void hart_update_timer(struct rv_hart *h)
{
    uint64_t lines = __atomic_load_n(&h->irq_lines, __ATOMIC_ACQUIRE);
    uint64_t now = vclock_ticks(h->clock);
    if (h->menvcfg & MENVCFG_STCE)
        hart_set_irq(h, IRQ_S_TIMER, now >= h->stimecmp);
    else if (lines & MIP_STIP)
        hart_set_irq(h, IRQ_S_TIMER, 0);
    if (vs_timer_on(h))
        hart_set_irq(h, IRQ_VS_TIMER, now + h->htimedelta >= h->vstimecmp);
    else if (lines & MIP_VSTIP)
        hart_set_irq(h, IRQ_VS_TIMER, 0);
}

uint64_t hart_timer_deadline_ns(const struct rv_hart *h)
{
    uint64_t lines = __atomic_load_n(&h->irq_lines, __ATOMIC_ACQUIRE);
    uint64_t when = UINT64_MAX; /* in ticks of the host's time */
    if ((h->menvcfg & MENVCFG_STCE) && !(lines & MIP_STIP)) when = h->stimecmp;
    if (vs_timer_on(h) && !(lines & MIP_VSTIP) && h->vstimecmp != UINT64_MAX) {
        /* The guest's time reaches vstimecmp that many ticks from now. */
        uint64_t now = vclock_ticks(h->clock);
        uint64_t guest = now + h->htimedelta;
        uint64_t at = h->vstimecmp > guest ? now + (h->vstimecmp - guest) : now;
        if (at < now) at = UINT64_MAX; /* beyond the end of time */
        if (at < when) when = at;
    }
    if (when == UINT64_MAX) return UINT64_MAX;
    return vclock_ticks_to_host_ns(h->clock, when);
}

void hart_post_ssip(struct rv_hart *h)
{
    __atomic_store_n(&h->ssip_req, 1, __ATOMIC_RELEASE);
    hart_kick(h);
}

void hart_post_flush(struct rv_hart *h)
{
    __atomic_or_fetch(&h->flush_req, HART_FLUSH_ALL, __ATOMIC_RELEASE);
    hart_kick(h);
}

/* Folds what other threads posted into this hart's own state. */
static void take_posted(struct rv_hart *h)
{
    if (__atomic_exchange_n(&h->ssip_req, 0, __ATOMIC_ACQ_REL)) h->mip |= MIP_SSIP;
    int flush = __atomic_exchange_n(&h->flush_req, 0, __ATOMIC_ACQ_REL);
    if (flush & HART_FLUSH_ALL) mmu_flush(h);
    if (flush & HART_FLUSH_FENCES) hart_fence_take(h);
}

/* Runs a block; returns true when it ran to its end without a trap, the
 * condition for following its chained successor. */
static bool exec_block(struct rv_hart *h, const struct rv_block *b)
{
    uint64_t traps = h->traps;
    h->block_pc = b->va;
    h->block_n = b->n;
    h->instret += b->n;
    b->insns[0].fn(h, b->insns);
    /* Only control transfers leave a block early without a trap, and they
     * are always its last instruction. */
    return h->traps == traps;
}

/* A debugger's single step: the instruction at the pc alone, through the
 * interpreter whatever the engine (a copy of its decoded entry and a
 * terminator), with no interrupt taken first (as QEMU steps by default). A
 * trap leaves the pc at the handler; an exit it asks for (SBI, WFI) is
 * returned for the VMM to serve before it reports the step. */
static enum hart_exit hart_step(struct rv_hart *h)
{
    h->debug_step = 0;
    struct rv_block *b = block_get(h); /* NULL: fetch fault, trap taken */
    mmu_sync_code_epoch(h);
    if (b) {
        _Alignas(struct rv_block) unsigned char
            buf[sizeof(struct rv_block) + 2 * sizeof(struct rv_insn)];
        struct rv_block *one = (struct rv_block *)buf;
        block_first_insn(one, b);
        exec_block(h, one);
    }
    if (!h->debug_stop) h->debug_stop = HART_STOP_STEP;
    enum hart_exit e = h->exit_req ? (enum hart_exit)h->exit_req : HART_EXIT_DEBUG;
    h->exit_req = 0;
    h->stats.exits[e]++;
    return e;
}

static enum hart_exit run_loop(struct rv_hart *h, uint64_t budget)
{
    if (unlikely(h->debug)) {
        hart_debug_sync(h);
        if (h->debug_step) {
            take_posted(h);
            return hart_step(h);
        }
    }
    bool jit = h->engine == HART_ENGINE_JIT;
    uint64_t stop = h->instret + budget;
    /* A block that traps at its first instruction, or a fetch fault,
     * retires nothing: bound the iterations too, so a guest stuck in a
     * trap loop still hands control back to the VMM. */
    uint64_t spins = budget;
    struct rv_block *prev = NULL; /* last block, if it may chain */
    take_posted(h);
    for (;;) {
        if (unlikely(__atomic_load_n(&h->kick, __ATOMIC_ACQUIRE))) {
            __atomic_store_n(&h->kick, 0, __ATOMIC_RELAXED);
            take_posted(h);
            h->stats.exits[HART_EXIT_KICKED]++;
            return HART_EXIT_KICKED;
        }
        /* An armed counter reached its wrap (pmu.h): OF and LCOFIP first,
         * so the overflow interrupt is taken here. */
        if (unlikely(h->instret >= h->pmu.ovf_at)) pmu_check(h);
        if (unlikely(trap_mip(h) & h->mie)) {
            int irq = trap_pending_irq(h);
            if (irq >= 0) {
                trap_take(h, CAUSE_INTERRUPT | (uint64_t)irq, 0);
                prev = NULL;
            }
        }
        /* Every breakpoint starts a block (hart_debug_block_room) and no
         * native code chains while there are any (jit_prepare). */
        if (unlikely(h->debug_bp) && hart_debug_is_bp(h, h->pc)) {
            h->debug_stop = HART_STOP_BREAK;
            h->stats.exits[HART_EXIT_DEBUG]++;
            return HART_EXIT_DEBUG;
        }
        /* Another hart sharing the blocks flushed them: from here on
         * this one runs the fresh ones (nothing of the old is held). */
        if (unlikely(block_cache_sync(h->bc))) prev = NULL;
        struct rv_block *b = prev ? block_next(h, prev) : block_get(h);
        if (jit && b) b = jit_prepare(h, b, prev);
        prev = NULL;
        /* After the lookup (which may have translated) and before any
         * store of the block runs. */
        mmu_sync_code_epoch(h);
        if (b) {
            /* The JIT runs b and the blocks chained to it natively; it
             * hands back a block it may chain from, or runs b through the
             * interpreter when it has no code for it. */
            if (jit && __atomic_load_n(&b->jit_code, __ATOMIC_ACQUIRE))
                prev = jit_exec(h, b, stop < h->pmu.ovf_at ? stop : h->pmu.ovf_at);
            else if (exec_block(h, b))
                prev = b;
        }
        if (unlikely(h->exit_req)) {
            enum hart_exit e = (enum hart_exit)h->exit_req;
            h->exit_req = 0;
            h->stats.exits[e]++;
            return e;
        }
        if (unlikely(h->instret >= stop || spins-- == 0)) {
            h->stats.exits[HART_EXIT_BUDGET]++;
            return HART_EXIT_BUDGET;
        }
    }
}

enum hart_exit hart_run(struct rv_hart *h, uint64_t budget)
{
    if (h->engine == HART_ENGINE_KVM) return kvm_hart_run(h); /* runs until an exit */
    /* While inside, the blocks and code this hart runs stay (another
     * hart sharing them may flush them meanwhile: block_cache.h). */
    block_cache_enter(h->bc);
    enum hart_exit e = run_loop(h, budget);
    block_cache_leave(h->bc);
    return e;
}

const char *hart_exit_name(enum hart_exit e)
{
    static const char *const names[HART_EXIT_COUNT] = {"budget", "wfi",   "kicked",
                                                       "sbi",    "debug", "fatal"};
    return (unsigned)e < HART_EXIT_COUNT ? names[e] : "?";
}

#define HART_TAG STREAM_TAG('H', 'A', 'R', 'T')
/* Version 2 adds the H extension's state (V and the H/VS CSRs) after the
 * PMP registers; version 1 sections restore with it zero. Version 3 adds
 * the state-enable registers (zero from older sections). Version 4 adds
 * the counters (cpu/pmu.c; older sections give mcycle/minstret from their
 * offsets and the rest zero), version 5 the vector state (hart_vec.c; older
 * sections have none, so only a hart without V restores them). */
#define HART_VERSION 5

/* Whether the CSR values of a section (the restore's r[], hr[],
 * state enables, pmpaddr) are ones this hart's model can hold. */
static int hart_restore_check(const struct rv_hart *h, const uint64_t *r, const uint64_t *hr,
                              uint64_t stateen[4][3], const uint64_t *pmpaddr)
{
    /* State enables only where the model has them and M's allow H's. */
    for (int k = 0; k < 4; k++) {
        uint64_t legal = STATEEN_SE | (k == 0 ? STATEEN0_ENVCFG : 0);
        if (!cpu_model_has(&h->cpu, CPU_EXT_smstateen) && stateen[k][0]) return -EINVAL;
        if ((stateen[k][0] | stateen[k][1]) & ~legal || stateen[k][2]) return -EINVAL;
        if (cpu_model_has(&h->cpu, CPU_EXT_smstateen) && (stateen[k][1] & ~stateen[k][0]))
            return -EINVAL;
    }
    /* A guest state needs the H extension, and V=1 never runs M-mode. */
    if (hr[0] > 1 || (hr[0] && (!cpu_model_has(&h->cpu, CPU_EXT_h) || r[2] == PRV_M)))
        return -EINVAL;
    if (r[2] != PRV_U && r[2] != PRV_S && r[2] != PRV_M) return -EINVAL;
    /* Values no CSR write can produce break what the rest of the CPU relies
     * on: mret would enter the reserved privilege 2, and pmp_range() decodes
     * NAPOT from a 54-bit pmpaddr. */
    if (((r[4] & MSTATUS_MPP) >> 11) == 2) return -EINVAL;
    /* The model is the board's: a hart saved under another one (misa
     * differs) would run instructions this one does not decode. */
    if (r[5] != cpu_model_misa(&h->cpu)) return -EINVAL;
    for (int k = 0; k < PMP_COUNT; k++)
        if (pmpaddr[k] >> 54) return -EINVAL;
    /* mstatus.VS and vsstatus.VS are read-only zero without V. */
    if (!cpu_model_has(&h->cpu, CPU_EXT_v) && ((r[4] | hr[10]) & MSTATUS_VS)) return -EINVAL;
    return 0;
}

/* Architectural state only: caches are rebuilt on demand after restore. */
int hart_save(const struct rv_hart *h, struct stream *s)
{
    /* An IPI posted by another thread but not yet taken is part of mip. */
    uint64_t mip = h->mip | (__atomic_load_n(&h->ssip_req, __ATOMIC_ACQUIRE) ? MIP_SSIP : 0);
    /* mcycle and minstret as offsets from instret (the format's); all the
     * counters are in the PMU section that follows. */
    uint64_t mcycle = pmu_read(h, 0, h->instret), minstret = pmu_read(h, 2, h->instret);
    size_t mark = stream_begin_section(s, HART_TAG, HART_VERSION);
    for (int k = 0; k < 32; k++)
        stream_put_u64(s, h->x[k]);
    for (int k = 0; k < 32; k++)
        stream_put_u64(s, h->f[k]);
    const uint64_t regs[] = {h->pc,
                             h->instret,
                             h->priv,
                             h->mhartid,
                             h->mstatus,
                             h->misa,
                             h->medeleg,
                             h->mideleg,
                             h->mie,
                             mip,
                             h->mtvec,
                             h->mscratch,
                             h->mepc,
                             h->mcause,
                             h->mtval,
                             h->mcounteren,
                             h->mcountinhibit,
                             h->menvcfg,
                             h->mseccfg,
                             mcycle - h->instret,
                             minstret - h->instret,
                             h->stvec,
                             h->sscratch,
                             h->sepc,
                             h->scause,
                             h->stval,
                             h->satp,
                             h->scounteren,
                             h->senvcfg,
                             h->stimecmp,
                             h->fflags,
                             h->frm,
                             h->resv_addr,
                             h->resv_value,
                             h->resv_valid};
    stream_put_u32(s, (uint32_t)ARRAY_SIZE(regs));
    for (size_t k = 0; k < ARRAY_SIZE(regs); k++)
        stream_put_u64(s, regs[k]);
    for (int k = 0; k < PMP_COUNT / 8; k++)
        stream_put_u64(s, h->pmpcfg[k]);
    for (int k = 0; k < PMP_COUNT; k++)
        stream_put_u64(s, h->pmpaddr[k]);
    const uint64_t hregs[] = {h->virt,     h->hstatus, h->hedeleg,   h->hideleg,    h->hcounteren,
                              h->htval,    h->htinst,  h->hgatp,     h->htimedelta, h->henvcfg,
                              h->vsstatus, h->vstvec,  h->vsscratch, h->vsepc,      h->vscause,
                              h->vstval,   h->vsatp,   h->vstimecmp, h->mtval2,     h->mtinst};
    stream_put_u32(s, (uint32_t)ARRAY_SIZE(hregs));
    for (size_t k = 0; k < ARRAY_SIZE(hregs); k++)
        stream_put_u64(s, hregs[k]);
    /* Version 3: the state-enable registers (Smstateen). */
    for (int k = 0; k < 4; k++) {
        stream_put_u64(s, h->mstateen[k]);
        stream_put_u64(s, h->hstateen[k]);
        stream_put_u64(s, h->sstateen[k]);
    }
    pmu_save(h, s);      /* version 4 */
    hart_vec_save(h, s); /* version 5 */
    stream_end_section(s, mark);
    return s->err;
}

int hart_restore(struct rv_hart *h, struct stream *s)
{
    size_t end;
    uint32_t version;
    int rc = stream_open_section(s, HART_TAG, HART_VERSION, &version, &end);
    if (rc) return rc;
    uint64_t x[32], f[32];
    for (int k = 0; k < 32; k++)
        x[k] = stream_get_u64(s);
    for (int k = 0; k < 32; k++)
        f[k] = stream_get_u64(s);
    uint64_t r[35];
    if (stream_get_u32(s) != ARRAY_SIZE(r)) return -EINVAL;
    for (size_t k = 0; k < ARRAY_SIZE(r); k++)
        r[k] = stream_get_u64(s);
    uint64_t pmpcfg[PMP_COUNT / 8], pmpaddr[PMP_COUNT];
    for (int k = 0; k < PMP_COUNT / 8; k++)
        pmpcfg[k] = stream_get_u64(s);
    for (int k = 0; k < PMP_COUNT; k++)
        pmpaddr[k] = stream_get_u64(s);
    uint64_t hr[20] = {0};
    hr[17] = UINT64_MAX; /* vstimecmp's reset value */
    if (version >= 2) {
        if (stream_get_u32(s) != ARRAY_SIZE(hr)) return -EINVAL;
        for (size_t k = 0; k < ARRAY_SIZE(hr); k++)
            hr[k] = stream_get_u64(s);
    }
    uint64_t stateen[4][3] = {{0}};
    if (version >= 3)
        for (int k = 0; k < 4; k++)
            for (int l = 0; l < 3; l++)
                stateen[k][l] = stream_get_u64(s);
    struct pmu_saved pmu;
    memset(&pmu, 0, sizeof(pmu));
    if (version >= 4) {
        rc = pmu_load(h, s, &pmu);
        if (rc) return rc;
    } else {
        pmu.val[0] = r[1] + r[19]; /* instret + the mcycle/minstret offsets */
        pmu.val[2] = r[1] + r[20];
    }
    /* 4 KiB of vector registers: off the stack of a vCPU thread. */
    struct rv_vstate *vec = malloc(sizeof(*vec));
    if (!vec) return -ENOMEM;
    vec->vlenb = 0;
    if (version >= 5)
        rc = hart_vec_load(h, s, vec);
    else
        rc = h->vec.vlenb ? -EINVAL : 0;
    if (!rc) rc = stream_close_section(s, end);
    if (!rc) rc = hart_restore_check(h, r, hr, stateen, pmpaddr);
    if (rc) {
        free(vec);
        return rc;
    }
    memcpy(h->x, x, sizeof(x));
    h->x[0] = 0;
    memcpy(h->f, f, sizeof(f));
    uint64_t *dst[] = {&h->pc,
                       &h->instret,
                       NULL,
                       &h->mhartid,
                       &h->mstatus,
                       &h->misa,
                       &h->medeleg,
                       &h->mideleg,
                       &h->mie,
                       &h->mip,
                       &h->mtvec,
                       &h->mscratch,
                       &h->mepc,
                       &h->mcause,
                       &h->mtval,
                       &h->mcounteren,
                       &h->mcountinhibit,
                       &h->menvcfg,
                       &h->mseccfg,
                       NULL,
                       NULL,
                       &h->stvec,
                       &h->sscratch,
                       &h->sepc,
                       &h->scause,
                       &h->stval,
                       &h->satp,
                       &h->scounteren,
                       &h->senvcfg,
                       &h->stimecmp,
                       NULL,
                       NULL,
                       &h->resv_addr,
                       &h->resv_value,
                       NULL};
    for (size_t k = 0; k < ARRAY_SIZE(dst); k++)
        if (dst[k]) *dst[k] = r[k];
    h->priv = (uint8_t)r[2];
    h->fflags = (uint32_t)r[30] & 31;
    h->frm = (uint32_t)r[31] & 7;
    h->resv_valid = r[34] != 0;
    uint64_t *hdst[] = {NULL,         &h->hstatus, &h->hedeleg,   &h->hideleg,    &h->hcounteren,
                        &h->htval,    &h->htinst,  &h->hgatp,     &h->htimedelta, &h->henvcfg,
                        &h->vsstatus, &h->vstvec,  &h->vsscratch, &h->vsepc,      &h->vscause,
                        &h->vstval,   &h->vsatp,   &h->vstimecmp, &h->mtval2,     &h->mtinst};
    for (size_t k = 1; k < ARRAY_SIZE(hdst); k++)
        *hdst[k] = hr[k];
    h->virt = (uint8_t)hr[0];
    /* The delegation registers go through their WARL writes: a state saved
     * before the model fixed a bit (an older built-in SBI cleared mideleg's
     * read-only-one VS and SGEI bits) gets the value this hart can hold. */
    csr_legalize(h, CSR_MEDELEG, r[6]);
    csr_legalize(h, CSR_MIDELEG, r[7]);
    csr_legalize(h, CSR_HEDELEG, hr[2]);
    csr_legalize(h, CSR_HIDELEG, hr[3]);
    for (int k = 0; k < 4; k++) {
        h->mstateen[k] = stateen[k][0];
        h->hstateen[k] = stateen[k][1];
        h->sstateen[k] = stateen[k][2];
    }
    memcpy(h->pmpcfg, pmpcfg, sizeof(pmpcfg));
    memcpy(h->pmpaddr, pmpaddr, sizeof(pmpaddr));
    h->mcountinhibit &= 0xfffffffdULL;
    pmu_commit(h, &pmu);
    if (vec->vlenb)
        memcpy(&h->vec, vec, sizeof(*vec));
    else
        hart_vec_reset(h);
    free(vec);
    pmp_invalidate(h);
    mmu_reset(h);
    mmu_update_mode(h);
    block_cache_flush(h->bc);
    return 0;
}
