/* Unit tests for the CSR file (src/cpu/csr.c) through csr_access(): the
 * privilege and read-only rules encoded in the CSR number (priv spec 2.1),
 * the WARL legalisations of mstatus, mtvec, xepc, satp and pmpcfg, the
 * S-mode views of M registers, FS gating of the FP CSRs, counter enables and
 * PMP lock semantics. Drives a bare hart; executes no instructions. */
#include <stdlib.h>
#include <string.h>

#include "cpu/csr.h"
#include "ut.h"

UT_MAIN_STATE

#define S_INTS   (MIP_SSIP | MIP_STIP | MIP_SEIP)
#define ALL_INTS (S_INTS | MIP_MSIP | MIP_MTIP | MIP_MEIP)

static int bus_read(void *opaque, gpa_t pa, unsigned size, uint64_t *val)
{
    return -1;
}

static int bus_write(void *opaque, gpa_t pa, unsigned size, uint64_t val)
{
    return -1;
}

static struct guest_ram ram;
static struct rv_hart *h;
static struct vclock vclk;

static void setup(unsigned priv)
{
    if (!h) {
        h = calloc(1, sizeof(*h));
        UT_EQ(ram_create(&ram, 0x80000000, 1 << 16), 0);
        struct hart_bus hb = {NULL, bus_read, bus_write};
        UT_EQ(hart_init(h, 7, &ram, &hb, &vclk), 0);
        /* The plain CSR file: the H extension's rows are tested with
         * set_model("rv64,h=on"), Sscofpmf's in test_pmu.c. */
        struct cpu_model m;
        char err[256];
        UT_EQ(cpu_model_parse(&m, "rv64,h=off,sscofpmf=off", err, sizeof(err)), 0);
        hart_set_model(h, &m);
    }
    hart_reset(h, 0x80000000);
    h->priv = (uint8_t)priv;
}

/* csrrw: returns the old value, or ~0 (and counts a failure) if illegal. */
static uint64_t wr(unsigned csr, uint64_t v)
{
    uint64_t old = ~0ULL;
    if (csr_access(h, csr, CSR_OP_WRITE, v, true, &old)) {
        fprintf(stderr, "  write of csr 0x%03x at priv %u was illegal\n", csr, h->priv);
        UT_CHECK(0);
    }
    return old;
}

static uint64_t rd(unsigned csr)
{
    uint64_t v = ~0ULL;
    if (csr_access(h, csr, CSR_OP_SET, 0, false, &v)) {
        fprintf(stderr, "  read of csr 0x%03x at priv %u was illegal\n", csr, h->priv);
        UT_CHECK(0);
    }
    return v;
}

static int try_rd(unsigned csr)
{
    uint64_t v;
    return csr_access(h, csr, CSR_OP_SET, 0, false, &v);
}

static int try_wr(unsigned csr, uint64_t val)
{
    uint64_t v;
    return csr_access(h, csr, CSR_OP_WRITE, val, true, &v);
}

/* Bits 9:8 of the number give the lowest privilege that may access it. */
static void test_privilege_from_number(void)
{
    static const unsigned s_csrs[] = {CSR_SSTATUS, CSR_SIE, CSR_STVEC, CSR_SSCRATCH,
                                      CSR_SEPC,    CSR_SIP, CSR_SATP};
    static const unsigned m_csrs[] = {CSR_MSTATUS, CSR_MISA,     CSR_MEDELEG, CSR_MIE,
                                      CSR_MTVEC,   CSR_MSCRATCH, CSR_MEPC,    CSR_MIP,
                                      CSR_PMPCFG0, CSR_PMPADDR0, CSR_MHARTID, 0xb00};
    for (size_t k = 0; k < sizeof(s_csrs) / sizeof(s_csrs[0]); k++) {
        setup(PRV_U);
        UT_EQ(try_rd(s_csrs[k]), -1);
        UT_EQ(try_wr(s_csrs[k], 0), -1);
        setup(PRV_S);
        UT_EQ(try_rd(s_csrs[k]), 0);
        UT_EQ(try_wr(s_csrs[k], 0), 0);
    }
    for (size_t k = 0; k < sizeof(m_csrs) / sizeof(m_csrs[0]); k++) {
        setup(PRV_U);
        UT_EQ(try_rd(m_csrs[k]), -1);
        setup(PRV_S);
        UT_EQ(try_rd(m_csrs[k]), -1);
        UT_EQ(try_wr(m_csrs[k], 0), -1);
        setup(PRV_M);
        UT_EQ(try_rd(m_csrs[k]), 0);
    }
    /* U-level CSRs are reachable from U (given FS on for the FP ones). */
    setup(PRV_U);
    h->mstatus |= MSTATUS_FS;
    UT_EQ(try_rd(CSR_FCSR), 0);
    UT_EQ(try_wr(CSR_FRM, 1), 0);
    /* Unimplemented numbers are illegal at any privilege. */
    setup(PRV_M);
    static const unsigned none[] = {0x7c0, 0x800, 0x5c0, 0x600, 0x3a1, 0x107, 0x14e, 0xfc0};
    for (size_t k = 0; k < sizeof(none) / sizeof(none[0]); k++) {
        UT_EQ(try_rd(none[k]), -1);
        UT_EQ(try_wr(none[k], 0), -1);
    }
}

/* The table by privilege: every number rvmm has is named, and the rules
 * of the number (priv spec 2.1) hold for each at every privilege: below
 * its level, any access is illegal; a write to a read-only number is
 * illegal at any level; a CSR without a predicate of its own is readable
 * from its level up. Numbers rvmm lacks are illegal even in M. */
static bool is_h_csr(unsigned csr)
{
    return (csr >> 8) == 2 || (csr >> 8) == 6 || csr == CSR_HGEIP || csr == CSR_MTVAL2 ||
           csr == CSR_MTINST;
}

/* The vector CSRs (V chapter 3): absent without V (test_vec_csrs). */
static bool is_v_csr(unsigned csr)
{
    return csr == CSR_VSTART || csr == CSR_VXSAT || csr == CSR_VXRM || csr == CSR_VCSR ||
           csr == CSR_VL || csr == CSR_VTYPE || csr == CSR_VLENB;
}

static void set_model(const char *spec)
{
    struct cpu_model m;
    char err[256];
    setup(PRV_M);
    UT_EQ(cpu_model_parse(&m, spec, err, sizeof(err)), 0);
    hart_set_model(h, &m);
}

static void table_by_privilege(bool with_h)
{
    char buf[32];
    unsigned named = 0;
    set_model(with_h ? "rv64,h=on" : "rv64,h=off,sscofpmf=off");
    for (unsigned csr = 0; csr < 4096; csr++) {
        const char *name = csr_name(csr, buf, sizeof(buf));
        unsigned level = (csr >> 8) & 3;
        /* Hypervisor-level numbers (bits 9:8 = 2) belong to HS-mode. */
        unsigned need = level == 2 ? PRV_S : level;
        bool ro = (csr >> 10) == 3;
        /* The state-enable CSRs exist only with Smstateen (test_stateen). */
        bool stateen =
            (csr & 0xfc) == 0x0c && ((csr >> 8) == 1 || (csr >> 8) == 3 || (csr >> 8) == 6);
        /* scountovf exists only with Sscofpmf (on with h=on here). */
        bool scof = csr == CSR_SCOUNTOVF && !with_h;
        bool absent = !name || (is_h_csr(csr) && !with_h) || stateen || scof || is_v_csr(csr);
        for (unsigned priv = PRV_U; priv <= PRV_M; priv++) {
            if (priv == 2) continue;
            setup(priv);
            h->mstatus |= MSTATUS_FS;
            h->mcounteren = h->scounteren = ~0u;
            h->menvcfg |= MENVCFG_STCE;
            int r = try_rd(csr);
            if (absent || priv < need) {
                if (r != -1) fprintf(stderr, "  csr 0x%03x readable at priv %u\n", csr, priv);
                UT_EQ(r, -1);
                UT_EQ(try_wr(csr, 0), -1);
                continue;
            }
            if (csr >= CSR_PMPCFG0 && csr < CSR_PMPADDR0 && (csr & 1))
                UT_EQ(r, -1); /* odd pmpcfg: absent on RV64 */
            else
                UT_EQ(r, 0);
            if (ro) UT_EQ(try_wr(csr, 0), -1);
        }
        named += name != NULL;
    }
    /* 45 single CSRs and 26 of the H extension, pmpcfg0..15, pmpaddr0..63,
     * three runs of 29 (mhpmevent3..31, mhpmcounter3..31,
     * hpmcounter3..31), three of 4 (m/h/sstateen0..3) and 7 of V. */
    UT_EQ(named, 45 + 26 + 16 + 64 + 3 * 29 + 3 * 4 + 7); /* also: binary search finds every row */
    UT_CHECK(!strcmp(csr_name(CSR_PMPADDR0 + 5, buf, sizeof(buf)), "pmpaddr5"));
    UT_CHECK(!strcmp(csr_name(0xc1f, buf, sizeof(buf)), "hpmcounter31"));
    UT_CHECK(!strcmp(csr_name(0x323, buf, sizeof(buf)), "mhpmevent3"));
    UT_CHECK(!strcmp(csr_name(CSR_SATP, buf, sizeof(buf)), "satp"));
    UT_CHECK(csr_name(0x7c0, buf, sizeof(buf)) == NULL);
    set_model("rv64,h=off,sscofpmf=off");
}

static void test_table_by_privilege(void)
{
    table_by_privilege(false);
    table_by_privilege(true);
}

/* With V=1 (priv spec 8.6.1): VS-mode reaches the VS CSR behind an S one,
 * H and VS CSRs by number are virtual instructions, M CSRs illegal; VU-mode
 * gets a virtual instruction for S CSRs too. hcounteren gates counters
 * with virtual instructions. */
static void test_virtual_access(void)
{
    set_model("rv64,h=on");
    h->priv = PRV_S;
    h->virt = 1;
    h->vsscratch = 0x1234;
    h->sscratch = 0x5678;
    UT_EQ(rd(CSR_SSCRATCH), 0x1234);
    wr(CSR_SSCRATCH, 0x42);
    UT_EQ(h->vsscratch, 0x42);
    UT_EQ(h->sscratch, 0x5678);
    uint64_t v;
    UT_EQ(csr_access(h, CSR_HSTATUS, CSR_OP_SET, 0, false, &v), CSR_VIRTUAL);
    UT_EQ(csr_access(h, CSR_VSSCRATCH, CSR_OP_SET, 0, false, &v), CSR_VIRTUAL);
    UT_EQ(csr_access(h, CSR_MSTATUS, CSR_OP_SET, 0, false, &v), CSR_ILLEGAL);
    h->mcounteren = 7;
    h->hcounteren = 0;
    UT_EQ(csr_access(h, CSR_CYCLE, CSR_OP_SET, 0, false, &v), CSR_VIRTUAL);
    h->hcounteren = 7;
    UT_EQ(csr_access(h, CSR_CYCLE, CSR_OP_SET, 0, false, &v), 0);
    h->mcounteren = 0;
    UT_EQ(csr_access(h, CSR_CYCLE, CSR_OP_SET, 0, false, &v), CSR_ILLEGAL);
    h->hstatus |= HSTATUS_VTVM;
    UT_EQ(csr_access(h, CSR_SATP, CSR_OP_SET, 0, false, &v), CSR_VIRTUAL);
    h->priv = PRV_U;
    UT_EQ(csr_access(h, CSR_SSCRATCH, CSR_OP_SET, 0, false, &v), CSR_VIRTUAL);
    h->virt = 0;
    UT_EQ(csr_access(h, CSR_SSCRATCH, CSR_OP_SET, 0, false, &v), CSR_ILLEGAL);
    /* HS-mode reaches the H CSRs; hgatp's MODE is WARL (Linux probes it),
     * its PPN 16 KiB aligned. */
    h->priv = PRV_S;
    wr(CSR_HGATP, 10ULL << 60 | 0x3fffULL << 44 | 0x12347);
    UT_EQ(rd(CSR_HGATP), 10ULL << 60 | 0x3fffULL << 44 | 0x12344);
    wr(CSR_HGATP, 5ULL << 60 | 0x80000);
    UT_EQ(rd(CSR_HGATP) >> 60, 0);
    UT_EQ(rd(CSR_HSTATUS) >> 32 & 3, 2); /* VSXL = 64 */
    wr(CSR_HEDELEG, ~0ULL);
    UT_EQ(rd(CSR_HEDELEG), 0xb1ff);
    wr(CSR_HIDELEG, ~0ULL);
    UT_EQ(rd(CSR_HIDELEG), VS_INTS);
    /* hvip sets the VS bits of mip; vsip shows them to the guest shifted. */
    wr(CSR_HVIP, VS_INTS);
    UT_EQ(h->mip & VS_INTS, VS_INTS);
    h->priv = PRV_M;
    UT_EQ(rd(CSR_MIDELEG) & (VS_INTS | MIP_SGEIP), VS_INTS | MIP_SGEIP);
    UT_EQ(rd(CSR_VSIP), MIP_SSIP | MIP_STIP | MIP_SEIP);
    set_model("rv64,h=off,sscofpmf=off");
}

/* Bits 11:10 == 3 mark read-only CSRs: any write is illegal, a read (csrrs
 * or csrrc with x0, which does not write) is fine. */
static void test_read_only(void)
{
    setup(PRV_M);
    UT_EQ(rd(CSR_MHARTID), 7);
    UT_EQ(rd(CSR_MVENDORID), 0);
    uint64_t v = 1;
    UT_EQ(csr_access(h, CSR_MHARTID, CSR_OP_CLEAR, 0, false, &v), 0);
    UT_EQ(v, 7);
    UT_EQ(csr_access(h, CSR_MHARTID, CSR_OP_WRITE, 7, true, &v), -1);
    UT_EQ(csr_access(h, CSR_MHARTID, CSR_OP_SET, 0, true, &v), -1);
    UT_EQ(csr_access(h, CSR_CYCLE, CSR_OP_WRITE, 0, true, &v), -1);
    UT_EQ(csr_access(h, CSR_CYCLE, CSR_OP_SET, 0, false, &v), 0);
    UT_EQ(rd(CSR_MHARTID), 7);
    /* misa is writable (bits 11:10 = 0) but fixed. */
    uint64_t misa = rd(CSR_MISA);
    UT_EQ(misa >> 62, 2);
    UT_EQ(misa & 0x3ffffff, (1u << ('I' - 'A')) | (1u << ('M' - 'A')) | (1u << ('A' - 'A')) |
                                (1u << ('F' - 'A')) | (1u << ('D' - 'A')) | (1u << ('C' - 'A')) |
                                (1u << ('S' - 'A')) | (1u << ('U' - 'A')));
    wr(CSR_MISA, 0);
    UT_EQ(rd(CSR_MISA), misa);
}

static void test_mstatus_warl(void)
{
    setup(PRV_M);
    uint64_t s = rd(CSR_MSTATUS);
    UT_EQ((s & MSTATUS_UXL) >> 32, 2);
    UT_EQ((s & MSTATUS_SXL) >> 34, 2);
    UT_EQ(s & MSTATUS_SD, 0);

    wr(CSR_MSTATUS, 1ULL << 11); /* MPP = S */
    UT_EQ((rd(CSR_MSTATUS) & MSTATUS_MPP) >> 11, 1);
    wr(CSR_MSTATUS, 2ULL << 11); /* reserved: the old MPP stays */
    UT_EQ((rd(CSR_MSTATUS) & MSTATUS_MPP) >> 11, 1);
    wr(CSR_MSTATUS, 3ULL << 11);
    UT_EQ((rd(CSR_MSTATUS) & MSTATUS_MPP) >> 11, 3);
    wr(CSR_MSTATUS, 0);
    UT_EQ((rd(CSR_MSTATUS) & MSTATUS_MPP) >> 11, 0);

    /* SD summarises FS == dirty (XS and VS are always 0 here). */
    for (uint64_t fs = 0; fs < 4; fs++) {
        wr(CSR_MSTATUS, fs << MSTATUS_FS_SHIFT);
        s = rd(CSR_MSTATUS);
        UT_EQ((s & MSTATUS_FS) >> MSTATUS_FS_SHIFT, fs);
        UT_EQ(!!(s & MSTATUS_SD), fs == 3);
    }

    /* Everything written as ones: only the implemented fields stick, and
     * UXL/SXL still read 64-bit. */
    wr(CSR_MSTATUS, ~0ULL);
    uint64_t want = MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP |
                    MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR |
                    MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR | (2ULL << 32) | (2ULL << 34) |
                    MSTATUS_SD;
    UT_EQ(rd(CSR_MSTATUS), want);
    UT_EQ(csr_read_mstatus(h), want);
    wr(CSR_MSTATUS, 0);
    UT_EQ(rd(CSR_MSTATUS), (2ULL << 32) | (2ULL << 34));
    /* csrrs / csrrc act on the current value. */
    uint64_t old;
    UT_EQ(csr_access(h, CSR_MSTATUS, CSR_OP_SET, MSTATUS_MIE | MSTATUS_SUM, true, &old), 0);
    UT_EQ(csr_access(h, CSR_MSTATUS, CSR_OP_CLEAR, MSTATUS_SUM, true, &old), 0);
    UT_EQ(old & (MSTATUS_MIE | MSTATUS_SUM), MSTATUS_MIE | MSTATUS_SUM);
    UT_EQ(rd(CSR_MSTATUS) & (MSTATUS_MIE | MSTATUS_SUM), MSTATUS_MIE);
}

/* sstatus is a view of mstatus: reads show only the S fields, writes
 * change only the S-writable ones (4.1.1). */
static void test_sstatus_view(void)
{
    setup(PRV_M);
    wr(CSR_MSTATUS, ~0ULL);
    h->priv = PRV_S;
    uint64_t ss = rd(CSR_SSTATUS);
    UT_EQ(ss, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | MSTATUS_MXR |
                  (2ULL << 32) | MSTATUS_SD);
    wr(CSR_SSTATUS, 0);
    h->priv = PRV_M;
    UT_EQ(rd(CSR_MSTATUS), MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TVM |
                               MSTATUS_TW | MSTATUS_TSR | (2ULL << 32) | (2ULL << 34));
    h->priv = PRV_S;
    wr(CSR_SSTATUS, ~0ULL);
    h->priv = PRV_M;
    UT_EQ(rd(CSR_MSTATUS), MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP |
                               MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR |
                               MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR | (2ULL << 32) |
                               (2ULL << 34) | MSTATUS_SD);
}

static void test_mie_sie(void)
{
    setup(PRV_M);
    wr(CSR_MIE, ~0ULL);
    UT_EQ(rd(CSR_MIE), ALL_INTS);
    /* Without delegation sie shows and changes nothing. */
    UT_EQ(rd(CSR_SIE), 0);
    wr(CSR_SIE, 0);
    UT_EQ(rd(CSR_MIE), ALL_INTS);
    wr(CSR_MIDELEG, MIP_SSIP | MIP_STIP);
    UT_EQ(rd(CSR_SIE), MIP_SSIP | MIP_STIP);
    h->priv = PRV_S;
    wr(CSR_SIE, MIP_STIP | MIP_MTIP);
    UT_EQ(rd(CSR_SIE), MIP_STIP);
    h->priv = PRV_M;
    UT_EQ(rd(CSR_MIE), ALL_INTS & ~MIP_SSIP);
}

/* mip: only the S bits are software-writable; M bits come from the lines.
 * A read-modify-write acts on the written bits, so a raised line is not
 * latched into mip by csrrs (3.1.9). sip writes only SSIP, if delegated. */
static void test_mip_sip(void)
{
    setup(PRV_M);
    wr(CSR_MIP, ~0ULL);
    UT_EQ(rd(CSR_MIP), S_INTS);
    wr(CSR_MIP, 0);
    UT_EQ(rd(CSR_MIP), 0);
    hart_set_irq(h, IRQ_M_TIMER, 1);
    hart_set_irq(h, IRQ_S_EXT, 1);
    UT_EQ(rd(CSR_MIP), MIP_MTIP | MIP_SEIP);
    uint64_t old;
    UT_EQ(csr_access(h, CSR_MIP, CSR_OP_SET, MIP_SSIP, true, &old), 0);
    UT_EQ(old, MIP_MTIP | MIP_SEIP);
    wr(CSR_MIP, 0); /* does not lower the device lines */
    UT_EQ(rd(CSR_MIP), MIP_MTIP | MIP_SEIP);
    UT_EQ(csr_access(h, CSR_MIP, CSR_OP_SET, MIP_SSIP, true, &old), 0);
    hart_set_irq(h, IRQ_M_TIMER, 0);
    hart_set_irq(h, IRQ_S_EXT, 0);
    UT_EQ(rd(CSR_MIP), MIP_SSIP);

    UT_EQ(rd(CSR_SIP), 0); /* nothing delegated */
    h->priv = PRV_S;
    wr(CSR_SIP, 0);
    UT_EQ(h->mip, MIP_SSIP);
    h->priv = PRV_M;
    wr(CSR_MIDELEG, S_INTS);
    wr(CSR_MIP, MIP_STIP);
    h->priv = PRV_S;
    UT_EQ(rd(CSR_SIP), MIP_STIP);
    wr(CSR_SIP, ~0ULL);
    UT_EQ(rd(CSR_SIP), MIP_STIP | MIP_SSIP);
    wr(CSR_SIP, 0);
    UT_EQ(rd(CSR_SIP), MIP_STIP); /* STIP is not writable through sip */
}

static void test_delegation_masks(void)
{
    setup(PRV_M);
    wr(CSR_MIDELEG, ~0ULL);
    UT_EQ(rd(CSR_MIDELEG), S_INTS);
    wr(CSR_MEDELEG, ~0ULL);
    /* Every exception but ecall from M (11) and the reserved 10 and 14. */
    uint64_t want = 0;
    for (unsigned c = 0; c < 16; c++)
        if (c != 10 && c != 11 && c != 14) want |= 1ULL << c;
    UT_EQ(rd(CSR_MEDELEG), want);
    wr(CSR_MEDELEG, 1ULL << EXC_ECALL_M);
    UT_EQ(rd(CSR_MEDELEG), 0);
}

static void test_tvec_epc(void)
{
    setup(PRV_M);
    wr(CSR_MTVEC, 0x80000001);
    UT_EQ(rd(CSR_MTVEC), 0x80000001);
    wr(CSR_MTVEC, 0x80001002); /* mode 2, 3 reserved: write ignored */
    UT_EQ(rd(CSR_MTVEC), 0x80000001);
    wr(CSR_MTVEC, 0x80001003);
    UT_EQ(rd(CSR_MTVEC), 0x80000001);
    wr(CSR_MTVEC, 0x80002000);
    UT_EQ(rd(CSR_MTVEC), 0x80002000);
    wr(CSR_STVEC, 0x80003001);
    wr(CSR_STVEC, 0x80004002);
    UT_EQ(rd(CSR_STVEC), 0x80003001);

    wr(CSR_MEPC, 0x80000003);
    UT_EQ(rd(CSR_MEPC), 0x80000002); /* IALIGN=16: only bit 0 is zero */
    wr(CSR_SEPC, ~0ULL);
    UT_EQ(rd(CSR_SEPC), ~1ULL);
    wr(CSR_MSCRATCH, ~0ULL);
    UT_EQ(rd(CSR_MSCRATCH), ~0ULL);
}

static void test_satp(void)
{
    setup(PRV_M);
    uint64_t sv39 = (8ULL << 60) | (0x1234ULL << 44) | 0x80123;
    wr(CSR_SATP, sv39);
    UT_EQ(rd(CSR_SATP), sv39);
    /* Unsupported modes: the whole write is ignored (4.1.11). */
    static const uint64_t bad[] = {1, 7, 11, 12, 15};
    for (size_t k = 0; k < 5; k++) {
        wr(CSR_SATP, (bad[k] << 60) | 0x55);
        UT_EQ(rd(CSR_SATP), sv39);
    }
    for (uint64_t m = 9; m <= 10; m++) {
        wr(CSR_SATP, (m << 60) | 0x42);
        UT_EQ(rd(CSR_SATP), (m << 60) | 0x42);
    }
    wr(CSR_SATP, 0);
    UT_EQ(rd(CSR_SATP), 0);

    /* TVM traps S-mode satp accesses, not M-mode ones. */
    h->priv = PRV_S;
    wr(CSR_SATP, sv39);
    h->mstatus |= MSTATUS_TVM;
    UT_EQ(try_rd(CSR_SATP), -1);
    UT_EQ(try_wr(CSR_SATP, 0), -1);
    h->priv = PRV_M;
    UT_EQ(rd(CSR_SATP), sv39);
    wr(CSR_SATP, 0);
    UT_EQ(rd(CSR_SATP), 0);
}

static void test_fp_csrs(void)
{
    static const unsigned fp[] = {CSR_FFLAGS, CSR_FRM, CSR_FCSR};
    for (unsigned priv = 0; priv < 4; priv++) {
        if (priv == 2) continue;
        setup(priv);
        for (int k = 0; k < 3; k++) {
            UT_EQ(try_rd(fp[k]), -1);
            UT_EQ(try_wr(fp[k], 0), -1);
        }
    }
    setup(PRV_U);
    h->mstatus = (uint64_t)FS_INITIAL << MSTATUS_FS_SHIFT;
    UT_EQ(rd(CSR_FCSR), 0);
    UT_EQ((h->mstatus & MSTATUS_FS) >> MSTATUS_FS_SHIFT, FS_INITIAL); /* reads keep it */
    wr(CSR_FCSR, ~0ULL);
    UT_EQ((h->mstatus & MSTATUS_FS) >> MSTATUS_FS_SHIFT, FS_DIRTY);
    UT_EQ(rd(CSR_FCSR), 0xff);
    UT_EQ(rd(CSR_FFLAGS), 0x1f);
    UT_EQ(rd(CSR_FRM), 7);
    wr(CSR_FRM, 0x2a);
    UT_EQ(rd(CSR_FRM), 2);
    UT_EQ(rd(CSR_FCSR), 0x5f);
    wr(CSR_FFLAGS, 0x21);
    UT_EQ(rd(CSR_FCSR), 0x41);
    h->mstatus = (uint64_t)FS_CLEAN << MSTATUS_FS_SHIFT;
    wr(CSR_FFLAGS, 0);
    UT_EQ((h->mstatus & MSTATUS_FS) >> MSTATUS_FS_SHIFT, FS_DIRTY);
    /* With V=1 (8.2.10): illegal when either FS is Off; a write makes
     * both Dirty; with V=0 vsstatus.FS is left alone. */
    set_model("rv64,h=on");
    h->priv = PRV_S;
    h->virt = 1;
    h->mstatus = (uint64_t)FS_CLEAN << MSTATUS_FS_SHIFT;
    h->vsstatus = 0;
    UT_EQ(try_rd(CSR_FCSR), -1);
    h->mstatus = 0;
    h->vsstatus = (uint64_t)FS_CLEAN << MSTATUS_FS_SHIFT;
    UT_EQ(try_wr(CSR_FFLAGS, 0), -1);
    h->mstatus = (uint64_t)FS_CLEAN << MSTATUS_FS_SHIFT;
    rd(CSR_FCSR); /* a read keeps both Clean */
    UT_EQ((h->mstatus & MSTATUS_FS) >> MSTATUS_FS_SHIFT, FS_CLEAN);
    UT_EQ((h->vsstatus & MSTATUS_FS) >> MSTATUS_FS_SHIFT, FS_CLEAN);
    wr(CSR_FRM, 1);
    UT_EQ((h->mstatus & MSTATUS_FS) >> MSTATUS_FS_SHIFT, FS_DIRTY);
    UT_EQ((h->vsstatus & MSTATUS_FS) >> MSTATUS_FS_SHIFT, FS_DIRTY);
    h->virt = 0;
    h->mstatus = (uint64_t)FS_CLEAN << MSTATUS_FS_SHIFT;
    h->vsstatus = (uint64_t)FS_CLEAN << MSTATUS_FS_SHIFT;
    wr(CSR_FRM, 2);
    UT_EQ((h->mstatus & MSTATUS_FS) >> MSTATUS_FS_SHIFT, FS_DIRTY);
    UT_EQ((h->vsstatus & MSTATUS_FS) >> MSTATUS_FS_SHIFT, FS_CLEAN);
    set_model("rv64");
}

/* Counters below M: S needs the mcounteren bit, U needs mcounteren and
 * scounteren (3.1.11, 4.1.3). */
static void test_counter_enables(void)
{
    static const unsigned ctr[] = {CSR_CYCLE, CSR_TIME, CSR_INSTRET, CSR_HPMCOUNTER3, 0xc1f};
    for (size_t k = 0; k < 5; k++) {
        unsigned bit = ctr[k] & 31;
        for (unsigned m = 0; m < 2; m++) {
            for (unsigned s = 0; s < 2; s++) {
                setup(PRV_M);
                wr(CSR_MCOUNTEREN, m ? 1ULL << bit : ~(1ULL << bit));
                wr(CSR_SCOUNTEREN, s ? 1ULL << bit : ~(1ULL << bit));
                UT_EQ(try_rd(ctr[k]), 0);
                h->priv = PRV_S;
                UT_EQ(try_rd(ctr[k]), m ? 0 : -1);
                h->priv = PRV_U;
                UT_EQ(try_rd(ctr[k]), m && s ? 0 : -1);
                UT_EQ(try_wr(ctr[k], 0), -1);
            }
        }
    }
    setup(PRV_M);
    wr(CSR_MCOUNTEREN, ~0ULL);
    UT_EQ(rd(CSR_MCOUNTEREN), 0xffffffff);
    /* instret counts retired instructions: it moves with h->instret. */
    uint64_t a = rd(CSR_INSTRET);
    h->instret += 10;
    UT_EQ(rd(CSR_INSTRET) - a, 10);
    /* Written minstret/mcycle: the next instruction (a CSR read, counted in
     * instret when it runs) sees the value written. */
    wr(0xb02, 1000);
    wr(0xb00, 5000);
    h->instret += 1;
    UT_EQ(rd(CSR_INSTRET), 1000);
    UT_EQ(rd(CSR_CYCLE), 5000);
    UT_EQ(rd(0xb02), 1000);
}

static uint8_t cfg_byte(unsigned i)
{
    uint64_t v = rd(CSR_PMPCFG0 + 2 * (i / 8));
    return (uint8_t)(v >> (8 * (i % 8)));
}

/* pmpcfg: odd numbers do not exist on RV64; bits 6:5 read zero; W without
 * R is reserved; a locked entry ignores writes to its cfg and address,
 * and a locked TOR entry also protects the address below it (3.7.1). */
static void test_pmp_csrs(void)
{
    setup(PRV_M);
    for (unsigned n = 1; n < 16; n += 2) {
        UT_EQ(try_rd(CSR_PMPCFG0 + n), -1);
        UT_EQ(try_wr(CSR_PMPCFG0 + n, 0), -1);
    }
    UT_EQ(rd(CSR_PMPCFG0 + 4), 0); /* entries 16-63 are not implemented */
    UT_EQ(rd(0x3c0), 0);
    wr(0x3c0, ~0ULL);
    UT_EQ(rd(0x3c0), 0);

    wr(CSR_PMPCFG0, 0x0f7f0e1f); /* byte 1 has R=0 W=1: reserved, stays 0 */
    UT_EQ(rd(CSR_PMPCFG0), 0x0f1f001f);
    wr(CSR_PMPCFG0 + 2, 0x6060606060606060ULL);
    UT_EQ(rd(CSR_PMPCFG0 + 2), 0);
    wr(CSR_PMPADDR0 + 3, ~0ULL);
    UT_EQ(rd(CSR_PMPADDR0 + 3), (1ULL << 54) - 1);

    /* Lock entry 0 (NAPOT R): its cfg and address are frozen, entry 1's
     * byte is still writable. */
    setup(PRV_M);
    wr(CSR_PMPADDR0, 0x1000);
    wr(CSR_PMPCFG0, 0x0000 | 0x98 | 0x01);
    wr(CSR_PMPCFG0, 0x0300);
    UT_EQ(cfg_byte(0), 0x99);
    UT_EQ(cfg_byte(1), 0x03);
    wr(CSR_PMPADDR0, 0x2000);
    UT_EQ(rd(CSR_PMPADDR0), 0x1000);
    /* Locked TOR entry 5 protects pmpaddr4 but not pmpaddr6. */
    wr(CSR_PMPADDR0 + 4, 0x100);
    wr(CSR_PMPADDR0 + 5, 0x200);
    wr(CSR_PMPCFG0, 0x0000880000000000ULL | 0x99);
    UT_EQ(cfg_byte(5), 0x88);
    wr(CSR_PMPADDR0 + 4, 0x111);
    wr(CSR_PMPADDR0 + 5, 0x222);
    wr(CSR_PMPADDR0 + 6, 0x333);
    UT_EQ(rd(CSR_PMPADDR0 + 4), 0x100);
    UT_EQ(rd(CSR_PMPADDR0 + 5), 0x200);
    UT_EQ(rd(CSR_PMPADDR0 + 6), 0x333);
    /* A locked NAPOT entry does not protect the address below it. */
    wr(CSR_PMPCFG0 + 2, 0x98ULL << 8); /* entry 9 NAPOT, locked */
    wr(CSR_PMPADDR0 + 8, 0x444);
    UT_EQ(rd(CSR_PMPADDR0 + 8), 0x444);
    /* Only a reset clears L. */
    wr(CSR_PMPCFG0, 0);
    UT_EQ(cfg_byte(0), 0x99);
    UT_EQ(cfg_byte(5), 0x88);
    hart_reset(h, 0x80000000);
    UT_EQ(rd(CSR_PMPCFG0), 0);
}

/* Sstc with H: vstimecmp raises VSTIP against the guest's time (time +
 * htimedelta) while menvcfg.STCE and henvcfg.STCE are set, and the hart's
 * next timer deadline is when the guest's time reaches vstimecmp, however
 * much time passes between the write and the question. */
static void test_vstimecmp(void)
{
    set_model("rv64,h=on");
    const uint64_t delta = 1ULL << 40, ahead = 10000000; /* one second */
    wr(CSR_MENVCFG, MENVCFG_STCE);
    wr(CSR_HENVCFG, MENVCFG_STCE);
    wr(CSR_HTIMEDELTA, delta);
    uint64_t now = vclock_ticks(&vclk);
    wr(CSR_VSTIMECMP, now + delta + ahead);
    UT_EQ(rd(CSR_HIP) & MIP_VSTIP, 0);
    UT_EQ(hart_timer_deadline_ns(h), vclock_ticks_to_host_ns(&vclk, now + ahead));
    wr(CSR_STIMECMP, now + ahead / 2); /* the earlier of the two */
    UT_EQ(hart_timer_deadline_ns(h), vclock_ticks_to_host_ns(&vclk, now + ahead / 2));
    wr(CSR_STIMECMP, UINT64_MAX);
    /* Passed for the guest (not for the host's time): pending, no deadline. */
    wr(CSR_VSTIMECMP, now + delta / 2);
    UT_EQ(rd(CSR_HIP) & MIP_VSTIP, MIP_VSTIP);
    UT_EQ(rd(CSR_HVIP), 0);
    UT_EQ(hart_timer_deadline_ns(h), UINT64_MAX);
    /* htimedelta moves it too. */
    wr(CSR_HTIMEDELTA, 0);
    UT_EQ(rd(CSR_HIP) & MIP_VSTIP, 0);
    wr(CSR_HTIMEDELTA, delta);
    UT_EQ(rd(CSR_HIP) & MIP_VSTIP, MIP_VSTIP);
    /* henvcfg.STCE off: hip.VSTIP is hvip.VSTIP alone; menvcfg.STCE off
     * clears henvcfg.STCE. */
    wr(CSR_HENVCFG, 0);
    UT_EQ(rd(CSR_HIP) & MIP_VSTIP, 0);
    UT_EQ(hart_timer_deadline_ns(h), UINT64_MAX);
    wr(CSR_HENVCFG, MENVCFG_STCE);
    UT_EQ(rd(CSR_HIP) & MIP_VSTIP, MIP_VSTIP);
    wr(CSR_MENVCFG, 0);
    UT_EQ(rd(CSR_HENVCFG), 0);
    UT_EQ(rd(CSR_HIP) & MIP_VSTIP, 0);
    set_model("rv64,h=off,sscofpmf=off");
}

/* Smstateen/Ssstateen (priv spec chapter "Smstateen"): mstateenN.SE gates
 * sstateenN and hstateenN below M, mstateen0.ENVCFG gates senvcfg and
 * henvcfg; hstateen does the same for a guest with virtual instructions;
 * an H bit is writable only under M's; sstateen has no bits rvmm backs.
 * Without the extensions the CSRs do not exist and nothing is gated. */
static void test_stateen(void)
{
    set_model("rv64");
    UT_EQ(try_rd(CSR_MSTATEEN0), CSR_ILLEGAL);
    h->priv = PRV_S;
    UT_EQ(try_rd(CSR_SSTATEEN0), CSR_ILLEGAL);
    UT_EQ(try_rd(CSR_SENVCFG), 0);

    set_model("rv64,h=on,smstateen=on,ssstateen=on");
    UT_EQ(rd(CSR_MSTATEEN0), 0); /* reset: everything withheld */
    wr(CSR_MSTATEEN0, ~0ULL);
    UT_EQ(rd(CSR_MSTATEEN0), STATEEN_SE | STATEEN0_ENVCFG);
    wr(CSR_MSTATEEN0 + 3, ~0ULL);
    UT_EQ(rd(CSR_MSTATEEN0 + 3), STATEEN_SE);
    wr(CSR_SSTATEEN0, ~0ULL);
    UT_EQ(rd(CSR_SSTATEEN0), 0);
    wr(CSR_MSTATEEN0, 0);
    h->priv = PRV_S;
    uint64_t v;
    UT_EQ(try_rd(CSR_SSTATEEN0), CSR_ILLEGAL);
    UT_EQ(try_rd(CSR_HSTATEEN0), CSR_ILLEGAL);
    UT_EQ(try_rd(CSR_SENVCFG), CSR_ILLEGAL);
    UT_EQ(try_wr(CSR_HENVCFG, 0), CSR_ILLEGAL);
    UT_EQ(try_rd(CSR_SSTATEEN0 + 3), 0); /* mstateen3.SE still set */
    h->priv = PRV_M;
    wr(CSR_MSTATEEN0, STATEEN_SE); /* sstateen0/hstateen0 yes, senvcfg no */
    h->priv = PRV_S;
    UT_EQ(try_rd(CSR_SSTATEEN0), 0);
    UT_EQ(try_rd(CSR_SENVCFG), CSR_ILLEGAL);
    wr(CSR_HSTATEEN0, ~0ULL);
    UT_EQ(rd(CSR_HSTATEEN0), STATEEN_SE); /* ENVCFG clear in mstateen0 */
    h->priv = PRV_M;
    wr(CSR_MSTATEEN0, STATEEN_SE | STATEEN0_ENVCFG);
    h->priv = PRV_S;
    UT_EQ(try_rd(CSR_SENVCFG), 0);
    UT_EQ(try_rd(CSR_HENVCFG), 0);
    wr(CSR_HSTATEEN0, STATEEN_SE);
    /* A guest: hstateen0 lets sstateen0 through but not senvcfg. */
    h->virt = 1;
    UT_EQ(csr_access(h, CSR_SSTATEEN0, CSR_OP_SET, 0, false, &v), 0);
    UT_EQ(csr_access(h, CSR_SENVCFG, CSR_OP_SET, 0, false, &v), CSR_VIRTUAL);
    h->virt = 0;
    /* Clearing M's bit clears H's. */
    h->priv = PRV_M;
    wr(CSR_MSTATEEN0, 0);
    UT_EQ(rd(CSR_HSTATEEN0), 0);
    set_model("rv64");
}

int main(void)
{
    ut_run("csr_table_by_privilege", test_table_by_privilege);
    ut_run("csr_virtual_access", test_virtual_access);
    ut_run("csr_privilege_from_number", test_privilege_from_number);
    ut_run("csr_read_only", test_read_only);
    ut_run("csr_mstatus_warl", test_mstatus_warl);
    ut_run("csr_sstatus_view", test_sstatus_view);
    ut_run("csr_mie_sie", test_mie_sie);
    ut_run("csr_mip_sip", test_mip_sip);
    ut_run("csr_delegation_masks", test_delegation_masks);
    ut_run("csr_tvec_epc", test_tvec_epc);
    ut_run("csr_satp", test_satp);
    ut_run("csr_fp_csrs", test_fp_csrs);
    ut_run("csr_counter_enables", test_counter_enables);
    ut_run("csr_pmp_csrs", test_pmp_csrs);
    ut_run("csr_vstimecmp", test_vstimecmp);
    ut_run("csr_stateen", test_stateen);
    if (h) {
        hart_destroy(h);
        free(h);
        ram_destroy(&ram);
    }
    return ut_exit();
}
