/* Unit tests for the goldfish RTC: reading and setting wall-clock time, the
 * TIME_HIGH latch, the alarm (past, future, cancelled, masked) and its irq
 * line, the deadline it reports, access checks, and save/restore. */
#include "machine/rtc.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "ut.h"

UT_MAIN_STATE

enum {
    TIME_LOW = 0x00,
    TIME_HIGH = 0x04,
    ALARM_LOW = 0x08,
    ALARM_HIGH = 0x0c,
    IRQ_ENABLED = 0x10,
    CLEAR_ALARM = 0x14,
    ALARM_STATUS = 0x18,
    CLEAR_INTERRUPT = 0x1c,
};

#define MS 1000000ULL

struct fake_irq {
    int level;
    int sets;
};

static void fake_set(void *opaque, unsigned n, int level)
{
    struct fake_irq *f = opaque;
    (void)n;
    f->level = level;
    f->sets++;
}

struct rig {
    struct rtc *r;
    struct fake_irq irq;
};

static void rig_init(struct rig *g)
{
    memset(g, 0, sizeof(*g));
    struct irq_line l = {.set = fake_set, .opaque = &g->irq, .n = 11};
    UT_EQ(rtc_create(&g->r, &l), 0);
}

static uint32_t rd(struct rig *g, uint64_t off)
{
    uint64_t v = 0xdeadbeef;
    UT_EQ(rtc_ops.read(g->r, off, 4, &v), 0);
    return (uint32_t)v;
}

static void wr(struct rig *g, uint64_t off, uint32_t v)
{
    UT_EQ(rtc_ops.write(g->r, off, 4, v), 0);
}

/* The driver's order: LOW first, which latches HIGH. */
static uint64_t read_time(struct rig *g)
{
    uint64_t lo = rd(g, TIME_LOW);
    return lo | (uint64_t)rd(g, TIME_HIGH) << 32;
}

/* rtc-goldfish.c's set_time and set_alarm order: HIGH, then LOW. */
static void set_time(struct rig *g, uint64_t ns)
{
    wr(g, TIME_HIGH, (uint32_t)(ns >> 32));
    wr(g, TIME_LOW, (uint32_t)ns);
}

static void set_alarm(struct rig *g, uint64_t ns)
{
    wr(g, ALARM_HIGH, (uint32_t)(ns >> 32));
    wr(g, ALARM_LOW, (uint32_t)ns);
}

static uint64_t ns_of(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void test_time(void)
{
    struct rig g;
    rig_init(&g);
    uint64_t host = ns_of(CLOCK_REALTIME);
    uint64_t t = read_time(&g);
    UT_CHECK(t >= host && t < host + 1000 * MS);

    /* The high half stays latched until the next TIME_LOW read. */
    uint32_t hi = rd(&g, TIME_HIGH);
    UT_EQ(rd(&g, TIME_HIGH), hi);

    const uint64_t target = 0x0123456789abcdefULL;
    set_time(&g, target);
    t = read_time(&g);
    UT_CHECK(t >= target && t < target + 1000 * MS);
    sleep_ms(5);
    UT_CHECK(read_time(&g) >= t + 5 * MS);
    UT_EQ(g.irq.sets, 0);
    rtc_destroy(g.r);
}

static void test_alarm_past(void)
{
    struct rig g;
    rig_init(&g);
    wr(&g, IRQ_ENABLED, 1);
    UT_EQ(rd(&g, IRQ_ENABLED), 1);
    set_alarm(&g, read_time(&g) - 1000 * MS);
    UT_EQ(g.irq.level, 1);
    UT_EQ(rd(&g, ALARM_STATUS), 0);
    UT_EQ(rtc_next_deadline_ns(g.r), UINT64_MAX);
    wr(&g, CLEAR_INTERRUPT, 1);
    UT_EQ(g.irq.level, 0);
    /* The alarm fired once; it does not come back. */
    rtc_update(g.r);
    UT_EQ(g.irq.level, 0);
    rtc_destroy(g.r);
}

static void test_alarm_future(void)
{
    struct rig g;
    rig_init(&g);
    set_time(&g, 1000000 * MS);
    wr(&g, IRQ_ENABLED, 1);
    uint64_t mono0 = ns_of(CLOCK_MONOTONIC);
    uint64_t when = read_time(&g) + 30 * MS;
    set_alarm(&g, when);
    UT_EQ(rd(&g, ALARM_LOW), (uint32_t)when);
    UT_EQ(rd(&g, ALARM_HIGH), (uint32_t)(when >> 32));
    UT_EQ(rd(&g, ALARM_STATUS), 1);
    UT_EQ(g.irq.level, 0);
    uint64_t dl = rtc_next_deadline_ns(g.r);
    uint64_t mono1 = ns_of(CLOCK_MONOTONIC);
    UT_CHECK(dl >= mono0 + 29 * MS && dl <= mono1 + 31 * MS);
    rtc_update(g.r);
    UT_EQ(g.irq.level, 0);
    while (ns_of(CLOCK_MONOTONIC) < dl + 1 * MS)
        sleep_ms(1);
    rtc_update(g.r);
    UT_EQ(g.irq.level, 1);
    UT_EQ(rd(&g, ALARM_STATUS), 0);
    wr(&g, CLEAR_INTERRUPT, 1);
    UT_EQ(g.irq.level, 0);

    /* A cancelled alarm never fires. */
    set_alarm(&g, read_time(&g) + 5 * MS);
    UT_EQ(rd(&g, ALARM_STATUS), 1);
    wr(&g, CLEAR_ALARM, 1);
    UT_EQ(rd(&g, ALARM_STATUS), 0);
    UT_EQ(rtc_next_deadline_ns(g.r), UINT64_MAX);
    sleep_ms(10);
    rtc_update(g.r);
    UT_EQ(g.irq.level, 0);

    /* Register reads notice a due alarm without rtc_update(). */
    set_alarm(&g, read_time(&g) + 2 * MS);
    sleep_ms(5);
    UT_EQ(rd(&g, ALARM_STATUS), 0);
    UT_EQ(g.irq.level, 1);
    rtc_destroy(g.r);
}

static void count_notify(void *opaque)
{
    ++*(int *)opaque;
}

/* Whoever sleeps until the alarm hears of every register write (an alarm
 * armed, the clock set), so it can sleep until the new deadline. */
static void test_notify(void)
{
    struct rig g;
    rig_init(&g);
    int n = 0;
    wr(&g, IRQ_ENABLED, 1); /* before a notifier: nobody to tell */
    rtc_set_notify(g.r, count_notify, &n);
    set_alarm(&g, read_time(&g) + 1000 * MS); /* two writes: HIGH, then LOW arms */
    UT_EQ(n, 2);
    rd(&g, ALARM_STATUS); /* reads change nothing to wait for */
    UT_EQ(n, 2);
    wr(&g, CLEAR_ALARM, 1);
    UT_EQ(n, 3);
    rtc_destroy(g.r);
}

static void test_alarm_masked(void)
{
    struct rig g;
    rig_init(&g);
    set_alarm(&g, 0);
    /* Pending but masked: the line stays low until enabled. */
    UT_EQ(g.irq.level, 0);
    wr(&g, IRQ_ENABLED, 1);
    UT_EQ(g.irq.level, 1);
    wr(&g, IRQ_ENABLED, 0);
    UT_EQ(g.irq.level, 0);
    wr(&g, CLEAR_INTERRUPT, 1);
    wr(&g, IRQ_ENABLED, 3); /* bit 0 only */
    UT_EQ(rd(&g, IRQ_ENABLED), 1);
    UT_EQ(g.irq.level, 0);
    rtc_destroy(g.r);
}

static void test_bad_access(void)
{
    struct rig g;
    uint64_t v;
    rig_init(&g);
    UT_EQ(rtc_ops.read(g.r, TIME_LOW, 8, &v), -EINVAL);
    UT_EQ(rtc_ops.read(g.r, TIME_LOW, 1, &v), -EINVAL);
    UT_EQ(rtc_ops.write(g.r, ALARM_LOW + 2, 4, 0), -EINVAL);
    UT_EQ(rd(&g, 0x20), 0);
    UT_EQ(rd(&g, 0xffc), 0);
    wr(&g, 0x20, 1);
    wr(&g, 0xffc, 1);
    UT_EQ(rd(&g, CLEAR_ALARM), 0);
    UT_EQ(rd(&g, CLEAR_INTERRUPT), 0);
    UT_EQ(g.irq.sets, 0);
    rtc_destroy(g.r);
}

static void test_save_restore(void)
{
    struct rig a, b;
    struct stream s, in;
    rig_init(&a);
    rig_init(&b);
    set_time(&a, 0x0000100000000000ULL);
    wr(&a, IRQ_ENABLED, 1);
    set_alarm(&a, 5); /* fires at once: pending, line high */
    wr(&a, ALARM_HIGH, 0x7fffffff);
    wr(&a, ALARM_LOW, 0x1234); /* armed far in the future */
    (void)read_time(&a);
    stream_init_writer(&s);
    UT_EQ(rtc_save(a.r, &s), 0);
    stream_init_reader(&in, s.buf, s.len);
    UT_EQ(rtc_restore(b.r, &in), 0);
    UT_EQ(in.pos, in.len);
    UT_EQ(b.irq.level, 1);
    UT_EQ(rd(&b, TIME_HIGH), rd(&a, TIME_HIGH)); /* the latch */
    UT_EQ(rd(&b, ALARM_LOW), 0x1234);
    UT_EQ(rd(&b, ALARM_HIGH), 0x7fffffff);
    UT_EQ(rd(&b, ALARM_STATUS), 1);
    UT_EQ(rd(&b, IRQ_ENABLED), 1);
    uint64_t ta = read_time(&a), tb = read_time(&b);
    UT_CHECK(tb >= ta && tb < ta + 100 * MS);
    UT_CHECK(rtc_next_deadline_ns(b.r) != UINT64_MAX);

    struct rig c;
    rig_init(&c);
    stream_init_reader(&in, s.buf, s.len - 1);
    UT_CHECK(rtc_restore(c.r, &in) < 0);
    UT_EQ(rd(&c, ALARM_STATUS), 0);
    UT_EQ(rd(&c, IRQ_ENABLED), 0);
    UT_EQ(c.irq.sets, 0);

    stream_free(&s);
    rtc_destroy(a.r);
    rtc_destroy(b.r);
    rtc_destroy(c.r);
}

static void test_create_errors(void)
{
    struct rtc *r = (struct rtc *)1;
    UT_EQ(rtc_create(&r, NULL), -EINVAL);
    UT_CHECK(r == NULL);
    rtc_destroy(NULL);
}

int main(void)
{
    ut_run("rtc_time", test_time);
    ut_run("rtc_alarm_past", test_alarm_past);
    ut_run("rtc_alarm_future", test_alarm_future);
    ut_run("rtc_alarm_masked", test_alarm_masked);
    ut_run("rtc_notify", test_notify);
    ut_run("rtc_bad_access", test_bad_access);
    ut_run("rtc_save_restore", test_save_restore);
    ut_run("rtc_create_errors", test_create_errors);
    return ut_exit();
}
