/* cpu: rv64,v=on
 * The vector unit's configuration (unpriv spec V chapters 3 and 6) at
 * VLEN 128: with mstatus.VS Off vector instructions and CSRs are illegal;
 * vlenb; vsetvli/vsetivli/vsetvl set vl = min(AVL, VLMAX) for every SEW
 * and LMUL, rs1 = x0 asks for VLMAX (rd != x0) or keeps vl (rd = x0); an
 * unsupported vtype (reserved vlmul, SEW > ELEN, SEW > LMUL * ELEN with a
 * fractional LMUL, reserved bits) sets vill with vl = 0; the state goes Dirty (and SD);
 * vstart, vxrm, vxsat and vcsr; vl, vtype, vlenb are read-only. QEMU 7.2
 * with -cpu rv64,v=true agrees. */
#include "common.h"

#define CSR_VSTART 0x008
#define CSR_VXSAT  0x009
#define CSR_VXRM   0x00a
#define CSR_VCSR   0x00f
#define CSR_VL     0xc20
#define CSR_VTYPE  0xc21
#define CSR_VLENB  0xc22
#define VILL       0x8000000000000000

/* vsetvli with AVL 1000 under vtype `vt` gives VLMAX `n`. */
#define TEST_VLMAX(num, n, vt...) \
    TEST_NUM(num); li a1, 1000; vsetvli a0, a1, vt; CHECK_EQ(a0, n); csrr a2, vl; CHECK_EQ(a2, n)
/* vsetvl with a raw vtype value that must give vill. */
#define TEST_VILL(num, vt) \
    TEST_NUM(num); li a1, 4; li a2, vt; vsetvl a0, a1, a2; CHECK_EQ(a0, 0); csrr a3, vtype; \
    CHECK_EQ(a3, VILL); csrr a3, vl; CHECK_EQ(a3, 0)

    .option arch, +v
    .text
    .globl test_main
test_main:
    /* mstatus.VS Off: illegal instructions and CSRs */
    li t0, MSTATUS_VS
    csrc mstatus, t0
    TEST_ILLEGAL_WORD(1, 0x0d15f557) /* vsetvli a0, a1, e32, m2, ta, ma */
    TEST_ILLEGAL_WORD(2, 0xc2202573) /* csrr a0, vlenb */
    TEST_ILLEGAL_WORD(3, 0x00801573) /* csrrw a0, vstart, zero */
    /* VS Initial: legal; vtype starts vill */
    li t0, 1 << 9
    csrs mstatus, t0
    TEST_CASE(4, a0, 16, csrr a0, vlenb)
    TEST_CASE(5, a0, VILL, csrr a0, vtype)
    TEST_CASE(6, a0, 0, csrr a0, vl)
    /* Every SEW x LMUL: VLMAX = LMUL * 128 / SEW */
    TEST_VLMAX(10, 16, e8, m1, ta, ma)
    TEST_VLMAX(11, 32, e8, m2, ta, ma)
    TEST_VLMAX(12, 64, e8, m4, ta, ma)
    TEST_VLMAX(13, 128, e8, m8, ta, ma)
    TEST_VLMAX(14, 8, e8, mf2, ta, ma)
    TEST_VLMAX(15, 4, e8, mf4, ta, ma)
    TEST_VLMAX(16, 2, e8, mf8, ta, ma)
    TEST_VLMAX(17, 8, e16, m1, tu, mu)
    TEST_VLMAX(18, 16, e16, m2, tu, mu)
    TEST_VLMAX(19, 32, e16, m4, tu, mu)
    TEST_VLMAX(20, 64, e16, m8, tu, mu)
    TEST_VLMAX(21, 4, e16, mf2, tu, mu)
    TEST_VLMAX(22, 2, e16, mf4, tu, mu)
    TEST_VLMAX(24, 4, e32, m1, ta, mu)
    TEST_VLMAX(25, 8, e32, m2, ta, mu)
    TEST_VLMAX(26, 16, e32, m4, ta, mu)
    TEST_VLMAX(27, 32, e32, m8, ta, mu)
    TEST_VLMAX(28, 2, e32, mf2, ta, mu)
    TEST_VLMAX(30, 2, e64, m1, tu, ma)
    TEST_VLMAX(31, 4, e64, m2, tu, ma)
    TEST_VLMAX(32, 8, e64, m4, tu, ma)
    TEST_VLMAX(33, 16, e64, m8, tu, ma)
    /* vtype reads back what was set: e64, m8, tu, ma = 0x9b */
    TEST_CASE(35, a0, 0x9b, csrr a0, vtype)
    /* A fractional LMUL needs SEW <= LMUL * ELEN (V 3.4.2, as QEMU 7.2) */
    TEST_VILL(23, 0x0d)      /* e16, mf8 */
    TEST_VILL(29, 0x16)      /* e32, mf4 */
    TEST_VILL(34, 0x1f)      /* e64, mf2 */
    /* AVL below VLMAX, vsetivli, rs1 = x0 forms */
    TEST_CASE(36, a0, 5, li a1, 5; vsetvli a0, a1, e8, m1, ta, ma)
    TEST_CASE(37, a0, 16, li a1, 0; vsetivli a0, 31, e8, m1, ta, ma)
    TEST_CASE(38, a0, 7, vsetivli a0, 7, e16, m1, ta, ma)
    TEST_CASE(39, a0, 32, vsetvli a0, x0, e32, m8, ta, ma)
    TEST_NUM(40)
    vsetivli x0, 3, e32, m1, ta, ma
    vsetvli x0, x0, e32, m2, ta, ma /* keeps vl = 3 */
    csrr a0, vl
    CHECK_EQ(a0, 3)
    csrr a0, vtype
    CHECK_EQ(a0, 0xd1)
    TEST_CASE(41, a0, 4, li a1, 4; li a2, 0x10; vsetvl a0, a1, a2) /* e32, m1 */
    /* Unsupported vtypes: vill, vl = 0 */
    TEST_VILL(42, 0x4)       /* vlmul 4 reserved */
    TEST_VILL(43, 0x20)      /* SEW 128 > ELEN */
    TEST_VILL(46, 0x100)     /* a reserved bit */
    TEST_VILL(47, VILL)      /* vill itself */
    /* Dirty and SD (FS Off, so only VS can set SD) */
    TEST_NUM(48)
    li t0, MSTATUS_VS | MSTATUS_FS
    csrc mstatus, t0
    li t0, 1 << 9
    csrs mstatus, t0
    csrr a0, mstatus
    srli a0, a0, 63
    CHECK_EQ(a0, 0)
    vsetivli x0, 1, e8, m1, ta, ma
    csrr a0, mstatus
    srli a1, a0, 9
    andi a1, a1, 3
    CHECK_EQ(a1, 3)
    srli a0, a0, 63
    CHECK_EQ(a0, 1)
    li t0, MSTATUS_FS_INIT
    csrs mstatus, t0
    /* vstart, vxrm, vxsat, vcsr */
    TEST_CASE(49, a0, 5, csrwi vstart, 5; csrr a0, vstart)
    TEST_CASE(50, a0, 127, li a1, -1; csrw vstart, a1; csrr a0, vstart)
    csrwi vstart, 0
    TEST_CASE(51, a0, 5, csrwi vxrm, 2; csrwi vxsat, 1; csrr a0, vcsr)
    TEST_CASE(52, a0, 1, csrwi vcsr, 3; csrr a0, vxrm)
    TEST_CASE(53, a0, 1, csrr a0, vxsat)
    TEST_CASE(54, a0, 3, csrwi vxrm, 3; csrr a0, vxrm)
    /* read-only CSRs */
    TEST_ILLEGAL_WORD(55, 0xc2001073) /* csrw vl, zero */
    TEST_ILLEGAL_WORD(56, 0xc2101073) /* csrw vtype, zero */
    TEST_ILLEGAL_WORD(57, 0xc2201073) /* csrw vlenb, zero */
    PASS
