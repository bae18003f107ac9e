/* Both harts of a two-hart VM (--bios none --smp 2: each starts here in
 * M-mode) run the same 24 straight-line blocks (each ends in a branch
 * that is never taken), check the sum they computed, then part: hart 1
 * raises a flag and waits for interrupts; hart 0 waits for the flag and
 * passes through the test finisher. tests/jit/smp/run.sh counts with
 * --stats how many blocks the JIT translated: with the harts sharing their
 * translations (the default) the common blocks are translated once, so
 * the count is lower by at least 24 than with RVMM_SHARED_BLOCKS=0.
 * The flag lives on its own page: a store to the code's page would make
 * its blocks stale and translated again. No stack, no trap handler: a
 * wrong sum or any trap hangs, and the runner's timeout fails it. */
#define FINISHER_BASE 0x00100000
#define FINISHER_PASS 0x5555

    .section .text.init, "ax", @progbits
    .option norvc
    .globl _start
_start:
    csrr a0, mhartid
    li a1, 0
    addi a1, a1, 1
    xori a2, a1, 3
    beq a2, zero, fail  /* never: ends block 0 */
    addi a1, a1, 2
    xori a2, a1, 10
    beq a2, zero, fail  /* never: ends block 1 */
    addi a1, a1, 3
    xori a2, a1, 17
    beq a2, zero, fail  /* never: ends block 2 */
    addi a1, a1, 4
    xori a2, a1, 24
    beq a2, zero, fail  /* never: ends block 3 */
    addi a1, a1, 5
    xori a2, a1, 31
    beq a2, zero, fail  /* never: ends block 4 */
    addi a1, a1, 6
    xori a2, a1, 38
    beq a2, zero, fail  /* never: ends block 5 */
    addi a1, a1, 7
    xori a2, a1, 45
    beq a2, zero, fail  /* never: ends block 6 */
    addi a1, a1, 8
    xori a2, a1, 52
    beq a2, zero, fail  /* never: ends block 7 */
    addi a1, a1, 9
    xori a2, a1, 59
    beq a2, zero, fail  /* never: ends block 8 */
    addi a1, a1, 10
    xori a2, a1, 66
    beq a2, zero, fail  /* never: ends block 9 */
    addi a1, a1, 11
    xori a2, a1, 73
    beq a2, zero, fail  /* never: ends block 10 */
    addi a1, a1, 12
    xori a2, a1, 80
    beq a2, zero, fail  /* never: ends block 11 */
    addi a1, a1, 13
    xori a2, a1, 87
    beq a2, zero, fail  /* never: ends block 12 */
    addi a1, a1, 14
    xori a2, a1, 94
    beq a2, zero, fail  /* never: ends block 13 */
    addi a1, a1, 15
    xori a2, a1, 101
    beq a2, zero, fail  /* never: ends block 14 */
    addi a1, a1, 16
    xori a2, a1, 108
    beq a2, zero, fail  /* never: ends block 15 */
    addi a1, a1, 17
    xori a2, a1, 115
    beq a2, zero, fail  /* never: ends block 16 */
    addi a1, a1, 18
    xori a2, a1, 122
    beq a2, zero, fail  /* never: ends block 17 */
    addi a1, a1, 19
    xori a2, a1, 129
    beq a2, zero, fail  /* never: ends block 18 */
    addi a1, a1, 20
    xori a2, a1, 136
    beq a2, zero, fail  /* never: ends block 19 */
    addi a1, a1, 21
    xori a2, a1, 143
    beq a2, zero, fail  /* never: ends block 20 */
    addi a1, a1, 22
    xori a2, a1, 150
    beq a2, zero, fail  /* never: ends block 21 */
    addi a1, a1, 23
    xori a2, a1, 157
    beq a2, zero, fail  /* never: ends block 22 */
    addi a1, a1, 24
    xori a2, a1, 164
    beq a2, zero, fail  /* never: ends block 23 */
    li t0, 300
    bne a1, t0, fail
    bnez a0, secondary
    la t0, flag
1:  ld t1, 0(t0)
    beqz t1, 1b
    li t0, FINISHER_BASE
    li t1, FINISHER_PASS
    sw t1, 0(t0)
2:  j 2b

secondary:
    la t0, flag
    li t1, 1
    sd t1, 0(t0)
3:  wfi
    j 3b

fail:
    j fail

    .data
    .balign 4096
flag:
    .dword 0
