# What the H extension adds to the machine CSRs of QEMU's default virt CPU:
# misa.H, mstatus.MPV/GVA, the VS-level and guest-page-fault bits of medeleg,
# mideleg (VS bits read-only one) and mie.
	.text
	.globl diff_body
diff_body:
	csrr	x1, misa
	srli	x1, x1, 7
	andi	x1, x1, 1		# misa.H
	li	x28, 3 << 38		# MPV | GVA
	csrs	mstatus, x28
	csrr	x3, mstatus
	csrc	mstatus, x28
	and	x3, x3, x28
	li	x28, -1
	csrw	medeleg, x28
	csrr	x4, medeleg
	li	x29, (1 << 10) | (0xf << 20)
	and	x4, x4, x29
	csrw	medeleg, zero
	csrw	mideleg, x28
	csrr	x5, mideleg
	li	x29, 0x1fff		# not LCOFI (13): QEMU's Sscofpmf, not rvmm's
	and	x5, x5, x29
	csrw	mideleg, zero
	csrr	x6, mideleg
	csrw	mie, x28
	csrr	x7, mie
	li	x29, 0x1444
	and	x7, x7, x29
	csrw	mie, zero
	j	diff_end
