/* The V=1 workload of bench/vguest.sh: a bare-metal program whose M-mode
 * part is a tiny hypervisor stub and whose workload runs either as a guest
 * (VIRT=1: VS-mode, VS-stage Sv39 over a G-stage Sv39x4 identity map) or
 * natively (VIRT=0: S-mode under the same Sv39 map), so the two times
 * compare two-stage translation with one stage. The workload: ITERS
 * passes over 4 MiB of data mapped with 4 KiB pages (1024 pages, one TLB
 * entry each), a load, an add and a store per page, and an ecall to the
 * stub every 64 passes (a VM exit, which writes hgatp and vsatp again as
 * KVM does around an exit to user space, and returns). The stub reads the
 * CLINT's mtime when it enters the workload and when the workload ends,
 * prints "vguest ticks HEX" on the UART (the workload alone, at the
 * timebase), checks the checksum against a replay in M-mode and ends
 * through the QEMU virt test finisher (pass, or fail when it is wrong).
 * Assembled with -DVIRT=0|1 -DITERS=N. */
#ifndef VIRT
#define VIRT 1
#endif
#ifndef ITERS
#define ITERS 4000
#endif
#define FINISHER  0x100000
#define UART      0x10000000
#define MTIME     0x0200bff8
#define RAM_BASE  0x80000000
#define PAGES     1024
#define LEAF      0xcf /* V R W X A D */
#define LEAF_U    0xdf /* and U: every G-stage leaf */
#define PTR       0x01

    .section .text.init, "ax"
    .option norvc
    .globl _start
_start:
    la t0, stub
    csrw mtvec, t0
    li t0, -1                           /* PMP: S/U may access everything */
    csrw pmpaddr0, t0
    li t0, 0x1f
    csrw pmpcfg0, t0
    li t0, 3 << 13                      /* FPU on (unused but for a libc-like guest) */
    csrs mstatus, t0
    /* Sv39: root [2] -> RAM's GiB one to one, but [3] (0xC000_0000, the
     * data) -> l1 -> two l0 tables of 4 KiB pages over `data`. */
    la t1, l0
    la t2, data
    srli t2, t2, 12
    slli t2, t2, 10
    ori t2, t2, LEAF
    li t3, 2 * 512
    li t4, 1 << 10
1:  sd t2, 0(t1)
    add t2, t2, t4
    addi t1, t1, 8
    addi t3, t3, -1
    bnez t3, 1b
    la t1, l1
    la t2, l0
    srli t2, t2, 12
    slli t2, t2, 10
    ori t2, t2, PTR
    sd t2, 0(t1)
    li t4, 1 << 10
    add t2, t2, t4
    sd t2, 8(t1)
    la t1, root
    li t2, ((RAM_BASE >> 12) << 10) | LEAF
    sd t2, 16(t1)
    la t2, l1
    srli t2, t2, 12
    slli t2, t2, 10
    ori t2, t2, PTR
    sd t2, 24(t1)
    la t1, root
    srli t1, t1, 12
    li t2, 8 << 60
    or t1, t1, t2
#if VIRT
    csrw 0x280, t1                      /* vsatp */
    la t1, groot                        /* G-stage: [2] and [3] one to one */
    li t2, ((RAM_BASE >> 12) << 10) | LEAF_U
    sd t2, 16(t1)
    li t2, ((0xC0000000 >> 12) << 10) | LEAF_U
    sd t2, 24(t1)
    srli t1, t1, 12
    li t2, (8 << 60) | (1 << 44)        /* Sv39x4, VMID 1 */
    or t1, t1, t2
    csrw 0x680, t1                      /* hgatp */
    .word 0x62000073                    /* hfence.gvma */
    li t1, 1
    slli t1, t1, 39                     /* MPV */
    csrs mstatus, t1
#else
    csrw satp, t1
    sfence.vma
#endif
    li t1, 3 << 11
    csrc mstatus, t1
    li t1, 1 << 11                      /* MPP = S */
    csrs mstatus, t1
    la t1, work
    csrw mepc, t1
    li t1, MTIME
    ld t1, 0(t1)
    la t2, t_start
    sd t1, 0(t2)
    mret

/* The hypervisor stub: an ecall from the workload (cause 10 from VS, 9
 * from S) returns after it; a0 = 0 ends the run with the workload's sum in
 * a1. Anything else fails. */
    .balign 4
stub:
    csrr t5, mcause
    li t6, 10 - !VIRT
    bne t5, t6, bad
    beqz a0, done
#if VIRT
    /* As KVM's vcpu_put/vcpu_load around an exit to user space: hgatp and
     * vsatp written again (the same values). */
    csrr t5, 0x680
    csrw 0x680, t5
    csrr t5, 0x280
    csrw 0x280, t5
#endif
    csrr t5, mepc
    addi t5, t5, 4
    csrw mepc, t5
    mret
done:
    li t0, MTIME
    ld s6, 0(t0)
    la t0, t_start
    ld t0, 0(t0)
    sub s6, s6, t0                      /* ticks of the workload */
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
    /* The expected sum: the same passes over `model`, untranslated. */
    la t4, model
    li s0, ITERS
    li s1, 0
    li s3, 1
5:  andi t0, s1, 511
    slli t0, t0, 3
    add t1, t4, t0
    li t2, PAGES
6:  ld t3, 0(t1)
    add s3, s3, t3
    sd s3, 0(t1)
    li t3, 4096
    add t1, t1, t3
    addi t2, t2, -1
    bnez t2, 6b
    addi s1, s1, 1
    bne s1, s0, 5b
    bne a1, s3, bad
    li t5, FINISHER
    li t6, 0x5555
    sw t6, 0(t5)
1:  j 1b
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

/* The workload (guest): ITERS passes, each over PAGES pages at
 * 0xC000_0000 (the word offset rotating with the pass), adding each word
 * into a running sum and storing the sum back; the stub replays it on an
 * untranslated copy, so a wrong translation shows. */
    .balign 4
work:
    li s0, ITERS
    li s1, 0                            /* pass */
    li s2, 1                            /* running sum */
    li s4, 0xC0000000
    li s5, 4096
2:  andi t0, s1, 511
    slli t0, t0, 3                      /* offset in each page */
    add t1, s4, t0
    li t2, PAGES
3:  ld t3, 0(t1)
    add s2, s2, t3
    sd s2, 0(t1)
    add t1, t1, s5
    addi t2, t2, -1
    bnez t2, 3b
    addi s1, s1, 1
    andi t0, s1, 63
    bnez t0, 4f
    li a0, 1
    ecall                               /* a VM exit */
4:  bne s1, s0, 2b
    mv a1, s2
    li a0, 0
    ecall

    .section .rodata
msg:
    .asciz "vguest ticks 0x"

    .data
    .balign 8
t_start:
    .dword 0

    .bss
    .balign 16384
groot:
    .space 16384
root:
    .space 4096
l1:
    .space 4096
l0:
    .space 2 * 4096
    .balign 4096
data:
    .space PAGES * 4096
model:
    .space PAGES * 4096
