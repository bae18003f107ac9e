/* What the files of the KVM engine share (riscv64 hosts only): the VM and
 * vCPU structs and the register image kvm_regs.c moves between struct
 * rv_hart and the kernel. Nothing outside src/cpu/kvm includes this. */
#ifndef RVMM_CPU_KVM_KVM_IMPL_H
#define RVMM_CPU_KVM_KVM_IMPL_H

#include "cpu/kvm/kvm.h"

#include <linux/kvm.h>
#include <pthread.h>

struct kvm_vm {
    int kvm_fd, vm_fd;
    size_t run_size; /* KVM_GET_VCPU_MMAP_SIZE */
    struct guest_ram *ram;
    /* The memory slot's dirty log (KVM_MEM_LOG_DIRTY_PAGES) as rvmm's RAM
     * dirty_ops: on or off, and the buffer KVM_GET_DIRTY_LOG fills. */
    pthread_mutex_t log_lock;
    bool logging;
    uint64_t *log_buf;
};

/* The registers the engine keeps in step, one 64-bit word each (fcsr
 * included), in the order kvm_regs.c lists their ONE_REG ids. */
enum {
    KVM_IMG_CORE = 0,                 /* pc, x1..x31, mode */
    KVM_IMG_CSR = KVM_IMG_CORE + 33,  /* sstatus .. scounteren */
    KVM_IMG_FP = KVM_IMG_CSR + 10,    /* f0..f31, fcsr */
    KVM_IMG_TIMER = KVM_IMG_FP + 33,  /* compare, state */
    KVM_IMG_WORDS = KVM_IMG_TIMER + 2 /* the guest time is pushed apart */
};

struct kvm_reg_image {
    uint64_t w[KVM_IMG_WORDS];
};

struct kvm_vcpu_ctx {
    struct kvm_vm *vm;
    int fd;
    struct kvm_run *run;
    bool has_fp; /* the vCPU has D (its FP registers are the D ones) */
    /* The vCPU thread, once it ran: kicks signal it. */
    pthread_t thread;
    int thread_known; /* atomic */
    /* KVM_INTERRUPT follows irq_lines' SEIP: serialized so the kernel
     * always ends up with the latest level. */
    pthread_mutex_t irq_lock;
    /* What the kernel holds, as last written or read: a register of the
     * hart that differs from it was changed by the VMM (a restore, the
     * gdb stub) and is written back before KVM_RUN. */
    struct kvm_reg_image shadow;
    int64_t clock_offset; /* the vclock offset the guest time was set from */
    bool time_pushed;
    bool sbi_pending; /* an SBI exit is being served: its a0/a1 go into run */
    bool irq_resync;  /* sip was written: tell KVM the SEIP line again */
    /* The power state (KVM_MP_STATE_*) as last read, and one the VMM set
     * that the next KVM_RUN applies first (-1: none). */
    bool stopped;
    int mp_pending;
};

/* kvm_regs.c: the register image of the kernel's vCPU (GET_ONE_REG) into
 * shadow; the hart's registers into the kernel where they differ from the
 * shadow (before KVM_RUN); the kernel's registers into the hart (after). */
int kvm_regs_read_shadow(struct kvm_vcpu_ctx *c);
int kvm_regs_push(struct kvm_vcpu_ctx *c, struct rv_hart *h);
int kvm_regs_pull(struct kvm_vcpu_ctx *c, struct rv_hart *h);
/* The power state: read into c->stopped; c->mp_pending written. */
int kvm_mp_read(struct kvm_vcpu_ctx *c);
int kvm_mp_push(struct kvm_vcpu_ctx *c);

/* ONE_REG access to one register, 0 or -errno. */
int kvm_get_reg(int fd, uint64_t id, void *val);
int kvm_set_reg(int fd, uint64_t id, const void *val);

#endif
