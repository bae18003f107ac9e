/* cpu: rv64
 * qemu: none (QEMU 7.2 makes menvcfg.PBMTE writable without Svpbmt)
 * Without Svinval (the default model) its instructions are illegal, and
 * without Svpbmt and Svadu menvcfg.PBMTE and menvcfg.ADUE are read-only
 * zero (svinval.S has the instructions with the extension, under QEMU too). */
#include "common.h"

#define CSR_MENVCFG 0x30a

    .text
    .globl test_main
test_main:
    TEST_ILLEGAL_WORD(1, 0x16000073)  /* sinval.vma x0, x0 */
    TEST_ILLEGAL_WORD(2, 0x18000073)  /* sfence.w.inval */
    TEST_ILLEGAL_WORD(3, 0x18100073)  /* sfence.inval.ir */
    TEST_NUM(4)
    li a0, 0x6000000000000000         /* PBMTE | ADUE */
    csrs CSR_MENVCFG, a0
    csrr a1, CSR_MENVCFG
    and a1, a1, a0
    CHECK_EQ(a1, 0)
    PASS
