/* Unit tests for hart persistence (hart_save/hart_restore in
 * src/cpu/hart.c): a round trip into a fresh hart gives the same
 * architectural state, field by field; truncated or corrupt streams are
 * refused with an error and leave the target hart byte-for-byte unchanged.
 * Also checks that hart_run() honours its budget when the guest is stuck in
 * a trap loop that retires nothing, so the VMM always gets control back. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpu/csr.h"
#include "cpu/hart.h"
#include "ut.h"

UT_MAIN_STATE

#define RAM_BASE 0x80000000ULL

static int bus_read(void *opaque, gpa_t pa, unsigned size, uint64_t *val)
{
    return -1;
}

static int bus_write(void *opaque, gpa_t pa, unsigned size, uint64_t val)
{
    return -1;
}

struct rig {
    struct guest_ram ram;
    struct vclock clock;
    struct rv_hart *h;
};

static void rig_init(struct rig *r, uint64_t hartid)
{
    memset(r, 0, sizeof(*r));
    UT_EQ(ram_create(&r->ram, RAM_BASE, 1 << 20), 0);
    r->h = calloc(1, sizeof(*r->h));
    struct hart_bus hb = {NULL, bus_read, bus_write};
    UT_EQ(hart_init(r->h, hartid, &r->ram, &hb, &r->clock), 0);
}

static void rig_destroy(struct rig *r)
{
    hart_destroy(r->h);
    free(r->h);
    ram_destroy(&r->ram);
}

/* Every architectural field the save format carries. */
// clang-format off
#define HART_FIELDS(X) \
    X(pc) \
    X(instret) \
    X(priv) \
    X(mhartid) \
    X(mstatus) \
    X(misa) \
    X(medeleg) \
    X(mideleg) \
    X(mie) \
    X(mip) \
    X(mtvec) \
    X(mscratch) \
    X(mepc) \
    X(mcause) \
    X(mtval) \
    X(mcounteren) \
    X(mcountinhibit) \
    X(menvcfg) \
    X(mseccfg) \
    X(stvec) \
    X(sscratch) \
    X(sepc) \
    X(scause) \
    X(stval) \
    X(satp) \
    X(scounteren) \
    X(senvcfg) \
    X(stimecmp) \
    X(fflags) \
    X(frm) \
    X(resv_addr) \
    X(resv_value) \
    X(resv_valid)

/* The H extension's registers in the save format (V stays 0 here). */
#define HART_HFIELDS(X) \
    X(hstatus) \
    X(hedeleg) \
    X(hideleg) \
    X(hcounteren) \
    X(htval) \
    X(htinst) \
    X(hgatp) \
    X(htimedelta) \
    X(henvcfg) \
    X(vsstatus) \
    X(vstvec) \
    X(vsscratch) \
    X(vsepc) \
    X(vscause) \
    X(vstval) \
    X(vsatp) \
    X(vstimecmp) \
    X(mtval2) \
    X(mtinst)
// clang-format on

/* The delegation registers a restore legalizes, as CSR numbers. */
static const unsigned deleg_csrs[] = {CSR_MEDELEG, CSR_MIDELEG, CSR_HEDELEG, CSR_HIDELEG};

/* Distinct, in-range values everywhere (priv S; fflags/frm within their
 * widths; valid flags 0/1; the delegation registers as an M-mode csrw of a
 * random value leaves them, which is all a hart can hold). */
static void fill(struct rv_hart *h)
{
    uint64_t v = 0x0123456789abcdefULL;
#define NEXT() (v = v * 6364136223846793005ULL + 1442695040888963407ULL)
    for (int k = 1; k < 32; k++)
        h->x[k] = NEXT();
    for (int k = 0; k < 32; k++)
        h->f[k] = NEXT();
#define SET(fld) h->fld = (__typeof__(h->fld))NEXT();
    HART_FIELDS(SET)
    HART_HFIELDS(SET)
#undef SET
    h->priv = PRV_M;
    for (size_t k = 0; k < ARRAY_SIZE(deleg_csrs); k++) {
        uint64_t old;
        UT_EQ(csr_access(h, deleg_csrs[k], CSR_OP_WRITE, NEXT(), true, &old), 0);
    }
    for (int k = 0; k < PMP_COUNT / 8; k++)
        h->pmpcfg[k] = NEXT() & 0x1f1f1f1f1f1f1f1fULL;
    for (int k = 0; k < PMP_COUNT; k++)
        h->pmpaddr[k] = NEXT() & ((1ULL << 54) - 1);
    /* The counters (the PMU section): values and selectors a write allows. */
    for (int k = 0; k < PMU_COUNTERS; k++) {
        h->pmu.ctr[k] = k == 1 ? 0 : NEXT();
        h->pmu.event[k] = k < 3 ? 0 : NEXT() & (MHPMEVENT_SEL | MHPMEVENT_MINH | MHPMEVENT_OF);
    }
#undef NEXT
    h->mcountinhibit &= 0xfffffffdULL; /* 32 bits, TM read-only zero */
    h->priv = PRV_S;
    h->fflags = 0x15;
    h->frm = 3;
    h->resv_valid = 1;
    h->mstatus &= ~MSTATUS_MPP; /* a legal MPP */
    if (!cpu_model_has(&h->cpu, CPU_EXT_v)) {
        h->mstatus &= ~MSTATUS_VS; /* read-only zero without V */
        h->vsstatus &= ~MSTATUS_VS;
    }
    h->misa = cpu_model_misa(&h->cpu); /* the board's model decides misa */
}

static void check_same(const struct rv_hart *a, const struct rv_hart *b)
{
    for (int k = 0; k < 32; k++) {
        UT_EQ(a->x[k], b->x[k]);
        UT_EQ(a->f[k], b->f[k]);
    }
#define CMP(fld) UT_EQ(a->fld, b->fld);
    HART_FIELDS(CMP)
    HART_HFIELDS(CMP)
#undef CMP
    for (int k = 0; k < PMP_COUNT / 8; k++)
        UT_EQ(a->pmpcfg[k], b->pmpcfg[k]);
    for (int k = 0; k < PMP_COUNT; k++)
        UT_EQ(a->pmpaddr[k], b->pmpaddr[k]);
    for (unsigned k = 0; k < PMU_COUNTERS; k++) {
        UT_EQ(pmu_read(a, k, a->instret), pmu_read(b, k, b->instret));
        UT_EQ(a->pmu.event[k], b->pmu.event[k]);
    }
}

static void test_round_trip(void)
{
    struct rig a, b;
    rig_init(&a, 1);
    rig_init(&b, 2);
    fill(a.h);
    struct stream s;
    stream_init_writer(&s);
    UT_EQ(hart_save(a.h, &s), 0);
    UT_EQ(s.err, 0);

    struct stream r;
    stream_init_reader(&r, s.buf, s.len);
    UT_EQ(hart_restore(b.h, &r), 0);
    UT_EQ(r.pos, s.len);
    check_same(a.h, b.h);
    UT_EQ(b.h->x[0], 0);
    /* Caches follow the restored regime (S, data and fetch alike). */
    UT_CHECK(b.h->dtlb == &b.h->tlb[TLBM_S] || b.h->dtlb == &b.h->tlb[TLBM_S_SUM]);
    UT_CHECK(b.h->itlb == b.h->dtlb);

    /* Saving the restored hart gives the same bytes. */
    struct stream s2;
    stream_init_writer(&s2);
    UT_EQ(hart_save(b.h, &s2), 0);
    UT_EQ(s2.len, s.len);
    UT_CHECK(s2.len == s.len && memcmp(s.buf, s2.buf, s.len) == 0);

    /* A restore replaces everything, including a hart that ran before. */
    hart_reset(b.h, RAM_BASE + 0x100);
    b.h->x[5] = 99;
    stream_init_reader(&r, s.buf, s.len);
    UT_EQ(hart_restore(b.h, &r), 0);
    check_same(a.h, b.h);

    stream_free(&s2);
    stream_free(&s);
    rig_destroy(&a);
    rig_destroy(&b);
}

/* Restores `len` bytes of `data` into h and checks it fails and leaves h
 * exactly as it was. */
static void expect_rejected(struct rv_hart *h, const uint8_t *data, size_t len, const char *what)
{
    struct rv_hart *before = malloc(sizeof(*h));
    memcpy(before, h, sizeof(*h));
    uint8_t *copy = malloc(len ? len : 1); /* exact size: ASan catches overreads */
    memcpy(copy, data, len);
    struct stream r;
    stream_init_reader(&r, copy, len);
    int rc = hart_restore(h, &r);
    if (rc >= 0 || memcmp(before, h, sizeof(*h)) != 0)
        fprintf(stderr, "  %s (len %zu): rc %d\n", what, len, rc);
    UT_CHECK(rc < 0);
    UT_CHECK(memcmp(before, h, sizeof(*h)) == 0);
    free(copy);
    free(before);
}

/* Offsets in the saved layout: section header (tag, version, length),
 * x[32], f[32], the register count, then the registers in HART_FIELDS
 * order. */
enum {
    OFF_TAG = 0,
    OFF_VERSION = 4,
    OFF_LENGTH = 8,
    OFF_COUNT = 16 + 64 * 8,
    OFF_REGS = OFF_COUNT + 4,
    OFF_PRIV = OFF_REGS + 2 * 8,
    OFF_MSTATUS = OFF_REGS + 4 * 8,
    OFF_PMPADDR = OFF_REGS + 35 * 8 + PMP_COUNT / 8 * 8,
};

static void put32(uint8_t *p, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        p[k] = (uint8_t)(v >> (8 * k));
}

static void test_rejects_corrupt(void)
{
    struct rig a, b;
    rig_init(&a, 1);
    rig_init(&b, 2);
    fill(a.h);
    b.h->x[7] = 0x77; /* something to notice if it were overwritten */
    struct stream s;
    stream_init_writer(&s);
    UT_EQ(hart_save(a.h, &s), 0);
    size_t n = s.len;
    uint8_t *bad = malloc(n + 16);

    for (size_t cut = 0; cut < n; cut++)
        expect_rejected(b.h, s.buf, cut, "truncated");

    memcpy(bad, s.buf, n);
    bad[OFF_TAG] ^= 1;
    expect_rejected(b.h, bad, n, "wrong tag");

    memcpy(bad, s.buf, n);
    put32(bad + OFF_VERSION, 6);
    expect_rejected(b.h, bad, n, "newer version");

    memcpy(bad, s.buf, n);
    bad[OFF_LENGTH] -= 8;
    expect_rejected(b.h, bad, n, "section shorter than its contents");

    memcpy(bad, s.buf, n);
    memset(bad + n, 0, 16);
    bad[OFF_LENGTH] += 8;
    expect_rejected(b.h, bad, n + 8, "section longer than its contents");

    memcpy(bad, s.buf, n);
    bad[OFF_LENGTH + 7] = 0x80;
    expect_rejected(b.h, bad, n, "absurd length");

    uint32_t count;
    memcpy(&count, s.buf + OFF_COUNT, 4);
    memcpy(bad, s.buf, n);
    put32(bad + OFF_COUNT, count - 1);
    expect_rejected(b.h, bad, n, "register count");
    put32(bad + OFF_COUNT, count + 1);
    expect_rejected(b.h, bad, n, "register count");

    UT_EQ(s.buf[OFF_PRIV], PRV_S);
    memcpy(bad, s.buf, n);
    bad[OFF_PRIV] = 2;
    expect_rejected(b.h, bad, n, "reserved privilege");
    bad[OFF_PRIV] = 4;
    expect_rejected(b.h, bad, n, "privilege out of range");

    /* Values no CSR write can produce: the reserved MPP, a pmpaddr wider
     * than 54 bits. */
    memcpy(bad, s.buf, n);
    bad[OFF_MSTATUS + 1] = (uint8_t)((bad[OFF_MSTATUS + 1] & ~0x18) | 0x10); /* MPP = 2 */
    expect_rejected(b.h, bad, n, "mstatus.MPP = 2");
    memcpy(bad, s.buf, n);
    bad[OFF_MSTATUS + 8] ^= 1 << 3; /* misa.D: a hart of another CPU model */
    expect_rejected(b.h, bad, n, "misa of another CPU model");
    for (int k = 0; k < PMP_COUNT; k += 5) {
        memcpy(bad, s.buf, n);
        bad[OFF_PMPADDR + 8 * k + 7] |= 0x40; /* bit 62 */
        expect_rejected(b.h, bad, n, "pmpaddr bit 62");
    }
    /* The same bytes with legal values are accepted (the offsets are right). */
    memcpy(bad, s.buf, n);
    bad[OFF_MSTATUS + 1] = (uint8_t)((bad[OFF_MSTATUS + 1] & ~0x18) | 0x18); /* MPP = 3 */
    bad[OFF_PMPADDR + 8 * 15 + 6] |= 0x20;                                   /* bit 53 */
    struct stream r;
    stream_init_reader(&r, bad, n);
    UT_EQ(hart_restore(b.h, &r), 0);
    UT_EQ((b.h->mstatus & MSTATUS_MPP) >> 11, 3);
    UT_EQ(b.h->pmpaddr[15] >> 53, 1);
    b.h->x[7] = 0x77;

    UT_EQ(b.h->x[7], 0x77);
    free(bad);
    stream_free(&s);
    rig_destroy(&a);
    rig_destroy(&b);
}

/* Kicks the hart if hart_run has not returned within two seconds, so a
 * regression fails this test instead of hanging it. */
static void *watchdog(void *arg)
{
    struct rv_hart *h = arg;
    struct timespec ts = {2, 0};
    nanosleep(&ts, NULL);
    hart_kick(h);
    return NULL;
}

/* mtvec points at memory that is not there: every fetch faults and traps
 * back to the same address, retiring nothing. hart_run must still return
 * with BUDGET. Likewise for an illegal instruction at the trap vector. */
static void test_run_trap_loop_returns(void)
{
    struct rig r;
    rig_init(&r, 0);
    for (int variant = 0; variant < 2; variant++) {
        hart_reset(r.h, RAM_BASE);
        memset(r.ram.host, 0, 4096); /* c.illegal everywhere */
        r.h->mtvec = variant ? RAM_BASE : 0x1000;
        pthread_t t;
        UT_EQ(pthread_create(&t, NULL, watchdog, r.h), 0);
        enum hart_exit e = hart_run(r.h, 1000);
        pthread_cancel(t);
        pthread_join(t, NULL);
        __atomic_store_n(&r.h->kick, 0, __ATOMIC_RELAXED);
        UT_EQ(e, HART_EXIT_BUDGET);
        UT_EQ(r.h->priv, PRV_M);
        UT_EQ(r.h->mcause, variant ? EXC_ILLEGAL_INSN : EXC_INSN_ACCESS);
    }
    rig_destroy(&r);
}

/* The state-enable registers travel (version 3); a hart whose model lacks
 * Smstateen refuses a state that has them. */
static void test_stateen_round_trip(void)
{
    struct rig a, b, c;
    rig_init(&a, 1);
    rig_init(&b, 1);
    rig_init(&c, 1);
    struct cpu_model m;
    cpu_model_default(&m);
    m.ext |= CPU_X(smstateen) | CPU_X(ssstateen); /* misa as the default */
    hart_set_model(a.h, &m);
    hart_set_model(b.h, &m);
    a.h->mstateen[0] = STATEEN_SE | STATEEN0_ENVCFG;
    a.h->mstateen[2] = STATEEN_SE;
    a.h->hstateen[0] = STATEEN_SE;
    struct stream s;
    stream_init_writer(&s);
    UT_EQ(hart_save(a.h, &s), 0);
    struct stream r;
    stream_init_reader(&r, s.buf, s.len);
    UT_EQ(hart_restore(b.h, &r), 0);
    UT_EQ(b.h->mstateen[0], STATEEN_SE | STATEEN0_ENVCFG);
    UT_EQ(b.h->mstateen[2], STATEEN_SE);
    UT_EQ(b.h->hstateen[0], STATEEN_SE);
    UT_EQ(b.h->sstateen[0], 0);
    stream_init_reader(&r, s.buf, s.len);
    UT_CHECK(hart_restore(c.h, &r) < 0); /* default model: no mstateen */
    stream_free(&s);
    rig_destroy(&a);
    rig_destroy(&b);
    rig_destroy(&c);
}

/* Saves a's state and restores it into b. */
static void save_restore(struct rv_hart *a, struct rv_hart *b)
{
    struct stream s;
    stream_init_writer(&s);
    UT_EQ(hart_save(a, &s), 0);
    struct stream r;
    stream_init_reader(&r, s.buf, s.len);
    UT_EQ(hart_restore(b, &r), 0);
    stream_free(&s);
}

/* A saved delegation register holding bits the model fixes (an older
 * built-in SBI cleared mideleg's read-only-one VS and SGEI bits; a file
 * may set bits no write can) is restored as the WARL write legalizes it:
 * the same value an M-mode csrw of it gives, neither refused nor kept. */
static void test_legalizes_deleg(void)
{
    const uint64_t s_ints = MIP_SSIP | MIP_STIP | MIP_SEIP;
    for (int with_h = 1; with_h >= 0; with_h--) {
        struct rig a, b, c;
        rig_init(&a, 1);
        rig_init(&b, 1);
        rig_init(&c, 1);
        struct cpu_model m;
        cpu_model_default(&m);
        if (!with_h) m.ext &= ~CPU_X(h);
        hart_set_model(a.h, &m);
        hart_set_model(b.h, &m);
        hart_set_model(c.h, &m);
        a.h->medeleg = ~0ULL;
        a.h->mideleg = MIP_SSIP | MIP_STIP | (1ULL << 15); /* no VS/SGEI bits, a reserved one */
        a.h->hedeleg = ~0ULL;
        a.h->hideleg = ~0ULL;
        save_restore(a.h, b.h);
        uint64_t want_mideleg = MIP_SSIP | MIP_STIP | (with_h ? VS_INTS | MIP_SGEIP : 0);
        UT_EQ(b.h->mideleg, want_mideleg);
        UT_EQ(b.h->hideleg, with_h ? VS_INTS : 0);
        /* What an M-mode write of the saved values leaves. */
        uint64_t old;
        c.h->priv = PRV_M;
        UT_EQ(csr_access(c.h, CSR_MEDELEG, CSR_OP_WRITE, ~0ULL, true, &old), 0);
        UT_EQ(b.h->medeleg, c.h->medeleg);
        UT_CHECK(b.h->medeleg != ~0ULL && (b.h->medeleg >> 20 == 0) == !with_h);
        if (with_h) {
            UT_EQ(csr_access(c.h, CSR_HEDELEG, CSR_OP_WRITE, ~0ULL, true, &old), 0);
            UT_EQ(b.h->hedeleg, c.h->hedeleg);
            UT_CHECK(b.h->hedeleg != ~0ULL);
        } else {
            UT_EQ(b.h->hedeleg, 0);
        }
        /* A legal state comes back as it was. */
        a.h->mideleg = s_ints | (with_h ? VS_INTS | MIP_SGEIP : 0);
        a.h->hideleg = with_h ? MIP_VSSIP : 0;
        a.h->medeleg = b.h->medeleg;
        a.h->hedeleg = b.h->hedeleg;
        save_restore(a.h, c.h);
        UT_EQ(c.h->mideleg, a.h->mideleg);
        UT_EQ(c.h->hideleg, a.h->hideleg);
        UT_EQ(c.h->medeleg, a.h->medeleg);
        UT_EQ(c.h->hedeleg, a.h->hedeleg);
        rig_destroy(&a);
        rig_destroy(&b);
        rig_destroy(&c);
    }
}

/* The counters travel (version 4): values and selectors; a model without
 * Sscofpmf refuses an OF bit; a version 3 section (no counters) gives
 * mcycle and minstret from its offsets and the rest zero. */
static void test_pmu_round_trip(void)
{
    struct rig a, b, c;
    rig_init(&a, 1);
    rig_init(&b, 1);
    rig_init(&c, 1);
    struct cpu_model m;
    char err[128];
    UT_EQ(cpu_model_parse(&m, "rv64,sscofpmf=off", err, sizeof(err)), 0);
    hart_set_model(c.h, &m);
    a.h->instret = b.h->instret = 5000;
    pmu_write_counter(a.h, 0, 777);
    pmu_write_event(a.h, 3, MHPMEVENT_OF | PMU_SEL_INSTRUCTIONS);
    pmu_write_counter(a.h, 3, 42);
    struct stream s;
    stream_init_writer(&s);
    UT_EQ(hart_save(a.h, &s), 0);
    struct stream r;
    stream_init_reader(&r, s.buf, s.len);
    UT_EQ(hart_restore(b.h, &r), 0);
    UT_EQ(pmu_read(b.h, 3, b.h->instret), 42);
    UT_EQ(pmu_read(b.h, 0, b.h->instret), 777);
    UT_EQ(b.h->pmu.event[3], MHPMEVENT_OF | PMU_SEL_INSTRUCTIONS);
    stream_init_reader(&r, s.buf, s.len);
    UT_CHECK(hart_restore(c.h, &r) < 0);
    /* Version 3: the same section without the counters' 4 + 32 * 16 bytes
     * and the vector state's length word (no V). */
    size_t pmu_len = 4 + 32 * 16 + 4, n = s.len - pmu_len;
    uint8_t *v3 = malloc(n);
    memcpy(v3, s.buf, n);
    put32(v3 + OFF_VERSION, 3);
    put32(v3 + OFF_LENGTH, (uint32_t)(n - 16));
    stream_init_reader(&r, v3, n);
    UT_EQ(hart_restore(b.h, &r), 0);
    UT_EQ(pmu_read(b.h, 0, b.h->instret), 777);
    UT_EQ(pmu_read(b.h, 3, b.h->instret), 0);
    UT_EQ(b.h->pmu.event[3], 0);
    free(v3);
    stream_free(&s);
    rig_destroy(&a);
    rig_destroy(&b);
    rig_destroy(&c);
}

int main(void)
{
    ut_run("hart_save_round_trip", test_round_trip);
    ut_run("hart_save_rejects_corrupt", test_rejects_corrupt);
    ut_run("hart_save_stateen_round_trip", test_stateen_round_trip);
    ut_run("hart_save_legalizes_deleg", test_legalizes_deleg);
    ut_run("hart_save_pmu_round_trip", test_pmu_round_trip);
    ut_run("hart_run_trap_loop_returns", test_run_trap_loop_returns);
    return ut_exit();
}
