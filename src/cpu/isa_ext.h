/* The ISA extensions a hart may have, as bits of one mask (struct rv_hart
 * .ext). The third column of insn_list.h names one of these per
 * instruction; the decoder treats an instruction whose extension is off
 * as an illegal encoding. Which bits a CPU model turns on is the model
 * table's business, not this header's. Data only. */
#ifndef RVMM_CPU_ISA_EXT_H
#define RVMM_CPU_ISA_EXT_H

#include <stdint.h>

enum isa_ext {
    ISA_EXT_I, /* the base ISA: always on */
    ISA_EXT_M,
    ISA_EXT_A,
    ISA_EXT_F,
    ISA_EXT_D,
    ISA_EXT_C,
    ISA_EXT_ZICSR,
    ISA_EXT_ZIFENCEI,
    ISA_EXT_PRIV, /* xRET, wfi, sfence.vma: the privileged architecture */
    ISA_EXT_ZBA,
    ISA_EXT_ZBB,
    ISA_EXT_ZBC,
    ISA_EXT_ZBS,
    ISA_EXT_ZBKB,
    ISA_EXT_ZICOND,
    ISA_EXT_ZICBOM,
    ISA_EXT_ZICBOZ,
    ISA_EXT_ZICBOP,
    ISA_EXT_ZIHINTPAUSE,
    ISA_EXT_ZIHINTNTL,
    ISA_EXT_ZIMOP,
    ISA_EXT_ZCMOP,
    ISA_EXT_ZCB,
    ISA_EXT_ZAWRS,
    ISA_EXT_ZKT,
    ISA_EXT_COUNT
};

#define ISA_BIT(e) (1ULL << ISA_EXT_##e)

/* A row's extension column: one extension, or either of two for the
 * instructions Zbb and Zbkb share (rol, ror, andn, rev8, ...). */
#define ISA_ROW_I        ISA_BIT(I)
#define ISA_ROW_M        ISA_BIT(M)
#define ISA_ROW_A        ISA_BIT(A)
#define ISA_ROW_F        ISA_BIT(F)
#define ISA_ROW_D        ISA_BIT(D)
#define ISA_ROW_ZICSR    ISA_BIT(ZICSR)
#define ISA_ROW_ZIFENCEI ISA_BIT(ZIFENCEI)
#define ISA_ROW_PRIV     ISA_BIT(PRIV)
#define ISA_ROW_ZBA      ISA_BIT(ZBA)
#define ISA_ROW_ZBB      ISA_BIT(ZBB)
#define ISA_ROW_ZBC      ISA_BIT(ZBC)
#define ISA_ROW_ZBS      ISA_BIT(ZBS)
#define ISA_ROW_ZBKB     ISA_BIT(ZBKB)
#define ISA_ROW_ZBB_ZBKB (ISA_BIT(ZBB) | ISA_BIT(ZBKB))
#define ISA_ROW_ZICOND   ISA_BIT(ZICOND)
#define ISA_ROW_ZICBOM   ISA_BIT(ZICBOM)
#define ISA_ROW_ZICBOZ   ISA_BIT(ZICBOZ)
#define ISA_ROW_ZIMOP    ISA_BIT(ZIMOP)
#define ISA_ROW_ZAWRS    ISA_BIT(ZAWRS)

/* RV64GC as rvmm has always offered it. */
#define ISA_EXT_RV64GC                                                                             \
    (ISA_BIT(I) | ISA_BIT(M) | ISA_BIT(A) | ISA_BIT(F) | ISA_BIT(D) | ISA_BIT(C) |                 \
     ISA_BIT(ZICSR) | ISA_BIT(ZIFENCEI) | ISA_BIT(PRIV))
/* Every extension rvmm implements. */
#define ISA_EXT_ALL ((1ULL << ISA_EXT_COUNT) - 1)

#endif
