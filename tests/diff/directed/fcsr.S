# fcsr, frm and fflags: the views of one register, swap semantics of csrrw,
# set/clear forms, the accrued (sticky) flags of typical operations, and the
# rounding of one value under every static and dynamic rounding mode.
# Results go to x registers and to scratch words (m-lines) in order.
	.text
	.globl diff_body

# Run \insn with flags cleared; store the flags it raised in slot \slot.
.macro flags slot, insn:vararg
	csrwi	fflags, 0
	\insn
	csrr	x31, fflags
	sd	x31, (\slot * 8)(sp)
.endm

diff_body:
	li	x28, -1
	csrrw	x1, fcsr, x28		# old value (0 from the default table)
	csrr	x3, fcsr		# 0xff: only 8 bits exist
	csrr	x4, frm			# 7
	csrr	x5, fflags		# 0x1f
	csrrw	x6, fcsr, zero
	csrwi	fflags, 0x15
	csrr	x7, fcsr
	csrwi	frm, 3
	csrr	x9, fcsr
	csrrsi	x10, fflags, 0x0a
	csrrci	x11, fflags, 0x11
	csrr	x12, fcsr
	li	x28, 0x1234567
	csrrw	x13, frm, x28		# only the low 3 bits are written
	csrr	x14, fcsr
	li	x28, 0xfffffff8
	csrrs	x15, fflags, x28	# no flag bits set
	csrrc	x16, fcsr, zero		# read only
	fsflags	x17, x0
	fsrm	x18, x0
	csrr	x19, fcsr		# 0

	# Operands.
	li	x28, 0x3ff0000000000000	# 1.0
	fmv.d.x	f1, x28
	fmv.d.x	f2, zero		# +0
	li	x28, 0x4008000000000000	# 3.0
	fmv.d.x	f3, x28
	li	x28, 0x7fefffffffffffff	# max
	fmv.d.x	f4, x28
	li	x28, 0x0010000000000000	# min normal
	fmv.d.x	f5, x28
	li	x28, 0x7ff0000000000001	# sNaN
	fmv.d.x	f6, x28
	li	x28, 0x7ff8000000000000	# qNaN
	fmv.d.x	f7, x28
	li	x28, 0x4004000000000000	# 2.5
	fmv.d.x	f8, x28
	li	x28, 0xbff0000000000000	# -1.0
	fmv.d.x	f9, x28
	li	x28, 0xbfe0000000000000	# -0.5
	fmv.d.x	f10, x28
	li	x28, 0xc004000000000000	# -2.5
	fmv.d.x	f11, x28

	flags	0, fdiv.d f20, f1, f2		# DZ
	flags	1, fdiv.d f20, f2, f2		# NV
	flags	2, fdiv.d f20, f1, f3		# NX
	flags	3, fmul.d f20, f4, f4		# OF NX
	flags	4, fmul.d f20, f5, f5		# UF NX
	flags	5, feq.d x20, f6, f1		# NV (signaling)
	flags	6, feq.d x20, f7, f1		# none (quiet)
	flags	7, flt.d x20, f7, f1		# NV
	flags	8, fcvt.w.d x20, f7, rtz	# NV, 0x7fffffff
	sd	x20, 8 * 40(sp)
	flags	9, fcvt.wu.d x20, f9, rtz	# NV, 0
	sd	x20, 8 * 41(sp)
	flags	10, fcvt.wu.d x20, f10, rtz	# NX only, 0
	sd	x20, 8 * 42(sp)
	flags	11, fmin.d f20, f6, f1		# NV, result 1.0
	fmv.x.d	x20, f20
	sd	x20, 8 * 43(sp)
	flags	12, fsqrt.d f20, f9		# NV, canonical NaN
	flags	13, fcvt.s.d f20, f4		# OF NX
	flags	14, fadd.d f20, f1, f2		# none
	flags	15, fmadd.d f20, f2, f4, f6	# NV (sNaN addend)
	flags	16, fcvt.l.d x20, f4		# NV, INT64_MAX
	sd	x20, 8 * 44(sp)

	# Sticky: flags accumulate across operations until cleared.
	csrwi	fflags, 0
	fdiv.d	f20, f1, f2
	fdiv.d	f20, f1, f3
	fadd.d	f20, f1, f1
	csrr	x21, fflags			# DZ | NX

	# 2.5 and -2.5 to integer under each static mode, then each dyn mode.
	fcvt.w.d x22, f8, rne
	fcvt.w.d x23, f8, rtz
	fcvt.w.d x24, f8, rdn
	fcvt.w.d x25, f8, rup
	fcvt.w.d x26, f8, rmm
	sd	x22, 8 * 17(sp)
	sd	x23, 8 * 18(sp)
	sd	x24, 8 * 19(sp)
	sd	x25, 8 * 20(sp)
	sd	x26, 8 * 21(sp)
	fcvt.l.d x22, f11, rne
	fcvt.l.d x23, f11, rtz
	fcvt.l.d x24, f11, rdn
	fcvt.l.d x25, f11, rup
	fcvt.l.d x26, f11, rmm
	sd	x22, 8 * 22(sp)
	sd	x23, 8 * 23(sp)
	sd	x24, 8 * 24(sp)
	sd	x25, 8 * 25(sp)
	sd	x26, 8 * 26(sp)
	.irp m, 0, 1, 2, 3, 4
	csrwi	frm, \m
	fcvt.w.d x22, f11, dyn
	sd	x22, 8 * (27 + \m)(sp)
	fdiv.d	f21, f1, f3, dyn		# 1/3 rounds differently per mode
	fsd	f21, 8 * (32 + \m)(sp)
	.endr
	csrr	x27, fcsr			# frm 4, flags NX (and NV from none)
	j	diff_end
