/* The "virt" board's physical memory map: the one table that the board (when
 * it maps devices on the bus and wires interrupts) and the device tree
 * generator both read, so an address or an IRQ number is written down once.
 * The layout follows QEMU's virt machine (hw/riscv/virt.c) so one guest image
 * runs on both. This file holds data only: it must not create devices, and no
 * other file may hard-code these addresses. */
#ifndef RVMM_MACHINE_MEMMAP_H
#define RVMM_MACHINE_MEMMAP_H

#include "common/types.h"

/* How many virtio-mmio transports the board reserves: QEMU's VIRTIO_COUNT
 * (8) and 8 more, so a Firecracker/Kata-style VM gets its 9+ drives. */
#define MEMMAP_VIRTIO_COUNT 16

/* The most harts the map has room for: the PLIC window (0x600000) holds
 * 1024 contexts, two per hart, as QEMU sizes it for VIRT_CPUS_MAX = 512. */
#define MEMMAP_MAX_HARTS 512

enum memmap_id {
    MEMMAP_TEST,  /* sifive,test finisher (syscon) */
    MEMMAP_RTC,   /* goldfish RTC */
    MEMMAP_CLINT, /* msip, mtimecmp, mtime */
    MEMMAP_PLIC,
    MEMMAP_UART0,
    MEMMAP_VIRTIO0, /* MEMMAP_VIRTIO0 + n for slot n */
    MEMMAP_DRAM = MEMMAP_VIRTIO0 + MEMMAP_VIRTIO_COUNT,
    MEMMAP_BOOT_TIMER, /* Firecracker's boot timer (--boot-timer only; not in the device tree) */
    MEMMAP_COUNT
};

struct memmap_entry {
    const char *name; /* short name for bus statistics: "uart0", "virtio3" */
    gpa_t base;
    uint64_t size; /* 0 for DRAM: the VM's configuration chooses it */
    unsigned irq;  /* PLIC source number, 0 = no interrupt */
};

/* The entry for id, or NULL if id is out of range. */
const struct memmap_entry *memmap_get(enum memmap_id id);

/* Slot n of the virtio-mmio transports, or NULL if n >= MEMMAP_VIRTIO_COUNT. */
const struct memmap_entry *memmap_virtio(unsigned n);

#endif
