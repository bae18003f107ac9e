/* A small x86-64 encoder: the instructions the JIT emits, written into a
 * caller-owned buffer. It knows nothing of RISC-V; each function appends
 * one instruction. A buffer that runs out of room sets `full` and drops
 * further bytes, so callers check once per block instead of per insn. */
#ifndef RVMM_CPU_JIT_X64_EMIT_H
#define RVMM_CPU_JIT_X64_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum x64_reg {
    X64_RAX,
    X64_RCX,
    X64_RDX,
    X64_RBX,
    X64_RSP,
    X64_RBP,
    X64_RSI,
    X64_RDI,
    X64_R8,
    X64_R9,
    X64_R10,
    X64_R11,
    X64_R12,
    X64_R13,
    X64_R14,
    X64_R15
};

/* Group-1 ALU operations (the /digit of opcodes 81/83). */
enum x64_alu { X64_ADD = 0, X64_OR = 1, X64_AND = 4, X64_SUB = 5, X64_XOR = 6, X64_CMP = 7 };
/* Group-2 shifts (the /digit of C1/D3). */
enum x64_shift { X64_ROL = 0, X64_ROR = 1, X64_SHL = 4, X64_SHR = 5, X64_SAR = 7 };
/* Condition codes (the low nibble of Jcc/SETcc). */
enum x64_cc {
    X64_CC_B = 2,
    X64_CC_AE = 3,
    X64_CC_E = 4,
    X64_CC_NE = 5,
    X64_CC_BE = 6,
    X64_CC_A = 7,
    X64_CC_L = 12,
    X64_CC_GE = 13,
    X64_CC_LE = 14,
    X64_CC_G = 15
};
/* Bit counts (0F B8/BC/BD): POPCNT, TZCNT and LZCNT carry an F3 prefix;
 * without it BC/BD are BSF/BSR, which leave a zero source's result
 * undefined. */
enum x64_bitcnt { X64_POPCNT, X64_TZCNT, X64_LZCNT, X64_BSF, X64_BSR };
/* Bit tests (the /digit of 0F BA ib; the register forms are 0F A3+8k). */
enum x64_bt { X64_BT = 4, X64_BTS = 5, X64_BTR = 6, X64_BTC = 7 };

/* Host CPU features the JIT may use (CPUID), as a mask. */
enum {
    X64_HAS_POPCNT = 1, /* CPUID.1:ECX.POPCNT[23] */
    X64_HAS_LZCNT = 2,  /* CPUID.80000001H:ECX.LZCNT[5] */
    X64_HAS_BMI1 = 4,   /* CPUID.7.0:EBX.BMI1[3]: andn, tzcnt */
    X64_HAS_BMI2 = 8,   /* CPUID.7.0:EBX.BMI2[8]: rorx */
    X64_HAS_SSE41 = 16, /* CPUID.1:ECX.SSE4_1[19]: pmulld, pminsd, pcmpeqq, ... */
    X64_HAS_SSE42 = 32, /* CPUID.1:ECX.SSE4_2[20]: pcmpgtq */
    X64_HAS_AVX2 = 128, /* CPUID.7.0:EBX.AVX2[5] with the ymm state enabled (XCR0) */
    X64_HAS_SSE2 = 64,  /* baseline of x86-64, always set: the JIT's vector code, which
                         * RVMM_JIT_HOST_FEATURES can hide (V through the handlers) */
};
/* The features of the CPU this runs on. */
unsigned x64_host_features(void);

/* A memory operand: [base + index * (1 << scale) + disp]. */
struct x64_mem {
    uint8_t base, index, scale;
    bool has_index;
    int32_t disp;
};

static inline struct x64_mem x64_m(enum x64_reg base, int32_t disp)
{
    return (struct x64_mem){.base = (uint8_t)base, .disp = disp};
}
static inline struct x64_mem x64_mi(enum x64_reg base, enum x64_reg index, unsigned scale,
                                    int32_t disp)
{
    return (struct x64_mem){(uint8_t)base, (uint8_t)index, (uint8_t)scale, true, disp};
}

struct x64_buf {
    uint8_t *start, *p, *end;
    bool full;
};

static inline size_t x64_offset(const struct x64_buf *b)
{
    return (size_t)(b->p - b->start);
}

/* w selects 64-bit operand size (REX.W); otherwise 32-bit, whose result the
 * CPU zero-extends into the whole register. */
void x64_mov_rr(struct x64_buf *b, bool w, enum x64_reg dst, enum x64_reg src);
void x64_mov_imm(struct x64_buf *b, enum x64_reg dst, uint64_t imm);
void x64_load(struct x64_buf *b, bool w, enum x64_reg dst, struct x64_mem m);
void x64_store(struct x64_buf *b, bool w, struct x64_mem m, enum x64_reg src);
void x64_store_imm(struct x64_buf *b, bool w, struct x64_mem m, int32_t imm);
/* Loads size (1, 2, 4, 8) bytes into a 64-bit register, sign- or zero-extended. */
void x64_load_ext(struct x64_buf *b, enum x64_reg dst, struct x64_mem m, unsigned size, bool sign);
void x64_store_sized(struct x64_buf *b, struct x64_mem m, enum x64_reg src, unsigned size);
void x64_lea(struct x64_buf *b, bool w, enum x64_reg dst, struct x64_mem m);
void x64_alu_rr(struct x64_buf *b, bool w, enum x64_alu op, enum x64_reg dst, enum x64_reg src);
void x64_alu_ri(struct x64_buf *b, bool w, enum x64_alu op, enum x64_reg dst, int32_t imm);
void x64_alu_rm(struct x64_buf *b, bool w, enum x64_alu op, enum x64_reg dst, struct x64_mem m);
void x64_alu_mi(struct x64_buf *b, bool w, enum x64_alu op, struct x64_mem m, int32_t imm);
void x64_test_rr(struct x64_buf *b, bool w, enum x64_reg a, enum x64_reg c);
void x64_test_rm(struct x64_buf *b, bool w, enum x64_reg r, struct x64_mem m);
void x64_shift_ri(struct x64_buf *b, bool w, enum x64_shift op, enum x64_reg dst, uint8_t imm);
void x64_shift_cl(struct x64_buf *b, bool w, enum x64_shift op, enum x64_reg dst);
void x64_imul_rr(struct x64_buf *b, bool w, enum x64_reg dst, enum x64_reg src);
/* rdx:rax = rax * r (signed with imul, unsigned with mul). */
void x64_mul_wide(struct x64_buf *b, bool sign, enum x64_reg r);
/* rax = rdx:rax / r, rdx = the remainder (idiv with sign, else div);
 * faults on a zero divisor or a signed overflow, which callers exclude. */
void x64_div(struct x64_buf *b, bool w, bool sign, enum x64_reg r);
void x64_neg(struct x64_buf *b, bool w, enum x64_reg r);
/* rdx(:edx) = the sign of rax (cqo, or cdq without w). */
void x64_cqo(struct x64_buf *b, bool w);
void x64_movsxd(struct x64_buf *b, enum x64_reg dst, enum x64_reg src);
void x64_setcc(struct x64_buf *b, enum x64_cc cc, enum x64_reg dst);
void x64_movzx8(struct x64_buf *b, enum x64_reg dst, enum x64_reg src);
/* dst = src if cc holds (64-bit cmov). */
void x64_cmov(struct x64_buf *b, enum x64_cc cc, enum x64_reg dst, enum x64_reg src);
/* dst = the low `size` bytes (1, 2 or 4) of src, zero- or sign-extended to 64 bits. */
void x64_extend(struct x64_buf *b, enum x64_reg dst, enum x64_reg src, unsigned size, bool sign);
void x64_not(struct x64_buf *b, bool w, enum x64_reg r);
void x64_bswap(struct x64_buf *b, enum x64_reg r);
/* dst = op(src); the caller checks the host has op (x64_host_features). */
void x64_bitcnt(struct x64_buf *b, bool w, enum x64_bitcnt op, enum x64_reg dst, enum x64_reg src);
/* 64-bit bit test on r: bit `bit` (a register, taken mod 64) or imm. */
void x64_bt_rr(struct x64_buf *b, enum x64_bt op, enum x64_reg r, enum x64_reg bit);
void x64_bt_ri(struct x64_buf *b, enum x64_bt op, enum x64_reg r, uint8_t imm);
/* BMI1 andn: dst = ~a & c (64-bit). */
void x64_andn(struct x64_buf *b, enum x64_reg dst, enum x64_reg a, enum x64_reg c);
/* BMI2 rorx: dst = src rotated right by imm, flags untouched. */
void x64_rorx(struct x64_buf *b, bool w, enum x64_reg dst, enum x64_reg src, uint8_t imm);
/* The raw encoder for the other emitter files (x64_emit_sse.c): one
 * byte (a prefix, an imm8); op reg, r/m with op 0xXX, 0x0fXX or 0x0f38XX,
 * REX from w and the register numbers (0-15, general or xmm). */
void x64_byte(struct x64_buf *b, unsigned v);
void x64_enc_rr(struct x64_buf *b, bool w, unsigned op, unsigned reg, unsigned rm);
/* The ModR/M byte alone: register rm, or [m] (with SIB and displacement). */
void x64_modrm_rr(struct x64_buf *b, unsigned reg, unsigned rm);
void x64_modrm_m(struct x64_buf *b, unsigned reg, struct x64_mem m);
void x64_enc_rm(struct x64_buf *b, bool w, unsigned op, unsigned reg, struct x64_mem m);
void x64_push(struct x64_buf *b, enum x64_reg r);
void x64_pop(struct x64_buf *b, enum x64_reg r);
void x64_call_r(struct x64_buf *b, enum x64_reg r);
void x64_jmp_r(struct x64_buf *b, enum x64_reg r);
void x64_jmp_m(struct x64_buf *b, struct x64_mem m);
void x64_ret(struct x64_buf *b);
void x64_mfence(struct x64_buf *b);
/* Jumps with a 32-bit displacement; each returns the offset of its rel32 in
 * the buffer, for x64_patch_rel32 once the target is known. */
size_t x64_jcc(struct x64_buf *b, enum x64_cc cc);
size_t x64_jmp(struct x64_buf *b);
/* jmp rel32 with its rel32 4-byte aligned (one-byte nops before the
 * opcode): a jump x64_relink() may repoint while other threads run it. */
size_t x64_jmp_relinkable(struct x64_buf *b);
/* call rel32: returns where its rel32 sits, for x64_patch_rel32. */
size_t x64_call(struct x64_buf *b);
/* Points the rel32 at `site` (an address in the buffer) to `target`. */
void x64_patch_rel32(uint8_t *site, const void *target);
/* The same for a published jump from x64_jmp_relinkable(): one aligned
 * 4-byte store, which a core fetching the jump sees whole, old or new
 * (the way QEMU links its translation blocks while other vCPUs run them). */
void x64_relink(uint8_t *site, const void *target);

#endif
