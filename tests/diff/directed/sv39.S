# Sv39 translation in S-mode, and in M-mode through mstatus.MPRV. Leaf PTEs
# have A and D preset, so whether hardware updates them does not matter.
# Load, store and fetch page faults are delegated to an S-mode handler that
# logs (scause, stval) pairs from scratch word 32 (m32 on) and skips the
# faulting instruction. The program ends with an ecall from S (mcause 9).
#   VA 0x80000000 1 GiB  identity, RWX (code, data, tables)
#   VA 0x40000000 4 KiB  scratch page, RW     VA 0x40001000  same page, R
#   VA 0x40002000 4 KiB  same page, RW + U    VA 0x40003000  invalid
#   VA 0x40004000 4 KiB  same page, X only    VA 0x40005000  W without R (reserved)
#   VA 0xc0000000 1 GiB  misaligned superpage (ppn[0] != 0)
	.text
	.globl diff_body

#define V 1
#define R 2
#define W 4
#define X 8
#define U 16
#define A 64
#define D 128

# table[index] = PTE for physical address in register pa, with flags.
.macro pte table, index, pa, flags
	srli	x30, \pa, 12
	slli	x30, x30, 10
	ori	x30, x30, \flags
	sd	x30, (\index * 8)(\table)
.endm

diff_body:
	.option norvc
	li	x28, -1
	csrw	pmpaddr0, x28
	li	x28, 0x1f
	csrw	pmpcfg0, x28
	la	x20, pt_root
	la	x21, pt_l1
	la	x22, pt_l0
	li	x23, 0x80000000
	pte	x20, 2, x23, V|R|W|X|A|D
	li	x23, 0x80001000
	pte	x20, 3, x23, V|R|W|A|D
	pte	x20, 1, x21, V
	pte	x21, 0, x22, V
	mv	x23, sp
	pte	x22, 0, x23, V|R|W|A|D
	pte	x22, 1, x23, V|R|A
	pte	x22, 2, x23, V|R|W|U|A|D
	pte	x22, 4, x23, V|X|A
	pte	x22, 5, x23, V|W|A|D
	li	x28, 0x1111222233334444	# recognisable scratch contents
	sd	x28, 0(sp)
	li	x28, 0x5555666677778888
	sd	x28, 8(sp)
	srli	x23, x20, 12
	li	x24, 8 << 60		# Sv39
	or	x23, x23, x24
	csrw	satp, x23
	sfence.vma

	# M-mode load through the S-mode view: MPRV = 1, MPP = S.
	li	x28, 3 << 11
	csrc	mstatus, x28
	li	x28, (1 << 17) | (1 << 11)
	csrs	mstatus, x28
	li	x5, 0x40000000
	ld	x31, 8(x5)
	li	x28, 1 << 17
	csrc	mstatus, x28

	li	x28, (1 << 12) | (1 << 13) | (1 << 15)
	csrw	medeleg, x28
	la	x28, s_trap
	csrw	stvec, x28
	addi	x27, sp, 256
	la	x28, s_main
	csrw	mepc, x28
	mret				# to S (MPP = S)

s_main:
	ld	x3, 0(x5)		# ok
	li	x28, 0x1234
	sd	x28, 16(x5)		# ok
	li	x6, 0x40001000
	ld	x4, 16(x6)		# ok: 0x1234
	sd	x28, 24(x6)		# 15: read-only
	li	x7, 0x40002000
	ld	x9, 0(x7)		# 13: U page, SUM = 0
	li	x28, 1 << 18
	csrs	sstatus, x28
	ld	x9, 0(x7)		# ok with SUM
	csrc	sstatus, x28
	li	x10, 0x40003000
	ld	x11, 0(x10)		# 13: invalid
	sd	x11, 0(x10)		# 15: invalid
	li	x12, 0x40004000
	ld	x13, 0(x12)		# 13: execute-only
	li	x28, 1 << 19
	csrs	sstatus, x28
	ld	x13, 0(x12)		# ok with MXR
	csrc	sstatus, x28
	li	x14, 0x40005000
	ld	x15, 0(x14)		# 13: reserved W without R
	sd	x15, 0(x14)		# 15
	li	x16, 0xc0000000
	ld	x17, 0(x16)		# 13: misaligned superpage
	li	x18, 0x0000008000000000
	ld	x19, 0(x18)		# 13: not canonical
	li	x18, 0xffffffc000000000	# canonical, unmapped (root[256])
	ld	x19, 0(x18)		# 13
	jalr	ra, 0(x7)		# 12: S may not execute a U page
	jalr	ra, 0(x10)		# 12: invalid
	amoadd.d x24, x28, (x6)		# 15: AMO on a read-only page

	# Remap VA 0x40000000 to alt_page; sfence.vma for that address.
	la	x25, alt_page
	pte	x22, 0, x25, V|R|W|A|D
	sfence.vma x5, zero
	ld	x26, 0(x5)		# alt_page's first word
	ld	x23, 8(x6)		# the old page through the R alias
	ecall

s_trap:
	csrr	x29, scause
	sd	x29, 0(x27)
	csrr	x29, stval
	sd	x29, 8(x27)
	addi	x27, x27, 16
	csrr	x29, scause
	li	x30, 12
	bne	x29, x30, 1f
	csrw	sepc, ra		# fetch fault: return after the jalr
	sret
1:	csrr	x29, sepc
	addi	x29, x29, 4
	csrw	sepc, x29
	sret

	.data
	.balign 4096
pt_root:
	.fill	512, 8, 0
pt_l1:
	.fill	512, 8, 0
pt_l0:
	.fill	512, 8, 0
alt_page:
	.dword	0xa1a2a3a4a5a6a7a8, 0xb1b2b3b4b5b6b7b8
	.fill	510, 8, 0
