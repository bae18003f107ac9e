/* The SSE2/SSE4.1 part of the x86-64 encoder (Intel SDM vol. 2): packed
 * integer operations on xmm registers, their loads and stores, and the
 * moves between xmm and general registers, for the JIT's native vector
 * code (jit_emit_vec.c). Like x64_emit.h it knows nothing of RISC-V. An
 * SSE4.1/4.2 operation is emitted only when the caller checked the host
 * has it (x64_host_features). */
#ifndef RVMM_CPU_JIT_X64_EMIT_SSE_H
#define RVMM_CPU_JIT_X64_EMIT_SSE_H

#include "cpu/jit/x64_emit.h"

/* Packed operations xmm, xmm/m128: the mandatory prefix in bits 31:24,
 * the opcode (0x0fXX or 0x0f38XX) below. */
enum x64_sse {
    X64_MOVDQU_LD = 0xf3000f6f, /* movdqu xmm, m128 */
    X64_MOVDQU_ST = 0xf3000f7f, /* movdqu m128, xmm */
    X64_PADDB = 0x66000ffc,
    X64_PADDW = 0x66000ffd,
    X64_PADDD = 0x66000ffe,
    X64_PADDQ = 0x66000fd4,
    X64_PSUBB = 0x66000ff8,
    X64_PSUBW = 0x66000ff9,
    X64_PSUBD = 0x66000ffa,
    X64_PSUBQ = 0x66000ffb,
    X64_PAND = 0x66000fdb,
    X64_POR = 0x66000feb,
    X64_PXOR = 0x66000fef,
    X64_PMULLW = 0x66000fd5,
    X64_PMULLD = 0x660f3840, /* SSE4.1 */
    X64_PMINUB = 0x66000fda,
    X64_PMAXUB = 0x66000fde,
    X64_PMINSW = 0x66000fea,
    X64_PMAXSW = 0x66000fee,
    X64_PMINSB = 0x660f3838, /* SSE4.1 from here to PMAXUD */
    X64_PMINSD = 0x660f3839,
    X64_PMINUW = 0x660f383a,
    X64_PMINUD = 0x660f383b,
    X64_PMAXSB = 0x660f383c,
    X64_PMAXSD = 0x660f383d,
    X64_PMAXUW = 0x660f383e,
    X64_PMAXUD = 0x660f383f,
    X64_PSLLW = 0x66000ff1, /* shifts by the count in the low quadword of xmm/m128 */
    X64_PSLLD = 0x66000ff2,
    X64_PSLLQ = 0x66000ff3,
    X64_PSRLW = 0x66000fd1,
    X64_PSRLD = 0x66000fd2,
    X64_PSRLQ = 0x66000fd3,
    X64_PSRAW = 0x66000fe1,
    X64_PSRAD = 0x66000fe2,
    X64_PUNPCKLQDQ = 0x66000f6c,
    X64_MOVDQA_RR = 0x66000f6f, /* register to register only here */
    X64_PCMPEQB = 0x66000f74,
    X64_PCMPEQW = 0x66000f75,
    X64_PCMPEQD = 0x66000f76,
    X64_PCMPEQQ = 0x660f3829, /* SSE4.1 */
    X64_PCMPGTB = 0x66000f64,
    X64_PCMPGTW = 0x66000f65,
    X64_PCMPGTD = 0x66000f66,
    X64_PCMPGTQ = 0x660f3837, /* SSE4.2 */
    X64_PACKSSWB = 0x66000f63,
    /* r32, xmm (the general register is the ModR/M reg operand) */
    X64_PMOVMSKB = 0x66000fd7,
    X64_MOVMSKPS = 0x00000f50,
    X64_MOVMSKPD = 0x66000f50,
    X64_VPBROADCASTQ = 0x660f3859, /* AVX2, VEX only: every qword of ymm = xmm's low one */
    X64_VEXTRACTI128 = 0x660f3a39, /* AVX2, VEX only: xmm/m128 = ymm's half imm8 */
};

/* op xd, xs (a register source). */
void x64_sse_rr(struct x64_buf *b, enum x64_sse op, unsigned xd, unsigned xs);
/* op x, [m]; for X64_MOVDQU_ST the store of x to [m]. */
void x64_sse_rm(struct x64_buf *b, enum x64_sse op, unsigned x, struct x64_mem m);
/* The VEX forms (SDM 2.3, AVX/AVX2): l256 picks ymm; xd = xv op xs (xv is
 * VEX.vvvv, 0 where the instruction has no second source). The mandatory
 * prefix and the 0F/0F38/0F3A map come from op. */
void x64_vex_rr(struct x64_buf *b, enum x64_sse op, bool l256, unsigned xd, unsigned xv,
                unsigned xs);
void x64_vex_rm(struct x64_buf *b, enum x64_sse op, bool l256, unsigned x, unsigned xv,
                struct x64_mem m);
/* vextracti128 xd, ys, imm (the ymm is the ModR/M reg operand). */
void x64_vextracti128(struct x64_buf *b, unsigned xd, unsigned ys, uint8_t imm);
/* vzeroupper: the upper halves zeroed, so later SSE code pays no transition. */
void x64_vzeroupper(struct x64_buf *b);
/* psrldq x, imm: the whole register shifted right by imm bytes (66 0F 73 /3 ib). */
void x64_psrldq(struct x64_buf *b, unsigned x, uint8_t imm);
/* movq xmm, r64 (66 REX.W 0F 6E). */
void x64_movq_xr(struct x64_buf *b, unsigned x, enum x64_reg r);
/* movq r64, xmm (66 REX.W 0F 7E). */
void x64_movq_rx(struct x64_buf *b, enum x64_reg r, unsigned x);

#endif
