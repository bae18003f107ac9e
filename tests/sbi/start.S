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

/* vs_run(entry): enters VS-mode at `entry` (hstatus.SPV = 1, SPP = 1,
 * sret) with whatever vsatp and hgatp hold, and returns to the caller in
 * HS-mode at the first trap that reaches HS: a0 = scause; htval and
 * stval are left in vs_saved[2] and vs_saved[3]. The callee-saved registers, sp and stvec survive. */
    .globl vs_run
vs_run:
    addi sp, sp, -112
    sd ra, 0(sp)
    sd s0, 8(sp)
    sd s1, 16(sp)
    sd s2, 24(sp)
    sd s3, 32(sp)
    sd s4, 40(sp)
    sd s5, 48(sp)
    sd s6, 56(sp)
    sd s7, 64(sp)
    sd s8, 72(sp)
    sd s9, 80(sp)
    sd s10, 88(sp)
    sd s11, 96(sp)
    la t0, vs_saved
    sd sp, 0(t0)
    csrr t1, stvec
    sd t1, 8(t0)
    la t1, vs_trap
    csrw stvec, t1
    csrw sepc, a0
    li t1, 1 << 7                       /* hstatus.SPV */
    csrs 0x600, t1
    li t1, 1 << 8                       /* sstatus.SPP: VS, not VU */
    csrs sstatus, t1
    sret

    .balign 4
vs_trap:
    la t0, vs_saved
    ld sp, 0(t0)
    ld t1, 8(t0)
    csrw stvec, t1
    li t1, 1 << 7
    csrc 0x600, t1
    csrr a0, scause
    csrr a1, 0x643                      /* htval */
    csrr a2, stval
    sd a1, 16(t0)
    sd a2, 24(t0)
    ld ra, 0(sp)
    ld s0, 8(sp)
    ld s1, 16(sp)
    ld s2, 24(sp)
    ld s3, 32(sp)
    ld s4, 40(sp)
    ld s5, 48(sp)
    ld s6, 56(sp)
    ld s7, 64(sp)
    ld s8, 72(sp)
    ld s9, 80(sp)
    ld s10, 88(sp)
    ld s11, 96(sp)
    addi sp, sp, 112
    ret

/* Guest code for vs_run: an SBI call from VS-mode (the guest's own SBI,
 * for its hypervisor to serve), and an H CSR read (a virtual instruction). */
    .globl vs_ecall
vs_ecall:
    li a7, 0x10
    ecall
    j vs_ecall
    .globl vs_hcsr
vs_hcsr:
    csrr t0, 0x600
    j vs_hcsr
/* Loads the first doubleword of guest physical pages 0xC0000000 and
 * 0xC0001000 into vs_vals[0] and [1] (RAM, mapped 1:1), then an ecall. */
    .globl vs_load2
vs_load2:
    li t2, 0xC0000000
    ld t3, 0(t2)
    li t2, 0xC0001000
    ld t4, 0(t2)
    la t5, vs_vals
    sd t3, 0(t5)
    sd t4, 8(t5)
    li a7, 0x10
    ecall
    j vs_load2

    .bss
    .balign 16
    .globl vs_saved
vs_saved:                               /* sp, stvec, htval, stval */
    .space 32
    .globl vs_vals
vs_vals:
    .space 16
    .balign 16
    .space 16384
stack0_top:
    .space 16384
stack1_top:
