/* cpu: rv64,zba=off,zbb=off,zbc=off,zbs=off
 * A model without the bit-manipulation extensions (and rv64's default
 * without Zicond, Zbkb, Zimop, the CMO and Zawrs instructions): their
 * encodings are illegal instructions with the word in mtval (the decoder's
 * extension column). QEMU 7.2 with the same -cpu agrees. */
#include "common.h"

    .text
    .globl test_main
test_main:
    TEST_ILLEGAL_WORD(1, 0x207322b3)  /* sh1add t0, t1, t2 */
    TEST_ILLEGAL_WORD(2, 0x087302bb)  /* add.uw */
    TEST_ILLEGAL_WORD(3, 0x407372b3)  /* andn */
    TEST_ILLEGAL_WORD(4, 0x60079713)  /* clz a4, a5 */
    TEST_ILLEGAL_WORD(5, 0x6b8c5b93)  /* rev8 */
    TEST_ILLEGAL_WORD(6, 0x080b4abb)  /* zext.h (packw, Zbkb off too) */
    TEST_ILLEGAL_WORD(7, 0x0a7312b3)  /* clmul */
    TEST_ILLEGAL_WORD(8, 0x296a9a33)  /* bset */
    TEST_ILLEGAL_WORD(9, 0x48175693)  /* bexti */
    TEST_ILLEGAL_WORD(10, 0x0e7352b3) /* czero.eqz (Zicond) */
    TEST_ILLEGAL_WORD(11, 0x087342b3) /* pack (Zbkb) */
    TEST_ILLEGAL_WORD(12, 0x81c342f3) /* mop.r.0 (Zimop) */
    TEST_ILLEGAL_WORD(13, 0x00d00073) /* wrs.nto (Zawrs) */
    PASS
