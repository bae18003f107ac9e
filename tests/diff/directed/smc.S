# Self-modifying code with fence.i: a loop whose body instruction is replaced
# after the third iteration (code already executed, maybe translated), a
# compressed instruction patched with a halfword store, an instruction patched
# right after the store in the same straight-line block, and one patched with
# an AMO. The replacements are assembled in the data section.
	.text
	.globl diff_body
	.balign 4
diff_body:
	li	x9, 0
	li	x10, 0
	la	x28, slot1
1:	.option push
	.option norvc
slot1:	addi	x10, x10, 1
	.option pop
	addi	x9, x9, 1
	li	x29, 3
	bne	x9, x29, 2f
	la	x30, new1
	lwu	x31, 0(x30)
	sw	x31, 0(x28)
	fence.i
2:	li	x29, 6
	blt	x9, x29, 1b		# x10 = 3 * 1 + 3 * 100

	# Halfword patch of a compressed instruction, executed before and after.
	li	x11, 0
	li	x12, 0
3:
slot2:	c.li	x13, 1
	add	x11, x11, x13
	addi	x12, x12, 1
	la	x28, slot2
	la	x30, new2
	lhu	x31, 0(x30)
	sh	x31, 0(x28)
	fence.i
	li	x29, 2
	blt	x12, x29, 3b		# x11 = 1 + 9

	# Patch the very next instruction.
	la	x28, slot3
	la	x30, new3
	lwu	x31, 0(x30)
	sw	x31, 0(x28)
	fence.i
	.balign 4
	.option push
	.option norvc
slot3:	li	x14, 1
	.option pop

	# Patch with an AMO; x15 receives the old instruction word.
	la	x28, slot4
	la	x30, new4
	lwu	x31, 0(x30)
	amoswap.w x15, x31, (x28)
	fence.i
	.option push
	.option norvc
slot4:	li	x16, 1
	.option pop
	j	diff_end

	.data
	.balign 4
	.option push
	.option norvc
new1:	addi	x10, x10, 100
new3:	li	x14, 0x555
new4:	lui	x16, 0xabcde
	.option pop
new2:	c.li	x13, 9
