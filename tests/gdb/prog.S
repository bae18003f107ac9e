/* The bare-metal program tests/gdb/gdb_test.py debugs, under rvmm and
 * under QEMU (the oracle), on the QEMU virt layout in M-mode (--bios none).
 * Hart 0 calls work (a taken branch, a load, an ecall that traps and is
 * skipped by trap_handler), then count_loop (three stores to counter),
 * then hot_loop, then exits through the sifive test finisher with status
 * a1 (7 unless a debugger changed it). The other harts sleep in park. */
    .section .text.init
    .globl _start
_start:
    csrr t0, mhartid
    bnez t0, park
    la sp, stack_top
    la t0, trap_handler
    csrw mtvec, t0
    li a1, 7
    call work
    call count_loop
    call hot_loop
    .globl finish
    .type finish, @function
finish:
    slli t0, a1, 16
    li t1, 0x3333
    or t0, t0, t1
    li t1, 0x100000
    sw t0, 0(t1)
1:  j 1b

    .globl work
    .type work, @function
work:
    bnez a1, 1f
    li a1, 99
1:  la a3, value
    ld a2, 0(a3)
    ecall
    addi a2, a2, 1
    ret

    .globl count_loop
    .type count_loop, @function
count_loop:
    la t1, counter
    li t2, 3
1:  ld t0, 0(t1)
    addi t0, t0, 1
    sd t0, 0(t1)
    addi t2, t2, -1
    bnez t2, 1b
    ret

    /* A loop hot enough for the JIT to build a region (once no breakpoint
     * is set: the gdb test checks --stats says it did). */
    .globl hot_loop
    .type hot_loop, @function
hot_loop:
    li t2, 20000
1:  addi t2, t2, -1
    bnez t2, 1b
    ret

    .globl trap_handler
    .type trap_handler, @function
    .balign 4
trap_handler:
    csrr t5, mepc
    addi t5, t5, 4
    csrw mepc, t5
    mret

    .globl park
    .type park, @function
park:
    wfi
    j park

    .data
    .balign 8
    .globl value, table, counter
value:   .dword 0x1122334455667788
table:   .dword 0x1111, 0x2222, 0x3333, 0x4444
counter: .dword 0

    .bss
    .balign 16
    .space 4096
stack_top:
