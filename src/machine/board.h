/* The "virt" board: guest RAM, the MMIO bus with its devices, the harts and
 * the wiring between them (interrupt lines, the memory map), and the boot
 * images with the device tree describing them. The VMM drives the harts;
 * the board only builds and connects the hardware. */
#ifndef RVMM_MACHINE_BOARD_H
#define RVMM_MACHINE_BOARD_H

#include "common/clock.h"
#include "common/ratelimit.h"
#include "cpu/hart.h"
#include "machine/bus.h"
#include "machine/memmap.h"
#include "machine/virtio/virtio_balloon.h"

#define BOARD_MAX_HARTS  32
#define BOARD_MAX_DRIVES MEMMAP_VIRTIO_COUNT

struct blockdev;
struct kvm_vm;

/* A disk behind a virtio-blk device. The VMM opens the backend once and
 * keeps it across guest reboots; the board, rebuilt on each reboot, never
 * opens or closes files. */
struct board_drive {
    struct blockdev *bd;
    bool readonly;
    const char *serial; /* what the guest reads as its id (GET_ID), or NULL */
    struct ratelimit_config rl;
};

#define BOARD_MAX_NETS 4

struct netdev;
struct vsock_mux;

/* A NIC: the backend the VM opened (it outlives the board) and its MAC. */
struct board_net {
    struct netdev *dev;
    uint8_t mac[6];
    uint16_t mtu; /* offered with VIRTIO_NET_F_MTU; 0: none (Ethernet's 1500) */
    struct ratelimit_config rx_rl, tx_rl; /* host->guest, guest->host */
};

struct board_config {
    uint64_t ram_size;
    unsigned nharts;
    const char *bios; /* firmware file, or NULL for none (kernel runs in M-mode) */
    bool sbi_builtin; /* no firmware: the kernel starts in S-mode, SBI served by the VMM */
    const char *kernel;
    const char *initrd;
    const char *append;
    /* A virtio-console on the first virtio-mmio slot, served through
     * board_io.console_host (the UART stays, its output is not the console). */
    bool virtio_console;
    /* One virtio-blk each, /dev/vda first, on the virtio-mmio slots after any
     * console and before network and rng devices. */
    struct board_drive drives[BOARD_MAX_DRIVES];
    unsigned ndrives;
    bool rng; /* virtio-rng, on the slot after the other virtio devices */
    /* virtio-balloon, on the slot after the rng, served through
     * board_io.balloon_host. */
    bool balloon;
    struct virtio_balloon_config balloon_cfg;
    struct board_net nets[BOARD_MAX_NETS];
    unsigned nnets;
    /* virtio-vsock on the slot after the balloon, served by this
     * multiplexer (the VM's: it outlives the board), or NULL. */
    struct vsock_mux *vsock;
    int engine;             /* enum hart_engine, the same for every hart */
    struct jit_options jit; /* the host's choice, like engine: not in snapshots */
    struct cpu_model cpu;   /* the harts' extensions; ext 0 = the default model */
    bool thp;               /* back guest RAM with transparent huge pages (madvise) */
    bool hugetlb;           /* back guest RAM with 2 MiB hugetlb pages (ram_create_huge) */
    bool boot_timer;        /* Firecracker's boot timer at MEMMAP_BOOT_TIMER (board_io.boot_done) */
    /* Restoring a snapshot: guest RAM is this memory file mapped
     * copy-on-write, and no image is loaded (board_restore sets the state). */
    const char *ram_file;
    /* An incoming migration: guest RAM is this anonymous mapping of
     * ram_size bytes, already filled (the board owns it from
     * board_create() on, even on failure), and no image is loaded. */
    void *ram_host;
};

/* How the board reaches its host side. */
struct board_io {
    void (*console_tx)(void *opaque, uint8_t byte);
    /* Optional: the host has room for more console output (uart.h). */
    bool (*console_tx_ready)(void *opaque);
    /* A hart's interrupt line changed: the VMM wakes a sleeping vCPU. */
    void (*wake)(void *opaque, unsigned hart);
    void *opaque;
    /* The VM's I/O thread: devices hand host I/O to it, never blocking a vCPU. */
    struct ioloop *loop;
    /* The host side of the virtio-console (cfg.virtio_console). */
    const struct virtio_console_host *console_host;
    /* What the balloon does with the pages it is given (cfg.balloon). */
    const struct virtio_balloon_host *balloon_host;
    /* The guest wrote the boot timer's magic byte (cfg.boot_timer); vCPU thread. */
    void (*boot_done)(void *opaque);
};

/* What the guest asked of the machine through the test finisher. */
enum board_request { BOARD_RUN = 0, BOARD_POWEROFF, BOARD_RESET, BOARD_FAIL };

struct board_irq_ctx;
struct ioloop;
struct virtio_console;
struct virtio_console_host;
struct virtio_dev_ops;
struct virtio_mmio;
struct virtio_rng;
struct virtio_blk;

/* One virtio-mmio slot: the transport and the device behind it. */
struct board_virtio {
    struct virtio_mmio *mmio;
    const struct virtio_dev_ops *ops;
    void *dev;
    void (*destroy)(void *dev);
};

struct board {
    struct board_config cfg;
    struct board_io io;
    struct guest_ram ram;
    struct bus bus;
    struct vclock *clock;
    struct rv_hart *harts;
    unsigned nharts;
    struct uart *uart;
    struct plic *plic;
    struct clint *clint;
    struct rtc *rtc;
    struct syscon *syscon;
    struct boot_timer *boot_timer; /* cfg.boot_timer, or NULL */
    struct virtio_console *vcon;
    struct virtio_rng *rng;
    struct virtio_balloon *balloon;
    struct virtio_blk *blk[BOARD_MAX_DRIVES]; /* cfg.drives[k]'s device */
    struct virtio_net *net[BOARD_MAX_NETS];   /* cfg.nets[k]'s device */
    /* virtio-mmio slots in use, 0..nvirtio-1, in the order devices were added
     * (the device tree lists them in that order, so Linux probes them so). */
    struct board_virtio virtio[MEMMAP_VIRTIO_COUNT];
    unsigned nvirtio;
    struct board_irq_ctx *irq_ctx; /* per hart: what the hart irq lines point at */
    int request;                   /* enum board_request, set from device callbacks */
    int request_code;
    gpa_t fdt_addr;
    gpa_t entry;
    struct kvm_vm *kvm; /* the KVM VM behind the harts (engine kvm), or NULL */
};

/* Builds the board and loads its images. The vclock is the VM's: it
 * outlives a board across guest reboots. On failure err holds one line. */
int board_create(struct board **out, const struct board_config *cfg, const struct board_io *io,
                 struct vclock *clock, char *err, size_t errlen);
void board_destroy(struct board *b);

/* Puts dev behind the next free virtio-mmio slot, wired to its PLIC line.
 * The board owns dev from then on (destroy, may be NULL, frees it), even
 * when this fails. For create_devices() and the device files it calls. */
int board_add_virtio(struct board *b, const struct virtio_dev_ops *ops, void *dev,
                     void (*destroy)(void *dev));

/* Persistence of everything the board holds but RAM: the harts'
 * architectural state and every device's (virtio transports, and each
 * virtio device through its ops' save/restore). One section (tag "BORD").
 * Saving needs the harts stopped. A device without a save hook makes
 * board_save fail with -ENOTSUP. board_restore expects a board built from
 * the same configuration and checks that its devices match the saved ones. */
int board_save(const struct board *b, struct stream *s);
int board_restore(struct board *b, struct stream *s);

/* Updates time-driven interrupt lines (CLINT timers, RTC alarm). */
void board_update_timers(struct board *b);
/* Host monotonic ns of the next timer event, or UINT64_MAX. */
uint64_t board_next_deadline_ns(const struct board *b);

#endif
