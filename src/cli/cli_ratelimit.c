/* Parses the command line's rate values into token buckets
 * (cli_ratelimit.h). Knows nothing of devices: the caller puts the bucket
 * into the drive's or the NIC's configuration. */
#include "cli/cli_ratelimit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI_RATE_MAX (1ULL << 40)

int cli_parse_rate(const char *opt, const char *key, const char *val,
                   struct ratelimit_bucket_config *b, char *msg, size_t msglen)
{
    char *end;
    errno = 0;
    unsigned long long n = val[0] >= '0' && val[0] <= '9' ? strtoull(val, &end, 10) : 0;
    if (n && !errno) {
        unsigned shift = 0;
        if (*end == 'K' || *end == 'k')
            shift = 10;
        else if (*end == 'M')
            shift = 20;
        else if (*end == 'G')
            shift = 30;
        if (shift) end++;
        if (*end || n > CLI_RATE_MAX >> shift) n = 0;
        n <<= shift;
    }
    if (!n || errno) {
        snprintf(msg, msglen,
                 "%s: %s must be a rate per second from 1 to 2^40 (K, M, G allowed), not '%.64s'",
                 opt, key, val);
        return -EINVAL;
    }
    /* A tenth of a second per bucket, at least one token: refill_time is
     * then rounded to the millisecond, so the rate is within 0.5% of n. */
    uint64_t size = (n + 9) / 10;
    uint64_t ms = (size * 1000 + n / 2) / n;
    *b = (struct ratelimit_bucket_config){.size = size, .refill_time_ms = ms ? ms : 1};
    return 0;
}
