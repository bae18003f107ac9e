/* cpu: rv64,svinval=on,h=off
 * qemu: none (QEMU 7.2 runs sfence.w.inval, sfence.inval.ir in U-mode and hinval.* without H)
 * Svinval's two ordering fences are illegal in U-mode, as Spike, the
 * reference model, has them (privileged spec chapter "Svinval": they need
 * S-mode, like sinval.vma), and hinval.vvma/gvma are illegal without H
 * (off here: rv64 has it). */
#include "common.h"

    .text
    .globl test_main
test_main:
    TEST_ILLEGAL_IN(1, PRV_U, 0x18000073)  /* sfence.w.inval */
    TEST_ILLEGAL_IN(2, PRV_U, 0x18100073)  /* sfence.inval.ir */
    TEST_LEGAL_IN(3, PRV_S, 0x18000073)
    TEST_ILLEGAL_WORD(4, 0x26000073)       /* hinval.vvma x0, x0 */
    TEST_ILLEGAL_WORD(5, 0x66000073)       /* hinval.gvma x0, x0 */
    PASS
