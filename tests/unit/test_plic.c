/* Unit tests for the PLIC: register map and WARL masks, level-triggered
 * gateway behaviour, claim/complete with priority, threshold and tie rules,
 * per-context enables and output lines, access checks, and save/restore. */
#include "machine/plic.h"

#include <errno.h>
#include <string.h>

#include "ut.h"

UT_MAIN_STATE

#define NHARTS 2
#define NCTX   (2 * NHARTS)

struct fake_lines {
    int level[NCTX];
    int sets[NCTX];
};

static void fake_set(void *opaque, unsigned n, int level)
{
    struct fake_lines *f = opaque;
    f->level[n] = level;
    f->sets[n]++;
}

struct rig {
    struct plic *p;
    struct fake_lines lines;
};

static void rig_init(struct rig *r)
{
    struct irq_line l[NCTX];
    memset(r, 0, sizeof(*r));
    for (unsigned i = 0; i < NCTX; i++)
        l[i] = (struct irq_line){.set = fake_set, .opaque = &r->lines, .n = i};
    UT_EQ(plic_create(&r->p, NHARTS, l), 0);
}

static uint32_t rd(struct rig *r, uint64_t off)
{
    uint64_t v = 0xdeadbeef;
    UT_EQ(plic_ops.read(r->p, off, 4, &v), 0);
    return (uint32_t)v;
}

static void wr(struct rig *r, uint64_t off, uint32_t v)
{
    UT_EQ(plic_ops.write(r->p, off, 4, v), 0);
}

static uint64_t prio(unsigned src)
{
    return 4 * src;
}
static uint64_t enable(unsigned ctx, unsigned word)
{
    return 0x2000 + 0x80 * ctx + 4 * word;
}
static uint64_t threshold(unsigned ctx)
{
    return 0x200000 + 0x1000 * ctx;
}
static uint64_t claim(unsigned ctx)
{
    return 0x200004 + 0x1000 * ctx;
}

static void test_registers(void)
{
    struct rig r;
    rig_init(&r);
    wr(&r, prio(1), 5);
    UT_EQ(rd(&r, prio(1)), 5);
    wr(&r, prio(95), 0xff); /* WARL: 3 bits */
    UT_EQ(rd(&r, prio(95)), 7);
    wr(&r, prio(0), 3); /* source 0 does not exist */
    UT_EQ(rd(&r, prio(0)), 0);
    wr(&r, prio(96), 3); /* nor does 96 */
    UT_EQ(rd(&r, prio(96)), 0);

    wr(&r, enable(1, 0), 0xffffffff);
    UT_EQ(rd(&r, enable(1, 0)), 0xfffffffe);
    wr(&r, enable(1, 2), 0x80000001);
    UT_EQ(rd(&r, enable(1, 2)), 0x80000001);
    UT_EQ(rd(&r, enable(0, 0)), 0);
    wr(&r, enable(1, 3), 1); /* past the last source word */
    UT_EQ(rd(&r, enable(1, 3)), 0);
    wr(&r, enable(NCTX, 0), 1); /* no such context */
    UT_EQ(rd(&r, enable(NCTX, 0)), 0);

    wr(&r, threshold(2), 3);
    UT_EQ(rd(&r, threshold(2)), 3);
    wr(&r, threshold(2), 8); /* above the top priority: ignored (QEMU) */
    UT_EQ(rd(&r, threshold(2)), 3);
    wr(&r, threshold(NCTX), 1);
    UT_EQ(rd(&r, threshold(NCTX)), 0);
    UT_EQ(rd(&r, threshold(1) + 8), 0); /* reserved in a context block */

    /* Pending bits are read-only. */
    wr(&r, 0x1000, 0xffffffff);
    UT_EQ(rd(&r, 0x1000), 0);
    plic_destroy(r.p);
}

static void test_claim_complete(void)
{
    struct rig r;
    rig_init(&r);
    const unsigned S = 1; /* hart 0 S-mode */
    wr(&r, prio(10), 1);
    wr(&r, enable(S, 0), 1u << 10);

    plic_set_irq(r.p, 10, 1);
    UT_EQ(rd(&r, 0x1000), 1u << 10);
    UT_EQ(r.lines.level[S], 1);
    UT_EQ(r.lines.level[0], 0); /* M context has it disabled */
    UT_EQ(rd(&r, claim(S)), 10);
    UT_EQ(r.lines.level[S], 0);
    UT_EQ(rd(&r, 0x1000), 0);
    /* Claimed: no second claim even with the line still high. */
    UT_EQ(rd(&r, claim(S)), 0);
    /* Complete with the line still high re-arms it (level-triggered). */
    wr(&r, claim(S), 10);
    UT_EQ(r.lines.level[S], 1);
    UT_EQ(rd(&r, claim(S)), 10);
    plic_set_irq(r.p, 10, 0);
    wr(&r, claim(S), 10);
    UT_EQ(r.lines.level[S], 0);
    UT_EQ(rd(&r, claim(S)), 0);

    /* A line that drops before the claim withdraws the request. */
    plic_set_irq(r.p, 10, 1);
    UT_EQ(r.lines.level[S], 1);
    plic_set_irq(r.p, 10, 0);
    UT_EQ(r.lines.level[S], 0);
    UT_EQ(rd(&r, claim(S)), 0);

    /* Priority 0 never interrupts. */
    wr(&r, prio(10), 0);
    plic_set_irq(r.p, 10, 1);
    UT_EQ(rd(&r, 0x1000), 1u << 10);
    UT_EQ(r.lines.level[S], 0);
    UT_EQ(rd(&r, claim(S)), 0);
    wr(&r, prio(10), 2);
    UT_EQ(r.lines.level[S], 1);
    plic_destroy(r.p);
}

static void test_priority_threshold(void)
{
    struct rig r;
    rig_init(&r);
    const unsigned M = 2; /* hart 1 M-mode */
    wr(&r, enable(M, 0), (1u << 3) | (1u << 5) | (1u << 7));
    wr(&r, enable(M, 1), 1u << (40 - 32));
    wr(&r, prio(3), 2);
    wr(&r, prio(5), 4);
    wr(&r, prio(7), 4);
    wr(&r, prio(40), 6);
    plic_set_irq(r.p, 3, 1);
    plic_set_irq(r.p, 5, 1);
    plic_set_irq(r.p, 7, 1);
    plic_set_irq(r.p, 40, 1);

    wr(&r, threshold(M), 6);
    UT_EQ(r.lines.level[M], 0);
    UT_EQ(rd(&r, claim(M)), 0); /* priority must exceed the threshold */
    wr(&r, threshold(M), 5);
    UT_EQ(r.lines.level[M], 1);
    UT_EQ(rd(&r, claim(M)), 40);
    UT_EQ(r.lines.level[M], 0);
    wr(&r, threshold(M), 0);
    UT_EQ(r.lines.level[M], 1);
    /* Equal priorities: the lower id wins. */
    UT_EQ(rd(&r, claim(M)), 5);
    UT_EQ(rd(&r, claim(M)), 7);
    UT_EQ(rd(&r, claim(M)), 3);
    UT_EQ(rd(&r, claim(M)), 0);
    UT_EQ(r.lines.level[M], 0);

    /* Completing a source not enabled for the context is ignored. */
    wr(&r, enable(M, 0), 1u << 3);
    wr(&r, claim(M), 5);
    UT_EQ(rd(&r, 0x1000) & (1u << 5), 0);
    wr(&r, enable(M, 0), (1u << 3) | (1u << 5));
    wr(&r, claim(M), 5);
    UT_EQ(rd(&r, 0x1000) & (1u << 5), 1u << 5);
    /* Bad completion ids are ignored. */
    wr(&r, claim(M), 0);
    wr(&r, claim(M), 96);
    wr(&r, claim(M), 0xffffffff);
    UT_EQ(rd(&r, claim(M)), 5);
    plic_destroy(r.p);
}

static void test_contexts(void)
{
    struct rig r;
    rig_init(&r);
    wr(&r, prio(33), 1);
    for (unsigned c = 0; c < NCTX; c++)
        wr(&r, enable(c, 1), 1u << 1);
    plic_set_irq(r.p, 33, 1);
    for (unsigned c = 0; c < NCTX; c++)
        UT_EQ(r.lines.level[c], 1);
    /* One context's claim takes it from all. */
    UT_EQ(rd(&r, claim(3)), 33);
    for (unsigned c = 0; c < NCTX; c++)
        UT_EQ(r.lines.level[c], 0);
    UT_EQ(rd(&r, claim(0)), 0);
    /* Masking a context lowers only its line. */
    wr(&r, claim(3), 33);
    wr(&r, enable(2, 1), 0);
    UT_EQ(r.lines.level[2], 0);
    UT_EQ(r.lines.level[1], 1);
    int sets = r.lines.sets[1];
    plic_set_irq(r.p, 33, 1); /* no change: no redundant line event */
    UT_EQ(r.lines.sets[1], sets);
    /* Out-of-range sources are ignored. */
    plic_set_irq(r.p, 0, 1);
    plic_set_irq(r.p, 96, 1);
    plic_set_irq(r.p, 1000, 1);
    UT_EQ(rd(&r, 0x1000), 0);
    plic_destroy(r.p);
}

static void test_bad_access(void)
{
    struct rig r;
    uint64_t v;
    rig_init(&r);
    UT_EQ(plic_ops.read(r.p, 0, 1, &v), -EINVAL);
    UT_EQ(plic_ops.read(r.p, 0, 8, &v), -EINVAL);
    UT_EQ(plic_ops.write(r.p, 2, 4, 1), -EINVAL);
    UT_EQ(plic_ops.write(r.p, claim(0), 2, 1), -EINVAL);
    UT_EQ(rd(&r, 0x5ffffc), 0);
    wr(&r, 0x5ffffc, 1);
    UT_EQ(rd(&r, 0x1ffc), 0);
    UT_EQ(rd(&r, 0x1fff00), 0);
    plic_destroy(r.p);
}

static void test_save_restore(void)
{
    struct rig a, b;
    struct stream s, in;
    rig_init(&a);
    rig_init(&b);
    for (unsigned src = 1; src < PLIC_NUM_SOURCES; src++)
        wr(&a, prio(src), src % 8);
    wr(&a, enable(0, 0), 0x0000f0f0);
    wr(&a, enable(1, 1), 0x12345678);
    wr(&a, enable(3, 2), 0xffffffff);
    wr(&a, threshold(1), 2);
    wr(&a, threshold(3), 7);
    plic_set_irq(a.p, 4, 1);
    plic_set_irq(a.p, 5, 1);
    plic_set_irq(a.p, 70, 1);
    UT_EQ(rd(&a, claim(0)), 5); /* priority 5 beats source 4's 4 */

    stream_init_writer(&s);
    UT_EQ(plic_save(a.p, &s), 0);
    stream_init_reader(&in, s.buf, s.len);
    UT_EQ(plic_restore(b.p, &in), 0);
    UT_EQ(in.pos, in.len);
    for (unsigned c = 0; c < NCTX; c++) {
        UT_EQ(b.lines.level[c], a.lines.level[c]);
        UT_CHECK(b.lines.sets[c] > 0); /* every line driven */
        UT_EQ(rd(&b, threshold(c)), rd(&a, threshold(c)));
        for (unsigned w = 0; w < 3; w++)
            UT_EQ(rd(&b, enable(c, w)), rd(&a, enable(c, w)));
    }
    for (unsigned src = 0; src < PLIC_NUM_SOURCES; src++)
        UT_EQ(rd(&b, prio(src)), rd(&a, prio(src)));
    for (unsigned w = 0; w < 3; w++)
        UT_EQ(rd(&b, 0x1000 + 4 * w), rd(&a, 0x1000 + 4 * w));
    /* The claimed source stays claimed, and completes the same way. */
    UT_EQ(rd(&b, claim(0)), rd(&a, claim(0)));
    wr(&a, claim(0), 5);
    wr(&b, claim(0), 5);
    UT_EQ(rd(&b, claim(0)), rd(&a, claim(0)));
    UT_EQ(rd(&b, claim(3)), rd(&a, claim(3)));

    /* Wrong hart count or a truncated stream: refused, no change. */
    struct rig c;
    struct irq_line l[2 * 3];
    memset(l, 0, sizeof(l));
    struct plic *p3;
    UT_EQ(plic_create(&p3, 3, l), 0);
    stream_init_reader(&in, s.buf, s.len);
    UT_EQ(plic_restore(p3, &in), -EINVAL);
    plic_destroy(p3);
    rig_init(&c);
    stream_init_reader(&in, s.buf, s.len - 4);
    UT_CHECK(plic_restore(c.p, &in) < 0);
    UT_EQ(rd(&c, prio(3)), 0);
    UT_EQ(rd(&c, threshold(1)), 0);

    stream_free(&s);
    plic_destroy(a.p);
    plic_destroy(b.p);
    plic_destroy(c.p);
}

static void test_create_errors(void)
{
    struct plic *p = (struct plic *)1;
    struct irq_line l[2] = {{0}, {0}};
    UT_EQ(plic_create(&p, 0, l), -EINVAL);
    UT_CHECK(p == NULL);
    UT_EQ(plic_create(&p, PLIC_MAX_HARTS + 1, l), -EINVAL);
    UT_EQ(plic_create(&p, 1, NULL), -EINVAL);
    plic_destroy(NULL);
}

int main(void)
{
    ut_run("plic_registers", test_registers);
    ut_run("plic_claim_complete", test_claim_complete);
    ut_run("plic_priority_threshold", test_priority_threshold);
    ut_run("plic_contexts", test_contexts);
    ut_run("plic_bad_access", test_bad_access);
    ut_run("plic_save_restore", test_save_restore);
    ut_run("plic_create_errors", test_create_errors);
    return ut_exit();
}
