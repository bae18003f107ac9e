/* cpu: rv64,v=on
 * qemu: none (QEMU 7.2 has no Zvbb)
 * Without Zvbb (v=on, zvbb off) its instructions are illegal. */
#include "common.h"

    .option arch, +v
    .text
    .globl test_main
test_main:
    li t0, 1 << 9
    csrs mstatus, t0
    vsetivli x0, 2, e32, m1, tu, mu
    TEST_ILLEGAL_WORD(1, 0x061101d7) /* vandn.vv */
    TEST_ILLEGAL_WORD(2, 0x561231d7) /* vror.vi */
    TEST_ILLEGAL_WORD(3, 0x4a1721d7) /* vcpop.v */
    TEST_ILLEGAL_WORD(4, 0xd6123257) /* vwsll.vi */
    PASS
