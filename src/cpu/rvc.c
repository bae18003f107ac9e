/* The RV64C expander (unpriv spec, "C" Standard Extension for Compressed
 * Instructions, Version 2.0; section references below are to that chapter).
 * It owns the mapping from every 16-bit RV64C encoding to its 32-bit
 * equivalent and the list of which RVC code points are reserved on RV64GC.
 * It must not know about hart state or execute anything: HINT code points
 * expand to the ordinary instruction that happens not to change state, so the
 * 32-bit decoder needs no RVC special cases. rvc_expand() is RV64GC;
 * rvc_expand_ext() adds the Zcb and Zcmop encodings, which sit in code
 * points RV64GC reserves. */
#include "cpu/rvc.h"

#include "cpu/cpu_model.h"

#include <stdbool.h>

/* Major opcodes of the 32-bit encodings (unpriv spec, "RV32/64G Instruction
 * Set Listings", opcode map). */
enum {
    OPC_LOAD = 0x03,
    OPC_LOAD_FP = 0x07,
    OPC_OP_IMM = 0x13,
    OPC_OP_IMM_32 = 0x1b,
    OPC_STORE = 0x23,
    OPC_STORE_FP = 0x27,
    OPC_OP = 0x33,
    OPC_LUI = 0x37,
    OPC_OP_32 = 0x3b,
    OPC_BRANCH = 0x63,
    OPC_JALR = 0x67,
    OPC_JAL = 0x6f,
};

enum { REG_ZERO = 0, REG_RA = 1, REG_SP = 2 };

/* ebreak has no operands: its whole encoding is fixed. */
#define RVC_EBREAK_INSN 0x00100073u

/* insn[hi:lo], right-aligned. */
static uint32_t field(uint32_t insn, unsigned hi, unsigned lo)
{
    return (insn >> lo) & ((1u << (hi - lo + 1)) - 1);
}

/* Places insn[hi:lo] at bit `to` of the immediate being reassembled. */
static uint32_t move(uint32_t insn, unsigned hi, unsigned lo, unsigned to)
{
    return field(insn, hi, lo) << to;
}

/* Sign-extends the low `width` bits of v ("sign-extension is always from
 * bit 12", section "Compressed Instruction Formats"). */
static int32_t sext(uint32_t v, unsigned width)
{
    uint32_t sign = 1u << (width - 1);
    v &= (sign << 1) - 1;
    return (int32_t)(v ^ sign) - (int32_t)sign;
}

/* The 3-bit rd'/rs1'/rs2' fields name x8-x15 (and f8-f15). */
static uint32_t creg(uint32_t insn, unsigned lo)
{
    return 8 + field(insn, lo + 2, lo);
}

static uint32_t enc_r(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t rd,
                      uint32_t opc)
{
    return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}

static uint32_t enc_i(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t opc)
{
    return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}

static uint32_t enc_s(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t opc)
{
    uint32_t u = (uint32_t)imm;
    return field(u, 11, 5) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | field(u, 4, 0) << 7 | opc;
}

static uint32_t enc_b(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3)
{
    uint32_t u = (uint32_t)imm;
    return field(u, 12, 12) << 31 | field(u, 10, 5) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
           field(u, 4, 1) << 8 | field(u, 11, 11) << 7 | OPC_BRANCH;
}

static uint32_t enc_j(int32_t imm, uint32_t rd)
{
    uint32_t u = (uint32_t)imm;
    return field(u, 20, 20) << 31 | field(u, 10, 1) << 21 | field(u, 11, 11) << 20 |
           field(u, 19, 12) << 12 | rd << 7 | OPC_JAL;
}

/* The CI-format 6-bit signed immediate imm[5|4:0] (c.addi, c.addiw, c.li,
 * c.andi). */
static int32_t ci_imm(uint32_t insn)
{
    return sext(move(insn, 12, 12, 5) | move(insn, 6, 2, 0), 6);
}

/* The 6-bit shift amount shamt[5|4:0]; on RV64 shamt[5] is a real bit and
 * shamt=0 is a HINT that still expands (section "Integer Register-Immediate
 * Operations"). */
static uint32_t ci_shamt(uint32_t insn)
{
    return move(insn, 12, 12, 5) | move(insn, 6, 2, 0);
}

/* Quadrant 0: CIW/CL/CS formats on x8-x15 (rvc-instr-table0). */
static int expand_q0(uint32_t insn, uint32_t *out)
{
    uint32_t rdp = creg(insn, 2), rs1p = creg(insn, 7);
    /* uimm[5:3] in 12:10 for every CL/CS load/store; the rest differ. */
    uint32_t uimm_d = move(insn, 12, 10, 3) | move(insn, 6, 5, 6);
    uint32_t uimm_w = move(insn, 12, 10, 3) | move(insn, 6, 6, 2) | move(insn, 5, 5, 6);

    switch (field(insn, 15, 13)) {
    case 0: { /* c.addi4spn: nzuimm[5:4|9:6|2|3]; nzuimm=0 is reserved and
               * covers the all-zero "defined illegal instruction". */
        uint32_t nzuimm = move(insn, 12, 11, 4) | move(insn, 10, 7, 6) | move(insn, 6, 6, 2) |
                          move(insn, 5, 5, 3);
        if (nzuimm == 0) return -1;
        *out = enc_i((int32_t)nzuimm, REG_SP, 0, rdp, OPC_OP_IMM);
        return 0;
    }
    case 1: *out = enc_i((int32_t)uimm_d, rs1p, 3, rdp, OPC_LOAD_FP); return 0; /* c.fld */
    case 2: *out = enc_i((int32_t)uimm_w, rs1p, 2, rdp, OPC_LOAD); return 0;    /* c.lw */
    case 3: *out = enc_i((int32_t)uimm_d, rs1p, 3, rdp, OPC_LOAD); return 0;    /* c.ld */
    case 4: return -1; /* reserved (Zcb lives here; not in RV64GC) */
    case 5: *out = enc_s((int32_t)uimm_d, rdp, rs1p, 3, OPC_STORE_FP); return 0; /* c.fsd */
    case 6: *out = enc_s((int32_t)uimm_w, rdp, rs1p, 2, OPC_STORE); return 0;    /* c.sw */
    default: *out = enc_s((int32_t)uimm_d, rdp, rs1p, 3, OPC_STORE); return 0;   /* c.sd */
    }
}

/* Quadrant 1, funct3=100 (MISC-ALU): shifts, c.andi and the CA group. */
static int expand_misc_alu(uint32_t insn, uint32_t *out)
{
    uint32_t rd = creg(insn, 7), rs2 = creg(insn, 2);
    /* funct3/funct7 of sub, xor, or, and, subw, addw, indexed by
     * insn[12] * 4 + insn[6:5]; the last two are reserved on RV64. */
    static const struct {
        uint8_t f3, f7, opc;
    } ca[8] = {
        {0, 0x20, OPC_OP},    {4, 0, OPC_OP},    {6, 0, OPC_OP}, {7, 0, OPC_OP},
        {0, 0x20, OPC_OP_32}, {0, 0, OPC_OP_32}, {0, 0, 0},      {0, 0, 0},
    };

    switch (field(insn, 11, 10)) {
    case 0: *out = enc_i((int32_t)ci_shamt(insn), rd, 5, rd, OPC_OP_IMM); return 0; /* c.srli */
    case 1: /* c.srai: imm[11:6]=010000 selects the arithmetic shift */
        *out = enc_i((int32_t)(0x400 | ci_shamt(insn)), rd, 5, rd, OPC_OP_IMM);
        return 0;
    case 2: *out = enc_i(ci_imm(insn), rd, 7, rd, OPC_OP_IMM); return 0; /* c.andi */
    default: {
        uint32_t i = field(insn, 12, 12) << 2 | field(insn, 6, 5);
        if (ca[i].opc == 0) return -1;
        *out = enc_r(ca[i].f7, rs2, rd, ca[i].f3, rd, ca[i].opc);
        return 0;
    }
    }
}

/* Quadrant 1: CI/CB/CJ formats (rvc-instr-table1). */
static int expand_q1(uint32_t insn, uint32_t *out)
{
    uint32_t rd = field(insn, 11, 7);

    switch (field(insn, 15, 13)) {
    case 0: /* c.nop / c.addi; rd=0 or imm=0 are HINTs, still addi */
        *out = enc_i(ci_imm(insn), rd, 0, rd, OPC_OP_IMM);
        return 0;
    case 1: /* c.addiw (c.jal is RV32-only); rd=0 reserved, imm=0 is sext.w */
        if (rd == REG_ZERO) return -1;
        *out = enc_i(ci_imm(insn), rd, 0, rd, OPC_OP_IMM_32);
        return 0;
    case 2: /* c.li; rd=0 is a HINT */
        *out = enc_i(ci_imm(insn), REG_ZERO, 0, rd, OPC_OP_IMM);
        return 0;
    case 3:
        if (rd == REG_SP) { /* c.addi16sp: nzimm[9|4|6|8:7|5], nzimm=0 reserved */
            int32_t imm = sext(move(insn, 12, 12, 9) | move(insn, 6, 6, 4) | move(insn, 5, 5, 6) |
                                   move(insn, 4, 3, 7) | move(insn, 2, 2, 5),
                               10);
            if (imm == 0) return -1;
            *out = enc_i(imm, REG_SP, 0, REG_SP, OPC_OP_IMM);
            return 0;
        } else { /* c.lui: nzimm[17|16:12], nzimm=0 reserved, rd=0 a HINT */
            int32_t imm = sext(move(insn, 12, 12, 17) | move(insn, 6, 2, 12), 18);
            if (imm == 0) return -1;
            *out = ((uint32_t)imm & 0xfffff000u) | rd << 7 | OPC_LUI;
            return 0;
        }
    case 4: return expand_misc_alu(insn, out);
    case 5: { /* c.j: offset[11|4|9:8|10|6|7|3:1|5] */
        int32_t off = sext(move(insn, 12, 12, 11) | move(insn, 11, 11, 4) | move(insn, 10, 9, 8) |
                               move(insn, 8, 8, 10) | move(insn, 7, 7, 6) | move(insn, 6, 6, 7) |
                               move(insn, 5, 3, 1) | move(insn, 2, 2, 5),
                           12);
        *out = enc_j(off, REG_ZERO);
        return 0;
    }
    default: { /* c.beqz / c.bnez: offset[8|4:3] rs1' offset[7:6|2:1|5] */
        int32_t off = sext(move(insn, 12, 12, 8) | move(insn, 11, 10, 3) | move(insn, 6, 5, 6) |
                               move(insn, 4, 3, 1) | move(insn, 2, 2, 5),
                           9);
        uint32_t f3 = field(insn, 13, 13); /* beq=0, bne=1 */
        *out = enc_b(off, REG_ZERO, creg(insn, 7), f3);
        return 0;
    }
    }
}

/* Quadrant 2, funct3=100: c.jr, c.mv, c.ebreak, c.jalr, c.add (CR format). */
static int expand_cr(uint32_t insn, uint32_t *out)
{
    uint32_t rs1 = field(insn, 11, 7), rs2 = field(insn, 6, 2);

    if (field(insn, 12, 12) == 0) {
        if (rs2 != REG_ZERO) { /* c.mv: add rd, x0, rs2 (rd=0 is a HINT) */
            *out = enc_r(0, rs2, REG_ZERO, 0, rs1, OPC_OP);
            return 0;
        }
        if (rs1 == REG_ZERO) return -1; /* c.jr with rs1=0 is reserved */
        *out = enc_i(0, rs1, 0, REG_ZERO, OPC_JALR);
        return 0;
    }
    if (rs2 != REG_ZERO) { /* c.add: add rd, rd, rs2 (rd=0 is a HINT) */
        *out = enc_r(0, rs2, rs1, 0, rs1, OPC_OP);
        return 0;
    }
    *out = rs1 == REG_ZERO ? RVC_EBREAK_INSN : enc_i(0, rs1, 0, REG_RA, OPC_JALR);
    return 0;
}

/* Quadrant 2: CI/CR/CSS formats on the full register file (rvc-instr-table2). */
static int expand_q2(uint32_t insn, uint32_t *out)
{
    uint32_t rd = field(insn, 11, 7), rs2 = field(insn, 6, 2);
    /* Stack-relative offsets (section "Stack-Pointer-Based Loads and Stores"). */
    uint32_t ldsp = move(insn, 12, 12, 5) | move(insn, 6, 5, 3) | move(insn, 4, 2, 6);
    uint32_t lwsp = move(insn, 12, 12, 5) | move(insn, 6, 4, 2) | move(insn, 3, 2, 6);
    uint32_t sdsp = move(insn, 12, 10, 3) | move(insn, 9, 7, 6);
    uint32_t swsp = move(insn, 12, 9, 2) | move(insn, 8, 7, 6);

    switch (field(insn, 15, 13)) {
    case 0: /* c.slli; rd=0 and shamt=0 are HINTs */
        *out = enc_i((int32_t)ci_shamt(insn), rd, 1, rd, OPC_OP_IMM);
        return 0;
    case 1: *out = enc_i((int32_t)ldsp, REG_SP, 3, rd, OPC_LOAD_FP); return 0; /* c.fldsp */
    case 2:                                                                    /* c.lwsp */
        if (rd == REG_ZERO) return -1;
        *out = enc_i((int32_t)lwsp, REG_SP, 2, rd, OPC_LOAD);
        return 0;
    case 3: /* c.ldsp */
        if (rd == REG_ZERO) return -1;
        *out = enc_i((int32_t)ldsp, REG_SP, 3, rd, OPC_LOAD);
        return 0;
    case 4: return expand_cr(insn, out);
    case 5: *out = enc_s((int32_t)sdsp, rs2, REG_SP, 3, OPC_STORE_FP); return 0; /* c.fsdsp */
    case 6: *out = enc_s((int32_t)swsp, rs2, REG_SP, 2, OPC_STORE); return 0;    /* c.swsp */
    default: *out = enc_s((int32_t)sdsp, rs2, REG_SP, 3, OPC_STORE); return 0;   /* c.sdsp */
    }
}

int rvc_expand(uint16_t insn, uint32_t *out)
{
    switch (insn & 3) {
    case 0: return expand_q0(insn, out);
    case 1: return expand_q1(insn, out);
    case 2: return expand_q2(insn, out);
    default: return -1; /* quadrant 3 is the 32-bit (and longer) space */
    }
}

/* Zcb (unpriv spec 29.13), quadrant 0 funct3=100: byte and halfword
 * loads and stores on x8-x15, uimm[1] in bit 5 and uimm[0] in bit 6. */
static int expand_zcb_q0(uint32_t insn, uint32_t *out)
{
    uint32_t rdp = creg(insn, 2), rs1p = creg(insn, 7);
    uint32_t ub = move(insn, 6, 6, 0) | move(insn, 5, 5, 1), uh = move(insn, 5, 5, 1);
    bool bit6 = field(insn, 6, 6);
    switch (field(insn, 12, 10)) {
    case 0: *out = enc_i((int32_t)ub, rs1p, 4, rdp, OPC_LOAD); return 0; /* c.lbu */
    case 1:                                                              /* c.lhu, c.lh */
        *out = enc_i((int32_t)uh, rs1p, bit6 ? 1 : 5, rdp, OPC_LOAD);
        return 0;
    case 2: *out = enc_s((int32_t)ub, rdp, rs1p, 0, OPC_STORE); return 0; /* c.sb */
    case 3:
        if (bit6) return -1;
        *out = enc_s((int32_t)uh, rdp, rs1p, 1, OPC_STORE); /* c.sh */
        return 0;
    default: return -1;
    }
}

/* Zcb, quadrant 1 funct6=100111 with funct2 10 (c.mul) or 11 (the unary
 * group selected by bits 4:2). The sign/zero extensions expand to their
 * Zbb/Zba instructions, so they exist only with those (the decoder's
 * extension check on the expansion). */
static int expand_zcb_q1(uint32_t insn, uint32_t *out)
{
    uint32_t rd = creg(insn, 7);
    if (field(insn, 6, 5) == 2) { /* c.mul */
        *out = enc_r(1, creg(insn, 2), rd, 0, rd, OPC_OP);
        return 0;
    }
    switch (field(insn, 4, 2)) {
    case 0: *out = enc_i(0xff, rd, 7, rd, OPC_OP_IMM); return 0;          /* c.zext.b */
    case 1: *out = enc_i(0x604, rd, 1, rd, OPC_OP_IMM); return 0;         /* c.sext.b */
    case 2: *out = enc_r(0x04, REG_ZERO, rd, 4, rd, OPC_OP_32); return 0; /* c.zext.h */
    case 3: *out = enc_i(0x605, rd, 1, rd, OPC_OP_IMM); return 0;         /* c.sext.h */
    case 4: *out = enc_r(0x04, REG_ZERO, rd, 0, rd, OPC_OP_32); return 0; /* c.zext.w */
    case 5: *out = enc_i(-1, rd, 4, rd, OPC_OP_IMM); return 0;            /* c.not */
    default: return -1;
    }
}

int rvc_expand_ext(uint16_t insn, uint64_t ext, uint32_t *out)
{
    if (!(ext & CPU_X(c))) return -1;
    if (rvc_expand(insn, out) == 0) return 0;
    uint32_t x = insn;
    if (ext & CPU_X(zcb)) {
        if ((x & 0xe003) == 0x8000) return expand_zcb_q0(x, out);
        if ((x & 0xfc03) == 0x9c01 && field(x, 6, 6)) return expand_zcb_q1(x, out);
    }
    /* Zcmop (29.14): c.mop.n is c.lui xn, 0 for odd n < 16, and writes
     * nothing: a no-op. */
    if ((ext & CPU_X(zcmop)) && (x & 0xf87f) == 0x6001 && (field(x, 11, 7) & 0x11) == 1) {
        *out = enc_i(0, REG_ZERO, 0, REG_ZERO, OPC_OP_IMM);
        return 0;
    }
    return -1;
}
