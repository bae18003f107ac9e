/* The body of the vector load/store differential programs (directed/
 * vmem*.S, one per VLEN): unit-stride at every EEW whose EMUL is legal,
 * strided (positive and negative strides), indexed unordered and ordered
 * with index EEWs of every legal EMUL, segment loads and stores (unit and
 * strided, 2, 3, 4 and 8 fields where EMUL * NFIELDS <= 8), mask loads and
 * stores, at every legal SEW x LMUL, unmasked and masked, the policies
 * alternating, vl = VLMAX - 1. Before each instruction the destination
 * group v8..v15 and the 4.5 KiB output buffer start from the same
 * pattern; afterwards both are folded into a running hash stored slot by
 * slot in the scratch area, which the dump compares with QEMU's. Sources:
 * v16.. (store data), v24.. (indices), v0 (mask), a0 (pattern), a1 (stride
 * 8), a3/a4 (pattern + 8 KiB, stride -16), s4 (output buffer). */

#define SLOTS   60
#define OUTSIZE 4608

        .macro RESET
        la      t1, vpat
        la      t2, vout
        li      t3, OUTSIZE
        csrr    t4, vlenb
        slli    t4, t4, 3
4:      vl8re8.v v8, (t1)
        vs8r.v  v8, (t2)
        add     t1, t1, t4
        add     t2, t2, t4
        sub     t3, t3, t4
        bgtz    t3, 4b
        la      t1, vpat + 64
        vl8re8.v v8, (t1)
        .endm

        /* Fold v8..v15 and the output buffer into s0, store s0 in the next
         * slot. */
        .macro HASH
        la      t1, vreg
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
        la      t1, vout
        li      t2, OUTSIZE / 8
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

        .macro TM op, args:vararg
        T \op \args
        T \op \args, v0.t
        .endm

        /* vl = VLMAX - 1 (or 1) under the configuration; t5 keeps it. */
        .macro CFG sew, lmul, pol
        vsetvli t5, x0, \sew, \lmul, \pol
        addi    t5, t5, -1
        bnez    t5, 3f
        li      t5, 1
3:      vsetvli x0, t5, \sew, \lmul, \pol
        .endm

        /* Index buffer idxW: 1024 elements of W bits, element k =
         * ((k * 37) % 31) * 8 (aligned for every data EEW, below 256). */
        .macro IDX w, store
        la      t0, idx\w
        li      t1, 0
1:      li      t2, 37
        mul     t2, t1, t2
        li      t3, 31
        remu    t2, t2, t3
        slli    t2, t2, 3
        \store  t2, 0(t0)
        addi    t0, t0, \w / 8
        addi    t1, t1, 1
        li      t3, 1024
        bne     t1, t3, 1b
        .endm

        .option arch, +v
        .text
        .globl diff_body
diff_body:
        li      t0, 1 << 9              /* mstatus.VS = Initial */
        csrs    mstatus, t0
        la      t0, vpat                /* 16 KiB of LCG pattern */
        li      t1, 2048
        li      t2, 0x9e3779b97f4a7c15
        li      t3, 6364136223846793005
        li      t4, 1442695040888963407
1:      mul     t2, t2, t3
        add     t2, t2, t4
        sd      t2, 0(t0)
        addi    t0, t0, 8
        addi    t1, t1, -1
        bnez    t1, 1b
        IDX     8, sb
        IDX     16, sh
        IDX     32, sw
        IDX     64, sd
        la      t0, vpat + 8192
        vl8re8.v v16, (t0)
        la      t0, vpat + 77
        vl1re8.v v0, (t0)
        la      a0, vpat
        li      a1, 8
        la      a3, vpat + 8192
        li      a4, -16
        la      s4, vout
        li      s0, 0xcbf29ce484222325
        li      s2, 0x100000001b3
        la      s1, diff_scratch
        la      s3, diff_scratch + 8 * SLOTS
        /* whole registers, whatever vtype is */
        vsetivli x0, 1, e8, m1, ta, ma
        T vl1re8.v v8, (a0)
        T vl2re16.v v8, (a0)
        T vl4re32.v v8, (a0)
        T vl8re64.v v8, (a0)
        T vs1r.v v16, (s4)
        T vs2r.v v16, (s4)
        T vs4r.v v16, (s4)
        T vs8r.v v16, (s4)
        /* every legal SEW x LMUL */
        CFG e8, mf8, "tu, mu"
        TM vle8.v, v8, (a0)
        TM vlse8.v, v8, (a0), a1
        TM vlse8.v, v8, (a3), a4
        la a2, idx8
        vle8.v v24, (a2)
        TM vluxei8.v, v8, (a0), v24
        TM vloxei8.v, v8, (a0), v24
        TM vse8.v, v16, (s4)
        TM vsse8.v, v16, (s4), a1
        TM vsuxei8.v, v16, (s4), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle16.v, v8, (a0)
        TM vse16.v, v16, (s4)
        la a2, idx16
        vsetvli t6, x0, e16, mf4, tu, mu
        vle16.v v24, (a2)
        vsetvli x0, t5, e8, mf8, tu, mu
        TM vluxei16.v, v8, (a0), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vle32.v, v8, (a0)
        TM vse32.v, v16, (s4)
        la a2, idx32
        vsetvli t6, x0, e32, mf2, tu, mu
        vle32.v v24, (a2)
        vsetvli x0, t5, e8, mf8, tu, mu
        TM vluxei32.v, v8, (a0), v24
        TM vsoxei32.v, v16, (s4), v24
        TM vle64.v, v8, (a0)
        TM vse64.v, v16, (s4)
        la a2, idx64
        vsetvli t6, x0, e64, m1, tu, mu
        vle64.v v24, (a2)
        vsetvli x0, t5, e8, mf8, tu, mu
        TM vluxei64.v, v8, (a0), v24
        TM vsoxei64.v, v16, (s4), v24
        TM vlseg2e8.v, v8, (a0)
        TM vlsseg2e8.v, v8, (a0), a1
        TM vsseg2e8.v, v16, (s4)
        TM vlseg3e8.v, v8, (a0)
        TM vlsseg3e8.v, v8, (a0), a1
        TM vsseg3e8.v, v16, (s4)
        TM vlseg4e8.v, v8, (a0)
        TM vlsseg4e8.v, v8, (a0), a1
        TM vsseg4e8.v, v16, (s4)
        TM vlseg8e8.v, v8, (a0)
        TM vlsseg8e8.v, v8, (a0), a1
        TM vsseg8e8.v, v16, (s4)
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e8, mf4, "ta, ma"
        TM vle8.v, v8, (a0)
        TM vlse8.v, v8, (a0), a1
        TM vlse8.v, v8, (a3), a4
        la a2, idx8
        vle8.v v24, (a2)
        TM vluxei8.v, v8, (a0), v24
        TM vloxei8.v, v8, (a0), v24
        TM vse8.v, v16, (s4)
        TM vsse8.v, v16, (s4), a1
        TM vsuxei8.v, v16, (s4), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle16.v, v8, (a0)
        TM vse16.v, v16, (s4)
        la a2, idx16
        vsetvli t6, x0, e16, mf2, tu, mu
        vle16.v v24, (a2)
        vsetvli x0, t5, e8, mf4, ta, ma
        TM vluxei16.v, v8, (a0), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vle32.v, v8, (a0)
        TM vse32.v, v16, (s4)
        la a2, idx32
        vsetvli t6, x0, e32, m1, tu, mu
        vle32.v v24, (a2)
        vsetvli x0, t5, e8, mf4, ta, ma
        TM vluxei32.v, v8, (a0), v24
        TM vsoxei32.v, v16, (s4), v24
        TM vle64.v, v8, (a0)
        TM vse64.v, v16, (s4)
        la a2, idx64
        vsetvli t6, x0, e64, m2, tu, mu
        vle64.v v24, (a2)
        vsetvli x0, t5, e8, mf4, ta, ma
        TM vluxei64.v, v8, (a0), v24
        TM vsoxei64.v, v16, (s4), v24
        TM vlseg2e8.v, v8, (a0)
        TM vlsseg2e8.v, v8, (a0), a1
        TM vsseg2e8.v, v16, (s4)
        TM vlseg3e8.v, v8, (a0)
        TM vlsseg3e8.v, v8, (a0), a1
        TM vsseg3e8.v, v16, (s4)
        TM vlseg4e8.v, v8, (a0)
        TM vlsseg4e8.v, v8, (a0), a1
        TM vsseg4e8.v, v16, (s4)
        TM vlseg8e8.v, v8, (a0)
        TM vlsseg8e8.v, v8, (a0), a1
        TM vsseg8e8.v, v16, (s4)
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e8, mf2, "tu, mu"
        TM vle8.v, v8, (a0)
        TM vlse8.v, v8, (a0), a1
        TM vlse8.v, v8, (a3), a4
        la a2, idx8
        vle8.v v24, (a2)
        TM vluxei8.v, v8, (a0), v24
        TM vloxei8.v, v8, (a0), v24
        TM vse8.v, v16, (s4)
        TM vsse8.v, v16, (s4), a1
        TM vsuxei8.v, v16, (s4), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle16.v, v8, (a0)
        TM vse16.v, v16, (s4)
        la a2, idx16
        vsetvli t6, x0, e16, m1, tu, mu
        vle16.v v24, (a2)
        vsetvli x0, t5, e8, mf2, tu, mu
        TM vluxei16.v, v8, (a0), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vle32.v, v8, (a0)
        TM vse32.v, v16, (s4)
        la a2, idx32
        vsetvli t6, x0, e32, m2, tu, mu
        vle32.v v24, (a2)
        vsetvli x0, t5, e8, mf2, tu, mu
        TM vluxei32.v, v8, (a0), v24
        TM vsoxei32.v, v16, (s4), v24
        TM vle64.v, v8, (a0)
        TM vse64.v, v16, (s4)
        la a2, idx64
        vsetvli t6, x0, e64, m4, tu, mu
        vle64.v v24, (a2)
        vsetvli x0, t5, e8, mf2, tu, mu
        TM vluxei64.v, v8, (a0), v24
        TM vsoxei64.v, v16, (s4), v24
        TM vlseg2e8.v, v8, (a0)
        TM vlsseg2e8.v, v8, (a0), a1
        TM vsseg2e8.v, v16, (s4)
        TM vlseg3e8.v, v8, (a0)
        TM vlsseg3e8.v, v8, (a0), a1
        TM vsseg3e8.v, v16, (s4)
        TM vlseg4e8.v, v8, (a0)
        TM vlsseg4e8.v, v8, (a0), a1
        TM vsseg4e8.v, v16, (s4)
        TM vlseg8e8.v, v8, (a0)
        TM vlsseg8e8.v, v8, (a0), a1
        TM vsseg8e8.v, v16, (s4)
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e8, m1, "ta, ma"
        TM vle8.v, v8, (a0)
        TM vlse8.v, v8, (a0), a1
        TM vlse8.v, v8, (a3), a4
        la a2, idx8
        vle8.v v24, (a2)
        TM vluxei8.v, v8, (a0), v24
        TM vloxei8.v, v8, (a0), v24
        TM vse8.v, v16, (s4)
        TM vsse8.v, v16, (s4), a1
        TM vsuxei8.v, v16, (s4), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle16.v, v8, (a0)
        TM vse16.v, v16, (s4)
        la a2, idx16
        vsetvli t6, x0, e16, m2, tu, mu
        vle16.v v24, (a2)
        vsetvli x0, t5, e8, m1, ta, ma
        TM vluxei16.v, v8, (a0), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vle32.v, v8, (a0)
        TM vse32.v, v16, (s4)
        la a2, idx32
        vsetvli t6, x0, e32, m4, tu, mu
        vle32.v v24, (a2)
        vsetvli x0, t5, e8, m1, ta, ma
        TM vluxei32.v, v8, (a0), v24
        TM vsoxei32.v, v16, (s4), v24
        TM vle64.v, v8, (a0)
        TM vse64.v, v16, (s4)
        la a2, idx64
        vsetvli t6, x0, e64, m8, tu, mu
        vle64.v v24, (a2)
        vsetvli x0, t5, e8, m1, ta, ma
        TM vluxei64.v, v8, (a0), v24
        TM vsoxei64.v, v16, (s4), v24
        TM vlseg2e8.v, v8, (a0)
        TM vlsseg2e8.v, v8, (a0), a1
        TM vsseg2e8.v, v16, (s4)
        TM vlseg3e8.v, v8, (a0)
        TM vlsseg3e8.v, v8, (a0), a1
        TM vsseg3e8.v, v16, (s4)
        TM vlseg4e8.v, v8, (a0)
        TM vlsseg4e8.v, v8, (a0), a1
        TM vsseg4e8.v, v16, (s4)
        TM vlseg8e8.v, v8, (a0)
        TM vlsseg8e8.v, v8, (a0), a1
        TM vsseg8e8.v, v16, (s4)
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e8, m2, "tu, mu"
        TM vle8.v, v8, (a0)
        TM vlse8.v, v8, (a0), a1
        TM vlse8.v, v8, (a3), a4
        la a2, idx8
        vle8.v v24, (a2)
        TM vluxei8.v, v8, (a0), v24
        TM vloxei8.v, v8, (a0), v24
        TM vse8.v, v16, (s4)
        TM vsse8.v, v16, (s4), a1
        TM vsuxei8.v, v16, (s4), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle16.v, v8, (a0)
        TM vse16.v, v16, (s4)
        la a2, idx16
        vsetvli t6, x0, e16, m4, tu, mu
        vle16.v v24, (a2)
        vsetvli x0, t5, e8, m2, tu, mu
        TM vluxei16.v, v8, (a0), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vle32.v, v8, (a0)
        TM vse32.v, v16, (s4)
        la a2, idx32
        vsetvli t6, x0, e32, m8, tu, mu
        vle32.v v24, (a2)
        vsetvli x0, t5, e8, m2, tu, mu
        TM vluxei32.v, v8, (a0), v24
        TM vsoxei32.v, v16, (s4), v24
        TM vlseg2e8.v, v8, (a0)
        TM vlsseg2e8.v, v8, (a0), a1
        TM vsseg2e8.v, v16, (s4)
        TM vlseg3e8.v, v8, (a0)
        TM vlsseg3e8.v, v8, (a0), a1
        TM vsseg3e8.v, v16, (s4)
        TM vlseg4e8.v, v8, (a0)
        TM vlsseg4e8.v, v8, (a0), a1
        TM vsseg4e8.v, v16, (s4)
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e8, m4, "ta, ma"
        TM vle8.v, v8, (a0)
        TM vlse8.v, v8, (a0), a1
        TM vlse8.v, v8, (a3), a4
        la a2, idx8
        vle8.v v24, (a2)
        TM vluxei8.v, v8, (a0), v24
        TM vloxei8.v, v8, (a0), v24
        TM vse8.v, v16, (s4)
        TM vsse8.v, v16, (s4), a1
        TM vsuxei8.v, v16, (s4), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle16.v, v8, (a0)
        TM vse16.v, v16, (s4)
        la a2, idx16
        vsetvli t6, x0, e16, m8, tu, mu
        vle16.v v24, (a2)
        vsetvli x0, t5, e8, m4, ta, ma
        TM vluxei16.v, v8, (a0), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vlseg2e8.v, v8, (a0)
        TM vlsseg2e8.v, v8, (a0), a1
        TM vsseg2e8.v, v16, (s4)
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e8, m8, "tu, mu"
        TM vle8.v, v8, (a0)
        TM vlse8.v, v8, (a0), a1
        TM vlse8.v, v8, (a3), a4
        la a2, idx8
        vle8.v v24, (a2)
        TM vluxei8.v, v8, (a0), v24
        TM vloxei8.v, v8, (a0), v24
        TM vse8.v, v16, (s4)
        TM vsse8.v, v16, (s4), a1
        TM vsuxei8.v, v16, (s4), v24
        TM vsoxei8.v, v16, (s4), v24
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e16, mf4, "ta, ma"
        TM vle16.v, v8, (a0)
        TM vlse16.v, v8, (a0), a1
        TM vlse16.v, v8, (a3), a4
        la a2, idx16
        vle16.v v24, (a2)
        TM vluxei16.v, v8, (a0), v24
        TM vloxei16.v, v8, (a0), v24
        TM vse16.v, v16, (s4)
        TM vsse16.v, v16, (s4), a1
        TM vsuxei16.v, v16, (s4), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vle8.v, v8, (a0)
        TM vse8.v, v16, (s4)
        la a2, idx8
        vsetvli t6, x0, e8, mf8, tu, mu
        vle8.v v24, (a2)
        vsetvli x0, t5, e16, mf4, ta, ma
        TM vluxei8.v, v8, (a0), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle32.v, v8, (a0)
        TM vse32.v, v16, (s4)
        la a2, idx32
        vsetvli t6, x0, e32, mf2, tu, mu
        vle32.v v24, (a2)
        vsetvli x0, t5, e16, mf4, ta, ma
        TM vluxei32.v, v8, (a0), v24
        TM vsoxei32.v, v16, (s4), v24
        TM vle64.v, v8, (a0)
        TM vse64.v, v16, (s4)
        la a2, idx64
        vsetvli t6, x0, e64, m1, tu, mu
        vle64.v v24, (a2)
        vsetvli x0, t5, e16, mf4, ta, ma
        TM vluxei64.v, v8, (a0), v24
        TM vsoxei64.v, v16, (s4), v24
        TM vlseg2e16.v, v8, (a0)
        TM vlsseg2e16.v, v8, (a0), a1
        TM vsseg2e16.v, v16, (s4)
        TM vlseg3e16.v, v8, (a0)
        TM vlsseg3e16.v, v8, (a0), a1
        TM vsseg3e16.v, v16, (s4)
        TM vlseg4e16.v, v8, (a0)
        TM vlsseg4e16.v, v8, (a0), a1
        TM vsseg4e16.v, v16, (s4)
        TM vlseg8e16.v, v8, (a0)
        TM vlsseg8e16.v, v8, (a0), a1
        TM vsseg8e16.v, v16, (s4)
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e16, mf2, "tu, mu"
        TM vle16.v, v8, (a0)
        TM vlse16.v, v8, (a0), a1
        TM vlse16.v, v8, (a3), a4
        la a2, idx16
        vle16.v v24, (a2)
        TM vluxei16.v, v8, (a0), v24
        TM vloxei16.v, v8, (a0), v24
        TM vse16.v, v16, (s4)
        TM vsse16.v, v16, (s4), a1
        TM vsuxei16.v, v16, (s4), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vle8.v, v8, (a0)
        TM vse8.v, v16, (s4)
        la a2, idx8
        vsetvli t6, x0, e8, mf4, tu, mu
        vle8.v v24, (a2)
        vsetvli x0, t5, e16, mf2, tu, mu
        TM vluxei8.v, v8, (a0), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle32.v, v8, (a0)
        TM vse32.v, v16, (s4)
        la a2, idx32
        vsetvli t6, x0, e32, m1, tu, mu
        vle32.v v24, (a2)
        vsetvli x0, t5, e16, mf2, tu, mu
        TM vluxei32.v, v8, (a0), v24
        TM vsoxei32.v, v16, (s4), v24
        TM vle64.v, v8, (a0)
        TM vse64.v, v16, (s4)
        la a2, idx64
        vsetvli t6, x0, e64, m2, tu, mu
        vle64.v v24, (a2)
        vsetvli x0, t5, e16, mf2, tu, mu
        TM vluxei64.v, v8, (a0), v24
        TM vsoxei64.v, v16, (s4), v24
        TM vlseg2e16.v, v8, (a0)
        TM vlsseg2e16.v, v8, (a0), a1
        TM vsseg2e16.v, v16, (s4)
        TM vlseg3e16.v, v8, (a0)
        TM vlsseg3e16.v, v8, (a0), a1
        TM vsseg3e16.v, v16, (s4)
        TM vlseg4e16.v, v8, (a0)
        TM vlsseg4e16.v, v8, (a0), a1
        TM vsseg4e16.v, v16, (s4)
        TM vlseg8e16.v, v8, (a0)
        TM vlsseg8e16.v, v8, (a0), a1
        TM vsseg8e16.v, v16, (s4)
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e16, m1, "ta, ma"
        TM vle16.v, v8, (a0)
        TM vlse16.v, v8, (a0), a1
        TM vlse16.v, v8, (a3), a4
        la a2, idx16
        vle16.v v24, (a2)
        TM vluxei16.v, v8, (a0), v24
        TM vloxei16.v, v8, (a0), v24
        TM vse16.v, v16, (s4)
        TM vsse16.v, v16, (s4), a1
        TM vsuxei16.v, v16, (s4), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vle8.v, v8, (a0)
        TM vse8.v, v16, (s4)
        la a2, idx8
        vsetvli t6, x0, e8, mf2, tu, mu
        vle8.v v24, (a2)
        vsetvli x0, t5, e16, m1, ta, ma
        TM vluxei8.v, v8, (a0), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle32.v, v8, (a0)
        TM vse32.v, v16, (s4)
        la a2, idx32
        vsetvli t6, x0, e32, m2, tu, mu
        vle32.v v24, (a2)
        vsetvli x0, t5, e16, m1, ta, ma
        TM vluxei32.v, v8, (a0), v24
        TM vsoxei32.v, v16, (s4), v24
        TM vle64.v, v8, (a0)
        TM vse64.v, v16, (s4)
        la a2, idx64
        vsetvli t6, x0, e64, m4, tu, mu
        vle64.v v24, (a2)
        vsetvli x0, t5, e16, m1, ta, ma
        TM vluxei64.v, v8, (a0), v24
        TM vsoxei64.v, v16, (s4), v24
        TM vlseg2e16.v, v8, (a0)
        TM vlsseg2e16.v, v8, (a0), a1
        TM vsseg2e16.v, v16, (s4)
        TM vlseg3e16.v, v8, (a0)
        TM vlsseg3e16.v, v8, (a0), a1
        TM vsseg3e16.v, v16, (s4)
        TM vlseg4e16.v, v8, (a0)
        TM vlsseg4e16.v, v8, (a0), a1
        TM vsseg4e16.v, v16, (s4)
        TM vlseg8e16.v, v8, (a0)
        TM vlsseg8e16.v, v8, (a0), a1
        TM vsseg8e16.v, v16, (s4)
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e16, m2, "tu, mu"
        TM vle16.v, v8, (a0)
        TM vlse16.v, v8, (a0), a1
        TM vlse16.v, v8, (a3), a4
        la a2, idx16
        vle16.v v24, (a2)
        TM vluxei16.v, v8, (a0), v24
        TM vloxei16.v, v8, (a0), v24
        TM vse16.v, v16, (s4)
        TM vsse16.v, v16, (s4), a1
        TM vsuxei16.v, v16, (s4), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vle8.v, v8, (a0)
        TM vse8.v, v16, (s4)
        la a2, idx8
        vsetvli t6, x0, e8, m1, tu, mu
        vle8.v v24, (a2)
        vsetvli x0, t5, e16, m2, tu, mu
        TM vluxei8.v, v8, (a0), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle32.v, v8, (a0)
        TM vse32.v, v16, (s4)
        la a2, idx32
        vsetvli t6, x0, e32, m4, tu, mu
        vle32.v v24, (a2)
        vsetvli x0, t5, e16, m2, tu, mu
        TM vluxei32.v, v8, (a0), v24
        TM vsoxei32.v, v16, (s4), v24
        TM vle64.v, v8, (a0)
        TM vse64.v, v16, (s4)
        la a2, idx64
        vsetvli t6, x0, e64, m8, tu, mu
        vle64.v v24, (a2)
        vsetvli x0, t5, e16, m2, tu, mu
        TM vluxei64.v, v8, (a0), v24
        TM vsoxei64.v, v16, (s4), v24
        TM vlseg2e16.v, v8, (a0)
        TM vlsseg2e16.v, v8, (a0), a1
        TM vsseg2e16.v, v16, (s4)
        TM vlseg3e16.v, v8, (a0)
        TM vlsseg3e16.v, v8, (a0), a1
        TM vsseg3e16.v, v16, (s4)
        TM vlseg4e16.v, v8, (a0)
        TM vlsseg4e16.v, v8, (a0), a1
        TM vsseg4e16.v, v16, (s4)
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e16, m4, "ta, ma"
        TM vle16.v, v8, (a0)
        TM vlse16.v, v8, (a0), a1
        TM vlse16.v, v8, (a3), a4
        la a2, idx16
        vle16.v v24, (a2)
        TM vluxei16.v, v8, (a0), v24
        TM vloxei16.v, v8, (a0), v24
        TM vse16.v, v16, (s4)
        TM vsse16.v, v16, (s4), a1
        TM vsuxei16.v, v16, (s4), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vle8.v, v8, (a0)
        TM vse8.v, v16, (s4)
        la a2, idx8
        vsetvli t6, x0, e8, m2, tu, mu
        vle8.v v24, (a2)
        vsetvli x0, t5, e16, m4, ta, ma
        TM vluxei8.v, v8, (a0), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle32.v, v8, (a0)
        TM vse32.v, v16, (s4)
        la a2, idx32
        vsetvli t6, x0, e32, m8, tu, mu
        vle32.v v24, (a2)
        vsetvli x0, t5, e16, m4, ta, ma
        TM vluxei32.v, v8, (a0), v24
        TM vsoxei32.v, v16, (s4), v24
        TM vlseg2e16.v, v8, (a0)
        TM vlsseg2e16.v, v8, (a0), a1
        TM vsseg2e16.v, v16, (s4)
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e16, m8, "tu, mu"
        TM vle16.v, v8, (a0)
        TM vlse16.v, v8, (a0), a1
        TM vlse16.v, v8, (a3), a4
        la a2, idx16
        vle16.v v24, (a2)
        TM vluxei16.v, v8, (a0), v24
        TM vloxei16.v, v8, (a0), v24
        TM vse16.v, v16, (s4)
        TM vsse16.v, v16, (s4), a1
        TM vsuxei16.v, v16, (s4), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vle8.v, v8, (a0)
        TM vse8.v, v16, (s4)
        la a2, idx8
        vsetvli t6, x0, e8, m4, tu, mu
        vle8.v v24, (a2)
        vsetvli x0, t5, e16, m8, tu, mu
        TM vluxei8.v, v8, (a0), v24
        TM vsoxei8.v, v16, (s4), v24
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e32, mf2, "ta, ma"
        TM vle32.v, v8, (a0)
        TM vlse32.v, v8, (a0), a1
        TM vlse32.v, v8, (a3), a4
        la a2, idx32
        vle32.v v24, (a2)
        TM vluxei32.v, v8, (a0), v24
        TM vloxei32.v, v8, (a0), v24
        TM vse32.v, v16, (s4)
        TM vsse32.v, v16, (s4), a1
        TM vsuxei32.v, v16, (s4), v24
        TM vsoxei32.v, v16, (s4), v24
        TM vle8.v, v8, (a0)
        TM vse8.v, v16, (s4)
        la a2, idx8
        vsetvli t6, x0, e8, mf8, tu, mu
        vle8.v v24, (a2)
        vsetvli x0, t5, e32, mf2, ta, ma
        TM vluxei8.v, v8, (a0), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle16.v, v8, (a0)
        TM vse16.v, v16, (s4)
        la a2, idx16
        vsetvli t6, x0, e16, mf4, tu, mu
        vle16.v v24, (a2)
        vsetvli x0, t5, e32, mf2, ta, ma
        TM vluxei16.v, v8, (a0), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vle64.v, v8, (a0)
        TM vse64.v, v16, (s4)
        la a2, idx64
        vsetvli t6, x0, e64, m1, tu, mu
        vle64.v v24, (a2)
        vsetvli x0, t5, e32, mf2, ta, ma
        TM vluxei64.v, v8, (a0), v24
        TM vsoxei64.v, v16, (s4), v24
        TM vlseg2e32.v, v8, (a0)
        TM vlsseg2e32.v, v8, (a0), a1
        TM vsseg2e32.v, v16, (s4)
        TM vlseg3e32.v, v8, (a0)
        TM vlsseg3e32.v, v8, (a0), a1
        TM vsseg3e32.v, v16, (s4)
        TM vlseg4e32.v, v8, (a0)
        TM vlsseg4e32.v, v8, (a0), a1
        TM vsseg4e32.v, v16, (s4)
        TM vlseg8e32.v, v8, (a0)
        TM vlsseg8e32.v, v8, (a0), a1
        TM vsseg8e32.v, v16, (s4)
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e32, m1, "tu, mu"
        TM vle32.v, v8, (a0)
        TM vlse32.v, v8, (a0), a1
        TM vlse32.v, v8, (a3), a4
        la a2, idx32
        vle32.v v24, (a2)
        TM vluxei32.v, v8, (a0), v24
        TM vloxei32.v, v8, (a0), v24
        TM vse32.v, v16, (s4)
        TM vsse32.v, v16, (s4), a1
        TM vsuxei32.v, v16, (s4), v24
        TM vsoxei32.v, v16, (s4), v24
        TM vle8.v, v8, (a0)
        TM vse8.v, v16, (s4)
        la a2, idx8
        vsetvli t6, x0, e8, mf4, tu, mu
        vle8.v v24, (a2)
        vsetvli x0, t5, e32, m1, tu, mu
        TM vluxei8.v, v8, (a0), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle16.v, v8, (a0)
        TM vse16.v, v16, (s4)
        la a2, idx16
        vsetvli t6, x0, e16, mf2, tu, mu
        vle16.v v24, (a2)
        vsetvli x0, t5, e32, m1, tu, mu
        TM vluxei16.v, v8, (a0), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vle64.v, v8, (a0)
        TM vse64.v, v16, (s4)
        la a2, idx64
        vsetvli t6, x0, e64, m2, tu, mu
        vle64.v v24, (a2)
        vsetvli x0, t5, e32, m1, tu, mu
        TM vluxei64.v, v8, (a0), v24
        TM vsoxei64.v, v16, (s4), v24
        TM vlseg2e32.v, v8, (a0)
        TM vlsseg2e32.v, v8, (a0), a1
        TM vsseg2e32.v, v16, (s4)
        TM vlseg3e32.v, v8, (a0)
        TM vlsseg3e32.v, v8, (a0), a1
        TM vsseg3e32.v, v16, (s4)
        TM vlseg4e32.v, v8, (a0)
        TM vlsseg4e32.v, v8, (a0), a1
        TM vsseg4e32.v, v16, (s4)
        TM vlseg8e32.v, v8, (a0)
        TM vlsseg8e32.v, v8, (a0), a1
        TM vsseg8e32.v, v16, (s4)
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e32, m2, "ta, ma"
        TM vle32.v, v8, (a0)
        TM vlse32.v, v8, (a0), a1
        TM vlse32.v, v8, (a3), a4
        la a2, idx32
        vle32.v v24, (a2)
        TM vluxei32.v, v8, (a0), v24
        TM vloxei32.v, v8, (a0), v24
        TM vse32.v, v16, (s4)
        TM vsse32.v, v16, (s4), a1
        TM vsuxei32.v, v16, (s4), v24
        TM vsoxei32.v, v16, (s4), v24
        TM vle8.v, v8, (a0)
        TM vse8.v, v16, (s4)
        la a2, idx8
        vsetvli t6, x0, e8, mf2, tu, mu
        vle8.v v24, (a2)
        vsetvli x0, t5, e32, m2, ta, ma
        TM vluxei8.v, v8, (a0), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle16.v, v8, (a0)
        TM vse16.v, v16, (s4)
        la a2, idx16
        vsetvli t6, x0, e16, m1, tu, mu
        vle16.v v24, (a2)
        vsetvli x0, t5, e32, m2, ta, ma
        TM vluxei16.v, v8, (a0), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vle64.v, v8, (a0)
        TM vse64.v, v16, (s4)
        la a2, idx64
        vsetvli t6, x0, e64, m4, tu, mu
        vle64.v v24, (a2)
        vsetvli x0, t5, e32, m2, ta, ma
        TM vluxei64.v, v8, (a0), v24
        TM vsoxei64.v, v16, (s4), v24
        TM vlseg2e32.v, v8, (a0)
        TM vlsseg2e32.v, v8, (a0), a1
        TM vsseg2e32.v, v16, (s4)
        TM vlseg3e32.v, v8, (a0)
        TM vlsseg3e32.v, v8, (a0), a1
        TM vsseg3e32.v, v16, (s4)
        TM vlseg4e32.v, v8, (a0)
        TM vlsseg4e32.v, v8, (a0), a1
        TM vsseg4e32.v, v16, (s4)
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e32, m4, "tu, mu"
        TM vle32.v, v8, (a0)
        TM vlse32.v, v8, (a0), a1
        TM vlse32.v, v8, (a3), a4
        la a2, idx32
        vle32.v v24, (a2)
        TM vluxei32.v, v8, (a0), v24
        TM vloxei32.v, v8, (a0), v24
        TM vse32.v, v16, (s4)
        TM vsse32.v, v16, (s4), a1
        TM vsuxei32.v, v16, (s4), v24
        TM vsoxei32.v, v16, (s4), v24
        TM vle8.v, v8, (a0)
        TM vse8.v, v16, (s4)
        la a2, idx8
        vsetvli t6, x0, e8, m1, tu, mu
        vle8.v v24, (a2)
        vsetvli x0, t5, e32, m4, tu, mu
        TM vluxei8.v, v8, (a0), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle16.v, v8, (a0)
        TM vse16.v, v16, (s4)
        la a2, idx16
        vsetvli t6, x0, e16, m2, tu, mu
        vle16.v v24, (a2)
        vsetvli x0, t5, e32, m4, tu, mu
        TM vluxei16.v, v8, (a0), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vle64.v, v8, (a0)
        TM vse64.v, v16, (s4)
        la a2, idx64
        vsetvli t6, x0, e64, m8, tu, mu
        vle64.v v24, (a2)
        vsetvli x0, t5, e32, m4, tu, mu
        TM vluxei64.v, v8, (a0), v24
        TM vsoxei64.v, v16, (s4), v24
        TM vlseg2e32.v, v8, (a0)
        TM vlsseg2e32.v, v8, (a0), a1
        TM vsseg2e32.v, v16, (s4)
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e32, m8, "ta, ma"
        TM vle32.v, v8, (a0)
        TM vlse32.v, v8, (a0), a1
        TM vlse32.v, v8, (a3), a4
        la a2, idx32
        vle32.v v24, (a2)
        TM vluxei32.v, v8, (a0), v24
        TM vloxei32.v, v8, (a0), v24
        TM vse32.v, v16, (s4)
        TM vsse32.v, v16, (s4), a1
        TM vsuxei32.v, v16, (s4), v24
        TM vsoxei32.v, v16, (s4), v24
        TM vle8.v, v8, (a0)
        TM vse8.v, v16, (s4)
        la a2, idx8
        vsetvli t6, x0, e8, m2, tu, mu
        vle8.v v24, (a2)
        vsetvli x0, t5, e32, m8, ta, ma
        TM vluxei8.v, v8, (a0), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle16.v, v8, (a0)
        TM vse16.v, v16, (s4)
        la a2, idx16
        vsetvli t6, x0, e16, m4, tu, mu
        vle16.v v24, (a2)
        vsetvli x0, t5, e32, m8, ta, ma
        TM vluxei16.v, v8, (a0), v24
        TM vsoxei16.v, v16, (s4), v24
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e64, m1, "tu, mu"
        TM vle64.v, v8, (a0)
        TM vlse64.v, v8, (a0), a1
        TM vlse64.v, v8, (a3), a4
        la a2, idx64
        vle64.v v24, (a2)
        TM vluxei64.v, v8, (a0), v24
        TM vloxei64.v, v8, (a0), v24
        TM vse64.v, v16, (s4)
        TM vsse64.v, v16, (s4), a1
        TM vsuxei64.v, v16, (s4), v24
        TM vsoxei64.v, v16, (s4), v24
        TM vle8.v, v8, (a0)
        TM vse8.v, v16, (s4)
        la a2, idx8
        vsetvli t6, x0, e8, mf8, tu, mu
        vle8.v v24, (a2)
        vsetvli x0, t5, e64, m1, tu, mu
        TM vluxei8.v, v8, (a0), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle16.v, v8, (a0)
        TM vse16.v, v16, (s4)
        la a2, idx16
        vsetvli t6, x0, e16, mf4, tu, mu
        vle16.v v24, (a2)
        vsetvli x0, t5, e64, m1, tu, mu
        TM vluxei16.v, v8, (a0), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vle32.v, v8, (a0)
        TM vse32.v, v16, (s4)
        la a2, idx32
        vsetvli t6, x0, e32, mf2, tu, mu
        vle32.v v24, (a2)
        vsetvli x0, t5, e64, m1, tu, mu
        TM vluxei32.v, v8, (a0), v24
        TM vsoxei32.v, v16, (s4), v24
        TM vlseg2e64.v, v8, (a0)
        TM vlsseg2e64.v, v8, (a0), a1
        TM vsseg2e64.v, v16, (s4)
        TM vlseg3e64.v, v8, (a0)
        TM vlsseg3e64.v, v8, (a0), a1
        TM vsseg3e64.v, v16, (s4)
        TM vlseg4e64.v, v8, (a0)
        TM vlsseg4e64.v, v8, (a0), a1
        TM vsseg4e64.v, v16, (s4)
        TM vlseg8e64.v, v8, (a0)
        TM vlsseg8e64.v, v8, (a0), a1
        TM vsseg8e64.v, v16, (s4)
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e64, m2, "ta, ma"
        TM vle64.v, v8, (a0)
        TM vlse64.v, v8, (a0), a1
        TM vlse64.v, v8, (a3), a4
        la a2, idx64
        vle64.v v24, (a2)
        TM vluxei64.v, v8, (a0), v24
        TM vloxei64.v, v8, (a0), v24
        TM vse64.v, v16, (s4)
        TM vsse64.v, v16, (s4), a1
        TM vsuxei64.v, v16, (s4), v24
        TM vsoxei64.v, v16, (s4), v24
        TM vle8.v, v8, (a0)
        TM vse8.v, v16, (s4)
        la a2, idx8
        vsetvli t6, x0, e8, mf4, tu, mu
        vle8.v v24, (a2)
        vsetvli x0, t5, e64, m2, ta, ma
        TM vluxei8.v, v8, (a0), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle16.v, v8, (a0)
        TM vse16.v, v16, (s4)
        la a2, idx16
        vsetvli t6, x0, e16, mf2, tu, mu
        vle16.v v24, (a2)
        vsetvli x0, t5, e64, m2, ta, ma
        TM vluxei16.v, v8, (a0), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vle32.v, v8, (a0)
        TM vse32.v, v16, (s4)
        la a2, idx32
        vsetvli t6, x0, e32, m1, tu, mu
        vle32.v v24, (a2)
        vsetvli x0, t5, e64, m2, ta, ma
        TM vluxei32.v, v8, (a0), v24
        TM vsoxei32.v, v16, (s4), v24
        TM vlseg2e64.v, v8, (a0)
        TM vlsseg2e64.v, v8, (a0), a1
        TM vsseg2e64.v, v16, (s4)
        TM vlseg3e64.v, v8, (a0)
        TM vlsseg3e64.v, v8, (a0), a1
        TM vsseg3e64.v, v16, (s4)
        TM vlseg4e64.v, v8, (a0)
        TM vlsseg4e64.v, v8, (a0), a1
        TM vsseg4e64.v, v16, (s4)
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e64, m4, "tu, mu"
        TM vle64.v, v8, (a0)
        TM vlse64.v, v8, (a0), a1
        TM vlse64.v, v8, (a3), a4
        la a2, idx64
        vle64.v v24, (a2)
        TM vluxei64.v, v8, (a0), v24
        TM vloxei64.v, v8, (a0), v24
        TM vse64.v, v16, (s4)
        TM vsse64.v, v16, (s4), a1
        TM vsuxei64.v, v16, (s4), v24
        TM vsoxei64.v, v16, (s4), v24
        TM vle8.v, v8, (a0)
        TM vse8.v, v16, (s4)
        la a2, idx8
        vsetvli t6, x0, e8, mf2, tu, mu
        vle8.v v24, (a2)
        vsetvli x0, t5, e64, m4, tu, mu
        TM vluxei8.v, v8, (a0), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle16.v, v8, (a0)
        TM vse16.v, v16, (s4)
        la a2, idx16
        vsetvli t6, x0, e16, m1, tu, mu
        vle16.v v24, (a2)
        vsetvli x0, t5, e64, m4, tu, mu
        TM vluxei16.v, v8, (a0), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vle32.v, v8, (a0)
        TM vse32.v, v16, (s4)
        la a2, idx32
        vsetvli t6, x0, e32, m2, tu, mu
        vle32.v v24, (a2)
        vsetvli x0, t5, e64, m4, tu, mu
        TM vluxei32.v, v8, (a0), v24
        TM vsoxei32.v, v16, (s4), v24
        TM vlseg2e64.v, v8, (a0)
        TM vlsseg2e64.v, v8, (a0), a1
        TM vsseg2e64.v, v16, (s4)
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        CFG e64, m8, "ta, ma"
        TM vle64.v, v8, (a0)
        TM vlse64.v, v8, (a0), a1
        TM vlse64.v, v8, (a3), a4
        la a2, idx64
        vle64.v v24, (a2)
        TM vluxei64.v, v8, (a0), v24
        TM vloxei64.v, v8, (a0), v24
        TM vse64.v, v16, (s4)
        TM vsse64.v, v16, (s4), a1
        TM vsuxei64.v, v16, (s4), v24
        TM vsoxei64.v, v16, (s4), v24
        TM vle8.v, v8, (a0)
        TM vse8.v, v16, (s4)
        la a2, idx8
        vsetvli t6, x0, e8, m1, tu, mu
        vle8.v v24, (a2)
        vsetvli x0, t5, e64, m8, ta, ma
        TM vluxei8.v, v8, (a0), v24
        TM vsoxei8.v, v16, (s4), v24
        TM vle16.v, v8, (a0)
        TM vse16.v, v16, (s4)
        la a2, idx16
        vsetvli t6, x0, e16, m2, tu, mu
        vle16.v v24, (a2)
        vsetvli x0, t5, e64, m8, ta, ma
        TM vluxei16.v, v8, (a0), v24
        TM vsoxei16.v, v16, (s4), v24
        TM vle32.v, v8, (a0)
        TM vse32.v, v16, (s4)
        la a2, idx32
        vsetvli t6, x0, e32, m4, tu, mu
        vle32.v v24, (a2)
        vsetvli x0, t5, e64, m8, ta, ma
        TM vluxei32.v, v8, (a0), v24
        TM vsoxei32.v, v16, (s4), v24
        T vlm.v v8, (a0)
        T vsm.v v16, (s4)
        j       diff_end

        .bss
        .balign 64
vpat:   .skip 16384
vout:   .skip OUTSIZE + 1024
vreg:   .skip 1024
idx8:   .skip 1024
idx16:  .skip 2048
idx32:  .skip 4096
idx64:  .skip 8192
