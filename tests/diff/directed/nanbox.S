# NaN-boxing of single-precision values in 64-bit f registers: values whose
# upper 32 bits are not all ones read as the canonical NaN in every .s
# operation, except moves and stores that copy bits.
	.text
	.globl diff_body
diff_body:
	li	x28, 0x000000003f800000	# 1.0f, not boxed
	fmv.d.x	f1, x28
	li	x28, 0xffffffff3f800000	# 1.0f, boxed
	fmv.d.x	f2, x28
	li	x28, 0xfffffffe40000000	# 2.0f, one bit short of boxed
	fmv.d.x	f3, x28
	fadd.s	f4, f1, f2		# canonical NaN, boxed
	fadd.s	f5, f2, f2		# 2.0f, boxed
	fadd.s	f6, f3, f2		# canonical NaN
	fsgnj.s	f7, f2, f1		# sign of canonical NaN (+)
	fsgnjn.s f8, f1, f2		# -canonical NaN
	fsgnjx.s f9, f1, f1
	fmv.x.w	x1, f1			# low bits, sign-extended
	fmv.x.w	x3, f3
	fclass.s x4, f1			# quiet NaN
	fclass.s x5, f2
	feq.s	x6, f1, f1		# 0, no NV (quiet)
	csrr	x7, fflags
	fcvt.d.s f10, f1		# canonical NaN (double)
	fcvt.w.s x9, f1, rtz		# NV, 0x7fffffff
	csrr	x10, fflags
	fsw	f1, 0(sp)		# stores the low 32 bits
	fsd	f1, 8(sp)
	flw	f11, 0(sp)		# boxed again
	fmin.s	f12, f1, f2		# 1.0f
	fmax.s	f13, f1, f3		# canonical NaN
	fmv.w.x	f14, x28		# boxes 0x40000000
	fmadd.s	f15, f2, f2, f1		# canonical NaN
	fcvt.s.d f16, f1		# f1 as a double is a denormal: rounds to 0
	fmv.s	f17, f3			# fsgnj.s: canonical NaN
	li	x28, 0x7ff0000000000001	# a double sNaN, as .s: not boxed
	fmv.d.x	f18, x28
	csrwi	fflags, 0
	fadd.s	f19, f18, f2		# canonical NaN, no NV
	csrr	x11, fflags
	j	diff_end
