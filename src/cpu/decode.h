/* Instruction decoding: raw bits (16 or 32) to a predecoded rv_insn with its
 * operation, register numbers and immediate extracted once. The interpreter
 * and JIT execute rv_insn records; nothing here executes anything. */
#ifndef RVMM_CPU_DECODE_H
#define RVMM_CPU_DECODE_H

#include "cpu/cpu_model.h"

#include <stdbool.h>
#include <stdint.h>

enum rv_op {
#define RV_INSN(name, fmt, ext, flags, jit, mask, match) RV_OP_##name,
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

/* What the list's flags column says about an instruction. */
enum {
    INSN_END_YES = 1,     /* ends a block: control transfer or system instruction */
    INSN_RD_FP = 2,       /* rd names an f register */
    INSN_F_BRANCH = 4,    /* a conditional branch to pc + imm */
    INSN_F_JUMP = 8,      /* an unconditional jump (jal, jalr) */
    INSN_F_JUMP_REG = 16, /* the target comes from a register (jalr) */
    INSN_F_FP_ONLY = 32,  /* reads and writes only f registers, fflags, frm, mstatus */
    INSN_F_PLAIN = 64,    /* the JIT runs it natively with rax as its only scratch */
    INSN_F_VREG = 128,    /* rd names a vector register (V): v0 is not the x0 sink */
};
/* The column's tokens: each stands for a set of the bits above. */
enum {
    INSN_NO = 0,
    INSN_END = INSN_END_YES,
    INSN_BRANCH = INSN_END_YES | INSN_F_BRANCH,
    INSN_JUMP = INSN_END_YES | INSN_F_JUMP,
    INSN_JUMP_REG = INSN_END_YES | INSN_F_JUMP | INSN_F_JUMP_REG,
    INSN_FP_ONLY = INSN_RD_FP | INSN_F_FP_ONLY,
    INSN_PLAIN = INSN_F_PLAIN,
    INSN_VEC = INSN_F_VREG,
};

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

/* Decodes one instruction for a hart with the extensions in `ext`
 * (CPU_X mask, cpu_model.h). `raw` holds 16 bits for a compressed instruction (low
 * bits != 11) or 32 bits. Fills op, fmt-derived fields and len; an unknown
 * or reserved encoding, or one of an extension that is off, decodes to
 * RV_OP_illegal. Returns INSN_END_YES if the instruction must end a block,
 * else 0. */
int decode_insn_ext(uint32_t raw, uint64_t ext, struct rv_insn *out);
/* decode_insn_ext with every extension rvmm implements. */
int decode_insn(uint32_t raw, struct rv_insn *out);

const char *decode_op_name(enum rv_op op);
/* The op's flags (INSN_* bits); RV_OP_illegal ends a block. */
unsigned decode_op_flags(unsigned op);
/* The extensions (CPU_X mask) of which any makes op legal. */
uint64_t decode_op_ext(unsigned op);

/* A control transfer whose target is pc + imm: a conditional branch or jal. */
static inline bool decode_is_direct(unsigned op)
{
    unsigned f = decode_op_flags(op);
    return (f & INSN_F_BRANCH) || (f & (INSN_F_JUMP | INSN_F_JUMP_REG)) == INSN_F_JUMP;
}

/* Any branch or jump (the instructions that end a region's sub-block). */
static inline bool decode_is_jump(unsigned op)
{
    return decode_op_flags(op) & (INSN_F_BRANCH | INSN_F_JUMP);
}

static inline unsigned decode_insn_len(uint32_t low16)
{
    return (low16 & 3) == 3 ? 4 : 2;
}

#endif
