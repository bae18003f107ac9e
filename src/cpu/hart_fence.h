/* Remote TLB fences (the SBI's RFENCE calls, SBI 2.0 chapter 8): what one
 * hart asks of another, narrowed to the VMID/ASID and address range named,
 * and the small box a hart keeps them in until it takes them at a block
 * boundary. The fences themselves are the MMU's (mmu.h); this file only
 * decides which of them a request names. */
#ifndef RVMM_CPU_HART_FENCE_H
#define RVMM_CPU_HART_FENCE_H

#include <stdbool.h>
#include <stdint.h>

struct rv_hart;

enum hart_fence_kind {
    HART_FENCE_VMA,  /* sfence.vma at V=0: the hart's own translations */
    HART_FENCE_GVMA, /* hfence.gvma: G-stage, by guest physical address */
    HART_FENCE_VVMA, /* hfence.vvma: VS-stage, by guest virtual address */
};

struct hart_fence {
    uint8_t kind;  /* enum hart_fence_kind */
    bool by_id;    /* one ASID (VMA, VVMA) or VMID (GVMA), else all */
    uint64_t id;   /* that ASID or VMID */
    uint64_t vmid; /* VVMA: the guest the ASIDs belong to */
    /* The range, as the SBI gives it: start 0 and size 0, or size ~0,
     * mean every address (SBI 2.0, 8.1). */
    uint64_t start, size;
};

/* Fences posted to a hart and not yet taken. A full box (or a request
 * for everything) becomes one full flush: never less than was asked. */
#define HART_FENCE_SLOTS 4
struct hart_fence_box {
    int lock; /* a spin lock: posters are SBI calls, rare and short */
    uint8_t n;
    bool all; /* flush everything instead */
    struct hart_fence q[HART_FENCE_SLOTS];
};

/* Ranges of more pages than this fence everything their kind names. */
#define HART_FENCE_MAX_PAGES 64

/* Applies f to h's TLB now (h is the calling thread's hart). */
void hart_fence(struct rv_hart *h, const struct hart_fence *f);
/* Posts f to h (another thread's hart) and kicks it; h applies it before
 * it runs guest code again (hart_fence_take). */
void hart_post_fence(struct rv_hart *h, const struct hart_fence *f);
/* Applies what was posted to h (called by h's own thread). */
void hart_fence_take(struct rv_hart *h);

#endif
