/* Shared by the FP handler files (interp_fp.c for F and D, interp_fp_half.c
 * for Zfh/Zfhmin, interp_fp_zfa.c for Zfa): NaN boxing of narrower values
 * in the 64-bit f registers (unpriv spec, D extension, "NaN Boxing of
 * Narrower Values"), the FS gate with rounding-mode resolution, and the
 * FS=Dirty ending. Only the interp_fp*.c files include it. */
#ifndef RVMM_CPU_INTERP_FP_H
#define RVMM_CPU_INTERP_FP_H

#include "cpu/fpu.h"
#include "cpu/interp.h"

#define BOX32 0xffffffff00000000ULL
#define BOX16 0xffffffffffff0000ULL

/* A single-precision operand: the canonical NaN unless properly boxed. */
static inline uint32_t unbox(uint64_t v)
{
    return (v & BOX32) == BOX32 ? (uint32_t)v : F32_CANONICAL_NAN;
}

static inline uint64_t box(uint32_t v)
{
    return BOX32 | v;
}

static inline uint16_t unbox16(uint64_t v)
{
    return (v & BOX16) == BOX16 ? (uint16_t)v : F16_CANONICAL_NAN;
}

static inline uint64_t box16(uint16_t v)
{
    return BOX16 | v;
}

/* Checks FS and resolves the rounding mode; -1 when the instruction is
 * illegal (FS off, or a reserved/invalid dynamic rounding mode). */
static inline int fp_begin(const struct rv_hart *h, const struct rv_insn *i, unsigned *rm)
{
    if (!hart_fp_on(h)) return -1;
    unsigned r = i->rm == FRM_DYN ? h->frm : i->rm;
    if (r > FRM_RMM) return -1;
    *rm = r;
    return 0;
}

static inline int fp_done(struct rv_hart *h, const struct rv_insn *i)
{
    hart_fs_dirty(h);
    return interp_next(h, i);
}

/* Whether the hart has extension e: for the instructions that need two
 * (fcvt.d.h needs Zfhmin and D), the list's column names one of them. */
static inline bool fp_has(const struct rv_hart *h, enum cpu_ext e)
{
    return cpu_model_has(&h->cpu, e);
}

#endif
