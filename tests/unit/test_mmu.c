/* Unit tests for address translation and PMP (src/cpu/mmu.c, src/cpu/pmp.c):
 * a hart on a small guest_ram and a fake bus, with page tables written by
 * hand into guest RAM. Covers the Sv39/Sv48/Sv57 walks with a leaf at every
 * level, the page-fault rules of priv spec 4.3.1-4.3.2 (V, W-without-R,
 * reserved bits, misaligned superpages, U/SUM/MXR, canonical addresses), A/D
 * updates, PMP matching (3.7: TOR, NA4, NAPOT, priority, lock) and the slow
 * load/store paths (misaligned and page-crossing accesses, MMIO routing,
 * access faults, tval). Does not run instructions. */
#include <stdlib.h>
#include <string.h>

#include "cpu/csr.h"
#include "cpu/interp.h"
#include "cpu/mmu.h"
#include "ut.h"

UT_MAIN_STATE

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (8ULL << 20)
#define PT_BASE  (RAM_BASE + 0x100000) /* page-table pages are bump-allocated here */
#define DATA_PA  (RAM_BASE + 0x400000)
#define MMIO_PA  0x10000000ULL
#define MMIO_LEN 0x1000ULL

#define PTE_V (1ULL << 0)
#define PTE_R (1ULL << 1)
#define PTE_W (1ULL << 2)
#define PTE_X (1ULL << 3)
#define PTE_U (1ULL << 4)
#define PTE_G (1ULL << 5)
#define PTE_A (1ULL << 6)
#define PTE_D (1ULL << 7)
#define RWX   (PTE_R | PTE_W | PTE_X)
#define LEAF  (PTE_V | PTE_A | PTE_D)

enum { SATP_SV39 = 8, SATP_SV48 = 9, SATP_SV57 = 10 };
enum { PMP_R = 1, PMP_W = 2, PMP_X = 4, PMP_L = 0x80 };
enum { A_TOR = 1 << 3, A_NA4 = 2 << 3, A_NAPOT = 3 << 3 };

/* A bus with one MMIO window that records the last access; everything else
 * is unmapped and returns an error, as the real bus does. */
struct fake_bus {
    unsigned reads, writes;
    gpa_t last_pa;
    unsigned last_size;
    uint64_t last_val;
    int fail; /* make the window's handlers fail too */
};

static int bus_read(void *opaque, gpa_t pa, unsigned size, uint64_t *val)
{
    struct fake_bus *b = opaque;
    if (b->fail || pa < MMIO_PA || pa + size > MMIO_PA + MMIO_LEN) return -1;
    b->reads++;
    b->last_pa = pa;
    b->last_size = size;
    uint64_t v = 0xa0a1a2a3a4a5a6a7ULL ^ (pa - MMIO_PA);
    *val = size == 8 ? v : v & ((1ULL << (8 * size)) - 1);
    return 0;
}

static int bus_write(void *opaque, gpa_t pa, unsigned size, uint64_t val)
{
    struct fake_bus *b = opaque;
    if (b->fail || pa < MMIO_PA || pa + size > MMIO_PA + MMIO_LEN) return -1;
    b->writes++;
    b->last_pa = pa;
    b->last_size = size;
    b->last_val = val;
    return 0;
}

static struct guest_ram ram;
static struct rv_hart *h;
static struct fake_bus fbus;
static struct vclock vclk;
static gpa_t pt_next;
static unsigned sv_levels;

static uint64_t *host(gpa_t pa)
{
    return ram_dma(&ram, pa, 8);
}

static gpa_t pt_alloc(void)
{
    gpa_t pa = pt_next;
    pt_next += 4096;
    memset(host(pa), 0, 4096);
    return pa;
}

static uint64_t pte_for(gpa_t pa, uint64_t flags)
{
    return ((pa >> 12) << 10) | flags;
}

/* A fresh hart in S-mode with an empty root table for the given mode. */
static void setup(unsigned mode)
{
    if (!h) {
        h = calloc(1, sizeof(*h));
        UT_EQ(ram_create(&ram, RAM_BASE, RAM_SIZE), 0);
        struct hart_bus hb = {&fbus, bus_read, bus_write};
        UT_EQ(hart_init(h, 0, &ram, &hb, &vclk), 0);
    }
    memset(ram.host, 0, RAM_SIZE);
    memset(&fbus, 0, sizeof(fbus));
    hart_reset(h, RAM_BASE);
    pt_next = PT_BASE;
    sv_levels = mode == SATP_SV39 ? 3 : mode == SATP_SV48 ? 4 : 5;
    gpa_t root = pt_alloc();
    h->satp = mode ? ((uint64_t)mode << 60) | (root >> 12) : 0;
    h->priv = PRV_S;
    mmu_update_mode(h);
    mmu_flush(h);
}

static void set_priv(unsigned priv, uint64_t mstatus)
{
    h->priv = (uint8_t)priv;
    h->mstatus = mstatus;
    mmu_update_mode(h);
    mmu_flush(h);
}

/* Address of the PTE for va at `level`, creating the tables above it. */
static uint64_t *pte_slot(gva_t va, unsigned level)
{
    gpa_t table = (h->satp & ((1ULL << 44) - 1)) << 12;
    for (unsigned l = sv_levels - 1;; l--) {
        uint64_t *slot = host(table + ((va >> (12 + 9 * l)) & 511) * 8);
        if (l == level) return slot;
        if (!(*slot & PTE_V)) *slot = pte_for(pt_alloc(), PTE_V);
        table = (*slot >> 10) << 12;
    }
}

static uint64_t *map(gva_t va, gpa_t pa, unsigned level, uint64_t flags)
{
    uint64_t *slot = pte_slot(va, level);
    *slot = pte_for(pa, flags);
    return slot;
}

/* mmu_translate, returning the cause (0 on success). */
static int xlate(gva_t va, enum mmu_access acc, unsigned priv, gpa_t *pa)
{
    bool uniform;
    gpa_t p = ~0ULL;
    h->fault_tval = 0x5a5a;
    int c = mmu_translate(h, va, acc, priv, &p, &uniform);
    if (pa) *pa = p;
    return c;
}

static void expect_fault(gva_t va, enum mmu_access acc, unsigned priv, int cause)
{
    UT_EQ(xlate(va, acc, priv, NULL), cause);
    UT_EQ(h->fault_tval, va);
}

static const int pf[3] = {EXC_LOAD_PAGE_FAULT, EXC_STORE_PAGE_FAULT, EXC_INSN_PAGE_FAULT};
static const int af[3] = {EXC_LOAD_ACCESS, EXC_STORE_ACCESS, EXC_INSN_ACCESS};

/* A leaf at every level of every mode: 4 KiB, 2 MiB, 1 GiB, 512 GiB and
 * (Sv57) 256 TiB pages, the offset taken from the VA's low bits. */
static void test_leaf_every_level(void)
{
    static const unsigned modes[] = {SATP_SV39, SATP_SV48, SATP_SV57};
    for (unsigned m = 0; m < 3; m++) {
        for (unsigned level = 0; level < modes[m] - 5; level++) { /* 3, 4, 5 levels */
            setup(modes[m]);
            uint64_t page = 1ULL << (12 + 9 * level);
            gva_t va = 3 * page + ((0x123456789abcULL & (page - 1)) | 0x8);
            gpa_t base = 5 * page;
            map(va, base, level, LEAF | RWX);
            gpa_t pa;
            for (int acc = 0; acc < 3; acc++) {
                UT_EQ(xlate(va, (enum mmu_access)acc, PRV_S, &pa), 0);
                UT_EQ(pa, base + (va & (page - 1)));
            }
            /* The page's last byte, and the first byte past it (unmapped). */
            UT_EQ(xlate(3 * page + page - 1, MMU_READ, PRV_S, &pa), 0);
            UT_EQ(pa, base + page - 1);
            expect_fault(4 * page, MMU_READ, PRV_S, EXC_LOAD_PAGE_FAULT);
        }
    }
}

/* Canonical upper-half addresses translate through the top index; an
 * address whose upper bits do not copy bit VA-1 faults for every mode. */
static void test_canonical(void)
{
    static const unsigned modes[] = {SATP_SV39, SATP_SV48, SATP_SV57};
    for (unsigned m = 0; m < 3; m++) {
        setup(modes[m]);
        unsigned va_bits = 12 + 9 * sv_levels;
        gva_t hi = ~0ULL << (va_bits - 1); /* lowest upper-half address */
        map(hi, DATA_PA, 0, LEAF | RWX);
        gpa_t pa;
        UT_EQ(xlate(hi + 0x10, MMU_READ, PRV_S, &pa), 0);
        UT_EQ(pa, DATA_PA + 0x10);
        gva_t bad[] = {1ULL << (va_bits - 1), hi ^ (1ULL << 63), 1ULL << 63,
                       (1ULL << (va_bits - 1)) | 0x1000};
        for (unsigned k = 0; k < 4; k++)
            for (int acc = 0; acc < 3; acc++)
                expect_fault(bad[k], (enum mmu_access)acc, PRV_S, pf[acc]);
    }
}

static void test_misaligned_superpage(void)
{
    setup(SATP_SV39);
    gva_t va = 0x40200000;
    map(va, DATA_PA + 0x1000, 1, LEAF | RWX); /* 2 MiB leaf, ppn[0] != 0 */
    for (int acc = 0; acc < 3; acc++)
        expect_fault(va + 0x2345, (enum mmu_access)acc, PRV_S, pf[acc]);
    va = 0x80000000;
    map(va, 0x40200000, 2, LEAF | RWX); /* 1 GiB leaf, ppn[1] != 0 */
    expect_fault(va, MMU_READ, PRV_S, EXC_LOAD_PAGE_FAULT);
    setup(SATP_SV48);
    map(0x8000000000ULL, 0x40000000ULL, 3, LEAF | RWX); /* 512 GiB leaf, 1 GiB aligned */
    expect_fault(0x8000000000ULL, MMU_WRITE, PRV_S, EXC_STORE_PAGE_FAULT);
}

static void test_invalid_pte(void)
{
    setup(SATP_SV39);
    gva_t va = 0x40001000;
    uint64_t *leaf = map(va, DATA_PA, 0, RWX | PTE_A | PTE_D); /* V clear */
    for (int acc = 0; acc < 3; acc++)
        expect_fault(va, (enum mmu_access)acc, PRV_S, pf[acc]);
    *leaf |= PTE_V;
    UT_EQ(xlate(va, MMU_READ, PRV_S, NULL), 0);
    /* An invalid pointer one level up. */
    *pte_slot(va, 1) &= ~PTE_V;
    expect_fault(va, MMU_READ, PRV_S, EXC_LOAD_PAGE_FAULT);
    /* A pointer PTE at level 0 is not a leaf and there is no level below. */
    setup(SATP_SV39);
    map(va, PT_BASE + 0x10000, 0, PTE_V);
    for (int acc = 0; acc < 3; acc++)
        expect_fault(va, (enum mmu_access)acc, PRV_S, pf[acc]);
}

/* W without R is reserved in leaves and pointers alike (4.3.1). */
static void test_w_without_r(void)
{
    setup(SATP_SV39);
    gva_t va = 0x40001000;
    map(va, DATA_PA, 0, LEAF | PTE_W);
    for (int acc = 0; acc < 3; acc++)
        expect_fault(va, (enum mmu_access)acc, PRV_S, pf[acc]);
    map(va, DATA_PA, 0, LEAF | PTE_W | PTE_X);
    expect_fault(va, MMU_EXEC, PRV_S, EXC_INSN_PAGE_FAULT);
    setup(SATP_SV39);
    map(va, DATA_PA, 0, LEAF | RWX);
    *pte_slot(va, 1) |= PTE_W;
    expect_fault(va, MMU_READ, PRV_S, EXC_LOAD_PAGE_FAULT);
}

/* Bits 63:54 (N, PBMT and the reserved field) must be zero without Svnapot
 * and Svpbmt; set in a leaf or a pointer they fault. */
static void test_reserved_bits(void)
{
    static const unsigned bit[] = {54, 58, 60, 61, 62, 63};
    for (unsigned k = 0; k < 6; k++) {
        setup(SATP_SV39);
        gva_t va = 0x40001000;
        uint64_t *leaf = map(va, DATA_PA, 0, LEAF | RWX);
        UT_EQ(xlate(va, MMU_READ, PRV_S, NULL), 0);
        *leaf |= 1ULL << bit[k];
        for (int acc = 0; acc < 3; acc++)
            expect_fault(va, (enum mmu_access)acc, PRV_S, pf[acc]);
        *leaf &= ~(1ULL << bit[k]);
        *pte_slot(va, 2) |= 1ULL << bit[k];
        expect_fault(va, MMU_READ, PRV_S, EXC_LOAD_PAGE_FAULT);
    }
    /* Bits 9:8 (RSW) are software's: ignored. */
    setup(SATP_SV39);
    map(0x40001000, DATA_PA, 0, LEAF | RWX | (3ULL << 8) | PTE_G);
    UT_EQ(xlate(0x40001000, MMU_READ, PRV_S, NULL), 0);
}

/* U pages from S (3.1.6.3 SUM): loads and stores need SUM, execution is
 * never allowed. S pages are never accessible from U. */
static void test_user_supervisor(void)
{
    setup(SATP_SV39);
    gva_t upage = 0x40001000, spage = 0x40002000;
    map(upage, DATA_PA, 0, LEAF | RWX | PTE_U);
    map(spage, DATA_PA + 0x1000, 0, LEAF | RWX);

    for (int acc = 0; acc < 3; acc++)
        expect_fault(upage, (enum mmu_access)acc, PRV_S, pf[acc]);
    h->mstatus |= MSTATUS_SUM;
    UT_EQ(xlate(upage, MMU_READ, PRV_S, NULL), 0);
    UT_EQ(xlate(upage, MMU_WRITE, PRV_S, NULL), 0);
    expect_fault(upage, MMU_EXEC, PRV_S, EXC_INSN_PAGE_FAULT);

    for (int acc = 0; acc < 3; acc++) {
        UT_EQ(xlate(upage, (enum mmu_access)acc, PRV_U, NULL), 0);
        expect_fault(spage, (enum mmu_access)acc, PRV_U, pf[acc]);
    }
    h->mstatus &= ~MSTATUS_SUM;
    for (int acc = 0; acc < 3; acc++)
        expect_fault(spage, (enum mmu_access)acc, PRV_U, pf[acc]);
}

/* R/W/X per access type, and MXR making execute-only pages readable. */
static void test_permissions_mxr(void)
{
    setup(SATP_SV39);
    gva_t r = 0x40001000, x = 0x40002000, rw = 0x40003000, rx = 0x40004000;
    map(r, DATA_PA, 0, LEAF | PTE_R);
    map(x, DATA_PA, 0, LEAF | PTE_X);
    map(rw, DATA_PA, 0, LEAF | PTE_R | PTE_W);
    map(rx, DATA_PA, 0, LEAF | PTE_R | PTE_X | PTE_U);

    UT_EQ(xlate(r, MMU_READ, PRV_S, NULL), 0);
    expect_fault(r, MMU_WRITE, PRV_S, EXC_STORE_PAGE_FAULT);
    expect_fault(r, MMU_EXEC, PRV_S, EXC_INSN_PAGE_FAULT);
    expect_fault(x, MMU_READ, PRV_S, EXC_LOAD_PAGE_FAULT);
    expect_fault(x, MMU_WRITE, PRV_S, EXC_STORE_PAGE_FAULT);
    UT_EQ(xlate(x, MMU_EXEC, PRV_S, NULL), 0);
    UT_EQ(xlate(rw, MMU_WRITE, PRV_S, NULL), 0);
    expect_fault(rw, MMU_EXEC, PRV_S, EXC_INSN_PAGE_FAULT);
    UT_EQ(xlate(rx, MMU_EXEC, PRV_U, NULL), 0);
    expect_fault(rx, MMU_WRITE, PRV_U, EXC_STORE_PAGE_FAULT);

    h->mstatus |= MSTATUS_MXR;
    UT_EQ(xlate(x, MMU_READ, PRV_S, NULL), 0);
    expect_fault(x, MMU_WRITE, PRV_S, EXC_STORE_PAGE_FAULT);
    /* MXR does not give S access to U pages (SUM still needed). */
    map(x, DATA_PA, 0, LEAF | PTE_X | PTE_U);
    expect_fault(x, MMU_READ, PRV_S, EXC_LOAD_PAGE_FAULT);
    UT_EQ(xlate(x, MMU_READ, PRV_U, NULL), 0);
}

/* The walk sets A on every access and D only on writes (4.3.2 step 8, the
 * hardware-update option). Pointer PTEs are left alone. */
static void test_accessed_dirty(void)
{
    setup(SATP_SV39);
    gva_t va = 0x40001000;
    uint64_t *leaf = map(va, DATA_PA, 0, PTE_V | RWX);
    uint64_t *ptr = pte_slot(va, 1);
    uint64_t ptr_before = *ptr;
    UT_EQ(xlate(va, MMU_READ, PRV_S, NULL), 0);
    UT_EQ(*leaf & (PTE_A | PTE_D), PTE_A);
    *leaf &= ~PTE_A;
    UT_EQ(xlate(va, MMU_EXEC, PRV_S, NULL), 0);
    UT_EQ(*leaf & (PTE_A | PTE_D), PTE_A);
    UT_EQ(xlate(va, MMU_WRITE, PRV_S, NULL), 0);
    UT_EQ(*leaf & (PTE_A | PTE_D), PTE_A | PTE_D);
    UT_EQ(*leaf >> 10, DATA_PA >> 12);
    UT_EQ(*ptr, ptr_before);
    /* A faulting access does not set A. */
    uint64_t *ro = map(0x40002000, DATA_PA, 0, PTE_V | PTE_R);
    expect_fault(0x40002000, MMU_WRITE, PRV_S, EXC_STORE_PAGE_FAULT);
    UT_EQ(*ro & (PTE_A | PTE_D), 0);
}

/* M-mode and bare mode use physical addresses; a root table outside RAM
 * gives an access fault of the original access type. */
static void test_bare_and_walk_access_fault(void)
{
    setup(SATP_SV39);
    gpa_t pa;
    UT_EQ(xlate(0x12345678, MMU_READ, PRV_M, &pa), 0);
    UT_EQ(pa, 0x12345678);
    setup(0);
    UT_EQ(xlate(0x40001234, MMU_WRITE, PRV_S, &pa), 0);
    UT_EQ(pa, 0x40001234);
    UT_EQ(xlate(0x40001234, MMU_EXEC, PRV_U, &pa), 0);
    setup(SATP_SV39);
    h->satp = (8ULL << 60) | (0x20000000ULL >> 12); /* root not in RAM */
    for (int acc = 0; acc < 3; acc++)
        expect_fault(0x40001000, (enum mmu_access)acc, PRV_S, af[acc]);
    setup(SATP_SV39);
    *pte_slot(0x40001000, 2) = pte_for(RAM_BASE + RAM_SIZE, PTE_V); /* pointer out of RAM */
    expect_fault(0x40001000, MMU_READ, PRV_S, EXC_LOAD_ACCESS);
}

static void pmp_set(unsigned i, uint8_t cfg, uint64_t addr)
{
    h->pmpcfg[i / 8] &= ~(0xffULL << (8 * (i % 8)));
    h->pmpcfg[i / 8] |= (uint64_t)cfg << (8 * (i % 8));
    h->pmpaddr[i] = addr;
    pmp_invalidate(h);
}

static uint64_t napot(gpa_t base, uint64_t size)
{
    return (base >> 2) | ((size >> 3) - 1);
}

static void test_pmp_none_and_default(void)
{
    setup(0);
    for (unsigned priv = 0; priv < 4; priv++) {
        if (priv == 2) continue;
        for (int acc = 0; acc < 3; acc++)
            UT_CHECK(pmp_allows(h, 0x1234, 8, (enum mmu_access)acc, priv));
        UT_CHECK(pmp_page_uniform(h, 0x80000000, MMU_WRITE, priv));
    }
    /* One active entry: unmatched S/U accesses fail, M ones pass. */
    pmp_set(3, A_NA4 | PMP_R, 0x1000 >> 2);
    UT_CHECK(!pmp_allows(h, 0x2000, 4, MMU_READ, PRV_S));
    UT_CHECK(!pmp_allows(h, 0x2000, 4, MMU_READ, PRV_U));
    UT_CHECK(pmp_allows(h, 0x2000, 4, MMU_WRITE, PRV_M));
    UT_CHECK(!pmp_page_uniform(h, 0x2000, MMU_READ, PRV_S));
    UT_CHECK(pmp_page_uniform(h, 0x2000, MMU_READ, PRV_M));
}

static void test_pmp_tor(void)
{
    setup(0);
    /* [0, 0x80001000) R; [0x80001000, 0x80003000) RW; entry 2 TOR with
     * an address below entry 1's matches nothing. */
    pmp_set(0, A_TOR | PMP_R, 0x80001000 >> 2);
    pmp_set(1, A_TOR | PMP_R | PMP_W, 0x80003000 >> 2);
    pmp_set(2, A_TOR | PMP_R | PMP_W | PMP_X, 0x80002000 >> 2);
    UT_CHECK(pmp_allows(h, 0, 8, MMU_READ, PRV_S));
    UT_CHECK(pmp_allows(h, 0x80000ff8, 8, MMU_READ, PRV_U));
    UT_CHECK(!pmp_allows(h, 0x80000ff8, 8, MMU_WRITE, PRV_S));
    UT_CHECK(!pmp_allows(h, 0x80000ff8, 8, MMU_EXEC, PRV_S));
    UT_CHECK(pmp_allows(h, 0x80001000, 8, MMU_WRITE, PRV_S));
    UT_CHECK(pmp_allows(h, 0x80002ff8, 8, MMU_WRITE, PRV_S));
    UT_CHECK(!pmp_allows(h, 0x80002ffc, 8, MMU_READ, PRV_S)); /* straddles the top */
    UT_CHECK(!pmp_allows(h, 0x80000ffc, 8, MMU_READ, PRV_S)); /* two entries: partial */
    UT_CHECK(!pmp_allows(h, 0x80003000, 1, MMU_READ, PRV_S));
    UT_CHECK(!pmp_allows(h, 0x80002000, 4, MMU_EXEC, PRV_S)); /* entry 1: no X */
    UT_CHECK(pmp_allows(h, 0x80000000, 8, MMU_WRITE, PRV_M));

    UT_CHECK(pmp_page_uniform(h, 0x80000000, MMU_READ, PRV_S));
    UT_CHECK(!pmp_page_uniform(h, 0x80000000, MMU_WRITE, PRV_S));
    UT_CHECK(pmp_page_uniform(h, 0x80002000, MMU_WRITE, PRV_S));
    UT_CHECK(!pmp_page_uniform(h, 0x80003000, MMU_READ, PRV_S));
    /* An entry ending inside the page makes it non-uniform. */
    pmp_set(0, A_TOR | PMP_R, 0x80000800 >> 2);
    UT_CHECK(!pmp_page_uniform(h, 0x80000000, MMU_READ, PRV_S));
}

static void test_pmp_na4_napot(void)
{
    setup(0);
    pmp_set(0, A_NA4 | PMP_R, 0x80003000 >> 2);
    pmp_set(1, A_NAPOT | PMP_R | PMP_W, napot(0x80004000, 8));
    pmp_set(2, A_NAPOT | PMP_X, napot(0x80005000, 4096));
    pmp_set(3, A_NAPOT | PMP_R | PMP_W | PMP_X, napot(0x80000000, 64 << 10));

    UT_CHECK(pmp_allows(h, 0x80003000, 4, MMU_READ, PRV_S));
    UT_CHECK(!pmp_allows(h, 0x80003000, 4, MMU_WRITE, PRV_S));
    UT_CHECK(!pmp_allows(h, 0x80003000, 8, MMU_READ, PRV_S)); /* partial NA4 */
    UT_CHECK(!pmp_allows(h, 0x80002ffe, 4, MMU_READ, PRV_S));
    UT_CHECK(pmp_allows(h, 0x80003004, 4, MMU_WRITE, PRV_S)); /* entry 3 */

    UT_CHECK(pmp_allows(h, 0x80004000, 8, MMU_WRITE, PRV_U));
    UT_CHECK(!pmp_allows(h, 0x80004004, 8, MMU_WRITE, PRV_U));
    UT_CHECK(!pmp_allows(h, 0x80004000, 1, MMU_EXEC, PRV_U));

    UT_CHECK(pmp_allows(h, 0x80005000, 4, MMU_EXEC, PRV_S));
    UT_CHECK(pmp_allows(h, 0x80005ffc, 4, MMU_EXEC, PRV_S));
    UT_CHECK(!pmp_allows(h, 0x80005ffc, 4, MMU_READ, PRV_S));
    UT_CHECK(pmp_allows(h, 0x80006000, 4, MMU_READ, PRV_S));  /* entry 3 again */
    UT_CHECK(!pmp_allows(h, 0x80010000, 4, MMU_READ, PRV_S)); /* past entry 3 */

    UT_CHECK(pmp_page_uniform(h, 0x80005000, MMU_EXEC, PRV_S));
    UT_CHECK(!pmp_page_uniform(h, 0x80005000, MMU_READ, PRV_S));
    UT_CHECK(!pmp_page_uniform(h, 0x80003000, MMU_READ, PRV_S)); /* holds the NA4 */
    UT_CHECK(!pmp_page_uniform(h, 0x80004000, MMU_READ, PRV_S)); /* holds the 8 bytes */
    UT_CHECK(pmp_page_uniform(h, 0x80006000, MMU_WRITE, PRV_S));

    /* NAPOT with all address bits set covers everything. */
    setup(0);
    pmp_set(5, A_NAPOT | PMP_R, (1ULL << 54) - 1);
    UT_CHECK(pmp_allows(h, 0, 8, MMU_READ, PRV_U));
    UT_CHECK(pmp_allows(h, 0xfffffffffffffff0ULL, 8, MMU_READ, PRV_U));
    UT_CHECK(!pmp_allows(h, 0x80000000, 8, MMU_WRITE, PRV_U));
}

/* The lowest-numbered matching entry decides (3.7.1); L makes an entry
 * apply to M-mode too. */
static void test_pmp_priority_lock(void)
{
    setup(0);
    pmp_set(0, A_NAPOT | PMP_R, napot(0x80000000, 4096));
    pmp_set(1, A_NAPOT | PMP_R | PMP_W, napot(0x80000000, 8192));
    UT_CHECK(!pmp_allows(h, 0x80000100, 8, MMU_WRITE, PRV_S));
    UT_CHECK(pmp_allows(h, 0x80001100, 8, MMU_WRITE, PRV_S));
    UT_CHECK(pmp_allows(h, 0x80000100, 8, MMU_WRITE, PRV_M));
    UT_CHECK(pmp_page_uniform(h, 0x80000000, MMU_WRITE, PRV_M));

    pmp_set(0, A_NAPOT | PMP_R | PMP_L, napot(0x80000000, 4096));
    UT_CHECK(!pmp_allows(h, 0x80000100, 8, MMU_WRITE, PRV_M));
    UT_CHECK(!pmp_allows(h, 0x80000100, 4, MMU_EXEC, PRV_M));
    UT_CHECK(pmp_allows(h, 0x80000100, 8, MMU_READ, PRV_M));
    UT_CHECK(pmp_allows(h, 0x80001100, 8, MMU_WRITE, PRV_M));
    UT_CHECK(!pmp_page_uniform(h, 0x80000000, MMU_WRITE, PRV_M));
    UT_CHECK(pmp_page_uniform(h, 0x80000000, MMU_READ, PRV_M));
    /* Unmatched M accesses still pass with a locked entry elsewhere. */
    UT_CHECK(pmp_allows(h, 0x90000000, 8, MMU_WRITE, PRV_M));
}

/* PMP applies to the walk's own PTE reads (as S-mode accesses) and to the
 * final physical address; both give access faults. */
static void test_pmp_in_translation(void)
{
    setup(SATP_SV39);
    gva_t va = 0x40001000;
    map(va, DATA_PA, 0, LEAF | RWX);
    /* Allow everything except the page-table area. */
    pmp_set(0, A_NAPOT, napot(PT_BASE, 1 << 20));
    pmp_set(1, A_NAPOT | PMP_R | PMP_W | PMP_X, (1ULL << 54) - 1);
    for (int acc = 0; acc < 3; acc++)
        expect_fault(va, (enum mmu_access)acc, PRV_S, af[acc]);
    /* PTE reads are checked as S-mode even for a U access. */
    setup(SATP_SV39);
    map(va, DATA_PA, 0, LEAF | RWX | PTE_U);
    pmp_set(0, A_NAPOT | PMP_R, napot(PT_BASE, 1 << 20));
    pmp_set(1, A_NAPOT | PMP_R, napot(DATA_PA, 4096));
    gpa_t pa;
    bool uniform;
    UT_EQ(mmu_translate(h, va + 8, MMU_READ, PRV_U, &pa, &uniform), 0);
    UT_EQ(pa, DATA_PA + 8);
    UT_CHECK(uniform);
    expect_fault(va + 8, MMU_WRITE, PRV_U, EXC_STORE_ACCESS);
    expect_fault(va + 8, MMU_EXEC, PRV_U, EXC_INSN_ACCESS);
    /* A page only partly readable is not uniform, so it is never cached. */
    pmp_set(1, A_NAPOT | PMP_R, napot(DATA_PA, 2048));
    UT_EQ(mmu_translate(h, va + 8, MMU_READ, PRV_U, &pa, &uniform), 0);
    UT_CHECK(!uniform);
}

static uint64_t ld_ok(gva_t va, unsigned size)
{
    uint64_t v = 0xdeadbeef;
    h->fault_tval = 0;
    int c = mmu_load(h, va, size, &v);
    UT_EQ(c, 0);
    return v;
}

/* The slow paths in M-mode (bare): RAM, MMIO through the bus, unmapped
 * physical addresses. */
static void test_load_store_physical(void)
{
    setup(0);
    set_priv(PRV_M, 0);
    UT_EQ(mmu_store(h, DATA_PA, 8, 0x0123456789abcdefULL), 0);
    UT_EQ(ld_ok(DATA_PA, 8), 0x0123456789abcdefULL);
    UT_EQ(ld_ok(DATA_PA + 1, 2), 0xabcd);
    UT_EQ(ld_ok(DATA_PA + 3, 4), 0x23456789);
    UT_EQ(ld_ok(DATA_PA + 7, 1), 0x01);
    UT_EQ(mmu_store(h, DATA_PA + 5, 2, 0xbeef), 0);
    UT_EQ(*host(DATA_PA), 0x01beef6789abcdefULL);
    UT_EQ(fbus.reads + fbus.writes, 0);

    /* RAM loads fill the read TLB; MMIO never does. */
    struct tlb_entry *e = &h->dtlb->r[tlb_row(DATA_PA)];
    UT_EQ(e->tag, DATA_PA);

    UT_EQ(ld_ok(MMIO_PA + 0x10, 4), 0xa4a5a6a7 ^ 0x10);
    UT_EQ(fbus.reads, 1);
    UT_EQ(fbus.last_pa, MMIO_PA + 0x10);
    UT_EQ(fbus.last_size, 4);
    UT_EQ(mmu_store(h, MMIO_PA + 0x20, 8, 0x1122334455667788ULL), 0);
    UT_EQ(fbus.writes, 1);
    UT_EQ(fbus.last_pa, MMIO_PA + 0x20);
    UT_EQ(fbus.last_size, 8);
    UT_EQ(fbus.last_val, 0x1122334455667788ULL);
    UT_CHECK(tlb_lookup(h->dtlb->r, MMIO_PA, MMIO_PA) == NULL);
    UT_CHECK(tlb_lookup(h->dtlb->w, MMIO_PA, MMIO_PA) == NULL);

    uint64_t v = 0;
    UT_EQ(mmu_load(h, 0x20000008, 8, &v), EXC_LOAD_ACCESS);
    UT_EQ(h->fault_tval, 0x20000008);
    UT_EQ(mmu_store(h, 0x20000010, 4, 1), EXC_STORE_ACCESS);
    UT_EQ(h->fault_tval, 0x20000010);
    /* Past the end of RAM, and straddling it. */
    UT_EQ(mmu_load(h, RAM_BASE + RAM_SIZE, 4, &v), EXC_LOAD_ACCESS);
    UT_EQ(mmu_load(h, RAM_BASE + RAM_SIZE - 2, 4, &v), EXC_LOAD_ACCESS);
    UT_EQ(h->fault_tval, RAM_BASE + RAM_SIZE);
    /* A device error is an access fault too. */
    fbus.fail = 1;
    UT_EQ(mmu_load(h, MMIO_PA, 4, &v), EXC_LOAD_ACCESS);
    UT_EQ(h->fault_tval, MMIO_PA);
    UT_EQ(mmu_store(h, MMIO_PA + 4, 4, 0), EXC_STORE_ACCESS);
    UT_EQ(h->fault_tval, MMIO_PA + 4);
}

/* Translated slow paths: MMIO through a page mapping, misaligned accesses
 * crossing into a discontiguous or missing page, tval and atomicity of a
 * faulting misaligned store. */
static void test_load_store_translated(void)
{
    setup(SATP_SV39);
    gva_t a = 0x40000000, b = a + 0x1000, io = 0x40008000;
    map(a, DATA_PA + 0x5000, 0, PTE_V | RWX);
    uint64_t *pte_b = map(b, DATA_PA + 0x2000, 0, PTE_V | RWX);
    map(io, MMIO_PA, 0, LEAF | PTE_R | PTE_W);
    set_priv(PRV_S, 0);

    UT_EQ(mmu_store(h, a + 0xffc, 8, 0x8877665544332211ULL), 0);
    UT_EQ(*host(DATA_PA + 0x5ff8) >> 32, 0x44332211);
    UT_EQ(*host(DATA_PA + 0x2000) & 0xffffffff, 0x88776655);
    UT_EQ(ld_ok(a + 0xffc, 8), 0x8877665544332211ULL);
    UT_EQ(ld_ok(a + 0xfff, 2), 0x5544);
    UT_EQ(*pte_b & (PTE_A | PTE_D), PTE_A | PTE_D);

    UT_EQ(ld_ok(io + 0x18, 2), 0xa6a7 ^ 0x18);
    UT_EQ(fbus.last_pa, MMIO_PA + 0x18);
    UT_EQ(mmu_store(h, io + 0x30, 1, 0x5a), 0);
    UT_EQ(fbus.last_pa, MMIO_PA + 0x30);
    UT_EQ(fbus.last_val, 0x5a);

    /* Into an unmapped page: the fault names the first byte there. */
    uint64_t v = 0;
    gva_t c = b + 0x1000;
    UT_EQ(mmu_load(h, c - 4, 8, &v), EXC_LOAD_PAGE_FAULT);
    UT_EQ(h->fault_tval, c);
    uint64_t before = *host(DATA_PA + 0x2ff8);
    UT_EQ(mmu_store(h, c - 2, 4, 0xffffffff), EXC_STORE_PAGE_FAULT);
    UT_EQ(h->fault_tval, c);
    UT_EQ(*host(DATA_PA + 0x2ff8), before); /* no partial store */
    /* Into a read-only page: loads pass, stores fault without writing. */
    map(c, DATA_PA + 0x3000, 0, LEAF | PTE_R);
    mmu_flush(h);
    UT_EQ(ld_ok(c - 4, 8), before >> 32);
    UT_EQ(mmu_store(h, c - 1, 2, 0xffff), EXC_STORE_PAGE_FAULT);
    UT_EQ(h->fault_tval, c);
    UT_EQ(*host(DATA_PA + 0x2ff8), before);
    /* Aligned faults report the access's own address. */
    UT_EQ(mmu_store(h, c + 8, 8, 0), EXC_STORE_PAGE_FAULT);
    UT_EQ(h->fault_tval, c + 8);
    UT_EQ(mmu_load(h, 0x7000000000ULL, 4, &v), EXC_LOAD_PAGE_FAULT);
    UT_EQ(h->fault_tval, 0x7000000000ULL);
}

/* MPRV makes M-mode loads and stores translate as MPP (3.1.6.3). */
static void test_mprv(void)
{
    setup(SATP_SV39);
    gva_t va = 0x40001000;
    map(va, DATA_PA, 0, LEAF | PTE_R | PTE_W);
    *host(DATA_PA + 0x40) = 0x1234;
    set_priv(PRV_M, MSTATUS_MPRV | (1ULL << 11)); /* MPP = S */
    UT_EQ(ld_ok(va + 0x40, 8), 0x1234);
    set_priv(PRV_M, MSTATUS_MPRV); /* MPP = U: the S page faults */
    uint64_t v;
    UT_EQ(mmu_load(h, va + 0x40, 8, &v), EXC_LOAD_PAGE_FAULT);
    set_priv(PRV_M, 0); /* no MPRV: physical */
    UT_EQ(mmu_load(h, va + 0x40, 8, &v), EXC_LOAD_ACCESS);
}

/* PMP in the slow paths: every byte of an access must be allowed, in RAM
 * and MMIO alike, and a denied MMIO access never reaches the device. */
static void test_pmp_slow_paths(void)
{
    setup(0);
    set_priv(PRV_S, 0);
    pmp_set(0, A_NA4 | PMP_R | PMP_W, DATA_PA >> 2);
    pmp_set(1, A_NA4 | PMP_R, MMIO_PA >> 2);
    uint64_t v;
    UT_EQ(ld_ok(DATA_PA, 4), 0);
    UT_EQ(mmu_load(h, DATA_PA, 8, &v), EXC_LOAD_ACCESS);
    UT_EQ(h->fault_tval, DATA_PA);
    UT_EQ(mmu_store(h, DATA_PA, 8, 1), EXC_STORE_ACCESS);
    UT_EQ(*host(DATA_PA), 0);
    UT_EQ(mmu_load(h, DATA_PA + 4, 4, &v), EXC_LOAD_ACCESS);
    UT_EQ(ld_ok(MMIO_PA, 4), 0xa4a5a6a7);
    UT_EQ(mmu_store(h, MMIO_PA, 4, 1), EXC_STORE_ACCESS);
    UT_EQ(mmu_load(h, MMIO_PA, 8, &v), EXC_LOAD_ACCESS);
    UT_EQ(h->fault_tval, MMIO_PA);
    UT_EQ(fbus.reads, 1);
    UT_EQ(fbus.writes, 0);
}

/* AMO/LR/SC addresses: aligned, in RAM, and every byte allowed by PMP for
 * both read and write (an AMO needs both; its faults are store faults). */
static void test_atomic_addr(void)
{
    setup(0);
    set_priv(PRV_S, 0);
    void *p;
    gpa_t pa;
    UT_EQ(mmu_atomic_addr(h, DATA_PA + 8, 8, false, &p, &pa), 0);
    UT_EQ(pa, DATA_PA + 8);
    UT_CHECK(p == (void *)host(DATA_PA + 8));
    UT_EQ(mmu_atomic_addr(h, DATA_PA + 4, 8, true, &p, &pa), EXC_LOAD_MISALIGNED);
    UT_EQ(h->fault_tval, DATA_PA + 4);
    UT_EQ(mmu_atomic_addr(h, DATA_PA + 2, 4, false, &p, &pa), EXC_STORE_MISALIGNED);
    UT_EQ(mmu_atomic_addr(h, MMIO_PA, 4, true, &p, &pa), EXC_LOAD_ACCESS);
    UT_EQ(mmu_atomic_addr(h, MMIO_PA, 4, false, &p, &pa), EXC_STORE_ACCESS);
    UT_EQ(h->fault_tval, MMIO_PA);

    pmp_set(0, A_NA4 | PMP_R | PMP_W, DATA_PA >> 2);
    pmp_set(1, A_NA4 | PMP_W, (DATA_PA + 8) >> 2);
    pmp_set(2, A_NA4 | PMP_R, (DATA_PA + 16) >> 2);
    UT_EQ(mmu_atomic_addr(h, DATA_PA, 4, false, &p, &pa), 0);
    UT_EQ(mmu_atomic_addr(h, DATA_PA, 8, true, &p, &pa), EXC_LOAD_ACCESS);
    UT_EQ(mmu_atomic_addr(h, DATA_PA, 8, false, &p, &pa), EXC_STORE_ACCESS);
    UT_EQ(mmu_atomic_addr(h, DATA_PA + 8, 4, false, &p, &pa), EXC_STORE_ACCESS);
    UT_EQ(mmu_atomic_addr(h, DATA_PA + 16, 4, true, &p, &pa), 0);
    UT_EQ(mmu_atomic_addr(h, DATA_PA + 16, 4, false, &p, &pa), EXC_STORE_ACCESS);
    UT_EQ(h->fault_tval, DATA_PA + 16);
}

/* A load through the TLB fast path as the interpreter and JIT do it: a
 * cached translation is used without a walk, even if the PTE changed. */
static uint64_t ld_fast(gva_t va)
{
    uint64_t v = 0xdeadbeef;
    UT_EQ(interp_load(h, NULL, va, 8, &v), 0);
    return v;
}

static int stop_here(struct rv_hart *hh, const struct rv_insn *i)
{
    (void)hh;
    (void)i;
    return 0;
}

/* Runs sfence.vma rs1, x0 (rs1 = a0 holding va, or x0) in the interpreter. */
static void sfence_vma(bool with_va, gva_t va)
{
    struct rv_insn ins[2];
    memset(ins, 0, sizeof(ins));
    decode_insn(0x12000073 | (with_va ? 10u << 15 : 0), &ins[0]);
    UT_EQ(ins[0].op, RV_OP_sfence_vma);
    ins[0].fn = interp_handlers[ins[0].op];
    ins[1].fn = stop_here;
    h->x[10] = va;
    UT_EQ(ins[0].fn(h, ins), 0);
}

/* sfence.vma with an address (priv spec 4.2.1) drops that address's
 * translations; other cached ones may stay, and x0 drops them all. */
static void test_sfence_vma_4k(void)
{
    setup(SATP_SV39);
    gva_t a = 0x40000000, b = 0x40001000;
    uint64_t *pte_a = map(a, DATA_PA, 0, LEAF | PTE_R);
    uint64_t *pte_b = map(b, DATA_PA + 0x1000, 0, LEAF | PTE_R);
    for (unsigned k = 0; k < 4; k++)
        *host(DATA_PA + k * 0x1000) = 0x100 + k;
    UT_EQ(ld_fast(a), 0x100);
    UT_EQ(ld_fast(b), 0x101);
    *pte_a = pte_for(DATA_PA + 0x2000, LEAF | PTE_R);
    *pte_b = pte_for(DATA_PA + 0x3000, LEAF | PTE_R);
    UT_EQ(ld_fast(a), 0x100); /* both still cached */
    sfence_vma(true, a + 0x123);
    UT_EQ(ld_fast(a), 0x102);
    UT_EQ(ld_fast(b), 0x101); /* another page's entry was kept */
    sfence_vma(true, b);
    UT_EQ(ld_fast(b), 0x103);
    /* x0: everything goes. */
    *pte_a = pte_for(DATA_PA, LEAF | PTE_R);
    *pte_b = pte_for(DATA_PA + 0x1000, LEAF | PTE_R);
    sfence_vma(false, 0);
    UT_EQ(ld_fast(a), 0x100);
    UT_EQ(ld_fast(b), 0x101);
}

/* A cached 4 KiB piece of a megapage comes from the megapage's leaf PTE, so
 * an sfence.vma of any address in the megapage must drop it; one of an
 * address outside it need not. */
static void test_sfence_vma_superpage(void)
{
    setup(SATP_SV39);
    gva_t mega = 0x40200000, other = 0x40000000;
    gpa_t pa1 = RAM_BASE + 0x400000, pa2 = RAM_BASE + 0x600000;
    uint64_t *pte_m = map(mega, pa1, 1, LEAF | PTE_R | PTE_X);
    map(other, RAM_BASE + 0x200000, 0, LEAF | PTE_R);
    *host(pa1 + 0x1000) = 0x111;
    *host(pa2 + 0x1000) = 0x222;
    *host(RAM_BASE + 0x200000) = 0x333;
    UT_EQ(ld_fast(mega + 0x1000), 0x111);
    UT_EQ(ld_fast(other), 0x333);
    uint8_t *code;
    gpa_t code_pa;
    UT_EQ(mmu_fetch(h, mega + 0x1000, &code, &code_pa), 0);
    UT_EQ(code_pa, pa1 + 0x1000);
    *pte_m = pte_for(pa2, LEAF | PTE_R | PTE_X);
    sfence_vma(true, 0x40000000 + 0x5000); /* outside the megapage */
    UT_EQ(ld_fast(mega + 0x1000), 0x111);
    sfence_vma(true, mega + 0x1ff000); /* inside, another 4 KiB of it */
    UT_EQ(ld_fast(mega + 0x1000), 0x222);
    UT_EQ(mmu_fetch(h, mega + 0x1000, &code, &code_pa), 0);
    UT_EQ(code_pa, pa2 + 0x1000);
    /* The same through the U-mode set, and for an address the fill did not
     * touch at all (the megapage's first 4 KiB). */
    *pte_m = pte_for(pa1, LEAF | PTE_R | PTE_U);
    sfence_vma(false, 0);
    set_priv(PRV_U, 0);
    UT_EQ(ld_fast(mega + 0x1000), 0x111);
    *pte_m = pte_for(pa2, LEAF | PTE_R | PTE_U);
    h->priv = PRV_S; /* sfence.vma is illegal in U-mode */
    mmu_update_mode(h);
    sfence_vma(true, mega);
    set_priv(PRV_U, 0);
    UT_EQ(ld_fast(mega + 0x1000), 0x222);
}

/* Once a page holds code, stores to it must take the slow path (which bumps
 * its generation so translated blocks go); write entries for other pages
 * may stay. */
static void test_code_page_drops_writes(void)
{
    setup(SATP_SV39);
    gva_t a = 0x40000000, b = 0x40001000;
    map(a, DATA_PA, 0, LEAF | PTE_R | PTE_W | PTE_X);
    map(b, DATA_PA + 0x1000, 0, LEAF | PTE_R | PTE_W);
    uint64_t pa_page = (DATA_PA - RAM_BASE) >> RAM_PAGE_SHIFT;
    struct tlb_entry *wa = &h->dtlb->w[tlb_row(a)];
    struct tlb_entry *wb = &h->dtlb->w[tlb_row(b)];
    mmu_sync_code_epoch(h);
    UT_EQ(interp_store(h, NULL, a, 8, 1), 0);
    UT_EQ(interp_store(h, NULL, b, 8, 2), 0);
    UT_EQ(wa->tag, a);
    UT_EQ(wb->tag, b);

    uint32_t gen = ram_mark_code(&ram, pa_page);
    mmu_sync_code_epoch(h);
    UT_CHECK(wa->tag != a);
    UT_EQ(wb->tag, b);
    UT_EQ(interp_store(h, NULL, a + 8, 8, 3), 0);
    UT_EQ(*host(DATA_PA + 8), 3);
    UT_CHECK(ram.code_gen[pa_page] != gen); /* the slow path saw the code */
    UT_CHECK(wa->tag != a);                 /* and cached nothing while it was code */

    /* A hart further behind than the ring reaches drops every write entry. */
    UT_EQ(interp_store(h, NULL, a, 8, 1), 0); /* no longer code: cached */
    UT_EQ(wa->tag, a);
    for (uint64_t p = 0; p <= RAM_CODE_RING; p++)
        ram_mark_code(&ram, (PT_BASE - RAM_BASE) / RAM_PAGE_SIZE + p);
    mmu_sync_code_epoch(h);
    UT_CHECK(wa->tag != a);
    UT_CHECK(wb->tag != b);
    /* So does one that sees an epoch whose ring slot is not written yet. */
    UT_EQ(interp_store(h, NULL, b, 8, 2), 0);
    UT_EQ(wb->tag, b);
    __atomic_fetch_add(&ram.code_epoch, 1, __ATOMIC_SEQ_CST);
    mmu_sync_code_epoch(h);
    UT_CHECK(wb->tag != b);
}

/* AMO/LR/SC addresses come from the TLB when it holds the page (read entry
 * for LR, read and write entries for AMO/SC), with the same results as a
 * walk: a read-only page gives LR but not SC, and a page that became code
 * is written through the slow path, which invalidates its blocks. */
static void test_atomic_addr_tlb(void)
{
    setup(SATP_SV39);
    gva_t rw = 0x40000000, ro = 0x40001000;
    uint64_t *pte_rw = map(rw, DATA_PA, 0, LEAF | PTE_R | PTE_W);
    map(ro, DATA_PA + 0x1000, 0, LEAF | PTE_R);
    mmu_sync_code_epoch(h);
    UT_EQ(ld_fast(rw), 0);
    UT_EQ(interp_store(h, NULL, rw, 8, 5), 0);
    UT_EQ(ld_fast(ro), 0);
    void *p;
    gpa_t pa;
    /* Cached: the PTE rewritten without a fence is not seen yet. */
    *pte_rw = pte_for(DATA_PA + 0x2000, LEAF | PTE_R | PTE_W);
    UT_EQ(mmu_atomic_addr(h, rw + 8, 8, false, &p, &pa), 0);
    UT_EQ(pa, DATA_PA + 8);
    UT_CHECK(p == (void *)host(DATA_PA + 8));
    sfence_vma(true, rw);
    UT_EQ(mmu_atomic_addr(h, rw + 8, 8, true, &p, &pa), 0);
    UT_EQ(pa, DATA_PA + 0x2008);
    UT_EQ(mmu_atomic_addr(h, ro + 8, 8, true, &p, &pa), 0);
    UT_EQ(pa, DATA_PA + 0x1008);
    UT_EQ(mmu_atomic_addr(h, ro + 8, 8, false, &p, &pa), EXC_STORE_PAGE_FAULT);
    UT_EQ(h->fault_tval, ro + 8);

    UT_EQ(interp_store(h, NULL, rw, 8, 5), 0);
    uint64_t page = (DATA_PA + 0x2000 - RAM_BASE) >> RAM_PAGE_SHIFT;
    uint32_t gen = ram_mark_code(&ram, page);
    mmu_sync_code_epoch(h);
    UT_EQ(mmu_atomic_addr(h, rw, 8, false, &p, &pa), 0);
    UT_EQ(pa, DATA_PA + 0x2000);
    UT_CHECK(ram.code_gen[page] != gen);
}

/* ---- guest TLB contexts (mmu_vtlb.c) ---- */

/* A G-stage Sv39x4 root (16 KiB, 16 KiB aligned) and 4 KiB mappings in it. */
static gpa_t g_root_alloc(void)
{
    pt_next = (pt_next + 0x3fff) & ~0x3fffULL;
    gpa_t root = pt_alloc();
    for (unsigned k = 1; k < 4; k++)
        pt_alloc();
    return root;
}

static void g_map(gpa_t root, gpa_t gpa, gpa_t pa)
{
    uint64_t *slot = host(root + ((gpa >> 30) & 2047) * 8);
    for (unsigned l = 1;; l--) {
        if (!(*slot & PTE_V)) *slot = pte_for(pt_alloc(), PTE_V);
        slot = host(((*slot >> 10) << 12) + ((gpa >> (12 + 9 * l)) & 511) * 8);
        if (l == 0) break;
    }
    *slot = pte_for(pa, LEAF | RWX | PTE_U);
}

/* Runs as the guest of (root, vmid) with vsatp = vsatp (VS-stage Bare
 * whatever its ASID bits), as a write of hgatp and vsatp would select it. */
static void as_guest(gpa_t root, uint64_t vmid, uint64_t vsatp)
{
    h->virt = 0;
    h->hgatp = 8ULL << 60 | vmid << 44 | root >> 12;
    h->vsatp = vsatp;
    mmu_vtlb_select(h);
    h->virt = 1;
    h->priv = PRV_S;
    mmu_update_mode(h);
}

/* Guest translations are cached per (hgatp, vsatp): switching guests or
 * address spaces keeps each one's entries, and every fence drops what it
 * names and leaves the rest (priv spec 8.3.2 allows more, rvmm drops no
 * more). A cached entry is seen by mapping its page elsewhere with no
 * fence: the fast path still reads the old page. */
static void test_guest_tlb_contexts(void)
{
    setup(0);
    const gpa_t g0 = 0xC0000000, g1 = 0xC0001000;
    for (unsigned k = 0; k < 4; k++)
        *host(DATA_PA + k * 0x1000) = 0x10 + k;
    gpa_t r1 = g_root_alloc(), r2 = g_root_alloc();
    g_map(r1, g0, DATA_PA);
    g_map(r1, g1, DATA_PA + 0x1000);
    g_map(r2, g0, DATA_PA + 0x2000);
    as_guest(r1, 1, 0);
    UT_EQ(ld_fast(g0), 0x10);
    UT_EQ(ld_fast(g1), 0x11);
    as_guest(r2, 2, 0);
    UT_EQ(ld_fast(g0), 0x12);
    g_map(r1, g0, DATA_PA + 0x3000);
    g_map(r1, g1, DATA_PA + 0x2000);
    as_guest(r1, 1, 0); /* VMID 1's entries survived the switch */
    UT_EQ(ld_fast(g0), 0x10);
    UT_EQ(ld_fast(g1), 0x11);
    /* hfence.gvma: another VMID, then another page of this one: kept. */
    mmu_vtlb_fence_gvma(h, true, 2, false, 0);
    mmu_vtlb_fence_gvma(h, true, 1, true, 0xC0005000);
    UT_EQ(ld_fast(g0), 0x10);
    mmu_vtlb_fence_gvma(h, true, 1, true, g1 + 0x10);
    UT_EQ(ld_fast(g1), 0x12); /* dropped: walked again */
    UT_EQ(ld_fast(g0), 0x10); /* kept */
    mmu_vtlb_fence_gvma(h, false, 0, true, g0);
    UT_EQ(ld_fast(g0), 0x13);
    /* V=0 flushes (satp writes, sfence.vma) leave the guest's entries. */
    g_map(r1, g0, DATA_PA);
    h->virt = 0;
    mmu_update_mode(h);
    mmu_flush_hs(h);
    mmu_flush_va(h, g0);
    as_guest(r1, 1, 0);
    UT_EQ(ld_fast(g0), 0x13);
    /* hfence.vvma: another ASID, another VMID, another address: kept. */
    mmu_vtlb_fence_vvma(h, 1, true, 5, false, 0);
    mmu_vtlb_fence_vvma(h, 2, false, 0, false, 0);
    mmu_vtlb_fence_vvma(h, 1, false, 0, true, g1);
    UT_EQ(ld_fast(g0), 0x13);
    mmu_vtlb_fence_vvma(h, 1, true, 0, true, g0);
    UT_EQ(ld_fast(g0), 0x10);
    /* A pair not seen takes the least recently selected context, emptied:
     * after TLB_VCTX other pairs, (r1, 1, 0) walks again. */
    g_map(r1, g0, DATA_PA + 0x1000);
    for (uint64_t k = 1; k <= TLB_VCTX; k++) {
        as_guest(r1, 1, k << 44);
        UT_EQ(ld_fast(g0), 0x11);
    }
    as_guest(r1, 1, 0);
    UT_EQ(ld_fast(g0), 0x11);
    h->virt = 0;
    mmu_update_mode(h);
}

/* Fences posted by another hart's SBI call (hart_fence.h) wait in the
 * box, flagged in flush_req, and do what they name when taken: a ranged
 * HFENCE.GVMA drops its page of its VMID only; a box that overflows
 * flushes everything. */
static void test_posted_fences(void)
{
    setup(0);
    const gpa_t g0 = 0xC0000000, g1 = 0xC0001000;
    for (unsigned k = 0; k < 4; k++)
        *host(DATA_PA + k * 0x1000) = 0x10 + k;
    gpa_t r1 = g_root_alloc();
    g_map(r1, g0, DATA_PA);
    g_map(r1, g1, DATA_PA + 0x1000);
    as_guest(r1, 1, 0);
    UT_EQ(ld_fast(g0), 0x10);
    UT_EQ(ld_fast(g1), 0x11);
    g_map(r1, g0, DATA_PA + 0x2000);
    g_map(r1, g1, DATA_PA + 0x3000);
    struct hart_fence f = {
        .kind = HART_FENCE_GVMA, .by_id = true, .id = 2, .start = g0, .size = 0x2000};
    hart_post_fence(h, &f); /* another VMID */
    f.id = 1;
    f.start = g1 + 0x800;
    f.size = 8;
    hart_post_fence(h, &f);
    UT_EQ(__atomic_load_n(&h->flush_req, __ATOMIC_ACQUIRE), HART_FLUSH_FENCES);
    UT_EQ(ld_fast(g1), 0x11); /* not yet taken */
    __atomic_store_n(&h->flush_req, 0, __ATOMIC_RELAXED);
    hart_fence_take(h);
    UT_EQ(ld_fast(g0), 0x10);
    UT_EQ(ld_fast(g1), 0x13);
    UT_EQ(h->fences.n, 0);
    /* One more than the box holds: a full flush (g0 was kept till now). */
    g_map(r1, g1, DATA_PA);
    f.by_id = false;
    f.start = 0x80000000;
    for (unsigned k = 0; k <= HART_FENCE_SLOTS; k++)
        hart_post_fence(h, &f);
    hart_fence_take(h);
    UT_EQ(ld_fast(g0), 0x12);
    UT_EQ(ld_fast(g1), 0x10);
    UT_CHECK(!h->fences.all && h->fences.n == 0);
    __atomic_store_n(&h->kick, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&h->flush_req, 0, __ATOMIC_RELAXED);
    h->virt = 0;
    mmu_update_mode(h);
}

static void csr_set(unsigned csr, uint64_t v)
{
    uint64_t old;
    UT_EQ(csr_access(h, csr, CSR_OP_WRITE, v, true, &old), 0);
}

/* The decoded PMP rules follow every pmpcfg/pmpaddr write made after a
 * check, the lock rules included, and a reset. */
static void test_pmp_rules_follow_writes(void)
{
    setup(0);
    set_priv(PRV_M, 0);
    csr_set(0x3b0, napot(DATA_PA, 4096));
    csr_set(0x3a0, A_NAPOT | PMP_R);
    UT_CHECK(pmp_allows(h, DATA_PA, 8, MMU_READ, PRV_S));
    UT_CHECK(!pmp_allows(h, DATA_PA + 0x1000, 8, MMU_READ, PRV_S));
    csr_set(0x3b0, napot(DATA_PA + 0x1000, 4096));
    UT_CHECK(!pmp_allows(h, DATA_PA, 8, MMU_READ, PRV_S));
    UT_CHECK(pmp_allows(h, DATA_PA + 0x1000, 8, MMU_READ, PRV_S));

    /* TOR: entry 1 spans [pmpaddr0, pmpaddr1) whatever entry 0 is. */
    csr_set(0x3a0, (uint64_t)(A_TOR | PMP_R | PMP_W) << 8); /* entry 0 off */
    csr_set(0x3b0, DATA_PA >> 2);
    csr_set(0x3b1, (DATA_PA + 0x2000) >> 2);
    UT_CHECK(pmp_allows(h, DATA_PA, 8, MMU_WRITE, PRV_S));
    UT_CHECK(!pmp_allows(h, DATA_PA - 8, 8, MMU_WRITE, PRV_S));
    csr_set(0x3b0, (DATA_PA - 0x1000) >> 2);
    UT_CHECK(pmp_allows(h, DATA_PA - 8, 8, MMU_WRITE, PRV_S));
    csr_set(0x3b0, (DATA_PA + 0x1000) >> 2);
    UT_CHECK(!pmp_allows(h, DATA_PA, 8, MMU_WRITE, PRV_S));
    UT_CHECK(pmp_allows(h, DATA_PA + 0x1000, 8, MMU_WRITE, PRV_S));

    /* Locked: binds M-mode, and later writes to the entry (or, for a locked
     * TOR entry, to the address below it) change nothing. */
    csr_set(0x3a0, (uint64_t)(A_TOR | PMP_R | PMP_L) << 8);
    UT_CHECK(!pmp_allows(h, DATA_PA + 0x1000, 8, MMU_WRITE, PRV_M));
    UT_CHECK(pmp_allows(h, DATA_PA + 0x1000, 8, MMU_READ, PRV_M));
    csr_set(0x3b0, (DATA_PA - 0x1000) >> 2);
    csr_set(0x3b1, (DATA_PA + 0x4000) >> 2);
    csr_set(0x3a0, (uint64_t)(A_TOR | PMP_R | PMP_W | PMP_X) << 8);
    UT_CHECK(pmp_allows(h, DATA_PA, 8, MMU_WRITE, PRV_M)); /* unmatched: M passes */
    UT_CHECK(!pmp_allows(h, DATA_PA + 0x1000, 8, MMU_WRITE, PRV_M));
    UT_CHECK(!pmp_allows(h, DATA_PA + 0x2000, 8, MMU_READ, PRV_S)); /* past pmpaddr1 */

    /* A reset clears the entries, locked or not. */
    hart_reset(h, RAM_BASE);
    UT_CHECK(pmp_allows(h, DATA_PA + 0x1000, 8, MMU_WRITE, PRV_S));
}

int main(void)
{
    ut_run("mmu_leaf_every_level", test_leaf_every_level);
    ut_run("mmu_guest_tlb_contexts", test_guest_tlb_contexts);
    ut_run("mmu_posted_fences", test_posted_fences);
    ut_run("mmu_canonical", test_canonical);
    ut_run("mmu_misaligned_superpage", test_misaligned_superpage);
    ut_run("mmu_invalid_pte", test_invalid_pte);
    ut_run("mmu_w_without_r", test_w_without_r);
    ut_run("mmu_reserved_bits", test_reserved_bits);
    ut_run("mmu_user_supervisor", test_user_supervisor);
    ut_run("mmu_permissions_mxr", test_permissions_mxr);
    ut_run("mmu_accessed_dirty", test_accessed_dirty);
    ut_run("mmu_bare_and_walk_access_fault", test_bare_and_walk_access_fault);
    ut_run("mmu_pmp_none_and_default", test_pmp_none_and_default);
    ut_run("mmu_pmp_tor", test_pmp_tor);
    ut_run("mmu_pmp_na4_napot", test_pmp_na4_napot);
    ut_run("mmu_pmp_priority_lock", test_pmp_priority_lock);
    ut_run("mmu_pmp_in_translation", test_pmp_in_translation);
    ut_run("mmu_load_store_physical", test_load_store_physical);
    ut_run("mmu_load_store_translated", test_load_store_translated);
    ut_run("mmu_mprv", test_mprv);
    ut_run("mmu_pmp_slow_paths", test_pmp_slow_paths);
    ut_run("mmu_atomic_addr", test_atomic_addr);
    ut_run("mmu_sfence_vma_4k", test_sfence_vma_4k);
    ut_run("mmu_sfence_vma_superpage", test_sfence_vma_superpage);
    ut_run("mmu_code_page_drops_writes", test_code_page_drops_writes);
    ut_run("mmu_atomic_addr_tlb", test_atomic_addr_tlb);
    ut_run("mmu_pmp_rules_follow_writes", test_pmp_rules_follow_writes);
    if (h) {
        hart_destroy(h);
        free(h);
        ram_destroy(&ram);
    }
    return ut_exit();
}
