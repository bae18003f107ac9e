/* How native code leaves a block or moves within a region (jit_tctx.h):
 * the stop and interrupt checks, the exits through the jump table or to a
 * chained block, a region's edges between its sub-blocks, branches with
 * their if-conversion, and jalr. */
#include "cpu/jit/jit_tctx.h"

/* What native code checks before going on to the next block itself: the
 * stop word (hart.h), which stands for the budget and for everything
 * posted to the run loop. Failing returns to the run loop; h->pc is set. */
static void emit_stop_check(struct tctx *t)
{
    struct x64_buf *b = &t->buf;
    x64_alu_rm(b, true, X64_CMP, JIT_INSTRET, HM(jit_stop));
    jit_jcc_exit(t, X64_CC_AE);
}

/* After a system instruction (a CSR write may have enabled an interrupt
 * already pending): the run loop takes it, as after any such block. */
void jit_emit_irq_check(struct tctx *t)
{
    struct x64_buf *b = &t->buf;
    x64_load(b, true, X64_RAX, HM(irq_lines));
    x64_alu_rm(b, true, X64_OR, X64_RAX, HM(mip));
    x64_test_rm(b, true, X64_RAX, HM(mie));
    jit_jcc_exit(t, X64_CC_NE);
}

/* r8 points at a fetch-TLB row and rax holds a page: rax = the addend of
 * the way whose tag is that page, or out to the run loop (tlb_lookup). */
static void emit_itlb_hit(struct tctx *t)
{
    struct x64_buf *b = &t->buf;
    x64_alu_rm(b, true, X64_CMP, X64_RAX, x64_m(X64_R8, 0));
    size_t way0 = x64_jcc(b, X64_CC_E);
    x64_alu_rm(b, true, X64_CMP, X64_RAX, x64_m(X64_R8, TLB_WAY1));
    jit_jcc_exit(t, X64_CC_NE);
    x64_alu_ri(b, true, X64_ADD, X64_R8, TLB_WAY1);
    jit_land(t, way0);
    x64_load(b, true, X64_RAX, x64_m(X64_R8, 8));
}

/* An exit to wherever h->pc now points (jalr, a block that cannot chain):
 * through the indirect-jump table when it knows the pc and the fetch TLB
 * still maps its page the same way, else back to the run loop. The
 * register cache is written back by now, so its host registers are free. */
void jit_emit_lookup_exit(struct tctx *t)
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
    x64_load(b, true, X64_RDX, HM(jit_jt)); /* per hart: the code is not */
    x64_alu_rm(b, true, X64_CMP, X64_RAX, x64_mi(X64_RDX, X64_RCX, 0, 0));
    jit_jcc_exit(t, X64_CC_NE);
    /* mmu_fetch's TLB hit: tag equal to the page, and the same addend. */
    x64_load(b, true, X64_R8, HM(itlb));
    x64_mov_rr(b, false, X64_R9, X64_RAX);
    x64_shift_ri(b, false, X64_SHR, X64_R9, TLB_ROW_SHIFT);
    x64_alu_ri(b, false, X64_AND, X64_R9, TLB_ROW_MASK);
    x64_alu_ri(b, true, X64_AND, X64_RAX, (int32_t)0xfffff000u);
    x64_lea(b, true, X64_R8, x64_mi(X64_R8, X64_R9, 0, x));
    emit_itlb_hit(t);
    x64_alu_rm(b, true, X64_CMP, X64_RAX, x64_mi(X64_RDX, X64_RCX, 0, 8));
    jit_jcc_exit(t, X64_CC_NE);
    jit_count_hit(t);
    x64_jmp_m(b, x64_mi(X64_RDX, X64_RCX, 0, 16));
}

/* emit_lookup_exit for a target known now (a direct jump to another
 * page): the table slot and the TLB index are constants. */
static void emit_lookup_exit_to(struct tctx *t, uint64_t target)
{
    struct x64_buf *b = &t->buf;
    int32_t x = (int32_t)offsetof(struct tlb_set, x) + (int32_t)tlb_row(target) * 16;
    int32_t e = (int32_t)(jit_jt_index(target) * sizeof(struct jit_jt_entry));
    emit_stop_check(t);
    x64_load(b, true, X64_RDX, HM(jit_jt));
    x64_mov_imm(b, X64_RAX, target);
    x64_alu_rm(b, true, X64_CMP, X64_RAX, x64_m(X64_RDX, e));
    jit_jcc_exit(t, X64_CC_NE);
    x64_load(b, true, X64_R8, HM(itlb));
    x64_alu_ri(b, true, X64_AND, X64_RAX, (int32_t)0xfffff000u);
    x64_lea(b, true, X64_R8, x64_m(X64_R8, x));
    emit_itlb_hit(t);
    x64_alu_rm(b, true, X64_CMP, X64_RAX, x64_m(X64_RDX, e + 8));
    jit_jcc_exit(t, X64_CC_NE);
    jit_count_hit(t);
    x64_jmp_m(b, x64_m(X64_RDX, e + 16));
}

/* h->pc = pc, through rcx when it does not fit a sign-extended imm32
 * (rax may hold what the exit trampoline needs). */
static void store_pc_rcx(struct tctx *t, uint64_t pc)
{
    if ((int64_t)pc == (int64_t)(int32_t)pc) {
        x64_store_imm(&t->buf, true, HM(pc), (int32_t)pc);
    } else {
        x64_mov_imm(&t->buf, X64_RCX, pc);
        x64_store(&t->buf, true, HM(pc), X64_RCX);
    }
}

/* The block's exit towards `target` through chaining slot k. The jump
 * first leads to a stub returning JIT_RET_CHAIN0+k; jit_prepare() patches
 * it to the next block's code once that exists. The stub and the failed
 * stop check share the pc store and go back through exit_chain[k], which
 * tells them apart by rax (the block, or 0). */
void jit_emit_chain_exit(struct tctx *t, unsigned k, uint64_t target)
{
    struct x64_buf *b = &t->buf;
    /* Only a same-page successor keeps this block's translation (the run
     * loop's chaining rule); others go through the lookup. */
    if ((target ^ t->b->va) & ~0xfffULL) {
        jit_store_pc(t, target);
        emit_lookup_exit_to(t, target);
        return;
    }
    /* The chained path needs no pc: only the two ways back to the run
     * loop store it. */
    x64_alu_rm(b, true, X64_CMP, JIT_INSTRET, HM(jit_stop));
    size_t stop = x64_jcc(b, X64_CC_AE);
    jit_count_hit(t); /* jit_exec takes it back when the jump is not linked yet */
    size_t site = x64_jmp_relinkable(b);
    t->hdr.patch[k] = (uint32_t)site;
    jit_land(t, site);
    x64_mov_imm(b, X64_RAX, (uint64_t)(uintptr_t)t->b);
    size_t join = x64_jmp(b);
    jit_land(t, stop);
    x64_mov_imm(b, X64_RAX, 0);
    jit_land(t, join);
    store_pc_rcx(t, target);
    size_t e = x64_jmp(b);
    if (!b->full) x64_patch_rel32(jit_at(t, e), t->j->c->exit_chain[k]);
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
    jit_flush_exit(t);
    jit_store_pc(t, target);
    if ((target ^ t->head->va) & ~0xfffULL) {
        emit_lookup_exit_to(t, target);
        return;
    }
    emit_stop_check(t);
    jit_count_hit(t); /* jit_exec takes it back when the jump is not linked yet */
    size_t site = x64_jmp_relinkable(b);
    if (b->full) return;
    x64_patch_rel32(jit_at(t, site), b->p);
    x64_mov_imm(b, X64_RCX, (uint64_t)(uintptr_t)jit_at(t, site));
    x64_mov_imm(b, X64_RAX, (uint64_t)(uintptr_t)t->head);
    size_t e = x64_jmp(b);
    if (!b->full) x64_patch_rel32(jit_at(t, e), t->j->c->exit_site);
}

void jit_region_edge(struct tctx *t, uint64_t target, bool last)
{
    struct x64_buf *b = &t->buf;
    int l;
    switch (edge_kind(t, target, &l)) {
    case EDGE_EXIT: region_exit(t, target); return;
    case EDGE_CHECKED:
        x64_alu_rm(b, true, X64_CMP, JIT_INSTRET, HM(jit_stop));
        to_label(t, x64_jcc(b, X64_CC_B), l);
        rc_writeback_exit(b, &t->rc); /* the exit trampoline stores the globals */
        jit_store_pc(t, target);
        size_t e = x64_jmp(b);
        if (!b->full) x64_patch_rel32(jit_at(t, e), t->j->c->exit_plain);
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
        jit_region_edge(t, fall, true);
    } else if (edge_kind(t, fall, &lf) == EDGE_JUMP) {
        to_label(t, x64_jcc(&t->buf, (enum x64_cc)(cc ^ 1)), lf);
        jit_region_edge(t, taken, true);
    } else {
        size_t site = x64_jcc(&t->buf, cc);
        jit_region_edge(t, fall, false);
        jit_land(t, site);
        jit_region_edge(t, taken, true);
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
        if (!(decode_op_flags(s->op) & INSN_F_PLAIN)) return false;
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
        if (jit_emit_extend_pair(t, n))
            n++;
        else
            jit_emit_insn(t, n);
        rc_unlock(&t->rc);
    }
    rc_writeback_unpinned(b, &t->rc);
    x64_test_rr(b, false, X64_RSI, X64_RSI);
    x64_cmov(b, X64_CC_NE, JIT_INSTRET, X64_RDX);
    x64_cmov(b, X64_CC_NE, hw, X64_RCX);
    t->skip_next = true;
}

void jit_emit_branch(struct tctx *t, const struct rv_insn *i, enum x64_cc cc)
{
    struct x64_buf *b = &t->buf;
    uint64_t pc = t->b->va + i->pc_off;
    /* Against x0 (beqz, bnez, bltz, ...): an immediate. */
    enum x64_reg a = SRC(i->rs1), c = i->rs2 ? SRC(i->rs2) : X64_RAX;
    if (t->r)
        rc_writeback_unpinned(b, &t->rc);
    else
        jit_flush_exit(t);
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
    jit_emit_chain_exit(t, 0, pc + i->len);
    if (!b->full) x64_patch_rel32(jit_at(t, taken), b->p);
    jit_emit_chain_exit(t, 1, pc + (uint64_t)(int64_t)i->imm);
}

void jit_emit_jalr(struct tctx *t, const struct rv_insn *i)
{
    struct x64_buf *b = &t->buf;
    uint64_t pc = t->b->va + i->pc_off;
    x64_mov_rr(b, true, X64_RAX, SRC(i->rs1));
    if (i->imm) x64_alu_ri(b, true, X64_ADD, X64_RAX, i->imm);
    x64_alu_ri(b, true, X64_AND, X64_RAX, -2);
    x64_store(b, true, HM(pc), X64_RAX);
    x64_mov_imm(b, DST(i->rd), pc + i->len);
    jit_flush_exit(t);
    jit_emit_lookup_exit(t);
}