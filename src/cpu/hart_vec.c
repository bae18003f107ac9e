/* The vector unit's configuration (vtype, VLMAX, vsetvl) and the vector
 * part of a hart's reset and save/restore. Owns the rules of the unpriv
 * spec's V chapter 3 (vector extension programmer's model) and 6
 * (configuration-setting instructions); executes no instruction. */
#include "cpu/hart_vec.h"

#include <errno.h>
#include <string.h>

bool vec_vtype_ok(const struct rv_hart *h, uint64_t vtype)
{
    if (vtype & (VTYPE_VILL | VTYPE_RESERVED)) return false;
    unsigned vsew = (unsigned)(vtype >> 3) & 7;
    int lmul = vec_lmul_log2(vtype);
    if (vsew > 3 || lmul == -4 || !h->vec.vlenb) return false;
    /* A fractional LMUL supports SEW up to LMUL * ELEN (3.4.2: the
     * minimum; QEMU 7.2 offers no more), so VLMAX >= 1 with VLEN >= 128. */
    return lmul >= 0 || (64u >> -lmul) >= (8u << vsew);
}

uint64_t vec_vlmax(const struct rv_hart *h, uint64_t vtype)
{
    int lmul = vec_lmul_log2(vtype);
    uint64_t n = h->vec.vlenb / vec_sew_bytes(vtype);
    return lmul >= 0 ? n << lmul : n >> -lmul;
}

uint64_t vec_setvl(struct rv_hart *h, uint64_t vtype, uint64_t avl, bool avl_max, bool keep_vl)
{
    struct rv_vstate *v = &h->vec;
    v->vstart = 0;
    hart_vs_dirty(h);
    if (!vec_vtype_ok(h, vtype)) {
        v->vtype = VTYPE_VILL;
        v->vl = 0;
        return 0;
    }
    uint64_t vlmax = vec_vlmax(h, vtype);
    if (avl_max)
        avl = vlmax;
    else if (keep_vl)
        avl = v->vl;
    v->vtype = vtype;
    v->vl = avl < vlmax ? avl : vlmax;
    return v->vl;
}

void hart_vec_reset(struct rv_hart *h)
{
    struct rv_vstate *v = &h->vec;
    v->vlenb = cpu_model_has(&h->cpu, CPU_EXT_v) ? (uint16_t)(cpu_model_vlen(&h->cpu) / 8) : 0;
    v->vstart = v->vl = 0;
    v->vtype = VTYPE_VILL;
    v->vxrm = v->vxsat = 0;
    memset(v->reg, 0, sizeof(v->reg));
}

void hart_vec_save(const struct rv_hart *h, struct stream *s)
{
    const struct rv_vstate *v = &h->vec;
    stream_put_u32(s, v->vlenb);
    if (!v->vlenb) return;
    stream_put_u64(s, v->vstart);
    stream_put_u64(s, v->vl);
    stream_put_u64(s, v->vtype);
    stream_put_u8(s, v->vxrm);
    stream_put_u8(s, v->vxsat);
    stream_put(s, v->reg, 32u * v->vlenb);
}

int hart_vec_load(const struct rv_hart *h, struct stream *s, struct rv_vstate *v)
{
    memset(v, 0, sizeof(*v));
    v->vtype = VTYPE_VILL;
    uint32_t vlenb = stream_get_u32(s);
    if (s->err) return s->err;
    /* The model is the board's: a state saved under another VLEN would
     * not fit this hart's registers. */
    if (vlenb != h->vec.vlenb) return -EINVAL;
    if (!vlenb) return 0;
    v->vlenb = (uint16_t)vlenb;
    v->vstart = stream_get_u64(s);
    v->vl = stream_get_u64(s);
    v->vtype = stream_get_u64(s);
    v->vxrm = stream_get_u8(s);
    v->vxsat = stream_get_u8(s);
    if (stream_get(s, v->reg, 32u * vlenb)) return s->err ? s->err : -EINVAL;
    if (s->err) return s->err;
    /* Only what the instructions can leave: a supported vtype with vl up
     * to its VLMAX, or vill with vl = 0; vstart below VLEN (the largest
     * VLMAX); vxrm two bits, vxsat one. */
    if (v->vtype == VTYPE_VILL) {
        if (v->vl) return -EINVAL;
    } else if (!vec_vtype_ok(h, v->vtype) || v->vl > vec_vlmax(h, v->vtype)) {
        return -EINVAL;
    }
    if (v->vstart >= vlenb * 8u || v->vxrm > 3 || v->vxsat > 1) return -EINVAL;
    return 0;
}
