/* The KVM engine: the third engine behind hart_run(), for riscv64 hosts
 * whose kernel offers /dev/kvm. A board's guest RAM becomes one KVM user
 * memory region of one KVM VM (struct kvm_vm); each hart gets a KVM vCPU,
 * run by its own vCPU thread. KVM_RUN exits map to rvmm's exit reasons: MMIO
 * is served from the hart's bus inside hart_run(), SBI calls KVM forwards
 * (and its system events, as SRST calls) come back as HART_EXIT_SBI for the
 * VMM's SBI, a kick as HART_EXIT_KICKED. The PLIC's line to S-mode drives
 * KVM_INTERRUPT; timers, IPIs, HSM and WFI stay in the kernel.
 *
 * Registers live in the kernel while the vCPU runs and in struct rv_hart
 * whenever hart_run() has returned (kvm_regs.c), so snapshots, the gdb stub
 * and --stats see the same struct as under the other engines, and a state
 * restored into it is written back before the next KVM_RUN.
 *
 * On other hosts every entry point reports that KVM is unavailable. */
#ifndef RVMM_CPU_KVM_KVM_H
#define RVMM_CPU_KVM_KVM_H

#include "cpu/hart.h"
#include "mem/ram.h"

#include <stdbool.h>
#include <stddef.h>

struct kvm_vm;

/* The KVM device rvmm opens. */
#define KVM_ENGINE_DEVICE "/dev/kvm"

/* Opens the KVM device and checks what the engine needs (API version, user
 * memory, ONE_REG, immediate exit, a riscv64 host). Returns the open fd, or a
 * negative errno with one line naming the missing piece in err. */
int kvm_engine_open(char *err, size_t errlen);
/* Whether the KVM engine would start here (the default engine's choice). */
bool kvm_engine_available(void);

/* The CPU model the KVM engine gives when none is asked for: rvmm's
 * default without h (KVM in Linux 6.1 does not virtualize the hypervisor
 * extension). */
void kvm_engine_default_model(struct cpu_model *m);

/* A KVM VM whose guest RAM is `ram` (one user memory region). */
int kvm_vm_create(struct kvm_vm **out, struct guest_ram *ram, char *err, size_t errlen);
/* Closes the VM; its harts must be destroyed (hart_destroy) first. */
void kvm_vm_destroy(struct kvm_vm *kvm);
/* Gives hart h (its mhartid is the vCPU id) a KVM vCPU and makes hart_run()
 * use it. The CPU model's letter extensions must be ones KVM offers. */
int kvm_vcpu_attach(struct kvm_vm *kvm, struct rv_hart *h, char *err, size_t errlen);
/* hart_destroy's part: closes the vCPU. */
void kvm_vcpu_detach(struct rv_hart *h);

/* hart_run() under KVM: runs until an exit needs the VMM. */
enum hart_exit kvm_hart_run(struct rv_hart *h);
/* hart_kick(): interrupts a KVM_RUN in progress, or the next one. */
void kvm_hart_kick(struct rv_hart *h);
/* hart_set_irq(): the S-mode external interrupt line becomes KVM_INTERRUPT. */
void kvm_hart_irq_changed(struct rv_hart *h, unsigned irq);

/* The vCPU's power state, which KVM's SBI HSM keeps in the kernel
 * (KVM_GET_MP_STATE): true while the guest has not started the hart, or
 * stopped it. Read whenever hart_run() returns, so a paused VM's value is
 * current. */
bool kvm_hart_stopped(const struct rv_hart *h);
/* Sets it (KVM_SET_MP_STATE), as a restore must: KVM creates every vCPU
 * but the first powered off. The vCPU's own thread applies it before its
 * next KVM_RUN (the ioctl would wait for a KVM_RUN in progress). */
void kvm_hart_set_stopped(struct rv_hart *h, bool stopped);

/* KVM_RUN exits by reason, as --stats and GET /stats name them. */
const char *kvm_exit_stat_name(unsigned k);

#endif
