/* IEEE 754 arithmetic for the F and D extensions as pure functions on raw bit
 * patterns. Rounding mode `rm` is already resolved (0 RNE, 1 RTZ, 2 RDN,
 * 3 RUP, 4 RMM); flags raised are ORed into *fflags (bits: NX=1, UF=2, OF=4,
 * DZ=8, NV=16). Results follow the RISC-V rules (unpriv spec chapter 11/12):
 * any NaN result is the canonical NaN (0x7fc00000 / 0x7ff8000000000000);
 * tininess is detected after rounding; float-to-int conversions saturate and
 * raise NV as in table 11.4. NaN boxing is the caller's job: f32 functions
 * take and return the low 32 bits only.
 * Knows nothing of the hart: no CSR access, no traps. */
#ifndef RVMM_CPU_FPU_H
#define RVMM_CPU_FPU_H

#include <stdint.h>

enum { FRM_RNE = 0, FRM_RTZ = 1, FRM_RDN = 2, FRM_RUP = 3, FRM_RMM = 4, FRM_DYN = 7 };
enum { FFLAG_NX = 1, FFLAG_UF = 2, FFLAG_OF = 4, FFLAG_DZ = 8, FFLAG_NV = 16 };

#define F16_CANONICAL_NAN 0x7e00u
#define F32_CANONICAL_NAN 0x7fc00000u
#define F64_CANONICAL_NAN 0x7ff8000000000000ull

uint32_t f32_add(uint32_t a, uint32_t b, unsigned rm, uint32_t *fflags);
uint32_t f32_sub(uint32_t a, uint32_t b, unsigned rm, uint32_t *fflags);
uint32_t f32_mul(uint32_t a, uint32_t b, unsigned rm, uint32_t *fflags);
uint32_t f32_div(uint32_t a, uint32_t b, unsigned rm, uint32_t *fflags);
uint32_t f32_sqrt(uint32_t a, unsigned rm, uint32_t *fflags);
/* a*b+c with one rounding; negate_product / negate_addend give fmsub,
 * fnmsub, fnmadd. */
uint32_t f32_fma(uint32_t a, uint32_t b, uint32_t c, int negate_product, int negate_addend,
                 unsigned rm, uint32_t *fflags);
uint32_t f32_min(uint32_t a, uint32_t b, uint32_t *fflags);
uint32_t f32_max(uint32_t a, uint32_t b, uint32_t *fflags);
int f32_eq(uint32_t a, uint32_t b, uint32_t *fflags);
int f32_lt(uint32_t a, uint32_t b, uint32_t *fflags);
int f32_le(uint32_t a, uint32_t b, uint32_t *fflags);
uint32_t f32_classify(uint32_t a);
int32_t f32_to_i32(uint32_t a, unsigned rm, uint32_t *fflags);
uint32_t f32_to_u32(uint32_t a, unsigned rm, uint32_t *fflags);
int64_t f32_to_i64(uint32_t a, unsigned rm, uint32_t *fflags);
uint64_t f32_to_u64(uint32_t a, unsigned rm, uint32_t *fflags);
uint32_t f32_from_i32(int32_t v, unsigned rm, uint32_t *fflags);
uint32_t f32_from_u32(uint32_t v, unsigned rm, uint32_t *fflags);
uint32_t f32_from_i64(int64_t v, unsigned rm, uint32_t *fflags);
uint32_t f32_from_u64(uint64_t v, unsigned rm, uint32_t *fflags);

uint64_t f64_add(uint64_t a, uint64_t b, unsigned rm, uint32_t *fflags);
uint64_t f64_sub(uint64_t a, uint64_t b, unsigned rm, uint32_t *fflags);
uint64_t f64_mul(uint64_t a, uint64_t b, unsigned rm, uint32_t *fflags);
uint64_t f64_div(uint64_t a, uint64_t b, unsigned rm, uint32_t *fflags);
uint64_t f64_sqrt(uint64_t a, unsigned rm, uint32_t *fflags);
uint64_t f64_fma(uint64_t a, uint64_t b, uint64_t c, int negate_product, int negate_addend,
                 unsigned rm, uint32_t *fflags);
uint64_t f64_min(uint64_t a, uint64_t b, uint32_t *fflags);
uint64_t f64_max(uint64_t a, uint64_t b, uint32_t *fflags);
int f64_eq(uint64_t a, uint64_t b, uint32_t *fflags);
int f64_lt(uint64_t a, uint64_t b, uint32_t *fflags);
int f64_le(uint64_t a, uint64_t b, uint32_t *fflags);
uint64_t f64_classify(uint64_t a);
int32_t f64_to_i32(uint64_t a, unsigned rm, uint32_t *fflags);
uint32_t f64_to_u32(uint64_t a, unsigned rm, uint32_t *fflags);
int64_t f64_to_i64(uint64_t a, unsigned rm, uint32_t *fflags);
uint64_t f64_to_u64(uint64_t a, unsigned rm, uint32_t *fflags);
uint64_t f64_from_i32(int32_t v, unsigned rm, uint32_t *fflags);
uint64_t f64_from_u32(uint32_t v, unsigned rm, uint32_t *fflags);
uint64_t f64_from_i64(int64_t v, unsigned rm, uint32_t *fflags);
uint64_t f64_from_u64(uint64_t v, unsigned rm, uint32_t *fflags);

uint64_t f32_to_f64(uint32_t a, uint32_t *fflags);
uint32_t f64_to_f32(uint64_t a, unsigned rm, uint32_t *fflags);

/* binary16 (Zfh, Zfhmin; fpu_half.c): the same operations on the low 16
 * bits, f16 values zero-extended. */
uint16_t f16_add(uint16_t a, uint16_t b, unsigned rm, uint32_t *fflags);
uint16_t f16_sub(uint16_t a, uint16_t b, unsigned rm, uint32_t *fflags);
uint16_t f16_mul(uint16_t a, uint16_t b, unsigned rm, uint32_t *fflags);
uint16_t f16_div(uint16_t a, uint16_t b, unsigned rm, uint32_t *fflags);
uint16_t f16_sqrt(uint16_t a, unsigned rm, uint32_t *fflags);
uint16_t f16_fma(uint16_t a, uint16_t b, uint16_t c, int negate_product, int negate_addend,
                 unsigned rm, uint32_t *fflags);
uint16_t f16_min(uint16_t a, uint16_t b, uint32_t *fflags);
uint16_t f16_max(uint16_t a, uint16_t b, uint32_t *fflags);
int f16_eq(uint16_t a, uint16_t b, uint32_t *fflags);
int f16_lt(uint16_t a, uint16_t b, uint32_t *fflags);
int f16_le(uint16_t a, uint16_t b, uint32_t *fflags);
uint32_t f16_classify(uint16_t a);
int64_t f16_to_int(uint16_t a, int bits, unsigned rm, uint32_t *fflags);   /* bits 32 or 64 */
uint64_t f16_to_uint(uint16_t a, int bits, unsigned rm, uint32_t *fflags); /* zero-extended */
uint16_t f16_from_int(int64_t v, unsigned rm, uint32_t *fflags);
uint16_t f16_from_uint(uint64_t v, unsigned rm, uint32_t *fflags);
uint32_t f16_to_f32(uint16_t a, uint32_t *fflags);
uint64_t f16_to_f64(uint16_t a, uint32_t *fflags);
uint16_t f32_to_f16(uint32_t a, unsigned rm, uint32_t *fflags);
uint16_t f64_to_f16(uint64_t a, unsigned rm, uint32_t *fflags);

/* Zfa (fpu_zfa.c). The format is named by its fraction width: FPU_H (10),
 * FPU_S (23), FPU_D (52); values zero-extended in uint64_t. */
enum { FPU_H = 10, FPU_S = 23, FPU_D = 52 };
/* fli: entry rs1 (0..31) of the constant table (Zfa, "fli"). */
uint64_t fpu_fli(int fmt, unsigned idx);
/* fminm/fmaxm: IEEE 754-2019 minimum/maximum, a NaN operand gives the
 * canonical NaN. */
uint64_t fpu_minmax_m(uint64_t a, uint64_t b, int fmt, int max, uint32_t *fflags);
/* fround/froundnx: to an integral value in the same format; NX only with
 * nx set. */
uint64_t fpu_round_int(uint64_t a, int fmt, unsigned rm, int nx, uint32_t *fflags);
/* fleq/fltq: ordered comparisons that signal only on signaling NaNs. */
int fpu_le_quiet(uint64_t a, uint64_t b, int fmt, int le, uint32_t *fflags);
/* fcvtmod.w.d: the double truncated to an integer, modulo 2^32,
 * sign-extended; NV for NaN, infinity or out of int32 range, else NX when
 * inexact. */
int64_t fpu_fcvtmod_w_d(uint64_t a, uint32_t *fflags);

#endif
