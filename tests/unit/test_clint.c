/* Unit tests for the CLINT: msip and its lines, mtimecmp halves and MTIP
 * levels against a vclock whose offset the test sets, mtime reads and
 * writes through the vclock, the next-deadline computation, access checks,
 * and save/restore. */
#include "machine/clint.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "ut.h"

UT_MAIN_STATE

#define NHARTS 3

struct fake_lines {
    int level[NHARTS];
    int sets[NHARTS];
};

static void fake_set(void *opaque, unsigned n, int level)
{
    struct fake_lines *f = opaque;
    f->level[n] = level;
    f->sets[n]++;
}

struct rig {
    struct clint *c;
    struct vclock clock;
    struct fake_lines msip, mtip;
};

static void rig_init(struct rig *r)
{
    struct irq_line ms[NHARTS], mt[NHARTS];
    memset(r, 0, sizeof(*r));
    for (unsigned i = 0; i < NHARTS; i++) {
        ms[i] = (struct irq_line){.set = fake_set, .opaque = &r->msip, .n = i};
        mt[i] = (struct irq_line){.set = fake_set, .opaque = &r->mtip, .n = i};
    }
    /* A guest clock far from the host's, as after a restore. */
    vclock_set(&r->clock, 1ULL << 40);
    UT_EQ(clint_create(&r->c, NHARTS, &r->clock, ms, mt), 0);
}

static uint64_t rd(struct rig *r, uint64_t off, unsigned size)
{
    uint64_t v = 0xdeadbeef;
    UT_EQ(clint_ops.read(r->c, off, size, &v), 0);
    return v;
}

static void wr(struct rig *r, uint64_t off, unsigned size, uint64_t v)
{
    UT_EQ(clint_ops.write(r->c, off, size, v), 0);
}

#define MTIMECMP(h) (0x4000 + 8 * (h))
#define MTIME       0xbff8
#define TICKS_MS    (CLOCK_TIMEBASE_HZ / 1000)

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void test_msip(void)
{
    struct rig r;
    rig_init(&r);
    UT_EQ(rd(&r, 4, 4), 0);
    wr(&r, 4, 4, 1);
    UT_EQ(r.msip.level[1], 1);
    UT_EQ(r.msip.level[0], 0);
    UT_EQ(rd(&r, 4, 4), 1);
    wr(&r, 4, 4, 0xfffffffe); /* only bit 0 counts */
    UT_EQ(r.msip.level[1], 0);
    UT_EQ(rd(&r, 4, 4), 0);
    wr(&r, 4 * NHARTS, 4, 1); /* no such hart: ignored */
    UT_EQ(rd(&r, 4 * NHARTS, 4), 0);
    clint_destroy(r.c);
}

static void test_mtime(void)
{
    struct rig r;
    rig_init(&r);
    uint64_t t0 = rd(&r, MTIME, 8);
    UT_CHECK(t0 >= (1ULL << 40) && t0 < (1ULL << 40) + 1000 * TICKS_MS);
    UT_EQ(rd(&r, MTIME + 4, 4), t0 >> 32);
    sleep_ms(2);
    UT_CHECK(rd(&r, MTIME, 8) >= t0 + 2 * TICKS_MS);

    /* A guest write moves the vclock. */
    wr(&r, MTIME, 8, 5000);
    uint64_t t1 = rd(&r, MTIME, 8);
    UT_CHECK(t1 >= 5000 && t1 < 5000 + 100 * TICKS_MS);
    UT_CHECK(vclock_ticks(&r.clock) >= 5000 && vclock_ticks(&r.clock) < 5000 + 100 * TICKS_MS);
    wr(&r, MTIME + 4, 4, 7); /* high half only */
    UT_EQ(rd(&r, MTIME + 4, 4), 7);
    UT_CHECK((rd(&r, MTIME, 8) & 0xffffffff) < 5000 + 100 * TICKS_MS);
    clint_destroy(r.c);
}

static void test_mtimecmp_and_mtip(void)
{
    struct rig r;
    rig_init(&r);
    /* Reset value: never. */
    UT_EQ(rd(&r, MTIMECMP(0), 8), UINT64_MAX);
    clint_update(r.c);
    for (unsigned h = 0; h < NHARTS; h++)
        UT_EQ(r.mtip.level[h], 0);
    UT_EQ(clint_next_deadline_ns(r.c), UINT64_MAX);

    uint64_t now = vclock_ticks(&r.clock);
    /* Due already: MTIP rises on the write itself. */
    wr(&r, MTIMECMP(2), 8, now - 1);
    UT_EQ(r.mtip.level[2], 1);
    UT_EQ(rd(&r, MTIMECMP(2), 8), now - 1);
    /* Moving it to the future lowers MTIP at once. */
    wr(&r, MTIMECMP(2), 8, now + 1000 * TICKS_MS);
    UT_EQ(r.mtip.level[2], 0);

    /* 4-byte halves, the way RV32 firmware writes them. */
    wr(&r, MTIMECMP(1), 4, 0xffffffff);
    wr(&r, MTIMECMP(1) + 4, 4, 0x12345678);
    wr(&r, MTIMECMP(1), 4, 0x9abcdef0);
    UT_EQ(rd(&r, MTIMECMP(1), 8), 0x123456789abcdef0ULL);
    UT_EQ(rd(&r, MTIMECMP(1), 4), 0x9abcdef0);
    UT_EQ(rd(&r, MTIMECMP(1) + 4, 4), 0x12345678);
    UT_EQ(r.mtip.level[1], 0);
    wr(&r, MTIMECMP(1), 8, UINT64_MAX);

    /* A short timer: the deadline matches, and after it MTIP rises. */
    uint64_t host0 = clock_host_ns();
    now = vclock_ticks(&r.clock);
    wr(&r, MTIMECMP(0), 8, now + 20 * TICKS_MS);
    uint64_t dl = clint_next_deadline_ns(r.c);
    uint64_t host1 = clock_host_ns();
    /* mtime was read between host0 and host1; ticks are 100 ns long. */
    UT_CHECK(dl >= host0 + 20000000ULL - 100 && dl <= host1 + 20000000ULL);
    UT_EQ(r.mtip.level[0], 0);
    while (clock_host_ns() < dl)
        sleep_ms(1);
    clint_update(r.c);
    UT_EQ(r.mtip.level[0], 1);
    /* A hart with MTIP up is left out; hart 2's timer remains. */
    dl = clint_next_deadline_ns(r.c);
    UT_CHECK(dl > clock_host_ns() + 500000000ULL && dl != UINT64_MAX);
    /* A due timer not yet noticed by clint_update() is due now. */
    r.clock.offset += 2000 * TICKS_MS;
    uint64_t before = clock_host_ns();
    UT_CHECK(clint_next_deadline_ns(r.c) <= clock_host_ns());
    UT_CHECK(clint_next_deadline_ns(r.c) >= before);
    clint_update(r.c);
    UT_EQ(r.mtip.level[2], 1);
    UT_EQ(clint_next_deadline_ns(r.c), UINT64_MAX);
    /* A deadline past the ns range counts as none. */
    wr(&r, MTIMECMP(0), 8, UINT64_MAX - 1);
    UT_EQ(r.mtip.level[0], 0);
    UT_EQ(clint_next_deadline_ns(r.c), UINT64_MAX);
    /* Writing mtime backwards lowers a raised MTIP. */
    wr(&r, MTIMECMP(0), 8, vclock_ticks(&r.clock) + 1000 * TICKS_MS);
    wr(&r, MTIME, 8, 0);
    UT_EQ(r.mtip.level[2], 0);
    clint_destroy(r.c);
}

static void test_bad_access(void)
{
    struct rig r;
    uint64_t v;
    rig_init(&r);
    UT_EQ(clint_ops.read(r.c, 0, 8, &v), -EINVAL); /* msip is 32-bit */
    UT_EQ(clint_ops.write(r.c, 0, 1, 1), -EINVAL);
    UT_EQ(clint_ops.read(r.c, MTIMECMP(0), 2, &v), -EINVAL);
    UT_EQ(clint_ops.read(r.c, MTIMECMP(0) + 4, 8, &v), -EINVAL);
    UT_EQ(clint_ops.write(r.c, MTIME + 2, 4, 0), -EINVAL);
    UT_EQ(r.msip.sets[0], 0);
    /* Unused offsets read 0 and ignore writes. */
    UT_EQ(rd(&r, MTIMECMP(NHARTS), 8), 0);
    wr(&r, MTIMECMP(NHARTS), 8, 0);
    UT_EQ(rd(&r, 0x3ffc, 4), 0);
    UT_EQ(rd(&r, 0xc000, 8), 0);
    UT_EQ(rd(&r, 0xfff8, 8), 0);
    wr(&r, 0xfff8, 8, 1);
    for (unsigned h = 0; h < NHARTS; h++)
        UT_EQ(r.mtip.level[h], 0);
    clint_destroy(r.c);
}

static void test_save_restore(void)
{
    struct rig a, b;
    struct stream s, in;
    rig_init(&a);
    rig_init(&b);
    /* One guest time for both rigs (as a restored VM continues the saved
     * one): b's clock would otherwise start later and see hart 0's deadline
     * as not yet due when the host is slow between the two inits. */
    b.clock = a.clock;
    uint64_t now = vclock_ticks(&a.clock);
    wr(&a, MTIMECMP(0), 8, now - 5);
    wr(&a, MTIMECMP(1), 8, now + 1000000 * TICKS_MS);
    wr(&a, 8, 4, 1);
    stream_init_writer(&s);
    UT_EQ(clint_save(a.c, &s), 0);
    stream_init_reader(&in, s.buf, s.len);
    UT_EQ(clint_restore(b.c, &in), 0);
    UT_EQ(in.pos, in.len);
    for (unsigned h = 0; h < NHARTS; h++) {
        UT_EQ(rd(&b, MTIMECMP(h), 8), rd(&a, MTIMECMP(h), 8));
        UT_EQ(rd(&b, 4 * h, 4), rd(&a, 4 * h, 4));
        UT_EQ(b.msip.level[h], a.msip.level[h]);
        UT_EQ(b.mtip.level[h], a.mtip.level[h]);
        UT_CHECK(b.msip.sets[h] > 0 && b.mtip.sets[h] > 0);
    }
    UT_EQ(b.mtip.level[0], 1);
    UT_EQ(b.msip.level[2], 1);

    /* Wrong hart count, truncation, bad msip value: refused, no change. */
    struct rig c;
    rig_init(&c);
    stream_init_reader(&in, s.buf, s.len - 1);
    UT_CHECK(clint_restore(c.c, &in) < 0);
    UT_EQ(rd(&c, MTIMECMP(0), 8), UINT64_MAX);
    struct stream bad;
    stream_init_writer(&bad);
    size_t mark = stream_begin_section(&bad, STREAM_TAG('C', 'L', 'N', 'T'), 1);
    stream_put_u32(&bad, NHARTS);
    for (unsigned h = 0; h < NHARTS; h++) {
        stream_put_u64(&bad, 0);
        stream_put_u8(&bad, 2);
    }
    stream_end_section(&bad, mark);
    stream_init_reader(&in, bad.buf, bad.len);
    UT_EQ(clint_restore(c.c, &in), -EINVAL);
    UT_EQ(rd(&c, MTIMECMP(0), 8), UINT64_MAX);
    stream_free(&bad);
    struct clint *c1;
    struct irq_line l = {0};
    UT_EQ(clint_create(&c1, 1, &c.clock, &l, &l), 0);
    stream_init_reader(&in, s.buf, s.len);
    UT_EQ(clint_restore(c1, &in), -EINVAL);
    clint_destroy(c1);

    stream_free(&s);
    clint_destroy(a.c);
    clint_destroy(b.c);
    clint_destroy(c.c);
}

static void test_create_errors(void)
{
    struct clint *c = (struct clint *)1;
    struct vclock clock = {0};
    struct irq_line l = {0};
    UT_EQ(clint_create(&c, 0, &clock, &l, &l), -EINVAL);
    UT_CHECK(c == NULL);
    UT_EQ(clint_create(&c, 1, NULL, &l, &l), -EINVAL);
    UT_EQ(clint_create(&c, CLINT_MAX_HARTS + 1, &clock, &l, &l), -EINVAL);
    clint_destroy(NULL);
}

int main(void)
{
    ut_run("clint_msip", test_msip);
    ut_run("clint_mtime", test_mtime);
    ut_run("clint_mtimecmp_and_mtip", test_mtimecmp_and_mtip);
    ut_run("clint_bad_access", test_bad_access);
    ut_run("clint_save_restore", test_save_restore);
    ut_run("clint_create_errors", test_create_errors);
    return ut_exit();
}
