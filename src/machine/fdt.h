/* The device tree for the "virt" board, built with libfdt's sequential-write
 * API from a configuration and the memmap table, in the shape QEMU 7.2's
 * virt machine gives (hw/riscv/virt.c) and that OpenSBI 1.1 and Linux 6.1
 * parse: /cpus with one cpu@N and its riscv,cpu-intc per hart, /memory,
 * /soc with the CLINT, PLIC, UART, RTC, test finisher and the chosen
 * virtio-mmio slots, the PMU's event map, /poweroff and /reboot (syscon), and /chosen. It only
 * describes the board: it must not create devices or place the blob in RAM.
 * (The names share libfdt's fdt_ prefix; nothing in libfdt uses these.) */
#ifndef RVMM_MACHINE_FDT_H
#define RVMM_MACHINE_FDT_H

#include "common/types.h"

struct fdt_virt_config {
    uint64_t ram_base, ram_size;
    unsigned nharts; /* 1..MEMMAP_MAX_HARTS */
    const char *isa; /* riscv,isa of every hart; NULL = "rv64imafdc_zicsr_zifencei" */
    /* riscv,isa-extensions as a string list (NUL-separated names) with
     * riscv,isa-base "rv64i" beside it; NULL = neither property. */
    const char *isa_extensions;
    size_t isa_extensions_len;
    /* /soc/pmu (compatible "riscv,pmu"): the hart's counter events as
     * OpenSBI's generic platform reads them (its docs/pmu_support.md). */
    bool pmu;
    /* Cache-block sizes of Zicbom/Zicboz (riscv,cbo[mz]-block-size, the
     * binding in Linux's riscv/cpus.yaml); 0 leaves the property out. */
    uint32_t cbom_block_size, cboz_block_size;
    const char *mmu_type;  /* "riscv,sv39", "riscv,sv48"...; NULL = "riscv,sv39" */
    const char *bootargs;  /* NULL = no bootargs property */
    uint64_t initrd_start; /* guest physical [start, end); 0, 0 = no initrd */
    uint64_t initrd_end;
    uint32_t virtio_mask; /* bit n: describe virtio-mmio slot n */
    /* chosen/stdout-path; NULL = the UART's node path ("/soc/serial@10000000"). */
    const char *stdout_path_uart;
    /* chosen/rng-seed bytes for the kernel's early entropy; NULL = none. */
    const uint8_t *rng_seed;
    size_t rng_seed_len;
};

/* Writes the blob into buf; fdt_totalsize(buf) is its packed size. Returns 0,
 * -EINVAL for a bad configuration, or -ENOSPC if bufsize is too small (64
 * KiB is plenty for 64 harts). OpenSBI grows the blob in place to add its
 * reserved-memory nodes, so the loader must leave free RAM after it
 * (QEMU leaves the blob's 2 MiB-aligned slot). */
int fdt_build_virt(const struct fdt_virt_config *cfg, void *buf, size_t bufsize);

#endif
