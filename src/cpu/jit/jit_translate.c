/* The translator: one predecoded block (block.c) becomes x86-64 code.
 * Guest registers live in the hart struct, addressed from rbx, and are
 * cached in host registers within a block (jit_regcache.h); rax, rcx, rdx,
 * rsi are scratch. Integer ALU, M multiplies, branches, jumps and
 * integer loads/stores run native, loads/stores through an inline TLB probe
 * whose miss calls the interpreter's handler; every other instruction calls
 * its interpreter handler through a one-instruction record, so each
 * instruction keeps one reference semantics. Traps are precise because a
 * handler sees block_pc/block_n as the interpreter sets them and instret
 * was bumped by the block's length on entry, exactly as exec_block does. */
#include "cpu/jit/jit_translate.h"

#include "cpu/interp.h"
#include "cpu/jit/jit_regcache.h"
#include "cpu/jit/jit_region.h"
#include "cpu/jit/x64_emit.h"

#include <stddef.h>
#include <string.h>

/* What the generated code relies on (ABI asserts). */
_Static_assert(sizeof(struct tlb_entry) == 16, "TLB probe scales the index by 16");
_Static_assert(offsetof(struct tlb_entry, addend) == 8, "TLB probe reads the addend at +8");
/* A TLB probe computes the entry's byte offset as (va >> 8) & TLB_MASK16:
 * the page number times the 16-byte entry. */
#define TLB_MASK16 ((int32_t)((TLB_ENTRIES - 1) << 4))
_Static_assert(TLB_BITS <= 16, "TLB entry offsets fit a disp32");
_Static_assert(offsetof(struct tlb_set, r) == 0, "read entries first");
_Static_assert(offsetof(struct tlb_set, w) == TLB_ENTRIES * 16, "write entries follow");
_Static_assert(offsetof(struct tlb_set, x) == 2 * TLB_ENTRIES * 16, "fetch entries last");
_Static_assert(sizeof(struct rv_hart) < (1u << 30), "hart fields are disp32 from rbx");

#define HOFF(f)  ((int32_t)offsetof(struct rv_hart, f))
#define HM(f)    x64_m(X64_RBX, HOFF(f))
#define MAX_COLD (2 * REGION_MAX_INSNS)

/* A slow path emitted after the block body: jumped to from `site`, it
 * writes the register cache back (all but slot `skip`, which holds no
 * value yet), calls the handler of instruction `idx`, reloads the cache
 * as `rc` describes it and resumes at `resume`. */
struct cold {
    size_t site, resume;
    const struct rv_block *blk; /* the (sub-)block of instruction idx */
    unsigned idx;
    int skip;
    struct regcache rc;
};

struct tctx {
    struct jit *j;
    struct rv_hart *h;
    struct rv_block *b; /* the block, or the region's current sub-block */
    struct x64_buf buf;
    struct cold cold[MAX_COLD];
    unsigned ncold;
    struct regcache rc;
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
};

static struct cold *new_cold(struct tctx *t, size_t site, unsigned idx)
{
    struct cold *c = &t->cold[t->ncold++];
    c->site = site;
    c->blk = t->b;
    c->idx = idx;
    c->skip = -1;
    c->rc = t->rc;
    return c;
}

static bool counting;

bool jit_counting(void)
{
    return counting;
}

void jit_set_counting(bool on)
{
    counting = on;
}

/* Counts a native jump to another block (jit_set_counting). */
static void count_hit(struct tctx *t)
{
    if (counting) x64_alu_mi(&t->buf, true, X64_ADD, HM(stats.jit_chain_hits), 1);
}

int jit_insn_done(struct rv_hart *h, const struct rv_insn *i)
{
    return 0;
}

static uint8_t *at(struct tctx *t, size_t off)
{
    return t->buf.start + off;
}

/* here = the jump at `site` lands at the current end of the buffer. */
static void land(struct tctx *t, size_t site)
{
    if (!t->buf.full) x64_patch_rel32(at(t, site), t->buf.p);
}

/* A jump to exit_plain: when the buffer is short, each goes via a shared
 * rel32 patched once the final address is known. */
static void jcc_exit(struct tctx *t, enum x64_cc cc)
{
    size_t site = x64_jcc(&t->buf, cc);
    if (!t->buf.full) x64_patch_rel32(at(t, site), t->j->exit_plain);
}

static void store_pc(struct tctx *t, uint64_t pc)
{
    if ((int64_t)pc == (int64_t)(int32_t)pc) {
        x64_store_imm(&t->buf, true, HM(pc), (int32_t)pc);
    } else {
        x64_mov_imm(&t->buf, X64_RAX, pc);
        x64_store(&t->buf, true, HM(pc), X64_RAX);
    }
}

/* The address of the running block's page generation. */
static uint64_t gen_addr(const struct tctx *t)
{
    uint64_t page = (t->b->pa - t->h->ram->base) >> RAM_PAGE_SHIFT;
    return (uint64_t)(uintptr_t)&t->h->ram->code_gen[page];
}

/* The one C function native code calls: runs a record's instruction. One
 * that went on may have stored into the running block's page: the block
 * runs to its end, as in the interpreter, but its exits must not chain
 * into the page's other blocks, which skip their guard, so the stop word
 * is zeroed. */
static int jit_call(struct rv_hart *h, const struct jit_rec *r)
{
    h->block_pc = r->block_pc;
    h->block_n = r->block_n;
    int rc = r->insn[0].fn(h, &r->insn[0]);
    if (!rc && __atomic_load_n(r->gen_ptr, __ATOMIC_ACQUIRE) != r->gen) h->jit_stop = 0;
    return rc;
}

/* Calls instruction idx's interpreter handler. Leaves eax = its result. */
static void emit_helper_call(struct tctx *t, unsigned idx)
{
    struct jit *j = t->j;
    struct jit_rec *rec = &j->data[j->data_used++];
    rec->insn[0] = t->b->insns[idx];
    rec->insn[1] = (struct rv_insn){.fn = jit_insn_done, .idx = (uint8_t)(idx + 1)};
    rec->block_pc = t->b->va;
    rec->block_n = t->b->n;
    rec->gen_ptr = (const uint32_t *)(uintptr_t)gen_addr(t);
    rec->gen = t->b->gen;
    struct x64_buf *b = &t->buf;
    x64_mov_rr(b, true, X64_RDI, X64_RBX);
    x64_mov_imm(b, X64_RSI, (uint64_t)(uintptr_t)rec);
    x64_mov_imm(b, X64_RAX, (uint64_t)(uintptr_t)jit_call);
    x64_store(b, true, HM(instret), JIT_INSTRET);
    x64_call_r(b, X64_RAX);
    x64_load(b, true, JIT_INSTRET, HM(instret));
    rc_load_globals(b); /* the handler may have written one */
}

/* A helper-run instruction inside the block: a nonzero result means it
 * left the block (trap, or it set the pc itself). */
static void emit_helper(struct tctx *t, unsigned idx)
{
    emit_helper_call(t, idx);
    x64_test_rr(&t->buf, false, X64_RAX, X64_RAX);
    jcc_exit(t, X64_CC_NE);
}

/* Before a call: the hart struct gets every dirty register. */
static void flush_regs(struct tctx *t)
{
    rc_writeback(&t->buf, &t->rc, -1);
    rc_clean(&t->rc);
}

/* Before leaving for another block: all but the globals, which stay. */
static void flush_exit(struct tctx *t)
{
    rc_writeback_exit(&t->buf, &t->rc);
    rc_clean(&t->rc);
}

/* An instruction run by its handler: it reads and writes the hart struct,
 * and the call clobbers caller-saved host registers, so the cache starts
 * over after it. */
static void emit_helper_insn(struct tctx *t, unsigned idx)
{
    flush_regs(t);
    emit_helper(t, idx);
    t->wrote = true;
    if (t->r)
        rc_rebase(&t->buf, &t->rc, true);
    else
        rc_reset(&t->rc);
}

/* What native code checks before going on to the next block itself: the
 * stop word (hart.h), which stands for the budget and for everything
 * posted to the run loop. Failing returns to the run loop; h->pc is set. */
static void emit_stop_check(struct tctx *t)
{
    struct x64_buf *b = &t->buf;
    x64_alu_rm(b, true, X64_CMP, JIT_INSTRET, HM(jit_stop));
    jcc_exit(t, X64_CC_AE);
}

/* After a system instruction (a CSR write may have enabled an interrupt
 * already pending): the run loop takes it, as after any such block. */
static void emit_irq_check(struct tctx *t)
{
    struct x64_buf *b = &t->buf;
    x64_load(b, true, X64_RAX, HM(irq_lines));
    x64_alu_rm(b, true, X64_OR, X64_RAX, HM(mip));
    x64_test_rm(b, true, X64_RAX, HM(mie));
    jcc_exit(t, X64_CC_NE);
}

/* An exit to wherever h->pc now points (jalr, a block that cannot chain):
 * through the indirect-jump table when it knows the pc and the fetch TLB
 * still maps its page the same way, else back to the run loop. The
 * register cache is written back by now, so its host registers are free. */
static void emit_lookup_exit(struct tctx *t)
{
    struct x64_buf *b = &t->buf;
    int32_t x = (int32_t)offsetof(struct tlb_set, x);
    emit_stop_check(t);
    x64_load(b, true, X64_RAX, HM(pc));
    x64_mov_rr(b, true, X64_RCX, X64_RAX); /* rcx = jit_jt_slot() index * 32 */
    x64_shift_ri(b, true, X64_SHR, X64_RCX, 12);
    x64_alu_rr(b, true, X64_XOR, X64_RCX, X64_RAX);
    x64_shift_ri(b, false, X64_SHL, X64_RCX, 4);
    x64_alu_ri(b, false, X64_AND, X64_RCX, ((1 << JIT_JT_BITS) - 1) << 5);
    x64_mov_imm(b, X64_RDX, (uint64_t)(uintptr_t)t->j->jt);
    x64_alu_rm(b, true, X64_CMP, X64_RAX, x64_mi(X64_RDX, X64_RCX, 0, 0));
    jcc_exit(t, X64_CC_NE);
    /* mmu_fetch's TLB hit: tag equal to the page, and the same addend. */
    x64_load(b, true, X64_R8, HM(itlb));
    x64_mov_rr(b, false, X64_R9, X64_RAX);
    x64_shift_ri(b, false, X64_SHR, X64_R9, 8);
    x64_alu_ri(b, false, X64_AND, X64_R9, TLB_MASK16);
    x64_alu_ri(b, true, X64_AND, X64_RAX, (int32_t)0xfffff000u);
    x64_alu_rm(b, true, X64_CMP, X64_RAX, x64_mi(X64_R8, X64_R9, 0, x));
    jcc_exit(t, X64_CC_NE);
    x64_load(b, true, X64_RAX, x64_mi(X64_R8, X64_R9, 0, x + 8));
    x64_alu_rm(b, true, X64_CMP, X64_RAX, x64_mi(X64_RDX, X64_RCX, 0, 8));
    jcc_exit(t, X64_CC_NE);
    count_hit(t);
    x64_jmp_m(b, x64_mi(X64_RDX, X64_RCX, 0, 16));
}

/* emit_lookup_exit for a target known now (a direct jump to another
 * page): the table slot and the TLB index are constants. */
static void emit_lookup_exit_to(struct tctx *t, uint64_t target)
{
    struct x64_buf *b = &t->buf;
    int32_t x =
        (int32_t)offsetof(struct tlb_set, x) + (int32_t)(((target >> 12) & (TLB_ENTRIES - 1)) << 4);
    emit_stop_check(t);
    x64_mov_imm(b, X64_RDX, (uint64_t)(uintptr_t)jit_jt_slot(t->j, target));
    x64_mov_imm(b, X64_RAX, target);
    x64_alu_rm(b, true, X64_CMP, X64_RAX, x64_m(X64_RDX, 0));
    jcc_exit(t, X64_CC_NE);
    x64_load(b, true, X64_R8, HM(itlb));
    x64_alu_ri(b, true, X64_AND, X64_RAX, (int32_t)0xfffff000u);
    x64_alu_rm(b, true, X64_CMP, X64_RAX, x64_m(X64_R8, x));
    jcc_exit(t, X64_CC_NE);
    x64_load(b, true, X64_RAX, x64_m(X64_R8, x + 8));
    x64_alu_rm(b, true, X64_CMP, X64_RAX, x64_m(X64_RDX, 8));
    jcc_exit(t, X64_CC_NE);
    count_hit(t);
    x64_jmp_m(b, x64_m(X64_RDX, 16));
}

/* Where an unlinked jump leads until jit_prepare() links it: back to the
 * run loop saying which block left (jit_from) and how (ret). */
static void emit_unlinked_stub(struct tctx *t, const struct rv_block *from, enum jit_ret ret)
{
    struct x64_buf *b = &t->buf;
    x64_mov_imm(b, X64_RAX, (uint64_t)(uintptr_t)from);
    x64_store(b, true, HM(jit_from), X64_RAX);
    x64_mov_imm(b, X64_RAX, ret);
    size_t e = x64_jmp(b);
    if (!b->full) x64_patch_rel32(at(t, e), t->j->exit);
}

/* The block's exit towards `target` through chaining slot k. The jump
 * first leads to a stub returning JIT_RET_CHAIN0+k; jit_prepare() patches
 * it to the next block's code once that exists. */
static void emit_chain_exit(struct tctx *t, unsigned k, uint64_t target)
{
    struct x64_buf *b = &t->buf;
    /* Only a same-page successor keeps this block's translation (the run
     * loop's chaining rule); others go through the lookup. */
    if ((target ^ t->b->va) & ~0xfffULL) {
        store_pc(t, target);
        emit_lookup_exit_to(t, target);
        return;
    }
    /* The chained path needs no pc: only the two ways back to the run
     * loop store it. */
    x64_alu_rm(b, true, X64_CMP, JIT_INSTRET, HM(jit_stop));
    size_t stop = x64_jcc(b, X64_CC_AE);
    count_hit(t); /* jit_exec takes it back when the jump is not linked yet */
    size_t site = x64_jmp(b);
    t->b->jit_patch[k] = (uint32_t)site;
    land(t, stop);
    store_pc(t, target);
    size_t plain = x64_jmp(b);
    if (!b->full) x64_patch_rel32(at(t, plain), t->j->exit_plain);
    land(t, site);
    store_pc(t, target);
    emit_unlinked_stub(t, t->b, (enum jit_ret)(JIT_RET_CHAIN0 + k));
}

#define SRC(r) rc_src(b, &t->rc, (r))
#define DST(r) rc_dst(b, &t->rc, (r), NULL)

/* rsi = rs1 + imm, the effective address. */
static void emit_ea(struct tctx *t, const struct rv_insn *i)
{
    struct x64_buf *b = &t->buf;
    if (i->imm)
        x64_lea(b, true, X64_RSI, x64_m(SRC(i->rs1), i->imm));
    else
        x64_mov_rr(b, true, X64_RSI, SRC(i->rs1));
}

/* The inline TLB probe (interp_load/interp_store's fast path): rdx = the
 * entry's addend on a hit; a miss (or a misaligned access, whose low bits
 * make the tag differ) goes to the cold path, which runs the handler. */
static struct cold *emit_tlb_probe(struct tctx *t, unsigned idx, unsigned size, bool write)
{
    struct x64_buf *b = &t->buf;
    int32_t base = write ? TLB_ENTRIES * 16 : 0;
    x64_load(b, true, X64_RAX, HM(dtlb));
    x64_mov_rr(b, false, X64_RCX, X64_RSI);
    x64_shift_ri(b, false, X64_SHR, X64_RCX, 8);
    x64_alu_ri(b, false, X64_AND, X64_RCX, TLB_MASK16);
    x64_mov_rr(b, true, X64_RDX, X64_RSI);
    x64_alu_ri(b, true, X64_AND, X64_RDX, (int32_t)(0xfffff000u | (size - 1)));
    x64_alu_rm(b, true, X64_CMP, X64_RDX, x64_mi(X64_RAX, X64_RCX, 0, base));
    struct cold *c = new_cold(t, x64_jcc(b, X64_CC_NE), idx);
    if (write) t->wrote = true;
    x64_load(b, true, X64_RDX, x64_mi(X64_RAX, X64_RCX, 0, base + 8));
    return c;
}

static void emit_load(struct tctx *t, unsigned idx, unsigned size, bool sign)
{
    struct x64_buf *b = &t->buf;
    const struct rv_insn *i = &t->b->insns[idx];
    emit_ea(t, i);
    /* rd's register is taken before the probe, so an eviction it causes
     * happens on both paths. */
    bool fresh;
    enum x64_reg d = rc_dst(b, &t->rc, i->rd, &fresh);
    struct cold *c = emit_tlb_probe(t, idx, size, false);
    if (fresh) c->skip = t->rc.slot[i->rd];
    x64_load_ext(b, d, x64_mi(X64_RDX, X64_RSI, 0, 0), size, sign);
    c->resume = x64_offset(b);
}

static void emit_store(struct tctx *t, unsigned idx, unsigned size)
{
    struct x64_buf *b = &t->buf;
    const struct rv_insn *i = &t->b->insns[idx];
    emit_ea(t, i);
    enum x64_reg v = SRC(i->rs2);
    struct cold *c = emit_tlb_probe(t, idx, size, true);
    x64_store_sized(b, x64_mi(X64_RDX, X64_RSI, 0, 0), v, size);
    c->resume = x64_offset(b);
}

#define FM(r) x64_m(X64_RBX, HOFF(f) + 8 * (int32_t)(r))

/* mstatus.FS Off: the cold path runs the handler, which raises an illegal
 * instruction. */
static struct cold *emit_fs_check(struct tctx *t, unsigned idx)
{
    struct x64_buf *b = &t->buf;
    x64_load(b, false, X64_RAX, HM(mstatus));
    x64_alu_ri(b, false, X64_AND, X64_RAX, (int32_t)MSTATUS_FS);
    return new_cold(t, x64_jcc(b, X64_CC_E), idx);
}

static void emit_fs_dirty(struct tctx *t)
{
    x64_alu_mi(&t->buf, true, X64_OR, HM(mstatus), (int32_t)MSTATUS_FS);
}

/* Sign injection on doubles (unpriv spec 13.7 via 11.6): bit operations,
 * no flags. k: 0 sgnj, 1 sgnjn, 2 sgnjx. */
static void emit_fsgnj_d(struct tctx *t, unsigned idx, int k)
{
    struct x64_buf *b = &t->buf;
    const struct rv_insn *i = &t->b->insns[idx];
    struct cold *off = emit_fs_check(t, idx);
    x64_load(b, true, X64_RAX, FM(i->rs1));
    x64_load(b, true, X64_RCX, FM(i->rs2));
    if (k == 1) x64_alu_ri(b, true, X64_XOR, X64_RCX, -1);
    if (k == 2) x64_alu_rr(b, true, X64_XOR, X64_RCX, X64_RAX);
    x64_mov_imm(b, X64_RDX, 0x7fffffffffffffffULL);
    x64_alu_rr(b, true, X64_AND, X64_RAX, X64_RDX);
    x64_alu_ri(b, true, X64_XOR, X64_RDX, -1); /* the sign bit */
    x64_alu_rr(b, true, X64_AND, X64_RCX, X64_RDX);
    x64_alu_rr(b, true, X64_OR, X64_RAX, X64_RCX);
    x64_store(b, true, FM(i->rd), X64_RAX);
    emit_fs_dirty(t);
    off->resume = x64_offset(b);
}

/* fmv.x.d / fmv.d.x: bit copies; only the move into f marks FS dirty. */
static void emit_fmv_d(struct tctx *t, unsigned idx, bool to_x)
{
    struct x64_buf *b = &t->buf;
    const struct rv_insn *i = &t->b->insns[idx];
    if (to_x) {
        bool fresh;
        enum x64_reg d = rc_dst(b, &t->rc, i->rd, &fresh);
        struct cold *off = emit_fs_check(t, idx);
        if (fresh) off->skip = t->rc.slot[i->rd];
        x64_load(b, true, d, FM(i->rs1));
        off->resume = x64_offset(b);
        return;
    }
    enum x64_reg v = SRC(i->rs1);
    struct cold *off = emit_fs_check(t, idx);
    x64_store(b, true, FM(i->rd), v);
    emit_fs_dirty(t);
    off->resume = x64_offset(b);
}

/* FP instructions whose handlers read and write only f registers, fflags,
 * frm and mstatus: a helper call keeps the integer registers cached in
 * callee-saved host registers. */
static bool fp_only(unsigned op)
{
    switch (op) {
    case RV_OP_fadd_s:
    case RV_OP_fsub_s:
    case RV_OP_fmul_s:
    case RV_OP_fdiv_s:
    case RV_OP_fsqrt_s:
    case RV_OP_fmin_s:
    case RV_OP_fmax_s:
    case RV_OP_fsgnj_s:
    case RV_OP_fsgnjn_s:
    case RV_OP_fsgnjx_s:
    case RV_OP_fmadd_s:
    case RV_OP_fmsub_s:
    case RV_OP_fnmsub_s:
    case RV_OP_fnmadd_s:
    case RV_OP_fadd_d:
    case RV_OP_fsub_d:
    case RV_OP_fmul_d:
    case RV_OP_fdiv_d:
    case RV_OP_fsqrt_d:
    case RV_OP_fmin_d:
    case RV_OP_fmax_d:
    case RV_OP_fmadd_d:
    case RV_OP_fmsub_d:
    case RV_OP_fnmsub_d:
    case RV_OP_fnmadd_d:
    case RV_OP_fcvt_s_d:
    case RV_OP_fcvt_d_s: return true;
    default: return false;
    }
}

/* FP loads and stores (unpriv spec 12.5, 13.3): the interpreter's handler
 * when mstatus.FS is Off (illegal instruction) or the TLB misses; a load
 * NaN-boxes a single and marks FS dirty, as interp_flw/interp_fld do. */
static void emit_fp_access(struct tctx *t, unsigned idx, unsigned size, bool store)
{
    struct x64_buf *b = &t->buf;
    const struct rv_insn *i = &t->b->insns[idx];
    struct cold *off = emit_fs_check(t, idx);
    emit_ea(t, i);
    struct cold *c = emit_tlb_probe(t, idx, size, store);
    if (store) {
        x64_load(b, true, X64_RAX, FM(i->rs2));
        x64_store_sized(b, x64_mi(X64_RDX, X64_RSI, 0, 0), X64_RAX, size);
    } else {
        x64_load_ext(b, X64_RAX, x64_mi(X64_RDX, X64_RSI, 0, 0), size, false);
        if (size == 4) {
            x64_mov_imm(b, X64_RCX, 0xffffffff00000000ULL);
            x64_alu_rr(b, true, X64_OR, X64_RAX, X64_RCX);
        }
        x64_store(b, true, FM(i->rd), X64_RAX);
        emit_fs_dirty(t);
    }
    c->resume = off->resume = x64_offset(b);
}

/* x0 as an operand of add, or, xor (li, mv, c.mv): rd is a constant or a
 * copy. Returns false for any other case. */
static bool emit_alu_x0(struct tctx *t, const struct rv_insn *i, enum x64_alu op, bool imm,
                        bool w32)
{
    struct x64_buf *b = &t->buf;
    if (op != X64_ADD && op != X64_OR && op != X64_XOR) return false;
    if (imm && i->rs1 == 0) { /* a 12-bit immediate: the same sign-extended in 32 or 64 bits */
        x64_mov_imm(b, DST(i->rd), (uint64_t)(int64_t)i->imm);
        return true;
    }
    if (imm || (i->rs1 != 0 && i->rs2 != 0)) return false;
    enum x64_reg s = SRC(i->rs1 ? i->rs1 : i->rs2);
    enum x64_reg d = DST(i->rd);
    if (w32)
        x64_movsxd(b, d, s);
    else if (d != s)
        x64_mov_rr(b, true, d, s);
    return true;
}

/* rd = op(rs1, rs2) or op(rs1, imm); w32 sign-extends a 32-bit result. */
static void emit_alu(struct tctx *t, const struct rv_insn *i, enum x64_alu op, bool imm, bool w32)
{
    struct x64_buf *b = &t->buf;
    if (emit_alu_x0(t, i, op, imm, w32)) return;
    enum x64_reg a = SRC(i->rs1);
    enum x64_reg c = imm ? X64_RAX : SRC(i->rs2);
    enum x64_reg d = DST(i->rd);
    if (!w32 && d == a) {
        if (imm)
            x64_alu_ri(b, true, op, d, i->imm);
        else
            x64_alu_rr(b, true, op, d, c);
        return;
    }
    if (w32 && op == X64_ADD && imm && i->imm == 0) { /* sext.w */
        x64_movsxd(b, d, a);
        return;
    }
    /* Three-operand add (addi/add, addiw/addw, mv, li) is one lea. */
    if (op == X64_ADD) {
        struct x64_mem m = imm ? x64_m(a, i->imm) : x64_mi(a, c, 0, 0);
        if (w32) {
            x64_lea(b, false, X64_RAX, m);
            x64_movsxd(b, d, X64_RAX);
        } else {
            x64_lea(b, true, d, m);
        }
        return;
    }
    if (!w32 && (imm || d != c)) { /* rd = rs1 first: rd is neither source after */
        x64_mov_rr(b, true, d, a);
        if (imm)
            x64_alu_ri(b, true, op, d, i->imm);
        else
            x64_alu_rr(b, true, op, d, c);
        return;
    }
    if (!w32 && op != X64_SUB) { /* rd == rs2, commutative */
        x64_alu_rr(b, true, op, d, a);
        return;
    }
    x64_mov_rr(b, !w32, X64_RAX, a);
    if (imm)
        x64_alu_ri(b, !w32, op, X64_RAX, i->imm);
    else
        x64_alu_rr(b, !w32, op, X64_RAX, c);
    if (w32)
        x64_movsxd(b, d, X64_RAX);
    else
        x64_mov_rr(b, true, d, X64_RAX);
}

static void emit_shift(struct tctx *t, const struct rv_insn *i, enum x64_shift op, bool imm,
                       bool w32)
{
    struct x64_buf *b = &t->buf;
    enum x64_reg a = SRC(i->rs1);
    /* x86 masks the count to 6 (5) bits as RISC-V does. */
    if (!imm) x64_mov_rr(b, false, X64_RCX, SRC(i->rs2));
    enum x64_reg d = DST(i->rd);
    if (imm && !w32) { /* in place in rd */
        if (d != a) x64_mov_rr(b, true, d, a);
        x64_shift_ri(b, true, op, d, (uint8_t)i->imm);
        return;
    }
    x64_mov_rr(b, !w32, X64_RAX, a);
    if (imm)
        x64_shift_ri(b, !w32, op, X64_RAX, (uint8_t)i->imm);
    else
        x64_shift_cl(b, !w32, op, X64_RAX);
    if (w32)
        x64_movsxd(b, d, X64_RAX);
    else
        x64_mov_rr(b, true, d, X64_RAX);
}

static void emit_set(struct tctx *t, const struct rv_insn *i, enum x64_cc cc, bool imm)
{
    struct x64_buf *b = &t->buf;
    enum x64_reg a = SRC(i->rs1);
    if (imm)
        x64_alu_ri(b, true, X64_CMP, a, i->imm);
    else
        x64_alu_rr(b, true, X64_CMP, a, SRC(i->rs2));
    enum x64_reg d = DST(i->rd);
    x64_setcc(b, cc, X64_RAX);
    x64_movzx8(b, d, X64_RAX);
}

static void emit_mul(struct tctx *t, const struct rv_insn *i, bool w32)
{
    struct x64_buf *b = &t->buf;
    enum x64_reg a = SRC(i->rs1), c = SRC(i->rs2), d = DST(i->rd);
    x64_mov_rr(b, !w32, X64_RAX, a);
    x64_imul_rr(b, !w32, X64_RAX, c);
    if (w32)
        x64_movsxd(b, d, X64_RAX);
    else
        x64_mov_rr(b, true, d, X64_RAX);
}

static void emit_mulh(struct tctx *t, const struct rv_insn *i, bool sign)
{
    struct x64_buf *b = &t->buf;
    enum x64_reg a = SRC(i->rs1), c = SRC(i->rs2), d = DST(i->rd);
    x64_mov_rr(b, true, X64_RAX, a);
    x64_mul_wide(b, sign, c);
    x64_mov_rr(b, true, d, X64_RDX);
}

/* Divides and remainders (unpriv spec table 13.1), which x86 traps on: a
 * zero divisor gives all ones (quotient) or the dividend (remainder); a
 * signed divide by -1, the only overflow case, gives the negated dividend
 * (wrapping) and remainder 0. w32 divides the low words and sign-extends. */
static void emit_div(struct tctx *t, const struct rv_insn *i, bool sign, bool rem, bool w32)
{
    struct x64_buf *b = &t->buf;
    bool w = !w32;
    enum x64_reg a = SRC(i->rs1), c = SRC(i->rs2), d = DST(i->rd);
    x64_mov_rr(b, w, X64_RAX, a);
    x64_test_rr(b, w, c, c);
    size_t zero = x64_jcc(b, X64_CC_E), minus1_done = 0;
    if (sign) {
        x64_alu_ri(b, w, X64_CMP, c, -1);
        size_t normal = x64_jcc(b, X64_CC_NE);
        if (rem)
            x64_alu_rr(b, false, X64_XOR, X64_RAX, X64_RAX);
        else
            x64_neg(b, w, X64_RAX);
        minus1_done = x64_jmp(b);
        land(t, normal);
        x64_cqo(b, w);
    } else {
        x64_alu_rr(b, false, X64_XOR, X64_RDX, X64_RDX);
    }
    x64_div(b, w, sign, c);
    if (rem) x64_mov_rr(b, true, X64_RAX, X64_RDX);
    size_t done = x64_jmp(b);
    land(t, zero);
    if (!rem) x64_mov_imm(b, X64_RAX, ~0ULL); /* a remainder is the dividend, already in rax */
    land(t, done);
    if (sign) land(t, minus1_done);
    if (w32)
        x64_movsxd(b, d, X64_RAX);
    else
        x64_mov_rr(b, true, d, X64_RAX);
}

/* A region's edge: out of the region, a plain jump to a sub-block, or a
 * jump through the stop check (going back, or after something since the
 * last jump may have stored into the page). */
enum edge { EDGE_EXIT, EDGE_JUMP, EDGE_CHECKED };

static enum edge edge_kind(const struct tctx *t, uint64_t target, int *label)
{
    *label = region_label(t->r, target);
    if (*label < 0) return EDGE_EXIT;
    return t->wrote || (unsigned)*label <= t->cur ? EDGE_CHECKED : EDGE_JUMP;
}

/* A jump (site from x64_jmp or x64_jcc) to sub-block l, patched once all
 * labels are known. */
static void to_label(struct tctx *t, size_t site, int l)
{
    t->fix_site[t->nfix] = site;
    t->fix_to[t->nfix++] = (unsigned)l;
}

/* Emits the edge to target as code that never falls through, except
 * that a plain jump to the next sub-block is left out when `last` (it is
 * the sub-block's last code). Unpinned registers are written back. */
/* Out of the region to target. On the region's page: a jump that
 * jit_prepare() links to the block there once it exists, leading first to
 * a stub that tells where the jump is. Elsewhere: the lookup. */
static void region_exit(struct tctx *t, uint64_t target)
{
    struct x64_buf *b = &t->buf;
    flush_exit(t);
    store_pc(t, target);
    if ((target ^ t->head->va) & ~0xfffULL) {
        emit_lookup_exit_to(t, target);
        return;
    }
    emit_stop_check(t);
    count_hit(t); /* jit_exec takes it back when the jump is not linked yet */
    size_t site = x64_jmp(b);
    if (b->full) return;
    x64_patch_rel32(at(t, site), b->p);
    x64_mov_imm(b, X64_RAX, (uint64_t)(uintptr_t)at(t, site));
    x64_store(b, true, HM(jit_site), X64_RAX);
    emit_unlinked_stub(t, t->head, JIT_RET_SITE);
}

static void region_edge(struct tctx *t, uint64_t target, bool last)
{
    struct x64_buf *b = &t->buf;
    int l;
    switch (edge_kind(t, target, &l)) {
    case EDGE_EXIT: region_exit(t, target); return;
    case EDGE_CHECKED:
        x64_alu_rm(b, true, X64_CMP, JIT_INSTRET, HM(jit_stop));
        to_label(t, x64_jcc(b, X64_CC_B), l);
        rc_writeback_exit(b, &t->rc); /* the exit trampoline stores the globals */
        store_pc(t, target);
        size_t e = x64_jmp(b);
        if (!b->full) x64_patch_rel32(at(t, e), t->j->exit_plain);
        return;
    case EDGE_JUMP:
        if (!last || (unsigned)l != t->cur + 1) to_label(t, x64_jmp(b), l);
        return;
    }
}

/* A conditional branch in a region (flags set by the compare): a plain
 * jump to a sub-block becomes the jcc itself. */
static void region_branch(struct tctx *t, enum x64_cc cc, uint64_t taken, uint64_t fall)
{
    int lt, lf;
    if (edge_kind(t, taken, &lt) == EDGE_JUMP) {
        to_label(t, x64_jcc(&t->buf, cc), lt);
        region_edge(t, fall, true);
    } else if (edge_kind(t, fall, &lf) == EDGE_JUMP) {
        to_label(t, x64_jcc(&t->buf, (enum x64_cc)(cc ^ 1)), lf);
        region_edge(t, taken, true);
    } else {
        size_t site = x64_jcc(&t->buf, cc);
        region_edge(t, fall, false);
        land(t, site);
        region_edge(t, taken, true);
    }
}

static bool emit_extend_pair(struct tctx *t, unsigned idx);
static bool emit_insn(struct tctx *t, unsigned idx);

/* Whether op runs natively using no scratch register but rax: what an
 * if-converted sub-block may hold. */
static bool plain_alu(unsigned op)
{
    switch (op) {
    case RV_OP_lui:
    case RV_OP_auipc:
    case RV_OP_addi:
    case RV_OP_xori:
    case RV_OP_ori:
    case RV_OP_andi:
    case RV_OP_slti:
    case RV_OP_sltiu:
    case RV_OP_slli:
    case RV_OP_srli:
    case RV_OP_srai:
    case RV_OP_add:
    case RV_OP_sub:
    case RV_OP_xor:
    case RV_OP_or:
    case RV_OP_and:
    case RV_OP_slt:
    case RV_OP_sltu:
    case RV_OP_addiw:
    case RV_OP_slliw:
    case RV_OP_srliw:
    case RV_OP_sraiw:
    case RV_OP_addw:
    case RV_OP_subw: return true;
    default: return false;
    }
}

/* A branch in a region that skips exactly the next sub-block, a few
 * plain ALU instructions writing one pinned register, which nothing else
 * jumps into (a hammock: `if (c) x = f(x, ...)`). Such a branch follows
 * the data, so the host predicts it badly (CoreMark's CRC); it becomes
 * straight code that runs the sub-block and puts the old value back when
 * the branch is taken. */
static bool if_convertible(const struct tctx *t, const struct rv_insn *i)
{
    const struct region *r = t->r;
    unsigned k = t->cur;
    if (t->wrote || k + 2 >= r->nsub) return false;
    const struct rv_block *skip = r->sub[k + 1];
    uint64_t pc = t->b->va + i->pc_off;
    if (skip->va != pc + i->len || skip->n > 6 ||
        pc + (uint64_t)(int64_t)i->imm != r->sub[k + 2]->va ||
        skip->va + skip->bytes != r->sub[k + 2]->va)
        return false;
    int w = -1;
    for (unsigned n = 0; n < skip->n; n++) {
        const struct rv_insn *s = &skip->insns[n];
        if (!plain_alu(s->op)) return false;
        if (s->rd == RV_REG_SINK) continue;
        if (w >= 0 && s->rd != w) return false;
        w = s->rd;
    }
    if (w < 0 || t->rc.slot[w] < 0 || !(t->rc.pinned & (1u << t->rc.slot[w]))) return false;
    for (unsigned k2 = 0; k2 < r->nsub; k2++)
        if (region_jump_target(r->sub[k2]) == skip->va) return false;
    return true;
}

/* The if-converted branch (flags set by its compare): rsi = taken, then
 * the skipped sub-block runs with its instret, and cmov puts instret
 * (saved in rdx) and the register it writes (saved in rcx) back when the
 * branch was taken. Falls into the sub-block after. */
static void emit_if_converted(struct tctx *t, enum x64_cc cc)
{
    struct x64_buf *b = &t->buf;
    const struct rv_block *skip = t->r->sub[t->cur + 1];
    x64_setcc(b, cc, X64_RAX);
    x64_movzx8(b, X64_RSI, X64_RAX);
    unsigned w = RV_REG_SINK;
    for (unsigned n = 0; n < skip->n; n++)
        if (skip->insns[n].rd != RV_REG_SINK) w = skip->insns[n].rd;
    enum x64_reg hw = rc_host((unsigned)t->rc.slot[w]);
    x64_mov_rr(b, true, X64_RDX, JIT_INSTRET);
    x64_mov_rr(b, true, X64_RCX, hw);
    t->cur++;
    t->b = (struct rv_block *)skip;
    t->label[t->cur] = x64_offset(b);
    rc_rebase(b, &t->rc, false);
    x64_alu_ri(b, true, X64_ADD, JIT_INSTRET, skip->n);
    for (unsigned n = 0; n < skip->n; n++) {
        rc_at(&t->rc, skip->insns, skip->n, n);
        if (emit_extend_pair(t, n))
            n++;
        else
            emit_insn(t, n);
        rc_unlock(&t->rc);
    }
    rc_writeback_unpinned(b, &t->rc);
    x64_test_rr(b, false, X64_RSI, X64_RSI);
    x64_cmov(b, X64_CC_NE, JIT_INSTRET, X64_RDX);
    x64_cmov(b, X64_CC_NE, hw, X64_RCX);
    t->skip_next = true;
}

static void emit_branch(struct tctx *t, const struct rv_insn *i, enum x64_cc cc)
{
    struct x64_buf *b = &t->buf;
    uint64_t pc = t->b->va + i->pc_off;
    /* Against x0 (beqz, bnez, bltz, ...): an immediate. */
    enum x64_reg a = SRC(i->rs1), c = i->rs2 ? SRC(i->rs2) : X64_RAX;
    if (t->r)
        rc_writeback_unpinned(b, &t->rc);
    else
        flush_exit(t);
    if (i->rs2)
        x64_alu_rr(b, true, X64_CMP, a, c);
    else
        x64_test_rr(b, true, a, a); /* the flags of cmp a, 0 (CF and OF clear) */
    if (t->r && if_convertible(t, i)) {
        emit_if_converted(t, cc);
        return;
    }
    if (t->r) {
        region_branch(t, cc, pc + (uint64_t)(int64_t)i->imm, pc + i->len);
        return;
    }
    size_t taken = x64_jcc(b, cc);
    emit_chain_exit(t, 0, pc + i->len);
    if (!b->full) x64_patch_rel32(at(t, taken), b->p);
    emit_chain_exit(t, 1, pc + (uint64_t)(int64_t)i->imm);
}

static void emit_jalr(struct tctx *t, const struct rv_insn *i)
{
    struct x64_buf *b = &t->buf;
    uint64_t pc = t->b->va + i->pc_off;
    x64_mov_rr(b, true, X64_RAX, SRC(i->rs1));
    if (i->imm) x64_alu_ri(b, true, X64_ADD, X64_RAX, i->imm);
    x64_alu_ri(b, true, X64_AND, X64_RAX, -2);
    x64_store(b, true, HM(pc), X64_RAX);
    x64_mov_imm(b, DST(i->rd), pc + i->len);
    flush_exit(t);
    emit_lookup_exit(t);
}

/* slli rd, rs, k then srli/srai rd, rd, k with k = 32, 48 or 56: the
 * compiler's zero- and sign-extensions (zext.w, zext.h, sext.h, sext.b
 * without Zbb) as one move. Neither can trap and nothing sees the state
 * between them. Returns whether it emitted instructions idx and idx+1. */
static bool emit_extend_pair(struct tctx *t, unsigned idx)
{
    const struct rv_insn *i = &t->b->insns[idx], *j = &t->b->insns[idx + 1];
    if (idx + 1 >= t->b->n || i->op != RV_OP_slli || (j->op != RV_OP_srli && j->op != RV_OP_srai) ||
        j->rs1 != i->rd || j->rd != i->rd || j->imm != i->imm || i->rd == RV_REG_SINK)
        return false;
    unsigned size = i->imm == 32 ? 4 : i->imm == 48 ? 2 : i->imm == 56 ? 1 : 0;
    if (!size) return false;
    struct x64_buf *b = &t->buf;
    enum x64_reg a = SRC(i->rs1), d = DST(i->rd);
    x64_extend(b, d, a, size, j->op == RV_OP_srai);
    return true;
}

/* Emits instruction idx; returns true when it ended the block. */
static bool emit_insn(struct tctx *t, unsigned idx)
{
    const struct rv_insn *i = &t->b->insns[idx];
    struct x64_buf *b = &t->buf;
    uint64_t pc = t->b->va + i->pc_off;
    switch (i->op) {
    case RV_OP_lui: x64_mov_imm(b, DST(i->rd), (uint64_t)(int64_t)i->imm); return false;
    case RV_OP_auipc: x64_mov_imm(b, DST(i->rd), pc + (uint64_t)(int64_t)i->imm); return false;
    case RV_OP_jal:
        x64_mov_imm(b, DST(i->rd), pc + i->len);
        if (t->r) {
            rc_writeback_unpinned(b, &t->rc);
            region_edge(t, pc + (uint64_t)(int64_t)i->imm, true);
            return true;
        }
        flush_exit(t);
        emit_chain_exit(t, 1, pc + (uint64_t)(int64_t)i->imm);
        return true;
    case RV_OP_jalr: emit_jalr(t, i); return true;
    case RV_OP_beq: emit_branch(t, i, X64_CC_E); return true;
    case RV_OP_bne: emit_branch(t, i, X64_CC_NE); return true;
    case RV_OP_blt: emit_branch(t, i, X64_CC_L); return true;
    case RV_OP_bge: emit_branch(t, i, X64_CC_GE); return true;
    case RV_OP_bltu: emit_branch(t, i, X64_CC_B); return true;
    case RV_OP_bgeu: emit_branch(t, i, X64_CC_AE); return true;
    case RV_OP_lb: emit_load(t, idx, 1, true); return false;
    case RV_OP_lh: emit_load(t, idx, 2, true); return false;
    case RV_OP_lw: emit_load(t, idx, 4, true); return false;
    case RV_OP_ld: emit_load(t, idx, 8, false); return false;
    case RV_OP_lbu: emit_load(t, idx, 1, false); return false;
    case RV_OP_lhu: emit_load(t, idx, 2, false); return false;
    case RV_OP_lwu: emit_load(t, idx, 4, false); return false;
    case RV_OP_sb: emit_store(t, idx, 1); return false;
    case RV_OP_sh: emit_store(t, idx, 2); return false;
    case RV_OP_sw: emit_store(t, idx, 4); return false;
    case RV_OP_sd: emit_store(t, idx, 8); return false;
    case RV_OP_flw: emit_fp_access(t, idx, 4, false); return false;
    case RV_OP_fld: emit_fp_access(t, idx, 8, false); return false;
    case RV_OP_fsw: emit_fp_access(t, idx, 4, true); return false;
    case RV_OP_fsd: emit_fp_access(t, idx, 8, true); return false;
    case RV_OP_addi: emit_alu(t, i, X64_ADD, true, false); return false;
    case RV_OP_xori: emit_alu(t, i, X64_XOR, true, false); return false;
    case RV_OP_ori: emit_alu(t, i, X64_OR, true, false); return false;
    case RV_OP_andi: emit_alu(t, i, X64_AND, true, false); return false;
    case RV_OP_slti: emit_set(t, i, X64_CC_L, true); return false;
    case RV_OP_sltiu: emit_set(t, i, X64_CC_B, true); return false;
    case RV_OP_slli: emit_shift(t, i, X64_SHL, true, false); return false;
    case RV_OP_srli: emit_shift(t, i, X64_SHR, true, false); return false;
    case RV_OP_srai: emit_shift(t, i, X64_SAR, true, false); return false;
    case RV_OP_add: emit_alu(t, i, X64_ADD, false, false); return false;
    case RV_OP_sub: emit_alu(t, i, X64_SUB, false, false); return false;
    case RV_OP_xor: emit_alu(t, i, X64_XOR, false, false); return false;
    case RV_OP_or: emit_alu(t, i, X64_OR, false, false); return false;
    case RV_OP_and: emit_alu(t, i, X64_AND, false, false); return false;
    case RV_OP_slt: emit_set(t, i, X64_CC_L, false); return false;
    case RV_OP_sltu: emit_set(t, i, X64_CC_B, false); return false;
    case RV_OP_sll: emit_shift(t, i, X64_SHL, false, false); return false;
    case RV_OP_srl: emit_shift(t, i, X64_SHR, false, false); return false;
    case RV_OP_sra: emit_shift(t, i, X64_SAR, false, false); return false;
    case RV_OP_addiw: emit_alu(t, i, X64_ADD, true, true); return false;
    case RV_OP_slliw: emit_shift(t, i, X64_SHL, true, true); return false;
    case RV_OP_srliw: emit_shift(t, i, X64_SHR, true, true); return false;
    case RV_OP_sraiw: emit_shift(t, i, X64_SAR, true, true); return false;
    case RV_OP_addw: emit_alu(t, i, X64_ADD, false, true); return false;
    case RV_OP_subw: emit_alu(t, i, X64_SUB, false, true); return false;
    case RV_OP_sllw: emit_shift(t, i, X64_SHL, false, true); return false;
    case RV_OP_srlw: emit_shift(t, i, X64_SHR, false, true); return false;
    case RV_OP_sraw: emit_shift(t, i, X64_SAR, false, true); return false;
    case RV_OP_mul: emit_mul(t, i, false); return false;
    case RV_OP_mulw: emit_mul(t, i, true); return false;
    case RV_OP_mulh: emit_mulh(t, i, true); return false;
    case RV_OP_mulhu: emit_mulh(t, i, false); return false;
    case RV_OP_fsgnj_d: emit_fsgnj_d(t, idx, 0); return false;
    case RV_OP_fsgnjn_d: emit_fsgnj_d(t, idx, 1); return false;
    case RV_OP_fsgnjx_d: emit_fsgnj_d(t, idx, 2); return false;
    case RV_OP_fmv_x_d: emit_fmv_d(t, idx, true); return false;
    case RV_OP_fmv_d_x: emit_fmv_d(t, idx, false); return false;
    case RV_OP_div: emit_div(t, i, true, false, false); return false;
    case RV_OP_divu: emit_div(t, i, false, false, false); return false;
    case RV_OP_rem: emit_div(t, i, true, true, false); return false;
    case RV_OP_remu: emit_div(t, i, false, true, false); return false;
    case RV_OP_divw: emit_div(t, i, true, false, true); return false;
    case RV_OP_divuw: emit_div(t, i, false, false, true); return false;
    case RV_OP_remw: emit_div(t, i, true, true, true); return false;
    case RV_OP_remuw: emit_div(t, i, false, true, true); return false;
    default: break;
    }
    /* An instruction that ends its block (CSR, fences, xRET, ...) and
     * went on falls through to the block's end like any other. */
    if (fp_only(i->op)) {
        flush_regs(t);
        emit_helper(t, idx);
        rc_after_call(&t->buf, &t->rc);
        return false;
    }
    emit_helper_insn(t, idx);
    return false;
}

static void emit_cold(struct tctx *t)
{
    struct x64_buf *b = &t->buf;
    for (unsigned k = 0; k < t->ncold; k++) {
        const struct cold *c = &t->cold[k];
        t->b = (struct rv_block *)c->blk;
        if (!b->full) x64_patch_rel32(at(t, c->site), b->p);
        rc_writeback(b, &c->rc, c->skip);
        emit_helper(t, c->idx);
        rc_reload(b, &c->rc);
        size_t back = x64_jmp(b);
        if (!b->full) x64_patch_rel32(at(t, back), at(t, c->resume));
    }
}

/* Entry guard: an indirect jump through the jump table may arrive after
 * the page was written. Direct chains enter past it. */
static void emit_entry(struct tctx *t)
{
    x64_mov_imm(&t->buf, X64_RAX, gen_addr(t));
    x64_alu_mi(&t->buf, false, X64_CMP, x64_m(X64_RAX, 0), (int32_t)t->b->gen);
    jcc_exit(t, X64_CC_NE);
    t->b->jit_chain_entry = (uint32_t)x64_offset(&t->buf);
    rc_reset(&t->rc);
}

/* The registers a region keeps in host registers throughout: the most
 * used ones, loaded on entry, a use in an inner loop counting as many. */
static void pin_registers(struct tctx *t)
{
    const struct region *r = t->r;
    unsigned depth[REGION_MAX_SUBS] = {0};
    for (unsigned k = 0; k < r->nsub; k++) {
        uint64_t target = region_jump_target(r->sub[k]);
        int l = target ? region_label(r, target) : -1;
        for (int m = l; m >= 0 && m <= (int)k; m++)
            depth[m]++;
    }
    uint64_t uses[32] = {0};
    bool written[32] = {false};
    for (unsigned k = 0; k < r->nsub; k++) {
        const struct rv_block *s = r->sub[k];
        uint64_t w = 1ULL << (3 * (depth[k] < 8 ? depth[k] : 8));
        for (unsigned n = 0; n < s->n; n++) {
            const struct rv_insn *i = &s->insns[n];
            if (i->rs1 && i->rs1 < 32) uses[i->rs1] += w;
            if (i->rs2 && i->rs2 < 32) uses[i->rs2] += w;
            if (i->rd && i->rd < 32) {
                uses[i->rd] += w;
                written[i->rd] = true;
            }
        }
    }
    for (unsigned s = RC_NGLOBAL; s < RC_NPINNED; s++) {
        unsigned best = 0;
        for (unsigned g = 1; g < 32; g++)
            if (uses[g] > uses[best] && t->rc.slot[g] < 0) best = g;
        if (uses[best] < 2) break;
        rc_pin(&t->buf, &t->rc, best, s, written[best]);
        uses[best] = 0;
    }
}

static void translate_region(struct tctx *t, struct rv_block *head)
{
    struct x64_buf *b = &t->buf;
    const struct region *r = t->r;
    emit_entry(t);
    pin_registers(t);
    for (unsigned k = 0; k < r->nsub; k++) {
        if (t->skip_next) { /* emitted with the branch before it */
            t->skip_next = false;
            continue;
        }
        struct rv_block *s = r->sub[k];
        bool fell_in = k > 0 && !region_is_jump(r->sub[k - 1]->insns[r->sub[k - 1]->n - 1].op);
        if (!fell_in) t->wrote = false;
        t->cur = k;
        t->b = s;
        t->label[k] = x64_offset(b);
        rc_rebase(b, &t->rc, false);
        x64_alu_ri(b, true, X64_ADD, JIT_INSTRET, s->n);
        bool ended = false;
        for (unsigned n = 0; n < s->n && !ended; n++) {
            rc_at(&t->rc, s->insns, s->n, n);
            if (emit_extend_pair(t, n))
                n++;
            else
                ended = emit_insn(t, n);
            rc_unlock(&t->rc);
        }
        if (ended) continue;
        /* Cut before a branch target, or at the size cap: on to the next
         * sub-block, which follows in the code unless it is not there. */
        rc_writeback_unpinned(b, &t->rc);
        uint64_t next = s->va + s->bytes;
        region_edge(t, next, true);
    }
    for (unsigned f = 0; f < t->nfix; f++)
        if (!b->full) x64_patch_rel32(at(t, t->fix_site[f]), at(t, t->label[t->fix_to[f]]));
    t->b = head;
}

size_t jit_translate_region(struct jit *j, struct rv_hart *h, struct rv_block *b, uint64_t limit)
{
    struct region r;
    if (!region_plan(j, h, b, limit, &r)) return 0;
    struct tctx t = {.j = j, .h = h, .b = b, .r = &r, .head = b};
    t.buf = (struct x64_buf){j->code + j->used, j->code + j->used,
                             j->code + j->used + JIT_REGION_MAX, false};
    size_t data0 = j->data_used;
    uint32_t entry0 = b->jit_chain_entry;
    translate_region(&t, b);
    emit_cold(&t);
    if (t.buf.full) { /* b keeps its block code */
        j->data_used = data0;
        b->jit_chain_entry = entry0;
        return 0;
    }
    b->jit_code = t.buf.start;
    b->jit_patch[0] = b->jit_patch[1] = 0;
    size_t len = x64_offset(&t.buf);
    j->used += (len + 15) & ~(size_t)15;
    return len;
}

size_t jit_translate(struct jit *j, struct rv_hart *h, struct rv_block *b)
{
    struct tctx t = {.j = j, .h = h, .b = b};
    t.buf = (struct x64_buf){j->code + j->used, j->code + j->used,
                             j->code + j->used + JIT_BLOCK_MAX, false};
    b->jit_patch[0] = b->jit_patch[1] = 0;
    emit_entry(&t);
    x64_alu_ri(&t.buf, true, X64_ADD, JIT_INSTRET, b->n);
    bool ended = false;
    for (unsigned k = 0; k < b->n && !ended; k++) {
        rc_at(&t.rc, b->insns, b->n, k);
        if (emit_extend_pair(&t, k))
            k++;
        else
            ended = emit_insn(&t, k);
        rc_unlock(&t.rc);
    }
    if (!ended) {
        flush_exit(&t);
        uint64_t next = b->va + b->bytes;
        if (b->chainable) {
            emit_chain_exit(&t, 0, next);
        } else {
            store_pc(&t, next);
            emit_irq_check(&t);
            emit_lookup_exit(&t);
        }
    }
    emit_cold(&t);
    if (t.buf.full) return 0;
    b->jit_code = t.buf.start;
    size_t len = x64_offset(&t.buf);
    j->used += (len + 15) & ~(size_t)15;
    return len;
}
