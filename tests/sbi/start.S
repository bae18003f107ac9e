/* Entry points of the SBI probe (tests/sbi/probe.c): rvmm's builtin SBI
 * starts hart 0 here in S-mode (a0 = hartid, a1 = device tree). Also the
 * start address given to hart_start for hart 1, the resume address of the
 * non-retentive suspend, and the stvec trap entry. Each sets its own stack
 * and calls C; none returns. */
    .section .text.init, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    /* FP on, so compiled C may use FP registers. */
    li t0, 1 << 13
    csrs sstatus, t0
    la sp, stack0_top
    /* Zero .bss (RAM starts zeroed, but be independent of that). */
    la t0, __bss_start
    la t1, _end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  call probe_main
    j probe_hang

    .globl secondary_entry
secondary_entry:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    li t0, 1 << 13
    csrs sstatus, t0
    la sp, stack1_top
    call secondary_main
    j probe_hang

    .globl resume_entry
resume_entry:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    li t0, 1 << 13
    csrs sstatus, t0
    la sp, stack0_top
    call probe_resumed
    j probe_hang

    .globl probe_hang
probe_hang:
    wfi
    j probe_hang

/* stvec: save the caller-saved registers, call probe_trap(scause, sepc,
 * stval), restore, sret. probe_trap may change sepc. */
    .balign 4
    .globl trap_entry
trap_entry:
    addi sp, sp, -144
    sd ra, 0(sp)
    sd t0, 8(sp)
    sd t1, 16(sp)
    sd t2, 24(sp)
    sd a0, 32(sp)
    sd a1, 40(sp)
    sd a2, 48(sp)
    sd a3, 56(sp)
    sd a4, 64(sp)
    sd a5, 72(sp)
    sd a6, 80(sp)
    sd a7, 88(sp)
    sd t3, 96(sp)
    sd t4, 104(sp)
    sd t5, 112(sp)
    sd t6, 120(sp)
    csrr a0, scause
    csrr a1, sepc
    csrr a2, stval
    call probe_trap
    ld ra, 0(sp)
    ld t0, 8(sp)
    ld t1, 16(sp)
    ld t2, 24(sp)
    ld a0, 32(sp)
    ld a1, 40(sp)
    ld a2, 48(sp)
    ld a3, 56(sp)
    ld a4, 64(sp)
    ld a5, 72(sp)
    ld a6, 80(sp)
    ld a7, 88(sp)
    ld t3, 96(sp)
    ld t4, 104(sp)
    ld t5, 112(sp)
    ld t6, 120(sp)
    addi sp, sp, 144
    sret

    .bss
    .balign 16
    .space 16384
stack0_top:
    .space 16384
stack1_top:
