/* Entry of the hostile virtio guest (tests/virtio/hostile.c): rvmm starts it
 * in M-mode at _start with --bios none. Sets gp, the stack and the trap
 * vector, zeroes .bss, calls hostile_main with interrupts off; never
 * returns. probe32 reads a word that may not exist (an empty virtio-mmio
 * slot faults): the trap handler skips that one load; any other trap ends
 * the run with exit code 253. */
    .section .text.init, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la sp, stack_top
    la t0, trap_entry
    csrw mtvec, t0
    la t0, __bss_start
    la t1, _end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  call hostile_main
3:  wfi
    j 3b

    /* uint32_t probe32(unsigned long addr): the word, or 0 if it faults. */
    .globl probe32
probe32:
    mv t0, a0
    li a0, 0
    .option push
    .option norvc
probe_load:
    lw a0, 0(t0)
    .option pop
    ret

    .balign 4
trap_entry:
    csrw mscratch, t0
    csrr t0, mepc
    la t1, probe_load
    bne t0, t1, 1f
    addi t0, t0, 4
    csrw mepc, t0
    csrr t0, mscratch
    mret
1:  li t0, 0x100000
    li t1, (253 << 16) | 0x3333
    sw t1, 0(t0)
    j 1b

    .bss
    .balign 16
    .space 16384
stack_top:
