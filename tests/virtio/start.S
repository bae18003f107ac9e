/* Entry of the hostile virtio guest (tests/virtio/hostile.c): rvmm starts it
 * in M-mode at _start with --bios none. Sets gp, the stack and the trap
 * vector, zeroes .bss, calls hostile_main with interrupts off; never
 * returns. The probe_* functions read or write a register that may not
 * exist or may refuse the width (an empty virtio-mmio slot, a byte access
 * to a word register): the trap handler skips such a faulting access (a
 * read then gives 0); any other trap ends the run with exit code 253. */
    .section .text.init, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la t0, trap_entry
    csrw mtvec, t0
    csrr t0, mhartid
    bnez t0, secondary
    la sp, stack_top
    la t0, __bss_start
    la t1, _end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  la t0, bss_ready
    li t1, 1
    fence
    sw t1, 0(t0)
    call hostile_main
3:  wfi
    j 3b

    /* Hart 1 (run.sh gives --smp 2) waits for hart 0 to zero .bss, which
     * holds its stack, then serves hostile_hart1(); other harts sleep. */
secondary:
    li t1, 1
    bne t0, t1, 3b
    la t0, bss_ready
4:  lw t1, 0(t0)
    beqz t1, 4b
    fence
    la sp, stack1_top
    call hostile_hart1
    j 3b

    /* uint32_t probe32(unsigned long addr): the word, or 0 if it faults;
     * probe_rdN(addr) the same for N bits; probe_wrN(addr, v) a store
     * that may fault. Only the one access of each may trap. */
    .option push
    .option norvc
probe_begin:
    .globl probe32, probe_rd8, probe_rd16, probe_rd32, probe_rd64
    .globl probe_wr8, probe_wr16, probe_wr32, probe_wr64
probe32:
probe_rd32:
    mv t0, a0
    li a0, 0
    lw a0, 0(t0)
    ret
probe_rd8:
    mv t0, a0
    li a0, 0
    lbu a0, 0(t0)
    ret
probe_rd16:
    mv t0, a0
    li a0, 0
    lhu a0, 0(t0)
    ret
probe_rd64:
    mv t0, a0
    li a0, 0
    ld a0, 0(t0)
    ret
probe_wr8:
    sb a1, 0(a0)
    ret
probe_wr16:
    sh a1, 0(a0)
    ret
probe_wr32:
    sw a1, 0(a0)
    ret
probe_wr64:
    sd a1, 0(a0)
    ret
probe_end:
    .option pop

    .balign 4
trap_entry:
    csrw mscratch, t0
    csrr t0, mepc
    la t1, probe_begin
    bltu t0, t1, 1f
    la t1, probe_end
    bgeu t0, t1, 1f
    addi t0, t0, 4
    csrw mepc, t0
    csrr t0, mscratch
    mret
1:  li t0, 0x100000
    li t1, (253 << 16) | 0x3333
    sw t1, 0(t0)
    j 1b

    .data
    .balign 4
bss_ready:
    .word 0

    .bss
    .balign 16
    .space 16384
stack_top:
    .space 8192
stack1_top:
