/* The hart's registers between struct rv_hart and a KVM vCPU through
 * ONE_REG: core (pc, x1-x31, the mode), the supervisor CSRs KVM exposes,
 * the D registers and fcsr, and the timer (compare, state, the guest time);
 * with them the vCPU's power state (MP_STATE), which KVM's HSM keeps.
 * A register image in one fixed order is built from each side; a shadow of
 * what the kernel holds tells which registers the VMM changed, so only
 * those are written back. M-mode state stays in struct rv_hart as the
 * built-in SBI set it: a hart saved under KVM restores under the
 * interpreter with the same machine around it. */
#include "cpu/kvm/kvm_impl.h"

#if defined(__riscv) && __riscv_xlen == 64

#include "cpu/mmu.h"

#include <asm/kvm.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>

#define REG64(type, idx) (KVM_REG_RISCV | KVM_REG_SIZE_U64 | (type) | (uint64_t)(idx))
#define REG32(type, idx) (KVM_REG_RISCV | KVM_REG_SIZE_U32 | (type) | (uint64_t)(idx))

/* The view of mstatus KVM's sstatus is (priv spec 4.1.1): the writable S
 * bits, UXL = 64, and SD summarizing FS. */
#define KVM_SSTATUS_BITS                                                                           \
    (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | MSTATUS_MXR)
#define S_INT_BITS (MIP_SSIP | MIP_STIP | MIP_SEIP)

int kvm_get_reg(int fd, uint64_t id, void *val)
{
    struct kvm_one_reg r = {.id = id, .addr = (uint64_t)(uintptr_t)val};
    return ioctl(fd, KVM_GET_ONE_REG, &r) < 0 ? -errno : 0;
}

int kvm_set_reg(int fd, uint64_t id, const void *val)
{
    struct kvm_one_reg r = {.id = id, .addr = (uint64_t)(uintptr_t)val};
    return ioctl(fd, KVM_SET_ONE_REG, &r) < 0 ? -errno : 0;
}

/* The ONE_REG id of image word k, or 0 for a word the vCPU lacks. */
static uint64_t img_reg_id(const struct kvm_vcpu_ctx *c, unsigned k)
{
    if (k < KVM_IMG_CSR) return REG64(KVM_REG_RISCV_CORE, k - KVM_IMG_CORE);
    if (k < KVM_IMG_FP) return REG64(KVM_REG_RISCV_CSR, k - KVM_IMG_CSR);
    if (k < KVM_IMG_TIMER) {
        if (!c->has_fp) return 0;
        if (k == KVM_IMG_FP + 32) return REG32(KVM_REG_RISCV_FP_D, KVM_REG_RISCV_FP_D_REG(fcsr));
        return REG64(KVM_REG_RISCV_FP_D, k - KVM_IMG_FP);
    }
    if (k == KVM_IMG_TIMER) return REG64(KVM_REG_RISCV_TIMER, KVM_REG_RISCV_TIMER_REG(compare));
    return REG64(KVM_REG_RISCV_TIMER, KVM_REG_RISCV_TIMER_REG(state));
}

static int img_get(const struct kvm_vcpu_ctx *c, unsigned k, uint64_t *v)
{
    uint64_t id = img_reg_id(c, k);
    *v = 0;
    if (!id) return 0;
    if (KVM_REG_SIZE(id) == 4) {
        uint32_t w = 0;
        int rc = kvm_get_reg(c->fd, id, &w);
        *v = w;
        return rc;
    }
    return kvm_get_reg(c->fd, id, v);
}

static int img_set(const struct kvm_vcpu_ctx *c, unsigned k, uint64_t v)
{
    uint64_t id = img_reg_id(c, k);
    if (!id) return 0;
    if (KVM_REG_SIZE(id) == 4) {
        uint32_t w = (uint32_t)v;
        return kvm_set_reg(c->fd, id, &w);
    }
    return kvm_set_reg(c->fd, id, &v);
}

static void image_from_hart(const struct rv_hart *h, bool has_fp, struct kvm_reg_image *img)
{
    uint64_t *w = img->w;
    memset(img, 0, sizeof(*img));
    w[KVM_IMG_CORE] = h->pc;
    for (unsigned r = 1; r < 32; r++)
        w[KVM_IMG_CORE + r] = h->x[r];
    w[KVM_IMG_CORE + 32] = h->priv == PRV_U ? KVM_RISCV_MODE_U : KVM_RISCV_MODE_S;
    uint64_t ss = (h->mstatus & KVM_SSTATUS_BITS) | (2ULL << 32);
    if ((ss & MSTATUS_FS) == MSTATUS_FS) ss |= MSTATUS_SD;
    const uint64_t csr[10] = {ss, h->mie & S_INT_BITS, h->stvec, h->sscratch, h->sepc, h->scause,
                              h->stval,
                              /* SEIP is the PLIC's line (KVM_INTERRUPT), STIP the timer's */
                              h->mip & MIP_SSIP, h->satp, h->scounteren};
    memcpy(&w[KVM_IMG_CSR], csr, sizeof(csr));
    if (has_fp) {
        memcpy(&w[KVM_IMG_FP], h->f, sizeof(h->f));
        w[KVM_IMG_FP + 32] = (uint64_t)(h->frm << 5 | h->fflags);
    }
    w[KVM_IMG_TIMER] = h->stimecmp;
    w[KVM_IMG_TIMER + 1] =
        h->stimecmp == UINT64_MAX ? KVM_RISCV_TIMER_STATE_OFF : KVM_RISCV_TIMER_STATE_ON;
}

static void image_to_hart(const struct kvm_reg_image *img, bool has_fp, struct rv_hart *h)
{
    const uint64_t *w = img->w;
    uint64_t old_satp = h->satp;
    uint8_t old_priv = h->priv;
    h->pc = w[KVM_IMG_CORE];
    for (unsigned r = 1; r < 32; r++)
        h->x[r] = w[KVM_IMG_CORE + r];
    h->priv = w[KVM_IMG_CORE + 32] == KVM_RISCV_MODE_U ? PRV_U : PRV_S;
    h->mstatus = (h->mstatus & ~KVM_SSTATUS_BITS) | (w[KVM_IMG_CSR] & KVM_SSTATUS_BITS);
    h->mie = (h->mie & ~S_INT_BITS) | (w[KVM_IMG_CSR + 1] & S_INT_BITS);
    h->stvec = w[KVM_IMG_CSR + 2];
    h->sscratch = w[KVM_IMG_CSR + 3];
    h->sepc = w[KVM_IMG_CSR + 4];
    h->scause = w[KVM_IMG_CSR + 5];
    h->stval = w[KVM_IMG_CSR + 6];
    h->mip = (h->mip & ~MIP_SSIP) | (w[KVM_IMG_CSR + 7] & MIP_SSIP);
    h->satp = w[KVM_IMG_CSR + 8];
    h->scounteren = w[KVM_IMG_CSR + 9];
    if (has_fp) {
        memcpy(h->f, &w[KVM_IMG_FP], sizeof(h->f));
        h->fflags = (uint32_t)w[KVM_IMG_FP + 32] & 31;
        h->frm = (uint32_t)(w[KVM_IMG_FP + 32] >> 5) & 7;
    }
    /* compare whatever the state says: with Sstc the guest writes
     * vstimecmp itself and Linux 6.1 reports the timer OFF all along. */
    h->stimecmp = w[KVM_IMG_TIMER];
    /* The interpreter's translation caches follow (gdb reads memory through them). */
    if (h->satp != old_satp || h->priv != old_priv) {
        mmu_flush(h);
        mmu_update_mode(h);
    }
}

int kvm_mp_read(struct kvm_vcpu_ctx *c)
{
    struct kvm_mp_state mp = {0};
    if (ioctl(c->fd, KVM_GET_MP_STATE, &mp) < 0) return -errno;
    c->stopped = mp.mp_state == KVM_MP_STATE_STOPPED;
    return 0;
}

int kvm_mp_push(struct kvm_vcpu_ctx *c)
{
    int want = __atomic_exchange_n(&c->mp_pending, -1, __ATOMIC_ACQ_REL);
    if (want < 0) return 0;
    struct kvm_mp_state mp = {.mp_state = (uint32_t)want};
    if (ioctl(c->fd, KVM_SET_MP_STATE, &mp) < 0) return -errno;
    c->stopped = want == KVM_MP_STATE_STOPPED;
    return 0;
}

int kvm_regs_read_shadow(struct kvm_vcpu_ctx *c)
{
    for (unsigned k = 0; k < KVM_IMG_WORDS; k++) {
        int rc = img_get(c, k, &c->shadow.w[k]);
        if (rc) return rc;
    }
    return 0;
}

int kvm_regs_push(struct kvm_vcpu_ctx *c, struct rv_hart *h)
{
    struct kvm_reg_image cur;
    image_from_hart(h, c->has_fp, &cur);
    for (unsigned k = 0; k < KVM_IMG_WORDS; k++) {
        /* The timer's state word is written after compare, below. */
        if (k == KVM_IMG_TIMER + 1 || cur.w[k] == c->shadow.w[k]) continue;
        int rc = img_set(c, k, cur.w[k]);
        if (rc) return rc;
        c->shadow.w[k] = cur.w[k];
        /* Writing sip rewrites every pending bit: the PLIC's line again */
        if (k == KVM_IMG_CSR + 7) c->irq_resync = true;
    }
    unsigned st = KVM_IMG_TIMER + 1;
    if (cur.w[st] != c->shadow.w[st] || cur.w[KVM_IMG_TIMER] != c->shadow.w[KVM_IMG_TIMER]) {
        int rc = img_set(c, st, cur.w[st]);
        if (rc) return rc;
        /* Linux 6.1 arms the timer at the state's value, not at compare:
         * write compare again so the next read-back and the guest agree;
         * the guest sees one early timer interrupt, which it tolerates. */
        if (cur.w[st] == KVM_RISCV_TIMER_STATE_ON) img_set(c, KVM_IMG_TIMER, cur.w[KVM_IMG_TIMER]);
        c->shadow.w[st] = cur.w[st];
        c->shadow.w[KVM_IMG_TIMER] = cur.w[KVM_IMG_TIMER];
    }
    /* The guest's time follows rvmm's clock, which stops while the VM is
     * paused and continues from a snapshot's time on restore. */
    int64_t off = vclock_offset(h->clock);
    if (!c->time_pushed || off != c->clock_offset) {
        uint64_t now = vclock_ticks(h->clock);
        int rc =
            kvm_set_reg(c->fd, REG64(KVM_REG_RISCV_TIMER, KVM_REG_RISCV_TIMER_REG(time)), &now);
        if (rc) return rc;
        c->clock_offset = off;
        c->time_pushed = true;
    }
    return kvm_mp_push(c);
}

int kvm_regs_pull(struct kvm_vcpu_ctx *c, struct rv_hart *h)
{
    int rc = kvm_regs_read_shadow(c);
    if (!rc) rc = kvm_mp_read(c);
    if (rc) return rc;
    image_to_hart(&c->shadow, c->has_fp, h);
    /* What the kernel holds, in the hart's normal form: untouched, the
     * hart compares equal to it and nothing is written back. */
    image_from_hart(h, c->has_fp, &c->shadow);
    return 0;
}

#endif
