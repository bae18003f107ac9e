# Mixed compressed and uncompressed code: 32-bit instructions at addresses
# 2 mod 4 and across a 4 KiB page boundary, link values of jal/jalr/c.jalr,
# a jump into the middle of a 32-bit instruction whose upper half is itself a
# valid compressed instruction, c.* edge immediates and sp-relative forms.
	.text
	.globl diff_body
	.balign 4
diff_body:
	c.nop
	.option push
	.option norvc
	addi	x1, x0, 0x123		# at 2 mod 4
	jal	x3, 1f			# x3 = pc + 4
	.option pop
1:	auipc	x4, 0
	sub	x3, x4, x3		# 0
	la	x28, 2f
	c.jalr	x28			# x1 = pc + 2
2:	auipc	x4, 0
	sub	x4, x4, x1		# 0
	la	x28, 3f + 1
	jalr	x5, -1(x28)		# target 3f (bit 0 cleared)
3:	auipc	x6, 0
	sub	x5, x6, x5		# 0
	j	page_cross

	# The 32-bit lui sits at page offset 4094: half in each page.
	.balign 4096
	.skip	4090
page_cross:
	c.nop
	c.nop
	.option push
	.option norvc
	lui	x6, 0x12345
	.option pop
	c.addi	x6, 7

	# Overlapping instructions: 0x429d0393 is addi x7, x26, 0x429 at +0
	# and c.li x5, 7 (0x429d) at +2. Run it both ways.
	li	x29, 0
	li	x5, 0
4:	.word	0x429d0393
	c.addi	x29, 1
	li	x30, 2
	beq	x29, x30, 5f
	la	x28, 4b + 2
	c.jr	x28
5:
	# Compressed loop.
	li	x9, 5
	li	x10, 0
6:	c.addi	x10, 3
	c.addi	x9, -1
	c.bnez	x9, 6b

	# Immediates at their limits.
	c.addi16sp sp, -512
	c.mv	x11, sp
	c.addi16sp sp, 496
	c.addi16sp sp, 16
	c.addi4spn x12, sp, 1020
	c.lui	x13, 0xfffff
	c.lui	x14, 0x1f
	c.li	x15, -32
	li	x16, 0x7fffffff
	c.addiw	x16, 1			# 0xffffffff80000000
	li	x9, -1
	c.srli	x9, 63			# 1
	li	x17, 0x8000000000000000
	c.mv	x13, x17
	c.srai	x13, 63			# -1
	li	x18, 0x12345678
	c.slli	x18, 32
	li	x14, 0x7fffffff
	li	x15, 1
	c.addw	x14, x15		# 0xffffffff80000000
	li	x10, 0
	c.subw	x10, x15		# -1
	li	x19, 0x0000ffff0000ffff
	c.mv	x11, x19
	c.andi	x11, -16
	c.xor	x11, x15
	c.or	x11, x12
	c.and	x11, x14
	c.sub	x11, x15

	# Loads and stores at the largest compressed offsets.
	li	x20, 0x1122334455667788
	c.sdsp	x20, 504(sp)
	c.ldsp	x21, 504(sp)
	c.swsp	x20, 252(sp)
	c.lwsp	x22, 252(sp)
	c.sd	x12, 248(x8)
	c.ld	x15, 248(x8)
	c.sw	x14, 124(x8)
	c.lw	x9, 124(x8)
	c.fsdsp	f0, 0(sp)
	fmv.d.x	f9, x20
	c.fsdsp	f9, 496(sp)
	c.fldsp	f2, 496(sp)
	c.fsd	f9, 240(x8)
	c.fld	f8, 240(x8)
	j	diff_end
