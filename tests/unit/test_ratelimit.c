/* Unit tests for the token buckets of src/common/ratelimit.c, driven with
 * made-up times (no sleeping): full buckets at start, refusal with the
 * right wait, refill at size/refill_time, the one-time burst spent first
 * and never refilled, oversized requests let through once their whole cost
 * has accrued (and not before), the long-run rate of a stream of requests, both buckets
 * together, and the configuration checks. One test runs a ratelimiter on a
 * real I/O thread to see its timer call the device back. */
#include "common/ratelimit.h"

#include "common/clock.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "ut.h"

UT_MAIN_STATE

#define MS 1000000ULL

static void test_full_then_refused(void)
{
    struct ratelimit_config c = {.bandwidth = {.size = 1000, .refill_time_ms = 100}};
    struct ratelimit_state s;
    ratelimit_state_init(&s, &c, 0);
    UT_EQ(ratelimit_state_take(&s, 600, 1, 0), 0);
    /* 400 left: 600 more need 200 tokens, 20 ms at 10 tokens/ms. */
    uint64_t w = ratelimit_state_take(&s, 600, 1, 0);
    UT_CHECK(w >= 20 * MS && w <= 20 * MS + 10);
    UT_CHECK(ratelimit_state_take(&s, 600, 1, 19 * MS) > 0);
    UT_EQ(ratelimit_state_take(&s, 600, 1, 20 * MS + 10), 0);
}

static void test_refill_caps_at_size(void)
{
    struct ratelimit_config c = {.ops = {.size = 10, .refill_time_ms = 1000}};
    struct ratelimit_state s;
    ratelimit_state_init(&s, &c, 0);
    UT_EQ(ratelimit_state_take(&s, 0, 10, 0), 0);
    /* An hour idle refills 10 ops, not 36000. */
    uint64_t t = 3600 * 1000 * MS;
    UT_EQ(ratelimit_state_take(&s, 0, 10, t), 0);
    UT_CHECK(ratelimit_state_take(&s, 0, 1, t) > 0);
}

static void test_one_time_burst(void)
{
    struct ratelimit_config c = {
        .bandwidth = {.size = 100, .one_time_burst = 1000, .refill_time_ms = 1000}};
    struct ratelimit_state s;
    ratelimit_state_init(&s, &c, 0);
    UT_EQ(ratelimit_state_take(&s, 1000, 0, 0), 0); /* the burst */
    UT_EQ(ratelimit_state_take(&s, 100, 0, 0), 0);  /* the bucket */
    UT_CHECK(ratelimit_state_take(&s, 1, 0, 0) > 0);
    /* The burst never comes back: after 10 s only the bucket is full. */
    UT_EQ(ratelimit_state_take(&s, 100, 0, 10000 * MS), 0);
    UT_CHECK(ratelimit_state_take(&s, 100, 0, 10000 * MS) > 0);
}

static void test_oversized_request_paid_first(void)
{
    struct ratelimit_config c = {.bandwidth = {.size = 100, .refill_time_ms = 100}};
    struct ratelimit_state s;
    ratelimit_state_init(&s, &c, 0);
    UT_EQ(ratelimit_state_take(&s, 50, 0, 0), 0);
    /* 1000 > size: the bucket fills past its size while the request waits,
     * which it does for all of its 950 missing tokens (950 ms). */
    uint64_t w = ratelimit_state_take(&s, 1000, 0, 0);
    UT_CHECK(w >= 950 * MS && w <= 950 * MS + 10);
    UT_CHECK(ratelimit_state_take(&s, 1000, 0, 900 * MS) > 0);
    UT_EQ(ratelimit_state_take(&s, 1000, 0, w), 0);
    /* Paid in full: nothing left, and the cap is back to size. */
    w = ratelimit_state_take(&s, 1, 0, w);
    UT_CHECK(w > 0 && w <= 1 * MS + 10);
    UT_EQ(ratelimit_state_take(&s, 100, 0, 10000 * MS), 0);
    UT_CHECK(ratelimit_state_take(&s, 1, 0, 10000 * MS) > 0);
}

static void test_long_run_rate(void)
{
    /* 1 MB/s (100 KB per 100 ms), requests of 256 KB back to back: 40 MB
     * take 40 s less the first full bucket, whatever the request size. */
    struct ratelimit_config c = {.bandwidth = {.size = 100000, .refill_time_ms = 100}};
    struct ratelimit_state s;
    ratelimit_state_init(&s, &c, 0);
    uint64_t now = 0, sent = 0;
    while (sent < 40000000) {
        uint64_t w = ratelimit_state_take(&s, 256000, 1, now);
        if (w)
            now += w;
        else
            sent += 256000;
    }
    double secs = (double)now / 1e9;
    UT_CHECK(secs > 39.5 && secs < 40.5);
}

static void test_both_buckets(void)
{
    struct ratelimit_config c = {.bandwidth = {.size = 1000000, .refill_time_ms = 1000},
                                 .ops = {.size = 2, .refill_time_ms = 1000}};
    struct ratelimit_state s;
    ratelimit_state_init(&s, &c, 0);
    UT_EQ(ratelimit_state_take(&s, 10, 1, 0), 0);
    UT_EQ(ratelimit_state_take(&s, 10, 1, 0), 0);
    /* The ops bucket is empty: refused, and the bytes were not taken. */
    uint64_t w = ratelimit_state_take(&s, 10, 1, 0);
    UT_CHECK(w >= 500 * MS && w <= 500 * MS + 10);
    UT_CHECK(s.bandwidth.budget > 999979.0);
}

static void test_unlimited_and_checks(void)
{
    struct ratelimit_state s;
    ratelimit_state_init(&s, NULL, 0);
    UT_EQ(ratelimit_state_take(&s, ~0ULL >> 1, ~0ULL >> 1, 0), 0);
    const char *why = NULL;
    struct ratelimit_config c = {.bandwidth = {.size = 10}};
    UT_EQ(ratelimit_config_check(&c, &why), -EINVAL);
    UT_CHECK(why != NULL);
    c.bandwidth.refill_time_ms = 1;
    UT_EQ(ratelimit_config_check(&c, &why), 0);
    c.ops.one_time_burst = 1ULL << 60;
    UT_EQ(ratelimit_config_check(&c, &why), -EINVAL);
    struct ratelimit_config none = {.bandwidth = {.refill_time_ms = 5}};
    UT_CHECK(ratelimit_config_none(&none));
    UT_CHECK(ratelimit_config_none(NULL));
    UT_CHECK(!ratelimit_config_none(&c));
}

struct waker {
    pthread_mutex_t m;
    pthread_cond_t cv;
    int woken;
};

static void waker_fn(void *opaque)
{
    struct waker *w = opaque;
    pthread_mutex_lock(&w->m);
    w->woken++;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->m);
}

struct take_arg {
    struct ratelimiter *r;
    bool first, second;
};

static void take_twice(void *opaque)
{
    struct take_arg *a = opaque;
    a->first = ratelimiter_take(a->r, 0, 1);
    a->second = ratelimiter_take(a->r, 0, 1);
}

/* The timer wakes the caller on the loop thread once a refused request
 * may go, and not before. */
static void test_timer_wakes(void)
{
    struct ioloop *loop;
    UT_EQ(ioloop_create(&loop), 0);
    UT_EQ(ioloop_start(loop), 0);
    struct waker w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
    struct ratelimit_config c = {.ops = {.size = 1, .refill_time_ms = 200}};
    struct ratelimiter *r;
    UT_EQ(ratelimiter_create(&r, loop, &c, waker_fn, &w), 0);
    struct take_arg a = {.r = r};
    uint64_t t0 = clock_host_ns();
    ioloop_run_sync(loop, take_twice, &a);
    UT_CHECK(a.first && !a.second);
    UT_EQ(ratelimiter_throttled(r), 1);
    pthread_mutex_lock(&w.m);
    while (!w.woken)
        pthread_cond_wait(&w.cv, &w.m); /* the test hangs (and fails) without the timer */
    pthread_mutex_unlock(&w.m);
    UT_CHECK(clock_host_ns() - t0 >= 200 * MS);
    ioloop_run_sync(loop, take_twice, &a);
    UT_CHECK(a.first && !a.second);
    ratelimiter_destroy(r);
    ioloop_destroy(loop);
}

int main(void)
{
    ut_run("ratelimit_full_then_refused", test_full_then_refused);
    ut_run("ratelimit_refill_caps_at_size", test_refill_caps_at_size);
    ut_run("ratelimit_one_time_burst", test_one_time_burst);
    ut_run("ratelimit_oversized_request_paid_first", test_oversized_request_paid_first);
    ut_run("ratelimit_long_run_rate", test_long_run_rate);
    ut_run("ratelimit_both_buckets", test_both_buckets);
    ut_run("ratelimit_unlimited_and_checks", test_unlimited_and_checks);
    ut_run("ratelimit_timer_wakes", test_timer_wakes);
    return ut_exit();
}
