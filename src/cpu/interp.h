/* Shared by the interpreter's handler files: the handler declarations
 * generated from insn_list.h and the inline pieces every handler uses (trap
 * raising, the TLB fast path). Only src/cpu/interp*.c and the block builder
 * include it. */
#ifndef RVMM_CPU_INTERP_H
#define RVMM_CPU_INTERP_H

#include "cpu/decode.h"
#include "cpu/hart.h"
#include "cpu/mmu.h"
#include "cpu/trap.h"

#include <string.h>

#define RV_INSN(name, fmt, ext, flags, jit, mask, match)                                           \
    int interp_##name(struct rv_hart *h, const struct rv_insn *i);
#include "cpu/insn_list.h"
#undef RV_INSN
int interp_illegal(struct rv_hart *h, const struct rv_insn *i);
int interp_virtual(struct rv_hart *h, const struct rv_insn *i);

extern const rv_handler interp_handlers[RV_OP_COUNT];

/* Threaded dispatch: a handler that goes on with the block ends by calling
 * the next instruction's handler in tail position, which the compiler turns
 * into a jump. Every block ends with a terminator entry (interp_block_end),
 * so i + 1 always exists. Returns what the block's last handler returns. */
static inline int interp_next(struct rv_hart *h, const struct rv_insn *i)
{
    return i[1].fn(h, i + 1);
}

int interp_block_end(struct rv_hart *h, const struct rv_insn *i);

static inline uint64_t interp_pc(const struct rv_hart *h, const struct rv_insn *i)
{
    return h->block_pc + i->pc_off;
}

/* Takes an exception at instruction i: it and the rest of the block do not
 * retire. Returns 1, the "leave the block" result of a handler. */
static inline int interp_raise(struct rv_hart *h, const struct rv_insn *i, uint64_t cause,
                               uint64_t tval)
{
    h->pc = interp_pc(h, i);
    h->instret -= h->block_n - i->idx;
    trap_take(h, cause, tval);
    return 1;
}

/* A slow path's result: a cause to raise, or MMU_DEBUG_STOP, a debugger's
 * watchpoint on the access, which did not happen: the hart stops before
 * instruction i (gdb steps over it with the watchpoint out of the way, as
 * it does on QEMU, whose RISC-V watchpoints stop before the access). */
static inline int interp_fault(struct rv_hart *h, const struct rv_insn *i, int cause)
{
    if (unlikely(cause == MMU_DEBUG_STOP)) {
        h->pc = interp_pc(h, i);
        h->instret -= h->block_n - i->idx;
        h->exit_req = HART_EXIT_DEBUG;
        return 1;
    }
    return interp_raise(h, i, (uint64_t)cause, h->fault_tval);
}

/* Loads `size` bytes at va into *v (zero-extended). 0, or 1 if it trapped.
 * Hit: tag equal to the page with the low bits of a naturally aligned
 * access clear; anything else (miss, misaligned, MMIO) is the slow path. */
static inline int interp_load(struct rv_hart *h, const struct rv_insn *i, gva_t va, unsigned size,
                              uint64_t *v)
{
    const struct tlb_entry *e = tlb_lookup(h->dtlb->r, va, va & (~0xfffULL | (size - 1)));
    if (likely(e != NULL)) {
        uint64_t r = 0;
        memcpy(&r, (const void *)(e->addend + va), size);
        *v = r;
        return 0;
    }
    int c = mmu_load(h, va, size, v);
    return c ? interp_fault(h, i, c) : 0;
}

static inline int interp_store(struct rv_hart *h, const struct rv_insn *i, gva_t va, unsigned size,
                               uint64_t v)
{
    const struct tlb_entry *e = tlb_lookup(h->dtlb->w, va, va & (~0xfffULL | (size - 1)));
    if (likely(e != NULL)) {
        memcpy((void *)(e->addend + va), &v, size);
        return 0;
    }
    int c = mmu_store(h, va, size, v);
    return c ? interp_fault(h, i, c) : 0;
}

#endif
