/* libFuzzer target for the whole CPU: the input is guest code. A hart with
 * 1 MiB of RAM runs it for 10000 instructions against a bus whose every
 * MMIO access fails. The first input byte picks the starting privilege,
 * paging, delegation, PMP and FP state; the rest is copied to the reset
 * address. Small trap handlers (M and S) step over the faulting instruction
 * so execution goes on past traps. Traps, WFI and any exit are fine; the
 * host must not crash (ASan/UBSan) and the hart must stay in a legal state:
 * x0 zero, pc 2-byte aligned, privilege U, S or M, FP CSRs in range, the
 * vector CSRs in range (the hart has V at VLEN 256; FP on turns VS on). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/hart.h"
#include "cpu/hart_vec.h"
#include "cpu/mmu.h"

#define RAM_BASE   0x80000000ULL
#define RAM_SIZE   (1ULL << 20)
#define CODE_LIMIT 0xfc000ULL /* code at [RAM_BASE, RAM_BASE + CODE_LIMIT) */
#define HANDLER_M  (RAM_BASE + 0xfe000)
#define HANDLER_S  (RAM_BASE + 0xfe100)
#define PT_ROOT    (RAM_BASE + 0xff000)
#define BUDGET     10000

/* Input byte 0. */
enum {
    CFG_PRIV = 3,       /* 0 U, 1 S, 2 or 3 M */
    CFG_FS = 1 << 2,    /* FP on (mstatus.FS = initial) */
    CFG_SV39 = 1 << 3,  /* identity Sv39 map of RAM and the MMIO gigabyte */
    CFG_USER = 1 << 4,  /* those pages are U pages; SUM on */
    CFG_DELEG = 1 << 5, /* exceptions and S interrupts delegated to S */
    CFG_SBI = 1 << 6,   /* ecall from S exits to the VMM */
    CFG_PMP = 1 << 7,   /* a read-only PMP window at RAM_BASE + 0x80000 */
};

/* M handler: mepc += length of the instruction there, or back to the reset
 * address if mepc is outside the code area; MPRV cleared first so the
 * handler's own load is physical. Assembled from:
 *   li t1, 1<<17; csrc mstatus, t1; csrr t0, mepc; li t1, RAM_BASE
 *   sub t2, t0, t1; li t1, CODE_LIMIT; bgeu t2, t1, 2f; lhu t1, 0(t0)
 *   andi t1, t1, 3; addi t0, t0, 2; li t2, 3; bne t1, t2, 1f; addi t0, t0, 2
 *   1: csrw mepc, t0; mret; 2: li t0, RAM_BASE; csrw mepc, t0; mret */
static const uint32_t handler_m[] = {
    0x00020337, 0x30033073, 0x341022f3, 0x0010031b, 0x01f31313, 0x406283b3, 0x000fc337,
    0x0263f263, 0x0002d303, 0x00337313, 0x00228293, 0x00300393, 0x00731463, 0x00228293,
    0x34129073, 0x30200073, 0x0010029b, 0x01f29293, 0x34129073, 0x30200073,
};
/* The same for S with sepc and sret (no MPRV step). */
static const uint32_t handler_s[] = {
    0x141022f3, 0x0010031b, 0x01f31313, 0x406283b3, 0x000fc337, 0x0263f263,
    0x0002d303, 0x00337313, 0x00228293, 0x00300393, 0x00731463, 0x00228293,
    0x14129073, 0x10200073, 0x0010029b, 0x01f29293, 0x14129073, 0x10200073,
};

/* The MMIO bus of a machine with no devices: every access is an error the
 * hart turns into an access fault. */
static int bus_read(void *opaque, gpa_t pa, unsigned size, uint64_t *val)
{
    return -1;
}

static int bus_write(void *opaque, gpa_t pa, unsigned size, uint64_t val)
{
    return -1;
}

struct fuzz_guest {
    struct guest_ram ram;
    struct vclock clock;
    struct rv_hart *h;
};

static struct fuzz_guest *fixture(void)
{
    static struct fuzz_guest f;
    if (!f.h) {
        f.h = calloc(1, sizeof(*f.h));
        struct hart_bus bus = {NULL, bus_read, bus_write};
        if (!f.h || ram_create(&f.ram, RAM_BASE, RAM_SIZE) ||
            hart_init(f.h, 0, &f.ram, &bus, &f.clock))
            abort();
        /* The default model with V at VLEN 256: vector code is guest code
         * too. */
        struct cpu_model m;
        cpu_model_default(&m);
        m.ext |= CPU_X(v);
        m.vlen = 256;
        hart_set_model(f.h, &m);
    }
    return &f;
}

static void put64(struct guest_ram *ram, gpa_t pa, uint64_t v)
{
    memcpy(ram->host + (pa - RAM_BASE), &v, 8);
}

static void setup(struct fuzz_guest *f, uint8_t cfg, const uint8_t *code, size_t len)
{
    struct rv_hart *h = f->h;
    memset(f->ram.host, 0, RAM_SIZE);
    memset(f->ram.code_page, 0, f->ram.npages);
    memcpy(f->ram.host, code, len < CODE_LIMIT ? len : CODE_LIMIT);
    memcpy(f->ram.host + (HANDLER_M - RAM_BASE), handler_m, sizeof(handler_m));
    memcpy(f->ram.host + (HANDLER_S - RAM_BASE), handler_s, sizeof(handler_s));

    hart_reset(h, RAM_BASE);
    h->sbi_in_vmm = (cfg & CFG_SBI) != 0;
    h->mtvec = HANDLER_M;
    h->stvec = HANDLER_S;
    /* Pointers into RAM, the PMP window, a page boundary and MMIO. */
    h->x[2] = RAM_BASE + 0x90000;
    h->x[3] = RAM_BASE + 0x80000;
    h->x[10] = RAM_BASE;
    h->x[11] = 0x10000000;
    h->x[12] = RAM_BASE + 0x7fffc;
    unsigned priv = cfg & CFG_PRIV;
    h->priv = (uint8_t)(priv >= 2 ? PRV_M : priv);
    if (cfg & CFG_FS)
        h->mstatus |= (uint64_t)FS_INITIAL << MSTATUS_FS_SHIFT | 1ULL << 9; /* VS too */
    if (cfg & CFG_SV39) {
        uint64_t leaf = 0xcf | ((cfg & CFG_USER) ? 0x10 : 0); /* V R W X A D (U) */
        put64(&f->ram, PT_ROOT + 0 * 8, (0x00000000ULL >> 12) << 10 | leaf);
        put64(&f->ram, PT_ROOT + 2 * 8, (0x80000000ULL >> 12) << 10 | leaf);
        h->satp = (8ULL << 60) | (PT_ROOT >> 12);
        if (cfg & CFG_USER) h->mstatus |= MSTATUS_SUM;
    }
    if (cfg & CFG_DELEG) {
        h->medeleg = 0xb1ff; /* not the ecalls from S and M */
        h->mideleg = MIP_SSIP | MIP_STIP | MIP_SEIP;
    }
    if (cfg & CFG_PMP) {
        h->pmpaddr[0] = ((RAM_BASE + 0x80000) >> 2) | 0x1ff; /* NAPOT 4 KiB, R */
        h->pmpaddr[1] = (1ULL << 54) - 1;                    /* NAPOT all, RWX */
        h->pmpcfg[0] = 0x19 | 0x1f << 8;
        pmp_invalidate(h);
    }
    mmu_flush(h);
    mmu_update_mode(h);
}

static void check(const struct rv_hart *h, enum hart_exit e)
{
    const char *bad = NULL;
    if ((unsigned)e >= HART_EXIT_COUNT)
        bad = "exit reason";
    else if (h->x[0] != 0)
        bad = "x0 written";
    else if (h->pc & 1)
        bad = "pc misaligned";
    else if (h->priv != PRV_U && h->priv != PRV_S && h->priv != PRV_M)
        bad = "privilege";
    else if (h->fflags > 31 || h->frm > 7)
        bad = "fcsr fields";
    else if (((h->mstatus & MSTATUS_MPP) >> 11) == 2)
        bad = "mstatus.MPP reserved";
    else if (h->vec.vtype == VTYPE_VILL
                 ? h->vec.vl != 0
                 : !vec_vtype_ok(h, h->vec.vtype) || h->vec.vl > vec_vlmax(h, h->vec.vtype))
        bad = "vl/vtype";
    else if (h->vec.vstart >= h->vec.vlenb * 8u || h->vec.vxrm > 3 || h->vec.vxsat > 1)
        bad = "vstart/vxrm/vxsat";
    if (bad) {
        fprintf(stderr, "fuzz_guest: illegal hart state (%s) at pc 0x%llx, exit %d\n", bad,
                (unsigned long long)h->pc, (int)e);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    struct fuzz_guest *f = fixture();
    setup(f, data[0], data + 1, size - 1);
    struct rv_hart *h = f->h;
    uint64_t end = h->instret + BUDGET;
    /* WFI and SBI exits come back early: keep going, a bounded number of
     * times (a WFI with nothing pending returns at once). */
    for (int k = 0; k < 64 && h->instret < end; k++) {
        enum hart_exit e = hart_run(h, end - h->instret);
        check(h, e);
        if (e == HART_EXIT_BUDGET) break;
    }
    return 0;
}
