/* The JIT's code cache: one executable mapping filled by a bump allocator
 * and flushed whole when full (or when the block cache is flushed, since
 * blocks own their code), plus the helper-call records the code points at.
 * The first bytes hold the trampolines that enter and leave native code. */
#ifndef RVMM_CPU_JIT_JIT_CACHE_H
#define RVMM_CPU_JIT_JIT_CACHE_H

#include "cpu/block.h"
#include "cpu/decode.h"
#include "cpu/hart.h"

#include <stddef.h>
#include <stdint.h>

#define JIT_CODE_SIZE (48u << 20)
/* Enough for the largest block the translator emits (BLOCK_MAX_INSNS). */
#define JIT_BLOCK_MAX (32u << 10)
/* The data area: helper records and region sub-block copies. */
#define JIT_DATA_SIZE (32u << 20)
/* Enough for the largest region (REGION_MAX_INSNS in jit_region.h). */
#define JIT_REGION_MAX (96u << 10)
/* One decoded sub-block of a region in the scratch area, and its size. */
#define JIT_SCRATCH_BLOCK                                                                          \
    ((sizeof(struct rv_block) + (BLOCK_MAX_INSNS + 1) * sizeof(struct rv_insn) + 15) & ~(size_t)15)
#define JIT_SCRATCH_BLOCKS 32

/* The 16 bytes before each translation's code: where in it the entry for
 * direct chains is (past the page-generation guard) and where the rel32
 * of each exit's chaining jump sits (0: none). They are published with
 * the code pointer (rv_block.jit_code, a release store), so a hart that
 * links to the code or patches its exits reads one consistent set even
 * while another replaces the block's code with a region's. */
struct jit_hdr {
    uint32_t chain_entry;
    uint32_t patch[2];
    uint32_t pad;
};
_Static_assert(sizeof(struct jit_hdr) == 16, "code stays 16-byte aligned");

static inline struct jit_hdr *jit_hdr_of(const void *code)
{
    return (struct jit_hdr *)code - 1;
}

/* What native code returns to jit_exec(). */
enum jit_ret {
    JIT_RET_PLAIN = 0,  /* h->pc is set; no chaining from here */
    JIT_RET_CHAIN0 = 1, /* unchained exit 0 (fall-through) of h->jit_from */
    JIT_RET_CHAIN1 = 2, /* unchained exit 1 (taken branch / jal) of h->jit_from */
    JIT_RET_SITE = 3    /* an unchained region exit to h->pc; its jump is at h->jit_site */
};

/* The indirect-jump table: native code looks a jalr target (or any exit
 * that cannot chain) up here by virtual address, and jumps straight to the
 * block's code when the fetch TLB of the current regime still maps the
 * page to the same host page as when the run loop made the entry: exactly
 * the fast path of mmu_fetch() plus the block lookup. Only the run loop
 * fills it, with blocks it has just looked up the slow way. */
#define JIT_JT_BITS 14
struct jit_jt_entry {
    uint64_t va;
    uintptr_t addend; /* the fetch TLB entry's addend for va's page */
    const void *code;
    uint64_t pad;
};
_Static_assert(sizeof(struct jit_jt_entry) == 32, "native lookup scales the index by 32");

/* Native code keeps the hart's instret in this callee-saved register, not
 * in h->instret: one register add per block instead of a read-modify-write
 * of memory that each block's next would wait for. The trampolines load
 * and store it; around a helper call the translator stores and reloads it
 * (a helper may read or change instret, a trap does). */
#define JIT_INSTRET X64_R15

/* What native code hands the interpreter's handler of one instruction:
 * the instruction and its block, which gives the view the handler expects
 * (block_pc, block_n) and the generation its page had when translated.
 * A block's instruction lives in the block arena as long as the code, so
 * a plain call hands jit_call() just the instruction (the block is found
 * from its idx). A region's sub-blocks are decoded in scratch, so its
 * calls hand jit_rcall() a record pointing at copies in the data area
 * (the instruction, and the sub-block's header once). A cold path's
 * record (a block's: 16 bytes, the block found from the instruction)
 * also says which guest register each host register of the register
 * cache holds and which are dirty: the shared cold stub stores them back
 * and reloads them, so the cold path itself is a call and two jumps. The
 * handler runs a copy of the instruction followed by a terminator, so it
 * runs just that one. */
struct jit_rec {
    const struct rv_insn *insn;
    /* Per slot s of the register cache (RC_NPOOL = 9): bits 6s..6s+5 the
     * guest register it holds plus one (0: none); bit 54+s: dirty. Bit
     * 63: a region's record (struct jit_rrec), whose block is a copy. */
    uint64_t map;
};
_Static_assert(sizeof(struct jit_rec) == 16, "a block's record is a sixth of a copied one");
#define JIT_REC_REGION (1ULL << 63)

/* A region's record: the sub-block's header is a copy too. */
struct jit_rrec {
    struct jit_rec r;
    const struct rv_block *blk;
};

/* jit_translate.c: what the helper stubs call. jit_call and jit_rcall run
 * one instruction; jit_cold_call also moves the register cache's
 * registers (h->jit_spill) to the hart struct before and back after. */
int jit_call(struct rv_hart *h, const struct rv_insn *insn);
int jit_rcall(struct rv_hart *h, const struct jit_rrec *r);
int jit_cold_call(struct rv_hart *h, const struct jit_rec *r);

typedef int (*jit_enter_fn)(struct rv_hart *h, const void *code);

/* One block-cache generation's code (block_cache_jit()): shared by the
 * harts that share the blocks, written only under the share's mutex,
 * freed with the generation once no hart can run it. */
struct jit_code {
    uint8_t *code;
    size_t used;
    size_t fixed;  /* bytes of trampolines */
    uint8_t *data; /* JIT_DATA_SIZE bytes: records, sub-block copies */
    size_t data_used;
    jit_enter_fn enter;
    const uint8_t *exit; /* epilogue: returns eax to the caller of enter */
    const uint8_t *exit_plain;
    /* Shared helper-call stubs (rsi = the instruction or record): call_stub saves instret,
     * calls jit_call and reloads instret and the global registers;
     * cold_stub also spills and reloads the whole register cache around
     * jit_cold_call, so a cold path needs no loads or stores of its own. */
    const uint8_t *call_stub;
    const uint8_t *rcall_stub; /* call_stub for a region's record */
    const uint8_t *cold_stub;
    /* Unlinked exits (pc stored): exit_chain[k] with rax = the block
     * returns JIT_RET_CHAIN0 + k, with rax = 0 JIT_RET_PLAIN (a failed
     * stop check); exit_site with rax = the region's head and rcx = the
     * exit's rel32 returns JIT_RET_SITE. */
    const uint8_t *exit_chain[2];
    const uint8_t *exit_site;
};

/* One hart's JIT: its view of the code, its indirect-jump table and what
 * translation is configured with. */
struct jit {
    struct jit_code *c;  /* the code of the generation this hart runs, or NULL */
    uint64_t bc_flushes; /* block_cache_flushes() that c and jt belong to */
    struct jit_jt_entry *jt;
    /* Sub-blocks of the region being translated (jit_region.c). */
    uint8_t *scratch;
    /* The region exit jit_exec() came back through, to be linked to the
     * block at h->pc by the jit_prepare() that follows, or NULL. */
    uint8_t *pending_site;
    unsigned host; /* X64_HAS_* features translation may use */
    /* Interpreted runs of a block before it is translated (jit.c). */
    unsigned translate_after;
    unsigned region_hot; /* times round a loop before it is a region */
    struct jit_options opt;
    /* $RVMM_JIT_DUMP, read once at create: where to copy each block's
     * code for the JIT's own debugging, or NULL. */
    char *dump_dir;
};

/* A generation's code cache with its trampolines; freed by
 * jit_code_destroy (a block_cache_set_jit destructor). */
int jit_code_create(struct jit_code **out);
void jit_code_destroy(void *c);
/* The per-hart parts: the jump table (reset: all entries gone) and scratch. */
int jit_cache_init(struct jit *j);
void jit_cache_free(struct jit *j);
void jit_jt_reset(struct jit *j);
/* Room for one more block of code and n helper records. */
bool jit_cache_room(const struct jit_code *c, unsigned n);

static inline unsigned jit_jt_index(uint64_t va)
{
    /* Folding in the page number keeps hot targets of different pages
     * (kernel, libc, the program) apart. */
    return (unsigned)((va ^ (va >> 12)) >> 1) & ((1u << JIT_JT_BITS) - 1);
}

static inline struct jit_jt_entry *jit_jt_slot(struct jit *j, uint64_t va)
{
    return &j->jt[jit_jt_index(va)];
}

#endif
