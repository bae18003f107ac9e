/* hart_run() under KVM: the KVM_RUN loop of one vCPU. MMIO exits are served
 * here from the hart's bus (devices unchanged); what needs the VMM returns
 * as rvmm's exit reasons: an SBI call KVM forwards (HART_EXIT_SBI, answered
 * through the run structure on the next entry), a system event as the SRST
 * call it came from, a kick as HART_EXIT_KICKED. Every KVM exit is counted
 * by reason in the hart's statistics. Also the PLIC's line to S-mode as
 * KVM_INTERRUPT. Must not touch the VMM: it sees the hart only. */
#include "cpu/kvm/kvm_impl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#if defined(__riscv) && __riscv_xlen == 64

#include <sys/ioctl.h>

/* SBI (riscv-sbi-doc 2.0, chapter 10): the system reset extension the VMM
 * serves, which a KVM system event becomes. */
#define SBI_EXT_SRST        0x53525354
#define SBI_SRST_SHUTDOWN   0
#define SBI_SRST_COLD_RESET 1

static void set_seip(struct kvm_vcpu_ctx *c, const struct rv_hart *h)
{
    pthread_mutex_lock(&c->irq_lock);
    bool on = __atomic_load_n(&h->irq_lines, __ATOMIC_ACQUIRE) & MIP_SEIP;
    struct kvm_interrupt irq = {.irq = on ? KVM_INTERRUPT_SET : KVM_INTERRUPT_UNSET};
    if (ioctl(c->fd, KVM_INTERRUPT, &irq) < 0)
        fprintf(stderr, "rvmm: hart %llu: KVM_INTERRUPT: %s\n", (unsigned long long)h->mhartid,
                strerror(errno));
    pthread_mutex_unlock(&c->irq_lock);
}

void kvm_hart_irq_changed(struct rv_hart *h, unsigned irq)
{
    /* Only the supervisor external line reaches a KVM guest: M-mode lines
     * (CLINT) have no M-mode to go to, timers and IPIs are the kernel's. */
    if (irq == IRQ_S_EXT && h->kvm_cpu) set_seip(h->kvm_cpu, h);
}

static void mmio(struct rv_hart *h, struct kvm_run *run)
{
    unsigned len = run->mmio.len;
    uint64_t v = 0;
    if (len != 1 && len != 2 && len != 4 && len != 8) len = 0; /* nothing we could serve */
    if (run->mmio.is_write) {
        h->stats.kvm_exits[HART_KVM_MMIO_WRITE]++;
        memcpy(&v, run->mmio.data, len);
        /* An access no device answers reads as zero and writes nowhere,
         * as on a bus without an error response. */
        if (len) h->bus.write(h->bus.opaque, run->mmio.phys_addr, len, v);
    } else {
        h->stats.kvm_exits[HART_KVM_MMIO_READ]++;
        if (len && h->bus.read(h->bus.opaque, run->mmio.phys_addr, len, &v)) v = 0;
        memcpy(run->mmio.data, &v, len);
    }
    h->stats.mmio_slow++;
}

/* The exit the VMM's SBI serves: the guest's a0-a7 as the interpreter
 * would leave them at an ecall. */
static void sbi_call(struct rv_hart *h, uint64_t eid, uint64_t fid, const uint64_t *args)
{
    for (unsigned k = 0; k < 6; k++)
        h->x[10 + k] = args[k];
    h->x[16] = fid;
    h->x[17] = eid;
}

enum hart_exit kvm_hart_run(struct rv_hart *h)
{
    struct kvm_vcpu_ctx *c = h->kvm_cpu;
    struct kvm_run *run = c->run;
    if (!__atomic_load_n(&c->thread_known, __ATOMIC_ACQUIRE)) {
        c->thread = pthread_self();
        __atomic_store_n(&c->thread_known, 1, __ATOMIC_RELEASE);
    }
    if (c->sbi_pending) { /* the VMM served the call: its answer */
        run->riscv_sbi.ret[0] = h->x[10];
        run->riscv_sbi.ret[1] = h->x[11];
        c->sbi_pending = false;
    }
    enum hart_exit e = HART_EXIT_FATAL;
    int rc = kvm_regs_push(c, h);
    if (rc) {
        fprintf(stderr, "rvmm: hart %llu: writing the vCPU's registers: %s\n",
                (unsigned long long)h->mhartid, strerror(-rc));
        goto out;
    }
    if (c->irq_resync) {
        c->irq_resync = false;
        set_seip(c, h);
    }
    for (;;) {
        if (__atomic_exchange_n(&h->kick, 0, __ATOMIC_ACQ_REL)) {
            e = HART_EXIT_KICKED;
            break;
        }
        int r = ioctl(c->fd, KVM_RUN, 0);
        int err = errno;
        __atomic_store_n(&run->immediate_exit, 0, __ATOMIC_SEQ_CST);
        if (r < 0) {
            if (err == EINTR || err == EAGAIN) {
                h->stats.kvm_exits[HART_KVM_INTR]++;
                continue; /* a kick: seen at the top */
            }
            fprintf(stderr, "rvmm: hart %llu: KVM_RUN: %s\n", (unsigned long long)h->mhartid,
                    strerror(err));
            break;
        }
        if (run->exit_reason == KVM_EXIT_MMIO) {
            mmio(h, run);
            continue;
        }
        if (run->exit_reason == KVM_EXIT_INTR) {
            h->stats.kvm_exits[HART_KVM_INTR]++;
            continue;
        }
        if (run->exit_reason == KVM_EXIT_RISCV_SBI) {
            h->stats.kvm_exits[HART_KVM_SBI]++;
            c->sbi_pending = true;
            e = HART_EXIT_SBI;
            break;
        }
        if (run->exit_reason == KVM_EXIT_SYSTEM_EVENT) {
            h->stats.kvm_exits[HART_KVM_SYSTEM_EVENT]++;
            uint64_t type = run->system_event.type;
            if (type != KVM_SYSTEM_EVENT_SHUTDOWN && type != KVM_SYSTEM_EVENT_RESET) continue;
            const uint64_t a[6] = {
                type == KVM_SYSTEM_EVENT_SHUTDOWN ? SBI_SRST_SHUTDOWN : SBI_SRST_COLD_RESET, 0};
            e = HART_EXIT_SBI;
            rc = kvm_regs_pull(c, h);
            /* After the registers: they hold the guest's own a0-a7. */
            sbi_call(h, SBI_EXT_SRST, 0, a);
            if (rc) e = HART_EXIT_FATAL;
            h->stats.exits[e]++;
            return e;
        }
        h->stats.kvm_exits[HART_KVM_OTHER]++;
        fprintf(stderr, "rvmm: hart %llu: unexpected KVM exit %u\n", (unsigned long long)h->mhartid,
                run->exit_reason);
        break;
    }
    rc = kvm_regs_pull(c, h);
    if (rc) {
        fprintf(stderr, "rvmm: hart %llu: reading the vCPU's registers: %s\n",
                (unsigned long long)h->mhartid, strerror(-rc));
        e = HART_EXIT_FATAL;
    }
    /* An SBI exit's a0-a7 come from the run structure: the same values. */
    if (e == HART_EXIT_SBI)
        sbi_call(h, run->riscv_sbi.extension_id, run->riscv_sbi.function_id,
                 (const uint64_t *)run->riscv_sbi.args);
out:
    h->stats.exits[e]++;
    return e;
}

#else /* not a riscv64 host: no hart ever gets a KVM vCPU */

enum hart_exit kvm_hart_run(struct rv_hart *h)
{
    h->stats.exits[HART_EXIT_FATAL]++;
    return HART_EXIT_FATAL;
}

void kvm_hart_irq_changed(struct rv_hart *h, unsigned irq)
{
    (void)h;
    (void)irq;
}

#endif
