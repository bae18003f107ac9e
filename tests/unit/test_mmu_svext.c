/* Unit tests for the address-translation extensions in the page walk
 * (src/cpu/mmu.c, src/cpu/mmu_pte.h) and their envcfg bits (src/cpu/csr.c):
 * Svpbmt (the PBMT field reserved without the extension or menvcfg.PBMTE,
 * PBMT = 3 always, never in pointers; henvcfg.PBMTE only under
 * menvcfg.PBMTE), Svnapot (64 KiB leaves with ppn[3:0] = 1000 taking
 * ppn[3:0] from the address; N reserved elsewhere; sfence.vma of one page
 * of the range drops the others) and Svadu (with ADUE clear an access to a
 * PTE with A = 0, or a store with D = 0, faults and leaves the PTE alone;
 * with ADUE set the walk sets them; without Svadu rvmm sets them as QEMU
 * 7.2 does). A hart on a small guest_ram with hand-written Sv39 tables; no
 * instructions run. */
#include <stdlib.h>
#include <string.h>

#include "cpu/csr.h"
#include "cpu/interp.h"
#include "cpu/mmu.h"
#include "ut.h"

UT_MAIN_STATE

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (4ULL << 20)
#define PT_BASE  (RAM_BASE + 0x100000)
#define DATA_PA  (RAM_BASE + 0x200000)

#define PTE_V    (1ULL << 0)
#define PTE_R    (1ULL << 1)
#define PTE_W    (1ULL << 2)
#define PTE_X    (1ULL << 3)
#define PTE_A    (1ULL << 6)
#define PTE_D    (1ULL << 7)
#define PTE_PBMT (3ULL << 61)
#define PTE_N    (1ULL << 63)
#define RWX      (PTE_R | PTE_W | PTE_X)
#define LEAF     (PTE_V | PTE_A | PTE_D | RWX)

#define CSR_MENVCFG 0x30a
#define CSR_HENVCFG 0x60a

static const int pf[3] = {EXC_LOAD_PAGE_FAULT, EXC_STORE_PAGE_FAULT, EXC_INSN_PAGE_FAULT};

struct fixture {
    struct guest_ram ram;
    struct rv_hart *h;
    struct vclock vclk;
    gpa_t pt_next;
};

static int bus_fail_read(void *opaque, gpa_t pa, unsigned size, uint64_t *val)
{
    return -1;
}

static int bus_fail_write(void *opaque, gpa_t pa, unsigned size, uint64_t val)
{
    return -1;
}

static uint64_t *host(struct fixture *f, gpa_t pa)
{
    return ram_dma(&f->ram, pa, 8);
}

static gpa_t pt_alloc(struct fixture *f)
{
    gpa_t pa = f->pt_next;
    f->pt_next += 4096;
    memset(ram_dma(&f->ram, pa, 4096), 0, 4096);
    return pa;
}

/* A hart with extensions `ext` added to the default model, in S-mode with
 * an empty Sv39 root. */
static void setup(struct fixture *f, uint64_t ext)
{
    memset(f, 0, sizeof(*f));
    f->h = calloc(1, sizeof(*f->h));
    UT_EQ(ram_create(&f->ram, RAM_BASE, RAM_SIZE), 0);
    struct hart_bus hb = {NULL, bus_fail_read, bus_fail_write};
    UT_EQ(hart_init(f->h, 0, &f->ram, &hb, &f->vclk), 0);
    struct cpu_model m;
    cpu_model_default(&m);
    m.ext |= ext;
    hart_set_model(f->h, &m);
    hart_reset(f->h, RAM_BASE);
    f->pt_next = PT_BASE;
    f->h->satp = (8ULL << 60) | (pt_alloc(f) >> 12);
    f->h->priv = PRV_S;
    mmu_update_mode(f->h);
    mmu_flush(f->h);
}

static void teardown(struct fixture *f)
{
    hart_destroy(f->h);
    free(f->h);
    ram_destroy(&f->ram);
}

/* Writes a CSR as M-mode would; returns what reads back. */
static uint64_t csr_put(struct fixture *f, unsigned csr, uint64_t v)
{
    uint8_t priv = f->h->priv;
    uint64_t old;
    f->h->priv = PRV_M;
    UT_EQ(csr_access(f->h, csr, CSR_OP_WRITE, v, true, &old), 0);
    UT_EQ(csr_access(f->h, csr, CSR_OP_SET, 0, false, &old), 0);
    f->h->priv = priv;
    mmu_update_mode(f->h);
    return old;
}

/* The slot of va's PTE at `level` (2, 1 or 0), creating pointers above it. */
static uint64_t *pte_slot(struct fixture *f, gva_t va, unsigned level)
{
    gpa_t table = (f->h->satp & ((1ULL << 44) - 1)) << 12;
    for (unsigned l = 2;; l--) {
        uint64_t *slot = host(f, table + ((va >> (12 + 9 * l)) & 511) * 8);
        if (l == level) return slot;
        if (!(*slot & PTE_V)) *slot = ((pt_alloc(f) >> 12) << 10) | PTE_V;
        table = (*slot >> 10) << 12;
    }
}

static uint64_t *map(struct fixture *f, gva_t va, gpa_t pa, unsigned level, uint64_t flags)
{
    uint64_t *slot = pte_slot(f, va, level);
    *slot = ((pa >> 12) << 10) | flags;
    return slot;
}

static int xlate(struct fixture *f, gva_t va, enum mmu_access acc, gpa_t *pa)
{
    bool uniform;
    gpa_t p = ~0ULL;
    int c = mmu_translate(f->h, va, acc, PRV_S, &p, &uniform);
    if (pa) *pa = p;
    return c;
}

static void expect_faults(struct fixture *f, gva_t va)
{
    for (int acc = 0; acc < 3; acc++)
        UT_EQ(xlate(f, va, (enum mmu_access)acc, NULL), pf[acc]);
}

/* Svpbmt: PBMT 1 (NC) and 2 (IO) map once the extension and
 * menvcfg.PBMTE are on; 3 is reserved; a pointer with PBMT faults. */
static void test_pbmt(void)
{
    struct fixture f;
    setup(&f, CPU_X(svpbmt) | CPU_X(h));
    gva_t va = 0x40001000;
    uint64_t *leaf = map(&f, va, DATA_PA, 0, LEAF | (1ULL << 61));
    expect_faults(&f, va); /* PBMTE clear: the field is reserved */
    UT_EQ(csr_put(&f, CSR_MENVCFG, ENVCFG_PBMTE) & ENVCFG_PBMTE, ENVCFG_PBMTE);
    gpa_t pa;
    UT_EQ(xlate(&f, va + 0x10, MMU_WRITE, &pa), 0);
    UT_EQ(pa, DATA_PA + 0x10);
    *leaf = (*leaf & ~PTE_PBMT) | (2ULL << 61);
    UT_EQ(xlate(&f, va, MMU_READ, NULL), 0);
    *leaf |= PTE_PBMT; /* 3: reserved */
    expect_faults(&f, va);
    *leaf &= ~PTE_PBMT;
    *pte_slot(&f, va, 1) |= 1ULL << 61; /* PBMT in a pointer */
    expect_faults(&f, va);
    /* henvcfg.PBMTE follows menvcfg.PBMTE (read-only zero without it). */
    UT_EQ(csr_put(&f, CSR_HENVCFG, ENVCFG_PBMTE) & ENVCFG_PBMTE, ENVCFG_PBMTE);
    csr_put(&f, CSR_MENVCFG, 0);
    UT_EQ(csr_put(&f, CSR_HENVCFG, ENVCFG_PBMTE) & ENVCFG_PBMTE, 0);
    teardown(&f);

    /* Without Svpbmt, menvcfg.PBMTE is read-only zero and PBMT reserved. */
    setup(&f, 0);
    UT_EQ(csr_put(&f, CSR_MENVCFG, ENVCFG_PBMTE | ENVCFG_ADUE) & (ENVCFG_PBMTE | ENVCFG_ADUE), 0);
    map(&f, va, DATA_PA, 0, LEAF | (1ULL << 61));
    expect_faults(&f, va);
    teardown(&f);
}

/* Svnapot: a 4 KiB leaf with N and ppn[3:0] = 1000 maps the 64 KiB range
 * around va to the 64 KiB-aligned frame, ppn[3:0] taken from va. */
static void test_napot(void)
{
    struct fixture f;
    setup(&f, CPU_X(svnapot));
    gva_t base = 0x40010000; /* 64 KiB aligned */
    gpa_t frame = DATA_PA;   /* 64 KiB aligned */
    for (unsigned k = 0; k < 16; k++)
        map(&f, base + k * 0x1000, frame | 0x8000, 0, LEAF | PTE_N);
    gpa_t pa;
    for (unsigned k = 0; k < 16; k++) {
        UT_EQ(xlate(&f, base + k * 0x1000 + 0x24, MMU_READ, &pa), 0);
        UT_EQ(pa, frame + k * 0x1000 + 0x24);
    }
    /* ppn[3:0] other than 1000 is reserved, and so is N above level 0. */
    uint64_t *leaf = pte_slot(&f, base + 0x3000, 0);
    *leaf = ((frame >> 12) << 10) | 0x4ULL << 10 | LEAF | PTE_N;
    expect_faults(&f, base + 0x3000);
    map(&f, 0x40200000, RAM_BASE + 0x200000, 1, LEAF | PTE_N);
    expect_faults(&f, 0x40200000);
    /* N in a pointer. */
    *pte_slot(&f, 0x80000000, 1) = ((pt_alloc(&f) >> 12) << 10) | PTE_V | PTE_N;
    UT_EQ(xlate(&f, 0x80000000, MMU_READ, NULL), EXC_LOAD_PAGE_FAULT);
    teardown(&f);

    setup(&f, 0); /* without Svnapot, N is reserved */
    map(&f, base, frame | 0x8000, 0, LEAF | PTE_N);
    expect_faults(&f, base);
    teardown(&f);
}

/* A NAPOT translation in the TLB goes with an sfence.vma of any page of
 * its range (the whole range is one translation). */
static void test_napot_sfence(void)
{
    struct fixture f;
    setup(&f, CPU_X(svnapot));
    gva_t base = 0x40010000;
    uint64_t *leaf[16];
    for (unsigned k = 0; k < 16; k++)
        leaf[k] = map(&f, base + k * 0x1000, DATA_PA | 0x8000, 0, LEAF | PTE_N);
    *(uint64_t *)ram_dma(&f.ram, DATA_PA + 0x5000, 8) = 0x1111;
    *(uint64_t *)ram_dma(&f.ram, DATA_PA + 0x10000 + 0x5000, 8) = 0x2222;
    uint64_t v = 0;
    UT_EQ(mmu_load(f.h, base + 0x5000, 8, &v), 0);
    UT_EQ(v, 0x1111);
    /* Remap the range to the next 64 KiB frame and fence one other page. */
    for (unsigned k = 0; k < 16; k++)
        *leaf[k] = (((DATA_PA + 0x10000) >> 12 | 8) << 10) | LEAF | PTE_N;
    mmu_flush_va(f.h, base + 0xf000);
    v = 0;
    UT_EQ(mmu_load(f.h, base + 0x5000, 8, &v), 0);
    UT_EQ(v, 0x2222);
    teardown(&f);
}

/* Svadu: ADUE clear is Svade (fault on A = 0, and on a store with D = 0,
 * the PTE unchanged); ADUE set updates them in the walk. */
static void test_adue(void)
{
    struct fixture f;
    setup(&f, CPU_X(svadu));
    gva_t va = 0x40001000;
    uint64_t *leaf = map(&f, va, DATA_PA, 0, PTE_V | RWX);
    expect_faults(&f, va);
    UT_EQ(*leaf & (PTE_A | PTE_D), 0);
    *leaf |= PTE_A;
    UT_EQ(xlate(&f, va, MMU_READ, NULL), 0);
    UT_EQ(xlate(&f, va, MMU_EXEC, NULL), 0);
    UT_EQ(xlate(&f, va, MMU_WRITE, NULL), EXC_STORE_PAGE_FAULT);
    UT_EQ(*leaf & PTE_D, 0);
    UT_EQ(csr_put(&f, CSR_MENVCFG, ENVCFG_ADUE) & ENVCFG_ADUE, ENVCFG_ADUE);
    *leaf &= ~PTE_A;
    UT_EQ(xlate(&f, va, MMU_READ, NULL), 0);
    UT_EQ(*leaf & (PTE_A | PTE_D), PTE_A);
    UT_EQ(xlate(&f, va, MMU_WRITE, NULL), 0);
    UT_EQ(*leaf & (PTE_A | PTE_D), PTE_A | PTE_D);
    /* Clearing ADUE again brings the faults back at once (TLB flushed). */
    *leaf &= ~(PTE_A | PTE_D);
    csr_put(&f, CSR_MENVCFG, 0);
    expect_faults(&f, va);
    teardown(&f);

    setup(&f, 0); /* no Svadu: rvmm updates A/D in the walk */
    leaf = map(&f, va, DATA_PA, 0, PTE_V | RWX);
    UT_EQ(xlate(&f, va, MMU_WRITE, NULL), 0);
    UT_EQ(*leaf & (PTE_A | PTE_D), PTE_A | PTE_D);
    teardown(&f);
}

int main(void)
{
    ut_run("mmu_svpbmt", test_pbmt);
    ut_run("mmu_svnapot", test_napot);
    ut_run("mmu_svnapot_sfence", test_napot_sfence);
    ut_run("mmu_svadu", test_adue);
    return ut_exit();
}
