# Misaligned loads and stores of every width, including ones that cross a
# 4 KiB page boundary (page_a's last bytes and page_b's first ones) and FP
# ones. QEMU 7.2 performs them without trapping in M-mode.
	.text
	.globl diff_body
diff_body:
	la	x5, page_b
	ld	x1, -3(x5)
	lw	x3, -1(x5)
	lwu	x4, -2(x5)
	lh	x6, -1(x5)
	lhu	x7, -1(x5)
	ld	x9, 1(x5)		# misaligned inside a page
	li	x28, 0x0102030405060708
	sd	x28, -5(x5)
	sw	x28, 3(x5)
	sh	x28, -1(x5)
	ld	x10, -8(x5)
	ld	x11, 0(x5)
	fld	f1, -6(x5)
	flw	f2, -2(x5)
	fsd	f1, 61(sp)
	fsw	f2, 127(sp)
	ld	x12, 56(sp)
	ld	x13, 64(sp)
	ld	x14, 120(sp)
	ld	x15, 128(sp)
	c.ld	x8, 0(x8)		# aligned compressed load: clobbers s0 last
	j	diff_end

	.data
	.balign 4096
page_a:
	.fill	504, 8, 0x1111111111111111
	.dword	0x8877665544332211, 0x100f0e0d0c0b0a09, 0x1817161514131211
	.dword	0x201f1e1d1c1b1a19, 0x2827262524232221, 0x302f2e2d2c2b2a29
	.dword	0x3837363534333231, 0x403f3e3d3c3b3a39
page_b:
	.dword	0xc8c7c6c5c4c3c2c1, 0xd0cfcecdcccbcac9
	.fill	510, 8, 0
