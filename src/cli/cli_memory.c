/* Parsing of --balloon and --mem-merge into the VM configuration. Checks
 * every key and value; never touches the VM. */
#include "cli/cli_memory.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const balloon_keys[] = {"amount", "deflate_on_oom", "free_page_reporting",
                                           "stats_polling_interval_s"};

static int balloon_key(const char *p, size_t n)
{
    for (unsigned k = 0; k < sizeof(balloon_keys) / sizeof(balloon_keys[0]); k++)
        if (strlen(balloon_keys[k]) == n && !strncmp(p, balloon_keys[k], n)) return (int)k;
    return -1;
}

bool cli_balloon_arg(const char *arg)
{
    const char *eq = strchr(arg, '=');
    return eq && balloon_key(arg, (size_t)(eq - arg)) >= 0;
}

static int on_off(const char *v, size_t n, bool *out)
{
    if (n == 2 && !strncmp(v, "on", 2))
        *out = true;
    else if (n == 3 && !strncmp(v, "off", 3))
        *out = false;
    else
        return -EINVAL;
    return 0;
}

/* A decimal number of at most max in [v, v+n). */
static int number(const char *v, size_t n, uint64_t max, uint64_t *out)
{
    if (n == 0 || n > 20) return -EINVAL;
    uint64_t x = 0;
    for (size_t k = 0; k < n; k++) {
        if (v[k] < '0' || v[k] > '9') return -EINVAL;
        x = x * 10 + (uint64_t)(v[k] - '0');
        if (x > max) return -ERANGE;
    }
    *out = x;
    return 0;
}

int cli_parse_balloon(const char *arg, struct board_config *b, char *msg, size_t msglen)
{
    b->balloon = true;
    b->balloon_cfg = (struct virtio_balloon_config){0};
    for (const char *p = arg; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        int key = eq ? balloon_key(p, (size_t)(eq - p)) : -1;
        if (key < 0) {
            snprintf(msg, msglen,
                     "--balloon %.200s: unknown key '%.*s' (keys: amount, deflate_on_oom, "
                     "free_page_reporting, stats_polling_interval_s)",
                     arg, (int)(eq ? eq - p : (int)len), p);
            return -EINVAL;
        }
        const char *v = eq + 1;
        size_t vn = len - (size_t)(v - p);
        uint64_t x = 0;
        int rc = 0;
        switch (key) {
        case 0:
            rc = number(v, vn, 256ULL << 10, &x); /* MiB, at most the largest RAM */
            b->balloon_cfg.target_pages = (uint32_t)(x << 8);
            break;
        case 1: rc = on_off(v, vn, &b->balloon_cfg.deflate_on_oom); break;
        case 2: rc = on_off(v, vn, &b->balloon_cfg.free_page_reporting); break;
        case 3:
            rc = number(v, vn, VIRTIO_BALLOON_MAX_INTERVAL, &x);
            b->balloon_cfg.stats_interval_s = (uint32_t)x;
            break;
        }
        if (rc) {
            snprintf(msg, msglen, "--balloon %.200s: bad value for %s: '%.*s' (%s)", arg,
                     balloon_keys[key], (int)vn, v,
                     key == 0   ? "a number of MiB"
                     : key == 3 ? "seconds, 0 to 3600"
                                : "on or off");
            return -EINVAL;
        }
        p = comma ? comma + 1 : p + len;
    }
    return 0;
}

int cli_balloon_check(const struct board_config *b, char *msg, size_t msglen)
{
    if (!b->balloon || b->balloon_cfg.target_pages <= b->ram_size / RAM_PAGE_SIZE) return 0;
    snprintf(msg, msglen, "--balloon amount=%llu: more than the guest's %llu MiB of RAM",
             (unsigned long long)(b->balloon_cfg.target_pages >> 8),
             (unsigned long long)(b->ram_size >> 20));
    return -EINVAL;
}

int cli_parse_mem_merge(const char *arg, bool *on, char *msg, size_t msglen)
{
    if (on_off(arg, strlen(arg), on) == 0) return 0;
    snprintf(msg, msglen, "--mem-merge %.200s: must be on or off", arg);
    return -EINVAL;
}
