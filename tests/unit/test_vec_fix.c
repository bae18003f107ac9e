/* Unit tests for the vector fixed-point element arithmetic (vec_fix.h,
 * V chapter 12): rounding under each vxrm mode on unsigned and signed
 * values (12.1's table), the saturating, averaging, fractional-multiply,
 * scaling-shift and narrowing-clip operations at their edges, and which
 * of them set the saturation flag. Expected values are worked by hand
 * from the spec's definitions. */
#include <stdint.h>

#include "cpu/vec_fix.h"
#include "ut.h"

UT_MAIN_STATE

/* 12.1: v >> d plus the increment, for v = 0b1011, 0b1010, 0b1110 and a
 * negative value, under rnu, rne, rdn, rod. */
static void test_rounding(void)
{
    static const struct {
        int64_t v;
        unsigned d;
        int64_t want[4];
    } cases[] = {
        {11, 2, {3, 3, 2, 3}}, /* 10.11: half and sticky set */
        {10, 2, {3, 2, 2, 3}}, /* 10.10: a tie, even result kept by rne */
        {14, 2, {4, 4, 3, 3}}, /* 11.10: a tie, odd result rounded up by rne */
        {-5, 1, {-2, -2, -3, -3}},
        {7, 0, {7, 7, 7, 7}}, /* no shift: no rounding */
        {INT64_MIN, 63, {-1, -1, -1, -1}},
    };
    for (unsigned k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
        for (unsigned rm = 0; rm < 4; rm++)
            UT_EQ((int64_t)vfix_rounds(cases[k].v, cases[k].d, rm), cases[k].want[rm]);
    UT_EQ((uint64_t)vfix_roundu(~0ULL, 63, VXRM_RNU), 2u); /* 1.111...: carries out */
    UT_EQ((uint64_t)vfix_roundu(~0ULL, 63, VXRM_RDN), 1u);
    UT_EQ((uint64_t)vfix_roundu(~0ULL, 63, VXRM_ROD), 1u);
}

static void test_saturating(void)
{
    bool sat = false;
    UT_EQ(vfix_saddu(100, 100, 1, &sat), 200u);
    UT_CHECK(!sat);
    UT_EQ(vfix_saddu(200, 100, 1, &sat), 255u);
    UT_CHECK(sat);
    sat = false;
    UT_EQ(vfix_sadd(100, 100, 1, &sat), 0x7fu);
    UT_CHECK(sat);
    sat = false;
    UT_EQ(vfix_sadd(0x9c, 0x9c, 1, &sat), 0x80u); /* -100 + -100 */
    UT_CHECK(sat);
    sat = false;
    UT_EQ(vfix_sadd(0xfffe, 0x0003, 2, &sat), 1u);
    UT_CHECK(!sat);
    UT_EQ(vfix_ssubu(5, 10, 1, &sat), 0u);
    UT_CHECK(sat);
    sat = false;
    UT_EQ(vfix_ssubu(~0ULL, 1, 8, &sat), ~0ULL - 1);
    UT_CHECK(!sat);
    UT_EQ(vfix_ssub(1ULL << 63, 1, 8, &sat), 1ULL << 63);
    UT_CHECK(sat);
    sat = false;
    UT_EQ(vfix_ssub(0x7fffffff, 0xffffffff, 4, &sat), 0x7fffffffu); /* max - (-1) */
    UT_CHECK(sat);
}

static void test_averaging(void)
{
    UT_EQ(vfix_aaddu(255, 255, 1, VXRM_RNU), 255u); /* the SEW + 1 bit sum */
    UT_EQ(vfix_aaddu(1, 2, 1, VXRM_RNU), 2u);
    UT_EQ(vfix_aaddu(1, 2, 1, VXRM_RNE), 2u);
    UT_EQ(vfix_aaddu(1, 2, 1, VXRM_RDN), 1u);
    UT_EQ(vfix_aaddu(1, 2, 1, VXRM_ROD), 1u);
    UT_EQ(vfix_aaddu(~0ULL, ~0ULL, 8, VXRM_RDN), ~0ULL);
    UT_EQ(vfix_aadd(INT64_MAX, INT64_MAX, 8, VXRM_RNU), (uint64_t)INT64_MAX);
    UT_EQ(vfix_aadd(0x80, 0x80, 1, VXRM_RNU), 0x80u); /* -128 */
    UT_EQ(vfix_aadd(0xff, 0x00, 1, VXRM_RNU), 0u);    /* -1 / 2 rounds up to 0 */
    UT_EQ(vfix_aadd(0xff, 0x00, 1, VXRM_RDN), 0xffu);
    UT_EQ(vfix_asubu(0, 255, 1, VXRM_RDN), 0x80u);                          /* -255 / 2 = -128 */
    UT_EQ(vfix_asubu(0, 255, 1, VXRM_RNU), 0x81u);                          /* -127.5 rounds up */
    UT_EQ(vfix_asub(0x7f, 0x80, 1, VXRM_RDN), 0x7fu);                       /* (127 + 128) / 2 */
    UT_EQ(vfix_asub(1ULL << 63, INT64_MAX, 8, VXRM_RNU), (1ULL << 63) + 1); /* (1 - 2^64) / 2 */
}

static void test_smul(void)
{
    bool sat = false;
    UT_EQ(vfix_smul(0x40, 0x40, 1, VXRM_RNU, &sat), 0x20u); /* 0.5 * 0.5 */
    UT_CHECK(!sat);
    UT_EQ(vfix_smul(0xc0, 0x40, 1, VXRM_RNU, &sat), 0xe0u); /* -0.5 * 0.5 */
    UT_EQ(vfix_smul(0x4000, 1, 2, VXRM_RNU, &sat), 1u);
    UT_EQ(vfix_smul(0x4000, 1, 2, VXRM_RNE, &sat), 0u);
    UT_EQ(vfix_smul(0x4000, 1, 2, VXRM_RDN, &sat), 0u);
    UT_EQ(vfix_smul(0x4000, 1, 2, VXRM_ROD, &sat), 1u);
    UT_CHECK(!sat);
    UT_EQ(vfix_smul(0x80, 0x80, 1, VXRM_RNU, &sat), 0x7fu); /* -1 * -1 */
    UT_CHECK(sat);
    sat = false;
    UT_EQ(vfix_smul(1ULL << 63, 1ULL << 63, 8, VXRM_RDN, &sat), (uint64_t)INT64_MAX);
    UT_CHECK(sat);
    sat = false;
    UT_EQ(vfix_smul(1ULL << 63, INT64_MAX, 8, VXRM_RDN, &sat), (1ULL << 63) + 1);
    UT_CHECK(!sat);
}

static void test_scaling_shifts(void)
{
    UT_EQ(vfix_ssrl(0xff, 4, 1, VXRM_RNU), 16u);
    UT_EQ(vfix_ssrl(0xff, 12, 1, VXRM_RNU), 16u); /* the amount's low log2(SEW) bits */
    UT_EQ(vfix_ssrl(0xff, 4, 1, VXRM_RDN), 15u);
    UT_EQ(vfix_ssrl(~0ULL, 63, 8, VXRM_RNU), 2u);
    UT_EQ(vfix_ssra(0x80, 7, 1, VXRM_RNU), 0xffu);
    UT_EQ(vfix_ssra(0xfff0, 5, 2, VXRM_RNU), 0u); /* -16 / 32 = -0.5 rounds up */
    UT_EQ(vfix_ssra(0xfff0, 5, 2, VXRM_RNE), 0u); /* a tie: to the even 0 */
    UT_EQ(vfix_ssra(0xfff0, 5, 2, VXRM_RDN), 0xffffu);
}

static void test_narrowing_clips(void)
{
    bool sat = false;
    UT_EQ(vfix_nclipu(0x0ff0, 4, 1, VXRM_RDN, &sat), 0xffu);
    UT_CHECK(!sat);
    UT_EQ(vfix_nclipu(0x1234, 4, 1, VXRM_RDN, &sat), 0xffu);
    UT_CHECK(sat);
    sat = false;
    UT_EQ(vfix_nclipu(0x0ff8, 4, 1, VXRM_RNU, &sat), 0xffu); /* rounding up past the top */
    UT_CHECK(sat);
    sat = false;
    UT_EQ(vfix_nclip(0xff00, 1, 1, VXRM_RNU, &sat), 0x80u); /* -256 / 2 */
    UT_CHECK(!sat);
    UT_EQ(vfix_nclip(0xff00, 17, 1, VXRM_RNU, &sat), 0x80u); /* low log2(2 * SEW) bits */
    UT_CHECK(!sat);
    UT_EQ(vfix_nclip(0xff00, 0, 1, VXRM_RNU, &sat), 0x80u);
    UT_CHECK(sat);
    sat = false;
    UT_EQ(vfix_nclip(0x00ff, 0, 1, VXRM_RNU, &sat), 0x7fu);
    UT_CHECK(sat);
    sat = false;
    UT_EQ(vfix_nclip(1ULL << 63, 32, 4, VXRM_RNU, &sat), 0x80000000u);
    UT_CHECK(!sat);
    UT_EQ(vfix_nclipu(~0ULL, 63, 4, VXRM_RNU, &sat), 2u);
    UT_CHECK(!sat);
}

int main(void)
{
    ut_run("vec_fix_rounding", test_rounding);
    ut_run("vec_fix_saturating", test_saturating);
    ut_run("vec_fix_averaging", test_averaging);
    ut_run("vec_fix_smul", test_smul);
    ut_run("vec_fix_scaling_shifts", test_scaling_shifts);
    ut_run("vec_fix_narrowing_clips", test_narrowing_clips);
    return ut_exit();
}
