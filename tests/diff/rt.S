/* Runtime of every differential-test program (random and directed): the fixed
 * prologue that sets mstatus.FS, mtvec, fcsr, mscratch, loads f0..f31 and
 * x1..x31 from the program's tables and enters diff_body with mret, in M-mode
 * or (diff_init_csr mode word 1 or 2) in S-mode under Sv39 or Sv48 with an
 * identity map of the first GiB of RAM (4 KiB pages for the first 2 MiB, then
 * 2 MiB pages), or (3, H extension) in VS-mode with that Sv39 map as its
 * VS-stage over a G-stage Sv39x4 gigapage mapping RAM one to one; then the end and trap paths that save all registers and call
 * diff_dump (dump.c) to print them on the UART. S-mode bodies end with ecall,
 * since diff_end needs M-mode. A program defines diff_body and may override
 * the weak tables. This file must not touch time, cycle or any other
 * nondeterministic state. */

#define FINISHER 0x100000
#define MSTATUS_FS_DIRTY (3 << 13)
#define PTE_LEAF 0xcf           /* V R W X A D */
#define PTE_PTR  0x01           /* V */
#define PTE_U    0x10
#define CSR_VSSTATUS 0x200
#define CSR_VSATP    0x280
#define CSR_HGATP    0x680
#define RAM_BASE 0x80000000

        .section .text.init, "ax"
        .option norvc
        .globl _start
_start:
        la      t0, diff_trap
        csrw    mtvec, t0
        li      t0, MSTATUS_FS_DIRTY
        csrs    mstatus, t0
        la      t0, diff_init_csr
        ld      t1, 0(t0)
        csrw    fcsr, t1
        ld      t1, 8(t0)
        csrw    mscratch, t1
        la      t1, diff_body
        csrw    mepc, t1
        li      t1, 3 << 11             /* MPP = M unless S-mode is asked for */
        csrs    mstatus, t1
        ld      t1, 16(t0)
        la      t2, diff_trap_budget    /* resumable traps: their own handler */
        ld      t2, 0(t2)
        beqz    t2, 5f
        la      t3, diff_trap_state
        sd      t2, 0(t3)
        la      t2, diff_trap_rs_m
        beqz    t1, 6f
        la      t2, diff_trap_rs_s
        li      t3, 3
        bne     t1, t3, 6f
        la      t2, diff_trap_rs_v
6:      csrw    mtvec, t2
        li      t2, -1                  /* PMP: U-mode (and S) may access everything */
        csrw    pmpaddr0, t2
        li      t2, 0x1f
        csrw    pmpcfg0, t2
5:      beqz    t1, 9f
        li      t2, -1                  /* PMP: S-mode may access everything */
        csrw    pmpaddr0, t2
        li      t2, 0x1f
        csrw    pmpcfg0, t2
        la      t2, diff_pt_l0          /* 512 4 KiB pages from RAM_BASE */
        li      t3, ((RAM_BASE >> 12) << 10) | PTE_LEAF
        li      t4, 512
        li      t5, 1 << 10
1:      sd      t3, 0(t2)
        add     t3, t3, t5
        addi    t2, t2, 8
        addi    t4, t4, -1
        bnez    t4, 1b
        la      t2, diff_pt_l1          /* [0] -> l0, then 2 MiB pages */
        la      t3, diff_pt_l0
        srli    t3, t3, 12
        slli    t3, t3, 10
        ori     t3, t3, PTE_PTR
        sd      t3, 0(t2)
        li      t3, (((RAM_BASE + 0x200000) >> 12) << 10) | PTE_LEAF
        li      t4, 511
        li      t5, 512 << 10
2:      addi    t2, t2, 8
        sd      t3, 0(t2)
        add     t3, t3, t5
        addi    t4, t4, -1
        bnez    t4, 2b
        la      t2, diff_pt_l2          /* Sv39 root, Sv48 level 2: [2] -> l1 */
        la      t3, diff_pt_l3          /* Sv48 root: [0] -> l2 */
        li      t4, 512
3:      sd      zero, 0(t2)
        sd      zero, 0(t3)
        addi    t2, t2, 8
        addi    t3, t3, 8
        addi    t4, t4, -1
        bnez    t4, 3b
        la      t2, diff_pt_l2
        la      t3, diff_pt_l1
        srli    t3, t3, 12
        slli    t3, t3, 10
        ori     t3, t3, PTE_PTR
        sd      t3, 16(t2)
        la      t3, diff_pt_l3
        srli    t2, t2, 12
        slli    t2, t2, 10
        ori     t2, t2, PTE_PTR
        sd      t2, 0(t3)
        li      t2, 1
        la      t3, diff_pt_l2
        li      t4, 8 << 60             /* Sv39 */
        beq     t1, t2, 4f
        li      t2, 3
        beq     t1, t2, 10f
        la      t3, diff_pt_l3
        li      t4, 9 << 60             /* Sv48 */
4:      srli    t3, t3, 12
        or      t3, t3, t4
        csrw    satp, t3
        sfence.vma
        j       12f
10:     srli    t3, t3, 12              /* VS-mode: the Sv39 map is the VS-stage */
        or      t3, t3, t4
        csrw    CSR_VSATP, t3
        la      t2, diff_pt_g           /* G-stage Sv39x4: [2] RAM's GiB, one to one */
        li      t3, 2048
11:     sd      zero, 0(t2)
        addi    t2, t2, 8
        addi    t3, t3, -1
        bnez    t3, 11b
        la      t2, diff_pt_g
        li      t3, ((RAM_BASE >> 12) << 10) | PTE_LEAF | PTE_U
        sd      t3, 16(t2)
        srli    t2, t2, 12
        or      t2, t2, t4              /* Sv39x4 is mode 8 too */
        csrw    CSR_HGATP, t2
        .word   0x62000073              /* hfence.gvma */
        li      t2, MSTATUS_FS_DIRTY    /* the guest's FPU on as well */
        csrs    CSR_VSSTATUS, t2
        li      t2, 1
        slli    t2, t2, 39              /* mstatus.MPV: mret enters V=1 */
        csrs    mstatus, t2
12:     li      t1, 1 << 12             /* MPP = S */
        csrc    mstatus, t1
9:      la      t0, diff_init_f
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        fld     f\n, \n*8(t0)
        .endr
        la      x1, diff_init_x
        .irp n, 2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        ld      x\n, \n*8(x1)
        .endr
        ld      x1, 8(x1)
        mret

/* Save x1..x31 without disturbing any of them: sscratch (never touched by
 * the tests) holds x1 while x1 points at the save area. */
.macro  diff_save_regs
        csrw    sscratch, x1
        la      x1, diff_save_x
        .irp n, 2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        sd      x\n, \n*8(x1)
        .endr
        csrr    x2, sscratch
        sd      x2, 8(x1)
.endm

        .globl  diff_end
        .balign 4
diff_end:
        diff_save_regs
        li      a0, 0
        j       diff_finish

        .balign 4
diff_trap:
        diff_save_regs
        li      a0, 1
diff_finish:
        la      t0, diff_fatal
        csrw    mtvec, t0
        la      t0, diff_save_csr
        sd      a0, 0(t0)
        csrr    t1, mstatus
        sd      t1, 48(t0)
        li      t1, MSTATUS_FS_DIRTY    /* the test may have turned the FPU off */
        csrs    mstatus, t1
        csrr    t1, mcause
        sd      t1, 8(t0)
        csrr    t1, mepc
        sd      t1, 16(t0)
        csrr    t1, mtval
        sd      t1, 24(t0)
        csrr    t1, fcsr
        sd      t1, 32(t0)
        csrr    t1, mscratch
        sd      t1, 40(t0)
        la      t0, diff_save_f
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        fsd     f\n, \n*8(t0)
        .endr
        la      sp, diff_stack_top
        call    diff_dump
        li      t0, FINISHER
        li      t1, 0x5555
        sw      t1, 0(t0)
1:      wfi
        j       1b

/* Resumable traps (programs that set diff_trap_budget): while the budget
 * lasts, a trap is logged in the last 64 bytes of the scratch area (4 slots
 * of mcause, mtval, in turn) and the program resumes after the trapping
 * instruction; ecall from U-mode (the generator's way back from U) returns to
 * the program's own mode. The end ecall of an S-mode program and any trap
 * once the budget is spent go to diff_trap. T is a CSR the program never
 * touches in its mode: sscratch for M-mode programs, mscratch for S-mode ones.
 * Only traps whose mepc is readable code are generated, so the handler reads
 * the instruction there to learn its length. */
.macro  diff_trap_resume T, MPP, END=9
        csrrw   x1, \T, x1
        la      x1, diff_trap_state
        sd      x2, 8(x1)
        sd      x3, 16(x1)
        ld      x2, 0(x1)
        beqz    x2, 8f
        csrr    x3, mcause
        addi    x3, x3, -\END
        beqz    x3, 8f
        addi    x2, x2, -1
        sd      x2, 0(x1)
        ld      x2, 24(x1)              /* log slot */
        addi    x3, x2, 1
        andi    x3, x3, 3
        sd      x3, 24(x1)
        slli    x2, x2, 4
        la      x3, diff_scratch + 512 - 64
        add     x2, x2, x3
        csrr    x3, mcause
        sd      x3, 0(x2)
        csrr    x3, mtval
        sd      x3, 8(x2)
        csrr    x3, mcause
        addi    x3, x3, -8
        bnez    x3, 7f
        li      x3, 3 << 11             /* ecall from U: back to the program's mode */
        csrc    mstatus, x3
        li      x3, \MPP << 11
        csrs    mstatus, x3
7:      csrr    x3, mepc
        lhu     x2, 0(x3)
        andi    x2, x2, 3
        addi    x2, x2, -3
        addi    x3, x3, 2
        bnez    x2, 6f
        addi    x3, x3, 2
6:      csrw    mepc, x3
        ld      x2, 8(x1)
        ld      x3, 16(x1)
        csrrw   x1, \T, x1
        mret
8:      ld      x2, 8(x1)
        ld      x3, 16(x1)
        csrrw   x1, \T, x1
        j       diff_trap
.endm

        .balign 4
diff_trap_rs_m:
        diff_trap_resume sscratch, 3
        .balign 4
diff_trap_rs_s:
        diff_trap_resume mscratch, 1
        .balign 4
diff_trap_rs_v:                         /* VS-mode: its end ecall is cause 10 */
        diff_trap_resume mscratch, 1, 10

/* A trap inside the dump itself: report failure code 2 through the finisher. */
        .balign 4
diff_fatal:
        li      t0, FINISHER
        li      t1, (2 << 16) | 0x3333
        sw      t1, 0(t0)
1:      wfi
        j       1b

/* Defaults for directed programs that only define diff_body. */
        .section .data.diff_rt, "aw"
        .balign 8
        .weak   diff_init_x, diff_init_f, diff_init_csr
diff_init_x:
        .dword  0, 0, diff_scratch, 0, 0, 0, 0, 0, diff_scratch + 256
        .fill   23, 8, 0
diff_init_f:
        .fill   32, 8, 0
diff_init_csr:                          /* fcsr, mscratch, mode (0 M, 1 Sv39, 2 Sv48, 3 VS) */
        .dword  0, 0, 0

        .weak   diff_trap_budget
diff_trap_budget:                       /* traps to resume (diff_trap_resume) */
        .dword  0
diff_trap_state:                        /* budget left, x2, x3, next log slot */
        .dword  0, 0, 0, 0

        .globl  diff_save_x, diff_save_f, diff_save_csr
diff_save_x:
        .fill   32, 8, 0
diff_save_f:
        .fill   32, 8, 0
diff_save_csr:
        .fill   8, 8, 0

        .section .bss.diff_pt, "aw", @nobits
        .balign 4096
diff_pt_l0:
        .space  4096
diff_pt_l1:
        .space  4096
diff_pt_l2:
        .space  4096
diff_pt_l3:
        .space  4096
        .balign 16384
diff_pt_g:                              /* G-stage root (VS-mode programs) */
        .space  16384

        .section .data.diff_scratch, "aw"
        .balign 4096
        .weak   diff_scratch
diff_scratch:
        .fill   512, 1, 0
