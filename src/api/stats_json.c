/* GET /stats: the VMM's exit statistics (vm_stats_read) as JSON, live:
 * exits by reason in total and per vCPU, SBI calls by extension and
 * function, traps and interrupts by cause and target mode, MMIO by device,
 * TLB, blocks and instructions, requests per drive id and frames per
 * interface id. Zero counters are left out of the maps. */
#include "api/handlers.h"
#include "backend/net/netdev.h"
#include "cpu/kvm/kvm.h"
#include "vmm/memstat.h"

#include <stdlib.h>

static struct json_object *u64(uint64_t v)
{
    return json_object_new_uint64(v);
}

static struct json_object *exits_json(const uint64_t *exits)
{
    struct json_object *o = json_object_new_object();
    for (int e = 0; e < HART_EXIT_COUNT; e++)
        json_object_object_add(o, hart_exit_name((enum hart_exit)e), u64(exits[e]));
    return o;
}

/* {"cause": {"S": n, "M": n}} for traps or interrupts. */
static struct json_object *by_mode_json(const uint64_t (*counts)[4], int n,
                                        const char *(*name)(unsigned))
{
    struct json_object *o = json_object_new_object();
    for (int c = 0; c < n; c++) {
        struct json_object *modes = NULL;
        for (unsigned m = 0; m < 4; m++) {
            if (!counts[c][m]) continue;
            if (!modes) modes = json_object_new_object();
            json_object_object_add(modes, (char[]){vm_mode_name(m), 0}, u64(counts[c][m]));
        }
        if (modes) json_object_object_add(o, name((unsigned)c), modes);
    }
    return o;
}

static struct json_object *sbi_json(const struct sbi_stats *sbi)
{
    struct json_object *o = json_object_new_object();
    for (int e = 0; e < SBI_IDX_COUNT; e++) {
        struct json_object *fns = NULL;
        for (int fn = 0; fn <= SBI_MAX_FID; fn++) {
            if (!sbi->calls[e][fn]) continue;
            if (!fns) fns = json_object_new_object();
            char key[16]; /* the last slot counts every higher function id too */
            snprintf(key, sizeof(key), fn == SBI_MAX_FID ? "%d+" : "%d", fn);
            json_object_object_add(fns, key, u64(sbi->calls[e][fn]));
        }
        if (fns) json_object_object_add(o, sbi_ext_name((enum sbi_ext_index)e), fns);
    }
    return o;
}

static struct json_object *mmio_json(const struct vm_totals *t)
{
    struct json_object *o = json_object_new_object();
    for (int r = 0; r < t->nregions; r++) {
        struct json_object *d = json_object_new_object();
        json_object_object_add(d, "reads", u64(t->mmio_reads[r]));
        json_object_object_add(d, "writes", u64(t->mmio_writes[r]));
        json_object_object_add(o, t->mmio_names[r], d);
    }
    return o;
}

/* {"drive_id": {"reads": n, ...}}, the `--stats` disk counters. */
static struct json_object *drives_json(const struct vm_config *cfg, const struct vm_totals *t)
{
    struct json_object *o = json_object_new_object();
    for (unsigned k = 0; k < cfg->ndrives; k++) {
        const struct virtio_blk_stats *d = &t->disks[k];
        struct json_object *j = json_object_new_object();
        json_object_object_add(j, "reads", u64(d->reads));
        json_object_object_add(j, "read_bytes", u64(d->read_bytes));
        json_object_object_add(j, "writes", u64(d->writes));
        json_object_object_add(j, "written_bytes", u64(d->written_bytes));
        json_object_object_add(j, "flushes", u64(d->flushes));
        json_object_object_add(j, "discards", u64(d->discards));
        json_object_object_add(j, "write_zeroes", u64(d->write_zeroes));
        json_object_object_add(j, "get_id", u64(d->ids));
        json_object_object_add(j, "errors", u64(d->errors));
        json_object_object_add(o, cfg->drives[k].id, j);
    }
    return o;
}

/* {"iface_id": {"rx_frames": n, ...}}: netdev_get_stats() reads them on
 * the I/O thread, where they are counted. */
static struct json_object *nets_json(struct vm *vm)
{
    struct json_object *o = json_object_new_object();
    const struct vm_config *cfg = vm_get_config(vm);
    for (unsigned k = 0; k < cfg->nnets; k++) {
        struct netdev_stats ns;
        if (vm_net_stats(vm, k, &ns)) continue;
        struct json_object *j = json_object_new_object();
        json_object_object_add(j, "rx_frames", u64(ns.rx_frames));
        json_object_object_add(j, "rx_bytes", u64(ns.rx_bytes));
        json_object_object_add(j, "rx_dropped", u64(ns.rx_dropped));
        json_object_object_add(j, "tx_frames", u64(ns.tx_frames));
        json_object_object_add(j, "tx_bytes", u64(ns.tx_bytes));
        json_object_object_add(j, "tx_dropped", u64(ns.tx_dropped));
        json_object_object_add(o, cfg->nets[k].id, j);
    }
    return o;
}

/* Resident memory by kind, in KiB (vmm/memstat.h). */
static struct json_object *memory_json(struct vm *vm)
{
    struct vm_memory m;
    struct json_object *o = json_object_new_object();
    if (vm_memory_read(vm, &m)) return o;
    json_object_object_add(o, "rss_kib", u64(m.rss_kib));
    json_object_object_add(o, "pss_kib", u64(m.pss_kib));
    json_object_object_add(o, "guest_ram_kib", u64(m.guest_ram_kib));
    json_object_object_add(o, "snapshot_shared_kib", u64(m.snapshot_shared_kib));
    json_object_object_add(o, "image_shared_kib", u64(m.image_shared_kib));
    json_object_object_add(o, "jit_code_kib", u64(m.jit_code_kib));
    json_object_object_add(o, "vmm_kib", u64(m.vmm_kib));
    json_object_object_add(o, "balloon_kib", u64(m.balloon_kib));
    json_object_object_add(o, "reported_kib", u64(m.reported_kib));
    json_object_object_add(o, "discarded_kib", u64(m.discarded_kib));
    json_object_object_add(o, "ram_kib", u64(m.ram_kib));
    json_object_object_add(o, "mem_merge", json_object_new_boolean(m.mem_merge));
    return o;
}

struct json_object *api_stats_json(struct vm *vm)
{
    struct vm_totals *t = malloc(sizeof(*t)); /* large: per-vCPU arrays */
    if (!t) return NULL;
    vm_stats_read(vm, t);
    const struct vm_config *cfg = vm_get_config(vm);
    const struct hart_stats *h = &t->hart;
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "vcpu_count", u64(cfg->board.nharts));
    json_object_object_add(o, "reboots", u64(t->reboots));
    json_object_object_add(o, "instret", u64(t->instret));
    json_object_object_add(o, "exits", exits_json(h->exits));
    struct json_object *vcpus = json_object_new_array();
    for (unsigned k = 0; k < cfg->board.nharts; k++) {
        struct json_object *v = json_object_new_object();
        json_object_object_add(v, "id", u64(k));
        json_object_object_add(v, "instret", u64(t->vcpu_instret[k]));
        json_object_object_add(v, "sbi_calls", u64(t->vcpu_sbi[k]));
        json_object_object_add(v, "exits", exits_json(t->vcpu_exits[k]));
        json_object_array_add(vcpus, v);
    }
    json_object_object_add(o, "vcpus", vcpus);
    json_object_object_add(o, "sbi", sbi_json(&t->sbi));
    json_object_object_add(o, "traps", by_mode_json(h->exc, EXC_COUNT, vm_trap_name));
    json_object_object_add(o, "interrupts", by_mode_json(h->irq, IRQ_COUNT, vm_irq_name));
    json_object_object_add(o, "mmio", mmio_json(t));
    struct json_object *tlb = json_object_new_object();
    json_object_object_add(tlb, "misses", u64(h->tlb_miss));
    json_object_object_add(tlb, "flushes", u64(h->tlb_flush));
    json_object_object_add(o, "tlb", tlb);
    struct json_object *blocks = json_object_new_object();
    json_object_object_add(blocks, "translated", u64(h->blocks_translated));
    json_object_object_add(blocks, "invalidated", u64(h->blocks_invalidated));
    /* Block-to-block jumps in native code are counted only when the JIT
     * was asked to (--stats: one add per jump); null says "not counted"
     * rather than a misleading 0. The interpreter has no chaining. */
    bool jit = cfg->board.engine == HART_ENGINE_JIT;
    json_object_object_add(blocks, "chain_hits",
                           jit && cfg->board.jit.counting ? u64(h->jit_chain_hits) : NULL);
    json_object_object_add(blocks, "chain_misses", jit ? u64(h->jit_lookups) : NULL);
    /* Counted the same way: a helper call is a few cache misses when a
     * guest's timer tick finds the host's caches cold. */
    json_object_object_add(blocks, "helper_calls",
                           jit && cfg->board.jit.counting ? u64(h->jit_helper_calls) : NULL);
    json_object_object_add(o, "blocks", blocks);
    if (cfg->board.engine == HART_ENGINE_KVM) {
        struct json_object *kvm = json_object_new_object();
        for (unsigned k = 0; k < HART_KVM_STAT_COUNT; k++)
            json_object_object_add(kvm, kvm_exit_stat_name(k), u64(h->kvm_exits[k]));
        json_object_object_add(o, "kvm_exits", kvm);
    }
    json_object_object_add(o, "drives", drives_json(cfg, t));
    json_object_object_add(o, "network_interfaces", nets_json(vm));
    json_object_object_add(o, "memory", memory_json(vm));
    free(t);
    return o;
}

void api_get_stats(struct api_server *s, const char *id, struct json_object *body,
                   struct api_reply *r)
{
    struct vm *vm = api_vm(s);
    if (!vm) {
        api_fault(r, "the microVM is not started: there are no statistics yet");
        return;
    }
    struct json_object *o = api_stats_json(vm);
    if (!o) {
        api_fault(r, "out of memory");
        return;
    }
    api_reply_json(r, o);
}
