# A reserved rounding mode in frm (5) is accepted by the CSR write and
# readable, but an instruction with dynamic rounding then raises an illegal
# instruction exception (mtval = the instruction). Static modes still work.
	.text
	.globl diff_body
diff_body:
	csrwi	frm, 5
	csrr	x1, frm
	csrr	x3, fcsr
	li	x28, 0x3ff0000000000000
	fmv.d.x	f1, x28
	fadd.d	f2, f1, f1, rne		# fine
	fsgnj.d	f3, f1, f1		# no rounding: fine
	fadd.d	f4, f1, f1, dyn		# illegal instruction
	li	x4, 1			# not reached
	j	diff_end
