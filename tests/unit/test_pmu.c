/* Unit tests for the counters (src/cpu/pmu.c) through csr_access() and
 * the hooks the engines call: programmable counters counting retired
 * instructions from h->instret, mcountinhibit, Sscofpmf's mode filters,
 * overflow (OF, LCOFIP, the run loop's ovf_at), slow-path events,
 * scountovf's masking and what a hart without Sscofpmf lacks. Drives a
 * bare hart; instructions "retire" by advancing h->instret as a block
 * does (a CSR instruction is the last of its block). */
#include <stdlib.h>
#include <string.h>

#include "cpu/csr.h"
#include "cpu/trap.h"
#include "ut.h"

UT_MAIN_STATE

#define MHPMCOUNTER(k) (CSR_MHPMCOUNTER3 + (k)-3)
#define MHPMEVENT(k)   (CSR_MHPMEVENT3 + (k)-3)

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

static void setup(const char *model)
{
    if (!h) {
        h = calloc(1, sizeof(*h));
        UT_EQ(ram_create(&ram, 0x80000000, 1 << 16), 0);
        struct hart_bus hb = {NULL, bus_read, bus_write};
        UT_EQ(hart_init(h, 0, &ram, &hb, &vclk), 0);
    }
    struct cpu_model m;
    char err[256];
    UT_EQ(cpu_model_parse(&m, model, err, sizeof(err)), 0);
    hart_set_model(h, &m);
    hart_reset(h, 0x80000000);
    h->instret = 1000;
    pmu_reset(h);
}

/* One CSR instruction at the end of a block of n (n >= 1). */
static int access(unsigned n, unsigned csr, bool write, uint64_t v, uint64_t *old)
{
    h->instret += n;
    return csr_access(h, csr, CSR_OP_WRITE, v, write, old);
}

static uint64_t rd(unsigned n, unsigned csr)
{
    uint64_t v = ~0ULL;
    UT_EQ(access(n, csr, false, 0, &v), 0);
    return v;
}

static void wr(unsigned n, unsigned csr, uint64_t v)
{
    uint64_t old;
    UT_EQ(access(n, csr, true, v, &old), 0);
}

/* Counter 3 on instructions counts each one retired after the write. */
static void test_counts_instret(void)
{
    setup("rv64");
    wr(1, MHPMEVENT(3), PMU_SEL_INSTRUCTIONS);
    wr(1, MHPMCOUNTER(3), 100);
    UT_EQ(rd(10, MHPMCOUNTER(3)), 109); /* 9 before the reading one */
    UT_EQ(rd(1, CSR_HPMCOUNTER3), 110);
    /* mcycle counts the same (one cycle per instruction). */
    wr(1, CSR_MCYCLE, 5);
    UT_EQ(rd(4, CSR_CYCLE), 8);
    /* An unknown selector counts nothing. */
    wr(1, MHPMEVENT(4), 0x777);
    wr(1, MHPMCOUNTER(4), 7);
    UT_EQ(rd(50, MHPMCOUNTER(4)), 7);
}

static void test_inhibit(void)
{
    setup("rv64");
    wr(1, MHPMEVENT(3), PMU_SEL_CYCLES);
    wr(1, MHPMCOUNTER(3), 0);
    wr(1, CSR_MCOUNTINHIBIT, ~0ULL);
    UT_EQ(rd(1, CSR_MCOUNTINHIBIT), 0xfffffffdULL); /* TM is read-only zero */
    uint64_t c3 = rd(1, MHPMCOUNTER(3)), ir = rd(1, CSR_MINSTRET);
    UT_EQ(rd(40, MHPMCOUNTER(3)), c3);
    UT_EQ(rd(40, CSR_MINSTRET), ir);
    wr(1, CSR_MCOUNTINHIBIT, 0);
    UT_EQ(rd(10, CSR_MINSTRET), ir + 9); /* the 9 after the enabling write */
}

/* MINH/SINH/UINH: counted only in the modes not inhibited; the mode
 * changes as a trap or xRET changes it (pmu_mode_changed). */
static void test_mode_filter(void)
{
    setup("rv64,h=off");
    wr(1, MHPMEVENT(3), PMU_SEL_INSTRUCTIONS | MHPMEVENT_MINH | MHPMEVENT_UINH);
    wr(1, MHPMCOUNTER(3), 0);
    h->instret += 20; /* M-mode: not counted */
    h->priv = PRV_S;
    pmu_mode_changed(h);
    h->instret += 30; /* S-mode: counted */
    h->priv = PRV_U;
    pmu_mode_changed(h);
    h->instret += 40; /* U-mode: not counted */
    h->priv = PRV_M;
    pmu_mode_changed(h);
    UT_EQ(rd(5, MHPMCOUNTER(3)), 30);
    /* VSINH/VUINH need H: read-only zero without it. */
    wr(1, MHPMEVENT(4), MHPMEVENT_VSINH | MHPMEVENT_VUINH | MHPMEVENT_SINH | 2);
    UT_EQ(rd(1, MHPMEVENT(4)), MHPMEVENT_SINH | 2);
}

/* A wrap with OF clear sets OF and LCOFIP at the block boundary where
 * instret reaches ovf_at; with OF set, the next wrap raises nothing. */
static void test_overflow(void)
{
    setup("rv64");
    wr(1, MHPMEVENT(3), PMU_SEL_INSTRUCTIONS);
    wr(1, MHPMCOUNTER(3), (uint64_t)-5);
    UT_EQ(h->pmu.ovf_at, h->instret + 5);
    h->instret += 4;
    UT_CHECK(h->instret < h->pmu.ovf_at);
    h->instret += 3; /* the block that crosses it */
    pmu_check(h);
    UT_EQ(rd(1, MHPMEVENT(3)), MHPMEVENT_OF | PMU_SEL_INSTRUCTIONS);
    UT_EQ(rd(1, CSR_MIP) & MIP_LCOFIP, MIP_LCOFIP);
    UT_EQ(rd(1, CSR_SCOUNTOVF), 1ULL << 3);
    UT_EQ(h->pmu.ovf_at, UINT64_MAX); /* OF set: nothing to watch */
    wr(1, CSR_MIP, 0);
    wr(1, MHPMCOUNTER(3), (uint64_t)-2);
    h->instret += 10;
    pmu_check(h);
    UT_EQ(rd(1, CSR_MIP) & MIP_LCOFIP, 0);
    /* LCOFI is taken like any interrupt, lowest of the standard ones. */
    wr(1, CSR_MIE, MIP_LCOFIP | MIP_SSIP);
    wr(1, CSR_MIP, MIP_LCOFIP | MIP_SSIP);
    h->priv = PRV_U;
    UT_EQ(trap_pending_irq(h), IRQ_S_SOFT);
    h->priv = PRV_M;
    wr(1, CSR_MIP, MIP_LCOFIP);
    h->priv = PRV_U;
    UT_EQ(trap_pending_irq(h), IRQ_LCOF);
}

/* Slow-path events count one each, in the modes allowed. */
static void test_events(void)
{
    setup("rv64");
    wr(1, MHPMEVENT(5), PMU_SEL_EXCEPTIONS);
    wr(1, MHPMEVENT(6), PMU_SEL_DTLB_READ_MISS | MHPMEVENT_MINH);
    wr(1, MHPMCOUNTER(5), (uint64_t)-2);
    wr(1, MHPMCOUNTER(6), 0);
    pmu_event(h, PMU_EV_EXC);
    pmu_event(h, PMU_EV_DTLB_R); /* M-mode: inhibited */
    pmu_event(h, PMU_EV_DTLB_W); /* no counter selects it */
    UT_EQ(rd(1, MHPMCOUNTER(5)), (uint64_t)-1);
    UT_EQ(rd(1, MHPMCOUNTER(6)), 0);
    UT_EQ(rd(1, CSR_MIP) & MIP_LCOFIP, 0);
    pmu_event(h, PMU_EV_EXC); /* wraps to 0 */
    UT_EQ(rd(1, MHPMCOUNTER(5)), 0);
    UT_EQ(rd(1, CSR_MIP) & MIP_LCOFIP, MIP_LCOFIP);
    UT_EQ(rd(1, CSR_SCOUNTOVF), 1ULL << 5);
}

/* scountovf: every OF in M; below M only mcounteren's bits; illegal in U
 * and on a hart without Sscofpmf, which also lacks the OF/xINH bits and
 * LCOFI. */
static void test_scountovf_and_gating(void)
{
    setup("rv64,h=off");
    wr(1, MHPMEVENT(3), MHPMEVENT_OF);
    wr(1, MHPMEVENT(9), MHPMEVENT_OF);
    UT_EQ(rd(1, CSR_SCOUNTOVF), (1ULL << 3) | (1ULL << 9));
    wr(1, CSR_MCOUNTEREN, 1ULL << 9);
    h->priv = PRV_S;
    UT_EQ(rd(1, CSR_SCOUNTOVF), 1ULL << 9);
    h->priv = PRV_U;
    uint64_t v;
    UT_EQ(access(1, CSR_SCOUNTOVF, false, 0, &v), CSR_ILLEGAL);

    setup("rv64,sscofpmf=off");
    UT_EQ(access(1, CSR_SCOUNTOVF, false, 0, &v), CSR_ILLEGAL);
    wr(1, MHPMEVENT(3), ~0ULL);
    UT_EQ(rd(1, MHPMEVENT(3)), MHPMEVENT_SEL);
    wr(1, CSR_MIE, ~0ULL);
    UT_EQ(rd(1, CSR_MIE) & MIP_LCOFIP, 0);
    wr(1, CSR_MIDELEG, ~0ULL);
    UT_EQ(rd(1, CSR_MIDELEG) & MIP_LCOFIP, 0);
    /* A counter that wraps counts on, raising nothing. */
    wr(1, MHPMEVENT(3), PMU_SEL_INSTRUCTIONS);
    wr(1, MHPMCOUNTER(3), (uint64_t)-1);
    UT_EQ(h->pmu.ovf_at, UINT64_MAX);
    UT_EQ(rd(3, MHPMCOUNTER(3)), 1);
    UT_EQ(h->mip & MIP_LCOFIP, 0);
}

/* With Sscofpmf, LCOFI is delegable and sip/sie show it once delegated. */
static void test_lcofi_delegation(void)
{
    setup("rv64");
    wr(1, CSR_MIDELEG, MIP_LCOFIP);
    UT_EQ(rd(1, CSR_MIDELEG) & MIP_LCOFIP, MIP_LCOFIP);
    h->priv = PRV_S;
    wr(1, CSR_SIE, MIP_LCOFIP);
    UT_EQ(rd(1, CSR_SIE), MIP_LCOFIP);
    wr(1, CSR_SIP, MIP_LCOFIP);
    UT_EQ(rd(1, CSR_SIP), MIP_LCOFIP);
    wr(1, CSR_SIP, 0);
    UT_EQ(rd(1, CSR_SIP), 0);
}

int main(void)
{
    ut_run("pmu_counts_instret", test_counts_instret);
    ut_run("pmu_inhibit", test_inhibit);
    ut_run("pmu_mode_filter", test_mode_filter);
    ut_run("pmu_overflow", test_overflow);
    ut_run("pmu_events", test_events);
    ut_run("pmu_scountovf_and_gating", test_scountovf_and_gating);
    ut_run("pmu_lcofi_delegation", test_lcofi_delegation);
    if (h) {
        hart_destroy(h);
        free(h);
        ram_destroy(&ram);
    }
    return ut_exit();
}
