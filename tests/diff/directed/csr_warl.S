# WARL behaviour of machine and supervisor CSRs: for each CSR write all-ones
# (or another value), read back into scratch slot 2k (m-line 2k), write zero,
# read back into slot 2k+1, then restore the original value. mstatus.MIE is set
# by the all-ones write, but mie is zero so no interrupt can be taken.
# Masked out, because QEMU 7.2 departs from the spec there: mstatus.UXL (QEMU
# accepts the reserved value 3), mstatus.VS (writable without V), medeleg[11]
# (QEMU lets ecall-from-M be delegated), bit 0 of mepc/sepc (QEMU keeps it),
# the upper half of mcounteren/scounteren (32-bit registers) and illegal (WLRL)
# values of mcause/scause. Also masked: what depends on the H extension (in
# QEMU's default CPU) or Sscofpmf; csr_h.S compares those.
# x28..x31 are temporaries.
	.text
	.globl diff_body

.macro probe csr, slot, val=-1, mask=-1
	csrr	x29, \csr
	li	x28, \val
	csrw	\csr, x28
	csrr	x30, \csr
	li	x31, \mask
	and	x30, x30, x31
	sd	x30, (\slot * 16)(sp)
	csrw	\csr, zero
	csrr	x30, \csr
	and	x30, x30, x31
	sd	x30, (\slot * 16 + 8)(sp)
	csrw	\csr, x29
.endm

#define MSTATUS_MASK ~((3 << 32) | (3 << 9) | (3 << 38))	/* UXL, VS, MPV|GVA */
#define SSTATUS_MASK ~((3 << 32) | (3 << 9))
#define MISA_MASK ~(1 << 7)					/* H */
#define MEDELEG_MASK ~((1 << 10) | (1 << 11) | (0xf << 20))
#define MIP_MASK 0xaaa						/* S and M bits */

diff_body:
	csrr	x1, mstatus		# after the prologue: FS dirty
	csrr	x3, misa
	li	x28, MISA_MASK
	and	x3, x3, x28
	csrr	x4, mhartid
	probe	mstatus, 0, -1, MSTATUS_MASK	# m00 m01
	probe	misa, 1, -1, MISA_MASK		# m02 m03
	probe	mtvec, 2		# m04 m05
	probe	medeleg, 3, -1, MEDELEG_MASK	# m06 m07
	probe	mideleg, 4, -1, MIP_MASK	# m08 m09
	probe	mie, 5, -1, MIP_MASK		# m10 m11
	probe	mscratch, 6		# m12 m13
	probe	mepc, 7, -1, -2		# m14 m15
	probe	mcause, 8, 0x800000000000000b	# m16 m17
	probe	mtval, 9		# m18 m19
	probe	mcounteren, 10, -1, 0xffffffff	# m20 m21
	probe	sstatus, 11, -1, SSTATUS_MASK	# m22 m23
	probe	sie, 12			# m24 m25
	probe	stvec, 13		# m26 m27
	probe	sscratch, 14		# m28 m29
	probe	sepc, 15, -1, -2	# m30 m31
	probe	scause, 16, 7	# m32 m33
	probe	stval, 17		# m34 m35
	probe	scounteren, 18, -1, 0xffffffff	# m36 m37
	probe	satp, 19		# m38 m39 (mode 15 is not supported: write ignored)

	# mip: only the software-writable supervisor bits are compared.
	li	x28, -1
	csrw	mip, x28
	csrr	x5, mip
	andi	x5, x5, 0x222
	csrw	mip, zero
	csrr	x6, mip
	andi	x6, x6, 0x222

	# mstatus fields one at a time.
	li	x28, 3 << 11		# MPP = M
	csrs	mstatus, x28
	csrr	x7, mstatus
	li	x28, 3 << 11		# MPP = U
	csrc	mstatus, x28
	csrr	x9, mstatus
	li	x28, 1 << 11		# MPP = S
	csrs	mstatus, x28
	csrr	x10, mstatus
	li	x28, 3 << 11
	csrs	mstatus, x28		# back to M
	li	x28, 1 << 8		# SPP
	csrs	mstatus, x28
	csrr	x11, mstatus
	csrc	mstatus, x28
	li	x28, 3 << 13		# FS off, then Initial, Clean
	csrc	mstatus, x28
	csrr	x12, mstatus
	li	x28, 1 << 13
	csrs	mstatus, x28
	csrr	x13, mstatus
	li	x28, 3 << 13
	csrc	mstatus, x28
	li	x28, 2 << 13
	csrs	mstatus, x28
	csrr	x14, mstatus
	fmv.d.x	f1, x14			# an FP register write makes FS dirty
	csrr	x15, mstatus
	csrr	x16, sstatus
	li	x28, 1 << 19		# MXR, SUM via sstatus
	li	x29, 1 << 18
	or	x28, x28, x29
	csrs	sstatus, x28
	csrr	x17, mstatus
	csrc	sstatus, x28
	csrr	x18, mstatus

	# misa stays as it was; the probe restored it.
	csrr	x19, misa
	li	x28, MISA_MASK
	and	x19, x19, x28
	j	diff_end
