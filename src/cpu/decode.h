/* Instruction decoding: raw bits (16 or 32) to a predecoded rv_insn with its
 * operation, register numbers and immediate extracted once. The interpreter
 * and JIT execute rv_insn records; nothing here executes anything. */
#ifndef RVMM_CPU_DECODE_H
#define RVMM_CPU_DECODE_H

#include <stdint.h>

enum rv_op {
#define RV_INSN(name, fmt, flags, mask, match) RV_OP_##name,
#include "cpu/insn_list.h"
#undef RV_INSN
    RV_OP_illegal,
    RV_OP_COUNT
};

enum rv_fmt {
    FMT_R,
    FMT_I,
    FMT_S,
    FMT_B,
    FMT_U,
    FMT_J,
    FMT_SH6,
    FMT_SH5,
    FMT_CSR,
    FMT_R4,
    FMT_NONE
};

/* Flags from the list's third column. */
enum { INSN_END_NO = 0, INSN_END_YES = 1, INSN_RD_FP = 2 };

/* Register index 32 is the write sink for rd == x0 (see struct rv_hart). */
#define RV_REG_SINK 32

struct rv_hart;
struct rv_insn;
typedef int (*rv_handler)(struct rv_hart *h, const struct rv_insn *i);

/* A predecoded instruction: 24 bytes, handler first. */
struct rv_insn {
    rv_handler fn;
    int32_t imm;
    uint8_t rd, rs1, rs2, rs3;
    uint32_t raw;    /* the instruction bits, 16-bit ones not expanded */
    uint16_t pc_off; /* offset from the block's first instruction */
    uint8_t idx;     /* index within the block */
    uint8_t len;     /* 2 or 4 */
    uint16_t op;     /* enum rv_op */
    uint8_t rm;      /* rounding-mode field (bits 14:12) */
    uint8_t pad;
};

/* Decodes one instruction. `raw` holds 16 bits for a compressed instruction
 * (low bits != 11) or 32 bits. Fills op, fmt-derived fields and len; an
 * unknown or reserved encoding decodes to RV_OP_illegal. Returns the flags of
 * the instruction (INSN_END_YES if it must end a block). */
int decode_insn(uint32_t raw, struct rv_insn *out);

const char *decode_op_name(enum rv_op op);

static inline unsigned decode_insn_len(uint32_t low16)
{
    return (low16 & 3) == 3 ? 4 : 2;
}

#endif
