/* Control and status registers (priv spec 1.12 chapter 2 and 3/4 for each
 * register). One place decides whether an access is legal. */
#ifndef RVMM_CPU_CSR_H
#define RVMM_CPU_CSR_H

#include "cpu/hart.h"

enum csr_op { CSR_OP_WRITE, CSR_OP_SET, CSR_OP_CLEAR };

/* Performs a Zicsr access: reads the old value, then (if do_write) writes
 * old op operand. Returns 0, or -1 for an illegal-instruction exception.
 * Every CSR instruction ends its block, so side effects on translation and
 * interrupts are seen before the next instruction. */
int csr_access(struct rv_hart *h, unsigned csr, enum csr_op op, uint64_t operand, bool do_write,
               uint64_t *old);

/* mstatus as read by software (SD, UXL, SXL filled in). */
uint64_t csr_read_mstatus(const struct rv_hart *h);

#endif
