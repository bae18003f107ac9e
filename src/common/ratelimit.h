/* I/O rate limiters in Firecracker's shape: two token buckets, one counting
 * bytes ("bandwidth") and one counting requests or frames ("ops"). Each
 * bucket holds `size` tokens and refills completely in `refill_time_ms`, at
 * a steady size/refill_time rate; `one_time_burst` extra tokens are spent
 * first and never come back. A bucket of size 0 does not limit.
 *
 * A request larger than a bucket (a 1 MiB write against a 100 KiB bucket)
 * is neither refused forever nor let through on credit: while it waits,
 * that bucket may fill beyond its size up to the request's cost, and the
 * request goes once all of it has accrued. Every request is paid for before
 * it is served, so over any interval at most size (+ one_time_burst) more
 * than rate * interval goes through, whatever the request sizes (a limiter
 * that let a big request through on debt would let the last one of a
 * transfer through unpaid, a whole request early).
 *
 * The pure bucket arithmetic (ratelimit_state_*) takes the time as an
 * argument, so unit tests drive it without sleeping. A struct ratelimiter
 * adds what a device needs around it: a timerfd on the VM's I/O thread that
 * calls the device back when a throttled request may go, so a throttled
 * queue is resumed by the loop, never by a busy wait. Everything but
 * create runs on the I/O thread (or while it is quiesced). */
#ifndef RVMM_COMMON_RATELIMIT_H
#define RVMM_COMMON_RATELIMIT_H

#include "common/ioloop.h"

#include <stdbool.h>
#include <stdint.h>

struct ratelimit_bucket_config {
    uint64_t size;           /* tokens; 0: this bucket does not limit */
    uint64_t one_time_burst; /* extra tokens, spent once */
    uint64_t refill_time_ms; /* time to refill `size` tokens; > 0 when size > 0 */
};

struct ratelimit_config {
    struct ratelimit_bucket_config bandwidth; /* bytes */
    struct ratelimit_bucket_config ops;       /* requests (blk) or frames (net) */
};

/* Checks a configuration: 0, or -EINVAL with the reason in *why. */
int ratelimit_config_check(const struct ratelimit_config *c, const char **why);
/* True when neither bucket limits. */
bool ratelimit_config_none(const struct ratelimit_config *c);

struct ratelimit_bucket {
    struct ratelimit_bucket_config cfg;
    double budget; /* tokens now */
    uint64_t want; /* cost of a refused request larger than size: the cap meanwhile */
    uint64_t burst;
    uint64_t last_ns;
};

struct ratelimit_state {
    struct ratelimit_bucket bandwidth, ops;
};

/* Full buckets at time now_ns. */
void ratelimit_state_init(struct ratelimit_state *s, const struct ratelimit_config *c,
                          uint64_t now_ns);
/* Takes `bytes` and `ops` tokens if both buckets allow it now and returns
 * 0; otherwise takes nothing and returns how many ns to wait (> 0). */
uint64_t ratelimit_state_take(struct ratelimit_state *s, uint64_t bytes, uint64_t ops,
                              uint64_t now_ns);

struct ratelimiter;

/* wake(opaque) runs on loop's thread when a refused ratelimiter_take may
 * succeed. The limiter starts from *c (NULL: unlimited). */
int ratelimiter_create(struct ratelimiter **out, struct ioloop *loop,
                       const struct ratelimit_config *c, ioloop_fn wake, void *opaque);
/* From another thread than the loop's, a wake already running may finish. */
void ratelimiter_destroy(struct ratelimiter *r);
/* A new configuration with full buckets (Firecracker's PATCH); a pending
 * wake fires at once so a throttled queue looks again. */
void ratelimiter_set(struct ratelimiter *r, const struct ratelimit_config *c);
/* True if the request may go now (its tokens are taken). False: the timer
 * is armed and wake() comes when it may; the caller leaves the request
 * where it was (in the ring) and stops serving that queue. */
bool ratelimiter_take(struct ratelimiter *r, uint64_t bytes, uint64_t ops);
/* How many requests were held back so far (statistics). */
uint64_t ratelimiter_throttled(const struct ratelimiter *r);

#endif
