/* Unit tests for the CPU model (src/cpu/cpu_model.c): the --cpu parser's
 * accepted forms and its one-line refusals, the default model, and what a
 * model gives misa, the device tree's ISA properties, the snapshot's name
 * list and the decoder (an instruction of an extension left out decodes as
 * illegal in a block, so both engines trap on it). */
#include <errno.h>
#include <string.h>

#include "cpu/block.h"
#include "cpu/cpu_model.h"
#include "cpu/decode.h"
#include "ut.h"

UT_MAIN_STATE

#define MISA_64 (2ULL << 62)
#define L(c)    (1ULL << ((c) - 'A'))
#define MISA_DEFAULT                                                                               \
    (MISA_64 | L('I') | L('M') | L('A') | L('F') | L('D') | L('C') | L('S') | L('U') | L('H'))

static void test_default(void)
{
    struct cpu_model m, p;
    char buf[256], err[256];
    cpu_model_default(&m);
    UT_EQ(cpu_model_misa(&m), MISA_DEFAULT);
    UT_CHECK(cpu_model_has(&m, CPU_EXT_h)); /* as QEMU's rv64 */
    cpu_model_isa_string(&m, buf, sizeof(buf));
    UT_CHECK(!strcmp(
        buf, "rv64imafdch_zicsr_zifencei_zicntr_zihintpause_zba_zbb_zbc_zbs_sscofpmf_sstc"));
    UT_EQ(cpu_model_format(&m, buf, sizeof(buf)), 4);
    UT_CHECK(!strcmp(buf, "rv64"));
    UT_EQ(cpu_model_parse(&p, "rv64", err, sizeof(err)), 0);
    UT_EQ(p.ext, m.ext);
    UT_EQ(cpu_model_parse(&p, "RV64", err, sizeof(err)), 0);
    UT_EQ(p.ext, m.ext);
}

static void test_toggles(void)
{
    struct cpu_model m;
    char buf[256], err[256];
    UT_EQ(cpu_model_parse(&m, "rv64,d=off", err, sizeof(err)), 0);
    UT_EQ(cpu_model_misa(&m), MISA_DEFAULT & ~L('D'));
    cpu_model_isa_string(&m, buf, sizeof(buf));
    UT_CHECK(
        !strcmp(buf, "rv64imafch_zicsr_zifencei_zicntr_zihintpause_zba_zbb_zbc_zbs_sscofpmf_sstc"));
    cpu_model_format(&m, buf, sizeof(buf));
    UT_CHECK(!strcmp(buf, "rv64,d=off"));
    /* QEMU's spellings, repeats (last wins) and case. */
    UT_EQ(cpu_model_parse(&m, "rv64,f=false,d=false,d=true,D=off", err, sizeof(err)), 0);
    UT_EQ(cpu_model_misa(&m), MISA_DEFAULT & ~L('D') & ~L('F'));
    cpu_model_format(&m, buf, sizeof(buf));
    UT_CHECK(!strcmp(buf, "rv64,f=off,d=off"));
    /* Format parses back to the same model. */
    struct cpu_model back;
    UT_EQ(cpu_model_parse(&back, buf, err, sizeof(err)), 0);
    UT_EQ(back.ext, m.ext);
    /* h (on by default) comes after c; h=off leaves misa.H and the ISA
     * string's h out, and is what the shortest spec of that model says. */
    UT_EQ(cpu_model_parse(&m, "rv64,h=on", err, sizeof(err)), 0);
    UT_EQ(cpu_model_misa(&m), MISA_DEFAULT);
    UT_EQ(cpu_model_parse(&m, "rv64,h=off", err, sizeof(err)), 0);
    UT_EQ(cpu_model_misa(&m), MISA_DEFAULT & ~L('H'));
    UT_CHECK(!cpu_model_has(&m, CPU_EXT_h));
    cpu_model_isa_string(&m, buf, sizeof(buf));
    UT_CHECK(
        !strcmp(buf, "rv64imafdc_zicsr_zifencei_zicntr_zihintpause_zba_zbb_zbc_zbs_sscofpmf_sstc"));
    cpu_model_format(&m, buf, sizeof(buf));
    UT_CHECK(!strcmp(buf, "rv64,h=off"));
    /* Fixed extensions may be named at their fixed value. */
    UT_EQ(cpu_model_parse(&m, "rv64,c=on,h=off,zicsr=true", err, sizeof(err)), 0);
}

static void test_isa_extensions(void)
{
    struct cpu_model m;
    char buf[256], err[256];
    UT_EQ(cpu_model_parse(&m, "rv64,d=off", err, sizeof(err)), 0);
    int n = cpu_model_isa_extensions(&m, buf, sizeof(buf));
    static const char want[] = "i\0m\0a\0f\0c\0h\0zicsr\0zifencei\0zicntr\0zihintpause\0zba\0zbb\0z"
                               "bc\0zbs\0sscofpmf\0sstc";
    UT_EQ(n, sizeof(want));
    UT_CHECK(n == sizeof(want) && !memcmp(buf, want, sizeof(want)));
    UT_EQ(cpu_model_isa_extensions(&m, buf, 8), -ENOSPC);
}

/* Each refusal is one line naming the problem; the model is left alone. */
static void test_errors(void)
{
    static const struct {
        const char *spec, *says;
    } bad[] = {
        {"", "must start with rv64"},
        {"rv32", "must start with rv64"},
        {"rv64x", "must start with rv64"},
        {"max", "must start with rv64"},
        {"rv64,", "expected EXT=on|off"},
        {"rv64,,d=on", "expected EXT=on|off"},
        {"rv64,d", "expected EXT=on|off"},
        {"rv64,foo=on", "unknown extension 'foo'"},
        {"rv64,=on", "unknown extension ''"},
        {"rv64,d=maybe", "d= must be on or off"},
        {"rv64,d=", "d= must be on or off"},
        {"rv64,f=off", "d needs f"}, /* the spec: D depends on F */
        {"rv64,c=off", "cannot be turned off"},
        {"rv64,s=off", "cannot be turned off"},
        {"rva24", "must start with rv64, rva22 or rva23"},
        {"rva", "must start with rv64, rva22 or rva23"},
        {"rva23,zbx=on", "unknown extension 'zbx'"},
    };
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        struct cpu_model m = {.ext = 0x1234};
        char err[512] = "";
        int rc = cpu_model_parse(&m, bad[k].spec, err, sizeof(err));
        UT_EQ(rc, -EINVAL);
        UT_EQ(m.ext, 0x1234);
        if (!strstr(err, bad[k].says) || strchr(err, '\n'))
            fprintf(stderr, "  '%s': message '%s' lacks '%s'\n", bad[k].spec, err, bad[k].says);
        UT_CHECK(strstr(err, bad[k].says) && !strchr(err, '\n'));
    }
}

/* The profiles: rv64's extensions plus the mandatory ones rvmm has (and
 * nothing it lacks: no v); toggles apply on top, and the shortest
 * spec of a profile's model is an rv64 one that parses back to it. */
static void test_profiles(void)
{
    struct cpu_model m, back;
    char buf[512], err[256];
    UT_EQ(cpu_model_parse(&m, "rva22", err, sizeof(err)), 0);
    static const enum cpu_ext rva22[] = {CPU_EXT_zba,    CPU_EXT_zbb,         CPU_EXT_zbs,
                                         CPU_EXT_zicbom, CPU_EXT_zicbop,      CPU_EXT_zicboz,
                                         CPU_EXT_zkt,    CPU_EXT_zihintpause, CPU_EXT_zfhmin};
    for (size_t k = 0; k < sizeof(rva22) / sizeof(rva22[0]); k++)
        UT_CHECK(cpu_model_has(&m, rva22[k]));
    UT_CHECK(!cpu_model_has(&m, CPU_EXT_zicond));
    UT_CHECK(cpu_model_has(&m, CPU_EXT_h)); /* rv64's, optional in RVA22S64 */
    UT_CHECK(!cpu_model_has(&m, CPU_EXT_zfa) && !cpu_model_has(&m, CPU_EXT_zfh));
    UT_CHECK(cpu_model_has(&m, CPU_EXT_svpbmt) && cpu_model_has(&m, CPU_EXT_svinval));
    UT_CHECK(!cpu_model_has(&m, CPU_EXT_svnapot) && !cpu_model_has(&m, CPU_EXT_ssstateen));
    UT_EQ(cpu_model_parse(&m, "RVA23", err, sizeof(err)), 0);
    static const enum cpu_ext rva23[] = {
        CPU_EXT_zicond,    CPU_EXT_zimop, CPU_EXT_zcmop,  CPU_EXT_zcb,     CPU_EXT_zawrs,
        CPU_EXT_zihintntl, CPU_EXT_zfa,   CPU_EXT_zfhmin, CPU_EXT_svnapot, CPU_EXT_ssstateen};
    for (size_t k = 0; k < sizeof(rva23) / sizeof(rva23[0]); k++)
        UT_CHECK(cpu_model_has(&m, rva23[k]));
    cpu_model_isa_string(&m, buf, sizeof(buf));
    UT_CHECK(strstr(buf, "_zicboz_") && strstr(buf, "_zcb_") && strstr(buf, "_zkt_"));
    UT_CHECK(strstr(buf, "_zfa_zfhmin_zcb_") != NULL); /* canonical order: F's Z before C's */
    cpu_model_format(&m, buf, sizeof(buf));
    UT_EQ(cpu_model_parse(&back, buf, err, sizeof(err)), 0);
    UT_EQ(back.ext, m.ext);
    UT_EQ(cpu_model_parse(&m, "rva23,zcb=off,zicond=off", err, sizeof(err)), 0);
    UT_CHECK(!cpu_model_has(&m, CPU_EXT_zcb) && !cpu_model_has(&m, CPU_EXT_zicond));
    UT_CHECK(cpu_model_has(&m, CPU_EXT_zimop));
    /* Every extension a profile turns on is one the decoder knows or a
     * hint: its instructions decode under that model. */
    UT_EQ(cpu_model_parse(&m, "rv64,zba=off,zbb=off,zbc=off,zbs=off", err, sizeof(err)), 0);
    cpu_model_isa_string(&m, buf, sizeof(buf));
    UT_CHECK(!strcmp(buf, "rv64imafdch_zicsr_zifencei_zicntr_zihintpause_sscofpmf_sstc"));
}

static void test_list_round_trip(void)
{
    struct cpu_model m, back;
    char buf[256], err[256];
    UT_EQ(cpu_model_parse(&m, "rv64,f=off,d=off", err, sizeof(err)), 0);
    cpu_model_list(&m, buf, sizeof(buf));
    UT_CHECK(!strcmp(
        buf, "i,m,a,c,s,u,h,zicsr,zifencei,zicntr,zihintpause,zba,zbb,zbc,zbs,sscofpmf,sstc"));
    UT_EQ(cpu_model_from_list(&back, buf, err, sizeof(err)), 0);
    UT_EQ(back.ext, m.ext);
    UT_EQ(cpu_model_from_list(&back, "i,m,warp", err, sizeof(err)), -EINVAL);
    UT_EQ(cpu_model_from_list(&back, "i,d", err, sizeof(err)), -EINVAL); /* d without f */
    UT_EQ(cpu_model_from_list(&back, "m,a", err, sizeof(err)), -EINVAL); /* no base */
    UT_EQ(cpu_model_from_list(&back, "", err, sizeof(err)), -EINVAL);
}

/* The decoder accepts an extension's instructions only with it on. */
static void test_decoder_acceptance(void)
{
    struct cpu_model def, nod, nof;
    char err[256];
    /* def: the default model without h, so the H cases show the decoder
     * refusing what a model lacks. */
    UT_EQ(cpu_model_parse(&def, "rv64,h=off", err, sizeof(err)), 0);
    UT_EQ(cpu_model_parse(&nod, "rv64,d=off", err, sizeof(err)), 0);
    UT_EQ(cpu_model_parse(&nof, "rv64,f=off,d=off", err, sizeof(err)), 0);
    static const struct {
        uint32_t raw;
        int ext; /* -1: every model */
    } cases[] = {
        {0x003170d3, CPU_EXT_f}, /* fadd.s */
        {0x00012087, CPU_EXT_f}, /* flw */
        {0x023170d3, CPU_EXT_d}, /* fadd.d */
        {0x00013087, CPU_EXT_d}, /* fld */
        {0x223170c3, CPU_EXT_d}, /* fmadd.d */
        {0xe2008553, CPU_EXT_d}, /* fmv.x.d */
        {0x2000, CPU_EXT_d},     /* c.fld */
        {0x00b50533, -1},        /* add */
        {0x02b50533, -1},        /* mul */
        {0x00302573, -1},        /* csrr fcsr: the CSR, not the decoder, decides */
        {0x6c05c573, CPU_EXT_h}, /* hlv.d */
        {0x62000073, CPU_EXT_h}, /* hfence.gvma */
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        struct rv_insn in;
        decode_insn(cases[k].raw, &in);
        UT_CHECK(in.op != RV_OP_illegal);
        bool h = cases[k].ext == CPU_EXT_h;
        UT_EQ(cpu_model_allows_op(def.ext, in.op), !h);
        UT_EQ(cpu_model_allows_op(def.ext | CPU_X(h), in.op), true);
        bool d_ok = cases[k].ext != CPU_EXT_d; /* nod and nof have h */
        bool f_ok = cases[k].ext == -1 || h;
        UT_EQ(cpu_model_allows_op(nod.ext, in.op), d_ok);
        UT_EQ(cpu_model_allows_op(nof.ext, in.op), f_ok);
    }
    /* In a block: the instruction becomes illegal and ends the block. */
    static _Alignas(16)
        uint8_t mem[sizeof(struct rv_block) + (BLOCK_MAX_INSNS + 1) * sizeof(struct rv_insn)];
    struct rv_block *b = (struct rv_block *)mem;
    const uint32_t code[] = {0x00b50533, 0x023170d3, 0x00b50533};
    block_decode(b, nod.ext, 0x1000, 0x80001000, (const uint8_t *)code, sizeof(code));
    UT_EQ(b->n, 2);
    UT_EQ(b->insns[1].op, RV_OP_illegal);
    block_decode(b, def.ext, 0x1000, 0x80001000, (const uint8_t *)code, sizeof(code));
    UT_EQ(b->n, 3);
    UT_EQ(b->insns[1].op, RV_OP_fadd_d);
}

int main(void)
{
    ut_run("cpu_model_default", test_default);
    ut_run("cpu_model_toggles", test_toggles);
    ut_run("cpu_model_isa_extensions", test_isa_extensions);
    ut_run("cpu_model_errors", test_errors);
    ut_run("cpu_model_list_round_trip", test_list_round_trip);
    ut_run("cpu_model_profiles", test_profiles);
    ut_run("cpu_model_decoder_acceptance", test_decoder_acceptance);
    return ut_exit();
}
