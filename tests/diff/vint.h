/* The body of the vector integer differential programs (directed/vint*.S,
 * one per VLEN): every integer instruction of V chapter 11 that QEMU 7.2
 * implements, unmasked and masked (v0.t), at every legal SEW x LMUL, the
 * tail and mask policies alternating (tu,mu / ta,ma), vl = VLMAX - 1 so
 * there is a tail, and a few with vstart > 0. The destination group v8..v15
 * starts from the same pattern before each instruction; afterwards it is
 * folded into a hash kept in the scratch area (slot by slot, wrapping), so
 * the dump compares every result with QEMU's and a difference points at
 * its neighbourhood. Sources: v16 (vs2), v24 (vs1), v0 (mask), a5 (rs1). */

#define SLOTS 60

        .macro RESET
        la      t1, vpat
        vl8re8.v v8, (t1)
        .endm

        /* Fold v8..v15 into s0, store s0 in the next slot. */
        .macro HASH
        la      t1, vout
        vs8r.v  v8, (t1)
        csrr    t2, vlenb
1:      ld      t3, 0(t1)
        xor     s0, s0, t3
        mul     s0, s0, s2
        srli    t4, s0, 29
        xor     s0, s0, t4
        addi    t1, t1, 8
        addi    t2, t2, -1
        bnez    t2, 1b
        sd      s0, 0(s1)
        addi    s1, s1, 8
        bne     s1, s3, 2f
        la      s1, diff_scratch
2:
        .endm

        .macro T insn:vararg
        RESET
        \insn
        HASH
        .endm

        /* insn unmasked and masked. */
        .macro TM op, args:vararg
        T \op \args
        T \op \args, v0.t
        .endm

        .macro OPS_SINGLE
        TM vadd.vv, v8, v16, v24
        TM vadd.vx, v8, v16, a5
        TM vadd.vi, v8, v16, -7
        TM vsub.vv, v8, v16, v24
        TM vsub.vx, v8, v16, a5
        TM vrsub.vx, v8, v16, a5
        TM vrsub.vi, v8, v16, 11
        TM vminu.vv, v8, v16, v24
        TM vminu.vx, v8, v16, a5
        TM vmin.vv, v8, v16, v24
        TM vmin.vx, v8, v16, a5
        TM vmaxu.vv, v8, v16, v24
        TM vmaxu.vx, v8, v16, a5
        TM vmax.vv, v8, v16, v24
        TM vmax.vx, v8, v16, a5
        TM vand.vv, v8, v16, v24
        TM vand.vx, v8, v16, a5
        TM vand.vi, v8, v16, -6
        TM vor.vv, v8, v16, v24
        TM vor.vx, v8, v16, a5
        TM vor.vi, v8, v16, 5
        TM vxor.vv, v8, v16, v24
        TM vxor.vx, v8, v16, a5
        TM vxor.vi, v8, v16, -1
        TM vsll.vv, v8, v16, v24
        TM vsll.vx, v8, v16, a5
        TM vsll.vi, v8, v16, 31
        TM vsrl.vv, v8, v16, v24
        TM vsrl.vx, v8, v16, a5
        TM vsrl.vi, v8, v16, 3
        TM vsra.vv, v8, v16, v24
        TM vsra.vx, v8, v16, a5
        TM vsra.vi, v8, v16, 17
        TM vmseq.vv, v8, v16, v24
        TM vmseq.vx, v8, v16, a5
        TM vmseq.vi, v8, v16, 3
        TM vmsne.vv, v8, v16, v24
        TM vmsne.vx, v8, v16, a5
        TM vmsne.vi, v8, v16, -16
        TM vmsltu.vv, v8, v16, v24
        TM vmsltu.vx, v8, v16, a5
        TM vmslt.vv, v8, v16, v24
        TM vmslt.vx, v8, v16, a5
        TM vmsleu.vv, v8, v16, v24
        TM vmsleu.vx, v8, v16, a5
        TM vmsleu.vi, v8, v16, -2
        TM vmsle.vv, v8, v16, v24
        TM vmsle.vx, v8, v16, a5
        TM vmsle.vi, v8, v16, 7
        TM vmsgtu.vx, v8, v16, a5
        TM vmsgtu.vi, v8, v16, 9
        TM vmsgt.vx, v8, v16, a5
        TM vmsgt.vi, v8, v16, -9
        TM vdivu.vv, v8, v16, v24
        TM vdivu.vx, v8, v16, a5
        TM vdiv.vv, v8, v16, v24
        TM vdiv.vx, v8, v16, a6
        TM vremu.vv, v8, v16, v24
        TM vremu.vx, v8, v16, a5
        TM vrem.vv, v8, v16, v24
        TM vrem.vx, v8, v16, a6
        TM vmulhu.vv, v8, v16, v24
        TM vmulhu.vx, v8, v16, a5
        TM vmul.vv, v8, v16, v24
        TM vmul.vx, v8, v16, a5
        TM vmulhsu.vv, v8, v16, v24
        TM vmulhsu.vx, v8, v16, a5
        TM vmulh.vv, v8, v16, v24
        TM vmulh.vx, v8, v16, a5
        TM vmadd.vv, v8, v24, v16
        TM vmadd.vx, v8, a5, v16
        TM vnmsub.vv, v8, v24, v16
        TM vnmsub.vx, v8, a5, v16
        TM vmacc.vv, v8, v24, v16
        TM vmacc.vx, v8, a5, v16
        TM vnmsac.vv, v8, v24, v16
        TM vnmsac.vx, v8, a5, v16
        T vadc.vvm v8, v16, v24, v0
        T vadc.vxm v8, v16, a5, v0
        T vadc.vim v8, v16, -5, v0
        T vsbc.vvm v8, v16, v24, v0
        T vsbc.vxm v8, v16, a5, v0
        T vmadc.vvm v8, v16, v24, v0
        T vmadc.vxm v8, v16, a5, v0
        T vmadc.vim v8, v16, 15, v0
        T vmadc.vv v8, v16, v24
        T vmadc.vx v8, v16, a5
        T vmadc.vi v8, v16, -15
        T vmsbc.vvm v8, v16, v24, v0
        T vmsbc.vxm v8, v16, a5, v0
        T vmsbc.vv v8, v16, v24
        T vmsbc.vx v8, v16, a5
        T vmerge.vvm v8, v16, v24, v0
        T vmerge.vxm v8, v16, a5, v0
        T vmerge.vim v8, v16, -3, v0
        T vmv.v.v v8, v24
        T vmv.v.x v8, a5
        T vmv.v.i v8, -11
        /* vstart > 0: elements below it stay */
        T csrwi vstart, 1; vadd.vv v8, v16, v24
        T csrwi vstart, 2; vmseq.vv v8, v16, v16, v0.t
        T csrwi vstart, 1; vmacc.vx v8, a5, v16
        .endm

        /* 2 * SEW <= 64 and 2 * LMUL <= 8 */
        .macro OPS_WIDE
        TM vwaddu.vv, v8, v16, v24
        TM vwaddu.vx, v8, v16, a5
        TM vwadd.vv, v8, v16, v24
        TM vwadd.vx, v8, v16, a5
        TM vwsubu.vv, v8, v16, v24
        TM vwsubu.vx, v8, v16, a5
        TM vwsub.vv, v8, v16, v24
        TM vwsub.vx, v8, v16, a5
        TM vwaddu.wv, v8, v16, v24
        TM vwaddu.wx, v8, v16, a5
        TM vwadd.wv, v8, v16, v24
        TM vwadd.wx, v8, v16, a5
        TM vwsubu.wv, v8, v16, v24
        TM vwsubu.wx, v8, v16, a5
        TM vwsub.wv, v8, v16, v24
        TM vwsub.wx, v8, v16, a5
        TM vwmulu.vv, v8, v16, v24
        TM vwmulu.vx, v8, v16, a5
        TM vwmulsu.vv, v8, v16, v24
        TM vwmulsu.vx, v8, v16, a5
        TM vwmul.vv, v8, v16, v24
        TM vwmul.vx, v8, v16, a5
        TM vwmaccu.vv, v8, v24, v16
        TM vwmaccu.vx, v8, a5, v16
        TM vwmacc.vv, v8, v24, v16
        TM vwmacc.vx, v8, a5, v16
        TM vwmaccsu.vv, v8, v24, v16
        TM vwmaccsu.vx, v8, a5, v16
        TM vwmaccus.vx, v8, a5, v16
        TM vnsrl.wv, v8, v16, v24
        TM vnsrl.wx, v8, v16, a5
        TM vnsrl.wi, v8, v16, 19
        TM vnsra.wv, v8, v16, v24
        TM vnsra.wx, v8, v16, a5
        TM vnsra.wi, v8, v16, 4
        .endm

        .macro OPS_EXT2
        TM vzext.vf2, v8, v16
        TM vsext.vf2, v8, v16
        .endm
        .macro OPS_EXT4
        TM vzext.vf4, v8, v16
        TM vsext.vf4, v8, v16
        .endm
        .macro OPS_EXT8
        TM vzext.vf8, v8, v16
        TM vsext.vf8, v8, v16
        .endm

        /* Configure vl = VLMAX - 1 (or 1) under vt, then run the groups
         * whose flags are set. */
        .macro CFG sew, lmul, pol, wide, ext2, ext4, ext8
        vsetvli t0, x0, \sew, \lmul, \pol
        addi    t0, t0, -1
        bnez    t0, 3f
        li      t0, 1
3:      vsetvli x0, t0, \sew, \lmul, \pol
        OPS_SINGLE
        .if \wide
        OPS_WIDE
        .endif
        .if \ext2
        OPS_EXT2
        .endif
        .if \ext4
        OPS_EXT4
        .endif
        .if \ext8
        OPS_EXT8
        .endif
        .endm

        .option arch, +v
        .text
        .globl diff_body
diff_body:
        li      t0, 1 << 9              /* mstatus.VS = Initial */
        csrs    mstatus, t0
        /* 8 KiB of pattern: an LCG, with some 0 and -1 doublewords so
         * divisions by zero and overflows happen */
        la      t0, vpat
        li      t1, 1024
        li      t2, 0x9e3779b97f4a7c15
        li      t3, 6364136223846793005
        li      t4, 1442695040888963407
1:      mul     t2, t2, t3
        add     t2, t2, t4
        sd      t2, 0(t0)
        andi    t5, t1, 15
        bnez    t5, 2f
        sd      zero, 0(t0)
2:      andi    t5, t1, 31
        li      t6, 7
        bne     t5, t6, 2f
        li      t6, -1
        sd      t6, 0(t0)
2:      addi    t0, t0, 8
        addi    t1, t1, -1
        bnez    t1, 1b
        /* sources: v16..v31 and v0 from the pattern's second half */
        la      t0, vpat + 4096
        vl8re8.v v16, (t0)
        csrr    t1, vlenb
        slli    t1, t1, 3
        add     t0, t0, t1
        vl8re8.v v24, (t0)
        la      t0, vpat + 123
        vl1re8.v v0, (t0)
        li      a5, 0x8000000000000005
        li      a6, -1
        li      s0, 0xcbf29ce484222325
        li      s2, 0x100000001b3
        la      s1, diff_scratch
        la      s3, diff_scratch + 8 * SLOTS
        /* every legal SEW x LMUL (a fractional LMUL takes SEW <= LMUL * 64) */
        CFG e8, mf8, "tu, mu", 1, 0, 0, 0
        CFG e8, mf4, "ta, ma", 1, 0, 0, 0
        CFG e8, mf2, "tu, mu", 1, 0, 0, 0
        CFG e8, m1, "ta, ma", 1, 0, 0, 0
        CFG e8, m2, "tu, mu", 1, 0, 0, 0
        CFG e8, m4, "ta, ma", 1, 0, 0, 0
        CFG e8, m8, "tu, mu", 0, 0, 0, 0
        CFG e16, mf4, "ta, ma", 1, 1, 0, 0
        CFG e16, mf2, "tu, mu", 1, 1, 0, 0
        CFG e16, m1, "ta, ma", 1, 1, 0, 0
        CFG e16, m2, "tu, mu", 1, 1, 0, 0
        CFG e16, m4, "ta, ma", 1, 1, 0, 0
        CFG e16, m8, "tu, mu", 0, 1, 0, 0
        CFG e32, mf2, "ta, ma", 1, 1, 1, 0
        CFG e32, m1, "tu, mu", 1, 1, 1, 0
        CFG e32, m2, "ta, ma", 1, 1, 1, 0
        CFG e32, m4, "tu, mu", 1, 1, 1, 0
        CFG e32, m8, "ta, ma", 0, 1, 1, 0
        CFG e64, m1, "tu, mu", 0, 1, 1, 1
        CFG e64, m2, "ta, ma", 0, 1, 1, 1
        CFG e64, m4, "tu, mu", 0, 1, 1, 1
        CFG e64, m8, "ta, ma", 0, 1, 1, 1
        j       diff_end

        .bss
        .balign 64
vpat:   .skip 8192
vout:   .skip 1024
