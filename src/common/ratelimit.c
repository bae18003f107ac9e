/* Token buckets and the I/O-thread timer that resumes a throttled queue
 * (ratelimit.h). The arithmetic never sleeps and never reads the clock
 * itself; only struct ratelimiter reads CLOCK_MONOTONIC and arms its
 * timerfd. Must not know devices or rings: callers decide what a request
 * costs and keep a refused request where it was. */
#include "common/ratelimit.h"

#include "common/clock.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

/* A day: beyond this a refill time is a typo, and the arithmetic stays far
 * from overflow. Sizes are bounded so size * refill stays exact in a double. */
#define RL_MAX_REFILL_MS (24ULL * 3600 * 1000)
#define RL_MAX_SIZE      (1ULL << 50)

static int bucket_check(const struct ratelimit_bucket_config *b, const char **why)
{
    if (b->size > RL_MAX_SIZE || b->one_time_burst > RL_MAX_SIZE) {
        *why = "size and one_time_burst must be at most 2^50";
        return -EINVAL;
    }
    if (b->size && (b->refill_time_ms == 0 || b->refill_time_ms > RL_MAX_REFILL_MS)) {
        *why = "refill_time must be from 1 to 86400000 ms when size is not 0";
        return -EINVAL;
    }
    return 0;
}

int ratelimit_config_check(const struct ratelimit_config *c, const char **why)
{
    int rc = bucket_check(&c->bandwidth, why);
    return rc ? rc : bucket_check(&c->ops, why);
}

bool ratelimit_config_none(const struct ratelimit_config *c)
{
    return !c || (c->bandwidth.size == 0 && c->ops.size == 0);
}

static void bucket_init(struct ratelimit_bucket *b, const struct ratelimit_bucket_config *c,
                        uint64_t now)
{
    b->cfg = *c;
    b->budget = (double)c->size;
    b->burst = c->one_time_burst;
    b->last_ns = now;
}

void ratelimit_state_init(struct ratelimit_state *s, const struct ratelimit_config *c,
                          uint64_t now_ns)
{
    static const struct ratelimit_config none;
    if (!c) c = &none;
    bucket_init(&s->bandwidth, &c->bandwidth, now_ns);
    bucket_init(&s->ops, &c->ops, now_ns);
}

static void bucket_refill(struct ratelimit_bucket *b, uint64_t now)
{
    if (!b->cfg.size || now <= b->last_ns) return;
    double size = (double)b->cfg.size;
    double cap = b->want > b->cfg.size ? (double)b->want : size;
    b->budget += (double)(now - b->last_ns) * size / ((double)b->cfg.refill_time_ms * 1e6);
    if (b->budget > cap) b->budget = cap;
    b->last_ns = now;
}

/* ns until n tokens may be taken (0: now). A request larger than the
 * bucket raises the bucket's cap to its cost until it is taken. */
static uint64_t bucket_wait(struct ratelimit_bucket *b, uint64_t n)
{
    if (!b->cfg.size || n == 0) return 0;
    double need = (double)n;
    double have = b->budget + (double)b->burst;
    b->want = n;
    if (have >= need) return 0;
    double ns = (need - have) * (double)b->cfg.refill_time_ms * 1e6 / (double)b->cfg.size;
    return (uint64_t)ns + 1;
}

static void bucket_take(struct ratelimit_bucket *b, uint64_t n)
{
    if (!b->cfg.size) return;
    uint64_t from_burst = n < b->burst ? n : b->burst;
    b->burst -= from_burst;
    b->budget -= (double)(n - from_burst);
    b->want = 0;
}

uint64_t ratelimit_state_take(struct ratelimit_state *s, uint64_t bytes, uint64_t ops,
                              uint64_t now_ns)
{
    bucket_refill(&s->bandwidth, now_ns);
    bucket_refill(&s->ops, now_ns);
    uint64_t wb = bucket_wait(&s->bandwidth, bytes), wo = bucket_wait(&s->ops, ops);
    if (wb || wo) return wb > wo ? wb : wo;
    bucket_take(&s->bandwidth, bytes);
    bucket_take(&s->ops, ops);
    return 0;
}

struct ratelimiter {
    struct ratelimit_state st;
    bool limited;
    bool armed;
    int timer_fd;
    struct ioloop *loop;
    ioloop_fn wake;
    void *opaque;
    uint64_t throttled;
};

static void ratelimiter_fire(void *opaque, uint32_t events)
{
    struct ratelimiter *r = opaque;
    uint64_t n;
    (void)events;
    if (read(r->timer_fd, &n, sizeof(n)) != (ssize_t)sizeof(n)) return;
    r->armed = false;
    r->wake(r->opaque);
}

static void ratelimiter_arm(struct ratelimiter *r, uint64_t ns)
{
    struct itimerspec its = {.it_value = {.tv_sec = (time_t)(ns / 1000000000ULL),
                                          .tv_nsec = (long)(ns % 1000000000ULL)}};
    timerfd_settime(r->timer_fd, 0, &its, NULL);
    r->armed = true;
}

int ratelimiter_create(struct ratelimiter **out, struct ioloop *loop,
                       const struct ratelimit_config *c, ioloop_fn wake, void *opaque)
{
    struct ratelimiter *r = calloc(1, sizeof(*r));
    if (!r) return -ENOMEM;
    r->loop = loop;
    r->wake = wake;
    r->opaque = opaque;
    r->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (r->timer_fd < 0) {
        int rc = -errno;
        free(r);
        return rc;
    }
    int rc = ioloop_add_fd(loop, r->timer_fd, EPOLLIN, ratelimiter_fire, r);
    if (rc) {
        close(r->timer_fd);
        free(r);
        return rc;
    }
    r->limited = !ratelimit_config_none(c);
    ratelimit_state_init(&r->st, c, clock_host_ns());
    *out = r;
    return 0;
}

void ratelimiter_destroy(struct ratelimiter *r)
{
    if (!r) return;
    ioloop_del_fd(r->loop, r->timer_fd);
    close(r->timer_fd);
    free(r);
}

void ratelimiter_set(struct ratelimiter *r, const struct ratelimit_config *c)
{
    r->limited = !ratelimit_config_none(c);
    ratelimit_state_init(&r->st, c, clock_host_ns());
    /* A queue held back under the old limits must look again now. */
    if (r->armed) ratelimiter_arm(r, 1);
}

bool ratelimiter_take(struct ratelimiter *r, uint64_t bytes, uint64_t ops)
{
    if (!r || !r->limited) return true;
    uint64_t wait = ratelimit_state_take(&r->st, bytes, ops, clock_host_ns());
    if (!wait) return true;
    r->throttled++;
    ratelimiter_arm(r, wait);
    return false;
}

uint64_t ratelimiter_throttled(const struct ratelimiter *r)
{
    return r ? r->throttled : 0;
}
