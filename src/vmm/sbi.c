/* The SBI implementation (riscv-sbi-doc, version 2.0). Each extension is a
 * function; arguments from the guest are checked (hart ids, addresses,
 * lengths) and bad ones answered with SBI error codes, never trusted. */
#include "vmm/sbi.h"

#include "cpu/hart_fence.h"
#include "cpu/mmu.h"
#include "cpu/trap.h"
#include "vmm/sbi_pmu.h"
#include "vmm/vm_impl.h"

#include <sched.h>
#include <string.h>

enum {
    SBI_SUCCESS = 0,
    SBI_ERR_FAILED = -1,
    SBI_ERR_NOT_SUPPORTED = -2,
    SBI_ERR_INVALID_PARAM = -3,
    SBI_ERR_DENIED = -4,
    SBI_ERR_INVALID_ADDRESS = -5,
    SBI_ERR_ALREADY_AVAILABLE = -6,
    SBI_ERR_ALREADY_STARTED = -7,
    SBI_ERR_ALREADY_STOPPED = -8,
};

#define EXT_BASE   0x10
#define EXT_TIME   0x54494d45
#define EXT_IPI    0x735049
#define EXT_RFENCE 0x52464e43
#define EXT_HSM    0x48534d
#define EXT_SRST   0x53525354
#define EXT_DBCN   0x4442434e
#define EXT_PMU    0x504d55

#define SBI_SPEC_VERSION ((2UL << 24) | 0) /* 2.0 */
#define SBI_IMPL_ID_RVMM 0x72766d6d        /* "rvmm" */
#define SBI_IMPL_VERSION 1

struct sbi_ret {
    int64_t error;
    uint64_t value;
};

static const char *const ext_names[SBI_IDX_COUNT] = {"legacy", "base", "time", "ipi", "rfence",
                                                     "hsm",    "srst", "dbcn", "pmu", "unknown"};

const char *sbi_ext_name(enum sbi_ext_index i)
{
    return (unsigned)i < SBI_IDX_COUNT ? ext_names[i] : "?";
}

void sbi_hart_init(struct rv_hart *h)
{
    h->priv = PRV_S;
    h->sbi_in_vmm = true;
    /* As OpenSBI delegates: every exception S-mode can handle, and the
     * supervisor interrupts. ecall from S never traps: it exits. */
    h->medeleg = (1ULL << EXC_INSN_MISALIGNED) | (1ULL << EXC_INSN_ACCESS) |
                 (1ULL << EXC_ILLEGAL_INSN) | (1ULL << EXC_BREAKPOINT) |
                 (1ULL << EXC_LOAD_MISALIGNED) | (1ULL << EXC_LOAD_ACCESS) |
                 (1ULL << EXC_STORE_MISALIGNED) | (1ULL << EXC_STORE_ACCESS) |
                 (1ULL << EXC_ECALL_U) | (1ULL << EXC_INSN_PAGE_FAULT) |
                 (1ULL << EXC_LOAD_PAGE_FAULT) | (1ULL << EXC_STORE_PAGE_FAULT);
    /* With H, what a hypervisor in S-mode serves for its guests goes to it
     * too (OpenSBI's delegate_traps): ecalls from VS (the guest's SBI),
     * guest-page faults (its G-stage) and virtual instructions. */
    if (cpu_model_has(&h->cpu, CPU_EXT_h))
        h->medeleg |= (1ULL << EXC_ECALL_VS) | (1ULL << EXC_INSN_GUEST_PAGE_FAULT) |
                      (1ULL << EXC_LOAD_GUEST_PAGE_FAULT) | (1ULL << EXC_VIRTUAL_INSN) |
                      (1ULL << EXC_STORE_GUEST_PAGE_FAULT);
    h->mideleg = MIP_SSIP | MIP_STIP | MIP_SEIP;
    /* With H, mideleg's VS and guest-external bits are read-only one
     * (8.4.2): kept, or a guest's timer (VSTIP from vstimecmp, as KVM
     * sets it) would trap to an M-mode that has no handler. */
    if (cpu_model_has(&h->cpu, CPU_EXT_h)) h->mideleg |= VS_INTS | MIP_SGEIP;
    h->mie = MIP_SSIP | MIP_STIP | MIP_SEIP;
    /* The local counter-overflow interrupt goes to S as well (OpenSBI's
     * delegate_traps with Sscofpmf), and the programmable counters start
     * stopped, mcycle and minstret running (its mstatus_init). */
    if (cpu_model_has(&h->cpu, CPU_EXT_sscofpmf)) h->mideleg |= MIP_LCOFIP;
    pmu_write_inhibit(h, PMU_HPM_MASK);
    h->mcounteren = 0xffffffff;
    /* OpenSBI lets U-mode read cycle, time and instret (sbi_hart.c): Linux
     * leaves scounteren alone, and the vDSO's rdtime needs TM. */
    h->scounteren = 7;
    /* As OpenSBI does (sbi_hart.c mstatus_init): S and U may use the
     * cache-block operations the hart has. */
    h->menvcfg = MENVCFG_STCE;
    if (cpu_model_has(&h->cpu, CPU_EXT_zicbom)) h->menvcfg |= ENVCFG_CBIE_INV | ENVCFG_CBCFE;
    if (cpu_model_has(&h->cpu, CPU_EXT_zicboz)) h->menvcfg |= ENVCFG_CBZE;
    /* Also as OpenSBI does: PTE memory types and hardware A/D updates where
     * the hart has them, and every state-enable bit M controls granted. */
    if (cpu_model_has(&h->cpu, CPU_EXT_svpbmt)) h->menvcfg |= ENVCFG_PBMTE;
    if (cpu_model_has(&h->cpu, CPU_EXT_svadu)) h->menvcfg |= ENVCFG_ADUE;
    if (cpu_model_has(&h->cpu, CPU_EXT_smstateen))
        for (int k = 0; k < 4; k++)
            h->mstateen[k] = STATEEN_SE | (k == 0 ? STATEEN0_ENVCFG : 0);
    h->stimecmp = UINT64_MAX;
    mmu_update_mode(h);
}

void sbi_hart_enter(struct rv_hart *h, uint64_t addr, uint64_t arg)
{
    h->pc = addr;
    h->x[10] = h->mhartid;
    h->x[11] = arg;
    h->satp = 0;
    h->mstatus &= ~(MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_MPRV);
    h->priv = PRV_S;
    mmu_flush(h);
    mmu_update_mode(h);
}

/* The harts a (hart_mask, hart_mask_base) pair names (SBI 2.0, 3.1);
 * returns false if it names a hart that does not exist. */
static bool hart_mask_ok(struct vm *vm, uint64_t mask, uint64_t base, uint64_t *out)
{
    unsigned n = vm->board->nharts;
    uint64_t all = n >= 64 ? ~0ULL : (1ULL << n) - 1;
    if (base == ~0ULL) {
        *out = all;
        return true;
    }
    if (base >= n || (mask && base + 63 - (unsigned)__builtin_clzll(mask) >= n)) return false;
    *out = (mask << base) & all;
    return true;
}

static struct sbi_ret sbi_base(struct vm *vm, unsigned fid, uint64_t a0)
{
    switch (fid) {
    case 0: return (struct sbi_ret){0, SBI_SPEC_VERSION};
    case 1: return (struct sbi_ret){0, SBI_IMPL_ID_RVMM};
    case 2: return (struct sbi_ret){0, SBI_IMPL_VERSION};
    case 3:
        switch (a0) {
        case EXT_BASE:
        case EXT_TIME:
        case EXT_IPI:
        case EXT_RFENCE:
        case EXT_HSM:
        case EXT_SRST:
        case EXT_DBCN:
        case EXT_PMU:
        case 0:
        case 1:
        case 2:
        case 3:
        case 4:
        case 5:
        case 6:
        case 7:
        case 8: return (struct sbi_ret){0, 1};
        default: return (struct sbi_ret){0, 0};
        }
    case 4:
    case 5:
    case 6: return (struct sbi_ret){0, 0};
    default: return (struct sbi_ret){SBI_ERR_NOT_SUPPORTED, 0};
    }
}

static void set_timer(struct rv_hart *h, uint64_t when)
{
    h->stimecmp = when;
    hart_update_timer(h);
}

static void send_ipis(struct vm *vm, struct vcpu *self, uint64_t targets)
{
    for (unsigned k = 0; k < vm->board->nharts; k++)
        if (targets & (1ULL << k)) {
            sbi_pmu_fw_event(self, SBI_PMU_FW_IPI_SENT);
            sbi_pmu_fw_event(&vm->vcpus[k], SBI_PMU_FW_IPI_RECEIVED);
            hart_post_ssip(&vm->board->harts[k]);
            vcpu_wake(&vm->vcpus[k]);
        }
}

/* Remote fences complete before the call returns (SBI 2.0, 8): this hart
 * fences now, the others get the request posted and this call waits until
 * every running target has taken it. A sleeping or stopped hart takes it
 * before it runs again. */
static void remote_fence(struct vm *vm, struct rv_hart *self, uint64_t targets,
                         const struct hart_fence *f)
{
    for (unsigned k = 0; k < vm->board->nharts; k++) {
        if (!(targets & (1ULL << k))) continue;
        struct rv_hart *t = &vm->board->harts[k];
        if (t == self) {
            hart_fence(self, f);
            continue;
        }
        hart_post_fence(t, f);
    }
    for (unsigned k = 0; k < vm->board->nharts; k++) {
        struct rv_hart *t = &vm->board->harts[k];
        if (!(targets & (1ULL << k)) || t == self) continue;
        struct vcpu *v = &vm->vcpus[k];
        for (int spin = 0; __atomic_load_n(&t->flush_req, __ATOMIC_ACQUIRE); spin++) {
            pthread_mutex_lock(&v->lock);
            bool idle = (v->sleeping && !v->borrowed) || v->parked || v->hsm != VCPU_STARTED;
            pthread_mutex_unlock(&v->lock);
            if (idle || vm_stopping(vm) || spin > 1000000) break;
            /* The target may be waiting in here for this hart the same
             * way (two harts shooting down each other's TLBs at once):
             * take what was posted to this one, or both wait until the
             * bound, which under a loaded host is many minutes. */
            if (__atomic_fetch_and(&self->flush_req, ~HART_FLUSH_FENCES, __ATOMIC_ACQ_REL) &
                HART_FLUSH_FENCES)
                hart_fence_take(self);
            sched_yield();
        }
    }
}

/* RFENCE (SBI 2.0, chapter 8): fence.i (0), sfence.vma (1), sfence.vma
 * with an ASID (2), and for a hypervisor in S-mode HFENCE.GVMA with a
 * VMID (3) or for all (4), HFENCE.VVMA with an ASID (5) or for all (6) of
 * the calling hart's current VMID; a[2] and a[3] are the range (guest
 * physical for GVMA, guest virtual for VVMA), a[4] the ASID or VMID. The
 * HFENCE calls exist only on harts with the H extension (8.4-8.7:
 * SBI_ERR_NOT_SUPPORTED otherwise). Each target drops what the call names
 * (hart_fence: that VMID's or ASID's entries of that range, or more for a
 * long range), and the HFENCEs leave the hypervisor's own translations. */
static struct sbi_ret sbi_rfence(struct vm *vm, struct vcpu *self, struct rv_hart *h, unsigned fid,
                                 const uint64_t *a)
{
    uint64_t targets;
    if (fid > 6 || (fid > 2 && !cpu_model_has(&h->cpu, CPU_EXT_h)))
        return (struct sbi_ret){SBI_ERR_NOT_SUPPORTED, 0};
    if (!hart_mask_ok(vm, a[0], a[1], &targets)) return (struct sbi_ret){SBI_ERR_INVALID_PARAM, 0};
    /* The PMU's firmware event of each function id (RECEIVED is SENT + 1). */
    static const uint8_t fw_sent[7] = {
        SBI_PMU_FW_FENCE_I_SENT,         SBI_PMU_FW_SFENCE_VMA_SENT,
        SBI_PMU_FW_SFENCE_VMA_ASID_SENT, SBI_PMU_FW_HFENCE_GVMA_VMID_SENT,
        SBI_PMU_FW_HFENCE_GVMA_SENT,     SBI_PMU_FW_HFENCE_VVMA_ASID_SENT,
        SBI_PMU_FW_HFENCE_VVMA_SENT};
    for (unsigned k = 0; k < vm->board->nharts; k++)
        if (targets & (1ULL << k)) {
            sbi_pmu_fw_event(self, fw_sent[fid]);
            sbi_pmu_fw_event(&vm->vcpus[k], fw_sent[fid] + 1u);
        }
    /* fence.i needs nothing: stores already invalidate translated code. */
    if (fid == 0) return (struct sbi_ret){0, 0};
    static const uint8_t kinds[] = {0,
                                    HART_FENCE_VMA,
                                    HART_FENCE_VMA,
                                    HART_FENCE_GVMA,
                                    HART_FENCE_GVMA,
                                    HART_FENCE_VVMA,
                                    HART_FENCE_VVMA};
    struct hart_fence f = {.kind = kinds[fid],
                           .by_id = fid == 2 || fid == 3 || fid == 5,
                           .id = a[4],
                           .vmid = mmu_vmid(h->hgatp),
                           .start = a[2],
                           .size = a[3]};
    if (!f.by_id) f.id = 0;
    remote_fence(vm, h, targets, &f);
    return (struct sbi_ret){0, 0};
}

static struct sbi_ret sbi_hsm(struct vm *vm, struct vcpu *self, struct rv_hart *h, unsigned fid,
                              const uint64_t *a)
{
    unsigned n = vm->board->nharts;
    switch (fid) {
    case 0: { /* hart_start(hartid, start_addr, opaque) */
        if (a[0] >= n) return (struct sbi_ret){SBI_ERR_INVALID_PARAM, 0};
        if (!ram_contains(&vm->board->ram, a[1], 4))
            return (struct sbi_ret){SBI_ERR_INVALID_ADDRESS, 0};
        struct vcpu *t = &vm->vcpus[a[0]];
        pthread_mutex_lock(&t->lock);
        int64_t err = SBI_SUCCESS;
        if (t->hsm != VCPU_STOPPED || t->start_req) {
            err = SBI_ERR_ALREADY_AVAILABLE;
        } else {
            t->start_addr = a[1];
            t->start_arg = a[2];
            t->start_req = true; /* reported as START_PENDING until taken */
            pthread_cond_signal(&t->cond);
        }
        pthread_mutex_unlock(&t->lock);
        return (struct sbi_ret){err, 0};
    }
    case 1: /* hart_stop() */
        pthread_mutex_lock(&self->lock);
        __atomic_store_n(&self->hsm, VCPU_STOPPED, __ATOMIC_RELEASE);
        pthread_mutex_unlock(&self->lock);
        return (struct sbi_ret){0, 0};
    case 2: { /* hart_get_status(hartid) */
        if (a[0] >= n) return (struct sbi_ret){SBI_ERR_INVALID_PARAM, 0};
        struct vcpu *t = &vm->vcpus[a[0]];
        pthread_mutex_lock(&t->lock);
        int s = t->start_req ? VCPU_START_PENDING : t->hsm;
        pthread_mutex_unlock(&t->lock);
        return (struct sbi_ret){0, (uint64_t)s};
    }
    case 3: { /* hart_suspend(type, resume_addr, opaque) */
        /* Reserved and (unimplemented) platform-specific types alike are
         * SBI_ERR_INVALID_PARAM (SBI 2.0, 9.4). */
        uint32_t type = (uint32_t)a[0];
        if (a[0] >> 32 || (type != SBI_SUSPEND_RETENTIVE && type != SBI_SUSPEND_NON_RETENTIVE))
            return (struct sbi_ret){SBI_ERR_INVALID_PARAM, 0};
        if (type == SBI_SUSPEND_NON_RETENTIVE && !ram_contains(&vm->board->ram, a[1], 4))
            return (struct sbi_ret){SBI_ERR_INVALID_ADDRESS, 0};
        /* Sleeps until an enabled interrupt is pending (or the VM stops). */
        pthread_mutex_lock(&self->lock);
        self->hsm = VCPU_SUSPENDED;
        self->susp_type = type;
        self->susp_addr = a[1];
        self->susp_arg = a[2];
        pthread_mutex_unlock(&self->lock);
        vcpu_suspend(self, h);
        pthread_mutex_lock(&self->lock);
        self->hsm = VCPU_STARTED;
        pthread_mutex_unlock(&self->lock);
        if (type == SBI_SUSPEND_NON_RETENTIVE) {
            sbi_hart_enter(h, a[1], a[2]);
            return (struct sbi_ret){0, 0}; /* a0/a1 set by the entry */
        }
        return (struct sbi_ret){0, 0};
    }
    default: return (struct sbi_ret){SBI_ERR_NOT_SUPPORTED, 0};
    }
}

static struct sbi_ret sbi_srst(struct vm *vm, unsigned fid, uint64_t type, uint64_t reason)
{
    if (fid != 0) return (struct sbi_ret){SBI_ERR_NOT_SUPPORTED, 0};
    if (type > 2 || type >> 32 || reason > 1) return (struct sbi_ret){SBI_ERR_INVALID_PARAM, 0};
    if (type == 0)
        vm_request_stop(vm, reason == 1 ? VM_STOP_FAIL : VM_STOP_POWEROFF, 1);
    else
        vm_request_stop(vm, VM_STOP_RESET, 0);
    return (struct sbi_ret){0, 0};
}

static struct sbi_ret sbi_dbcn(struct vm *vm, unsigned fid, const uint64_t *a)
{
    switch (fid) {
    case 0: { /* console_write(num_bytes, base_lo, base_hi) */
        const uint8_t *p = ram_dma(&vm->board->ram, a[1], a[0]);
        if (a[2] || (!p && a[0])) return (struct sbi_ret){SBI_ERR_INVALID_PARAM, 0};
        /* Fewer bytes than asked when the console's ring is full (SBI 2.0
         * section 12.1 allows it): the caller retries, no vCPU waits for stdout. */
        return (struct sbi_ret){0, vm_console_write(vm, p, a[0])};
    }
    case 1: /* console_read: input belongs to the UART; nothing to read here */
        if (a[2] || !ram_dma(&vm->board->ram, a[1], a[0]))
            return (struct sbi_ret){SBI_ERR_INVALID_PARAM, 0};
        return (struct sbi_ret){0, 0};
    case 2: vm_console_putc(vm, (uint8_t)a[0]); return (struct sbi_ret){0, 0};
    default: return (struct sbi_ret){SBI_ERR_NOT_SUPPORTED, 0};
    }
}

/* Legacy extensions 0x00-0x08 (SBI 2.0 chapter 5): result in a0 only. */
static bool sbi_legacy(struct vm *vm, struct vcpu *v, struct rv_hart *h, uint64_t eid,
                       const uint64_t *a, int64_t *ret)
{
    uint64_t targets = 0;
    *ret = 0;
    switch (eid) {
    case 0:
        sbi_pmu_fw_event(v, SBI_PMU_FW_SET_TIMER);
        set_timer(h, a[0]);
        return true;
    case 1: vm_console_putc(vm, (uint8_t)a[0]); return true;
    case 2: *ret = -1; return true;
    case 3: h->mip &= ~MIP_SSIP; return true;
    case 4:
    case 5:
    case 6:
    case 7: {
        /* a0 is the address of an unsigned long hart mask, or 0 for all. */
        uint64_t mask = ~0ULL;
        if (a[0]) {
            uint64_t v;
            if (mmu_load(h, a[0], 8, &v)) {
                *ret = SBI_ERR_INVALID_ADDRESS;
                return true;
            }
            mask = v;
        }
        if (!hart_mask_ok(vm, mask, a[0] ? 0 : ~0ULL, &targets)) targets = 0;
        if (eid == 4)
            send_ipis(vm, v, targets);
        else if (eid != 5) /* remote_sfence_vma(_asid)(mask, start, size(, asid)) */
            remote_fence(vm, h, targets,
                         &(struct hart_fence){.kind = HART_FENCE_VMA, .start = a[1], .size = a[2]});
        return true;
    }
    case 8: vm_request_stop(vm, VM_STOP_POWEROFF, 0); return true;
    default: return false;
    }
}

static enum sbi_ext_index ext_index(uint64_t eid)
{
    switch (eid) {
    case EXT_BASE: return SBI_IDX_BASE;
    case EXT_TIME: return SBI_IDX_TIME;
    case EXT_IPI: return SBI_IDX_IPI;
    case EXT_RFENCE: return SBI_IDX_RFENCE;
    case EXT_HSM: return SBI_IDX_HSM;
    case EXT_SRST: return SBI_IDX_SRST;
    case EXT_DBCN: return SBI_IDX_DBCN;
    case EXT_PMU: return SBI_IDX_PMU;
    default: return eid <= 8 ? SBI_IDX_LEGACY : SBI_IDX_UNKNOWN;
    }
}

void sbi_handle(struct vm *vm, struct vcpu *v, struct rv_hart *h)
{
    uint64_t eid = h->x[17];
    unsigned fid = (unsigned)h->x[16];
    const uint64_t a[6] = {h->x[10], h->x[11], h->x[12], h->x[13], h->x[14], h->x[15]};
    enum sbi_ext_index idx = ext_index(eid);
    unsigned slot = idx == SBI_IDX_LEGACY ? (unsigned)eid : fid;
    __atomic_fetch_add(&vm->sbi.calls[idx][slot < SBI_MAX_FID ? slot : SBI_MAX_FID], 1,
                       __ATOMIC_RELAXED);
    v->sbi_calls++;

    if (idx == SBI_IDX_LEGACY) {
        int64_t r;
        sbi_legacy(vm, v, h, eid, a, &r);
        h->x[10] = (uint64_t)r;
        return;
    }
    struct sbi_ret r = {SBI_ERR_NOT_SUPPORTED, 0};
    uint64_t targets;
    switch (idx) {
    case SBI_IDX_BASE: r = sbi_base(vm, fid, a[0]); break;
    case SBI_IDX_TIME:
        if (fid == 0) {
            sbi_pmu_fw_event(v, SBI_PMU_FW_SET_TIMER);
            set_timer(h, a[0]);
            r = (struct sbi_ret){0, 0};
        }
        break;
    case SBI_IDX_IPI:
        if (fid != 0) break;
        if (!hart_mask_ok(vm, a[0], a[1], &targets)) {
            r = (struct sbi_ret){SBI_ERR_INVALID_PARAM, 0};
            break;
        }
        send_ipis(vm, v, targets);
        r = (struct sbi_ret){0, 0};
        break;
    case SBI_IDX_RFENCE: r = sbi_rfence(vm, v, h, fid, a); break;
    case SBI_IDX_HSM:
        r = sbi_hsm(vm, v, h, fid, a);
        if (fid == 3 && r.error == 0 && (uint32_t)a[0] == SBI_SUSPEND_NON_RETENTIVE)
            return; /* resumed at resume_addr: a0/a1 are hartid/opaque */
        break;
    case SBI_IDX_SRST: r = sbi_srst(vm, fid, a[0], a[1]); break;
    case SBI_IDX_DBCN: r = sbi_dbcn(vm, fid, a); break;
    case SBI_IDX_PMU: r.error = sbi_pmu_call(v, h, fid, a, &r.value); break;
    default: break;
    }
    h->x[10] = (uint64_t)r.error;
    h->x[11] = r.value;
}
