/* What the translator's files share (jit_translate.c: the dispatch from
 * the instruction list and the block/region drivers; jit_exit.c: block
 * and region exits, branches, jumps; jit_emit.c: the native emitters of
 * ALU, multiply/divide, loads/stores and FP moves): the translation
 * context and the primitives each part uses. Internal to src/cpu/jit. */
#ifndef RVMM_CPU_JIT_JIT_TCTX_H
#define RVMM_CPU_JIT_JIT_TCTX_H

#include "cpu/interp.h"
#include "cpu/jit/jit_cache.h"
#include "cpu/jit/jit_regcache.h"
#include "cpu/jit/jit_region.h"
#include "cpu/jit/x64_emit.h"

#include <stddef.h>

/* A TLB probe computes the byte offset of va's row as (va >> TLB_ROW_SHIFT)
 * & TLB_ROW_MASK: the row number times the row's two 16-byte entries. */
#define TLB_ROW_SHIFT 7
#define TLB_ROW_MASK  ((int32_t)((TLB_ENTRIES - 1) << 5))
#define TLB_WAY1      16 /* way 1's entry, from way 0's */

#define HOFF(f)  ((int32_t)offsetof(struct rv_hart, f))
#define HM(f)    x64_m(X64_RBX, HOFF(f))
#define MAX_COLD (2 * REGION_MAX_INSNS)

/* A slow path emitted after the block body: jumped to from `site`, it
 * writes the register cache back (all but slot `skip`, which holds no
 * value yet), calls the handler of instruction `idx`, reloads the cache
 * as `rc` describes it and resumes at `resume`. */
struct cold {
    size_t site, resume;
    /* A TLB probe's miss in way 0 (way1 != 0): the path first compares rdx
     * with the entry at rax + rcx + way1 and on a hit loads its addend into
     * rdx and goes back to `back`. */
    int32_t way1;
    size_t back;
    const struct rv_block *blk; /* the (sub-)block of instruction idx */
    unsigned idx;
    int skip;
    struct regcache rc;
    /* A TLB probe's miss (jit_emit.c): an access of misaligned_size > 1
     * bytes that misses only by misalignment, within one page, goes back
     * to `hit` with the entry at tlb_off from the set (rax + rcx). */
    unsigned misaligned_size;
    int32_t tlb_off;
    size_t hit;
};

/* What translation knows of the vector state at the current point of a
 * block (jit_emit_vec.c): VS is on and Dirty and vstart is 0 (vs_ok);
 * vtype holds `vtype` (vtype_known); vl is VLMAX for it (vlmax). */
struct jit_vknow {
    bool vs_ok, vtype_known, vlmax;
    uint64_t vtype;
};

struct tctx {
    struct jit *j;
    struct rv_hart *h;
    struct rv_block *b; /* the block, or the region's current sub-block */
    struct x64_buf buf;
    struct cold cold[MAX_COLD];
    unsigned ncold;
    struct regcache rc;
    struct jit_hdr hdr; /* written before the code once it is complete */
    /* Translating a region: its plan, the sub-block being emitted, whether
     * anything since the last jump may have stored (then even a forward
     * edge checks the stop word, which such a store into the page zeroes),
     * each sub-block's code offset and the jumps to patch to them. */
    const struct region *r;
    struct rv_block *head;
    unsigned cur;
    bool skip_next; /* the next sub-block was emitted by if-conversion */
    bool wrote;
    size_t label[REGION_MAX_SUBS];
    size_t fix_site[2 * REGION_MAX_SUBS];
    unsigned fix_to[2 * REGION_MAX_SUBS];
    unsigned nfix;
    /* The region's sub-blocks copied to the data area for records. */
    const struct rv_block *copy_from[REGION_MAX_SUBS];
    const struct rv_block *copy[REGION_MAX_SUBS];
    unsigned ncopy;
    struct jit_vknow vk;
};

/* A guest register as a source or destination host register (needs
 * `b` = &t->buf in scope); FM is an f register's slot in the hart. */
#define SRC(r) rc_src(b, &t->rc, (r))
#define DST(r) rc_dst(b, &t->rc, (r), NULL)
#define FM(r)  x64_m(X64_RBX, HOFF(f) + 8 * (int32_t)(r))

/* The emitter kinds of the instruction list's JIT column (N(kind, ...)). */
enum jit_kind {
    JK_HELP,
    JK_lui,
    JK_auipc,
    JK_jal,
    JK_jalr,
    JK_branch,
    JK_load,
    JK_store,
    JK_fp_mem,
    JK_alu,
    JK_set,
    JK_shift,
    JK_mul,
    JK_mulh,
    JK_div,
    JK_fsgnj_d,
    JK_fmv_d,
    JK_fence,
    /* jit_emit_bit.c */
    JK_shadd,
    JK_slli_uw,
    JK_logic_n,
    JK_count,
    JK_minmax,
    JK_ext,
    JK_rot,
    JK_rev8,
    JK_bit,
    JK_czero,
    /* jit_emit_vec.c */
    JK_vset,
    JK_vmem,
    JK_varith,
    JK_vred,
    JK_vcmp,
};

/* The operations and operand forms of the N(varith, op, form, 0) and
 * N(vred, op, 0, 0) rows (jit_emit_vec.c). */
enum jit_vop {
    JV_ADD,
    JV_SUB,
    JV_RSUB,
    JV_AND,
    JV_OR,
    JV_XOR,
    JV_MINU,
    JV_MIN,
    JV_MAXU,
    JV_MAX,
    JV_MUL,
    JV_SLL,
    JV_SRL,
    JV_SRA,
    JV_MACC,  /* vd + vs1 * vs2 */
    JV_NMSAC, /* vd - vs1 * vs2 */
    JV_MADD,  /* vs1 * vd + vs2 */
    JV_NMSUB, /* vs2 - vs1 * vd */
    JV_MV,
};
enum jit_vform { JV_VV, JV_VX, JV_VI };
/* The compares of the N(vcmp, cmp, form, 0) rows: vs2 cmp (vs1 | x | imm). */
enum jit_vcmp { JC_EQ, JC_NE, JC_LTU, JC_LT, JC_LEU, JC_LE, JC_GTU, JC_GT };

/* jit_translate.c: primitives */
struct cold *jit_new_cold(struct tctx *t, size_t site, unsigned idx);
uint8_t *jit_at(struct tctx *t, size_t off);
/* here = the jump at `site` lands at the current end of the buffer. */
void jit_land(struct tctx *t, size_t site);
/* A jcc to the run loop's plain exit (h->pc already stored). */
void jit_jcc_exit(struct tctx *t, enum x64_cc cc);
void jit_store_pc(struct tctx *t, uint64_t pc);
/* Counts a native jump to another block (jit_options.counting). */
void jit_count_hit(struct tctx *t);
/* Calls instruction idx's handler; leaves the block when it returns nonzero. */
void jit_emit_helper(struct tctx *t, unsigned idx);
/* Before a call: the hart struct gets every dirty register. */
void jit_flush_regs(struct tctx *t);
/* Before leaving for another block: all but the globals, which stay. */
void jit_flush_exit(struct tctx *t);
/* Emits instruction idx; returns true when it ended the block. */
bool jit_emit_insn(struct tctx *t, unsigned idx);

/* jit_exit.c */
void jit_emit_irq_check(struct tctx *t);
void jit_emit_lookup_exit(struct tctx *t);
void jit_emit_chain_exit(struct tctx *t, unsigned k, uint64_t target);
void jit_region_edge(struct tctx *t, uint64_t target, bool last);
void jit_emit_branch(struct tctx *t, const struct rv_insn *i, enum x64_cc cc);
void jit_emit_jalr(struct tctx *t, const struct rv_insn *i);

/* jit_emit.c */
void jit_emit_load(struct tctx *t, unsigned idx, unsigned size, bool sign);
void jit_emit_store(struct tctx *t, unsigned idx, unsigned size);
void jit_emit_fp_access(struct tctx *t, unsigned idx, unsigned size, bool store);
/* The start of a TLB probe's cold path: the way-1 hit (struct cold.way1). */
void jit_emit_tlb_way1(struct tctx *t, const struct cold *c);
void jit_emit_fsgnj_d(struct tctx *t, unsigned idx, int k);
void jit_emit_fmv_d(struct tctx *t, unsigned idx, bool to_x);
void jit_emit_fence(struct tctx *t, const struct rv_insn *i);
void jit_emit_alu(struct tctx *t, const struct rv_insn *i, enum x64_alu op, bool imm, bool w32);
void jit_emit_shift(struct tctx *t, const struct rv_insn *i, enum x64_shift op, bool imm, bool w32);
/* rd = rs1 op (imm or rs2) through RAX (the count in CL), written whole or,
 * for a W form, sign-extended from the low word: shifts and rotates. */
void jit_emit_shift_rax(struct tctx *t, const struct rv_insn *i, enum x64_shift op, bool imm,
                        bool w32);
void jit_emit_set(struct tctx *t, const struct rv_insn *i, enum x64_cc cc, bool imm);
void jit_emit_mul(struct tctx *t, const struct rv_insn *i, bool w32);
void jit_emit_mulh(struct tctx *t, const struct rv_insn *i, bool sign);
void jit_emit_div(struct tctx *t, const struct rv_insn *i, bool sign, bool rem, bool w32);
bool jit_emit_extend_pair(struct tctx *t, unsigned idx);
/* The inline TLB probe (address in rsi; rdx = the addend on a hit). */
struct cold *jit_emit_tlb_probe(struct tctx *t, unsigned idx, unsigned size, bool write);

/* jit_emit_bit.c: kind is a JK_ of that file, a-c the row's operands.
 * False when it emitted nothing (the handler must run instead). */
bool jit_emit_bit(struct tctx *t, const struct rv_insn *i, unsigned kind, unsigned a, unsigned b,
                  unsigned c);

/* jit_emit_vec.c: kind is a JK_v* of that file, a-c the row's operands.
 * False when it emitted nothing (the handler must run instead). */
bool jit_emit_vec(struct tctx *t, unsigned idx, unsigned kind, unsigned a, unsigned b, unsigned c);
/* After instruction idx ran through its handler: what stays known. */
void jit_vec_after_helper(struct tctx *t, unsigned idx);
/* Nothing is known (a label other code may jump to). */
static inline void jit_vec_forget(struct tctx *t)
{
    t->vk = (struct jit_vknow){0};
}

#endif
