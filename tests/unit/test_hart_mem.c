/* Unit tests for what a hart costs in host memory (src/cpu/hart.c
 * hart_array_alloc/hart_init, src/cpu/mmu.c's lazy guest TLB sets): a hart
 * that never runs an H-extension guest leaves its 12 guest TLB sets and the
 * guest contexts' page notes as untouched zero pages, through init and
 * resets; residency is read with mincore(). The first V=1 regime makes its
 * sets valid: a lookup of guest page 0, whose tag a zero-filled set would
 * match, misses. Does not run instructions. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cpu/mmu.h"
#include "ut.h"

UT_MAIN_STATE

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (1ULL << 20)
#define NHARTS   2

static int no_bus_read(void *opaque, gpa_t pa, unsigned size, uint64_t *val)
{
    return -1;
}

static int no_bus_write(void *opaque, gpa_t pa, unsigned size, uint64_t val)
{
    return -1;
}

/* Resident bytes of the whole pages inside [p, p + len). */
static size_t resident(const void *p, size_t len)
{
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = ((uintptr_t)p + pg - 1) & ~(pg - 1);
    uintptr_t hi = ((uintptr_t)p + len) & ~(pg - 1);
    if (hi <= lo) return 0;
    size_t n = (hi - lo) / pg;
    unsigned char *vec = malloc(n);
    UT_EQ(mincore((void *)lo, hi - lo, vec), 0);
    size_t r = 0;
    for (size_t k = 0; k < n; k++)
        r += (vec[k] & 1) * pg;
    free(vec);
    return r;
}

/* The guest TLB sets of h: everything of h->tlb past the V=0 ones. */
static size_t guest_sets_resident(const struct rv_hart *h)
{
    return resident(&h->tlb[TLBM_HS_COUNT], sizeof(h->tlb[0]) * (TLBM_COUNT - TLBM_HS_COUNT));
}

static struct guest_ram ram;
static struct vclock vclk;

static struct rv_hart *make_harts(void)
{
    struct rv_hart *hs = hart_array_alloc(NHARTS);
    UT_CHECK(hs != NULL);
    struct hart_bus hb = {NULL, no_bus_read, no_bus_write};
    for (unsigned k = 0; k < NHARTS; k++)
        UT_EQ(hart_init(&hs[k], k, &ram, &hb, &vclk), 0);
    return hs;
}

static void free_harts(struct rv_hart *hs)
{
    for (unsigned k = 0; k < NHARTS; k++)
        hart_destroy(&hs[k]);
    hart_array_free(hs, NHARTS);
}

/* A booted hart's cost: the V=0 TLB sets (4 x 96 KiB) and the small state,
 * not the 2.1 MiB of the struct. */
static void test_init_leaves_guest_sets_untouched(void)
{
    struct rv_hart *hs = make_harts();
    for (unsigned k = 0; k < NHARTS; k++) {
        UT_EQ(guest_sets_resident(&hs[k]), 0);
        UT_EQ(resident(hs[k].vctx_tab, sizeof(hs[k].vctx_tab)) <= 4 * 4096, 1);
        UT_CHECK(resident(&hs[k], sizeof(hs[k])) < 512 * 1024);
        UT_EQ(hs[k].vtlb_ready, false);
    }
    /* Resets (a reboot's, a restore's) leave them alone too. */
    hart_reset(&hs[0], RAM_BASE);
    hart_reset(&hs[0], RAM_BASE);
    UT_EQ(guest_sets_resident(&hs[0]), 0);
    free_harts(hs);
}

/* Enters a V=1 regime (VS-mode under some hgatp) on h. */
static void enter_guest(struct rv_hart *h)
{
    h->priv = PRV_S;
    h->hgatp = 8ULL << 60 | 1ULL << 44;
    h->vsatp = 0;
    h->virt = 1;
    mmu_vtlb_select(h);
    mmu_update_mode(h);
}

static void leave_guest(struct rv_hart *h)
{
    h->virt = 0;
    h->priv = PRV_M;
    mmu_update_mode(h);
}

/* The first V=1 regime makes the guest sets valid: nothing hits in them,
 * page 0 included (a zero page's tag), for loads, stores and fetches. */
static void test_guest_sets_valid_when_used(void)
{
    struct rv_hart *hs = make_harts();
    struct rv_hart *h = &hs[0];
    enter_guest(h);
    UT_EQ(h->vtlb_ready, true);
    UT_CHECK(h->dtlb >= &h->tlb[TLBM_HS_COUNT]);
    UT_CHECK(tlb_lookup(h->dtlb->r, 0, 0) == NULL);
    UT_CHECK(tlb_lookup(h->dtlb->w, 0, 0) == NULL);
    UT_CHECK(tlb_lookup(h->itlb->x, 0, 0) == NULL);
    for (unsigned m = TLBM_HS_COUNT; m < TLBM_COUNT; m++)
        UT_CHECK(tlb_lookup(h->tlb[m].r, 0x1000, 0x1000) == NULL);
    UT_CHECK(guest_sets_resident(h) > 0);
    /* The other hart never ran a guest: its sets are still untouched. */
    UT_EQ(guest_sets_resident(&hs[1]), 0);
    /* A reset keeps prepared sets valid. */
    leave_guest(h);
    hart_reset(h, RAM_BASE);
    enter_guest(h);
    UT_CHECK(tlb_lookup(h->dtlb->r, 0, 0) == NULL);
    UT_CHECK(tlb_lookup(h->itlb->x, 0, 0) == NULL);
    free_harts(hs);
}

/* hart_init clears all the architectural and bookkeeping state even on
 * memory that was not zero (a reused allocation). */
static void test_init_on_dirty_memory(void)
{
    struct rv_hart *hs = hart_array_alloc(1);
    UT_CHECK(hs != NULL);
    memset(hs, 0xa5, sizeof(*hs));
    struct hart_bus hb = {NULL, no_bus_read, no_bus_write};
    UT_EQ(hart_init(hs, 3, &ram, &hb, &vclk), 0);
    UT_EQ(hs->mhartid, 3);
    UT_EQ(hs->x[1], 0);
    UT_EQ(hs->stats.tlb_miss, 0);
    UT_EQ(hs->vtlb_ready, false);
    UT_EQ(hs->fences.n, 0);
    UT_EQ(hs->vec.vl, 0);
    for (unsigned m = 0; m < TLBM_COUNT; m++)
        UT_EQ(hs->tlb_book[m].live[0][0], 0);
    UT_CHECK(tlb_lookup(hs->dtlb->r, 0xa5a5a5a5a5a5a000ULL, 0xa5a5a5a5a5a5a000ULL) == NULL);
    enter_guest(hs);
    UT_CHECK(tlb_lookup(hs->dtlb->r, 0xa5a5a5a5a5a5a000ULL, 0xa5a5a5a5a5a5a000ULL) == NULL);
    hart_destroy(hs);
    hart_array_free(hs, 1);
}

int main(void)
{
    UT_EQ(ram_create(&ram, RAM_BASE, RAM_SIZE), 0);
    ut_run("hart_mem_init_leaves_guest_sets_untouched", test_init_leaves_guest_sets_untouched);
    ut_run("hart_mem_guest_sets_valid_when_used", test_guest_sets_valid_when_used);
    ut_run("hart_mem_init_on_dirty_memory", test_init_on_dirty_memory);
    ram_destroy(&ram);
    return ut_exit();
}
