/* Table-driven decoder generated from insn_list.h. Owns immediate extraction
 * per format (unpriv spec 2.3, "Immediate Encoding Variants") and the x0 write
 * sink; does not know what any instruction does. */
#include "cpu/decode.h"

#include "common/types.h"
#include "cpu/rvc.h"

#include <string.h>

struct insn_desc {
    const char *name;
    uint32_t mask, match;
    uint64_t ext;
    uint8_t fmt;
    uint8_t flags;
};

#define X(name) CPU_X(name)
static const struct insn_desc insn_table[] = {
#define RV_INSN(name, fmt, ext, flags, jit, mask, match)                                           \
    {#name, mask, match, ext, FMT_##fmt, INSN_##flags},
#include "cpu/insn_list.h"
#undef RV_INSN
};
#undef X

_Static_assert(ARRAY_SIZE(insn_table) == RV_OP_illegal, "table matches enum");

const char *decode_op_name(enum rv_op op)
{
    if (op < RV_OP_illegal) return insn_table[op].name;
    return "illegal";
}

static int32_t imm_i(uint32_t x)
{
    return (int32_t)x >> 20;
}

static int32_t imm_s(uint32_t x)
{
    return ((int32_t)x >> 25) * 32 + (int32_t)((x >> 7) & 0x1f);
}

static int32_t imm_b(uint32_t x)
{
    uint32_t v = ((x >> 31) << 12) | (((x >> 7) & 1) << 11) | (((x >> 25) & 0x3f) << 5) |
                 (((x >> 8) & 0xf) << 1);
    return (int32_t)(v << 19) >> 19;
}

static int32_t imm_j(uint32_t x)
{
    uint32_t v = ((x >> 31) << 20) | (((x >> 12) & 0xff) << 12) | (((x >> 20) & 1) << 11) |
                 (((x >> 21) & 0x3ff) << 1);
    return (int32_t)(v << 11) >> 11;
}

unsigned decode_op_flags(unsigned op)
{
    return op < RV_OP_illegal ? insn_table[op].flags : INSN_END_YES;
}

uint64_t decode_op_ext(unsigned op)
{
    return op < RV_OP_illegal ? insn_table[op].ext : 0;
}

int decode_insn(uint32_t raw, struct rv_insn *out)
{
    return decode_insn_ext(raw, ~0ULL, out);
}

int decode_insn_ext(uint32_t raw, uint64_t ext, struct rv_insn *out)
{
    uint32_t x = raw;
    memset(out, 0, sizeof(*out));
    out->raw = raw;
    out->op = RV_OP_illegal;
    if ((raw & 3) != 3) {
        out->len = 2;
        out->raw = raw & 0xffff;
        if (rvc_expand_ext((uint16_t)raw, ext, &x) != 0) return INSN_END_YES;
    } else {
        out->len = 4;
    }

    const struct insn_desc *d = NULL;
    for (size_t k = 0; k < ARRAY_SIZE(insn_table); k++) {
        if ((x & insn_table[k].mask) == insn_table[k].match && (insn_table[k].ext & ext)) {
            d = &insn_table[k];
            out->op = (uint16_t)k;
            break;
        }
    }
    if (!d) return INSN_END_YES;

    out->rd = (x >> 7) & 31;
    out->rs1 = (x >> 15) & 31;
    out->rs2 = (x >> 20) & 31;
    out->rs3 = (x >> 27) & 31;
    out->rm = (x >> 12) & 7;
    switch (d->fmt) {
    case FMT_I: out->imm = imm_i(x); break;
    case FMT_S: out->imm = imm_s(x); break;
    case FMT_B: out->imm = imm_b(x); break;
    case FMT_U: out->imm = (int32_t)(x & 0xfffff000u); break;
    case FMT_J: out->imm = imm_j(x); break;
    case FMT_SH6: out->imm = (x >> 20) & 63; break;
    case FMT_SH5: out->imm = (x >> 20) & 31; break;
    case FMT_CSR: out->imm = (x >> 20) & 0xfff; break;
    default: break;
    }
    if (!(d->flags & (INSN_RD_FP | INSN_F_VREG)) && out->rd == 0) out->rd = RV_REG_SINK;
    return d->flags & INSN_END_YES;
}
