/* Device tree generation for the virt board. Owns node layout, phandle
 * numbering and the bindings' property encodings; takes every address and
 * IRQ number from the memmap table. Must not touch guest RAM or devices.
 * Bindings: Documentation/devicetree/bindings/ in Linux 6.1 (riscv/cpus.yaml,
 * interrupt-controller/sifive,plic-1.0.0.yaml, timer/sifive,clint.yaml,
 * power/reset/syscon-{poweroff,reboot}.yaml) and the Devicetree
 * Specification 0.4 for /chosen, /memory and /cpus. */
#include "machine/fdt.h"

#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "common/clock.h"
#include "cpu/pmu.h"
#include "machine/memmap.h"
#include "machine/plic.h"
#include "machine/syscon.h"

#define FDT_DEFAULT_ISA "rv64imafdc_zicsr_zifencei"
#define FDT_DEFAULT_MMU "riscv,sv39"

/* The NS16550A input clock QEMU advertises (3.6864 MHz): with divisor 2 it
 * gives 115200 baud, what OpenSBI and Linux program. */
#define FDT_UART_CLOCK_HZ 0x384000

/* Interrupt numbers in the cpu-intc's interrupts-extended cells: the mip
 * bit positions (priv spec 1.12 section 3.1.9). */
enum { FDT_IRQ_M_SOFT = 3, FDT_IRQ_M_TIMER = 7, FDT_IRQ_S_EXT = 9, FDT_IRQ_M_EXT = 11 };

/* Phandles: fixed ones first, then two per hart (cpu node, its intc). */
enum { FDT_PH_PLIC = 1, FDT_PH_TEST = 2, FDT_PH_HART0 = 3 };

static uint32_t fdt_ph_cpu(unsigned hart)
{
    return FDT_PH_HART0 + 2 * hart;
}

static uint32_t fdt_ph_intc(unsigned hart)
{
    return FDT_PH_HART0 + 2 * hart + 1;
}

/* Sequential-write helpers with a sticky error, so the builder reads as a
 * list of nodes and the first failure is what the caller sees. */
struct fdt_builder {
    void *fdt;
    int err; /* libfdt error (negative FDT_ERR_*), 0 while all is well */
};

static void fb_check(struct fdt_builder *b, int r)
{
    if (r < 0 && !b->err) b->err = r;
}

static void fb_begin(struct fdt_builder *b, const char *name)
{
    if (!b->err) fb_check(b, fdt_begin_node(b->fdt, name));
}

static void fb_begin_at(struct fdt_builder *b, const char *name, uint64_t addr)
{
    char node[64];
    snprintf(node, sizeof(node), "%s@%llx", name, (unsigned long long)addr);
    fb_begin(b, node);
}

static void fb_end(struct fdt_builder *b)
{
    if (!b->err) fb_check(b, fdt_end_node(b->fdt));
}

static void fb_prop(struct fdt_builder *b, const char *name, const void *val, size_t len)
{
    if (!b->err) fb_check(b, fdt_property(b->fdt, name, val, (int)len));
}

static void fb_empty(struct fdt_builder *b, const char *name)
{
    fb_prop(b, name, NULL, 0);
}

static void fb_string(struct fdt_builder *b, const char *name, const char *s)
{
    fb_prop(b, name, s, strlen(s) + 1);
}

/* A string list: "a\0b\0" (Devicetree Specification 0.4, 2.2.4). */
static void fb_strings(struct fdt_builder *b, const char *name, const char *const *list, size_t n)
{
    char buf[128];
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(list[i]) + 1;
        if (len + l > sizeof(buf)) {
            fb_check(b, -FDT_ERR_BADVALUE);
            return;
        }
        memcpy(buf + len, list[i], l);
        len += l;
    }
    fb_prop(b, name, buf, len);
}

static void fb_u32(struct fdt_builder *b, const char *name, uint32_t v)
{
    if (!b->err) fb_check(b, fdt_property_u32(b->fdt, name, v));
}

static void fb_u64(struct fdt_builder *b, const char *name, uint64_t v)
{
    if (!b->err) fb_check(b, fdt_property_u64(b->fdt, name, v));
}

/* reg for a node under a parent with #address-cells = #size-cells = 2. */
static void fb_reg(struct fdt_builder *b, uint64_t base, uint64_t size)
{
    fdt64_t cells[2] = {cpu_to_fdt64(base), cpu_to_fdt64(size)};
    fb_prop(b, "reg", cells, sizeof(cells));
}

/* interrupts-extended with <intc irq_a intc irq_b> for every hart. */
static void fb_irqs_extended(struct fdt_builder *b, const struct fdt_virt_config *cfg,
                             uint32_t irq_a, uint32_t irq_b)
{
    if (b->err) return;
    void *val;
    int len = (int)(cfg->nharts * 4 * sizeof(fdt32_t));
    fb_check(b, fdt_property_placeholder(b->fdt, "interrupts-extended", len, &val));
    if (b->err) return;
    fdt32_t *cells = val;
    for (unsigned h = 0; h < cfg->nharts; h++) {
        cells[4 * h + 0] = cpu_to_fdt32(fdt_ph_intc(h));
        cells[4 * h + 1] = cpu_to_fdt32(irq_a);
        cells[4 * h + 2] = cpu_to_fdt32(fdt_ph_intc(h));
        cells[4 * h + 3] = cpu_to_fdt32(irq_b);
    }
}

static void fdt_add_cpus(struct fdt_builder *b, const struct fdt_virt_config *cfg)
{
    char name[32];

    fb_begin(b, "cpus");
    fb_u32(b, "#address-cells", 1);
    fb_u32(b, "#size-cells", 0);
    fb_u32(b, "timebase-frequency", (uint32_t)CLOCK_TIMEBASE_HZ);
    for (unsigned h = 0; h < cfg->nharts; h++) {
        fb_begin_at(b, "cpu", h);
        fb_u32(b, "phandle", fdt_ph_cpu(h));
        fb_string(b, "device_type", "cpu");
        fb_u32(b, "reg", h);
        fb_string(b, "status", "okay");
        fb_string(b, "compatible", "riscv");
        fb_string(b, "riscv,isa", cfg->isa ? cfg->isa : FDT_DEFAULT_ISA);
        if (cfg->isa_extensions) {
            /* The newer binding (Linux 6.7's riscv/extensions.yaml), beside
             * riscv,isa for kernels that read only that. */
            fb_string(b, "riscv,isa-base", "rv64i");
            fb_prop(b, "riscv,isa-extensions", cfg->isa_extensions, cfg->isa_extensions_len);
        }
        if (cfg->cbom_block_size) fb_u32(b, "riscv,cbom-block-size", cfg->cbom_block_size);
        if (cfg->cboz_block_size) fb_u32(b, "riscv,cboz-block-size", cfg->cboz_block_size);
        fb_string(b, "mmu-type", cfg->mmu_type ? cfg->mmu_type : FDT_DEFAULT_MMU);
        fb_begin(b, "interrupt-controller");
        fb_u32(b, "#interrupt-cells", 1);
        fb_empty(b, "interrupt-controller");
        fb_string(b, "compatible", "riscv,cpu-intc");
        fb_u32(b, "phandle", fdt_ph_intc(h));
        fb_end(b);
        fb_end(b);
    }
    /* One cluster of single-thread cores, as QEMU gives for one socket
     * (Linux's Documentation/devicetree/bindings/cpu/cpu-topology.txt). */
    fb_begin(b, "cpu-map");
    fb_begin(b, "cluster0");
    for (unsigned h = 0; h < cfg->nharts; h++) {
        snprintf(name, sizeof(name), "core%u", h);
        fb_begin(b, name);
        fb_u32(b, "cpu", fdt_ph_cpu(h));
        fb_end(b);
    }
    fb_end(b);
    fb_end(b);
    fb_end(b);
}

/* A PLIC-wired device node under /soc. */
static void fdt_add_plic_dev(struct fdt_builder *b, const char *node, enum memmap_id id,
                             const char *compatible)
{
    const struct memmap_entry *e = memmap_get(id);
    fb_begin_at(b, node, e->base);
    fb_u32(b, "interrupts", e->irq);
    fb_u32(b, "interrupt-parent", FDT_PH_PLIC);
    fb_reg(b, e->base, e->size);
    fb_string(b, "compatible", compatible);
}

/* Cells of a table property (big-endian u32s). */
static void fb_cells(struct fdt_builder *b, const char *name, const uint32_t *v, size_t n)
{
    fdt32_t cells[32];
    if (n > ARRAY_SIZE(cells)) {
        fb_check(b, -FDT_ERR_BADVALUE);
        return;
    }
    for (size_t i = 0; i < n; i++)
        cells[i] = cpu_to_fdt32(v[i]);
    fb_prop(b, name, cells, n * sizeof(cells[0]));
}

/* The PMU's events (cpu/pmu.h): each SBI event id to its mhpmevent
 * selector (the id itself) and to the counters that count it (all the
 * programmable ones, and mcycle/minstret for cycles/instructions), and the
 * raw selectors perf's rNNN may name. As QEMU's virt gives it
 * (riscv_pmu_generate_fdt_node), with the selectors spelled out for
 * OpenSBI versions that do not fall back to the id. */
static void fdt_add_pmu(struct fdt_builder *b)
{
    static const uint32_t sel[] = {PMU_SEL_CYCLES, PMU_SEL_INSTRUCTIONS, PMU_SEL_DTLB_READ_MISS,
                                   PMU_SEL_DTLB_WRITE_MISS, PMU_SEL_ITLB_READ_MISS};
    static const uint32_t raw[] = {PMU_SEL_EXCEPTIONS, PMU_SEL_INTERRUPTS};
    uint32_t ev[3 * ARRAY_SIZE(sel)], ctr[3 * ARRAY_SIZE(sel)], rw[5 * ARRAY_SIZE(raw)];
    for (size_t i = 0; i < ARRAY_SIZE(sel); i++) {
        ev[3 * i] = sel[i];
        ev[3 * i + 1] = 0;
        ev[3 * i + 2] = sel[i];
        ctr[3 * i] = ctr[3 * i + 1] = sel[i];
        ctr[3 * i + 2] = PMU_HPM_MASK | (sel[i] == PMU_SEL_CYCLES         ? 1u
                                         : sel[i] == PMU_SEL_INSTRUCTIONS ? 4u
                                                                          : 0u);
    }
    for (size_t i = 0; i < ARRAY_SIZE(raw); i++) {
        uint32_t row[5] = {0, raw[i], 0xffffffff, 0xffffffff, PMU_HPM_MASK};
        memcpy(&rw[5 * i], row, sizeof(row));
    }
    fb_begin(b, "pmu");
    fb_string(b, "compatible", "riscv,pmu");
    fb_cells(b, "riscv,event-to-mhpmevent", ev, ARRAY_SIZE(ev));
    fb_cells(b, "riscv,event-to-mhpmcounters", ctr, ARRAY_SIZE(ctr));
    fb_cells(b, "riscv,raw-event-to-mhpmcounters", rw, ARRAY_SIZE(rw));
    fb_end(b);
}

static void fdt_add_soc(struct fdt_builder *b, const struct fdt_virt_config *cfg)
{
    static const char *const test_compat[] = {"sifive,test1", "sifive,test0", "syscon"};
    static const char *const clint_compat[] = {"sifive,clint0", "riscv,clint0"};
    static const char *const plic_compat[] = {"sifive,plic-1.0.0", "riscv,plic0"};
    const struct memmap_entry *e;

    fb_begin(b, "soc");
    fb_u32(b, "#address-cells", 2);
    fb_u32(b, "#size-cells", 2);
    fb_string(b, "compatible", "simple-bus");
    fb_empty(b, "ranges");

    e = memmap_get(MEMMAP_TEST);
    fb_begin_at(b, "test", e->base);
    fb_u32(b, "phandle", FDT_PH_TEST);
    fb_reg(b, e->base, e->size);
    fb_strings(b, "compatible", test_compat, ARRAY_SIZE(test_compat));
    fb_end(b);

    fdt_add_plic_dev(b, "rtc", MEMMAP_RTC, "google,goldfish-rtc");
    fb_end(b);

    fdt_add_plic_dev(b, "serial", MEMMAP_UART0, "ns16550a");
    fb_u32(b, "clock-frequency", FDT_UART_CLOCK_HZ);
    fb_end(b);

    e = memmap_get(MEMMAP_CLINT);
    fb_begin_at(b, "clint", e->base);
    fb_irqs_extended(b, cfg, FDT_IRQ_M_SOFT, FDT_IRQ_M_TIMER);
    fb_reg(b, e->base, e->size);
    fb_strings(b, "compatible", clint_compat, ARRAY_SIZE(clint_compat));
    fb_end(b);

    /* Context 2h is hart h's M-mode, 2h+1 its S-mode: OpenSBI and Linux
     * learn that from the order of these pairs. */
    e = memmap_get(MEMMAP_PLIC);
    fb_begin_at(b, "plic", e->base);
    fb_u32(b, "phandle", FDT_PH_PLIC);
    fb_u32(b, "riscv,ndev", PLIC_NUM_SOURCES - 1);
    fb_reg(b, e->base, e->size);
    fb_irqs_extended(b, cfg, FDT_IRQ_M_EXT, FDT_IRQ_S_EXT);
    fb_empty(b, "interrupt-controller");
    fb_strings(b, "compatible", plic_compat, ARRAY_SIZE(plic_compat));
    fb_u32(b, "#address-cells", 0);
    fb_u32(b, "#interrupt-cells", 1);
    fb_end(b);

    if (cfg->pmu) fdt_add_pmu(b);

    /* Ascending slots: Linux probes in tree order, so slot 0 comes first. */
    for (unsigned n = 0; n < MEMMAP_VIRTIO_COUNT; n++) {
        if (!(cfg->virtio_mask & (1u << n))) continue;
        fdt_add_plic_dev(b, "virtio_mmio", MEMMAP_VIRTIO0 + n, "virtio,mmio");
        fb_end(b);
    }
    fb_end(b);
}

/* /poweroff and /reboot: syscon writes of the finisher's magic values. */
static void fdt_add_syscon_node(struct fdt_builder *b, const char *name, const char *compatible,
                                uint32_t value)
{
    fb_begin(b, name);
    fb_u32(b, "value", value);
    fb_u32(b, "offset", 0);
    fb_u32(b, "regmap", FDT_PH_TEST);
    fb_string(b, "compatible", compatible);
    fb_end(b);
}

static void fdt_add_chosen(struct fdt_builder *b, const struct fdt_virt_config *cfg)
{
    char uart_path[48];
    const struct memmap_entry *uart = memmap_get(MEMMAP_UART0);

    snprintf(uart_path, sizeof(uart_path), "/soc/serial@%llx", (unsigned long long)uart->base);
    fb_begin(b, "chosen");
    if (cfg->bootargs) fb_string(b, "bootargs", cfg->bootargs);
    fb_string(b, "stdout-path", cfg->stdout_path_uart ? cfg->stdout_path_uart : uart_path);
    if (cfg->initrd_end > cfg->initrd_start) {
        /* 64-bit values are accepted by Linux (of_read_number on the
         * property length) and keep initrds above 4 GiB describable. */
        fb_u64(b, "linux,initrd-start", cfg->initrd_start);
        fb_u64(b, "linux,initrd-end", cfg->initrd_end);
    }
    if (cfg->rng_seed && cfg->rng_seed_len)
        fb_prop(b, "rng-seed", cfg->rng_seed, cfg->rng_seed_len);
    fb_end(b);
}

static int fdt_check_config(const struct fdt_virt_config *cfg)
{
    if (!cfg || cfg->nharts == 0 || cfg->nharts > MEMMAP_MAX_HARTS || cfg->ram_size == 0)
        return -EINVAL;
    if (cfg->ram_base + cfg->ram_size < cfg->ram_base) return -EINVAL;
    if (cfg->virtio_mask >> MEMMAP_VIRTIO_COUNT) return -EINVAL;
    if (cfg->initrd_end < cfg->initrd_start) return -EINVAL;
    return 0;
}

int fdt_build_virt(const struct fdt_virt_config *cfg, void *buf, size_t bufsize)
{
    int err = fdt_check_config(cfg);
    if (err) return err;
    if (!buf || bufsize > INT32_MAX) return -EINVAL;

    struct fdt_builder b = {.fdt = buf};
    fb_check(&b, fdt_create(buf, (int)bufsize));
    if (!b.err) fb_check(&b, fdt_finish_reservemap(buf));

    fb_begin(&b, "");
    fb_u32(&b, "#address-cells", 2);
    fb_u32(&b, "#size-cells", 2);
    fb_string(&b, "compatible", "riscv-virtio");
    fb_string(&b, "model", "riscv-virtio,rvmm");

    fdt_add_chosen(&b, cfg);
    fb_begin_at(&b, "memory", cfg->ram_base);
    fb_string(&b, "device_type", "memory");
    fb_reg(&b, cfg->ram_base, cfg->ram_size);
    fb_end(&b);
    fdt_add_cpus(&b, cfg);
    fdt_add_soc(&b, cfg);
    fdt_add_syscon_node(&b, "poweroff", "syscon-poweroff", SYSCON_FINISHER_PASS);
    fdt_add_syscon_node(&b, "reboot", "syscon-reboot", SYSCON_FINISHER_RESET);
    fb_end(&b);

    if (!b.err) fb_check(&b, fdt_finish(buf));
    if (b.err == -FDT_ERR_NOSPACE) return -ENOSPC;
    return b.err ? -EINVAL : 0;
}
