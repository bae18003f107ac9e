# LR/SC retry loop (an atomic increment, as compilers emit it), SC without a
# reservation, and AMOs on boundary values including the sign extension of
# .w results and a .w AMO on the upper half of a doubleword.
	.text
	.globl diff_body
diff_body:
	addi	x9, sp, 64
	li	x10, 0x7ffffffffffffffe
	sd	x10, 0(x9)
	li	x11, 10
1:	lr.d	x12, (x9)
	addi	x12, x12, 1
	sc.d	x13, x12, (x9)
	bnez	x13, 1b
	addi	x11, x11, -1
	bnez	x11, 1b
	ld	x14, 0(x9)		# INT64_MIN + 8
	sc.d	x15, x12, (x9)		# fails: no reservation
	ld	x16, 0(x9)		# unchanged
	lr.w	x17, (x9)
	sc.w	x18, x0, (x9)		# succeeds, writes 0 to the low word
	sc.w	x19, x17, (x9)		# fails
	addi	x20, x9, 8
	li	x21, 0x80000000
	sw	x21, 0(x20)
	li	x22, 5
	amomin.w x23, x22, (x20)	# old 0xffffffff80000000, min stays
	amomaxu.w x24, x22, (x20)	# old negative as signed, max unsigned stays
	amomax.w x25, x22, (x20)	# becomes 5
	lw	x26, 0(x20)
	addi	x20, x9, 16
	li	x21, 0x1111111122222222
	sd	x21, 0(x20)
	li	x22, 0xabcdef01
	addi	x20, x20, 4
	amoswap.w.aqrl x27, x22, (x20)	# the upper half
	ld	x1, -4(x20)		# 0xabcdef0122222222
	j	diff_end
