# Interrupt priority and delivery point: with MIE off, make several interrupts
# pending at once (MSIP through the CLINT, MTIP by mtimecmp = 0, SEIP, SSIP,
# STIP written in mip), enable them in mie, then set mstatus.MIE. A local
# M-mode handler logs (mcause, mepc) from scratch word 0 (m00 on), clears the
# source and returns, so they are taken one by one in priority order, all at
# the instruction after the enabling csrs. Two rounds: MSI, MTI, SEI; then
# SSI, STI. Not mixed, because QEMU 7.2 without AIA takes the lowest-numbered
# pending interrupt (SSI before MSI), against the spec's MEI, MSI, MTI, SEI,
# SSI, STI. Whether time has passed does not matter: mtime >= 0 always.
	.text
	.globl diff_body

#define CLINT_MSIP     0x2000000
#define CLINT_MTIMECMP 0x2004000

diff_body:
	csrr	x31, mtvec
	la	x28, handler
	csrw	mtvec, x28
	mv	x27, sp
	li	x5, CLINT_MSIP
	li	x6, CLINT_MTIMECMP
	li	x28, 0x2aa		# SSIE STIE SEIE MSIE MTIE
	csrw	mie, x28
	li	x28, 1
	sw	x28, 0(x5)
	sd	zero, 0(x6)
	li	x28, 1 << 9
	csrs	mip, x28
	fence
	csrr	x1, mip
	andi	x1, x1, 0x2aa		# MSIP MTIP SEIP
	csrsi	mstatus, 8		# MIE: the interrupts are taken here
	csrr	x3, mip
	csrci	mstatus, 8
	li	x28, (1 << 5) | (1 << 1)
	csrs	mip, x28
	csrr	x4, mip
	andi	x4, x4, 0x2aa		# SSIP STIP
	csrsi	mstatus, 8
	csrr	x7, mip
	csrci	mstatus, 8
	csrw	mie, zero
	csrw	mtvec, x31
	j	diff_end

	.balign 4
handler:
	csrr	x28, mcause
	sd	x28, 0(x27)
	csrr	x29, mepc
	sd	x29, 8(x27)
	addi	x27, x27, 16
	slli	x28, x28, 1		# drop the interrupt bit
	srli	x28, x28, 1
	li	x29, 3
	bne	x28, x29, 1f
	sw	zero, 0(x5)		# MSIP
	mret
1:	li	x29, 7
	bne	x28, x29, 2f
	li	x29, -1			# MTIP
	sd	x29, 0(x6)
	mret
2:	li	x29, 1			# a supervisor bit in mip
	sll	x29, x29, x28
	csrc	mip, x29
	mret
