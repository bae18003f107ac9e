# mret to S-mode, supervisor CSR accesses there, sret to U-mode, and an ecall
# from U (mcause 8) taken to M-mode since nothing is delegated.
	.text
	.globl diff_body
diff_body:
	li	x28, -1
	csrw	pmpaddr0, x28
	li	x28, 0x1f
	csrw	pmpcfg0, x28
	la	x28, 1f
	csrw	mepc, x28
	li	x28, 3 << 11
	csrc	mstatus, x28
	li	x28, 1 << 11		# MPP = S
	csrs	mstatus, x28
	mret
1:	csrr	x1, sstatus
	li	x28, 0x5a5a
	csrw	sscratch, x28
	csrr	x3, sscratch
	la	x28, 2f
	csrw	sepc, x28
	li	x28, 1 << 8		# SPP = U
	csrc	sstatus, x28
	li	x28, 1 << 5		# SPIE
	csrs	sstatus, x28
	sret
2:	li	x4, 7
	ecall
	li	x5, 1			# not reached
	j	diff_end
