/* The migration tests' bare-metal guest (rvmm's builtin SBI starts it in
 * S-mode): counts in s0 and prints each value on the UART as "count N",
 * and between two values writes the count into every page of a 16 MiB
 * buffer, so each round of a migration finds those pages dirty again. The
 * test checks the printed values: every one once, in order, none lost or
 * repeated across the switch, and the first line ("counter start") once:
 * no second boot. Before each value it checks that every page still holds
 * the last one ("memory lost" otherwise). s1 holds the UART, s2 the
 * buffer, s3 its end. */
    .section .text.init, "ax"
    .globl _start
_start:
    li s1, 0x10000000
    la a0, hello
    call puts
    li s0, 0
    la s2, buffer
    li t0, BUF_BYTES
    add s3, s2, t0
loop:
    /* Every page of the buffer holds the last count (s0): a page that a
     * migration or a snapshot lost says so, and the guest stops. */
    mv t0, s2
0:  ld t1, 0(t0)
    bne t1, s0, lost
    li t1, 4096
    add t0, t0, t1
    bltu t0, s3, 0b
    addi s0, s0, 1
    mv t0, s2
1:  sd s0, 0(t0)
    li t1, 4096
    add t0, t0, t1
    bltu t0, s3, 1b
    la a0, prefix
    call puts
    mv a0, s0
    call putdec
    li a0, '\n'
    call putc
    j loop

lost:
    la a0, lostmsg
    call puts
7:  wfi
    j 7b

/* putc(a0): waits for THR empty (LSR bit 5), writes. */
putc:
    lbu t0, 5(s1)
    andi t0, t0, 0x20
    beqz t0, putc
    sb a0, 0(s1)
    ret

puts:
    mv t2, a0
    mv t3, ra
2:  lbu a0, 0(t2)
    beqz a0, 3f
    call putc
    addi t2, t2, 1
    j 2b
3:  mv ra, t3
    ret

/* putdec(a0): unsigned decimal. */
putdec:
    mv t3, ra
    la t4, digits_end
    mv t5, a0
    li t6, 10
4:  remu t0, t5, t6
    divu t5, t5, t6
    addi t0, t0, '0'
    addi t4, t4, -1
    sb t0, 0(t4)
    bnez t5, 4b
5:  lbu a0, 0(t4)
    beqz a0, 6f
    call putc
    addi t4, t4, 1
    j 5b
6:  mv ra, t3
    ret

    .section .rodata
hello:  .asciz "counter start\n"
prefix: .asciz "count "
lostmsg: .asciz "memory lost\n"

    .section .data
digits: .space 24
digits_end: .byte 0

    .section .bss
    .balign 4096
buffer: .space BUF_BYTES
