/* Unit tests for the virt device tree: header validity, the properties
 * OpenSBI and Linux read (cpus, intc phandles, memory, CLINT/PLIC
 * interrupts-extended pairs, UART/RTC/virtio wiring, syscon nodes, chosen),
 * that every address comes from the memmap table, configuration errors and
 * a too-small buffer. Set RVMM_FDT_DUMP=path to write the blob for
 * `dtc -I dtb -O dts path`. */
#include "machine/fdt.h"

#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/memmap.h"
#include "ut.h"

UT_MAIN_STATE

#define BUFSIZE 65536

static struct fdt_virt_config base_config(void)
{
    return (struct fdt_virt_config){
        .ram_base = 0x80000000,
        .ram_size = 256ULL << 20,
        .nharts = 2,
        .isa = "rv64imafdc_zicsr_zifencei",
        .isa_extensions = "i\0m\0zicsr",
        .isa_extensions_len = sizeof("i\0m\0zicsr"),
        .mmu_type = "riscv,sv48",
        .cbom_block_size = 64,
        .cboz_block_size = 64,
        .bootargs = "console=ttyS0 earlycon",
        .initrd_start = 0x84000000,
        .initrd_end = 0x84100000,
        .virtio_mask = 0x05,
    };
}

static int node(const void *fdt, const char *path)
{
    int off = fdt_path_offset(fdt, path);
    if (off < 0) fprintf(stderr, "  missing node %s\n", path);
    return off;
}

static uint32_t prop_u32(const void *fdt, int off, const char *name)
{
    int len = 0;
    const fdt32_t *p = fdt_getprop(fdt, off, name, &len);
    if (!p || len != 4) {
        fprintf(stderr, "  bad u32 property %s (len %d)\n", name, len);
        return 0xdeadbeef;
    }
    return fdt32_to_cpu(*p);
}

static uint64_t prop_u64(const void *fdt, int off, const char *name)
{
    int len = 0;
    const fdt64_t *p = fdt_getprop(fdt, off, name, &len);
    if (!p || len != 8) return 0xdeadbeef;
    return fdt64_ld(p); /* properties are only 4-byte aligned */
}

static const char *prop_str(const void *fdt, int off, const char *name)
{
    const char *s = fdt_getprop(fdt, off, name, NULL);
    return s ? s : "";
}

/* reg = <addr-hi addr-lo size-hi size-lo> under a 2/2-cell parent. */
static void check_reg(const void *fdt, int off, uint64_t base, uint64_t size)
{
    int len = 0;
    const fdt64_t *p = fdt_getprop(fdt, off, "reg", &len);
    UT_EQ(len, 16);
    if (p && len == 16) {
        UT_EQ(fdt64_ld(&p[0]), base);
        UT_EQ(fdt64_ld(&p[1]), size);
    }
}

static void check_plic_dev(const void *fdt, const char *path, enum memmap_id id,
                           const char *compatible, uint32_t plic_ph)
{
    const struct memmap_entry *e = memmap_get(id);
    int off = node(fdt, path);
    UT_CHECK(off >= 0);
    if (off < 0) return;
    check_reg(fdt, off, e->base, e->size);
    UT_EQ(prop_u32(fdt, off, "interrupts"), e->irq);
    UT_EQ(prop_u32(fdt, off, "interrupt-parent"), plic_ph);
    UT_EQ(fdt_node_check_compatible(fdt, off, compatible), 0);
}

/* interrupts-extended = <intc_h a intc_h b> per hart, intc_h being the
 * phandle of /cpus/cpu@h/interrupt-controller. */
static void check_irqs_extended(const void *fdt, int off, unsigned nharts, uint32_t a, uint32_t b)
{
    int len = 0;
    const fdt32_t *p = fdt_getprop(fdt, off, "interrupts-extended", &len);
    UT_EQ(len, (int)(nharts * 16));
    if (!p || len != (int)(nharts * 16)) return;
    for (unsigned h = 0; h < nharts; h++) {
        char path[64];
        snprintf(path, sizeof(path), "/cpus/cpu@%x/interrupt-controller", h);
        int intc = node(fdt, path);
        uint32_t ph = fdt_get_phandle(fdt, intc);
        UT_CHECK(ph != 0);
        UT_EQ(fdt32_to_cpu(p[4 * h + 0]), ph);
        UT_EQ(fdt32_to_cpu(p[4 * h + 1]), a);
        UT_EQ(fdt32_to_cpu(p[4 * h + 2]), ph);
        UT_EQ(fdt32_to_cpu(p[4 * h + 3]), b);
    }
}

static void test_structure(void)
{
    struct fdt_virt_config cfg = base_config();
    void *fdt = calloc(1, BUFSIZE);
    UT_EQ(fdt_build_virt(&cfg, fdt, BUFSIZE), 0);
    UT_EQ(fdt_check_header(fdt), 0);
    UT_CHECK(fdt_totalsize(fdt) < 8192);
    const char *dump = getenv("RVMM_FDT_DUMP");
    if (dump) {
        FILE *f = fopen(dump, "wb");
        if (f) {
            fwrite(fdt, 1, fdt_totalsize(fdt), f);
            fclose(f);
        }
    }

    UT_EQ(prop_u32(fdt, 0, "#address-cells"), 2);
    UT_EQ(prop_u32(fdt, 0, "#size-cells"), 2);
    UT_EQ(fdt_node_check_compatible(fdt, 0, "riscv-virtio"), 0);

    int cpus = node(fdt, "/cpus");
    UT_EQ(prop_u32(fdt, cpus, "timebase-frequency"), 10000000);
    UT_EQ(prop_u32(fdt, cpus, "#address-cells"), 1);
    UT_EQ(prop_u32(fdt, cpus, "#size-cells"), 0);
    for (unsigned h = 0; h < 2; h++) {
        char path[64];
        snprintf(path, sizeof(path), "/cpus/cpu@%x", h);
        int cpu = node(fdt, path);
        UT_EQ(prop_u32(fdt, cpu, "reg"), h);
        UT_CHECK(strcmp(prop_str(fdt, cpu, "device_type"), "cpu") == 0);
        UT_CHECK(strcmp(prop_str(fdt, cpu, "status"), "okay") == 0);
        UT_CHECK(strcmp(prop_str(fdt, cpu, "riscv,isa"), cfg.isa) == 0);
        UT_CHECK(strcmp(prop_str(fdt, cpu, "riscv,isa-base"), "rv64i") == 0);
        int elen;
        const char *ext = fdt_getprop(fdt, cpu, "riscv,isa-extensions", &elen);
        UT_CHECK(ext && elen == (int)cfg.isa_extensions_len &&
                 !memcmp(ext, cfg.isa_extensions, (size_t)elen));
        UT_EQ(fdt_stringlist_count(fdt, cpu, "riscv,isa-extensions"), 3);
        UT_EQ(prop_u32(fdt, cpu, "riscv,cbom-block-size"), 64);
        UT_EQ(prop_u32(fdt, cpu, "riscv,cboz-block-size"), 64);
        UT_CHECK(strcmp(prop_str(fdt, cpu, "mmu-type"), "riscv,sv48") == 0);
        UT_EQ(fdt_node_check_compatible(fdt, cpu, "riscv"), 0);
        int intc = fdt_subnode_offset(fdt, cpu, "interrupt-controller");
        UT_CHECK(intc >= 0);
        UT_EQ(prop_u32(fdt, intc, "#interrupt-cells"), 1);
        UT_CHECK(fdt_getprop(fdt, intc, "interrupt-controller", NULL) != NULL);
        UT_EQ(fdt_node_check_compatible(fdt, intc, "riscv,cpu-intc"), 0);
        /* cpu-map points back at the cpu node. */
        snprintf(path, sizeof(path), "/cpus/cpu-map/cluster0/core%u", h);
        int core = node(fdt, path);
        UT_EQ(prop_u32(fdt, core, "cpu"), fdt_get_phandle(fdt, cpu));
    }
    UT_CHECK(fdt_path_offset(fdt, "/cpus/cpu@2") < 0);

    int mem = node(fdt, "/memory@80000000");
    UT_CHECK(strcmp(prop_str(fdt, mem, "device_type"), "memory") == 0);
    check_reg(fdt, mem, 0x80000000, 256ULL << 20);

    int soc = node(fdt, "/soc");
    UT_EQ(fdt_node_check_compatible(fdt, soc, "simple-bus"), 0);
    UT_CHECK(fdt_getprop(fdt, soc, "ranges", NULL) != NULL);

    int clint = node(fdt, "/soc/clint@2000000");
    check_reg(fdt, clint, 0x2000000, 0x10000);
    UT_EQ(fdt_node_check_compatible(fdt, clint, "sifive,clint0"), 0);
    UT_EQ(fdt_node_check_compatible(fdt, clint, "riscv,clint0"), 0);
    check_irqs_extended(fdt, clint, 2, 3, 7);

    int plic = node(fdt, "/soc/plic@c000000");
    check_reg(fdt, plic, 0xc000000, 0x600000);
    UT_EQ(fdt_node_check_compatible(fdt, plic, "sifive,plic-1.0.0"), 0);
    UT_EQ(fdt_node_check_compatible(fdt, plic, "riscv,plic0"), 0);
    UT_EQ(prop_u32(fdt, plic, "riscv,ndev"), 95);
    UT_EQ(prop_u32(fdt, plic, "#interrupt-cells"), 1);
    UT_EQ(prop_u32(fdt, plic, "#address-cells"), 0);
    UT_CHECK(fdt_getprop(fdt, plic, "interrupt-controller", NULL) != NULL);
    check_irqs_extended(fdt, plic, 2, 11, 9);
    uint32_t plic_ph = fdt_get_phandle(fdt, plic);
    UT_CHECK(plic_ph != 0);

    check_plic_dev(fdt, "/soc/serial@10000000", MEMMAP_UART0, "ns16550a", plic_ph);
    UT_EQ(prop_u32(fdt, node(fdt, "/soc/serial@10000000"), "clock-frequency"), 0x384000);
    check_plic_dev(fdt, "/soc/rtc@101000", MEMMAP_RTC, "google,goldfish-rtc", plic_ph);
    check_plic_dev(fdt, "/soc/virtio_mmio@10001000", MEMMAP_VIRTIO0, "virtio,mmio", plic_ph);
    check_plic_dev(fdt, "/soc/virtio_mmio@10003000", MEMMAP_VIRTIO0 + 2, "virtio,mmio", plic_ph);
    UT_CHECK(fdt_path_offset(fdt, "/soc/virtio_mmio@10002000") < 0);
    int n = 0;
    for (int o = fdt_node_offset_by_compatible(fdt, -1, "virtio,mmio"); o >= 0;
         o = fdt_node_offset_by_compatible(fdt, o, "virtio,mmio"))
        n++;
    UT_EQ(n, 2);

    int test = node(fdt, "/soc/test@100000");
    check_reg(fdt, test, 0x100000, 0x1000);
    UT_EQ(fdt_node_check_compatible(fdt, test, "sifive,test1"), 0);
    UT_EQ(fdt_node_check_compatible(fdt, test, "sifive,test0"), 0);
    UT_EQ(fdt_node_check_compatible(fdt, test, "syscon"), 0);
    uint32_t test_ph = fdt_get_phandle(fdt, test);
    UT_CHECK(test_ph != 0 && test_ph != plic_ph);
    int off = node(fdt, "/poweroff");
    UT_EQ(fdt_node_check_compatible(fdt, off, "syscon-poweroff"), 0);
    UT_EQ(prop_u32(fdt, off, "regmap"), test_ph);
    UT_EQ(prop_u32(fdt, off, "offset"), 0);
    UT_EQ(prop_u32(fdt, off, "value"), 0x5555);
    off = node(fdt, "/reboot");
    UT_EQ(fdt_node_check_compatible(fdt, off, "syscon-reboot"), 0);
    UT_EQ(prop_u32(fdt, off, "regmap"), test_ph);
    UT_EQ(prop_u32(fdt, off, "value"), 0x7777);

    int chosen = node(fdt, "/chosen");
    UT_CHECK(strcmp(prop_str(fdt, chosen, "bootargs"), cfg.bootargs) == 0);
    UT_CHECK(strcmp(prop_str(fdt, chosen, "stdout-path"), "/soc/serial@10000000") == 0);
    UT_CHECK(fdt_path_offset(fdt, prop_str(fdt, chosen, "stdout-path")) >= 0);
    UT_EQ(prop_u64(fdt, chosen, "linux,initrd-start"), 0x84000000);
    UT_EQ(prop_u64(fdt, chosen, "linux,initrd-end"), 0x84100000);
    UT_CHECK(fdt_getprop(fdt, chosen, "rng-seed", NULL) == NULL);

    /* Phandles are unique across the tree. */
    uint32_t max = fdt_get_max_phandle(fdt);
    for (uint32_t ph = 1; ph <= max; ph++)
        UT_CHECK(fdt_node_offset_by_phandle(fdt, ph) >= 0);
    free(fdt);
}

static void test_options(void)
{
    struct fdt_virt_config cfg = base_config();
    void *fdt = calloc(1, BUFSIZE);
    uint8_t seed[32];
    for (unsigned i = 0; i < sizeof(seed); i++)
        seed[i] = (uint8_t)(i * 7);
    cfg.nharts = 8;
    cfg.isa = NULL;
    cfg.isa_extensions = NULL;
    cfg.cbom_block_size = cfg.cboz_block_size = 0;
    cfg.mmu_type = NULL;
    cfg.bootargs = NULL;
    cfg.initrd_start = cfg.initrd_end = 0;
    cfg.virtio_mask = (1u << MEMMAP_VIRTIO_COUNT) - 1; /* all 16 slots */
    cfg.stdout_path_uart = "/soc/serial@10000000:115200n8";
    cfg.rng_seed = seed;
    cfg.rng_seed_len = sizeof(seed);
    cfg.ram_size = 8ULL << 30;
    UT_EQ(fdt_build_virt(&cfg, fdt, BUFSIZE), 0);
    UT_EQ(fdt_check_header(fdt), 0);

    int cpu = node(fdt, "/cpus/cpu@7");
    UT_CHECK(strcmp(prop_str(fdt, cpu, "riscv,isa"), "rv64imafdc_zicsr_zifencei") == 0);
    /* Without a list, the newer binding's properties are left out. */
    UT_CHECK(fdt_getprop(fdt, cpu, "riscv,isa-extensions", NULL) == NULL);
    UT_CHECK(fdt_getprop(fdt, cpu, "riscv,isa-base", NULL) == NULL);
    /* Without Zicbom/Zicboz, no block sizes. */
    UT_CHECK(fdt_getprop(fdt, cpu, "riscv,cbom-block-size", NULL) == NULL);
    UT_CHECK(fdt_getprop(fdt, cpu, "riscv,cboz-block-size", NULL) == NULL);
    UT_CHECK(strcmp(prop_str(fdt, cpu, "mmu-type"), "riscv,sv39") == 0);
    check_reg(fdt, node(fdt, "/memory@80000000"), 0x80000000, 8ULL << 30);
    check_irqs_extended(fdt, node(fdt, "/soc/plic@c000000"), 8, 11, 9);
    check_irqs_extended(fdt, node(fdt, "/soc/clint@2000000"), 8, 3, 7);
    for (unsigned s = 0; s < MEMMAP_VIRTIO_COUNT; s++) {
        char path[64];
        snprintf(path, sizeof(path), "/soc/virtio_mmio@%llx",
                 (unsigned long long)memmap_virtio(s)->base);
        /* QEMU's IRQs 1-8, then 12-19 past the UART's 10 and the RTC's 11. */
        UT_EQ(prop_u32(fdt, node(fdt, path), "interrupts"), s < 8 ? s + 1 : s + 4);
    }
    int chosen = node(fdt, "/chosen");
    UT_CHECK(fdt_getprop(fdt, chosen, "bootargs", NULL) == NULL);
    UT_CHECK(fdt_getprop(fdt, chosen, "linux,initrd-start", NULL) == NULL);
    UT_CHECK(strcmp(prop_str(fdt, chosen, "stdout-path"), cfg.stdout_path_uart) == 0);
    int len = 0;
    const void *p = fdt_getprop(fdt, chosen, "rng-seed", &len);
    UT_EQ(len, sizeof(seed));
    UT_CHECK(p && memcmp(p, seed, sizeof(seed)) == 0);

    /* The most harts the map allows still fit a modest buffer. */
    cfg.nharts = MEMMAP_MAX_HARTS;
    void *big = calloc(1, 1 << 20);
    UT_EQ(fdt_build_virt(&cfg, big, 1 << 20), 0);
    UT_EQ(fdt_check_header(big), 0);
    UT_CHECK(fdt_path_offset(big, "/cpus/cpu@1ff") >= 0);
    free(big);
    free(fdt);
}

static void test_errors(void)
{
    struct fdt_virt_config cfg = base_config();
    uint8_t small[512];
    void *fdt = calloc(1, BUFSIZE);

    UT_EQ(fdt_build_virt(&cfg, small, sizeof(small)), -ENOSPC);
    UT_EQ(fdt_build_virt(&cfg, small, 16), -ENOSPC);
    UT_EQ(fdt_build_virt(NULL, fdt, BUFSIZE), -EINVAL);
    UT_EQ(fdt_build_virt(&cfg, NULL, BUFSIZE), -EINVAL);
    cfg.nharts = 0;
    UT_EQ(fdt_build_virt(&cfg, fdt, BUFSIZE), -EINVAL);
    cfg.nharts = MEMMAP_MAX_HARTS + 1;
    UT_EQ(fdt_build_virt(&cfg, fdt, BUFSIZE), -EINVAL);
    cfg = base_config();
    cfg.ram_size = 0;
    UT_EQ(fdt_build_virt(&cfg, fdt, BUFSIZE), -EINVAL);
    cfg = base_config();
    cfg.virtio_mask = 1u << MEMMAP_VIRTIO_COUNT;
    UT_EQ(fdt_build_virt(&cfg, fdt, BUFSIZE), -EINVAL);
    cfg = base_config();
    cfg.initrd_end = cfg.initrd_start - 1;
    UT_EQ(fdt_build_virt(&cfg, fdt, BUFSIZE), -EINVAL);
    cfg = base_config();
    cfg.ram_base = UINT64_MAX - 10;
    UT_EQ(fdt_build_virt(&cfg, fdt, BUFSIZE), -EINVAL);
    free(fdt);
}

static void test_memmap(void)
{
    /* The table is consistent: ordered by address, no overlaps, IRQs in
     * the PLIC's range and unique. */
    uint64_t irqs = 0;
    for (unsigned i = 0; i < MEMMAP_COUNT; i++) {
        const struct memmap_entry *e = memmap_get((enum memmap_id)i);
        UT_CHECK(e && e->name);
        if (!e) continue;
        UT_CHECK(e->irq < 96);
        if (e->irq) {
            UT_CHECK(!(irqs & (1ULL << e->irq)));
            irqs |= 1ULL << e->irq;
        }
        for (unsigned j = 0; j < MEMMAP_COUNT; j++) {
            const struct memmap_entry *f = memmap_get((enum memmap_id)j);
            if (j != i && e->size && f->size)
                UT_CHECK(e->base + e->size <= f->base || f->base + f->size <= e->base);
        }
    }
    UT_CHECK(memmap_get(MEMMAP_COUNT) == NULL);
    UT_CHECK(memmap_virtio(MEMMAP_VIRTIO_COUNT) == NULL);
    UT_EQ(memmap_virtio(3)->base, 0x10004000);
    UT_EQ(memmap_virtio(3)->irq, 4);
    UT_EQ(memmap_virtio(15)->base, 0x10010000);
    UT_EQ(memmap_virtio(15)->irq, 19);
    UT_EQ(memmap_get(MEMMAP_UART0)->irq, 10);
    UT_EQ(memmap_get(MEMMAP_DRAM)->base, 0x80000000);
}

int main(void)
{
    ut_run("fdt_structure", test_structure);
    ut_run("fdt_options", test_options);
    ut_run("fdt_errors", test_errors);
    ut_run("fdt_memmap", test_memmap);
    return ut_exit();
}
