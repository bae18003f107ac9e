/* cpu: rv64,svinval=on
 * Svinval (privileged spec chapter "Svinval"): sinval.vma, sfence.w.inval
 * and sfence.inval.ir run in M and S; in U sinval.vma is illegal (the two
 * fences in U: svinval_u.S, which QEMU 7.2 gets wrong); with
 * mstatus.TVM = 1 sinval.vma is illegal in S (as sfence.vma is) while the
 * two fences are not (hinval.* without H: svinval_u.S).
 * QEMU 7.2 with the same -cpu agrees, except that it leaves mtval 0 for
 * the ones its helpers refuse (the spec allows 0 or the instruction; rvmm
 * writes the instruction), so those checks look at the cause alone. */
#include "common.h"

#define SINVAL_VMA      0x16000073  /* sinval.vma x0, x0 */
#define SINVAL_VMA_A0   0x16050073  /* sinval.vma a0, x0 */
#define SFENCE_W_INVAL  0x18000073
#define SFENCE_INVAL_IR 0x18100073

/* TEST_ILLEGAL_IN without the mtval check. */
#define TEST_ILLEGAL_IN_ANY_TVAL(n, prv, enc) \
    TEST_NUM(n); TRAP_RESUME 10013f; GOTO_MODE prv, 10014f; 10014: .word enc; \
    GOTO_M 10015f; 10015: j fail; 10013: CHECK_TRAP_CAUSE CAUSE_ILLEGAL_INSN; \
    CHECK_TRAP_FROM prv; CHECK_TRAP_EPC 10014b

    .text
    .globl test_main
test_main:
    TEST_NUM(1)
    .word SFENCE_W_INVAL
    .word SINVAL_VMA
    li a0, 0x80000000
    .word SINVAL_VMA_A0
    .word SFENCE_INVAL_IR
    TEST_LEGAL_IN(2, PRV_S, SFENCE_W_INVAL)
    TEST_LEGAL_IN(3, PRV_S, SINVAL_VMA)
    TEST_LEGAL_IN(4, PRV_S, SFENCE_INVAL_IR)
    TEST_ILLEGAL_IN_ANY_TVAL(5, PRV_U, SINVAL_VMA)
    TEST_NUM(8)
    li a0, MSTATUS_TVM
    csrs mstatus, a0
    TEST_ILLEGAL_IN_ANY_TVAL(9, PRV_S, SINVAL_VMA)
    TEST_LEGAL_IN(10, PRV_S, SFENCE_W_INVAL)
    TEST_LEGAL_IN(11, PRV_S, SFENCE_INVAL_IR)
    li a0, MSTATUS_TVM
    csrc mstatus, a0
    PASS
