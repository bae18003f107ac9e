/* Assembles the virt board from the memory-map table: RAM, devices on the
 * bus, interrupt wiring (device -> PLIC -> hart, CLINT -> hart), image
 * placement as QEMU's virt machine does it (so one guest boots on both), the
 * device tree, and the OpenSBI fw_dynamic hand-off (a0 hartid, a1 fdt, a2
 * info). Knows nothing of threads or the run loop. */
#include "machine/board.h"

#include "cpu/block.h"
#include "cpu/kvm/kvm.h"

#include "machine/clint.h"
#include "machine/boot_timer.h"
#include "machine/fdt.h"
#include "machine/loader.h"
#include "machine/memmap.h"
#include "machine/plic.h"
#include "machine/rtc.h"
#include "machine/syscon.h"
#include "machine/uart.h"
#include "machine/virtio/virtio_balloon.h"
#include "machine/virtio/virtio_console.h"
#include "machine/virtio/virtio_blk.h"
#include "machine/virtio/virtio_mmio.h"
#include "machine/virtio/virtio_net.h"
#include "machine/virtio/virtio_rng.h"
#include "machine/virtio/virtio_vsock.h"

#include "common/errmsg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>

#define MIB                (1ULL << 20)
#define FDT_MAX_SIZE       (64 * 1024)
#define FW_DYNAMIC_MAGIC   0x4942534fULL
#define FW_DYNAMIC_VERSION 2

struct board_irq_ctx {
    struct board *board;
    unsigned hart;
};

static int board_bus_read(void *opaque, gpa_t pa, unsigned size, uint64_t *val)
{
    return bus_read(opaque, pa, size, val);
}

static int board_bus_write(void *opaque, gpa_t pa, unsigned size, uint64_t val)
{
    return bus_write(opaque, pa, size, val);
}

/* An interrupt line into a hart: n is the mip bit. */
static void hart_line_set(void *opaque, unsigned n, int level)
{
    struct board_irq_ctx *c = opaque;
    hart_set_irq(&c->board->harts[c->hart], n, level);
    if (level && c->board->io.wake) c->board->io.wake(c->board->io.opaque, c->hart);
}

static void syscon_request(void *opaque, enum syscon_request req, int code)
{
    struct board *b = opaque;
    b->request = req == SYSCON_POWEROFF ? BOARD_POWEROFF
                 : req == SYSCON_RESET  ? BOARD_RESET
                                        : BOARD_FAIL;
    b->request_code = code;
    for (unsigned k = 0; k < b->nharts; k++)
        hart_kick(&b->harts[k]);
}

static int map(struct board *b, enum memmap_id id, const struct bus_dev_ops *ops, void *dev)
{
    const struct memmap_entry *e = memmap_get(id);
    return bus_map(&b->bus, e->name, e->base, e->size, ops, dev);
}

static void rng_destroy(void *dev)
{
    virtio_rng_destroy(dev);
}

static void vcon_destroy(void *dev)
{
    virtio_console_destroy(dev);
}

/* The transport of the slot board_add_virtio() filled last. */
static struct virtio_mmio *last_transport(struct board *b)
{
    return b->virtio[b->nvirtio - 1].mmio;
}

static void balloon_destroy(void *dev)
{
    virtio_balloon_destroy(dev);
}

static int add_balloon(struct board *b)
{
    static const struct virtio_balloon_host none = {0};
    const struct virtio_balloon_host *host = b->io.balloon_host ? b->io.balloon_host : &none;
    struct virtio_balloon *bal;
    int rc = virtio_balloon_create(&bal, &b->cfg.balloon_cfg, &b->ram, b->io.loop, host);
    if (rc) return rc;
    rc = board_add_virtio(b, virtio_balloon_ops(bal), bal, balloon_destroy);
    if (rc) return rc;
    virtio_balloon_attach(bal, last_transport(b));
    b->balloon = bal;
    return 0;
}

static void vsock_destroy(void *dev)
{
    virtio_vsock_destroy(dev);
}

static int add_vsock(struct board *b)
{
    struct virtio_vsock *v;
    int rc = virtio_vsock_create(&v, b->cfg.vsock, b->io.loop);
    if (!rc) rc = board_add_virtio(b, &virtio_vsock_ops, v, vsock_destroy);
    if (rc) return rc;
    virtio_vsock_attach(v, last_transport(b));
    return 0;
}

static void blk_destroy(void *dev)
{
    virtio_blk_destroy(dev);
}

static int add_drive(struct board *b, unsigned k)
{
    const struct board_drive *d = &b->cfg.drives[k];
    struct virtio_blk *blk;
    int rc = virtio_blk_create(&blk, d->bd, d->readonly, d->serial, b->io.loop);
    if (rc) return rc;
    rc = board_add_virtio(b, virtio_blk_ops(blk), blk, blk_destroy);
    if (rc) return rc;
    virtio_blk_attach(blk, last_transport(b));
    b->blk[k] = blk;
    return virtio_blk_set_ratelimit(blk, &d->rl);
}

static void net_destroy(void *dev)
{
    virtio_net_destroy(dev);
}

static int add_nets(struct board *b)
{
    for (unsigned k = 0; k < b->cfg.nnets; k++) {
        struct virtio_net *n;
        int rc = virtio_net_create(&n, b->cfg.nets[k].dev, b->cfg.nets[k].mac, b->io.loop);
        if (!rc) virtio_net_set_mtu(n, b->cfg.nets[k].mtu);
        if (!rc) rc = board_add_virtio(b, virtio_net_dev_ops(n), n, net_destroy);
        if (rc) return rc;
        virtio_net_start(n, last_transport(b));
        b->net[k] = n;
        rc = virtio_net_set_ratelimit(n, &b->cfg.nets[k].rx_rl, &b->cfg.nets[k].tx_rl);
        if (rc) return rc;
    }
    return 0;
}

int board_add_virtio(struct board *b, const struct virtio_dev_ops *ops, void *dev,
                     void (*destroy)(void *dev))
{
    if (b->nvirtio == MEMMAP_VIRTIO_COUNT) {
        if (destroy) destroy(dev);
        return -ENOSPC;
    }
    const struct memmap_entry *e = memmap_virtio(b->nvirtio);
    struct irq_line irq = {plic_set_irq, b->plic, e->irq};
    struct board_virtio *slot = &b->virtio[b->nvirtio];
    /* The slot owns dev from here on, even if the transport cannot be made. */
    *slot = (struct board_virtio){.ops = ops, .dev = dev, .destroy = destroy};
    b->nvirtio++;
    int rc = virtio_mmio_create(&slot->mmio, &b->ram, &irq, ops, dev);
    if (rc) return rc;
    return bus_map(&b->bus, e->name, e->base, e->size, &virtio_mmio_ops, slot->mmio);
}

static int create_devices(struct board *b, char *err, size_t errlen)
{
    unsigned n = b->nharts;
    struct irq_line *ctx = calloc(2 * n, sizeof(*ctx));
    struct irq_line *msip = calloc(n, sizeof(*msip));
    struct irq_line *mtip = calloc(n, sizeof(*mtip));
    int rc = -ENOMEM;
    if (!ctx || !msip || !mtip) goto out;
    for (unsigned h = 0; h < n; h++) {
        void *c = &b->irq_ctx[h];
        ctx[2 * h] = (struct irq_line){hart_line_set, c, IRQ_M_EXT};
        ctx[2 * h + 1] = (struct irq_line){hart_line_set, c, IRQ_S_EXT};
        msip[h] = (struct irq_line){hart_line_set, c, IRQ_M_SOFT};
        mtip[h] = (struct irq_line){hart_line_set, c, IRQ_M_TIMER};
    }
    rc = plic_create(&b->plic, n, ctx);
    if (rc) goto out;
    rc = clint_create(&b->clint, n, b->clock, msip, mtip);
    if (rc) goto out;
    struct irq_line uart_irq = {plic_set_irq, b->plic, memmap_get(MEMMAP_UART0)->irq};
    rc = uart_create(&b->uart, &uart_irq, b->io.console_tx, b->io.opaque);
    if (rc) goto out;
    if (b->io.console_tx_ready) uart_set_tx_ready(b->uart, b->io.console_tx_ready);
    struct irq_line rtc_irq = {plic_set_irq, b->plic, memmap_get(MEMMAP_RTC)->irq};
    rc = rtc_create(&b->rtc, &rtc_irq);
    if (rc) goto out;
    rc = syscon_create(&b->syscon, syscon_request, b);
    if (rc) goto out;
    if ((rc = map(b, MEMMAP_PLIC, &plic_ops, b->plic)) ||
        (rc = map(b, MEMMAP_CLINT, &clint_ops, b->clint)) ||
        (rc = map(b, MEMMAP_UART0, &uart_ops, b->uart)) ||
        (rc = map(b, MEMMAP_RTC, &rtc_ops, b->rtc)) ||
        (rc = map(b, MEMMAP_TEST, &syscon_ops, b->syscon)))
        goto out;
    if (b->cfg.boot_timer) {
        rc = -ENOMEM;
        if (!(b->boot_timer = calloc(1, sizeof(*b->boot_timer)))) goto out;
        *b->boot_timer = (struct boot_timer){b->io.boot_done, b->io.opaque};
        if ((rc = map(b, MEMMAP_BOOT_TIMER, &boot_timer_ops, b->boot_timer))) goto out;
    }
    /* Slot order: console, drives, network, rng, balloon, vsock. */
    if (b->cfg.virtio_console) {
        struct virtio_console *vcon;
        if (!b->io.console_host) {
            rc = -EINVAL;
            goto out;
        }
        if ((rc = virtio_console_create(&vcon, b->io.loop, b->io.console_host))) goto out;
        if ((rc = board_add_virtio(b, &virtio_console_ops, vcon, vcon_destroy))) goto out;
        virtio_console_attach(vcon, last_transport(b));
        b->vcon = vcon;
    }
    for (unsigned k = 0; k < b->cfg.ndrives; k++)
        if ((rc = add_drive(b, k))) goto out;
    if ((rc = add_nets(b))) goto out;
    if (b->cfg.rng) {
        struct virtio_rng *rng;
        if ((rc = virtio_rng_create(&rng, b->io.loop))) goto out;
        if ((rc = board_add_virtio(b, &virtio_rng_ops, rng, rng_destroy))) goto out;
        virtio_rng_attach(rng, last_transport(b));
        b->rng = rng;
    }
    if (b->cfg.balloon && (rc = add_balloon(b))) goto out;
    if (b->cfg.vsock && (rc = add_vsock(b))) goto out;
out:
    free(ctx);
    free(msip);
    free(mtip);
    if (rc) errmsg_set(err, errlen, rc, "cannot create devices: %s", strerror(-rc));
    return rc;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

/* Image placement follows QEMU's hw/riscv/boot.c: kernel after the firmware
 * at a 2 MiB boundary, initrd at kernel + min(RAM/2, 128 MiB), device tree
 * at the top of RAM below 3 GiB, 2 MiB aligned. */
static int load_images(struct board *b, char *err, size_t errlen)
{
    const struct board_config *cfg = &b->cfg;
    gpa_t base = b->ram.base, ram_end = base + b->ram.size;
    struct loaded_image fw = {0}, kern = {0}, rd = {0};
    int rc;
    gpa_t next = base;
    if (cfg->bios) {
        rc = loader_load(&b->ram, cfg->bios, base, &fw, err, errlen);
        if (rc) return rc;
        next = align_up(fw.end, 2 * MIB);
    }
    if (cfg->kernel) {
        rc = loader_load(&b->ram, cfg->kernel, next, &kern, err, errlen);
        if (rc) return rc;
    }
    gpa_t top = ram_end < base + 3072 * MIB ? ram_end : base + 3072 * MIB;
    b->fdt_addr = (top - FDT_MAX_SIZE) & ~(2 * MIB - 1);
    if (b->fdt_addr < base || (cfg->kernel && b->fdt_addr < kern.end))
        return errmsg_set(err, errlen, -EINVAL,
                          "guest RAM too small for the images and device tree");
    if (cfg->initrd) {
        if (!cfg->kernel) return errmsg_set(err, errlen, -EINVAL, "--initrd needs --kernel");
        uint64_t gap = b->ram.size / 2 < 128 * MIB ? b->ram.size / 2 : 128 * MIB;
        gpa_t at = align_up(kern.entry + gap, 4096);
        if (at < kern.end) at = align_up(kern.end, 4096);
        rc = loader_load_raw(&b->ram, cfg->initrd, at, &rd, err, errlen);
        if (rc) return rc;
        if (rd.end > b->fdt_addr - 4096)
            return errmsg_set(err, errlen, -EINVAL, "initrd does not fit in guest RAM (%llu MiB)",
                              (unsigned long long)(b->ram.size / MIB));
    }

    /* Seeds the guest kernel's RNG (/chosen/rng-seed) so it does not spin
     * collecting jitter entropy at boot. */
    uint8_t seed[64];
    size_t seed_len =
        getrandom(seed, sizeof(seed), GRND_NONBLOCK) == (ssize_t)sizeof(seed) ? sizeof(seed) : 0;
    char isa[256], isa_ext[512];
    int isa_ext_len = cpu_model_isa_extensions(&b->cfg.cpu, isa_ext, sizeof(isa_ext));
    if (cpu_model_isa_string(&b->cfg.cpu, isa, sizeof(isa)) >= (int)sizeof(isa) || isa_ext_len < 0)
        return errmsg_set(err, errlen, -EINVAL, "the CPU model's ISA string is too long");
    struct fdt_virt_config fc = {
        .ram_base = base,
        .ram_size = b->ram.size,
        .nharts = b->nharts,
        .mmu_type = "riscv,sv57",
        .isa = isa,
        .isa_extensions = isa_ext,
        .isa_extensions_len = (size_t)isa_ext_len,
        .pmu = true,
        .cbom_block_size = cpu_model_has(&b->cfg.cpu, CPU_EXT_zicbom) ? CPU_CBO_BLOCK : 0,
        .cboz_block_size = cpu_model_has(&b->cfg.cpu, CPU_EXT_zicboz) ? CPU_CBO_BLOCK : 0,
        .bootargs = cfg->append,
        .initrd_start = rd.start,
        .initrd_end = rd.end,
        .rng_seed = seed_len ? seed : NULL,
        .rng_seed_len = seed_len,
        .virtio_mask = (1u << b->nvirtio) - 1,
    };
    void *blob = ram_dma(&b->ram, b->fdt_addr, FDT_MAX_SIZE);
    rc = fdt_build_virt(&fc, blob, FDT_MAX_SIZE);
    if (rc) return errmsg_set(err, errlen, rc, "cannot build the device tree: %s", strerror(-rc));

    /* fw_dynamic_info (OpenSBI include/sbi/fw_dynamic.h), just below the fdt. */
    gpa_t info = b->fdt_addr - 64;
    uint64_t fwinfo[6] = {FW_DYNAMIC_MAGIC, FW_DYNAMIC_VERSION, kern.entry, 1 /* S-mode */, 0, 0};
    memcpy(ram_dma(&b->ram, info, sizeof(fwinfo)), fwinfo, sizeof(fwinfo));

    b->entry = cfg->bios ? fw.entry : kern.entry;
    if (!cfg->bios && !cfg->kernel)
        return errmsg_set(err, errlen, -EINVAL, "nothing to run: give --kernel or --bios");
    for (unsigned h = 0; h < b->nharts; h++) {
        struct rv_hart *hart = &b->harts[h];
        hart_reset(hart, b->entry);
        hart->x[10] = h;
        hart->x[11] = b->fdt_addr;
        hart->x[12] = cfg->bios ? info : 0;
    }
    return 0;
}

int board_create(struct board **out, const struct board_config *cfg, const struct board_io *io,
                 struct vclock *clock, char *err, size_t errlen)
{
    int rc;
    struct board *b = calloc(1, sizeof(*b));
    if (!b) {
        if (cfg->ram_host) munmap(cfg->ram_host, cfg->ram_size); /* ours even on failure */
        return errmsg_set(err, errlen, -ENOMEM, "out of memory");
    }
    b->cfg = *cfg;
    if (!b->cfg.cpu.ext && b->cfg.engine == HART_ENGINE_KVM) kvm_engine_default_model(&b->cfg.cpu);
    if (!b->cfg.cpu.ext) cpu_model_default(&b->cfg.cpu);
    b->io = *io;
    b->clock = clock;
    b->nharts = cfg->nharts;
    bus_init(&b->bus);
    gpa_t ram_base = memmap_get(MEMMAP_DRAM)->base;
    rc = cfg->ram_host   ? ram_create_adopt(&b->ram, ram_base, cfg->ram_size, cfg->ram_host)
         : cfg->ram_file ? ram_create_from_file(&b->ram, ram_base, cfg->ram_size, cfg->ram_file)
         : cfg->hugetlb  ? ram_create_huge(&b->ram, ram_base, cfg->ram_size)
                         : ram_create(&b->ram, ram_base, cfg->ram_size);
    /* A hint: the host may refuse it (THP off) and the guest runs the same. */
    if (!rc && cfg->thp) madvise(b->ram.host, cfg->ram_size, MADV_HUGEPAGE);
    if (!rc && cfg->thp) b->ram.shareable = false; /* huge pages, not files, there */
    if (rc && cfg->ram_file) {
        errmsg_set(err, errlen, rc, "cannot map the memory file %s: %s", cfg->ram_file,
                   strerror(-rc));
        goto fail;
    }
    if (rc && cfg->hugetlb && !cfg->ram_host) {
        errmsg_set(err, errlen, rc,
                   "huge_pages 2M: cannot reserve %llu MiB of 2 MiB huge pages (the host's "
                   "free ones are counted in HugePages_Free of /proc/meminfo; raise "
                   "/proc/sys/vm/nr_hugepages)",
                   (unsigned long long)(cfg->ram_size / MIB));
        goto fail;
    }
    if (rc) {
        errmsg_set(err, errlen, rc, "cannot allocate %llu MiB of guest RAM",
                   (unsigned long long)(cfg->ram_size / MIB));
        goto fail;
    }
    b->harts = hart_array_alloc(b->nharts);
    b->irq_ctx = calloc(b->nharts, sizeof(*b->irq_ctx));
    if (!b->harts || !b->irq_ctx) {
        rc = errmsg_set(err, errlen, -ENOMEM, "out of memory");
        goto fail;
    }
    struct hart_bus hb = {&b->bus, board_bus_read, board_bus_write};
    bool kvm = b->cfg.engine == HART_ENGINE_KVM;
    if (kvm && (rc = kvm_vm_create(&b->kvm, &b->ram, err, errlen))) goto fail;
    for (unsigned h = 0; h < b->nharts; h++) {
        b->irq_ctx[h] = (struct board_irq_ctx){b, h};
        rc = hart_init(&b->harts[h], h, &b->ram, &hb, clock);
        if (rc) {
            errmsg_set(err, errlen, rc, "cannot create hart %u", h);
            goto fail;
        }
        hart_set_model(&b->harts[h], &b->cfg.cpu);
        if (kvm && (rc = kvm_vcpu_attach(b->kvm, &b->harts[h], err, errlen))) goto fail;
        rc = hart_set_engine(&b->harts[h], (enum hart_engine)b->cfg.engine, &b->cfg.jit);
        if (rc) {
            errmsg_set(err, errlen, rc, "engine %s is not available on this host",
                       hart_engine_name((enum hart_engine)b->cfg.engine));
            goto fail;
        }
        /* One copy of each block and its translation for all the harts. */
        if (h && block_cache_sharing_wanted() &&
            (rc = block_cache_share(b->harts[h].bc, b->harts[0].bc))) {
            errmsg_set(err, errlen, rc, "cannot share hart %u's blocks", h);
            goto fail;
        }
    }
    rc = create_devices(b, err, errlen);
    if (rc) goto fail;
    if (!cfg->ram_file && !cfg->ram_host) {
        rc = load_images(b, err, errlen);
        if (rc) goto fail;
    }
    *out = b;
    return 0;
fail:
    board_destroy(b);
    return rc;
}

void board_destroy(struct board *b)
{
    if (!b) return;
    if (b->harts)
        for (unsigned h = 0; h < b->nharts; h++)
            hart_destroy(&b->harts[h]);
    hart_array_free(b->harts, b->nharts);
    kvm_vm_destroy(b->kvm);
    if (b->syscon) syscon_destroy(b->syscon);
    free(b->boot_timer);
    /* Devices before their transports: a device served on the I/O thread
     * waits there for its last request, which still uses the transport. */
    for (unsigned k = 0; k < b->nvirtio; k++) {
        if (b->virtio[k].destroy) b->virtio[k].destroy(b->virtio[k].dev);
        virtio_mmio_destroy(b->virtio[k].mmio);
    }
    if (b->rtc) rtc_destroy(b->rtc);
    if (b->uart) uart_destroy(b->uart);
    if (b->clint) clint_destroy(b->clint);
    if (b->plic) plic_destroy(b->plic);
    free(b->irq_ctx);
    ram_destroy(&b->ram);
    free(b);
}

void board_update_timers(struct board *b)
{
    clint_update(b->clint);
    rtc_update(b->rtc);
}

uint64_t board_next_deadline_ns(const struct board *b)
{
    uint64_t c = clint_next_deadline_ns(b->clint);
    uint64_t r = rtc_next_deadline_ns(b->rtc);
    return c < r ? c : r;
}
