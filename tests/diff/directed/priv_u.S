# mret to U-mode (after opening PMP for S/U), some work there, then a CSR
# access that U-mode may not make: illegal instruction with mtval = the
# instruction, MPP = U and MPIE/MIE as mret and the trap leave them.
	.text
	.globl diff_body
diff_body:
	li	x28, -1
	csrw	pmpaddr0, x28
	li	x28, 0x1f		# NAPOT, RWX: everything
	csrw	pmpcfg0, x28
	la	x28, 1f
	csrw	mepc, x28
	li	x28, 3 << 11		# MPP = U
	csrc	mstatus, x28
	li	x28, 1 << 7		# MPIE
	csrs	mstatus, x28
	mret
1:	li	x1, 42
	sd	x1, 0(sp)
	ld	x3, 0(sp)
	fcvt.d.l f1, x3
	csrr	x4, fcsr		# allowed in U
	csrr	x5, sstatus		# illegal in U
	li	x6, 1			# not reached
	j	diff_end
