/* SBI served by the VMM (`--bios builtin`): the hypercall interface a guest
 * kernel in S-mode calls with ecall, as KVM serves it for RISC-V guests.
 * SBI spec 2.0: BASE, TIME, IPI, RFENCE, HSM, SRST, DBCN, PMU and the legacy
 * extensions. */
#ifndef RVMM_VMM_SBI_H
#define RVMM_VMM_SBI_H

#include "cpu/hart.h"

enum sbi_ext_index {
    SBI_IDX_LEGACY,
    SBI_IDX_BASE,
    SBI_IDX_TIME,
    SBI_IDX_IPI,
    SBI_IDX_RFENCE,
    SBI_IDX_HSM,
    SBI_IDX_SRST,
    SBI_IDX_DBCN,
    SBI_IDX_PMU,
    SBI_IDX_UNKNOWN,
    SBI_IDX_COUNT
};

#define SBI_MAX_FID 9 /* calls counted per function id 0..8; higher ids in the last slot */

struct sbi_stats {
    uint64_t calls[SBI_IDX_COUNT][SBI_MAX_FID + 1];
};

struct vm;
struct vcpu;

/* Serves the SBI call a hart exited with (a7 = EID, a6 = FID, a0-a5 args);
 * writes a0 (error) and a1 (value) back. */
void sbi_handle(struct vm *vm, struct vcpu *v, struct rv_hart *h);
/* Puts a hart in the state SBI HSM hart_start defines: S-mode at addr with
 * a0 = hartid, a1 = arg, satp = 0, SIE = 0. */
/* hart_suspend types (SBI 2.0, 9.4). */
#define SBI_SUSPEND_RETENTIVE     0x00000000u
#define SBI_SUSPEND_NON_RETENTIVE 0x80000000u

void sbi_hart_enter(struct rv_hart *h, uint64_t addr, uint64_t arg);
/* Sets up a hart for builtin SBI: what firmware would delegate is
 * delegated to S-mode, Sstc and the counters are enabled. */
void sbi_hart_init(struct rv_hart *h);
const char *sbi_ext_name(enum sbi_ext_index i);

#endif
