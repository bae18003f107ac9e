/* Unit tests for the software TLB's two ways (src/cpu/hart.h tlb_lookup,
 * src/cpu/mmu.c fills and flushes, src/cpu/mmu_vtlb.c guest fences): pages
 * whose numbers agree in the row bits (TLB_ENTRIES pages apart) share a row.
 * Two of them stay resident together, a third evicts the least recently
 * filled, and every flush (sfence.vma by address, the code-page write drops,
 * hfence.vvma by ASID and address, hfence.gvma by guest physical page) finds
 * a page in either way. A cached entry is seen by remapping its page with no
 * fence: the fast path still reads the old page; a miss is seen in
 * stats.tlb_miss. Does not run instructions. */
#include <stdlib.h>
#include <string.h>

#include "cpu/interp.h"
#include "cpu/mmu.h"
#include "ut.h"

UT_MAIN_STATE

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (8ULL << 20)
#define PT_BASE  (RAM_BASE + 0x100000) /* page-table pages are bump-allocated here */
#define DATA_PA  (RAM_BASE + 0x400000) /* 16 data pages, page k holding 0x10 + k */

#define PTE_V (1ULL << 0)
#define PTE_R (1ULL << 1)
#define PTE_W (1ULL << 2)
#define PTE_X (1ULL << 3)
#define PTE_U (1ULL << 4)
#define PTE_A (1ULL << 6)
#define PTE_D (1ULL << 7)
#define RWX   (PTE_R | PTE_W | PTE_X)
#define LEAF  (PTE_V | PTE_A | PTE_D | RWX)

/* The distance between two pages of one row. */
#define ROW_STRIDE ((uint64_t)TLB_ENTRIES << 12)

static int no_bus_read(void *opaque, gpa_t pa, unsigned size, uint64_t *val)
{
    return -1;
}

static int no_bus_write(void *opaque, gpa_t pa, unsigned size, uint64_t val)
{
    return -1;
}

static struct guest_ram ram;
static struct rv_hart *h;
static struct vclock vclk;
static gpa_t pt_next;

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

static gpa_t data(unsigned k)
{
    return DATA_PA + k * 0x1000ULL;
}

/* A fresh hart in S-mode under Sv39 with an empty root table. */
static void setup(void)
{
    if (!h) {
        h = calloc(1, sizeof(*h));
        UT_EQ(ram_create(&ram, RAM_BASE, RAM_SIZE), 0);
        struct hart_bus hb = {NULL, no_bus_read, no_bus_write};
        UT_EQ(hart_init(h, 0, &ram, &hb, &vclk), 0);
    }
    memset(ram.host, 0, RAM_SIZE);
    hart_reset(h, RAM_BASE);
    for (unsigned k = 0; k < 16; k++)
        *host(data(k)) = 0x10 + k;
    pt_next = PT_BASE;
    gpa_t root = pt_alloc();
    h->satp = (8ULL << 60) | (root >> 12);
    h->priv = PRV_S;
    mmu_update_mode(h);
    mmu_flush(h);
    mmu_sync_code_epoch(h);
}

/* Maps the 4 KiB page at va (Sv39) to pa. */
static void map(gva_t va, gpa_t pa)
{
    gpa_t table = (h->satp & ((1ULL << 44) - 1)) << 12;
    for (unsigned l = 2;; l--) {
        uint64_t *slot = host(table + ((va >> (12 + 9 * l)) & 511) * 8);
        if (l == 0) {
            *slot = pte_for(pa, LEAF);
            return;
        }
        if (!(*slot & PTE_V)) *slot = pte_for(pt_alloc(), PTE_V);
        table = (*slot >> 10) << 12;
    }
}

/* An aligned load through the fast path (the slow path on a miss). */
static uint64_t ld(gva_t va)
{
    uint64_t v = 0xdeadbeef;
    UT_EQ(interp_load(h, NULL, va, 8, &v), 0);
    return v;
}

/* Loads va and returns the walks it took (0: a TLB hit). */
static uint64_t ld_misses(gva_t va, uint64_t want)
{
    uint64_t before = h->stats.tlb_miss;
    UT_EQ(ld(va), want);
    return h->stats.tlb_miss - before;
}

/* Two pages of one row stay resident together however they alternate; a
 * third evicts the one filled least recently, which walks again. */
static void test_two_pages_one_row(void)
{
    setup();
    const gva_t a = 0x40000000, b = a + ROW_STRIDE, c = a + 2 * ROW_STRIDE;
    UT_EQ(tlb_row(a), tlb_row(b));
    map(a, data(0));
    map(b, data(1));
    map(c, data(2));
    UT_EQ(ld_misses(a, 0x10), 1);
    UT_EQ(ld_misses(b, 0x11), 1);
    uint64_t before = h->stats.tlb_miss;
    for (unsigned k = 0; k < 100; k++) {
        UT_EQ(ld(a + 8 * (k % 512)), k % 512 ? 0 : 0x10);
        UT_EQ(ld(b), 0x11);
    }
    UT_EQ(h->stats.tlb_miss - before, 0);
    /* Filled a, then b: a is the older. c takes its place. */
    UT_EQ(ld_misses(c, 0x12), 1);
    UT_EQ(ld_misses(b, 0x11), 0);
    UT_EQ(ld_misses(c, 0x12), 0);
    UT_EQ(ld_misses(a, 0x10), 1);
    /* Now b is the older of (a, c). */
    UT_EQ(ld_misses(c, 0x12), 0);
    UT_EQ(ld_misses(b, 0x11), 1);
}

/* A misaligned access walks while its page is cached: the refill leaves
 * one copy of the page in the row, so the other page stays. */
static void test_refill_no_duplicate(void)
{
    setup();
    const gva_t a = 0x40000000, b = a + ROW_STRIDE;
    map(a, data(0));
    map(b, data(1));
    UT_EQ(ld_misses(a, 0x10), 1);
    UT_EQ(ld_misses(b, 0x11), 1); /* b in way 0, a in way 1 */
    uint64_t v;
    UT_EQ(mmu_load(h, a + 1, 8, &v), 0); /* byte by byte: walks a again */
    UT_EQ(v, 0);
    UT_EQ(ld_misses(a, 0x10), 0);
    UT_EQ(ld_misses(b, 0x11), 0);
    unsigned copies = 0;
    for (unsigned w = 0; w < TLB_WAYS; w++)
        copies += h->dtlb->r[tlb_row(a) + w].tag == a;
    UT_EQ(copies, 1);
}

/* sfence.vma with an address drops its page from whichever way holds it
 * and keeps the row's other page; so does a fence of a page the row does
 * not hold. */
static void test_flush_va_both_ways(void)
{
    setup();
    const gva_t a = 0x40000000, b = a + ROW_STRIDE;
    map(a, data(0));
    map(b, data(1));
    ld(a);
    ld(b); /* b in way 0, a in way 1 */
    map(a, data(2));
    map(b, data(3));
    mmu_flush_va(h, a + 2 * ROW_STRIDE);
    UT_EQ(ld_misses(a, 0x10), 0);
    UT_EQ(ld_misses(b, 0x11), 0);
    mmu_flush_va(h, a + 0x123); /* way 1 */
    UT_EQ(ld_misses(b, 0x11), 0);
    UT_EQ(ld_misses(a, 0x12), 1);
    mmu_flush_va(h, b); /* now in way 1 */
    UT_EQ(ld_misses(a, 0x12), 0);
    UT_EQ(ld_misses(b, 0x13), 1);
    /* Fetch entries too: mmu_fetch hits either way. */
    uint8_t *p;
    gpa_t pa;
    UT_EQ(mmu_fetch(h, a, &p, &pa), 0);
    UT_EQ(mmu_fetch(h, b, &p, &pa), 0);
    uint64_t before = h->stats.tlb_miss;
    UT_EQ(mmu_fetch(h, a, &p, &pa), 0);
    UT_EQ(pa, data(2));
    UT_EQ(h->stats.tlb_miss - before, 0);
    mmu_flush_va(h, a);
    UT_EQ(mmu_fetch(h, b, &p, &pa), 0);
    UT_EQ(h->stats.tlb_miss - before, 0);
    UT_EQ(mmu_fetch(h, a, &p, &pa), 0);
    UT_EQ(h->stats.tlb_miss - before, 1);
}

/* A page that becomes code loses its write entry in either way (stores
 * must reach the slow path that invalidates its blocks); the row's other
 * page keeps its own. AMOs take their address from both ways. */
static void test_code_page_write_drop(void)
{
    setup();
    const gva_t a = 0x40000000, b = a + ROW_STRIDE;
    map(a, data(0));
    map(b, data(1));
    UT_EQ(interp_store(h, NULL, a, 8, 0x20), 0);
    UT_EQ(interp_store(h, NULL, b, 8, 0x21), 0); /* a's write entry in way 1 */
    UT_EQ(ld_misses(b, 0x21), 1);
    UT_EQ(ld_misses(a, 0x20), 1); /* a's read entry in way 0 */
    void *hp;
    gpa_t pa;
    uint64_t before = h->stats.tlb_miss;
    UT_EQ(mmu_atomic_addr(h, a + 8, 8, false, &hp, &pa), 0);
    UT_EQ(pa, data(0) + 8);
    UT_EQ(mmu_atomic_addr(h, b + 8, 8, false, &hp, &pa), 0);
    UT_EQ(pa, data(1) + 8);
    UT_EQ(h->stats.tlb_miss - before, 0);

    uint64_t page = (data(0) - RAM_BASE) >> RAM_PAGE_SHIFT;
    uint32_t gen = ram_mark_code(&ram, page);
    mmu_sync_code_epoch(h);
    unsigned left = 0;
    for (unsigned w = 0; w < TLB_WAYS; w++)
        left += h->dtlb->w[tlb_row(a) + w].tag == a;
    UT_EQ(left, 0);
    UT_CHECK(tlb_lookup(h->dtlb->w, b, b) != NULL);
    UT_EQ(interp_store(h, NULL, a, 8, 0x30), 0);
    UT_CHECK(ram.code_gen[page] != gen); /* the slow path saw the code */
    UT_EQ(*host(data(0)), 0x30);
}

/* ---- guest sets (H extension) ---- */

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
    *slot = pte_for(pa, LEAF | PTE_U);
}

/* Runs as the guest of (root, vmid) at VS with vsatp's ASID (VS-stage Bare). */
static void as_guest(gpa_t root, uint64_t vmid, uint64_t asid)
{
    h->virt = 0;
    h->hgatp = 8ULL << 60 | vmid << 44 | root >> 12;
    h->vsatp = asid << 44;
    mmu_vtlb_select(h);
    h->virt = 1;
    h->priv = PRV_S;
    mmu_update_mode(h);
}

/* A guest's two pages of one row: hfence.gvma of the guest physical page
 * held in way 1 drops it (the entry's guest physical page moved with it),
 * hfence.vvma by address drops either way, by ASID the whole context. */
static void test_guest_fences_both_ways(void)
{
    setup();
    const gpa_t g0 = 0xC0000000, g1 = g0 + ROW_STRIDE;
    gpa_t root = g_root_alloc();
    g_map(root, g0, data(0));
    g_map(root, g1, data(1));
    as_guest(root, 1, 5);
    UT_EQ(ld_misses(g0, 0x10), 1);
    UT_EQ(ld_misses(g1, 0x11), 1); /* g0 in way 1 */
    g_map(root, g0, data(2));
    g_map(root, g1, data(3));
    mmu_vtlb_fence_gvma(h, true, 1, true, g0 + ROW_STRIDE * 2); /* another page */
    UT_EQ(ld_misses(g0, 0x10), 0);
    UT_EQ(ld_misses(g1, 0x11), 0);
    mmu_vtlb_fence_gvma(h, true, 1, true, g0);
    UT_EQ(ld_misses(g1, 0x11), 0);
    UT_EQ(ld_misses(g0, 0x12), 1); /* g0 in way 0, g1 in way 1 */
    mmu_vtlb_fence_gvma(h, true, 1, true, g1);
    UT_EQ(ld_misses(g0, 0x12), 0);
    UT_EQ(ld_misses(g1, 0x13), 1); /* g1 in way 0, g0 in way 1 */
    g_map(root, g0, data(4));
    g_map(root, g1, data(5));
    mmu_vtlb_fence_vvma(h, 1, true, 5, true, g0);
    UT_EQ(ld_misses(g1, 0x13), 0);
    UT_EQ(ld_misses(g0, 0x14), 1);                /* g0 in way 0, g1 in way 1 */
    mmu_vtlb_fence_vvma(h, 1, true, 6, false, 0); /* another ASID */
    UT_EQ(ld_misses(g0, 0x14), 0);
    UT_EQ(ld_misses(g1, 0x13), 0);
    mmu_vtlb_fence_vvma(h, 1, true, 5, false, 0);
    UT_EQ(ld_misses(g0, 0x14), 1);
    UT_EQ(ld_misses(g1, 0x15), 1);
    h->virt = 0;
    mmu_update_mode(h);
}

int main(void)
{
    ut_run("tlb_two_pages_one_row", test_two_pages_one_row);
    ut_run("tlb_refill_no_duplicate", test_refill_no_duplicate);
    ut_run("tlb_flush_va_both_ways", test_flush_va_both_ways);
    ut_run("tlb_code_page_write_drop", test_code_page_write_drop);
    ut_run("tlb_guest_fences_both_ways", test_guest_fences_both_ways);
    if (h) {
        hart_destroy(h);
        free(h);
        ram_destroy(&ram);
    }
    return ut_exit();
}
