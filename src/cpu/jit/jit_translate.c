/* The translator: one predecoded block (block.c) becomes x86-64 code.
 * This file holds the dispatch generated from the instruction list's JIT
 * column, the helper calls and the block and region drivers; exits live
 * in jit_exit.c, the native emitters in jit_emit.c.
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

#include "cpu/jit/jit_tctx.h"

#include <string.h>

/* What the generated code relies on (ABI asserts). */
_Static_assert(sizeof(struct tlb_entry) == 16, "TLB probe scales the index by 16");
_Static_assert(offsetof(struct tlb_entry, addend) == 8, "TLB probe reads the addend at +8");
_Static_assert(TLB_BITS <= 16, "TLB entry offsets fit a disp32");
_Static_assert(offsetof(struct tlb_set, r) == 0, "read entries first");
_Static_assert(offsetof(struct tlb_set, w) == TLB_SLOTS * 16, "write entries follow");
_Static_assert(offsetof(struct tlb_set, x) == 2 * TLB_SLOTS * 16, "fetch entries last");
_Static_assert(TLB_WAYS == 2 && TLB_WAY1 == 16 && (32 >> TLB_ROW_SHIFT) == 0 &&
                   (1u << TLB_ROW_SHIFT) * 32 == 4096,
               "a row is two 16-byte entries, found by va >> 7");
_Static_assert(sizeof(struct rv_hart) < (1u << 30), "hart fields are disp32 from rbx");

struct cold *jit_new_cold(struct tctx *t, size_t site, unsigned idx)
{
    struct cold *c = &t->cold[t->ncold++];
    c->site = site;
    c->blk = t->b;
    c->idx = idx;
    c->skip = -1;
    c->way1 = 0;
    c->rc = t->rc;
    c->misaligned_size = 0;
    return c;
}

/* A TLB probe missed: rsi = the address, rax + rcx its entry's set and
 * slot. A misaligned access within one page whose entry is there goes
 * back to the hit path (x86 loads and stores misaligned data itself), as
 * mmu_load/mmu_store's misaligned_hit does for the interpreter: Linux
 * 6.12 uses misaligned word copies when they beat byte copies. Returns
 * the jumps to patch to the handler call. */
static void emit_misaligned_retry(struct tctx *t, const struct cold *c, size_t miss[2])
{
    struct x64_buf *b = &t->buf;
    x64_mov_rr(b, false, X64_RDX, X64_RSI);
    x64_alu_ri(b, false, X64_AND, X64_RDX, 0xfff);
    x64_alu_ri(b, false, X64_CMP, X64_RDX, (int32_t)(0x1000 - c->misaligned_size));
    miss[0] = x64_jcc(b, X64_CC_A); /* crosses into the next page */
    x64_mov_rr(b, true, X64_RDX, X64_RSI);
    x64_alu_ri(b, true, X64_AND, X64_RDX, (int32_t)0xfffff000u);
    x64_alu_rm(b, true, X64_CMP, X64_RDX, x64_mi(X64_RAX, X64_RCX, 0, c->tlb_off));
    size_t hit = x64_jcc(b, X64_CC_E);
    if (!b->full) x64_patch_rel32(jit_at(t, hit), jit_at(t, c->hit));
    /* Way 1 (every probe has one): its addend, then past way 0's load. */
    x64_alu_rm(b, true, X64_CMP, X64_RDX, x64_mi(X64_RAX, X64_RCX, 0, c->way1));
    miss[1] = x64_jcc(b, X64_CC_NE);
    x64_load(b, true, X64_RDX, x64_mi(X64_RAX, X64_RCX, 0, c->way1 + 8));
    size_t back = x64_jmp(b);
    if (!b->full) x64_patch_rel32(jit_at(t, back), jit_at(t, c->back));
}

/* Counts a native jump to another block (jit_options.counting). */
void jit_count_hit(struct tctx *t)
{
    if (t->j->opt.counting) x64_alu_mi(&t->buf, true, X64_ADD, HM(stats.jit_chain_hits), 1);
}

int jit_insn_done(struct rv_hart *h, const struct rv_insn *i)
{
    return 0;
}

uint8_t *jit_at(struct tctx *t, size_t off)
{
    return t->buf.start + off;
}

/* here = the jump at `site` lands at the current end of the buffer. */
void jit_land(struct tctx *t, size_t site)
{
    if (!t->buf.full) x64_patch_rel32(jit_at(t, site), t->buf.p);
}

/* A jump to exit_plain: when the buffer is short, each goes via a shared
 * rel32 patched once the final address is known. */
void jit_jcc_exit(struct tctx *t, enum x64_cc cc)
{
    size_t site = x64_jcc(&t->buf, cc);
    if (!t->buf.full) x64_patch_rel32(jit_at(t, site), t->j->c->exit_plain);
}

void jit_store_pc(struct tctx *t, uint64_t pc)
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

_Static_assert(RC_NPOOL == sizeof(((struct rv_hart *)0)->jit_spill) / 8, "one spill per slot");
_Static_assert(RC_NPOOL * 7 <= 64, "a record's map holds every slot");

/* The block an instruction handed to jit_call() is in (jit_cache.h). */
static const struct rv_block *insn_block(const struct rv_insn *i)
{
    return (const struct rv_block *)(const void *)((const uint8_t *)(i - i->idx) -
                                                   offsetof(struct rv_block, insns));
}

/* Runs instruction insn of block b through its handler. One that went on
 * may have stored into the running block's page: the block runs to its
 * end, as in the interpreter, but its exits must not chain into the
 * page's other blocks, which skip their guard, so the stop word is
 * zeroed. */
static int run_one(struct rv_hart *h, const struct rv_block *b, const struct rv_insn *insn)
{
    struct rv_insn one[2] = {*insn, {.fn = jit_insn_done, .idx = (uint8_t)(insn->idx + 1)}};
    h->block_pc = b->va;
    h->block_n = b->n;
    int rc = one[0].fn(h, &one[0]);
    const uint32_t *gen = &h->ram->code_gen[(b->pa - h->ram->base) >> RAM_PAGE_SHIFT];
    if (!rc && __atomic_load_n(gen, __ATOMIC_ACQUIRE) != b->gen) h->jit_stop = 0;
    return rc;
}

/* Through j->call_stub: an instruction of a block in the arena. */
int jit_call(struct rv_hart *h, const struct rv_insn *insn)
{
    return run_one(h, insn_block(insn), insn);
}

/* Through j->rcall_stub: a region's instruction, by its record. */
int jit_rcall(struct rv_hart *h, const struct jit_rrec *r)
{
    return run_one(h, r->blk, r->r.insn);
}

/* A cold path (through j->cold_stub, which put the register cache's host
 * registers in h->jit_spill and reloads them after): the dirty ones go to
 * the hart struct first, and every cached one comes back from it after,
 * the handler having maybe written it (its rd). */
int jit_cold_call(struct rv_hart *h, const struct jit_rec *r)
{
    for (unsigned s = 0; s < RC_NPOOL; s++) {
        unsigned g = (unsigned)(r->map >> (6 * s)) & 63;
        if (g && (r->map >> (54 + s)) & 1) h->x[g - 1] = h->jit_spill[s];
    }
    const struct rv_block *b =
        r->map & JIT_REC_REGION ? ((const struct jit_rrec *)r)->blk : insn_block(r->insn);
    int rc = run_one(h, b, r->insn);
    for (unsigned s = 0; s < RC_NPOOL; s++) {
        unsigned g = (unsigned)(r->map >> (6 * s)) & 63;
        if (g) h->jit_spill[s] = g > 1 ? h->x[g - 1] : 0;
    }
    return rc;
}

static void *data_alloc(struct jit *j, size_t n)
{
    void *p = j->c->data + j->c->data_used;
    j->c->data_used += (n + 7) & ~(size_t)7;
    return p;
}

/* A record for instruction idx of the (sub-)block being translated: a
 * block's names the instruction in place; a region's sub-block is in
 * scratch, so its header is copied to the data area the first time one of
 * its instructions needs a record, the instruction each time. */
static struct jit_rec *new_rec(struct tctx *t, unsigned idx)
{
    const struct rv_insn *insn = &t->b->insns[idx];
    if (!t->r) {
        struct jit_rec *rec = data_alloc(t->j, sizeof(*rec));
        *rec = (struct jit_rec){.insn = insn};
        return rec;
    }
    unsigned k = 0;
    while (k < t->ncopy && t->copy_from[k] != t->b)
        k++;
    if (k == t->ncopy) {
        struct rv_block *c = data_alloc(t->j, sizeof(*c));
        memcpy(c, t->b, sizeof(*c));
        t->copy_from[k] = t->b;
        t->copy[k] = c;
        t->ncopy++;
    }
    struct rv_insn *ci = data_alloc(t->j, sizeof(*ci));
    *ci = *insn;
    struct jit_rrec *rec = data_alloc(t->j, sizeof(*rec));
    *rec = (struct jit_rrec){{.insn = ci, .map = JIT_REC_REGION}, t->copy[k]};
    return &rec->r;
}

/* rsi = arg; call the stub. Leaves eax = the handler's result. */
static void emit_stub_call(struct tctx *t, const void *arg, const uint8_t *stub)
{
    struct x64_buf *b = &t->buf;
    if (t->j->opt.counting) x64_alu_mi(b, true, X64_ADD, HM(stats.jit_helper_calls), 1);
    x64_mov_imm(b, X64_RSI, (uint64_t)(uintptr_t)arg);
    size_t site = x64_call(b);
    if (!b->full) x64_patch_rel32(jit_at(t, site), stub);
}

/* Calls instruction idx's interpreter handler. Leaves eax = its result;
 * instret and the global registers are reloaded (the handler may have
 * written one). */
static void emit_helper_call(struct tctx *t, unsigned idx)
{
    /* A block's instruction is in the arena as long as the code: no
     * record. */
    if (t->r)
        emit_stub_call(t, new_rec(t, idx), t->j->c->rcall_stub);
    else
        emit_stub_call(t, &t->b->insns[idx], t->j->c->call_stub);
}

/* A helper-run instruction inside the block: a nonzero result means it
 * left the block (trap, or it set the pc itself). */
void jit_emit_helper(struct tctx *t, unsigned idx)
{
    emit_helper_call(t, idx);
    x64_test_rr(&t->buf, false, X64_RAX, X64_RAX);
    jit_jcc_exit(t, X64_CC_NE);
}

/* Before a call: the hart struct gets every dirty register. */
void jit_flush_regs(struct tctx *t)
{
    rc_writeback(&t->buf, &t->rc, -1);
    rc_clean(&t->rc);
}

/* Before leaving for another block: all but the globals, which stay. */
void jit_flush_exit(struct tctx *t)
{
    rc_writeback_exit(&t->buf, &t->rc);
    rc_clean(&t->rc);
}

/* An instruction run by its handler: it reads and writes the hart struct,
 * and the call clobbers caller-saved host registers, so the cache starts
 * over after it. */
static void emit_helper_insn(struct tctx *t, unsigned idx)
{
    jit_flush_regs(t);
    jit_emit_helper(t, idx);
    t->wrote = true;
    if (t->r)
        rc_rebase(&t->buf, &t->rc, true);
    else
        rc_reset(&t->rc);
}

/* The list's JIT column, as a table: N(kind, a, b, c) rows run natively
 * through the emitter of that kind with those operands, HELP rows call
 * the interpreter's handler. The JROW_ macros only turn the operands into
 * host constants. */
struct jit_row {
    uint8_t kind, a, b, c;
};

#define JCC_EQ  X64_CC_E
#define JCC_NE  X64_CC_NE
#define JCC_LT  X64_CC_L
#define JCC_GE  X64_CC_GE
#define JCC_LTU X64_CC_B
#define JCC_GEU X64_CC_AE
#define JCC_GT  X64_CC_G
#define JCC_GTU X64_CC_A

/* clang-format off */
#define JROW_lui(a, b, c)     {JK_lui, 0, 0, 0}
#define JROW_auipc(a, b, c)   {JK_auipc, 0, 0, 0}
#define JROW_jal(a, b, c)     {JK_jal, 0, 0, 0}
#define JROW_jalr(a, b, c)    {JK_jalr, 0, 0, 0}
#define JROW_branch(a, b, c)  {JK_branch, JCC_##a, 0, 0}
#define JROW_load(a, b, c)    {JK_load, a, b, 0}
#define JROW_store(a, b, c)   {JK_store, a, 0, 0}
#define JROW_fp_mem(a, b, c)  {JK_fp_mem, a, b, 0}
#define JROW_alu(a, b, c)     {JK_alu, X64_##a, b, c}
#define JROW_set(a, b, c)     {JK_set, JCC_##a, b, 0}
#define JROW_shift(a, b, c)   {JK_shift, X64_##a, b, c}
#define JROW_mul(a, b, c)     {JK_mul, a, 0, 0}
#define JROW_mulh(a, b, c)    {JK_mulh, a, 0, 0}
#define JROW_div(a, b, c)     {JK_div, a, b, c}
#define JROW_fsgnj_d(a, b, c) {JK_fsgnj_d, a, 0, 0}
#define JROW_fmv_d(a, b, c)   {JK_fmv_d, a, 0, 0}
#define JROW_fence(a, b, c)   {JK_fence, 0, 0, 0}
#define JROW_shadd(a, b, c)   {JK_shadd, a, b, 0}
#define JROW_slli_uw(a, b, c) {JK_slli_uw, 0, 0, 0}
#define JROW_logic_n(a, b, c) {JK_logic_n, X64_##a, 0, 0}
#define JROW_count(a, b, c)   {JK_count, X64_##a, b, 0}
#define JROW_minmax(a, b, c)  {JK_minmax, JCC_##a, 0, 0}
#define JROW_ext(a, b, c)     {JK_ext, a, b, 0}
#define JROW_rot(a, b, c)     {JK_rot, X64_##a, b, c}
#define JROW_rev8(a, b, c)    {JK_rev8, 0, 0, 0}
#define JROW_bit(a, b, c)     {JK_bit, X64_##a, b, 0}
#define JROW_czero(a, b, c)   {JK_czero, JCC_##a, 0, 0}
#define JROW_vset(a, b, c)    {JK_vset, a, 0, 0}
#define JROW_vmem(a, b, c)    {JK_vmem, a, b, 0}
#define JROW_varith(a, b, c)  {JK_varith, JV_##a, JV_##b, 0}
#define JROW_vred(a, b, c)    {JK_vred, JV_##a, 0, 0}
#define JROW_vcmp(a, b, c)    {JK_vcmp, JC_##a, JV_##b, 0}
/* clang-format on */

static const struct jit_row jit_rows[RV_OP_COUNT] = {
#define N(kind, a, b, c) JROW_##kind(a, b, c)
#define HELP                                                                                       \
    {                                                                                              \
        JK_HELP, 0, 0, 0                                                                           \
    }
#define RV_INSN(name, fmt, ext, flags, jit, mask, match) [RV_OP_##name] = jit,
#include "cpu/insn_list.h"
#undef RV_INSN
#undef HELP
#undef N
};

/* Emits instruction idx; returns true when it ended the block. */
bool jit_emit_insn(struct tctx *t, unsigned idx)
{
    const struct rv_insn *i = &t->b->insns[idx];
    const struct jit_row *r = &jit_rows[i->op];
    struct x64_buf *b = &t->buf;
    uint64_t pc = t->b->va + i->pc_off;
    switch ((enum jit_kind)r->kind) {
    case JK_lui: x64_mov_imm(b, DST(i->rd), (uint64_t)(int64_t)i->imm); return false;
    case JK_auipc: x64_mov_imm(b, DST(i->rd), pc + (uint64_t)(int64_t)i->imm); return false;
    case JK_jal:
        x64_mov_imm(b, DST(i->rd), pc + i->len);
        if (t->r) {
            rc_writeback_unpinned(b, &t->rc);
            jit_region_edge(t, pc + (uint64_t)(int64_t)i->imm, true);
            return true;
        }
        jit_flush_exit(t);
        jit_emit_chain_exit(t, 1, pc + (uint64_t)(int64_t)i->imm);
        return true;
    case JK_jalr: jit_emit_jalr(t, i); return true;
    case JK_branch: jit_emit_branch(t, i, (enum x64_cc)r->a); return true;
    case JK_load: jit_emit_load(t, idx, r->a, r->b); return false;
    case JK_store: jit_emit_store(t, idx, r->a); return false;
    case JK_fp_mem: jit_emit_fp_access(t, idx, r->a, r->b); return false;
    case JK_alu: jit_emit_alu(t, i, (enum x64_alu)r->a, r->b, r->c); return false;
    case JK_set: jit_emit_set(t, i, (enum x64_cc)r->a, r->b); return false;
    case JK_shift: jit_emit_shift(t, i, (enum x64_shift)r->a, r->b, r->c); return false;
    case JK_mul: jit_emit_mul(t, i, r->a); return false;
    case JK_mulh: jit_emit_mulh(t, i, r->a); return false;
    case JK_div: jit_emit_div(t, i, r->a, r->b, r->c); return false;
    case JK_fsgnj_d: jit_emit_fsgnj_d(t, idx, r->a); return false;
    case JK_fmv_d: jit_emit_fmv_d(t, idx, r->a); return false;
    case JK_fence: jit_emit_fence(t, i); return false;
    case JK_shadd:
    case JK_slli_uw:
    case JK_logic_n:
    case JK_count:
    case JK_minmax:
    case JK_ext:
    case JK_rot:
    case JK_rev8:
    case JK_bit:
    case JK_czero:
        if (jit_emit_bit(t, i, r->kind, r->a, r->b, r->c)) return false;
        break;
    case JK_vset:
    case JK_vmem:
    case JK_varith:
    case JK_vred:
    case JK_vcmp:
        if (jit_emit_vec(t, idx, r->kind, r->a, r->b, r->c)) return false;
        break;
    case JK_HELP: break;
    }
    /* An instruction that ends its block (CSR, fences, xRET, ...) and
     * went on falls through to the block's end like any other. One whose
     * handler touches only FP state keeps the integer registers cached in
     * callee-saved host registers across the call. */
    jit_vec_after_helper(t, idx);
    if (decode_op_flags(i->op) & INSN_F_FP_ONLY) {
        jit_flush_regs(t);
        jit_emit_helper(t, idx);
        rc_after_call(&t->buf, &t->rc);
        return false;
    }
    emit_helper_insn(t, idx);
    return false;
}

/* Each slow path: the register cache's map goes in the record and the
 * shared cold stub stores the dirty registers (but `skip`, which holds no
 * value yet), runs the handler and reloads every cached one. */
static void emit_cold(struct tctx *t)
{
    struct x64_buf *b = &t->buf;
    for (unsigned k = 0; k < t->ncold; k++) {
        const struct cold *c = &t->cold[k];
        t->b = (struct rv_block *)c->blk;
        if (!b->full) x64_patch_rel32(jit_at(t, c->site), b->p);
        if (c->way1) jit_emit_tlb_way1(t, c);
        if (c->misaligned_size > 1) {
            size_t miss[2];
            emit_misaligned_retry(t, c, miss);
            for (unsigned m = 0; m < 2 && !b->full; m++)
                x64_patch_rel32(jit_at(t, miss[m]), b->p);
        }
        struct jit_rec *rec = new_rec(t, c->idx);
        for (unsigned s = 0; s < RC_NPOOL; s++) {
            if (c->rc.guest[s] < 0) continue;
            rec->map |= (uint64_t)(c->rc.guest[s] + 1) << (6 * s);
            if ((c->rc.dirty & (1u << s)) && (int)s != c->skip) rec->map |= 1ULL << (54 + s);
        }
        emit_stub_call(t, rec, t->j->c->cold_stub);
        x64_test_rr(b, false, X64_RAX, X64_RAX);
        jit_jcc_exit(t, X64_CC_NE);
        size_t back = x64_jmp(b);
        if (!b->full) x64_patch_rel32(jit_at(t, back), jit_at(t, c->resume));
    }
}

/* Entry guard: an indirect jump through the jump table may arrive after
 * the page was written. Direct chains enter past it. */
static void emit_entry(struct tctx *t)
{
    x64_mov_imm(&t->buf, X64_RAX, gen_addr(t));
    x64_alu_mi(&t->buf, false, X64_CMP, x64_m(X64_RAX, 0), (int32_t)t->b->gen);
    jit_jcc_exit(t, X64_CC_NE);
    t->hdr.chain_entry = (uint32_t)x64_offset(&t->buf);
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
        bool fell_in = k > 0 && !decode_is_jump(r->sub[k - 1]->insns[r->sub[k - 1]->n - 1].op);
        if (!fell_in) t->wrote = false;
        t->cur = k;
        t->b = s;
        t->label[k] = x64_offset(b);
        jit_vec_forget(t);
        rc_rebase(b, &t->rc, false);
        x64_alu_ri(b, true, X64_ADD, JIT_INSTRET, s->n);
        bool ended = false;
        for (unsigned n = 0; n < s->n && !ended; n++) {
            rc_at(&t->rc, s->insns, s->n, n);
            if (jit_emit_extend_pair(t, n))
                n++;
            else
                ended = jit_emit_insn(t, n);
            rc_unlock(&t->rc);
        }
        if (ended) continue;
        /* Cut before a branch target, or at the size cap: on to the next
         * sub-block, which follows in the code unless it is not there. */
        rc_writeback_unpinned(b, &t->rc);
        uint64_t next = s->va + s->bytes;
        jit_region_edge(t, next, true);
    }
    for (unsigned f = 0; f < t->nfix; f++)
        if (!b->full) x64_patch_rel32(jit_at(t, t->fix_site[f]), jit_at(t, t->label[t->fix_to[f]]));
    t->b = head;
}

/* A buffer for a translation of at most max bytes, after its header. */
static struct x64_buf code_buf(struct jit *j, size_t max)
{
    uint8_t *p = j->c->code + j->c->used + sizeof(struct jit_hdr);
    return (struct x64_buf){p, p, p + max, false};
}

/* Makes t's finished code b's: the header first, then the code pointer
 * with a release store, so a hart that loads the pointer (acquire) sees
 * both whole. Returns the bytes of code. */
static size_t publish(struct tctx *t, struct rv_block *b)
{
    struct jit *j = t->j;
    *jit_hdr_of(t->buf.start) = t->hdr;
    __atomic_store_n(&b->jit_code, (void *)t->buf.start, __ATOMIC_RELEASE);
    size_t len = x64_offset(&t->buf);
    j->c->used += (sizeof(struct jit_hdr) + len + 15) & ~(size_t)15;
    return len;
}

size_t jit_translate_region(struct jit *j, struct rv_hart *h, struct rv_block *b, uint64_t limit)
{
    struct region r;
    if (!region_plan(j, h, b, limit, &r)) return 0;
    struct tctx t = {.j = j, .h = h, .b = b, .r = &r, .head = b};
    t.buf = code_buf(j, JIT_REGION_MAX);
    size_t data0 = j->c->data_used;
    translate_region(&t, b);
    emit_cold(&t);
    if (t.buf.full) { /* b keeps its block code */
        j->c->data_used = data0;
        return 0;
    }
    return publish(&t, b);
}

size_t jit_translate(struct jit *j, struct rv_hart *h, struct rv_block *b)
{
    struct tctx t = {.j = j, .h = h, .b = b};
    t.buf = code_buf(j, JIT_BLOCK_MAX);
    emit_entry(&t);
    x64_alu_ri(&t.buf, true, X64_ADD, JIT_INSTRET, b->n);
    bool ended = false;
    for (unsigned k = 0; k < b->n && !ended; k++) {
        rc_at(&t.rc, b->insns, b->n, k);
        if (jit_emit_extend_pair(&t, k))
            k++;
        else
            ended = jit_emit_insn(&t, k);
        rc_unlock(&t.rc);
    }
    if (!ended) {
        jit_flush_exit(&t);
        uint64_t next = b->va + b->bytes;
        if (b->chainable) {
            jit_emit_chain_exit(&t, 0, next);
        } else {
            jit_store_pc(&t, next);
            jit_emit_irq_check(&t);
            jit_emit_lookup_exit(&t);
        }
    }
    emit_cold(&t);
    if (t.buf.full) return 0;
    return publish(&t, b);
}
