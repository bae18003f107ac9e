/* Unit tests for the instruction decoder (src/cpu/decode.c): one or more
 * representative encodings of every operation in insn_list.h, assembled by
 * riscv64-unknown-elf-as and pasted below with the source line beside each
 * word, so the oracle for op, registers and immediates is GNU as, not the
 * decoder's own formulas. Also checks that the table's patterns are
 * disjoint, that random don't-care bits never change the decoded op, the x0
 * write sink, compressed decoding through rvc_expand, and illegal encodings.
 * Touches nothing but decode_insn() and decode_op_name(). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cpu/decode.h"
#include "ut.h"

UT_MAIN_STATE

/* The extensions of RV64GC, what rvmm offered before its CPU models. */
#define RV64GC                                                                                     \
    (CPU_X(i) | CPU_X(m) | CPU_X(a) | CPU_X(f) | CPU_X(d) | CPU_X(c) | CPU_X(zicsr) |              \
     CPU_X(zifencei))

#define NC (-1) /* field not checked (it holds immediate bits for this format) */

struct dec_vec {
    uint32_t raw;
    uint16_t op;
    int rd, rs1, rs2, rs3;
    int has_imm;
    int64_t imm;
};

/* Generated with `riscv64-unknown-elf-as -march=rv64gc` (.option norvc,
 * norelax) and `objdump -d -M no-aliases`; rd of an integer-destination
 * instruction written as x0 is expected as RV_REG_SINK (32). */
static const struct dec_vec vec32[] = {
    {0x800002b7, RV_OP_lui, 5, NC, NC, NC, 1, -2147483648},  /* lui x5, 0x80000 */
    {0xfffff037, RV_OP_lui, 32, NC, NC, NC, 1, -4096},       /* lui x0, 0xfffff */
    {0x12345317, RV_OP_auipc, 6, NC, NC, NC, 1, 0x12345000}, /* auipc x6, 0x12345 */
    {0x7fe000ef, RV_OP_jal, 1, NC, NC, NC, 1, 0x7fe},        /* jal x1, .+0x7fe */
    {0x8000006f, RV_OP_jal, 32, NC, NC, NC, 1, -1048576},    /* jal x0, .-0x100000 */
    {0x7fffffef, RV_OP_jal, 31, NC, NC, NC, 1, 0xffffe},     /* jal x31, .+0xffffe */
    {0x800100e7, RV_OP_jalr, 1, 2, NC, NC, 1, -2048},        /* jalr x1, -2048(x2) */
    {0x7fff8067, RV_OP_jalr, 32, 31, NC, NC, 1, 0x7ff},      /* jalr x0, 2047(x31) */
    {0x80208063, RV_OP_beq, NC, 1, 2, NC, 1, -4096},         /* beq x1, x2, .-4096 */
    {0x7e419fe3, RV_OP_bne, NC, 3, 4, NC, 1, 0xffe},         /* bne x3, x4, .+4094 */
    {0xfe62cfe3, RV_OP_blt, NC, 5, 6, NC, 1, -2},            /* blt x5, x6, .-2 */
    {0x0083d0e3, RV_OP_bge, NC, 7, 8, NC, 1, 0x800},         /* bge x7, x8, .+2048 */
    {0x00a4e163, RV_OP_bltu, NC, 9, 10, NC, 1, 0x2},         /* bltu x9, x10, .+2 */
    {0x81ff71e3, RV_OP_bgeu, NC, 30, 31, NC, 1, -2046},      /* bgeu x30, x31, .-0x7fe */
    {0xfff20183, RV_OP_lb, 3, 4, NC, NC, 1, -1},             /* lb x3, -1(x4) */
    {0x7ff29003, RV_OP_lh, 32, 5, NC, NC, 1, 0x7ff},         /* lh x0, 0x7ff(x5) */
    {0x8003a303, RV_OP_lw, 6, 7, NC, NC, 1, -2048},          /* lw x6, -0x800(x7) */
    {0x0084b403, RV_OP_ld, 8, 9, NC, NC, 1, 0x8},            /* ld x8, 8(x9) */
    {0x1235c503, RV_OP_lbu, 10, 11, NC, NC, 1, 0x123},       /* lbu x10, 0x123(x11) */
    {0xffe6d603, RV_OP_lhu, 12, 13, NC, NC, 1, -2},          /* lhu x12, -2(x13) */
    {0x0047e703, RV_OP_lwu, 14, 15, NC, NC, 1, 0x4},         /* lwu x14, 4(x15) */
    {0x80530023, RV_OP_sb, NC, 6, 5, NC, 1, -2048},          /* sb x5, -2048(x6) */
    {0x7e741fa3, RV_OP_sh, NC, 8, 7, NC, 1, 0x7ff},          /* sh x7, 2047(x8) */
    {0xfe952fa3, RV_OP_sw, NC, 10, 9, NC, 1, -1},            /* sw x9, -1(x10) */
    {0x5ab632a3, RV_OP_sd, NC, 12, 11, NC, 1, 0x5a5},        /* sd x11, 0x5a5(x12) */
    {0x80010093, RV_OP_addi, 1, 2, NC, NC, 1, -2048},        /* addi x1, x2, -2048 */
    {0x00000013, RV_OP_addi, 32, 0, NC, NC, 1, 0x0},         /* addi x0, x0, 0 */
    {0x7ff22193, RV_OP_slti, 3, 4, NC, NC, 1, 0x7ff},        /* slti x3, x4, 2047 */
    {0xfff33293, RV_OP_sltiu, 5, 6, NC, NC, 1, -1},          /* sltiu x5, x6, -1 */
    {0xaab44393, RV_OP_xori, 7, 8, NC, NC, 1, -1365},        /* xori x7, x8, -0x555 */
    {0x2aa56493, RV_OP_ori, 9, 10, NC, NC, 1, 0x2aa},        /* ori x9, x10, 0x2aa */
    {0xff067593, RV_OP_andi, 11, 12, NC, NC, 1, -16},        /* andi x11, x12, -16 */
    {0x03f11093, RV_OP_slli, 1, 2, NC, NC, 1, 0x3f},         /* slli x1, x2, 63 */
    {0x02025193, RV_OP_srli, 3, 4, NC, NC, 1, 0x20},         /* srli x3, x4, 32 */
    {0x42135293, RV_OP_srai, 5, 6, NC, NC, 1, 0x21},         /* srai x5, x6, 33 */
    {0x40035013, RV_OP_srai, 32, 6, NC, NC, 1, 0x0},         /* srai x0, x6, 0 */
    {0x003100b3, RV_OP_add, 1, 2, 3, NC, 0, 0},              /* add x1, x2, x3 */
    {0x01ef8033, RV_OP_add, 32, 31, 30, NC, 0, 0},           /* add x0, x31, x30 */
    {0x40628233, RV_OP_sub, 4, 5, 6, NC, 0, 0},              /* sub x4, x5, x6 */
    {0x009413b3, RV_OP_sll, 7, 8, 9, NC, 0, 0},              /* sll x7, x8, x9 */
    {0x00c5a533, RV_OP_slt, 10, 11, 12, NC, 0, 0},           /* slt x10, x11, x12 */
    {0x00f736b3, RV_OP_sltu, 13, 14, 15, NC, 0, 0},          /* sltu x13, x14, x15 */
    {0x0128c833, RV_OP_xor, 16, 17, 18, NC, 0, 0},           /* xor x16, x17, x18 */
    {0x015a59b3, RV_OP_srl, 19, 20, 21, NC, 0, 0},           /* srl x19, x20, x21 */
    {0x418bdb33, RV_OP_sra, 22, 23, 24, NC, 0, 0},           /* sra x22, x23, x24 */
    {0x01bd6cb3, RV_OP_or, 25, 26, 27, NC, 0, 0},            /* or x25, x26, x27 */
    {0x01eefe33, RV_OP_and, 28, 29, 30, NC, 0, 0},           /* and x28, x29, x30 */
    {0xfff1009b, RV_OP_addiw, 1, 2, NC, NC, 1, -1},          /* addiw x1, x2, -1 */
    {0x01f2119b, RV_OP_slliw, 3, 4, NC, NC, 1, 0x1f},        /* slliw x3, x4, 31 */
    {0x0113529b, RV_OP_srliw, 5, 6, NC, NC, 1, 0x11},        /* srliw x5, x6, 17 */
    {0x41f4539b, RV_OP_sraiw, 7, 8, NC, NC, 1, 0x1f},        /* sraiw x7, x8, 31 */
    {0x00b504bb, RV_OP_addw, 9, 10, 11, NC, 0, 0},           /* addw x9, x10, x11 */
    {0x40e6863b, RV_OP_subw, 12, 13, 14, NC, 0, 0},          /* subw x12, x13, x14 */
    {0x011817bb, RV_OP_sllw, 15, 16, 17, NC, 0, 0},          /* sllw x15, x16, x17 */
    {0x0149d93b, RV_OP_srlw, 18, 19, 20, NC, 0, 0},          /* srlw x18, x19, x20 */
    {0x417b5abb, RV_OP_sraw, 21, 22, 23, NC, 0, 0},          /* sraw x21, x22, x23 */
    {0x0310000f, RV_OP_fence, NC, NC, NC, NC, 0, 0},         /* fence rw, w */
    {0x8330000f, RV_OP_fence, NC, NC, NC, NC, 0, 0},         /* fence.tso */
    {0x0000100f, RV_OP_fence_i, NC, NC, NC, NC, 0, 0},       /* fence.i */
    {0x00000073, RV_OP_ecall, NC, NC, NC, NC, 0, 0},         /* ecall */
    {0x00100073, RV_OP_ebreak, NC, NC, NC, NC, 0, 0},        /* ebreak */
    {0x10200073, RV_OP_sret, NC, NC, NC, NC, 0, 0},          /* sret */
    {0x30200073, RV_OP_mret, NC, NC, NC, NC, 0, 0},          /* mret */
    {0x10500073, RV_OP_wfi, NC, NC, NC, NC, 0, 0},           /* wfi */
    {0x12208073, RV_OP_sfence_vma, 32, 1, 2, NC, 0, 0},      /* sfence.vma x1, x2 */
    {0x12000073, RV_OP_sfence_vma, 32, 0, 0, NC, 0, 0},      /* sfence.vma */
    /* H (assembled by binutils with -march=rv64gch) */
    {0x22208073, RV_OP_hfence_vvma, 32, 1, 2, NC, 0, 0}, /* hfence.vvma ra, sp */
    {0x62418073, RV_OP_hfence_gvma, 32, 3, 4, NC, 0, 0}, /* hfence.gvma gp, tp */
    {0x600342f3, RV_OP_hlv_b, 5, 6, NC, NC, 0, 0},       /* hlv.b t0, (t1) */
    {0x601342f3, RV_OP_hlv_bu, 5, 6, NC, NC, 0, 0},
    {0x640342f3, RV_OP_hlv_h, 5, 6, NC, NC, 0, 0},
    {0x641342f3, RV_OP_hlv_hu, 5, 6, NC, NC, 0, 0},
    {0x643342f3, RV_OP_hlvx_hu, 5, 6, NC, NC, 0, 0},
    {0x680342f3, RV_OP_hlv_w, 5, 6, NC, NC, 0, 0},
    {0x681342f3, RV_OP_hlv_wu, 5, 6, NC, NC, 0, 0},
    {0x683342f3, RV_OP_hlvx_wu, 5, 6, NC, NC, 0, 0},
    {0x6c0342f3, RV_OP_hlv_d, 5, 6, NC, NC, 0, 0},
    {0x62744073, RV_OP_hsv_b, 32, 8, 7, NC, 0, 0}, /* hsv.b t2, (s0) */
    {0x66744073, RV_OP_hsv_h, 32, 8, 7, NC, 0, 0},
    {0x6a744073, RV_OP_hsv_w, 32, 8, 7, NC, 0, 0},
    {0x6e744073, RV_OP_hsv_d, 32, 8, 7, NC, 0, 0},
    {0x300110f3, RV_OP_csrrw, 1, 2, NC, NC, 1, 0x300},    /* csrrw x1, mstatus, x2 */
    {0xf1402073, RV_OP_csrrs, 32, 0, NC, NC, 1, 0xf14},   /* csrrs x0, 0xf14, x0 */
    {0xc00021f3, RV_OP_csrrs, 3, 0, NC, NC, 1, 0xc00},    /* csrr x3, cycle */
    {0xfff2b273, RV_OP_csrrc, 4, 5, NC, NC, 1, 0xfff},    /* csrrc x4, 0xfff, x5 */
    {0x340fd373, RV_OP_csrrwi, 6, 31, NC, NC, 1, 0x340},  /* csrrwi x6, mscratch, 31 */
    {0x1000e3f3, RV_OP_csrrsi, 7, 1, NC, NC, 1, 0x100},   /* csrrsi x7, sstatus, 1 */
    {0x80087073, RV_OP_csrrci, 32, 16, NC, NC, 1, 0x800}, /* csrrci x0, 0x800, 16 */
    {0x023100b3, RV_OP_mul, 1, 2, 3, NC, 0, 0},           /* mul x1, x2, x3 */
    {0x02629233, RV_OP_mulh, 4, 5, 6, NC, 0, 0},          /* mulh x4, x5, x6 */
    {0x029423b3, RV_OP_mulhsu, 7, 8, 9, NC, 0, 0},        /* mulhsu x7, x8, x9 */
    {0x02c5b533, RV_OP_mulhu, 10, 11, 12, NC, 0, 0},      /* mulhu x10, x11, x12 */
    {0x02f746b3, RV_OP_div, 13, 14, 15, NC, 0, 0},        /* div x13, x14, x15 */
    {0x0328d833, RV_OP_divu, 16, 17, 18, NC, 0, 0},       /* divu x16, x17, x18 */
    {0x035a69b3, RV_OP_rem, 19, 20, 21, NC, 0, 0},        /* rem x19, x20, x21 */
    {0x038bf033, RV_OP_remu, 32, 23, 24, NC, 0, 0},       /* remu x0, x23, x24 */
    {0x03bd0cbb, RV_OP_mulw, 25, 26, 27, NC, 0, 0},       /* mulw x25, x26, x27 */
    {0x03eece3b, RV_OP_divw, 28, 29, 30, NC, 0, 0},       /* divw x28, x29, x30 */
    {0x0220dfbb, RV_OP_divuw, 31, 1, 2, NC, 0, 0},        /* divuw x31, x1, x2 */
    {0x025261bb, RV_OP_remw, 3, 4, 5, NC, 0, 0},          /* remw x3, x4, x5 */
    {0x0283f33b, RV_OP_remuw, 6, 7, 8, NC, 0, 0},         /* remuw x6, x7, x8 */
    {0x100120af, RV_OP_lr_w, 1, 2, 0, NC, 0, 0},          /* lr.w x1, (x2) */
    {0x1842a1af, RV_OP_sc_w, 3, 5, 4, NC, 0, 0},          /* sc.w x3, x4, (x5) */
    {0x0e74232f, RV_OP_amoswap_w, 6, 8, 7, NC, 0, 0},     /* amoswap.w.aqrl x6, x7, (x8) */
    {0x00a5a4af, RV_OP_amoadd_w, 9, 11, 10, NC, 0, 0},    /* amoadd.w x9, x10, (x11) */
    {0x24d7262f, RV_OP_amoxor_w, 12, 14, 13, NC, 0, 0},   /* amoxor.w.aq x12, x13, (x14) */
    {0x6308a7af, RV_OP_amoand_w, 15, 17, 16, NC, 0, 0},   /* amoand.w.rl x15, x16, (x17) */
    {0x413a292f, RV_OP_amoor_w, 18, 20, 19, NC, 0, 0},    /* amoor.w x18, x19, (x20) */
    {0x816baaaf, RV_OP_amomin_w, 21, 23, 22, NC, 0, 0},   /* amomin.w x21, x22, (x23) */
    {0xa19d2c2f, RV_OP_amomax_w, 24, 26, 25, NC, 0, 0},   /* amomax.w x24, x25, (x26) */
    {0xc1ceadaf, RV_OP_amominu_w, 27, 29, 28, NC, 0, 0},  /* amominu.w x27, x28, (x29) */
    {0xe1f0a02f, RV_OP_amomaxu_w, 32, 1, 31, NC, 0, 0},   /* amomaxu.w x0, x31, (x1) */
    {0x1601b12f, RV_OP_lr_d, 2, 3, 0, NC, 0, 0},          /* lr.d.aqrl x2, (x3) */
    {0x1a53322f, RV_OP_sc_d, 4, 6, 5, NC, 0, 0},          /* sc.d.rl x4, x5, (x6) */
    {0x0884b3af, RV_OP_amoswap_d, 7, 9, 8, NC, 0, 0},     /* amoswap.d x7, x8, (x9) */
    {0x00b6352f, RV_OP_amoadd_d, 10, 12, 11, NC, 0, 0},   /* amoadd.d x10, x11, (x12) */
    {0x20e7b6af, RV_OP_amoxor_d, 13, 15, 14, NC, 0, 0},   /* amoxor.d x13, x14, (x15) */
    {0x6119382f, RV_OP_amoand_d, 16, 18, 17, NC, 0, 0},   /* amoand.d x16, x17, (x18) */
    {0x414ab9af, RV_OP_amoor_d, 19, 21, 20, NC, 0, 0},    /* amoor.d x19, x20, (x21) */
    {0x817c3b2f, RV_OP_amomin_d, 22, 24, 23, NC, 0, 0},   /* amomin.d x22, x23, (x24) */
    {0xa1adbcaf, RV_OP_amomax_d, 25, 27, 26, NC, 0, 0},   /* amomax.d x25, x26, (x27) */
    {0xc1df3e2f, RV_OP_amominu_d, 28, 30, 29, NC, 0, 0},  /* amominu.d x28, x29, (x30) */
    {0xe6113faf, RV_OP_amomaxu_d, 31, 2, 1, NC, 0, 0},    /* amomaxu.d.aqrl x31, x1, (x2) */
    {0xffc12007, RV_OP_flw, 0, 2, NC, NC, 1, -4},         /* flw f0, -4(x2) */
    {0x7ff1bf87, RV_OP_fld, 31, 3, NC, NC, 1, 0x7ff},     /* fld f31, 2047(x3) */
    {0x80322027, RV_OP_fsw, NC, 4, 3, NC, 1, -2048},      /* fsw f3, -2048(x4) */
    {0x7e533c27, RV_OP_fsd, NC, 6, 5, NC, 1, 0x7f8},      /* fsd f5, 0x7f8(x6) */
    {0xf8209043, RV_OP_fmadd_s, 0, 1, 2, 31, 0, 0},       /* fmadd.s f0, f1, f2, f31, rtz */
    {0x305271c7, RV_OP_fmsub_s, 3, 4, 5, 6, 0, 0},        /* fmsub.s f3, f4, f5, f6 */
    {0x509473cb, RV_OP_fnmsub_s, 7, 8, 9, 10, 0, 0},      /* fnmsub.s f7, f8, f9, f10 */
    {0x70d675cf, RV_OP_fnmadd_s, 11, 12, 13, 14, 0, 0},   /* fnmadd.s f11, f12, f13, f14 */
    {0x931877c3, RV_OP_fmadd_d, 15, 16, 17, 18, 0, 0},    /* fmadd.d f15, f16, f17, f18 */
    {0xb35a79c7, RV_OP_fmsub_d, 19, 20, 21, 22, 0, 0},    /* fmsub.d f19, f20, f21, f22 */
    {0xd39c7bcb, RV_OP_fnmsub_d, 23, 24, 25, 26, 0, 0},   /* fnmsub.d f23, f24, f25, f26 */
    {0xf3de004f, RV_OP_fnmadd_d, 0, 28, 29, 30, 0, 0},    /* fnmadd.d f0, f28, f29, f30, rne */
    {0x0020f053, RV_OP_fadd_s, 0, 1, 2, NC, 0, 0},        /* fadd.s f0, f1, f2 */
    {0x085221d3, RV_OP_fsub_s, 3, 4, 5, NC, 0, 0},        /* fsub.s f3, f4, f5, rdn */
    {0x1083f353, RV_OP_fmul_s, 6, 7, 8, NC, 0, 0},        /* fmul.s f6, f7, f8 */
    {0x18b574d3, RV_OP_fdiv_s, 9, 10, 11, NC, 0, 0},      /* fdiv.s f9, f10, f11 */
    {0x5806f653, RV_OP_fsqrt_s, 12, 13, 0, NC, 0, 0},     /* fsqrt.s f12, f13 */
    {0x21078753, RV_OP_fsgnj_s, 14, 15, 16, NC, 0, 0},    /* fsgnj.s f14, f15, f16 */
    {0x213918d3, RV_OP_fsgnjn_s, 17, 18, 19, NC, 0, 0},   /* fsgnjn.s f17, f18, f19 */
    {0x216aaa53, RV_OP_fsgnjx_s, 20, 21, 22, NC, 0, 0},   /* fsgnjx.s f20, f21, f22 */
    {0x299c0bd3, RV_OP_fmin_s, 23, 24, 25, NC, 0, 0},     /* fmin.s f23, f24, f25 */
    {0x29cd9d53, RV_OP_fmax_s, 26, 27, 28, NC, 0, 0},     /* fmax.s f26, f27, f28 */
    {0xc0009053, RV_OP_fcvt_w_s, 32, 1, 0, NC, 0, 0},     /* fcvt.w.s x0, f1, rtz */
    {0xc011f153, RV_OP_fcvt_wu_s, 2, 3, 1, NC, 0, 0},     /* fcvt.wu.s x2, f3 */
    {0xc022f253, RV_OP_fcvt_l_s, 4, 5, 2, NC, 0, 0},      /* fcvt.l.s x4, f5 */
    {0xc033f353, RV_OP_fcvt_lu_s, 6, 7, 3, NC, 0, 0},     /* fcvt.lu.s x6, f7 */
    {0xe0048053, RV_OP_fmv_x_w, 32, 9, 0, NC, 0, 0},      /* fmv.x.w x0, f9 */
    {0xe0059553, RV_OP_fclass_s, 10, 11, 0, NC, 0, 0},    /* fclass.s x10, f11 */
    {0xa0e6a053, RV_OP_feq_s, 32, 13, 14, NC, 0, 0},      /* feq.s x0, f13, f14 */
    {0xa11817d3, RV_OP_flt_s, 15, 16, 17, NC, 0, 0},      /* flt.s x15, f16, f17 */
    {0xa1498953, RV_OP_fle_s, 18, 19, 20, NC, 0, 0},      /* fle.s x18, f19, f20 */
    {0xd000f053, RV_OP_fcvt_s_w, 0, 1, 0, NC, 0, 0},      /* fcvt.s.w f0, x1 */
    {0xd011f153, RV_OP_fcvt_s_wu, 2, 3, 1, NC, 0, 0},     /* fcvt.s.wu f2, x3 */
    {0xd022f253, RV_OP_fcvt_s_l, 4, 5, 2, NC, 0, 0},      /* fcvt.s.l f4, x5 */
    {0xd033f353, RV_OP_fcvt_s_lu, 6, 7, 3, NC, 0, 0},     /* fcvt.s.lu f6, x7 */
    {0xf0000053, RV_OP_fmv_w_x, 0, 0, 0, NC, 0, 0},       /* fmv.w.x f0, x0 */
    {0x0220f053, RV_OP_fadd_d, 0, 1, 2, NC, 0, 0},        /* fadd.d f0, f1, f2 */
    {0x0a5271d3, RV_OP_fsub_d, 3, 4, 5, NC, 0, 0},        /* fsub.d f3, f4, f5 */
    {0x1283c353, RV_OP_fmul_d, 6, 7, 8, NC, 0, 0},        /* fmul.d f6, f7, f8, rmm */
    {0x1ab574d3, RV_OP_fdiv_d, 9, 10, 11, NC, 0, 0},      /* fdiv.d f9, f10, f11 */
    {0x5a06f653, RV_OP_fsqrt_d, 12, 13, 0, NC, 0, 0},     /* fsqrt.d f12, f13 */
    {0x23078753, RV_OP_fsgnj_d, 14, 15, 16, NC, 0, 0},    /* fsgnj.d f14, f15, f16 */
    {0x233918d3, RV_OP_fsgnjn_d, 17, 18, 19, NC, 0, 0},   /* fsgnjn.d f17, f18, f19 */
    {0x236aaa53, RV_OP_fsgnjx_d, 20, 21, 22, NC, 0, 0},   /* fsgnjx.d f20, f21, f22 */
    {0x2b9c0bd3, RV_OP_fmin_d, 23, 24, 25, NC, 0, 0},     /* fmin.d f23, f24, f25 */
    {0x2bcd9d53, RV_OP_fmax_d, 26, 27, 28, NC, 0, 0},     /* fmax.d f26, f27, f28 */
    {0x4010f053, RV_OP_fcvt_s_d, 0, 1, 1, NC, 0, 0},      /* fcvt.s.d f0, f1 */
    {0x42018153, RV_OP_fcvt_d_s, 2, 3, 0, NC, 0, 0},      /* fcvt.d.s f2, f3 */
    {0xa262a253, RV_OP_feq_d, 4, 5, 6, NC, 0, 0},         /* feq.d x4, f5, f6 */
    {0xa2941053, RV_OP_flt_d, 32, 8, 9, NC, 0, 0},        /* flt.d x0, f8, f9 */
    {0xa2c58553, RV_OP_fle_d, 10, 11, 12, NC, 0, 0},      /* fle.d x10, f11, f12 */
    {0xe20716d3, RV_OP_fclass_d, 13, 14, 0, NC, 0, 0},    /* fclass.d x13, f14 */
    {0xc20877d3, RV_OP_fcvt_w_d, 15, 16, 0, NC, 0, 0},    /* fcvt.w.d x15, f16 */
    {0xc21978d3, RV_OP_fcvt_wu_d, 17, 18, 1, NC, 0, 0},   /* fcvt.wu.d x17, f18 */
    {0xc22a79d3, RV_OP_fcvt_l_d, 19, 20, 2, NC, 0, 0},    /* fcvt.l.d x19, f20 */
    {0xc23b7053, RV_OP_fcvt_lu_d, 32, 22, 3, NC, 0, 0},   /* fcvt.lu.d x0, f22 */
    {0xd20c0053, RV_OP_fcvt_d_w, 0, 24, 0, NC, 0, 0},     /* fcvt.d.w f0, x24 */
    {0xd21d0cd3, RV_OP_fcvt_d_wu, 25, 26, 1, NC, 0, 0},   /* fcvt.d.wu f25, x26 */
    {0xd22e7dd3, RV_OP_fcvt_d_l, 27, 28, 2, NC, 0, 0},    /* fcvt.d.l f27, x28 */
    {0xd23f7ed3, RV_OP_fcvt_d_lu, 29, 30, 3, NC, 0, 0},   /* fcvt.d.lu f29, x30 */
    {0xe2008fd3, RV_OP_fmv_x_d, 31, 1, 0, NC, 0, 0},      /* fmv.x.d x31, f1 */
    {0xf2010053, RV_OP_fmv_d_x, 0, 2, 0, NC, 0, 0},       /* fmv.d.x f0, x2 */
    /* `riscv64-unknown-elf-as -march=rv64gc_zba_zbb_zbc_zbs_zbkb_zicbom_zicboz_zawrs` */
    {0x207322b3, RV_OP_sh1add, 5, 6, 7, NC, 0, 0},       /* sh1add t0,t1,t2 */
    {0x201fc033, RV_OP_sh2add, 32, 31, 1, NC, 0, 0},     /* sh2add zero,t6,ra */
    {0x20c5e533, RV_OP_sh3add, 10, 11, 12, NC, 0, 0},    /* sh3add a0,a1,a2 */
    {0x087302bb, RV_OP_add_uw, 5, 6, 7, NC, 0, 0},       /* add.uw t0,t1,t2 */
    {0x20a4a43b, RV_OP_sh1add_uw, 8, 9, 10, NC, 0, 0},   /* sh1add.uw s0,s1,a0 */
    {0x20d645bb, RV_OP_sh2add_uw, 11, 12, 13, NC, 0, 0}, /* sh2add.uw a1,a2,a3 */
    {0x2107e73b, RV_OP_sh3add_uw, 14, 15, 16, NC, 0, 0}, /* sh3add.uw a4,a5,a6 */
    {0x0bf9189b, RV_OP_slli_uw, 17, 18, NC, NC, 1, 63},  /* slli.uw a7,s2,0x3f */
    {0x407372b3, RV_OP_andn, 5, 6, 7, NC, 0, 0},         /* andn t0,t1,t2 */
    {0x40a4e433, RV_OP_orn, 8, 9, 10, NC, 0, 0},         /* orn s0,s1,a0 */
    {0x40d645b3, RV_OP_xnor, 11, 12, 13, NC, 0, 0},      /* xnor a1,a2,a3 */
    {0x60079713, RV_OP_clz, 14, 15, NC, NC, 0, 0},       /* clz a4,a5 */
    {0x6008981b, RV_OP_clzw, 16, 17, NC, NC, 0, 0},      /* clzw a6,a7 */
    {0x60199913, RV_OP_ctz, 18, 19, NC, NC, 0, 0},       /* ctz s2,s3 */
    {0x601a9a1b, RV_OP_ctzw, 20, 21, NC, NC, 0, 0},      /* ctzw s4,s5 */
    {0x602b9b13, RV_OP_cpop, 22, 23, NC, NC, 0, 0},      /* cpop s6,s7 */
    {0x602c9c1b, RV_OP_cpopw, 24, 25, NC, NC, 0, 0},     /* cpopw s8,s9 */
    {0x0a7362b3, RV_OP_max, 5, 6, 7, NC, 0, 0},          /* max t0,t1,t2 */
    {0x0aa4f433, RV_OP_maxu, 8, 9, 10, NC, 0, 0},        /* maxu s0,s1,a0 */
    {0x0ad645b3, RV_OP_min, 11, 12, 13, NC, 0, 0},       /* min a1,a2,a3 */
    {0x0b07d733, RV_OP_minu, 14, 15, 16, NC, 0, 0},      /* minu a4,a5,a6 */
    {0x60491893, RV_OP_sext_b, 17, 18, NC, NC, 0, 0},    /* sext.b a7,s2 */
    {0x605a1993, RV_OP_sext_h, 19, 20, NC, NC, 0, 0},    /* sext.h s3,s4 */
    {0x080b4abb, RV_OP_zext_h, 21, 22, NC, NC, 0, 0},    /* zext.h s5,s6 */
    {0x607312b3, RV_OP_rol, 5, 6, 7, NC, 0, 0},          /* rol t0,t1,t2 */
    {0x60a4943b, RV_OP_rolw, 8, 9, 10, NC, 0, 0},        /* rolw s0,s1,a0 */
    {0x60d655b3, RV_OP_ror, 11, 12, 13, NC, 0, 0},       /* ror a1,a2,a3 */
    {0x6107d73b, RV_OP_rorw, 14, 15, 16, NC, 0, 0},      /* rorw a4,a5,a6 */
    {0x62195893, RV_OP_rori, 17, 18, NC, NC, 1, 33},     /* rori a7,s2,0x21 */
    {0x61fa599b, RV_OP_roriw, 19, 20, NC, NC, 1, 31},    /* roriw s3,s4,0x1f */
    {0x287b5a93, RV_OP_orc_b, 21, 22, NC, NC, 0, 0},     /* orc.b s5,s6 */
    {0x6b8c5b93, RV_OP_rev8, 23, 24, NC, NC, 0, 0},      /* rev8 s7,s8 */
    {0x0a7312b3, RV_OP_clmul, 5, 6, 7, NC, 0, 0},        /* clmul t0,t1,t2 */
    {0x0aa4b433, RV_OP_clmulh, 8, 9, 10, NC, 0, 0},      /* clmulh s0,s1,a0 */
    {0x0ad625b3, RV_OP_clmulr, 11, 12, 13, NC, 0, 0},    /* clmulr a1,a2,a3 */
    {0x487312b3, RV_OP_bclr, 5, 6, 7, NC, 0, 0},         /* bclr t0,t1,t2 */
    {0x4bf49413, RV_OP_bclri, 8, 9, NC, NC, 1, 63},      /* bclri s0,s1,0x3f */
    {0x48c5d533, RV_OP_bext, 10, 11, 12, NC, 0, 0},      /* bext a0,a1,a2 */
    {0x48175693, RV_OP_bexti, 13, 14, NC, NC, 1, 1},     /* bexti a3,a4,0x1 */
    {0x691817b3, RV_OP_binv, 15, 16, 17, NC, 0, 0},      /* binv a5,a6,a7 */
    {0x6a099913, RV_OP_binvi, 18, 19, NC, NC, 1, 32},    /* binvi s2,s3,0x20 */
    {0x296a9a33, RV_OP_bset, 20, 21, 22, NC, 0, 0},      /* bset s4,s5,s6 */
    {0x285c1b93, RV_OP_bseti, 23, 24, NC, NC, 1, 5},     /* bseti s7,s8,0x5 */
    {0x087342b3, RV_OP_pack, 5, 6, 7, NC, 0, 0},         /* pack t0,t1,t2 */
    {0x08a4f433, RV_OP_packh, 8, 9, 10, NC, 0, 0},       /* packh s0,s1,a0 */
    {0x08d645bb, RV_OP_packw, 11, 12, 13, NC, 0, 0},     /* packw a1,a2,a3 */
    {0x6877d713, RV_OP_brev8, 14, 15, NC, NC, 0, 0},     /* brev8 a4,a5 */
    {0x0002a00f, RV_OP_cbo_inval, NC, 5, NC, NC, 0, 0},  /* cbo.inval (t0) */
    {0x0013200f, RV_OP_cbo_clean, NC, 6, NC, NC, 0, 0},  /* cbo.clean (t1) */
    {0x0023a00f, RV_OP_cbo_flush, NC, 7, NC, NC, 0, 0},  /* cbo.flush (t2) */
    {0x0044200f, RV_OP_cbo_zero, NC, 8, NC, NC, 0, 0},   /* cbo.zero (s0) */
    {0x00d00073, RV_OP_wrs_nto, NC, NC, NC, NC, 0, 0},   /* wrs.nto  */
    {0x01d00073, RV_OP_wrs_sto, NC, NC, NC, NC, 0, 0},   /* wrs.sto  */
    /* Not known to this binutils (2.40): encoded by hand from the spec's
     * tables (Zicond chapter 12, Zimop chapter 10). */
    {0x0e7352b3, RV_OP_czero_eqz, 5, 6, 7, NC, 0, 0}, /* czero.eqz x5, x6, x7 */
    /* V configuration (V chapter 6); binutils 2.40 assembled them. */
    {0x0d15f557, RV_OP_vsetvli, 10, 11, NC, NC, 0, 0}, /* vsetvli a0,a1,e32,m2,ta,ma */
    {0xc078f2d7, RV_OP_vsetivli, 5, 17, NC, NC, 0, 0}, /* vsetivli t0,17,e8,mf2,tu,mu */
    {0x80e6f657, RV_OP_vsetvl, 12, 13, 14, NC, 0, 0},  /* vsetvl a2,a3,a4 */
    /* V integer arithmetic (V chapter 11) by binutils 2.40; Zvbb (not in
     * 2.40) encoded by hand from the vector crypto spec's tables */
    {0x02860257, RV_OP_vadd_vv, 4, 12, 8, NC, 0, 0},           /* vadd.vv v4, v8, v12 */
    {0x02864257, RV_OP_vadd_vx, 4, 12, 8, NC, 0, 0},           /* vadd.vx v4, v8, a2 */
    {0x0282b257, RV_OP_vadd_vi, 4, 5, 8, NC, 0, 0},            /* vadd.vi v4, v8, 5 */
    {0x0a860257, RV_OP_vsub_vv, 4, 12, 8, NC, 0, 0},           /* vsub.vv v4, v8, v12 */
    {0x0a864257, RV_OP_vsub_vx, 4, 12, 8, NC, 0, 0},           /* vsub.vx v4, v8, a2 */
    {0x0e864257, RV_OP_vrsub_vx, 4, 12, 8, NC, 0, 0},          /* vrsub.vx v4, v8, a2 */
    {0x0e82b257, RV_OP_vrsub_vi, 4, 5, 8, NC, 0, 0},           /* vrsub.vi v4, v8, 5 */
    {0x12860257, RV_OP_vminu_vv, 4, 12, 8, NC, 0, 0},          /* vminu.vv v4, v8, v12 */
    {0x12864257, RV_OP_vminu_vx, 4, 12, 8, NC, 0, 0},          /* vminu.vx v4, v8, a2 */
    {0x16860257, RV_OP_vmin_vv, 4, 12, 8, NC, 0, 0},           /* vmin.vv v4, v8, v12 */
    {0x16864257, RV_OP_vmin_vx, 4, 12, 8, NC, 0, 0},           /* vmin.vx v4, v8, a2 */
    {0x1a860257, RV_OP_vmaxu_vv, 4, 12, 8, NC, 0, 0},          /* vmaxu.vv v4, v8, v12 */
    {0x1a864257, RV_OP_vmaxu_vx, 4, 12, 8, NC, 0, 0},          /* vmaxu.vx v4, v8, a2 */
    {0x1e860257, RV_OP_vmax_vv, 4, 12, 8, NC, 0, 0},           /* vmax.vv v4, v8, v12 */
    {0x1e864257, RV_OP_vmax_vx, 4, 12, 8, NC, 0, 0},           /* vmax.vx v4, v8, a2 */
    {0x26860257, RV_OP_vand_vv, 4, 12, 8, NC, 0, 0},           /* vand.vv v4, v8, v12 */
    {0x26864257, RV_OP_vand_vx, 4, 12, 8, NC, 0, 0},           /* vand.vx v4, v8, a2 */
    {0x2682b257, RV_OP_vand_vi, 4, 5, 8, NC, 0, 0},            /* vand.vi v4, v8, 5 */
    {0x2a860257, RV_OP_vor_vv, 4, 12, 8, NC, 0, 0},            /* vor.vv v4, v8, v12 */
    {0x2a864257, RV_OP_vor_vx, 4, 12, 8, NC, 0, 0},            /* vor.vx v4, v8, a2 */
    {0x2a82b257, RV_OP_vor_vi, 4, 5, 8, NC, 0, 0},             /* vor.vi v4, v8, 5 */
    {0x2e860257, RV_OP_vxor_vv, 4, 12, 8, NC, 0, 0},           /* vxor.vv v4, v8, v12 */
    {0x2e864257, RV_OP_vxor_vx, 4, 12, 8, NC, 0, 0},           /* vxor.vx v4, v8, a2 */
    {0x2e82b257, RV_OP_vxor_vi, 4, 5, 8, NC, 0, 0},            /* vxor.vi v4, v8, 5 */
    {0x40860257, RV_OP_vadc_vvm, 4, 12, 8, NC, 0, 0},          /* vadc.vvm v4, v8, v12, v0 */
    {0x40864257, RV_OP_vadc_vxm, 4, 12, 8, NC, 0, 0},          /* vadc.vxm v4, v8, a2, v0 */
    {0x4082b257, RV_OP_vadc_vim, 4, 5, 8, NC, 0, 0},           /* vadc.vim v4, v8, 5, v0 */
    {0x44860257, RV_OP_vmadc_vvm, 4, 12, 8, NC, 0, 0},         /* vmadc.vvm v4, v8, v12, v0 */
    {0x44864257, RV_OP_vmadc_vxm, 4, 12, 8, NC, 0, 0},         /* vmadc.vxm v4, v8, a2, v0 */
    {0x4482b257, RV_OP_vmadc_vim, 4, 5, 8, NC, 0, 0},          /* vmadc.vim v4, v8, 5, v0 */
    {0x48860257, RV_OP_vsbc_vvm, 4, 12, 8, NC, 0, 0},          /* vsbc.vvm v4, v8, v12, v0 */
    {0x48864257, RV_OP_vsbc_vxm, 4, 12, 8, NC, 0, 0},          /* vsbc.vxm v4, v8, a2, v0 */
    {0x4c860257, RV_OP_vmsbc_vvm, 4, 12, 8, NC, 0, 0},         /* vmsbc.vvm v4, v8, v12, v0 */
    {0x4c864257, RV_OP_vmsbc_vxm, 4, 12, 8, NC, 0, 0},         /* vmsbc.vxm v4, v8, a2, v0 */
    {0x62860257, RV_OP_vmseq_vv, 4, 12, 8, NC, 0, 0},          /* vmseq.vv v4, v8, v12 */
    {0x62864257, RV_OP_vmseq_vx, 4, 12, 8, NC, 0, 0},          /* vmseq.vx v4, v8, a2 */
    {0x6282b257, RV_OP_vmseq_vi, 4, 5, 8, NC, 0, 0},           /* vmseq.vi v4, v8, 5 */
    {0x66860257, RV_OP_vmsne_vv, 4, 12, 8, NC, 0, 0},          /* vmsne.vv v4, v8, v12 */
    {0x66864257, RV_OP_vmsne_vx, 4, 12, 8, NC, 0, 0},          /* vmsne.vx v4, v8, a2 */
    {0x6682b257, RV_OP_vmsne_vi, 4, 5, 8, NC, 0, 0},           /* vmsne.vi v4, v8, 5 */
    {0x6a860257, RV_OP_vmsltu_vv, 4, 12, 8, NC, 0, 0},         /* vmsltu.vv v4, v8, v12 */
    {0x6a864257, RV_OP_vmsltu_vx, 4, 12, 8, NC, 0, 0},         /* vmsltu.vx v4, v8, a2 */
    {0x6e860257, RV_OP_vmslt_vv, 4, 12, 8, NC, 0, 0},          /* vmslt.vv v4, v8, v12 */
    {0x6e864257, RV_OP_vmslt_vx, 4, 12, 8, NC, 0, 0},          /* vmslt.vx v4, v8, a2 */
    {0x72860257, RV_OP_vmsleu_vv, 4, 12, 8, NC, 0, 0},         /* vmsleu.vv v4, v8, v12 */
    {0x72864257, RV_OP_vmsleu_vx, 4, 12, 8, NC, 0, 0},         /* vmsleu.vx v4, v8, a2 */
    {0x7282b257, RV_OP_vmsleu_vi, 4, 5, 8, NC, 0, 0},          /* vmsleu.vi v4, v8, 5 */
    {0x76860257, RV_OP_vmsle_vv, 4, 12, 8, NC, 0, 0},          /* vmsle.vv v4, v8, v12 */
    {0x76864257, RV_OP_vmsle_vx, 4, 12, 8, NC, 0, 0},          /* vmsle.vx v4, v8, a2 */
    {0x7682b257, RV_OP_vmsle_vi, 4, 5, 8, NC, 0, 0},           /* vmsle.vi v4, v8, 5 */
    {0x7a864257, RV_OP_vmsgtu_vx, 4, 12, 8, NC, 0, 0},         /* vmsgtu.vx v4, v8, a2 */
    {0x7a82b257, RV_OP_vmsgtu_vi, 4, 5, 8, NC, 0, 0},          /* vmsgtu.vi v4, v8, 5 */
    {0x7e864257, RV_OP_vmsgt_vx, 4, 12, 8, NC, 0, 0},          /* vmsgt.vx v4, v8, a2 */
    {0x7e82b257, RV_OP_vmsgt_vi, 4, 5, 8, NC, 0, 0},           /* vmsgt.vi v4, v8, 5 */
    {0x96860257, RV_OP_vsll_vv, 4, 12, 8, NC, 0, 0},           /* vsll.vv v4, v8, v12 */
    {0x96864257, RV_OP_vsll_vx, 4, 12, 8, NC, 0, 0},           /* vsll.vx v4, v8, a2 */
    {0x9682b257, RV_OP_vsll_vi, 4, 5, 8, NC, 0, 0},            /* vsll.vi v4, v8, 5 */
    {0xa2860257, RV_OP_vsrl_vv, 4, 12, 8, NC, 0, 0},           /* vsrl.vv v4, v8, v12 */
    {0xa2864257, RV_OP_vsrl_vx, 4, 12, 8, NC, 0, 0},           /* vsrl.vx v4, v8, a2 */
    {0xa282b257, RV_OP_vsrl_vi, 4, 5, 8, NC, 0, 0},            /* vsrl.vi v4, v8, 5 */
    {0xa6860257, RV_OP_vsra_vv, 4, 12, 8, NC, 0, 0},           /* vsra.vv v4, v8, v12 */
    {0xa6864257, RV_OP_vsra_vx, 4, 12, 8, NC, 0, 0},           /* vsra.vx v4, v8, a2 */
    {0xa682b257, RV_OP_vsra_vi, 4, 5, 8, NC, 0, 0},            /* vsra.vi v4, v8, 5 */
    {0xb2860257, RV_OP_vnsrl_wv, 4, 12, 8, NC, 0, 0},          /* vnsrl.wv v4, v8, v12 */
    {0xb2864257, RV_OP_vnsrl_wx, 4, 12, 8, NC, 0, 0},          /* vnsrl.wx v4, v8, a2 */
    {0xb282b257, RV_OP_vnsrl_wi, 4, 5, 8, NC, 0, 0},           /* vnsrl.wi v4, v8, 5 */
    {0xb6860257, RV_OP_vnsra_wv, 4, 12, 8, NC, 0, 0},          /* vnsra.wv v4, v8, v12 */
    {0xb6864257, RV_OP_vnsra_wx, 4, 12, 8, NC, 0, 0},          /* vnsra.wx v4, v8, a2 */
    {0xb682b257, RV_OP_vnsra_wi, 4, 5, 8, NC, 0, 0},           /* vnsra.wi v4, v8, 5 */
    {0x82860257, RV_OP_vsaddu_vv, 4, 12, 8, NC, 0, 0},         /* vsaddu.vv v4, v8, v12 */
    {0x82864257, RV_OP_vsaddu_vx, 4, 12, 8, NC, 0, 0},         /* vsaddu.vx v4, v8, a2 */
    {0x8282b257, RV_OP_vsaddu_vi, 4, 5, 8, NC, 0, 0},          /* vsaddu.vi v4, v8, 5 */
    {0x86860257, RV_OP_vsadd_vv, 4, 12, 8, NC, 0, 0},          /* vsadd.vv v4, v8, v12 */
    {0x86864257, RV_OP_vsadd_vx, 4, 12, 8, NC, 0, 0},          /* vsadd.vx v4, v8, a2 */
    {0x8682b257, RV_OP_vsadd_vi, 4, 5, 8, NC, 0, 0},           /* vsadd.vi v4, v8, 5 */
    {0x8a860257, RV_OP_vssubu_vv, 4, 12, 8, NC, 0, 0},         /* vssubu.vv v4, v8, v12 */
    {0x8a864257, RV_OP_vssubu_vx, 4, 12, 8, NC, 0, 0},         /* vssubu.vx v4, v8, a2 */
    {0x8e860257, RV_OP_vssub_vv, 4, 12, 8, NC, 0, 0},          /* vssub.vv v4, v8, v12 */
    {0x8e864257, RV_OP_vssub_vx, 4, 12, 8, NC, 0, 0},          /* vssub.vx v4, v8, a2 */
    {0x22862257, RV_OP_vaaddu_vv, 4, 12, 8, NC, 0, 0},         /* vaaddu.vv v4, v8, v12 */
    {0x22866257, RV_OP_vaaddu_vx, 4, 12, 8, NC, 0, 0},         /* vaaddu.vx v4, v8, a2 */
    {0x26862257, RV_OP_vaadd_vv, 4, 12, 8, NC, 0, 0},          /* vaadd.vv v4, v8, v12 */
    {0x26866257, RV_OP_vaadd_vx, 4, 12, 8, NC, 0, 0},          /* vaadd.vx v4, v8, a2 */
    {0x2a862257, RV_OP_vasubu_vv, 4, 12, 8, NC, 0, 0},         /* vasubu.vv v4, v8, v12 */
    {0x2a866257, RV_OP_vasubu_vx, 4, 12, 8, NC, 0, 0},         /* vasubu.vx v4, v8, a2 */
    {0x2e862257, RV_OP_vasub_vv, 4, 12, 8, NC, 0, 0},          /* vasub.vv v4, v8, v12 */
    {0x2e866257, RV_OP_vasub_vx, 4, 12, 8, NC, 0, 0},          /* vasub.vx v4, v8, a2 */
    {0x9e860257, RV_OP_vsmul_vv, 4, 12, 8, NC, 0, 0},          /* vsmul.vv v4, v8, v12 */
    {0x9e864257, RV_OP_vsmul_vx, 4, 12, 8, NC, 0, 0},          /* vsmul.vx v4, v8, a2 */
    {0xaa860257, RV_OP_vssrl_vv, 4, 12, 8, NC, 0, 0},          /* vssrl.vv v4, v8, v12 */
    {0xaa864257, RV_OP_vssrl_vx, 4, 12, 8, NC, 0, 0},          /* vssrl.vx v4, v8, a2 */
    {0xaa82b257, RV_OP_vssrl_vi, 4, 5, 8, NC, 0, 0},           /* vssrl.vi v4, v8, 5 */
    {0xae860257, RV_OP_vssra_vv, 4, 12, 8, NC, 0, 0},          /* vssra.vv v4, v8, v12 */
    {0xae864257, RV_OP_vssra_vx, 4, 12, 8, NC, 0, 0},          /* vssra.vx v4, v8, a2 */
    {0xae82b257, RV_OP_vssra_vi, 4, 5, 8, NC, 0, 0},           /* vssra.vi v4, v8, 5 */
    {0xba860257, RV_OP_vnclipu_wv, 4, 12, 8, NC, 0, 0},        /* vnclipu.wv v4, v8, v12 */
    {0xba864257, RV_OP_vnclipu_wx, 4, 12, 8, NC, 0, 0},        /* vnclipu.wx v4, v8, a2 */
    {0xba82b257, RV_OP_vnclipu_wi, 4, 5, 8, NC, 0, 0},         /* vnclipu.wi v4, v8, 5 */
    {0xbe860257, RV_OP_vnclip_wv, 4, 12, 8, NC, 0, 0},         /* vnclip.wv v4, v8, v12 */
    {0xbe864257, RV_OP_vnclip_wx, 4, 12, 8, NC, 0, 0},         /* vnclip.wx v4, v8, a2 */
    {0xbe82b257, RV_OP_vnclip_wi, 4, 5, 8, NC, 0, 0},          /* vnclip.wi v4, v8, 5 */
    {0x62862257, RV_OP_vmandn_mm, 4, 12, 8, NC, 0, 0},         /* vmandn.mm v4, v8, v12 */
    {0x66862257, RV_OP_vmand_mm, 4, 12, 8, NC, 0, 0},          /* vmand.mm v4, v8, v12 */
    {0x6a862257, RV_OP_vmor_mm, 4, 12, 8, NC, 0, 0},           /* vmor.mm v4, v8, v12 */
    {0x6e862257, RV_OP_vmxor_mm, 4, 12, 8, NC, 0, 0},          /* vmxor.mm v4, v8, v12 */
    {0x72862257, RV_OP_vmorn_mm, 4, 12, 8, NC, 0, 0},          /* vmorn.mm v4, v8, v12 */
    {0x76862257, RV_OP_vmnand_mm, 4, 12, 8, NC, 0, 0},         /* vmnand.mm v4, v8, v12 */
    {0x7a862257, RV_OP_vmnor_mm, 4, 12, 8, NC, 0, 0},          /* vmnor.mm v4, v8, v12 */
    {0x7e862257, RV_OP_vmxnor_mm, 4, 12, 8, NC, 0, 0},         /* vmxnor.mm v4, v8, v12 */
    {0x42882557, RV_OP_vcpop_m, 10, 16, 8, NC, 0, 0},          /* vcpop.m a0, v8 */
    {0x4288a557, RV_OP_vfirst_m, 10, 17, 8, NC, 0, 0},         /* vfirst.m a0, v8 */
    {0x5280a257, RV_OP_vmsbf_m, 4, 1, 8, NC, 0, 0},            /* vmsbf.m v4, v8 */
    {0x52812257, RV_OP_vmsof_m, 4, 2, 8, NC, 0, 0},            /* vmsof.m v4, v8 */
    {0x5281a257, RV_OP_vmsif_m, 4, 3, 8, NC, 0, 0},            /* vmsif.m v4, v8 */
    {0x52882257, RV_OP_viota_m, 4, 16, 8, NC, 0, 0},           /* viota.m v4, v8 */
    {0x5208a257, RV_OP_vid_v, 4, 17, 0, NC, 0, 0},             /* vid.v v4 */
    {0x42802557, RV_OP_vmv_x_s, 10, 0, 8, NC, 0, 0},           /* vmv.x.s a0, v8 */
    {0x42066257, RV_OP_vmv_s_x, 4, 12, 0, NC, 0, 0},           /* vmv.s.x v4, a2 */
    {0x3a864257, RV_OP_vslideup_vx, 4, 12, 8, NC, 0, 0},       /* vslideup.vx v4, v8, a2 */
    {0x3a82b257, RV_OP_vslideup_vi, 4, 5, 8, NC, 0, 0},        /* vslideup.vi v4, v8, 5 */
    {0x3e864257, RV_OP_vslidedown_vx, 4, 12, 8, NC, 0, 0},     /* vslidedown.vx v4, v8, a2 */
    {0x3e82b257, RV_OP_vslidedown_vi, 4, 5, 8, NC, 0, 0},      /* vslidedown.vi v4, v8, 5 */
    {0x3a866257, RV_OP_vslide1up_vx, 4, 12, 8, NC, 0, 0},      /* vslide1up.vx v4, v8, a2 */
    {0x3e866257, RV_OP_vslide1down_vx, 4, 12, 8, NC, 0, 0},    /* vslide1down.vx v4, v8, a2 */
    {0x32860257, RV_OP_vrgather_vv, 4, 12, 8, NC, 0, 0},       /* vrgather.vv v4, v8, v12 */
    {0x32864257, RV_OP_vrgather_vx, 4, 12, 8, NC, 0, 0},       /* vrgather.vx v4, v8, a2 */
    {0x3282b257, RV_OP_vrgather_vi, 4, 5, 8, NC, 0, 0},        /* vrgather.vi v4, v8, 5 */
    {0x3a860257, RV_OP_vrgatherei16_vv, 4, 12, 8, NC, 0, 0},   /* vrgatherei16.vv v4, v8, v12 */
    {0x5e862257, RV_OP_vcompress_vm, 4, 12, 8, NC, 0, 0},      /* vcompress.vm v4, v8, v12 */
    {0x9f003457, RV_OP_vmv1r_v, 8, 0, 16, NC, 0, 0},           /* vmv1r.v v8, v16 */
    {0x9f00b457, RV_OP_vmv2r_v, 8, 1, 16, NC, 0, 0},           /* vmv2r.v v8, v16 */
    {0x9f01b457, RV_OP_vmv4r_v, 8, 3, 16, NC, 0, 0},           /* vmv4r.v v8, v16 */
    {0x9f03b457, RV_OP_vmv8r_v, 8, 7, 16, NC, 0, 0},           /* vmv8r.v v8, v16 */
    {0x02862257, RV_OP_vredsum_vs, 4, 12, 8, NC, 0, 0},        /* vredsum.vs v4, v8, v12 */
    {0x06862257, RV_OP_vredand_vs, 4, 12, 8, NC, 0, 0},        /* vredand.vs v4, v8, v12 */
    {0x0a862257, RV_OP_vredor_vs, 4, 12, 8, NC, 0, 0},         /* vredor.vs v4, v8, v12 */
    {0x0e862257, RV_OP_vredxor_vs, 4, 12, 8, NC, 0, 0},        /* vredxor.vs v4, v8, v12 */
    {0x12862257, RV_OP_vredminu_vs, 4, 12, 8, NC, 0, 0},       /* vredminu.vs v4, v8, v12 */
    {0x16862257, RV_OP_vredmin_vs, 4, 12, 8, NC, 0, 0},        /* vredmin.vs v4, v8, v12 */
    {0x1a862257, RV_OP_vredmaxu_vs, 4, 12, 8, NC, 0, 0},       /* vredmaxu.vs v4, v8, v12 */
    {0x1e862257, RV_OP_vredmax_vs, 4, 12, 8, NC, 0, 0},        /* vredmax.vs v4, v8, v12 */
    {0xc2860257, RV_OP_vwredsumu_vs, 4, 12, 8, NC, 0, 0},      /* vwredsumu.vs v4, v8, v12 */
    {0xc6860257, RV_OP_vwredsum_vs, 4, 12, 8, NC, 0, 0},       /* vwredsum.vs v4, v8, v12 */
    {0x02861257, RV_OP_vfadd_vv, 4, 12, 8, NC, 0, 0},          /* vfadd.vv v4, v8, v12 */
    {0x02865257, RV_OP_vfadd_vf, 4, 12, 8, NC, 0, 0},          /* vfadd.vf v4, v8, fa2 */
    {0x0a861257, RV_OP_vfsub_vv, 4, 12, 8, NC, 0, 0},          /* vfsub.vv v4, v8, v12 */
    {0x0a865257, RV_OP_vfsub_vf, 4, 12, 8, NC, 0, 0},          /* vfsub.vf v4, v8, fa2 */
    {0x12861257, RV_OP_vfmin_vv, 4, 12, 8, NC, 0, 0},          /* vfmin.vv v4, v8, v12 */
    {0x12865257, RV_OP_vfmin_vf, 4, 12, 8, NC, 0, 0},          /* vfmin.vf v4, v8, fa2 */
    {0x1a861257, RV_OP_vfmax_vv, 4, 12, 8, NC, 0, 0},          /* vfmax.vv v4, v8, v12 */
    {0x1a865257, RV_OP_vfmax_vf, 4, 12, 8, NC, 0, 0},          /* vfmax.vf v4, v8, fa2 */
    {0x22861257, RV_OP_vfsgnj_vv, 4, 12, 8, NC, 0, 0},         /* vfsgnj.vv v4, v8, v12 */
    {0x22865257, RV_OP_vfsgnj_vf, 4, 12, 8, NC, 0, 0},         /* vfsgnj.vf v4, v8, fa2 */
    {0x26861257, RV_OP_vfsgnjn_vv, 4, 12, 8, NC, 0, 0},        /* vfsgnjn.vv v4, v8, v12 */
    {0x26865257, RV_OP_vfsgnjn_vf, 4, 12, 8, NC, 0, 0},        /* vfsgnjn.vf v4, v8, fa2 */
    {0x2a861257, RV_OP_vfsgnjx_vv, 4, 12, 8, NC, 0, 0},        /* vfsgnjx.vv v4, v8, v12 */
    {0x2a865257, RV_OP_vfsgnjx_vf, 4, 12, 8, NC, 0, 0},        /* vfsgnjx.vf v4, v8, fa2 */
    {0x3a865257, RV_OP_vfslide1up_vf, 4, 12, 8, NC, 0, 0},     /* vfslide1up.vf v4, v8, fa2 */
    {0x3e865257, RV_OP_vfslide1down_vf, 4, 12, 8, NC, 0, 0},   /* vfslide1down.vf v4, v8, fa2 */
    {0x42801657, RV_OP_vfmv_f_s, 12, 0, 8, NC, 0, 0},          /* vfmv.f.s fa2, v8 */
    {0x42065257, RV_OP_vfmv_s_f, 4, 12, 0, NC, 0, 0},          /* vfmv.s.f v4, fa2 */
    {0x4e801257, RV_OP_vfsqrt_v, 4, 0, 8, NC, 0, 0},           /* vfsqrt.v v4, v8 */
    {0x4e881257, RV_OP_vfclass_v, 4, 16, 8, NC, 0, 0},         /* vfclass.v v4, v8 */
    {0x5c865257, RV_OP_vfmerge_vfm, 4, 12, 8, NC, 0, 0},       /* vfmerge.vfm v4, v8, fa2, v0 */
    {0x5e065257, RV_OP_vfmv_v_f, 4, 12, 0, NC, 0, 0},          /* vfmv.v.f v4, fa2 */
    {0x62861257, RV_OP_vmfeq_vv, 4, 12, 8, NC, 0, 0},          /* vmfeq.vv v4, v8, v12 */
    {0x62865257, RV_OP_vmfeq_vf, 4, 12, 8, NC, 0, 0},          /* vmfeq.vf v4, v8, fa2 */
    {0x66861257, RV_OP_vmfle_vv, 4, 12, 8, NC, 0, 0},          /* vmfle.vv v4, v8, v12 */
    {0x66865257, RV_OP_vmfle_vf, 4, 12, 8, NC, 0, 0},          /* vmfle.vf v4, v8, fa2 */
    {0x6e861257, RV_OP_vmflt_vv, 4, 12, 8, NC, 0, 0},          /* vmflt.vv v4, v8, v12 */
    {0x6e865257, RV_OP_vmflt_vf, 4, 12, 8, NC, 0, 0},          /* vmflt.vf v4, v8, fa2 */
    {0x72861257, RV_OP_vmfne_vv, 4, 12, 8, NC, 0, 0},          /* vmfne.vv v4, v8, v12 */
    {0x72865257, RV_OP_vmfne_vf, 4, 12, 8, NC, 0, 0},          /* vmfne.vf v4, v8, fa2 */
    {0x76865257, RV_OP_vmfgt_vf, 4, 12, 8, NC, 0, 0},          /* vmfgt.vf v4, v8, fa2 */
    {0x7e865257, RV_OP_vmfge_vf, 4, 12, 8, NC, 0, 0},          /* vmfge.vf v4, v8, fa2 */
    {0x82861257, RV_OP_vfdiv_vv, 4, 12, 8, NC, 0, 0},          /* vfdiv.vv v4, v8, v12 */
    {0x82865257, RV_OP_vfdiv_vf, 4, 12, 8, NC, 0, 0},          /* vfdiv.vf v4, v8, fa2 */
    {0x86865257, RV_OP_vfrdiv_vf, 4, 12, 8, NC, 0, 0},         /* vfrdiv.vf v4, v8, fa2 */
    {0x92861257, RV_OP_vfmul_vv, 4, 12, 8, NC, 0, 0},          /* vfmul.vv v4, v8, v12 */
    {0x92865257, RV_OP_vfmul_vf, 4, 12, 8, NC, 0, 0},          /* vfmul.vf v4, v8, fa2 */
    {0x9e865257, RV_OP_vfrsub_vf, 4, 12, 8, NC, 0, 0},         /* vfrsub.vf v4, v8, fa2 */
    {0xa2861257, RV_OP_vfmadd_vv, 4, 12, 8, NC, 0, 0},         /* vfmadd.vv v4, v12, v8 */
    {0xa2865257, RV_OP_vfmadd_vf, 4, 12, 8, NC, 0, 0},         /* vfmadd.vf v4, fa2, v8 */
    {0xa6861257, RV_OP_vfnmadd_vv, 4, 12, 8, NC, 0, 0},        /* vfnmadd.vv v4, v12, v8 */
    {0xa6865257, RV_OP_vfnmadd_vf, 4, 12, 8, NC, 0, 0},        /* vfnmadd.vf v4, fa2, v8 */
    {0xaa861257, RV_OP_vfmsub_vv, 4, 12, 8, NC, 0, 0},         /* vfmsub.vv v4, v12, v8 */
    {0xaa865257, RV_OP_vfmsub_vf, 4, 12, 8, NC, 0, 0},         /* vfmsub.vf v4, fa2, v8 */
    {0xae861257, RV_OP_vfnmsub_vv, 4, 12, 8, NC, 0, 0},        /* vfnmsub.vv v4, v12, v8 */
    {0xae865257, RV_OP_vfnmsub_vf, 4, 12, 8, NC, 0, 0},        /* vfnmsub.vf v4, fa2, v8 */
    {0xb2861257, RV_OP_vfmacc_vv, 4, 12, 8, NC, 0, 0},         /* vfmacc.vv v4, v12, v8 */
    {0xb2865257, RV_OP_vfmacc_vf, 4, 12, 8, NC, 0, 0},         /* vfmacc.vf v4, fa2, v8 */
    {0xb6861257, RV_OP_vfnmacc_vv, 4, 12, 8, NC, 0, 0},        /* vfnmacc.vv v4, v12, v8 */
    {0xb6865257, RV_OP_vfnmacc_vf, 4, 12, 8, NC, 0, 0},        /* vfnmacc.vf v4, fa2, v8 */
    {0xba861257, RV_OP_vfmsac_vv, 4, 12, 8, NC, 0, 0},         /* vfmsac.vv v4, v12, v8 */
    {0xba865257, RV_OP_vfmsac_vf, 4, 12, 8, NC, 0, 0},         /* vfmsac.vf v4, fa2, v8 */
    {0xbe861257, RV_OP_vfnmsac_vv, 4, 12, 8, NC, 0, 0},        /* vfnmsac.vv v4, v12, v8 */
    {0xbe865257, RV_OP_vfnmsac_vf, 4, 12, 8, NC, 0, 0},        /* vfnmsac.vf v4, fa2, v8 */
    {0xc2861257, RV_OP_vfwadd_vv, 4, 12, 8, NC, 0, 0},         /* vfwadd.vv v4, v8, v12 */
    {0xc2865257, RV_OP_vfwadd_vf, 4, 12, 8, NC, 0, 0},         /* vfwadd.vf v4, v8, fa2 */
    {0xca861257, RV_OP_vfwsub_vv, 4, 12, 8, NC, 0, 0},         /* vfwsub.vv v4, v8, v12 */
    {0xca865257, RV_OP_vfwsub_vf, 4, 12, 8, NC, 0, 0},         /* vfwsub.vf v4, v8, fa2 */
    {0xd2861257, RV_OP_vfwadd_wv, 4, 12, 8, NC, 0, 0},         /* vfwadd.wv v4, v8, v12 */
    {0xd2865257, RV_OP_vfwadd_wf, 4, 12, 8, NC, 0, 0},         /* vfwadd.wf v4, v8, fa2 */
    {0xda861257, RV_OP_vfwsub_wv, 4, 12, 8, NC, 0, 0},         /* vfwsub.wv v4, v8, v12 */
    {0xda865257, RV_OP_vfwsub_wf, 4, 12, 8, NC, 0, 0},         /* vfwsub.wf v4, v8, fa2 */
    {0xe2861257, RV_OP_vfwmul_vv, 4, 12, 8, NC, 0, 0},         /* vfwmul.vv v4, v8, v12 */
    {0xe2865257, RV_OP_vfwmul_vf, 4, 12, 8, NC, 0, 0},         /* vfwmul.vf v4, v8, fa2 */
    {0xf2861257, RV_OP_vfwmacc_vv, 4, 12, 8, NC, 0, 0},        /* vfwmacc.vv v4, v12, v8 */
    {0xf2865257, RV_OP_vfwmacc_vf, 4, 12, 8, NC, 0, 0},        /* vfwmacc.vf v4, fa2, v8 */
    {0xf6861257, RV_OP_vfwnmacc_vv, 4, 12, 8, NC, 0, 0},       /* vfwnmacc.vv v4, v12, v8 */
    {0xf6865257, RV_OP_vfwnmacc_vf, 4, 12, 8, NC, 0, 0},       /* vfwnmacc.vf v4, fa2, v8 */
    {0xfa861257, RV_OP_vfwmsac_vv, 4, 12, 8, NC, 0, 0},        /* vfwmsac.vv v4, v12, v8 */
    {0xfa865257, RV_OP_vfwmsac_vf, 4, 12, 8, NC, 0, 0},        /* vfwmsac.vf v4, fa2, v8 */
    {0xfe861257, RV_OP_vfwnmsac_vv, 4, 12, 8, NC, 0, 0},       /* vfwnmsac.vv v4, v12, v8 */
    {0xfe865257, RV_OP_vfwnmsac_vf, 4, 12, 8, NC, 0, 0},       /* vfwnmsac.vf v4, fa2, v8 */
    {0x06861257, RV_OP_vfredusum_vs, 4, 12, 8, NC, 0, 0},      /* vfredusum.vs v4, v8, v12 */
    {0x0e861257, RV_OP_vfredosum_vs, 4, 12, 8, NC, 0, 0},      /* vfredosum.vs v4, v8, v12 */
    {0x16861257, RV_OP_vfredmin_vs, 4, 12, 8, NC, 0, 0},       /* vfredmin.vs v4, v8, v12 */
    {0x1e861257, RV_OP_vfredmax_vs, 4, 12, 8, NC, 0, 0},       /* vfredmax.vs v4, v8, v12 */
    {0xc6861257, RV_OP_vfwredusum_vs, 4, 12, 8, NC, 0, 0},     /* vfwredusum.vs v4, v8, v12 */
    {0xce861257, RV_OP_vfwredosum_vs, 4, 12, 8, NC, 0, 0},     /* vfwredosum.vs v4, v8, v12 */
    {0x4a801257, RV_OP_vfcvt_xu_f_v, 4, 0, 8, NC, 0, 0},       /* vfcvt.xu.f.v v4, v8 */
    {0x4a809257, RV_OP_vfcvt_x_f_v, 4, 1, 8, NC, 0, 0},        /* vfcvt.x.f.v v4, v8 */
    {0x4a811257, RV_OP_vfcvt_f_xu_v, 4, 2, 8, NC, 0, 0},       /* vfcvt.f.xu.v v4, v8 */
    {0x4a819257, RV_OP_vfcvt_f_x_v, 4, 3, 8, NC, 0, 0},        /* vfcvt.f.x.v v4, v8 */
    {0x4a831257, RV_OP_vfcvt_rtz_xu_f_v, 4, 6, 8, NC, 0, 0},   /* vfcvt.rtz.xu.f.v v4, v8 */
    {0x4a839257, RV_OP_vfcvt_rtz_x_f_v, 4, 7, 8, NC, 0, 0},    /* vfcvt.rtz.x.f.v v4, v8 */
    {0x4a841257, RV_OP_vfwcvt_xu_f_v, 4, 8, 8, NC, 0, 0},      /* vfwcvt.xu.f.v v4, v8 */
    {0x4a849257, RV_OP_vfwcvt_x_f_v, 4, 9, 8, NC, 0, 0},       /* vfwcvt.x.f.v v4, v8 */
    {0x4a851257, RV_OP_vfwcvt_f_xu_v, 4, 10, 8, NC, 0, 0},     /* vfwcvt.f.xu.v v4, v8 */
    {0x4a859257, RV_OP_vfwcvt_f_x_v, 4, 11, 8, NC, 0, 0},      /* vfwcvt.f.x.v v4, v8 */
    {0x4a861257, RV_OP_vfwcvt_f_f_v, 4, 12, 8, NC, 0, 0},      /* vfwcvt.f.f.v v4, v8 */
    {0x4a871257, RV_OP_vfwcvt_rtz_xu_f_v, 4, 14, 8, NC, 0, 0}, /* vfwcvt.rtz.xu.f.v v4, v8 */
    {0x4a879257, RV_OP_vfwcvt_rtz_x_f_v, 4, 15, 8, NC, 0, 0},  /* vfwcvt.rtz.x.f.v v4, v8 */
    {0x4a881257, RV_OP_vfncvt_xu_f_w, 4, 16, 8, NC, 0, 0},     /* vfncvt.xu.f.w v4, v8 */
    {0x4a889257, RV_OP_vfncvt_x_f_w, 4, 17, 8, NC, 0, 0},      /* vfncvt.x.f.w v4, v8 */
    {0x4a891257, RV_OP_vfncvt_f_xu_w, 4, 18, 8, NC, 0, 0},     /* vfncvt.f.xu.w v4, v8 */
    {0x4a899257, RV_OP_vfncvt_f_x_w, 4, 19, 8, NC, 0, 0},      /* vfncvt.f.x.w v4, v8 */
    {0x4a8a1257, RV_OP_vfncvt_f_f_w, 4, 20, 8, NC, 0, 0},      /* vfncvt.f.f.w v4, v8 */
    {0x4a8a9257, RV_OP_vfncvt_rod_f_f_w, 4, 21, 8, NC, 0, 0},  /* vfncvt.rod.f.f.w v4, v8 */
    {0x4a8b1257, RV_OP_vfncvt_rtz_xu_f_w, 4, 22, 8, NC, 0, 0}, /* vfncvt.rtz.xu.f.w v4, v8 */
    {0x4a8b9257, RV_OP_vfncvt_rtz_x_f_w, 4, 23, 8, NC, 0, 0},  /* vfncvt.rtz.x.f.w v4, v8 */
    {0x4e821257, RV_OP_vfrsqrt7_v, 4, 4, 8, NC, 0, 0},         /* vfrsqrt7.v v4, v8 */
    {0x4e829257, RV_OP_vfrec7_v, 4, 5, 8, NC, 0, 0},           /* vfrec7.v v4, v8 */
    {0x82862257, RV_OP_vdivu_vv, 4, 12, 8, NC, 0, 0},          /* vdivu.vv v4, v8, v12 */
    {0x82866257, RV_OP_vdivu_vx, 4, 12, 8, NC, 0, 0},          /* vdivu.vx v4, v8, a2 */
    {0x86862257, RV_OP_vdiv_vv, 4, 12, 8, NC, 0, 0},           /* vdiv.vv v4, v8, v12 */
    {0x86866257, RV_OP_vdiv_vx, 4, 12, 8, NC, 0, 0},           /* vdiv.vx v4, v8, a2 */
    {0x8a862257, RV_OP_vremu_vv, 4, 12, 8, NC, 0, 0},          /* vremu.vv v4, v8, v12 */
    {0x8a866257, RV_OP_vremu_vx, 4, 12, 8, NC, 0, 0},          /* vremu.vx v4, v8, a2 */
    {0x8e862257, RV_OP_vrem_vv, 4, 12, 8, NC, 0, 0},           /* vrem.vv v4, v8, v12 */
    {0x8e866257, RV_OP_vrem_vx, 4, 12, 8, NC, 0, 0},           /* vrem.vx v4, v8, a2 */
    {0x92862257, RV_OP_vmulhu_vv, 4, 12, 8, NC, 0, 0},         /* vmulhu.vv v4, v8, v12 */
    {0x92866257, RV_OP_vmulhu_vx, 4, 12, 8, NC, 0, 0},         /* vmulhu.vx v4, v8, a2 */
    {0x96862257, RV_OP_vmul_vv, 4, 12, 8, NC, 0, 0},           /* vmul.vv v4, v8, v12 */
    {0x96866257, RV_OP_vmul_vx, 4, 12, 8, NC, 0, 0},           /* vmul.vx v4, v8, a2 */
    {0x9a862257, RV_OP_vmulhsu_vv, 4, 12, 8, NC, 0, 0},        /* vmulhsu.vv v4, v8, v12 */
    {0x9a866257, RV_OP_vmulhsu_vx, 4, 12, 8, NC, 0, 0},        /* vmulhsu.vx v4, v8, a2 */
    {0x9e862257, RV_OP_vmulh_vv, 4, 12, 8, NC, 0, 0},          /* vmulh.vv v4, v8, v12 */
    {0x9e866257, RV_OP_vmulh_vx, 4, 12, 8, NC, 0, 0},          /* vmulh.vx v4, v8, a2 */
    {0xa6862257, RV_OP_vmadd_vv, 4, 12, 8, NC, 0, 0},          /* vmadd.vv v4, v12, v8 */
    {0xa6866257, RV_OP_vmadd_vx, 4, 12, 8, NC, 0, 0},          /* vmadd.vx v4, a2, v8 */
    {0xae862257, RV_OP_vnmsub_vv, 4, 12, 8, NC, 0, 0},         /* vnmsub.vv v4, v12, v8 */
    {0xae866257, RV_OP_vnmsub_vx, 4, 12, 8, NC, 0, 0},         /* vnmsub.vx v4, a2, v8 */
    {0xb6862257, RV_OP_vmacc_vv, 4, 12, 8, NC, 0, 0},          /* vmacc.vv v4, v12, v8 */
    {0xb6866257, RV_OP_vmacc_vx, 4, 12, 8, NC, 0, 0},          /* vmacc.vx v4, a2, v8 */
    {0xbe862257, RV_OP_vnmsac_vv, 4, 12, 8, NC, 0, 0},         /* vnmsac.vv v4, v12, v8 */
    {0xbe866257, RV_OP_vnmsac_vx, 4, 12, 8, NC, 0, 0},         /* vnmsac.vx v4, a2, v8 */
    {0xc2862257, RV_OP_vwaddu_vv, 4, 12, 8, NC, 0, 0},         /* vwaddu.vv v4, v8, v12 */
    {0xc2866257, RV_OP_vwaddu_vx, 4, 12, 8, NC, 0, 0},         /* vwaddu.vx v4, v8, a2 */
    {0xc6862257, RV_OP_vwadd_vv, 4, 12, 8, NC, 0, 0},          /* vwadd.vv v4, v8, v12 */
    {0xc6866257, RV_OP_vwadd_vx, 4, 12, 8, NC, 0, 0},          /* vwadd.vx v4, v8, a2 */
    {0xca862257, RV_OP_vwsubu_vv, 4, 12, 8, NC, 0, 0},         /* vwsubu.vv v4, v8, v12 */
    {0xca866257, RV_OP_vwsubu_vx, 4, 12, 8, NC, 0, 0},         /* vwsubu.vx v4, v8, a2 */
    {0xce862257, RV_OP_vwsub_vv, 4, 12, 8, NC, 0, 0},          /* vwsub.vv v4, v8, v12 */
    {0xce866257, RV_OP_vwsub_vx, 4, 12, 8, NC, 0, 0},          /* vwsub.vx v4, v8, a2 */
    {0xd2862257, RV_OP_vwaddu_w_vv, 4, 12, 8, NC, 0, 0},       /* vwaddu.wv v4, v8, v12 */
    {0xd2866257, RV_OP_vwaddu_w_vx, 4, 12, 8, NC, 0, 0},       /* vwaddu.wx v4, v8, a2 */
    {0xd6862257, RV_OP_vwadd_w_vv, 4, 12, 8, NC, 0, 0},        /* vwadd.wv v4, v8, v12 */
    {0xd6866257, RV_OP_vwadd_w_vx, 4, 12, 8, NC, 0, 0},        /* vwadd.wx v4, v8, a2 */
    {0xda862257, RV_OP_vwsubu_w_vv, 4, 12, 8, NC, 0, 0},       /* vwsubu.wv v4, v8, v12 */
    {0xda866257, RV_OP_vwsubu_w_vx, 4, 12, 8, NC, 0, 0},       /* vwsubu.wx v4, v8, a2 */
    {0xde862257, RV_OP_vwsub_w_vv, 4, 12, 8, NC, 0, 0},        /* vwsub.wv v4, v8, v12 */
    {0xde866257, RV_OP_vwsub_w_vx, 4, 12, 8, NC, 0, 0},        /* vwsub.wx v4, v8, a2 */
    {0xe2862257, RV_OP_vwmulu_vv, 4, 12, 8, NC, 0, 0},         /* vwmulu.vv v4, v8, v12 */
    {0xe2866257, RV_OP_vwmulu_vx, 4, 12, 8, NC, 0, 0},         /* vwmulu.vx v4, v8, a2 */
    {0xea862257, RV_OP_vwmulsu_vv, 4, 12, 8, NC, 0, 0},        /* vwmulsu.vv v4, v8, v12 */
    {0xea866257, RV_OP_vwmulsu_vx, 4, 12, 8, NC, 0, 0},        /* vwmulsu.vx v4, v8, a2 */
    {0xee862257, RV_OP_vwmul_vv, 4, 12, 8, NC, 0, 0},          /* vwmul.vv v4, v8, v12 */
    {0xee866257, RV_OP_vwmul_vx, 4, 12, 8, NC, 0, 0},          /* vwmul.vx v4, v8, a2 */
    {0xf2862257, RV_OP_vwmaccu_vv, 4, 12, 8, NC, 0, 0},        /* vwmaccu.vv v4, v12, v8 */
    {0xf2866257, RV_OP_vwmaccu_vx, 4, 12, 8, NC, 0, 0},        /* vwmaccu.vx v4, a2, v8 */
    {0xf6862257, RV_OP_vwmacc_vv, 4, 12, 8, NC, 0, 0},         /* vwmacc.vv v4, v12, v8 */
    {0xf6866257, RV_OP_vwmacc_vx, 4, 12, 8, NC, 0, 0},         /* vwmacc.vx v4, a2, v8 */
    {0xfa866257, RV_OP_vwmaccus_vx, 4, 12, 8, NC, 0, 0},       /* vwmaccus.vx v4, a2, v8 */
    {0xfe862257, RV_OP_vwmaccsu_vv, 4, 12, 8, NC, 0, 0},       /* vwmaccsu.vv v4, v12, v8 */
    {0xfe866257, RV_OP_vwmaccsu_vx, 4, 12, 8, NC, 0, 0},       /* vwmaccsu.vx v4, a2, v8 */
    {0x5c860257, RV_OP_vmerge_vvm, 4, 12, 8, NC, 0, 0},        /* vmerge.vvm v4, v8, v12, v0 */
    {0x5c864257, RV_OP_vmerge_vxm, 4, 12, 8, NC, 0, 0},        /* vmerge.vxm v4, v8, a2, v0 */
    {0x5c82b257, RV_OP_vmerge_vim, 4, 5, 8, NC, 0, 0},         /* vmerge.vim v4, v8, 5, v0 */
    {0x5e060257, RV_OP_vmv_v_v, 4, 12, NC, NC, 0, 0},          /* vmv.v.v v4, v12 */
    {0x5e064257, RV_OP_vmv_v_x, 4, 12, NC, NC, 0, 0},          /* vmv.v.x v4, a2 */
    {0x5e02b257, RV_OP_vmv_v_i, 4, 5, NC, NC, 0, 0},           /* vmv.v.i v4, 5 */
    {0x4a812257, RV_OP_vzext_vf8, 4, NC, 8, NC, 0, 0},         /* vzext.vf8 v4, v8 */
    {0x4a81a257, RV_OP_vsext_vf8, 4, NC, 8, NC, 0, 0},         /* vsext.vf8 v4, v8 */
    {0x4a822257, RV_OP_vzext_vf4, 4, NC, 8, NC, 0, 0},         /* vzext.vf4 v4, v8 */
    {0x4a82a257, RV_OP_vsext_vf4, 4, NC, 8, NC, 0, 0},         /* vsext.vf4 v4, v8 */
    {0x4a832257, RV_OP_vzext_vf2, 4, NC, 8, NC, 0, 0},         /* vzext.vf2 v4, v8 */
    {0x4a83a257, RV_OP_vsext_vf2, 4, NC, 8, NC, 0, 0},         /* vsext.vf2 v4, v8 */
    {0x06860257, RV_OP_vandn_vv, 4, 12, 8, NC, 0, 0},          /* vandn_vv: Zvbb, by hand */
    {0x06864257, RV_OP_vandn_vx, 4, 12, 8, NC, 0, 0},          /* vandn_vx: Zvbb, by hand */
    {0x56860257, RV_OP_vrol_vv, 4, 12, 8, NC, 0, 0},           /* vrol_vv: Zvbb, by hand */
    {0x56864257, RV_OP_vrol_vx, 4, 12, 8, NC, 0, 0},           /* vrol_vx: Zvbb, by hand */
    {0x52860257, RV_OP_vror_vv, 4, 12, 8, NC, 0, 0},           /* vror_vv: Zvbb, by hand */
    {0x52864257, RV_OP_vror_vx, 4, 12, 8, NC, 0, 0},           /* vror_vx: Zvbb, by hand */
    {0xd6860257, RV_OP_vwsll_vv, 4, 12, 8, NC, 0, 0},          /* vwsll_vv: Zvbb, by hand */
    {0xd6864257, RV_OP_vwsll_vx, 4, 12, 8, NC, 0, 0},          /* vwsll_vx: Zvbb, by hand */
    {0xd682b257, RV_OP_vwsll_vi, 4, 5, 8, NC, 0, 0},           /* vwsll_vi: Zvbb, by hand */
    {0x5282b257, RV_OP_vror_vi, 4, 5, 8, NC, 0, 0},            /* vror_vi: Zvbb, by hand */
    {0x4a842257, RV_OP_vbrev8_v, 4, NC, 8, NC, 0, 0},          /* vbrev8_v: Zvbb, by hand */
    {0x4a84a257, RV_OP_vrev8_v, 4, NC, 8, NC, 0, 0},           /* vrev8_v: Zvbb, by hand */
    {0x4a852257, RV_OP_vbrev_v, 4, NC, 8, NC, 0, 0},           /* vbrev_v: Zvbb, by hand */
    {0x4a862257, RV_OP_vclz_v, 4, NC, 8, NC, 0, 0},            /* vclz_v: Zvbb, by hand */
    {0x4a86a257, RV_OP_vctz_v, 4, NC, 8, NC, 0, 0},            /* vctz_v: Zvbb, by hand */
    {0x4a872257, RV_OP_vcpop_v, 4, NC, 8, NC, 0, 0},           /* vcpop_v: Zvbb, by hand */
    /* V loads and stores (V chapter 7), by binutils 2.40 */
    {0x02058207, RV_OP_vle8_v, 4, 11, NC, NC, 0, 0},    /* vle8.v v4,(a1) */
    {0x01058207, RV_OP_vle8ff_v, 4, 11, NC, NC, 0, 0},  /* vle8ff.v v4,(a1),v0.t */
    {0x22858207, RV_OP_vl_re8_v, 4, 11, NC, NC, 0, 0},  /* vl2r.v v4,(a1) */
    {0x0ac58207, RV_OP_vlse8_v, 4, 11, 12, NC, 0, 0},   /* vlse8.v v4,(a1),a2 */
    {0x06858207, RV_OP_vluxei8_v, 4, 11, 8, NC, 0, 0},  /* vluxei8.v v4,(a1),v8 */
    {0x0e858007, RV_OP_vloxei8_v, 0, 11, 8, NC, 0, 0},  /* vloxei8.v v0,(a1),v8 */
    {0x02058227, RV_OP_vse8_v, 4, 11, NC, NC, 0, 0},    /* vse8.v v4,(a1) */
    {0x0ac58227, RV_OP_vsse8_v, 4, 11, 12, NC, 0, 0},   /* vsse8.v v4,(a1),a2 */
    {0x06858227, RV_OP_vsuxei8_v, 4, 11, 8, NC, 0, 0},  /* vsuxei8.v v4,(a1),v8 */
    {0x0e858227, RV_OP_vsoxei8_v, 4, 11, 8, NC, 0, 0},  /* vsoxei8.v v4,(a1),v8 */
    {0x0205d207, RV_OP_vle16_v, 4, 11, NC, NC, 0, 0},   /* vle16.v v4,(a1) */
    {0x0105d207, RV_OP_vle16ff_v, 4, 11, NC, NC, 0, 0}, /* vle16ff.v v4,(a1),v0.t */
    {0x2285d207, RV_OP_vl_re16_v, 4, 11, NC, NC, 0, 0}, /* vl2re16.v v4,(a1) */
    {0x0ac5d207, RV_OP_vlse16_v, 4, 11, 12, NC, 0, 0},  /* vlse16.v v4,(a1),a2 */
    {0x0685d207, RV_OP_vluxei16_v, 4, 11, 8, NC, 0, 0}, /* vluxei16.v v4,(a1),v8 */
    {0x0e85d007, RV_OP_vloxei16_v, 0, 11, 8, NC, 0, 0}, /* vloxei16.v v0,(a1),v8 */
    {0x0205d227, RV_OP_vse16_v, 4, 11, NC, NC, 0, 0},   /* vse16.v v4,(a1) */
    {0x0ac5d227, RV_OP_vsse16_v, 4, 11, 12, NC, 0, 0},  /* vsse16.v v4,(a1),a2 */
    {0x0685d227, RV_OP_vsuxei16_v, 4, 11, 8, NC, 0, 0}, /* vsuxei16.v v4,(a1),v8 */
    {0x0e85d227, RV_OP_vsoxei16_v, 4, 11, 8, NC, 0, 0}, /* vsoxei16.v v4,(a1),v8 */
    {0x0205e207, RV_OP_vle32_v, 4, 11, NC, NC, 0, 0},   /* vle32.v v4,(a1) */
    {0x0105e207, RV_OP_vle32ff_v, 4, 11, NC, NC, 0, 0}, /* vle32ff.v v4,(a1),v0.t */
    {0x2285e207, RV_OP_vl_re32_v, 4, 11, NC, NC, 0, 0}, /* vl2re32.v v4,(a1) */
    {0x0ac5e207, RV_OP_vlse32_v, 4, 11, 12, NC, 0, 0},  /* vlse32.v v4,(a1),a2 */
    {0x0685e207, RV_OP_vluxei32_v, 4, 11, 8, NC, 0, 0}, /* vluxei32.v v4,(a1),v8 */
    {0x0e85e007, RV_OP_vloxei32_v, 0, 11, 8, NC, 0, 0}, /* vloxei32.v v0,(a1),v8 */
    {0x0205e227, RV_OP_vse32_v, 4, 11, NC, NC, 0, 0},   /* vse32.v v4,(a1) */
    {0x0ac5e227, RV_OP_vsse32_v, 4, 11, 12, NC, 0, 0},  /* vsse32.v v4,(a1),a2 */
    {0x0685e227, RV_OP_vsuxei32_v, 4, 11, 8, NC, 0, 0}, /* vsuxei32.v v4,(a1),v8 */
    {0x0e85e227, RV_OP_vsoxei32_v, 4, 11, 8, NC, 0, 0}, /* vsoxei32.v v4,(a1),v8 */
    {0x0205f207, RV_OP_vle64_v, 4, 11, NC, NC, 0, 0},   /* vle64.v v4,(a1) */
    {0x0105f207, RV_OP_vle64ff_v, 4, 11, NC, NC, 0, 0}, /* vle64ff.v v4,(a1),v0.t */
    {0x2285f207, RV_OP_vl_re64_v, 4, 11, NC, NC, 0, 0}, /* vl2re64.v v4,(a1) */
    {0x0ac5f207, RV_OP_vlse64_v, 4, 11, 12, NC, 0, 0},  /* vlse64.v v4,(a1),a2 */
    {0x0685f207, RV_OP_vluxei64_v, 4, 11, 8, NC, 0, 0}, /* vluxei64.v v4,(a1),v8 */
    {0x0e85f007, RV_OP_vloxei64_v, 0, 11, 8, NC, 0, 0}, /* vloxei64.v v0,(a1),v8 */
    {0x0205f227, RV_OP_vse64_v, 4, 11, NC, NC, 0, 0},   /* vse64.v v4,(a1) */
    {0x0ac5f227, RV_OP_vsse64_v, 4, 11, 12, NC, 0, 0},  /* vsse64.v v4,(a1),a2 */
    {0x0685f227, RV_OP_vsuxei64_v, 4, 11, 8, NC, 0, 0}, /* vsuxei64.v v4,(a1),v8 */
    {0x0e85f227, RV_OP_vsoxei64_v, 4, 11, 8, NC, 0, 0}, /* vsoxei64.v v4,(a1),v8 */
    {0x02b58207, RV_OP_vlm_v, 4, 11, NC, NC, 0, 0},     /* vlm.v v4,(a1) */
    {0x02b58227, RV_OP_vsm_v, 4, 11, NC, NC, 0, 0},     /* vsm.v v4,(a1) */
    {0x62858227, RV_OP_vs_r_v, 4, 11, NC, NC, 0, 0},    /* vs4r.v v4,(a1) */
    {0x0ea4f433, RV_OP_czero_nez, 8, 9, 10, NC, 0, 0},  /* czero.nez x8, x9, x10 */
    {0x81c342f3, RV_OP_mop_r, 5, 6, NC, NC, 0, 0},      /* mop.r.0 x5, x6 */
    {0xcdf443f3, RV_OP_mop_r, 7, 8, NC, NC, 0, 0},      /* mop.r.31 x7, x8 */
    {0x827342f3, RV_OP_mop_rr, 5, 6, 7, NC, 0, 0},      /* mop.rr.0 x5, x6, x7 */
    {0xce20c073, RV_OP_mop_rr, 32, 1, 2, NC, 0, 0},     /* mop.rr.7 x0, x1, x2 */
    /* Zfh/Zfhmin (binutils 2.40 has them: checked against its encodings),
     * Zfa and Svinval (encoded from the spec's tables) */
    {0x01021187, RV_OP_flh, 3, 4, NC, NC, 1, 16}, /* flh f3, 16(x4) */
    {0x00521427, RV_OP_fsh, NC, 4, 5, NC, 1, 8},  /* fsh f5, 8(x4) */
    {0x345201c3, RV_OP_fmadd_h, 3, 4, 5, 6, 0, 0},
    {0x345201c7, RV_OP_fmsub_h, 3, 4, 5, 6, 0, 0},
    {0x345201cb, RV_OP_fnmsub_h, 3, 4, 5, 6, 0, 0},
    {0x345201cf, RV_OP_fnmadd_h, 3, 4, 5, 6, 0, 0},
    {0x045201d3, RV_OP_fadd_h, 3, 4, 5, NC, 0, 0},
    {0x0c5201d3, RV_OP_fsub_h, 3, 4, 5, NC, 0, 0},
    {0x145201d3, RV_OP_fmul_h, 3, 4, 5, NC, 0, 0},
    {0x1c5201d3, RV_OP_fdiv_h, 3, 4, 5, NC, 0, 0},
    {0x5c0201d3, RV_OP_fsqrt_h, 3, 4, NC, NC, 0, 0},
    {0x245201d3, RV_OP_fsgnj_h, 3, 4, 5, NC, 0, 0},
    {0x245211d3, RV_OP_fsgnjn_h, 3, 4, 5, NC, 0, 0},
    {0x245221d3, RV_OP_fsgnjx_h, 3, 4, 5, NC, 0, 0},
    {0x2c5201d3, RV_OP_fmin_h, 3, 4, 5, NC, 0, 0},
    {0x2c5211d3, RV_OP_fmax_h, 3, 4, 5, NC, 0, 0},
    {0x402201d3, RV_OP_fcvt_s_h, 3, 4, NC, NC, 0, 0},
    {0x440201d3, RV_OP_fcvt_h_s, 3, 4, NC, NC, 0, 0},
    {0x422201d3, RV_OP_fcvt_d_h, 3, 4, NC, NC, 0, 0},
    {0x441201d3, RV_OP_fcvt_h_d, 3, 4, NC, NC, 0, 0},
    {0xa45221d3, RV_OP_feq_h, 3, 4, 5, NC, 0, 0},
    {0xa45211d3, RV_OP_flt_h, 3, 4, 5, NC, 0, 0},
    {0xa45201d3, RV_OP_fle_h, 3, 4, 5, NC, 0, 0},
    {0xe40211d3, RV_OP_fclass_h, 3, 4, NC, NC, 0, 0},
    {0xc40201d3, RV_OP_fcvt_w_h, 3, 4, NC, NC, 0, 0},
    {0xc41201d3, RV_OP_fcvt_wu_h, 3, 4, NC, NC, 0, 0},
    {0xc42201d3, RV_OP_fcvt_l_h, 3, 4, NC, NC, 0, 0},
    {0xc43201d3, RV_OP_fcvt_lu_h, 3, 4, NC, NC, 0, 0},
    {0xd40201d3, RV_OP_fcvt_h_w, 3, 4, NC, NC, 0, 0},
    {0xd41201d3, RV_OP_fcvt_h_wu, 3, 4, NC, NC, 0, 0},
    {0xd42201d3, RV_OP_fcvt_h_l, 3, 4, NC, NC, 0, 0},
    {0xd43201d3, RV_OP_fcvt_h_lu, 3, 4, NC, NC, 0, 0},
    {0xe40201d3, RV_OP_fmv_x_h, 3, 4, NC, NC, 0, 0},
    {0xf40201d3, RV_OP_fmv_h_x, 3, 4, NC, NC, 0, 0},
    {0xf01201d3, RV_OP_fli_s, 3, 4, NC, NC, 0, 0}, /* fli.s f3, 2^-8 (rs1 = 4) */
    {0xf21201d3, RV_OP_fli_d, 3, 4, NC, NC, 0, 0},
    {0xf41201d3, RV_OP_fli_h, 3, 4, NC, NC, 0, 0},
    {0x285221d3, RV_OP_fminm_s, 3, 4, 5, NC, 0, 0},
    {0x285231d3, RV_OP_fmaxm_s, 3, 4, 5, NC, 0, 0},
    {0x2a5221d3, RV_OP_fminm_d, 3, 4, 5, NC, 0, 0},
    {0x2a5231d3, RV_OP_fmaxm_d, 3, 4, 5, NC, 0, 0},
    {0x2c5221d3, RV_OP_fminm_h, 3, 4, 5, NC, 0, 0},
    {0x2c5231d3, RV_OP_fmaxm_h, 3, 4, 5, NC, 0, 0},
    {0x404201d3, RV_OP_fround_s, 3, 4, NC, NC, 0, 0},
    {0x405201d3, RV_OP_froundnx_s, 3, 4, NC, NC, 0, 0},
    {0x424201d3, RV_OP_fround_d, 3, 4, NC, NC, 0, 0},
    {0x425201d3, RV_OP_froundnx_d, 3, 4, NC, NC, 0, 0},
    {0x444201d3, RV_OP_fround_h, 3, 4, NC, NC, 0, 0},
    {0x445201d3, RV_OP_froundnx_h, 3, 4, NC, NC, 0, 0},
    {0xc28211d3, RV_OP_fcvtmod_w_d, 3, 4, NC, NC, 0, 0}, /* rm must be rtz */
    {0xa05241d3, RV_OP_fleq_s, 3, 4, 5, NC, 0, 0},
    {0xa05251d3, RV_OP_fltq_s, 3, 4, 5, NC, 0, 0},
    {0xa25241d3, RV_OP_fleq_d, 3, 4, 5, NC, 0, 0},
    {0xa25251d3, RV_OP_fltq_d, 3, 4, 5, NC, 0, 0},
    {0xa45241d3, RV_OP_fleq_h, 3, 4, 5, NC, 0, 0},
    {0xa45251d3, RV_OP_fltq_h, 3, 4, 5, NC, 0, 0},
    {0x16520073, RV_OP_sinval_vma, NC, 4, 5, NC, 0, 0},
    {0x18000073, RV_OP_sfence_w_inval, NC, NC, NC, NC, 0, 0},
    {0x18100073, RV_OP_sfence_inval_ir, NC, NC, NC, NC, 0, 0},
    {0x26520073, RV_OP_hinval_vvma, NC, 4, 5, NC, 0, 0},
    {0x66520073, RV_OP_hinval_gvma, NC, 4, 5, NC, 0, 0},
};

/* Compressed forms (assembled with the c. mnemonics), expected as the
 * 32-bit instruction rvc_expand turns them into. */
static const struct dec_vec vec16[] = {
    {0x0001, RV_OP_addi, 32, 0, NC, NC, 1, 0x0},     /* c.nop */
    {0x1501, RV_OP_addi, 10, 10, NC, NC, 1, -32},    /* c.addi x10, -32 */
    {0x45fd, RV_OP_addi, 11, 0, NC, NC, 1, 0x1f},    /* c.li x11, 31 */
    {0x7101, RV_OP_addi, 2, 2, NC, NC, 1, -512},     /* c.addi16sp sp, -512 */
    {0x1fe0, RV_OP_addi, 8, 2, NC, NC, 1, 0x3fc},    /* c.addi4spn x8, sp, 1020 */
    {0x8636, RV_OP_add, 12, 0, 13, NC, 0, 0},        /* c.mv x12, x13 = add x12, x0, x13 */
    {0x377d, RV_OP_addiw, 14, 14, NC, NC, 1, -1},    /* c.addiw x14, -1 */
    {0x7781, RV_OP_lui, 15, NC, NC, NC, 1, -131072}, /* c.lui x15, 0xfffe0 */
    {0x14fe, RV_OP_slli, 9, 9, NC, NC, 1, 0x3f},     /* c.slli x9, 63 */
    {0x9001, RV_OP_srli, 8, 8, NC, NC, 1, 0x20},     /* c.srli x8, 32 */
    {0x8785, RV_OP_srai, 15, 15, NC, NC, 1, 0x1},    /* c.srai x15, 1 */
    {0x997d, RV_OP_andi, 10, 10, NC, NC, 1, -1},     /* c.andi x10, -1 */
    {0x90fe, RV_OP_add, 1, 1, 31, NC, 0, 0},         /* c.add x1, x31 */
    {0x8c05, RV_OP_sub, 8, 8, 9, NC, 0, 0},          /* c.sub x8, x9 */
    {0x8d2d, RV_OP_xor, 10, 10, 11, NC, 0, 0},       /* c.xor x10, x11 */
    {0x8e55, RV_OP_or, 12, 12, 13, NC, 0, 0},        /* c.or x12, x13 */
    {0x8f7d, RV_OP_and, 14, 14, 15, NC, 0, 0},       /* c.and x14, x15 */
    {0x9c1d, RV_OP_subw, 8, 8, 15, NC, 0, 0},        /* c.subw x8, x15 */
    {0x9cb9, RV_OP_addw, 9, 9, 14, NC, 0, 0},        /* c.addw x9, x14 */
    {0x5ce0, RV_OP_lw, 8, 9, NC, NC, 1, 0x7c},       /* c.lw x8, 124(x9) */
    {0x7de8, RV_OP_ld, 10, 11, NC, NC, 1, 0xf8},     /* c.ld x10, 248(x11) */
    {0xc2d0, RV_OP_sw, NC, 13, 12, NC, 1, 0x4},      /* c.sw x12, 4(x13) */
    {0xe798, RV_OP_sd, NC, 15, 14, NC, 1, 0x8},      /* c.sd x14, 8(x15) */
    {0x50fe, RV_OP_lw, 1, 2, NC, NC, 1, 0xfc},       /* c.lwsp x1, 252(sp) */
    {0x7ffe, RV_OP_ld, 31, 2, NC, NC, 1, 0x1f8},     /* c.ldsp x31, 504(sp) */
    {0xdf96, RV_OP_sw, NC, 2, 5, NC, 1, 0xfc},       /* c.swsp x5, 252(sp) */
    {0xff82, RV_OP_sd, NC, 2, 0, NC, 1, 0x1f8},      /* c.sdsp x0, 504(sp) */
    {0x3ce0, RV_OP_fld, 8, 9, NC, NC, 1, 0xf8},      /* c.fld f8, 248(x9) */
    {0xa01c, RV_OP_fsd, NC, 8, 15, NC, 1, 0x0},      /* c.fsd f15, 0(x8) */
    {0x307e, RV_OP_fld, 0, 2, NC, NC, 1, 0x1f8},     /* c.fldsp f0, 504(sp) */
    {0xa47e, RV_OP_fsd, NC, 2, 31, NC, 1, 0x8},      /* c.fsdsp f31, 8(sp) */
    {0xb001, RV_OP_jal, 32, NC, NC, NC, 1, -2048},   /* c.j .-2048 */
    {0xaffd, RV_OP_jal, 32, NC, NC, NC, 1, 0x7fe},   /* c.j .+2046 */
    {0x8082, RV_OP_jalr, 32, 1, NC, NC, 1, 0x0},     /* c.jr x1 */
    {0x9282, RV_OP_jalr, 1, 5, NC, NC, 1, 0x0},      /* c.jalr x5 */
    {0xd001, RV_OP_beq, NC, 8, 0, NC, 1, -256},      /* c.beqz x8, .-256 */
    {0xeffd, RV_OP_bne, NC, 15, 0, NC, 1, 0xfe},     /* c.bnez x15, .+254 */
    {0x9002, RV_OP_ebreak, NC, NC, NC, NC, 0, 0},    /* c.ebreak */
    /* Zcb and Zcmop (binutils 2.40 has neither): encoded by hand from the
     * spec's tables (unpriv spec 29.13, 29.14). */
    {0x81c8, RV_OP_lbu, 10, 11, NC, NC, 1, 1},    /* c.lbu x10, 1(x11) */
    {0x85e8, RV_OP_lh, 10, 11, NC, NC, 1, 2},     /* c.lh x10, 2(x11) */
    {0x89e8, RV_OP_sb, NC, 11, 10, NC, 1, 3},     /* c.sb x10, 3(x11) */
    {0x8eb0, RV_OP_sh, NC, 13, 12, NC, 1, 2},     /* c.sh x12, 2(x13) */
    {0x9c61, RV_OP_andi, 8, 8, NC, NC, 1, 0xff},  /* c.zext.b x8 */
    {0x9c65, RV_OP_sext_b, 8, 8, NC, NC, 0, 0},   /* c.sext.b x8 */
    {0x9ce9, RV_OP_zext_h, 9, 9, NC, NC, 0, 0},   /* c.zext.h x9 */
    {0x9d6d, RV_OP_sext_h, 10, 10, NC, NC, 0, 0}, /* c.sext.h x10 */
    {0x9df1, RV_OP_add_uw, 11, 11, 0, NC, 0, 0},  /* c.zext.w x11 */
    {0x9c75, RV_OP_xori, 8, 8, NC, NC, 1, -1},    /* c.not x8 */
    {0x9c45, RV_OP_mul, 8, 8, 9, NC, 0, 0},       /* c.mul x8, x9 */
    {0x6081, RV_OP_addi, 32, 0, NC, NC, 1, 0},    /* c.mop.1 */
};

/* The list itself, for structural checks independent of the vectors. */
static const struct {
    const char *name;
    uint8_t fmt, flags;
    uint32_t mask, match;
} list[] = {
#define RV_INSN(name, fmt, ext, flags, jit, mask, match)                                           \
    {#name, FMT_##fmt, INSN_##flags, mask, match},
#include "cpu/insn_list.h"
#undef RV_INSN
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng32(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

static void check_vec(const struct dec_vec *v, unsigned len, uint32_t feed, uint32_t want_raw)
{
    struct rv_insn in;
    decode_insn(feed, &in);
    int before = ut.failed_checks;
    UT_EQ(in.op, v->op);
    UT_EQ(in.len, len);
    UT_EQ(in.raw, want_raw);
    if (v->rd != NC) UT_EQ(in.rd, v->rd);
    if (v->rs1 != NC) UT_EQ(in.rs1, v->rs1);
    if (v->rs2 != NC) UT_EQ(in.rs2, v->rs2);
    if (v->rs3 != NC) UT_EQ(in.rs3, v->rs3);
    if (v->has_imm) UT_EQ((int64_t)in.imm, v->imm);
    if (ut.failed_checks != before)
        fprintf(stderr, "  ... for 0x%08x (%s), decoded as %s\n", feed,
                decode_op_name((enum rv_op)v->op), decode_op_name((enum rv_op)in.op));
}

static void test_vectors32(void)
{
    for (size_t k = 0; k < ARRAY_LEN(vec32); k++)
        check_vec(&vec32[k], 4, vec32[k].raw, vec32[k].raw);
}

/* Every operation in the list has at least one vector above. */
static void test_every_op_covered(void)
{
    for (unsigned op = 0; op < RV_OP_illegal; op++) {
        bool seen = false;
        for (size_t k = 0; k < ARRAY_LEN(vec32); k++)
            seen |= vec32[k].op == op;
        if (!seen) fprintf(stderr, "  no vector for %s\n", decode_op_name((enum rv_op)op));
        UT_CHECK(seen);
    }
    UT_EQ(ARRAY_LEN(list), RV_OP_illegal);
}

/* A 16-bit instruction decodes to its expansion with len 2 and raw = the
 * halfword, whatever the caller left in the upper 16 bits. */
static void test_vectors16(void)
{
    for (size_t k = 0; k < ARRAY_LEN(vec16); k++) {
        check_vec(&vec16[k], 2, vec16[k].raw, vec16[k].raw);
        check_vec(&vec16[k], 2, vec16[k].raw | 0xabcd0000u, vec16[k].raw);
    }
}

/* No two entries of the list can match the same word: decode takes the
 * first match, so an overlap would silently shadow an instruction. */
static void test_patterns_disjoint(void)
{
    for (size_t a = 0; a < ARRAY_LEN(list); a++) {
        UT_EQ(list[a].match & ~list[a].mask, 0);
        for (size_t b = a + 1; b < ARRAY_LEN(list); b++) {
            uint32_t common = list[a].mask & list[b].mask;
            /* zext.h is packw with rs2 = x0 and means the same: listed
             * first, it decodes so when Zbb is on (the list's rule). */
            if (a == RV_OP_zext_h && b == RV_OP_packw) continue;
            if (((list[a].match ^ list[b].match) & common) == 0) {
                fprintf(stderr, "  %s overlaps %s\n", list[a].name, list[b].name);
                UT_CHECK(0);
            }
        }
    }
}

static int64_t sext(uint64_t v, unsigned bits)
{
    return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

static uint32_t bits(uint32_t x, unsigned hi, unsigned lo)
{
    return (x >> lo) & ((1u << (hi - lo + 1)) - 1);
}

/* Immediates straight from the unpriv spec's figure "Types of immediate
 * produced by RISC-V instructions", bit by bit. */
static int64_t ref_imm(uint8_t fmt, uint32_t x)
{
    switch (fmt) {
    case FMT_I: return sext(bits(x, 31, 20), 12);
    case FMT_S: return sext(bits(x, 31, 25) << 5 | bits(x, 11, 7), 12);
    case FMT_B:
        return sext(bits(x, 31, 31) << 12 | bits(x, 7, 7) << 11 | bits(x, 30, 25) << 5 |
                        bits(x, 11, 8) << 1,
                    13);
    case FMT_U: return sext((uint64_t)bits(x, 31, 12) << 12, 32);
    case FMT_J:
        return sext(bits(x, 31, 31) << 20 | bits(x, 19, 12) << 12 | bits(x, 20, 20) << 11 |
                        bits(x, 30, 21) << 1,
                    21);
    case FMT_SH6: return bits(x, 25, 20);
    case FMT_SH5: return bits(x, 24, 20);
    case FMT_CSR: return bits(x, 31, 20);
    default: return 0;
    }
}

/* Random bits outside each entry's mask never change the op, and the
 * register, rm and immediate fields follow the spec's bit positions. */
static void test_random_dont_care_bits(void)
{
    for (size_t k = 0; k < ARRAY_LEN(list); k++) {
        for (int n = 0; n < 2000; n++) {
            uint32_t x = (rng32() & ~list[k].mask) | list[k].match;
            struct rv_insn in;
            decode_insn(x, &in);
            unsigned rd = bits(x, 11, 7);
            if (rd == 0 && !(list[k].flags & (INSN_RD_FP | INSN_F_VREG))) rd = RV_REG_SINK;
            int before = ut.failed_checks;
            size_t want = k;
            if (k == RV_OP_packw && bits(x, 24, 20) == 0) want = RV_OP_zext_h; /* listed first */
            UT_EQ(in.op, want);
            UT_EQ(in.len, 4);
            UT_EQ(in.raw, x);
            UT_EQ(in.rd, rd);
            UT_EQ(in.rs1, bits(x, 19, 15));
            UT_EQ(in.rs2, bits(x, 24, 20));
            UT_EQ(in.rs3, bits(x, 31, 27));
            UT_EQ(in.rm, bits(x, 14, 12));
            if (list[k].fmt != FMT_R && list[k].fmt != FMT_R4 && list[k].fmt != FMT_NONE)
                UT_EQ((int64_t)in.imm, ref_imm(list[k].fmt, x));
            if (ut.failed_checks != before) {
                fprintf(stderr, "  ... %s with 0x%08x\n", list[k].name, x);
                return;
            }
        }
    }
}

/* rd == x0 goes to the write sink only for instructions that write an
 * integer register; f0 and v0 are real registers. */
static void test_rd_sink(void)
{
    for (size_t k = 0; k < ARRAY_LEN(list); k++) {
        struct rv_insn in;
        decode_insn(list[k].match & ~0xf80u, &in);
        if (in.op != k) continue; /* rd bits are part of the pattern (ecall, ...) */
        UT_EQ(in.rd, (list[k].flags & (INSN_RD_FP | INSN_F_VREG)) ? 0 : RV_REG_SINK);
        decode_insn(list[k].match | 0x280u, &in); /* rd = 5, when not fixed */
        if (!(list[k].mask & 0xf80u)) UT_EQ(in.rd, 5);
    }
}

static void test_rounding_mode_field(void)
{
    struct rv_insn in;
    decode_insn(0x081170c3, &in); /* fmadd.s f1, f2, f1, f1 (dyn) */
    UT_EQ(in.op, RV_OP_fmadd_s);
    UT_EQ(in.rm, 7);
    decode_insn(0xf98090c3, &in); /* fmadd.s f1, f1, f24, f31, rtz */
    UT_EQ(in.op, RV_OP_fmadd_s);
    UT_EQ(in.rm, 1);
    decode_insn(0x085221d3, &in); /* fsub.s f3, f4, f5, rdn */
    UT_EQ(in.op, RV_OP_fsub_s);
    UT_EQ(in.rm, 2);
    /* A reserved rm (5, 6) still decodes: it is illegal only when executed
     * (unpriv spec 11.2), and then only for instructions that round. */
    decode_insn(0x0020d053, &in); /* fadd.s f0, f1, f2 with rm=5 */
    UT_EQ(in.op, RV_OP_fadd_s);
    UT_EQ(in.rm, 5);
}

/* Control transfers and system instructions end a block; others do not. */
static void test_end_flags(void)
{
    struct rv_insn in;
    UT_EQ(decode_insn(0x003100b3, &in) & INSN_END_YES, 0); /* add */
    UT_EQ(decode_insn(0xffc12003, &in) & INSN_END_YES, 0); /* lw */
    UT_EQ(decode_insn(0x00000073, &in) & INSN_END_YES, 1); /* ecall */
    UT_EQ(decode_insn(0x7fe000ef, &in) & INSN_END_YES, 1); /* jal */
    UT_EQ(decode_insn(0x00208463, &in) & INSN_END_YES, 1); /* beq */
    UT_EQ(decode_insn(0x30011073, &in) & INSN_END_YES, 1); /* csrw mstatus */
    UT_EQ(decode_insn(0x0000100f, &in) & INSN_END_YES, 1); /* fence.i */
    UT_EQ(decode_insn(0x0000a001, &in) & INSN_END_YES, 1); /* c.j */
    UT_EQ(decode_insn(0x00000000, &in) & INSN_END_YES, 1); /* illegal */
    UT_EQ(decode_insn(0xffffffff, &in) & INSN_END_YES, 1); /* illegal */
}

static void test_illegal(void)
{
    static const struct {
        uint32_t raw;
        unsigned len;
        const char *what;
    } bad[] = {
        {0x00000000, 2, "all zeros (c.illegal)"},
        {0xffffffff, 4, "all ones"},
        {0x0000ffff, 4, "all ones low half, 32-bit length"},
        {0x00008000, 2, "reserved RVC quadrant 0 funct3=100"},
        {0x00006081, 2, "c.lui x1, 0 (reserved nzimm=0)"},
        {0x00002001, 2, "c.addiw x0 (reserved)"},
        {0x00008002, 2, "c.jr x0 (reserved)"},
        {0x00004002, 2, "c.lwsp x0 (reserved)"},
        {0x00009c41 | 0x20, 2, "reserved CA funct2 in funct6=100111"},
        {0x20000033, 4, "add with funct7=0010000"},
        {0x02008033 | 0x10000000, 4, "mul with funct7=0010001"},
        {0x0000503b | 0x10000000, 4, "srlw with funct7=0010000"},
        {0x04001013, 4, "slli with imm[11:6] != 0"},
        {0x0200101b, 4, "slliw with shamt[5] set"},
        {0x4200501b, 4, "sraiw with shamt[5] set"},
        {0x000000f3, 4, "ecall with rd=1"},
        {0x00200073, 4, "system funct12=2 (uret, not RV64GC)"},
        {0x7b200073, 4, "dret"},
        {0x00004073, 4, "system funct3=100"},
        {0x1010202f, 4, "lr.w with rs2=1"},
        {0x0000402f, 4, "AMO funct3=100"},
        {0x04000053, 4, "fadd with fmt=10 (half)"},
        {0x06000053, 4, "fadd with fmt=11 (quad)"},
        {0x58100053, 4, "fsqrt.s with rs2=1"},
        {0x40000053, 4, "fcvt.s.s (rs2=0)"},
        {0xe0002053, 4, "fmv.x.w with funct3=010"},
        {0x00004007, 4, "flq (funct3=100)"},
        {0x00007003, 4, "load funct3=111"},
        {0x00004023, 4, "store funct3=100"},
        {0x00002063, 4, "branch funct3=010"},
        {0x00001067, 4, "jalr funct3=001"},
        {0x0000000b, 4, "custom-0"},
        {0x0000001f, 4, "48-bit prefix"},
        {0x0000007f, 4, ">=80-bit prefix"},
    };
    for (size_t k = 0; k < ARRAY_LEN(bad); k++) {
        struct rv_insn in;
        decode_insn_ext(bad[k].raw, RV64GC, &in);
        if (in.op != RV_OP_illegal || in.len != bad[k].len)
            fprintf(stderr, "  0x%08x (%s) decoded as %s len %u\n", bad[k].raw, bad[k].what,
                    decode_op_name((enum rv_op)in.op), in.len);
        UT_EQ(in.op, RV_OP_illegal);
        UT_EQ(in.len, bad[k].len);
        UT_EQ(in.raw, bad[k].len == 2 ? bad[k].raw & 0xffff : bad[k].raw);
    }
}

static void test_op_names(void)
{
    UT_CHECK(strcmp(decode_op_name(RV_OP_add), "add") == 0);
    UT_CHECK(strcmp(decode_op_name(RV_OP_fmv_d_x), "fmv_d_x") == 0);
    UT_CHECK(strcmp(decode_op_name(RV_OP_illegal), "illegal") == 0);
    UT_CHECK(strcmp(decode_op_name(RV_OP_COUNT), "illegal") == 0);
    for (size_t k = 0; k < ARRAY_LEN(list); k++)
        UT_CHECK(strcmp(decode_op_name((enum rv_op)k), list[k].name) == 0);
}

/* The list's flags column drives the block builder's and the JIT's
 * control-flow predicates: checked against the spec's classes. */
static void test_control_flow_columns(void)
{
    static const uint16_t direct[] = {RV_OP_beq,  RV_OP_bne,  RV_OP_blt, RV_OP_bge,
                                      RV_OP_bltu, RV_OP_bgeu, RV_OP_jal};
    unsigned ndirect = 0, njump = 0;
    for (unsigned op = 0; op <= RV_OP_illegal; op++) {
        bool is_direct = false;
        for (size_t k = 0; k < ARRAY_LEN(direct); k++)
            is_direct |= direct[k] == op;
        UT_EQ(decode_is_direct(op), is_direct);
        UT_EQ(decode_is_jump(op), is_direct || op == RV_OP_jalr);
        ndirect += decode_is_direct(op);
        njump += decode_is_jump(op);
        /* Every control transfer ends its block. */
        if (decode_is_jump(op)) UT_CHECK(decode_op_flags(op) & INSN_END_YES);
    }
    UT_EQ(ndirect, ARRAY_LEN(direct));
    UT_EQ(njump, ARRAY_LEN(direct) + 1);
    UT_EQ(decode_op_flags(RV_OP_illegal), INSN_END_YES);
}

/* FP-only rows (a JIT helper call that keeps integer registers) write an
 * f register and belong to F, D, Zfh, Zfhmin or Zfa; plain rows write an
 * integer register and end nothing. */
static void test_fp_only_and_plain_columns(void)
{
    unsigned nfp = 0, nplain = 0;
    for (unsigned op = 0; op < RV_OP_illegal; op++) {
        unsigned f = decode_op_flags(op);
        if (f & INSN_F_FP_ONLY) {
            nfp++;
            UT_CHECK(f & INSN_RD_FP);
            UT_CHECK(!(decode_op_ext(op) &
                       ~(CPU_X(f) | CPU_X(d) | CPU_X(zfh) | CPU_X(zfhmin) | CPU_X(zfa))));
        }
        if (f & INSN_F_PLAIN) {
            nplain++;
            UT_CHECK(!(f & (INSN_RD_FP | INSN_END_YES)));
        }
    }
    UT_CHECK(decode_op_flags(RV_OP_fadd_d) & INSN_F_FP_ONLY);
    UT_CHECK(!(decode_op_flags(RV_OP_fcvt_w_d) & INSN_F_FP_ONLY)); /* writes an x register */
    UT_CHECK(!(decode_op_flags(RV_OP_flw) & INSN_F_FP_ONLY));      /* touches memory */
    UT_CHECK(decode_op_flags(RV_OP_addi) & INSN_F_PLAIN);
    UT_CHECK(!(decode_op_flags(RV_OP_sll) & INSN_F_PLAIN)); /* needs rcx for the count */
    UT_EQ(nfp, 27 + 18 + 15);                               /* F and D, Zfh/Zfhmin, Zfa */
    UT_CHECK(nplain >= 24);
}

/* The extension column: an instruction of an extension that is off
 * decodes as illegal; the base never turns off. */
static void test_extension_gating(void)
{
    struct rv_insn in;
    /* Every row of an extension beyond RV64GC is illegal on RV64GC. */
    for (size_t k = 0; k < ARRAY_LEN(vec32); k++) {
        decode_insn_ext(vec32[k].raw, RV64GC, &in);
        if (decode_op_ext(vec32[k].op) & RV64GC)
            UT_EQ(in.op, vec32[k].op);
        else
            UT_EQ(in.op, RV_OP_illegal);
    }
    /* Shared rows: andn with Zbkb only; zext.h's encoding is packw there. */
    decode_insn_ext(0x407372b3, RV64GC | CPU_X(zbkb), &in);
    UT_EQ(in.op, RV_OP_andn);
    decode_insn_ext(0x080b4abb, RV64GC | CPU_X(zbkb), &in);
    UT_EQ(in.op, RV_OP_packw);
    decode_insn_ext(0x080b4abb, RV64GC | CPU_X(zbb), &in);
    UT_EQ(in.op, RV_OP_zext_h);
    /* Zcb: its own encodings need ZCB, c.sext.b needs Zbb as well, and
     * no compressed instruction exists without C. */
    decode_insn_ext(0x81c8, RV64GC, &in); /* c.lbu */
    UT_EQ(in.op, RV_OP_illegal);
    decode_insn_ext(0x81c8, RV64GC | CPU_X(zcb), &in);
    UT_EQ(in.op, RV_OP_lbu);
    decode_insn_ext(0x9c65, RV64GC | CPU_X(zcb), &in); /* c.sext.b */
    UT_EQ(in.op, RV_OP_illegal);
    decode_insn_ext(0x9c65, RV64GC | CPU_X(zcb) | CPU_X(zbb), &in);
    UT_EQ(in.op, RV_OP_sext_b);
    decode_insn_ext(0x6081, RV64GC, &in); /* c.mop.1 */
    UT_EQ(in.op, RV_OP_illegal);
    decode_insn_ext(0x6081, RV64GC | CPU_X(zcmop), &in);
    UT_EQ(in.op, RV_OP_addi);
    decode_insn_ext(0x6181, ~0ULL, &in); /* c.lui x3, 0 = c.mop.3 */
    UT_EQ(in.op, RV_OP_addi);
    decode_insn_ext(0x6101, ~0ULL, &in); /* c.lui x2, 0: c.addi16sp 0, reserved */
    UT_EQ(in.op, RV_OP_illegal);
    decode_insn_ext(0x6201, ~0ULL, &in); /* c.lui x4, 0: even, reserved */
    UT_EQ(in.op, RV_OP_illegal);
    decode_insn_ext(0x0001, RV64GC & ~CPU_X(c), &in); /* c.nop */
    UT_EQ(in.op, RV_OP_illegal);
    decode_insn_ext(0x02208033, RV64GC, &in); /* mul x0, x1, x2 */
    UT_EQ(in.op, RV_OP_mul);
    decode_insn_ext(0x02208033, RV64GC & ~CPU_X(m), &in);
    UT_EQ(in.op, RV_OP_illegal);
    decode_insn_ext(0x003100b3, CPU_X(i), &in); /* add */
    UT_EQ(in.op, RV_OP_add);
    for (unsigned op = 0; op < RV_OP_illegal; op++)
        UT_CHECK(decode_op_ext(op) != 0);
}

int main(void)
{
    ut_run("decode_vectors32", test_vectors32);
    ut_run("decode_every_op_covered", test_every_op_covered);
    ut_run("decode_vectors16", test_vectors16);
    ut_run("decode_patterns_disjoint", test_patterns_disjoint);
    ut_run("decode_random_dont_care_bits", test_random_dont_care_bits);
    ut_run("decode_rd_sink", test_rd_sink);
    ut_run("decode_rounding_mode_field", test_rounding_mode_field);
    ut_run("decode_end_flags", test_end_flags);
    ut_run("decode_illegal", test_illegal);
    ut_run("decode_op_names", test_op_names);
    ut_run("decode_control_flow_columns", test_control_flow_columns);
    ut_run("decode_fp_only_and_plain_columns", test_fp_only_and_plain_columns);
    ut_run("decode_extension_gating", test_extension_gating);
    return ut_exit();
}
