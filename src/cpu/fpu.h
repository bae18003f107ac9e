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

#endif
