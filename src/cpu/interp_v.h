/* What every vector instruction family of the interpreter shares (V, RVV
 * 1.0): the configuration a handler runs under, element and mask access,
 * the register-group and overlap rules, and how a handler starts and ends.
 * Only src/cpu/interp_v_*.c include it.
 *
 * The contract of a family (memory, integer, fixed point, floating point,
 * reductions, mask, permutation, ...), so that one is added without
 * touching the others:
 *  1. Rows: its own list file src/cpu/insn_v_<family>.h, named by one
 *     include line in insn_list_v.h. Format R (the decoder gives rd = vd,
 *     rs1 = vs1/rs1/simm5 field, rs2 = vs2; everything else is read from
 *     i->raw: vm is bit 25, v_vm()). Extension column X(v), or the
 *     sub-extension (X(zvbb), ...). Flags VEC when rd is a vector register
 *     (decode.c keeps vd = v0 as 0), NO when it is an x register (x0 is
 *     then the write sink RV_REG_SINK), RD_FP when an f register.
 *     JIT column HELP: the JIT calls the handler (the interpreter is the
 *     reference; native vector code comes later, per row).
 *  2. Handlers interp_<row> in src/cpu/interp_v_<family>.c, which includes
 *     cpu/interp.h and this file only (and hart_vec.h, fpu.h as needed),
 *     never another family's file.
 *  3. A handler starts with `if (!v_begin(h, &c)) return interp_illegal(h,
 *     i);` (V on, vtype not vill; c holds SEW, LMUL, vl, vstart) unless it
 *     does not depend on vtype (whole-register moves, loads and stores:
 *     v_begin_any). Reserved encodings (a misaligned register group, an
 *     overlap 5.2 forbids, EMUL > 8, vd = v0 in a masked op writing a
 *     non-mask result) raise illegal with v_group_ok/v_overlap_ok/...
 *     before any state changes.
 *  4. Elements vstart..vl-1 are computed; an element whose mask bit is
 *     clear (v_active false) and the tail past vl are left undisturbed:
 *     rvmm's choice for the agnostic policies too (3.4.3 allows it; QEMU
 *     7.2's default), so vta/vma change nothing. Mask-producing
 *     instructions leave their tail bits undisturbed the same way.
 *  5. A trap at element k (a memory fault) leaves vstart = k and the
 *     elements before k written (v_trap_at); the re-executed instruction
 *     goes on from vstart (7.x: restartable).
 *  6. A handler that finished ends with `return v_done(h, i);`: vstart = 0,
 *     the vector state Dirty (mstatus.VS, and vsstatus.VS with V=1), the
 *     next instruction. A handler that writes an f or x register says so
 *     itself (hart_fs_dirty for f).
 *  7. Element access goes through v_get/v_gets/v_set/v_elem: offsets are
 *     masked to the register file, so no guest value can reach outside it
 *     even where a check were missed. */
#ifndef RVMM_CPU_INTERP_V_H
#define RVMM_CPU_INTERP_V_H

#include "cpu/hart_vec.h"
#include "cpu/interp.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* The configuration a vector handler runs under. */
struct v_cfg {
    uint64_t vl, vstart, vlmax;
    unsigned esz; /* SEW in bytes */
    int lmul;     /* log2(LMUL), -3..3 */
    bool vta, vma;
};

/* V on and (for v_begin) vtype valid; fills c. False: the handler raises
 * illegal instruction. */
static inline bool v_begin_any(struct rv_hart *h, struct v_cfg *c)
{
    const struct rv_vstate *v = &h->vec;
    if (!hart_vec_on(h)) return false;
    c->vl = v->vl;
    c->vstart = v->vstart;
    if (v->vtype & VTYPE_VILL) {
        c->esz = 1;
        c->lmul = 0;
        c->vlmax = 0;
        c->vta = c->vma = false;
        return true;
    }
    c->esz = vec_sew_bytes(v->vtype);
    c->lmul = vec_lmul_log2(v->vtype);
    c->vlmax = vec_vlmax(h, v->vtype);
    c->vta = (v->vtype & VTYPE_VTA) != 0;
    c->vma = (v->vtype & VTYPE_VMA) != 0;
    return true;
}

static inline bool v_begin(struct rv_hart *h, struct v_cfg *c)
{
    return v_begin_any(h, c) && !(h->vec.vtype & VTYPE_VILL);
}

/* The vm bit: 1 = unmasked. */
static inline bool v_vm(const struct rv_insn *i)
{
    return (i->raw >> 25) & 1;
}

/* Element k of EEW esz bytes of the group starting at register reg. */
static inline uint8_t *v_elem(struct rv_hart *h, unsigned reg, uint64_t k, unsigned esz)
{
    size_t off = ((size_t)reg * h->vec.vlenb + (size_t)k * esz) & (HART_VREG_BYTES - 1);
    return &h->vec.reg[off];
}

/* The element, zero-extended. */
static inline uint64_t v_get(struct rv_hart *h, unsigned reg, uint64_t k, unsigned esz)
{
    const uint8_t *p = v_elem(h, reg, k, esz);
    switch (esz) {
    case 1: return *p;
    case 2: {
        uint16_t v;
        memcpy(&v, p, 2);
        return v;
    }
    case 4: {
        uint32_t v;
        memcpy(&v, p, 4);
        return v;
    }
    default: {
        uint64_t v;
        memcpy(&v, p, 8);
        return v;
    }
    }
}

/* The element, sign-extended. */
static inline int64_t v_gets(struct rv_hart *h, unsigned reg, uint64_t k, unsigned esz)
{
    unsigned sh = 64 - 8 * esz;
    return (int64_t)(v_get(h, reg, k, esz) << sh) >> sh;
}

static inline void v_set(struct rv_hart *h, unsigned reg, uint64_t k, unsigned esz, uint64_t val)
{
    memcpy(v_elem(h, reg, k, esz), &val, esz); /* the low esz bytes (little-endian host) */
}

/* Mask bit k of register reg (mask layout: bit k of the register, 4.5). */
static inline bool v_mask(struct rv_hart *h, unsigned reg, uint64_t k)
{
    return (*v_elem(h, reg, k >> 3, 1) >> (k & 7)) & 1;
}

static inline void v_mask_set(struct rv_hart *h, unsigned reg, uint64_t k, bool bit)
{
    uint8_t *p = v_elem(h, reg, k >> 3, 1);
    *p = (uint8_t)((*p & ~(1u << (k & 7))) | ((unsigned)bit << (k & 7)));
}

/* Whether element k is active: unmasked, or its v0 mask bit set (5.3). */
static inline bool v_active(struct rv_hart *h, const struct rv_insn *i, uint64_t k)
{
    return v_vm(i) || v_mask(h, 0, k);
}

/* Registers a group of EMUL 2^emul spans (a fractional EMUL: one). */
static inline unsigned v_regs(int emul)
{
    return emul > 0 ? 1u << emul : 1u;
}

/* A group of EMUL 2^emul at reg is legal: EMUL <= 8 and reg a multiple of
 * it (5.2); it then ends at v31 or before. */
static inline bool v_group_ok(unsigned reg, int emul)
{
    return emul <= 3 && (reg & (v_regs(emul) - 1)) == 0;
}

/* The register groups [a, a + an) and [b, b + bn) share a register. */
static inline bool v_overlap(unsigned a, unsigned an, unsigned b, unsigned bn)
{
    return a < b + bn && b < a + an;
}

/* A destination group (vd, EEW ded bytes, EMUL 2^demul) may overlap a
 * source group (vs, sed, semul) only as 5.2 allows: same EEW; a narrower
 * destination in the lowest-numbered part of the source; a wider one in
 * the highest-numbered part of the destination with a source EMUL >= 1. */
static inline bool v_overlap_ok(unsigned vd, unsigned ded, int demul, unsigned vs, unsigned sed,
                                int semul)
{
    unsigned dn = v_regs(demul), sn = v_regs(semul);
    if (!v_overlap(vd, dn, vs, sn) || ded == sed) return true;
    if (ded < sed) return vd == vs;
    return semul >= 0 && vs + sn == vd + dn;
}

/* A masked instruction writing a non-mask result may not use v0 as its
 * destination (5.3). */
static inline bool v_mask_dest_ok(const struct rv_insn *i, unsigned vd)
{
    return v_vm(i) || vd != 0;
}

/* A trap at element k: what came before it stays, vstart says where to go
 * on (3.7). Returns what the faulting access returned (1: leave the
 * block). */
static inline int v_trap_at(struct rv_hart *h, uint64_t k)
{
    h->vec.vstart = k;
    hart_vs_dirty(h);
    return 1;
}

/* The end of a vector instruction that ran to its end. */
static inline int v_done(struct rv_hart *h, const struct rv_insn *i)
{
    h->vec.vstart = 0;
    hart_vs_dirty(h);
    return interp_next(h, i);
}

#endif
