/* Integer semantics: RV64I arithmetic, control transfer and the M extension
 * (unpriv spec chapters 2, 5 and 7). A handler returns 0 to go on with the
 * block or 1 when it set the pc itself (jumps, taken branches, traps). */
#include "cpu/interp.h"

#define RS1 (h->x[i->rs1])
#define RS2 (h->x[i->rs2])
#define RD  (h->x[i->rd])
#define IMM ((int64_t)i->imm)

static inline uint64_t sext32(uint64_t v)
{
    return (uint64_t)(int64_t)(int32_t)v;
}

int interp_lui(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (uint64_t)IMM;
    return interp_next(h, i);
}
int interp_auipc(struct rv_hart *h, const struct rv_insn *i)
{
    RD = interp_pc(h, i) + (uint64_t)IMM;
    return interp_next(h, i);
}

int interp_jal(struct rv_hart *h, const struct rv_insn *i)
{
    uint64_t pc = interp_pc(h, i);
    RD = pc + i->len;
    h->pc = pc + (uint64_t)IMM;
    return 1;
}

int interp_jalr(struct rv_hart *h, const struct rv_insn *i)
{
    uint64_t pc = interp_pc(h, i);
    uint64_t target = (RS1 + (uint64_t)IMM) & ~1ULL;
    RD = pc + i->len;
    h->pc = target;
    return 1;
}

static inline int branch(struct rv_hart *h, const struct rv_insn *i, bool taken)
{
    if (!taken)
        return interp_next(h, i); /* a branch ends its block: the block end is the next pc */
    h->pc = interp_pc(h, i) + (uint64_t)IMM;
    return 1;
}

int interp_beq(struct rv_hart *h, const struct rv_insn *i)
{
    return branch(h, i, RS1 == RS2);
}
int interp_bne(struct rv_hart *h, const struct rv_insn *i)
{
    return branch(h, i, RS1 != RS2);
}
int interp_blt(struct rv_hart *h, const struct rv_insn *i)
{
    return branch(h, i, (int64_t)RS1 < (int64_t)RS2);
}
int interp_bge(struct rv_hart *h, const struct rv_insn *i)
{
    return branch(h, i, (int64_t)RS1 >= (int64_t)RS2);
}
int interp_bltu(struct rv_hart *h, const struct rv_insn *i)
{
    return branch(h, i, RS1 < RS2);
}
int interp_bgeu(struct rv_hart *h, const struct rv_insn *i)
{
    return branch(h, i, RS1 >= RS2);
}

int interp_addi(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 + (uint64_t)IMM;
    return interp_next(h, i);
}
int interp_slti(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (int64_t)RS1 < IMM;
    return interp_next(h, i);
}
int interp_sltiu(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 < (uint64_t)IMM;
    return interp_next(h, i);
}
int interp_xori(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 ^ (uint64_t)IMM;
    return interp_next(h, i);
}
int interp_ori(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 | (uint64_t)IMM;
    return interp_next(h, i);
}
int interp_andi(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 & (uint64_t)IMM;
    return interp_next(h, i);
}
int interp_slli(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 << i->imm;
    return interp_next(h, i);
}
int interp_srli(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 >> i->imm;
    return interp_next(h, i);
}
int interp_srai(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (uint64_t)((int64_t)RS1 >> i->imm);
    return interp_next(h, i);
}
int interp_add(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 + RS2;
    return interp_next(h, i);
}
int interp_sub(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 - RS2;
    return interp_next(h, i);
}
int interp_sll(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 << (RS2 & 63);
    return interp_next(h, i);
}
int interp_slt(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (int64_t)RS1 < (int64_t)RS2;
    return interp_next(h, i);
}
int interp_sltu(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 < RS2;
    return interp_next(h, i);
}
int interp_xor(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 ^ RS2;
    return interp_next(h, i);
}
int interp_srl(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 >> (RS2 & 63);
    return interp_next(h, i);
}
int interp_sra(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (uint64_t)((int64_t)RS1 >> (RS2 & 63));
    return interp_next(h, i);
}
int interp_or(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 | RS2;
    return interp_next(h, i);
}
int interp_and(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 & RS2;
    return interp_next(h, i);
}
int interp_addiw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = sext32(RS1 + (uint64_t)IMM);
    return interp_next(h, i);
}
int interp_slliw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = sext32((uint32_t)RS1 << i->imm);
    return interp_next(h, i);
}
int interp_srliw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = sext32((uint32_t)RS1 >> i->imm);
    return interp_next(h, i);
}
int interp_sraiw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = sext32((uint32_t)((int32_t)RS1 >> i->imm));
    return interp_next(h, i);
}
int interp_addw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = sext32(RS1 + RS2);
    return interp_next(h, i);
}
int interp_subw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = sext32(RS1 - RS2);
    return interp_next(h, i);
}
int interp_sllw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = sext32((uint32_t)RS1 << (RS2 & 31));
    return interp_next(h, i);
}
int interp_srlw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = sext32((uint32_t)RS1 >> (RS2 & 31));
    return interp_next(h, i);
}
int interp_sraw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = sext32((uint32_t)((int32_t)RS1 >> (RS2 & 31)));
    return interp_next(h, i);
}

/* M extension; division by zero and overflow results per table 7.1. */
int interp_mul(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS1 * RS2;
    return interp_next(h, i);
}
int interp_mulh(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (uint64_t)(((__int128)(int64_t)RS1 * (__int128)(int64_t)RS2) >> 64);
    return interp_next(h, i);
}
int interp_mulhsu(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (uint64_t)(((__int128)(int64_t)RS1 * (__int128)(unsigned __int128)RS2) >> 64);
    return interp_next(h, i);
}
int interp_mulhu(struct rv_hart *h, const struct rv_insn *i)
{
    RD = (uint64_t)(((unsigned __int128)RS1 * RS2) >> 64);
    return interp_next(h, i);
}

int interp_div(struct rv_hart *h, const struct rv_insn *i)
{
    int64_t a = (int64_t)RS1, b = (int64_t)RS2;
    RD = b == 0 ? ~0ULL : (a == INT64_MIN && b == -1) ? (uint64_t)a : (uint64_t)(a / b);
    return interp_next(h, i);
}

int interp_divu(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS2 == 0 ? ~0ULL : RS1 / RS2;
    return interp_next(h, i);
}

int interp_rem(struct rv_hart *h, const struct rv_insn *i)
{
    int64_t a = (int64_t)RS1, b = (int64_t)RS2;
    RD = b == 0 ? (uint64_t)a : (a == INT64_MIN && b == -1) ? 0 : (uint64_t)(a % b);
    return interp_next(h, i);
}

int interp_remu(struct rv_hart *h, const struct rv_insn *i)
{
    RD = RS2 == 0 ? RS1 : RS1 % RS2;
    return interp_next(h, i);
}

int interp_mulw(struct rv_hart *h, const struct rv_insn *i)
{
    RD = sext32(RS1 * RS2);
    return interp_next(h, i);
}

int interp_divw(struct rv_hart *h, const struct rv_insn *i)
{
    int32_t a = (int32_t)RS1, b = (int32_t)RS2;
    RD = b == 0                        ? ~0ULL
         : (a == INT32_MIN && b == -1) ? sext32((uint32_t)a)
                                       : sext32((uint32_t)(a / b));
    return interp_next(h, i);
}

int interp_divuw(struct rv_hart *h, const struct rv_insn *i)
{
    uint32_t a = (uint32_t)RS1, b = (uint32_t)RS2;
    RD = b == 0 ? ~0ULL : sext32(a / b);
    return interp_next(h, i);
}

int interp_remw(struct rv_hart *h, const struct rv_insn *i)
{
    int32_t a = (int32_t)RS1, b = (int32_t)RS2;
    RD = b == 0 ? sext32((uint32_t)a) : (a == INT32_MIN && b == -1) ? 0 : sext32((uint32_t)(a % b));
    return interp_next(h, i);
}

int interp_remuw(struct rv_hart *h, const struct rv_insn *i)
{
    uint32_t a = (uint32_t)RS1, b = (uint32_t)RS2;
    RD = b == 0 ? sext32(a) : sext32(a % b);
    return interp_next(h, i);
}
