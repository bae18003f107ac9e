/* Unit tests for the RV64C expander (src/cpu/rvc.c). The oracle is GNU as and
 * objdump via rvc_vectors.h (regenerate with gen_rvc_vectors.sh, which also
 * checks all 65536 halfwords against objdump before recording their digest);
 * the reserved-encoding list and the hand-written cases below come straight
 * from the spec's RVC listings. Touches nothing but rvc_expand(). */
#include <stddef.h>
#include <stdint.h>

#include "cpu/rvc.h"
#include "rvc_vectors.h"
#include "ut.h"

UT_MAIN_STATE

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Every code point that is reserved on RV64GC (unpriv spec, "RVC Instruction
 * Set Listings", tables rvc-instr-table0..2); everything else with bits
 * 1:0 != 11 must expand, HINTs included. */
static const struct {
    uint16_t mask, match;
    unsigned count; /* how many halfwords the pattern covers */
    const char *what;
} reserved[] = {
    {0xffe3, 0x0000, 8, "c.addi4spn nzuimm=0 (incl. the all-zero insn)"},
    {0xe003, 0x8000, 2048, "quadrant 0 funct3=100"},
    {0xef83, 0x2001, 64, "c.addiw rd=0"},
    {0xf07f, 0x6001, 32, "c.lui / c.addi16sp nzimm=0"},
    {0xef83, 0x4002, 64, "c.lwsp rd=0"},
    {0xef83, 0x6002, 64, "c.ldsp rd=0"},
    {0xffff, 0x8002, 1, "c.jr rs1=0"},
    {0xfc43, 0x9c41, 128, "CA funct6=100111 funct2=1x"},
};

static int spec_reserved(uint16_t c)
{
    for (size_t i = 0; i < ARRAY_LEN(reserved); i++)
        if ((c & reserved[i].mask) == reserved[i].match) return 1;
    return 0;
}

static void test_vectors(void)
{
    for (size_t i = 0; i < ARRAY_LEN(rvc_vectors); i++) {
        uint32_t out = 0;
        int rc = rvc_expand(rvc_vectors[i].c, &out);
        if (rc != 0 || out != rvc_vectors[i].expanded) {
            fprintf(stderr, "  vector %zu: c=0x%04x\n", i, rvc_vectors[i].c);
            UT_EQ(rc, 0);
            UT_EQ(out, rvc_vectors[i].expanded);
        }
    }
    UT_CHECK(ARRAY_LEN(rvc_vectors) > 3000);
}

/* The digest covers the exact expansion of every halfword; the generator only
 * records it after objdump agreed with each one. */
static void test_exhaustive_digest(void)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint32_t c = 0; c < 0x10000; c++) {
        uint32_t out;
        if ((c & 3) == 3) continue;
        if (rvc_expand((uint16_t)c, &out) != 0) out = 0xffffffffu;
        for (int b = 0; b < 4; b++) {
            h ^= (out >> (8 * b)) & 0xff;
            h *= 0x100000001b3ull;
        }
    }
    UT_EQ(h, RVC_EXHAUSTIVE_FNV1A);
}

/* The pattern counts add up, so the table above names each reserved code
 * point once: 2409 reserved, 46743 legal (what the generator also found). */
static void test_reserved_table(void)
{
    unsigned total = 0, matched = 0;
    for (size_t i = 0; i < ARRAY_LEN(reserved); i++) {
        unsigned n = 0;
        for (uint32_t c = 0; c < 0x10000; c++)
            n += (c & reserved[i].mask) == reserved[i].match;
        if (n != reserved[i].count) fprintf(stderr, "  %s\n", reserved[i].what);
        UT_EQ(n, reserved[i].count);
        total += reserved[i].count;
    }
    for (uint32_t c = 0; c < 0x10000; c++)
        matched += spec_reserved((uint16_t)c);
    UT_EQ(total, 2409);
    UT_EQ(matched, total); /* no overlaps */
}

static int known_opcode(uint32_t opc)
{
    switch (opc) {
    case 0x03:           /* LOAD */
    case 0x07:           /* LOAD-FP */
    case 0x13:           /* OP-IMM */
    case 0x1b:           /* OP-IMM-32 */
    case 0x23:           /* STORE */
    case 0x27:           /* STORE-FP */
    case 0x33:           /* OP */
    case 0x37:           /* LUI */
    case 0x3b:           /* OP-32 */
    case 0x63:           /* BRANCH */
    case 0x67:           /* JALR */
    case 0x6f:           /* JAL */
    case 0x73: return 1; /* SYSTEM (ebreak) */
    default: return 0;
    }
}

static void test_exhaustive_legality(void)
{
    unsigned legal = 0, bad = 0;
    for (uint32_t c = 0; c < 0x10000; c++) {
        uint32_t out = 0xdeadbeef;
        int rc = rvc_expand((uint16_t)c, &out);
        int want_reserved = (c & 3) == 3 || spec_reserved((uint16_t)c);
        int ok = want_reserved ? rc == -1 && out == 0xdeadbeef
                               : rc == 0 && (out & 3) == 3 && known_opcode(out & 0x7f);
        if (!ok && bad++ < 10)
            fprintf(stderr, "  c=0x%04x rc=%d out=0x%08x\n", (unsigned)c, rc, out);
        legal += rc == 0;
    }
    UT_EQ(bad, 0);
    UT_EQ(legal, 46743);
}

/* Hand-encoded from the spec's expansions, for the cases where a mistake
 * would be easiest to make: HINTs (which must expand, not trap), extremes of
 * the scrambled immediates, and the RV64-only meanings of shared opcodes. */
static void test_named_cases(void)
{
    static const struct {
        uint16_t c;
        uint32_t want;
        const char *what;
    } cases[] = {
        {0x0001, 0x00000013, "c.nop = addi x0,x0,0"},
        {0x1005, 0xfe100013, "c.nop -31 (HINT)"},
        {0x0501, 0x00050513, "c.addi a0,0 (HINT)"},
        {0x1001, 0xfe000013, "c.addi x0,-32 (HINT)"},
        {0x2501, 0x0005051b, "c.addiw a0,0 = sext.w (c.jal on RV32)"},
        {0x37fd, 0xfff7879b, "c.addiw a5,-1"},
        {0x4015, 0x00500013, "c.li x0,5 (HINT)"},
        {0x7101, 0xe0010113, "c.addi16sp -512"},
        {0x617d, 0x1f010113, "c.addi16sp 496"},
        {0x6005, 0x00001037, "c.lui x0,1 (HINT)"},
        {0x757d, 0xfffff537, "c.lui a0,0xfffff"},
        {0x657d, 0x0001f537, "c.lui a0,0x1f"},
        {0x8001, 0x00045413, "c.srli64 s0 = srli s0,s0,0 (HINT)"},
        {0x97fd, 0x43f7d793, "c.srai a5,63 (shamt[5] used)"},
        {0x9f9d, 0x40f787bb, "c.subw a5,a5,a5"},
        {0x9fbd, 0x00f787bb, "c.addw a5,a5,a5"},
        {0xaffd, 0x7fe0006f, "c.j +2046"},
        {0xb001, 0x801ff06f, "c.j -2048"},
        {0xcffd, 0x0e078f63, "c.beqz a5,+254"},
        {0xf001, 0xf00410e3, "c.bnez s0,-256"},
        {0x000e, 0x00301013, "c.slli x0,3 (HINT)"},
        {0x0502, 0x00051513, "c.slli64 a0 (HINT)"},
        {0x1ffe, 0x03ff9f93, "c.slli t6,63"},
        {0x8502, 0x00050067, "c.jr a0"},
        {0x9502, 0x000500e7, "c.jalr a0"},
        {0x9002, 0x00100073, "c.ebreak"},
        {0x852e, 0x00b00533, "c.mv a0,a1 = add a0,x0,a1 (not addi)"},
        {0x802a, 0x00a00033, "c.mv x0,a0 (HINT)"},
        {0x902a, 0x00a00033, "c.add x0,a0 (HINT)"},
        {0x3ce0, 0x0f84b407, "c.fld fs0,248(s1)"},
        {0x307e, 0x1f813007, "c.fldsp ft0,504(sp)"},
        {0xbffc, 0x0ef7bc27, "c.fsd fa5,248(a5) (c.fsw on RV32)"},
        {0xfffc, 0x0ef7bc23, "c.sd a5,248(a5) (c.fsw on RV32)"},
        {0x7ffc, 0x0f87b783, "c.ld a5,248(a5) (c.flw on RV32)"},
        {0x5ffc, 0x07c7a783, "c.lw a5,124(a5)"},
        {0x7ffe, 0x1f813f83, "c.ldsp t6,504(sp)"},
        {0x5ffe, 0x0fc12f83, "c.lwsp t6,252(sp)"},
        {0xfffe, 0x1ff13c23, "c.sdsp t6,504(sp)"},
        {0xc002, 0x00012023, "c.swsp x0,0(sp)"},
        {0x1ffc, 0x3fc10793, "c.addi4spn a5,1020"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        uint32_t out = 0;
        int rc = rvc_expand(cases[i].c, &out);
        if (rc != 0 || out != cases[i].want) fprintf(stderr, "  %s\n", cases[i].what);
        UT_EQ(rc, 0);
        UT_EQ(out, cases[i].want);
    }
}

/* One or two halfwords per reserved class, each beside a legal neighbour
 * that differs only in the field that makes it reserved. */
static void test_reserved_examples(void)
{
    static const struct {
        uint16_t reserved, legal;
    } pairs[] = {
        {0x0000, 0x0040}, /* c.addi4spn s0,0 (all-zero) vs s0,4 */
        {0x001c, 0x003c}, /* c.addi4spn a5,0 vs a5,8 */
        {0x8000, 0xc000}, /* q0 funct3=100 vs c.sw */
        {0x9ffc, 0xdffc}, /* q0 funct3=100 vs c.sw, all other bits set */
        {0x2001, 0x2081}, /* c.addiw x0,0 vs ra,0 */
        {0x307d, 0x30fd}, /* c.addiw x0,-1 vs ra,-1 */
        {0x6101, 0x6141}, /* c.addi16sp 0 vs 16 */
        {0x6001, 0x6005}, /* c.lui x0,0 vs x0,1 (a HINT, legal) */
        {0x6281, 0x6285}, /* c.lui t0,0 vs t0,1 */
        {0x4002, 0x4082}, /* c.lwsp x0,0 vs ra,0 */
        {0x507e, 0x50fe}, /* c.lwsp x0,252 vs ra,252 */
        {0x6002, 0x6082}, /* c.ldsp x0,0 vs ra,0 */
        {0x707e, 0x70fe}, /* c.ldsp x0,504 vs ra,504 */
        {0x8002, 0x8082}, /* c.jr x0 vs ra */
        {0x9c41, 0x9c01}, /* CA funct2=10 with funct6[2]=1 vs c.subw */
        {0x9ffd, 0x9fbd}, /* CA funct2=11 vs c.addw, other bits set */
        {0x0003, 0x0001}, /* quadrant 3 is 32-bit space vs c.nop */
        {0xffff, 0xfffd}, /* quadrant 3 vs c.bnez */
    };
    for (size_t i = 0; i < ARRAY_LEN(pairs); i++) {
        uint32_t out = 0;
        if (rvc_expand(pairs[i].reserved, &out) != -1 || rvc_expand(pairs[i].legal, &out) != 0)
            fprintf(stderr, "  pair 0x%04x / 0x%04x\n", pairs[i].reserved, pairs[i].legal);
        UT_EQ(rvc_expand(pairs[i].reserved, &out), -1);
        UT_EQ(rvc_expand(pairs[i].legal, &out), 0);
    }
}

int main(void)
{
    ut_run("rvc_vectors", test_vectors);
    ut_run("rvc_exhaustive_digest", test_exhaustive_digest);
    ut_run("rvc_reserved_table", test_reserved_table);
    ut_run("rvc_exhaustive_legality", test_exhaustive_legality);
    ut_run("rvc_named_cases", test_named_cases);
    ut_run("rvc_reserved_examples", test_reserved_examples);
    return ut_exit();
}
