/* The vector unit's configuration and persistence (V, RVV 1.0): what vtype
 * means (SEW, LMUL, the tail/mask policies, vill), VLMAX, what vsetvl{i}
 * and vsetivli do to vl and vtype, and the vector part of a hart's reset
 * and save/restore. The instructions themselves are the interpreter's
 * (interp_v.h and the interp_v_*.c family files). */
#ifndef RVMM_CPU_HART_VEC_H
#define RVMM_CPU_HART_VEC_H

#include "common/stream.h"
#include "cpu/hart.h"

#include <stdbool.h>
#include <stdint.h>

/* vtype (unpriv spec V chapter 3.4): vlmul[2:0], vsew[5:3], vta[6],
 * vma[7], reserved [62:8], vill[63]. */
#define VTYPE_VLMUL    7ULL
#define VTYPE_VSEW     (7ULL << 3)
#define VTYPE_VTA      (1ULL << 6)
#define VTYPE_VMA      (1ULL << 7)
#define VTYPE_RESERVED (((1ULL << 63) - 1) & ~0xffULL)
#define VTYPE_VILL     (1ULL << 63)

/* log2(LMUL) of vtype's vlmul field (-3..3); 4 is reserved. */
static inline int vec_lmul_log2(uint64_t vtype)
{
    int l = (int)(vtype & VTYPE_VLMUL);
    return l >= 4 ? l - 8 : l;
}

/* SEW in bytes (1, 2, 4, 8) of a legal vtype. */
static inline unsigned vec_sew_bytes(uint64_t vtype)
{
    return 1u << ((vtype >> 3) & 7);
}

/* Whether a vtype value (as vsetvl gets it) is one this hart supports:
 * SEW <= ELEN (64), vlmul not reserved, a fractional LMUL with
 * SEW <= LMUL * ELEN (as QEMU 7.2 decides), no reserved bit and not vill
 * itself. */
bool vec_vtype_ok(const struct rv_hart *h, uint64_t vtype);
/* VLMAX = LMUL * VLEN / SEW of a legal vtype. */
uint64_t vec_vlmax(const struct rv_hart *h, uint64_t vtype);
/* vsetvli/vsetivli/vsetvl (3.4-3.5): sets vtype (or vill, vl = 0 when it
 * is not supported) and vl from the AVL (vl = min(AVL, VLMAX)); avl_max
 * asks for VLMAX (rs1 = x0, rd != x0), keep_vl for the current vl (both
 * x0). Clears vstart and marks VS dirty. Returns the new vl. */
uint64_t vec_setvl(struct rv_hart *h, uint64_t vtype, uint64_t avl, bool avl_max, bool keep_vl);

/* Reset (vtype = vill, vl = vstart = 0, registers zero) for the hart's
 * model (vlenb from its VLEN, 0 without V). */
void hart_vec_reset(struct rv_hart *h);
/* The vector state in the hart's section: vlenb, then (with V) vstart,
 * vl, vtype, vxrm, vxsat and the 32 registers. */
void hart_vec_save(const struct rv_hart *h, struct stream *s);
/* Reads what hart_vec_save wrote into *v, and checks it against h's
 * model (VLEN must match) and the values a hart can hold. 0 or -EINVAL;
 * h is not changed. */
int hart_vec_load(const struct rv_hart *h, struct stream *s, struct rv_vstate *v);

#endif
