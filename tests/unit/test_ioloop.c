/* Unit tests for the I/O thread (src/vmm/ioloop.c): fd watches fire on the
 * loop thread, posted events coalesce, run_sync waits for the loop and runs
 * there, a deleted watch is never called again, prepare hooks bound the
 * wait. */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "ut.h"
#include "common/ioloop.h"

UT_MAIN_STATE

struct counter {
    struct ioloop *loop;
    atomic_int calls;
    atomic_int on_loop; /* calls that ran on the loop thread */
    int fd;
};

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Waits up to 2 s for *v to reach want. */
static bool wait_for(atomic_int *v, int want)
{
    for (int k = 0; k < 2000 && atomic_load(v) < want; k++)
        sleep_ms(1);
    return atomic_load(v) >= want;
}

static void on_readable(void *opaque, uint32_t events)
{
    struct counter *c = opaque;
    char buf[64];
    if (events & EPOLLIN) {
        ssize_t n = read(c->fd, buf, sizeof(buf));
        (void)n;
    }
    if (ioloop_in_thread(c->loop)) atomic_fetch_add(&c->on_loop, 1);
    atomic_fetch_add(&c->calls, 1);
}

static void test_fd_watch(void)
{
    struct ioloop *l;
    UT_EQ(ioloop_create(&l), 0);
    UT_EQ(ioloop_start(l), 0);
    int p[2];
    UT_EQ(pipe(p), 0);
    struct counter c = {.loop = l, .fd = p[0]};
    UT_EQ(ioloop_add_fd(l, p[0], EPOLLIN, on_readable, &c), 0);
    UT_EQ(write(p[1], "x", 1), 1);
    UT_CHECK(wait_for(&c.calls, 1));
    UT_EQ(atomic_load(&c.on_loop), atomic_load(&c.calls));
    /* After del returns, writes no longer call the watch. */
    ioloop_del_fd(l, p[0]);
    int before = atomic_load(&c.calls);
    UT_EQ(write(p[1], "y", 1), 1);
    sleep_ms(50);
    UT_EQ(atomic_load(&c.calls), before);
    UT_CHECK(ioloop_mod_fd(l, p[0], EPOLLIN) < 0);
    ioloop_destroy(l);
    close(p[0]);
    close(p[1]);
}

static void on_event(void *opaque)
{
    struct counter *c = opaque;
    if (ioloop_in_thread(c->loop)) atomic_fetch_add(&c->on_loop, 1);
    atomic_fetch_add(&c->calls, 1);
}

static void test_events_coalesce(void)
{
    struct ioloop *l;
    UT_EQ(ioloop_create(&l), 0);
    struct counter c = {.loop = l};
    struct ioloop_event *e;
    UT_EQ(ioloop_event_new(l, on_event, &c, &e), 0);
    /* Posted before the loop runs: one call once it starts. */
    for (int k = 0; k < 10; k++)
        ioloop_event_post(e);
    UT_EQ(ioloop_start(l), 0);
    UT_CHECK(wait_for(&c.calls, 1));
    sleep_ms(30);
    UT_EQ(atomic_load(&c.calls), 1);
    ioloop_event_post(e);
    UT_CHECK(wait_for(&c.calls, 2));
    UT_EQ(atomic_load(&c.on_loop), atomic_load(&c.calls));
    ioloop_event_free(e);
    ioloop_destroy(l);
}

struct sync_probe {
    struct ioloop *loop;
    bool ran_on_loop;
    int value;
};

static void sync_fn(void *opaque)
{
    struct sync_probe *s = opaque;
    s->ran_on_loop = ioloop_in_thread(s->loop);
    s->value = 42;
}

static void test_run_sync(void)
{
    struct ioloop *l;
    UT_EQ(ioloop_create(&l), 0);
    struct sync_probe s = {.loop = l};
    ioloop_run_sync(l, sync_fn, &s); /* before start: inline */
    UT_EQ(s.value, 42);
    UT_CHECK(!s.ran_on_loop);
    UT_EQ(ioloop_start(l), 0);
    for (int k = 0; k < 100; k++) {
        s.value = 0;
        ioloop_run_sync(l, sync_fn, &s);
        UT_EQ(s.value, 42);
        UT_CHECK(s.ran_on_loop);
    }
    ioloop_destroy(l);
}

static void prepare_fn(void *opaque, int *timeout_ms)
{
    struct counter *c = opaque;
    atomic_fetch_add(&c->calls, 1);
    if (*timeout_ms < 0 || *timeout_ms > 5) *timeout_ms = 5;
}

static void test_prepare_bounds_wait(void)
{
    struct ioloop *l;
    UT_EQ(ioloop_create(&l), 0);
    struct counter c = {.loop = l};
    UT_EQ(ioloop_add_prepare(l, prepare_fn, &c), 0);
    UT_EQ(ioloop_start(l), 0);
    /* A 5 ms bound means the hook runs again and again with nothing to do. */
    UT_CHECK(wait_for(&c.calls, 10));
    ioloop_del_prepare(l, prepare_fn, &c);
    sleep_ms(20);
    int after = atomic_load(&c.calls);
    sleep_ms(50);
    UT_EQ(atomic_load(&c.calls), after);
    ioloop_destroy(l);
}

static void test_pause_parks_the_loop(void)
{
    struct ioloop *l;
    UT_EQ(ioloop_create(&l), 0);
    UT_EQ(ioloop_start(l), 0);
    int p[2];
    UT_EQ(pipe(p), 0);
    struct counter c = {.loop = l, .fd = p[0]};
    UT_EQ(ioloop_add_fd(l, p[0], EPOLLIN, on_readable, &c), 0);
    int q[2];
    UT_EQ(pipe(q), 0);
    for (int round = 0; round < 20; round++) {
        ioloop_pause(l);
        int before = atomic_load(&c.calls);
        UT_EQ(write(p[1], "x", 1), 1);
        sleep_ms(5);
        UT_EQ(atomic_load(&c.calls), before); /* parked: nothing served */
        /* run_sync while parked runs at once, on the caller's thread. */
        struct sync_probe s = {.loop = l};
        ioloop_run_sync(l, sync_fn, &s);
        UT_EQ(s.value, 42);
        UT_CHECK(!s.ran_on_loop);
        /* Registrations go on while parked (a VM stopped while paused
         * closes its console's watch): they must not wait for the resume. */
        UT_EQ(ioloop_add_fd(l, q[0], EPOLLIN, on_readable, &c), 0);
        ioloop_del_fd(l, q[0]);
        ioloop_resume(l);
        UT_CHECK(wait_for(&c.calls, before + 1));
    }
    /* Back-to-back cycles (a resume at once followed by a pause used to
     * queue the park request twice and spin the loop for ever): the loop
     * must still serve its fds afterwards. */
    for (int k = 0; k < 20000; k++) {
        ioloop_pause(l);
        ioloop_resume(l);
    }
    int before = atomic_load(&c.calls);
    UT_EQ(write(p[1], "z", 1), 1);
    UT_CHECK(wait_for(&c.calls, before + 1));
    ioloop_pause(l); /* destroy resumes a parked loop */
    ioloop_destroy(l);
    close(p[0]);
    close(p[1]);
    close(q[0]);
    close(q[1]);
}

int main(void)
{
    ut_run("ioloop_fd_watch", test_fd_watch);
    ut_run("ioloop_events_coalesce", test_events_coalesce);
    ut_run("ioloop_run_sync", test_run_sync);
    ut_run("ioloop_prepare_bounds_wait", test_prepare_bounds_wait);
    ut_run("ioloop_pause_parks_the_loop", test_pause_parks_the_loop);
    return ut_exit();
}
