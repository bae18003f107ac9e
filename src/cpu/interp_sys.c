/* System instructions: Zicsr, ecall/ebreak, xRET, WFI, fences, sfence.vma
 * (priv spec 1.12 chapter 3.3, 4.2.1), the illegal-instruction handler and
 * the handler table generated from insn_list.h. */
#include "cpu/interp.h"

#include "cpu/csr.h"

const rv_handler interp_handlers[RV_OP_COUNT] = {
#define RV_INSN(name, fmt, ext, flags, jit, mask, match) [RV_OP_##name] = interp_##name,
#include "cpu/insn_list.h"
#undef RV_INSN
    [RV_OP_illegal] = interp_illegal,
};

/* The entry after a block's last instruction: the block fell through. */
int interp_block_end(struct rv_hart *h, const struct rv_insn *i)
{
    h->pc = h->block_pc + i->pc_off;
    return 0;
}

int interp_illegal(struct rv_hart *h, const struct rv_insn *i)
{
    return interp_raise(h, i, EXC_ILLEGAL_INSN, i->raw);
}

/* An instruction a guest (V=1) may not run but HS-mode could (priv spec
 * 8.6.1): the hypervisor emulates it. tval is the instruction, as for an
 * illegal one. */
int interp_virtual(struct rv_hart *h, const struct rv_insn *i)
{
    return interp_raise(h, i, EXC_VIRTUAL_INSN, i->raw);
}

int interp_fence(struct rv_hart *h, const struct rv_insn *i)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return interp_next(h, i);
}

/* Stores already invalidate translated code (ram_note_write), so fence.i only
 * has to end the block, which its END flag does. */
int interp_fence_i(struct rv_hart *h, const struct rv_insn *i)
{
    return interp_next(h, i);
}

int interp_ecall(struct rv_hart *h, const struct rv_insn *i)
{
    if (h->priv == PRV_S && !h->virt && h->sbi_in_vmm) {
        h->pc = interp_pc(h, i) + 4;
        h->exit_req = HART_EXIT_SBI;
        return 1;
    }
    static const uint64_t cause[4] = {EXC_ECALL_U, EXC_ECALL_S, 10, EXC_ECALL_M};
    if (h->virt && h->priv == PRV_S) return interp_raise(h, i, EXC_ECALL_VS, 0);
    return interp_raise(h, i, cause[h->priv], 0);
}

int interp_ebreak(struct rv_hart *h, const struct rv_insn *i)
{
    return interp_raise(h, i, EXC_BREAKPOINT, 0);
}

int interp_mret(struct rv_hart *h, const struct rv_insn *i)
{
    if (h->priv < PRV_M) return interp_illegal(h, i);
    trap_mret(h);
    return 1;
}

int interp_sret(struct rv_hart *h, const struct rv_insn *i)
{
    if (h->priv == PRV_U) return h->virt ? interp_virtual(h, i) : interp_illegal(h, i);
    if (h->priv == PRV_S && !h->virt && (h->mstatus & MSTATUS_TSR)) return interp_illegal(h, i);
    if (h->virt && (h->hstatus & HSTATUS_VTSR)) return interp_virtual(h, i);
    trap_sret(h);
    return 1;
}

/* WFI (3.3.3, 8.6.1): illegal in U-mode, and below M when TW is set; in a
 * guest, VTW (or VU-mode) makes it a virtual instruction; otherwise the
 * hart sleeps until an interrupt is pending, whatever the global enables. */
int interp_wfi(struct rv_hart *h, const struct rv_insn *i)
{
    if (h->priv < PRV_M && (h->mstatus & MSTATUS_TW)) return interp_illegal(h, i);
    if (h->virt && (h->priv == PRV_U || (h->hstatus & HSTATUS_VTW))) return interp_virtual(h, i);
    if (h->priv == PRV_U) return interp_illegal(h, i);
    h->pc = interp_pc(h, i) + i->len;
    if (!hart_wfi_wakeup(h)) h->exit_req = HART_EXIT_WFI;
    return 1;
}

int interp_sfence_vma(struct rv_hart *h, const struct rv_insn *i)
{
    if (h->virt && (h->priv == PRV_U || (h->hstatus & HSTATUS_VTVM))) return interp_virtual(h, i);
    if (h->priv == PRV_U || (h->priv == PRV_S && !h->virt && (h->mstatus & MSTATUS_TVM)))
        return interp_illegal(h, i);
    /* With V=1 it fences the guest's VS-stage, of the current VMID (8.2.10). */
    if (h->virt) {
        mmu_vtlb_fence_vvma(h, mmu_vmid(h->hgatp), i->rs2 != 0, h->x[i->rs2], i->rs1 != 0,
                            h->x[i->rs1]);
        return interp_next(h, i);
    }
    /* rs2 (the ASID) is ignored: flushing every address space is allowed. */
    if (i->rs1)
        mmu_flush_va(h, h->x[i->rs1]);
    else
        mmu_flush_hs(h);
    return interp_next(h, i);
}

static int csr_insn(struct rv_hart *h, const struct rv_insn *i, enum csr_op op, uint64_t operand,
                    bool do_write)
{
    uint64_t old;
    int rc = csr_access(h, (unsigned)i->imm, op, operand, do_write, &old);
    if (rc == CSR_VIRTUAL) return interp_virtual(h, i);
    if (rc) return interp_illegal(h, i);
    h->x[i->rd] = old;
    return interp_next(h, i);
}

/* csrrw always writes; csrrs/csrrc write only when rs1 (or uimm) is nonzero. */
int interp_csrrw(struct rv_hart *h, const struct rv_insn *i)
{
    return csr_insn(h, i, CSR_OP_WRITE, h->x[i->rs1], true);
}
int interp_csrrs(struct rv_hart *h, const struct rv_insn *i)
{
    return csr_insn(h, i, CSR_OP_SET, h->x[i->rs1], i->rs1 != 0);
}
int interp_csrrc(struct rv_hart *h, const struct rv_insn *i)
{
    return csr_insn(h, i, CSR_OP_CLEAR, h->x[i->rs1], i->rs1 != 0);
}
int interp_csrrwi(struct rv_hart *h, const struct rv_insn *i)
{
    return csr_insn(h, i, CSR_OP_WRITE, i->rs1, true);
}
int interp_csrrsi(struct rv_hart *h, const struct rv_insn *i)
{
    return csr_insn(h, i, CSR_OP_SET, i->rs1, i->rs1 != 0);
}
int interp_csrrci(struct rv_hart *h, const struct rv_insn *i)
{
    return csr_insn(h, i, CSR_OP_CLEAR, i->rs1, i->rs1 != 0);
}
