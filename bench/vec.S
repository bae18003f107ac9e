/* The vector workload of bench/vec.sh: a bare-metal M-mode program whose
 * timed part is the strip-mined loops gcc emits for -march=rv64gcv
 * (vsetvli on the remaining count, unit-stride loads and stores, integer
 * arithmetic, LMUL 1 and 2): ITERS passes over three arrays of N 32-bit
 * elements, each pass c = a * k + b (k the pass number), the sum of c
 * (vadd into an accumulator with its tail undisturbed, one vredsum at the
 * end) and a byte-wise d = a ^ b. It reads the CLINT's mtime around the
 * passes, prints "vec ticks HEX" on the UART (the loops alone, at the
 * timebase), checks the sums and d against a scalar replay and ends
 * through the QEMU virt test finisher (pass, or fail when one is wrong).
 * Assembled with -DITERS=N. */
#ifndef ITERS
#define ITERS 1000
#endif
#define FINISHER 0x100000
#define UART     0x10000000
#define MTIME    0x0200bff8
#define N        4096

    .section .text.init, "ax"
    .option norvc
    .option arch, +v
    .globl _start
_start:
    la t0, bad
    csrw mtvec, t0
    li t0, 1 << 9                       /* mstatus.VS = Initial */
    csrs mstatus, t0
    la sp, stack_top
    /* a and b: an LCG */
    la t0, arr_a
    li t1, 2 * N / 2                    /* doublewords of a and b */
    li t2, 0x9e3779b97f4a7c15
    li t3, 6364136223846793005
    li t4, 1442695040888963407
1:  mul t2, t2, t3
    add t2, t2, t4
    sd t2, 0(t0)
    addi t0, t0, 8
    addi t1, t1, -1
    bnez t1, 1b
    li t0, MTIME
    ld s6, 0(t0)
    li s0, ITERS
    li s5, 0                            /* the sums of c */
pass:
    /* c = a * k + b */
    li a0, N
    la a1, arr_a
    la a2, arr_b
    la a3, arr_c
1:  vsetvli t0, a0, e32, m1, ta, ma
    vle32.v v1, (a1)
    vle32.v v2, (a2)
    vmul.vx v1, v1, s0
    vadd.vv v1, v1, v2
    vse32.v v1, (a3)
    slli t1, t0, 2
    add a1, a1, t1
    add a2, a2, t1
    add a3, a3, t1
    sub a0, a0, t0
    bnez a0, 1b
    /* the sum of c */
    vsetvli t0, x0, e32, m1, ta, ma
    vmv.v.i v8, 0
    li a0, N
    la a3, arr_c
2:  vsetvli t0, a0, e32, m1, tu, ma
    vle32.v v1, (a3)
    vadd.vv v8, v8, v1
    slli t1, t0, 2
    add a3, a3, t1
    sub a0, a0, t0
    bnez a0, 2b
    vsetvli t0, x0, e32, m1, ta, ma
    vmv.s.x v9, zero
    vredsum.vs v9, v8, v9
    vmv.x.s t2, v9
    add s5, s5, t2
    /* d = a ^ b, bytes */
    li a0, 4 * N
    la a1, arr_a
    la a2, arr_b
    la a3, arr_d
3:  vsetvli t0, a0, e8, m2, ta, ma
    vle8.v v2, (a1)
    vle8.v v4, (a2)
    vxor.vv v2, v2, v4
    vse8.v v2, (a3)
    add a1, a1, t0
    add a2, a2, t0
    add a3, a3, t0
    sub a0, a0, t0
    bnez a0, 3b
    addi s0, s0, -1
    bnez s0, pass

    li t0, MTIME
    ld t1, 0(t0)
    sub s6, t1, s6                      /* ticks of the loops */
    la s7, msg
1:  lbu a0, 0(s7)
    beqz a0, 2f
    call putc
    addi s7, s7, 1
    j 1b
2:  li s8, 60
3:  srl a0, s6, s8
    andi a0, a0, 15
    addi a0, a0, '0'
    li t0, '9'
    ble a0, t0, 4f
    addi a0, a0, 'a' - '0' - 10
4:  call putc
    addi s8, s8, -4
    bgez s8, 3b
    li a0, '\n'
    call putc

    /* The scalar replay: each pass's 32-bit sum of a * k + b, sign-extended */
    li s0, ITERS
    li s3, 0
5:  la a1, arr_a
    la a2, arr_b
    li a0, N
    li t2, 0
6:  lw t3, 0(a1)
    lw t4, 0(a2)
    mulw t3, t3, s0
    addw t3, t3, t4
    addw t2, t2, t3
    addi a1, a1, 4
    addi a2, a2, 4
    addi a0, a0, -1
    bnez a0, 6b
    add s3, s3, t2
    addi s0, s0, -1
    bnez s0, 5b
    bne s3, s5, bad
    /* d */
    la a1, arr_a
    la a2, arr_b
    la a3, arr_d
    li a0, N / 2
7:  ld t3, 0(a1)
    ld t4, 0(a2)
    ld t5, 0(a3)
    xor t3, t3, t4
    bne t3, t5, bad
    addi a1, a1, 8
    addi a2, a2, 8
    addi a3, a3, 8
    addi a0, a0, -1
    bnez a0, 7b
    li t5, FINISHER
    li t6, 0x5555
    sw t6, 0(t5)
1:  j 1b
    .balign 4
bad:
    li t5, FINISHER
    li t6, (1 << 16) | 0x3333
    sw t6, 0(t5)
1:  j 1b

/* One byte to the NS16550 once its transmitter holds nothing. */
putc:
    li t0, UART
1:  lbu t1, 5(t0)
    andi t1, t1, 0x20
    beqz t1, 1b
    sb a0, 0(t0)
    ret

    .section .rodata
msg:
    .asciz "vec ticks 0x"

    .bss
    .balign 4096
arr_a:
    .skip 4 * N
arr_b:
    .skip 4 * N
arr_c:
    .skip 4 * N
arr_d:
    .skip 4 * N
    .balign 16
    .skip 4096
stack_top:
