/* The statistics: what the hypervisor did, by exit reason, trap cause and
 * target mode, interrupt, device and engine event. Sums the counters the
 * harts, devices and SBI keep, and formats the `--stats` report; front ends
 * read the same sums live through vm_stats_read(). */
#include "vmm/memstat.h"
#include "vmm/vm_impl.h"

#include "backend/block/blockdev.h"
#include "backend/net/netdev.h"
#include "cpu/kvm/kvm.h"

#include <string.h>

static const char *const exc_names[EXC_COUNT] = {"insn_misaligned",
                                                 "insn_access",
                                                 "illegal_insn",
                                                 "breakpoint",
                                                 "load_misaligned",
                                                 "load_access",
                                                 "store_misaligned",
                                                 "store_access",
                                                 "ecall_u",
                                                 "ecall_s",
                                                 "ecall_vs",
                                                 "ecall_m",
                                                 "insn_page_fault",
                                                 "load_page_fault",
                                                 "reserved14",
                                                 "store_page_fault",
                                                 "reserved16",
                                                 "reserved17",
                                                 "reserved18",
                                                 "reserved19",
                                                 "insn_guest_page_fault",
                                                 "load_guest_page_fault",
                                                 "virtual_insn",
                                                 "store_guest_page_fault"};
static const char *const irq_names[IRQ_COUNT] = {
    "irq0",    "s_soft", "vs_soft", "m_soft", "irq4",  "s_timer",     "vs_timer",
    "m_timer", "irq8",   "s_ext",   "vs_ext", "m_ext", "s_guest_ext", "counter_overflow"};
static const char mode_name[4] = {'U', 'S', '?', 'M'};

const char *vm_trap_name(unsigned cause)
{
    return cause < EXC_COUNT ? exc_names[cause] : "?";
}

const char *vm_irq_name(unsigned cause)
{
    return cause < IRQ_COUNT ? irq_names[cause] : "?";
}

char vm_mode_name(unsigned mode)
{
    return mode_name[mode & 3];
}

/* Adds up counters made of uint64_t fields only. */
static void add_counters(void *dst, const void *src, size_t size)
{
    uint64_t *d = dst;
    const uint64_t *s = src;
    for (size_t w = 0; w < size / sizeof(uint64_t); w++)
        d[w] += s[w];
}

void vm_totals_add(struct vm_totals *t, const struct vm *vm)
{
    const struct board *b = vm->board;
    for (unsigned k = 0; k < b->nharts; k++) {
        const struct hart_stats *s = &b->harts[k].stats;
        add_counters(&t->hart, s, sizeof(*s));
        t->instret += b->harts[k].instret;
        for (int e = 0; e < HART_EXIT_COUNT; e++)
            t->vcpu_exits[k][e] += s->exits[e];
        t->vcpu_instret[k] += b->harts[k].instret;
        t->vcpu_sbi[k] += vm->vcpus[k].sbi_calls;
    }
    for (int r = 0; r < b->bus.nregions; r++) {
        t->mmio_names[r] = b->bus.regions[r].name;
        t->mmio_reads[r] += b->bus.regions[r].reads;
        t->mmio_writes[r] += b->bus.regions[r].writes;
    }
    if (b->bus.nregions > t->nregions) t->nregions = b->bus.nregions;
}

struct live_disks {
    const struct board *board;
    struct virtio_blk_stats *disks;
};

/* On the I/O thread, where the disks count their requests. */
static void add_live_disks(void *opaque)
{
    const struct live_disks *l = opaque;
    for (unsigned k = 0; k < l->board->cfg.ndrives; k++) {
        if (l->board->blk[k])
            add_counters(&l->disks[k], virtio_blk_stats(l->board->blk[k]),
                         sizeof(struct virtio_blk_stats));
    }
}

/* The vCPU threads update their counters without locks while this runs, so
 * each value is a recent one, not one instant's: enough to watch a VM. */
void vm_stats_read(struct vm *vm, struct vm_totals *out)
{
    /* vm_run() folds a board's disk counters into vm->totals on the I/O
     * thread under stats_lock: holding it, the board's disks are either
     * all in the totals or all still on the board, and the board cannot
     * change. vm->lock itself is not held while the I/O thread works, as
     * that thread may take it. */
    pthread_mutex_lock(&vm->stats_lock);
    pthread_mutex_lock(&vm->lock);
    *out = vm->totals;
    bool live = vm->board && vm->state != VM_STATE_FINISHED;
    if (live) vm_totals_add(out, vm);
    memcpy(&out->sbi, &vm->sbi, sizeof(out->sbi));
    out->reboots = vm->resets;
    pthread_mutex_unlock(&vm->lock);
    if (live)
        ioloop_run_sync(vm->loop, add_live_disks,
                        &(struct live_disks){.board = vm->board, .disks = out->disks});
    pthread_mutex_unlock(&vm->stats_lock);
}

void vm_print_stats(struct vm *vm, FILE *f)
{
    const struct vm_totals *t = &vm->totals;
    const struct hart_stats *s = &t->hart;
    double secs = (double)(clock_host_ns() - vm->start_ns) / 1e9;
    fprintf(f, "rvmm stats: %u hart(s), %.2f s, %llu instructions, %.1f MIPS, %llu reboots\n",
            vm->cfg.board.nharts, secs, (unsigned long long)t->instret,
            secs > 0 ? (double)t->instret / secs / 1e6 : 0.0, (unsigned long long)vm->resets);
    fprintf(f, "  exits:");
    for (int e = 0; e < HART_EXIT_COUNT; e++)
        fprintf(f, " %s=%llu", hart_exit_name((enum hart_exit)e), (unsigned long long)s->exits[e]);
    fprintf(f, "\n");
    for (unsigned k = 0; k < vm->cfg.board.nharts; k++) {
        fprintf(f, "  vcpu%u: instructions=%llu sbi=%llu exits:", k,
                (unsigned long long)t->vcpu_instret[k], (unsigned long long)t->vcpu_sbi[k]);
        for (int e = 0; e < HART_EXIT_COUNT; e++)
            if (t->vcpu_exits[k][e])
                fprintf(f, " %s=%llu", hart_exit_name((enum hart_exit)e),
                        (unsigned long long)t->vcpu_exits[k][e]);
        fprintf(f, "\n");
    }
    fprintf(f, "  traps (cause->mode):");
    for (int c = 0; c < EXC_COUNT; c++)
        for (int m = 0; m < 4; m++)
            if (s->exc[c][m])
                fprintf(f, " %s->%c=%llu", exc_names[c], mode_name[m],
                        (unsigned long long)s->exc[c][m]);
    fprintf(f, "\n  interrupts (source->mode):");
    for (int c = 0; c < IRQ_COUNT; c++)
        for (int m = 0; m < 4; m++)
            if (s->irq[c][m])
                fprintf(f, " %s->%c=%llu", irq_names[c], mode_name[m],
                        (unsigned long long)s->irq[c][m]);
    fprintf(f, "\n  mmio (device reads/writes):");
    for (int r = 0; r < t->nregions; r++)
        fprintf(f, " %s=%llu/%llu", t->mmio_names[r], (unsigned long long)t->mmio_reads[r],
                (unsigned long long)t->mmio_writes[r]);
    fprintf(f, "\n  tlb: misses=%llu flushes=%llu\n", (unsigned long long)s->tlb_miss,
            (unsigned long long)s->tlb_flush);
    fprintf(f, "  sbi calls (extension:function=count):");
    for (int e = 0; e < SBI_IDX_COUNT; e++)
        for (int fn = 0; fn <= SBI_MAX_FID; fn++)
            if (t->sbi.calls[e][fn])
                fprintf(f, " %s:%d=%llu", sbi_ext_name((enum sbi_ext_index)e), fn,
                        (unsigned long long)t->sbi.calls[e][fn]);
    fprintf(f, "\n  blocks: translated=%llu invalidated=%llu\n",
            (unsigned long long)s->blocks_translated, (unsigned long long)s->blocks_invalidated);
    if (vm->cfg.board.engine == HART_ENGINE_JIT) {
        double tsecs = (double)s->jit_translate_ns / 1e9;
        fprintf(f,
                "  jit: blocks=%llu regions=%llu code_bytes=%llu region_bytes=%llu data_bytes=%llu "
                "chain_hits=%llu chain_misses=%llu "
                "links=%llu flushes=%llu interpreted_blocks=%llu cold_runs=%llu helper_calls=%llu\n"
                "  jit time: translating=%.3f s executing=%.3f s\n",
                (unsigned long long)s->jit_blocks, (unsigned long long)s->jit_regions,
                (unsigned long long)s->jit_code_bytes, (unsigned long long)s->jit_region_bytes,
                (unsigned long long)s->jit_data_bytes, (unsigned long long)s->jit_chain_hits,
                (unsigned long long)s->jit_lookups, (unsigned long long)s->jit_links,
                (unsigned long long)s->jit_flushes, (unsigned long long)s->jit_interp_blocks,
                (unsigned long long)s->jit_cold_runs, (unsigned long long)s->jit_helper_calls,
                tsecs, secs > tsecs ? secs - tsecs : 0.0);
    }
    if (vm->cfg.board.engine == HART_ENGINE_KVM) {
        fprintf(f, "  kvm exits:");
        for (unsigned k = 0; k < HART_KVM_STAT_COUNT; k++)
            fprintf(f, " %s=%llu", kvm_exit_stat_name(k), (unsigned long long)s->kvm_exits[k]);
        fprintf(f, "\n");
    }
    for (unsigned k = 0; k < vm->cfg.ndrives; k++) {
        const struct virtio_blk_stats *d = &t->disks[k];
        fprintf(f,
                "  %s (%s): reads=%llu (%.1f MiB) writes=%llu (%.1f MiB) flushes=%llu "
                "discards=%llu write_zeroes=%llu get_id=%llu errors=%llu\n",
                vm->cfg.drives[k].id, vm->drives[k] ? vm->drives[k]->ops->name : "?",
                (unsigned long long)d->reads, d->read_bytes / 1048576.0,
                (unsigned long long)d->writes, d->written_bytes / 1048576.0,
                (unsigned long long)d->flushes, (unsigned long long)d->discards,
                (unsigned long long)d->write_zeroes, (unsigned long long)d->ids,
                (unsigned long long)d->errors);
    }
    for (unsigned k = 0; k < vm->cfg.nnets; k++) {
        struct netdev_stats ns;
        if (!vm->nets[k]) continue;
        netdev_get_stats(vm->nets[k], &ns);
        fprintf(f,
                "  net%u (%s): rx frames=%llu bytes=%llu dropped=%llu, tx frames=%llu bytes=%llu "
                "dropped=%llu\n",
                k, vm->nets[k]->ops->name, (unsigned long long)ns.rx_frames,
                (unsigned long long)ns.rx_bytes, (unsigned long long)ns.rx_dropped,
                (unsigned long long)ns.tx_frames, (unsigned long long)ns.tx_bytes,
                (unsigned long long)ns.tx_dropped);
    }
    vm_memory_print(vm, f);
}
