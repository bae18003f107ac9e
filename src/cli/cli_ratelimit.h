/* The command line's rate limits: --drive ...,bps=N,iops=N and --net
 * ...,bps=N,pps=N, QEMU's spelling for Firecracker's token buckets. */
#ifndef RVMM_CLI_CLI_RATELIMIT_H
#define RVMM_CLI_CLI_RATELIMIT_H

#include "common/ratelimit.h"

#include <stddef.h>

/* One rate: a whole number per second, optionally with K, M or G (powers
 * of 1024), from 1 to 2^40. The bucket holds a tenth of a second's worth
 * (as QEMU's throttling allows a burst of bps/10 by default), so a guest
 * sees the rate from the start rather than after a long free burst. 0, or
 * -EINVAL with one line in msg naming opt and key. */
int cli_parse_rate(const char *opt, const char *key, const char *val,
                   struct ratelimit_bucket_config *b, char *msg, size_t msglen);

#endif
