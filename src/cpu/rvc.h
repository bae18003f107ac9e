/* The RV64C expander: turns one 16-bit compressed instruction into the single
 * 32-bit RV64GC instruction it stands for (unpriv spec, "C" Standard Extension
 * for Compressed Instructions, Version 2.0), so the decoder, interpreter and
 * JIT only ever see 32-bit encodings. It is a pure function of the halfword:
 * it must not read hart state (misa.C, mstatus.FS, privilege); whether the
 * expanded instruction may execute is the decoder's business. */
#ifndef RVMM_CPU_RVC_H
#define RVMM_CPU_RVC_H

#include <stdint.h>

/* Expands a 16-bit RVC instruction into the equivalent 32-bit RV64 encoding.
 * Returns 0 and stores it in *out, or -1 if the encoding is illegal or reserved
 * on RV64GC (the caller raises an illegal-instruction exception with tval=the 16-bit insn). */
int rvc_expand(uint16_t insn, uint32_t *out);
/* rvc_expand for a hart with the extensions in `ext` (CPU_X mask,
 * cpu_model.h): -1 for everything when C is off; Zcb and Zcmop add their
 * encodings. Still a pure function of its arguments. */
int rvc_expand_ext(uint16_t insn, uint64_t ext, uint32_t *out);

#endif
