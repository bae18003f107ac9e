/* The board memory map table and its lookups. Owns nothing but constant data;
 * must not grow per-VM state (RAM size lives in the VM's configuration). */
#include "machine/memmap.h"

/* Slots 0-7 are QEMU's (IRQs 1-8). Slots 8-15 continue the same window
 * (up to 0x10011000, below QEMU's fw_cfg at 0x10100000) on IRQs 12-19,
 * past the UART's 10 and the RTC's 11: a Kata-style VM needs a rootfs,
 * its image drives, a NIC, an rng and a vsock. */
#define VIRTIO_SLOT(n)                                                                             \
    [MEMMAP_VIRTIO0 + (n)] = {"virtio" #n, 0x10001000 + (n)*0x1000, 0x1000,                        \
                              (n) < 8 ? 1 + (n) : 4 + (n)}

/* QEMU virt's layout (hw/riscv/virt.c, virt_memmap[]); IRQ numbers from
 * include/hw/riscv/virt.h (UART0_IRQ 10, RTC_IRQ 11, VIRTIO_IRQ 1..8). */
static const struct memmap_entry memmap_table[MEMMAP_COUNT] = {
    [MEMMAP_TEST] = {"test", 0x100000, 0x1000, 0},
    [MEMMAP_RTC] = {"rtc", 0x101000, 0x1000, 11},
    [MEMMAP_CLINT] = {"clint", 0x2000000, 0x10000, 0},
    [MEMMAP_PLIC] = {"plic", 0xc000000, 0x600000, 0},
    [MEMMAP_UART0] = {"uart0", 0x10000000, 0x100, 10},
    VIRTIO_SLOT(0),
    VIRTIO_SLOT(1),
    VIRTIO_SLOT(2),
    VIRTIO_SLOT(3),
    VIRTIO_SLOT(4),
    VIRTIO_SLOT(5),
    VIRTIO_SLOT(6),
    VIRTIO_SLOT(7),
    VIRTIO_SLOT(8),
    VIRTIO_SLOT(9),
    VIRTIO_SLOT(10),
    VIRTIO_SLOT(11),
    VIRTIO_SLOT(12),
    VIRTIO_SLOT(13),
    VIRTIO_SLOT(14),
    VIRTIO_SLOT(15),
    [MEMMAP_DRAM] = {"dram", 0x80000000, 0, 0},
    /* A free page after the RTC in QEMU's layout. */
    [MEMMAP_BOOT_TIMER] = {"boot_timer", 0x102000, 0x1000, 0},
};

_Static_assert(MEMMAP_VIRTIO_COUNT == 16, "memmap_table lists sixteen virtio slots");
/* The last slot ends below QEMU's fw_cfg window; IRQ 19 is a PLIC source. */
_Static_assert(0x10001000 + 16 * 0x1000 <= 0x10100000, "virtio slots overlap fw_cfg");
/* The PLIC window must hold the context registers of every hart: threshold
 * and claim blocks start at 0x200000, 0x1000 per context, two per hart. */
_Static_assert(0x200000 + 0x1000ULL * 2 * MEMMAP_MAX_HARTS <= 0x600000, "PLIC window too small");
/* CLINT: one 8-byte mtimecmp per hart below mtime at 0xbff8. */
_Static_assert(0x4000 + 8ULL * MEMMAP_MAX_HARTS <= 0xbff8, "CLINT window too small");

const struct memmap_entry *memmap_get(enum memmap_id id)
{
    if ((unsigned)id >= MEMMAP_COUNT) return NULL;
    return &memmap_table[id];
}

const struct memmap_entry *memmap_virtio(unsigned n)
{
    if (n >= MEMMAP_VIRTIO_COUNT) return NULL;
    return &memmap_table[MEMMAP_VIRTIO0 + n];
}
