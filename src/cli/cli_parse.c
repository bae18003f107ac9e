/* The command line's value parsers (cli_parse.h): QEMU-shaped sizes,
 * --drive and --net specs. */
#include "cli/cli_parse.h"

#include "backend/net/netdev.h"
#include "cli/cli_ratelimit.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "rvmm: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see rvmm --help)\n");
    return 2;
}

/* Parses a size as QEMU's -m does: a number with an optional K/M/G/T/P/E
 * suffix, MiB when there is none. */
int cli_parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!*s || *s == '-') return -EINVAL;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s) return -EINVAL;
    unsigned shift = 20;
    if (*end) {
        const char *units = "KMGTPE";
        const char *u = strchr(units, *end >= 'a' ? *end - 32 : *end);
        if (!u || end[1] != '\0') return -EINVAL;
        shift = 10 * (unsigned)(u - units + 1);
    }
    if (shift >= 64 || v > (UINT64_MAX >> shift)) return -ERANGE;
    *out = (uint64_t)v << shift;
    return 0;
}

/* Copies one value of a key=value list into out (",," is a literal comma)
 * and returns where the next pair starts, or NULL if it does not fit. */
static const char *drive_value(const char *p, char *out, size_t len)
{
    size_t n = 0;
    for (; *p; p++) {
        if (*p == ',') {
            if (p[1] != ',') break;
            p++;
        }
        if (n + 1 >= len) return NULL;
        out[n++] = *p;
    }
    out[n] = '\0';
    return *p ? p + 1 : p;
}

#define ID_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"

/* --drive file=PATH[,format=raw|qcow2][,readonly=on|off], as QEMU spells it.
 * On error msg holds the reason. */
int cli_parse_drive(const char *arg, struct vm_drive *d, char *msg, size_t msglen)
{
    char val[sizeof(d->path)];
    const char *p = arg;
    bool have_file = false;
    while (*p) {
        const char *eq = strchr(p, '=');
        size_t klen = eq ? (size_t)(eq - p) : strlen(p);
        const char *comma = memchr(p, ',', klen);
        if (!eq || comma) {
            snprintf(msg, msglen, "--drive %.200s: expected key=value, got '%.*s'", arg,
                     (int)(comma ? (size_t)(comma - p) : klen), p);
            return -EINVAL;
        }
        const char *next = drive_value(eq + 1, val, sizeof(val));
        if (!next) {
            snprintf(msg, msglen, "--drive: a value is too long");
            return -EINVAL;
        }
        if (klen == 4 && !strncmp(p, "file", 4)) {
            if (!val[0]) {
                snprintf(msg, msglen, "--drive %.200s: file= is empty", arg);
                return -EINVAL;
            }
            memcpy(d->path, val, sizeof(d->path));
            have_file = true;
        } else if (klen == 6 && !strncmp(p, "format", 6)) {
            if (!strcmp(val, "raw")) {
                d->format = BLOCKDEV_RAW;
            } else if (!strcmp(val, "qcow2")) {
                d->format = BLOCKDEV_QCOW2;
            } else {
                snprintf(msg, msglen, "--drive %.200s: format must be raw or qcow2, not '%.64s'",
                         arg, val);
                return -EINVAL;
            }
        } else if (klen == 2 && !strncmp(p, "id", 2)) {
            if (!val[0] || strlen(val) >= sizeof(d->id) || strspn(val, ID_CHARS) != strlen(val)) {
                snprintf(msg, msglen, "--drive %.200s: id must be 1 to 31 letters, digits or '_'",
                         arg);
                return -EINVAL;
            }
            memcpy(d->id, val, strlen(val) + 1);
        } else if (klen == 11 && !strncmp(p, "backing-dir", 11)) {
            memcpy(d->backing_dir, val, sizeof(d->backing_dir));
        } else if (klen == 8 && !strncmp(p, "readonly", 8)) {
            if (strcmp(val, "on") && strcmp(val, "off")) {
                snprintf(msg, msglen, "--drive %.200s: readonly must be on or off, not '%.64s'",
                         arg, val);
                return -EINVAL;
            }
            d->readonly = !strcmp(val, "on");
        } else if ((klen == 3 && !strncmp(p, "bps", 3)) || (klen == 4 && !strncmp(p, "iops", 4))) {
            if (cli_parse_rate("--drive", klen == 3 ? "bps" : "iops", val,
                               klen == 3 ? &d->rl.bandwidth : &d->rl.ops, msg, msglen))
                return -EINVAL;
        } else {
            snprintf(msg, msglen,
                     "--drive %.200s: unknown key '%.*s' (keys: file, format, readonly, "
                     "backing-dir, bps, iops, id)",
                     arg, (int)klen, p);
            return -EINVAL;
        }
        p = next;
    }
    if (!have_file) {
        snprintf(msg, msglen, "--drive %.200s: file=PATH is missing", arg);
        return -EINVAL;
    }
    return 0;
}

/* A MAC address xx:xx:xx:xx:xx:xx in [s, s+n); unicast only. */
static int parse_mac(const char *s, size_t n, uint8_t mac[6])
{
    if (n != 17) return -EINVAL;
    for (int k = 0; k < 6; k++) {
        const char *p = s + 3 * k;
        if ((k < 5 && p[2] != ':') || !isxdigit((unsigned char)p[0]) ||
            !isxdigit((unsigned char)p[1]))
            return -EINVAL;
        mac[k] = (uint8_t)strtoul((char[3]){p[0], p[1], 0}, NULL, 16);
    }
    return (mac[0] & 1) ? -EINVAL : 0;
}

/* --net: takes mac= out of the spec; the backend checks the rest when the
 * VM opens it. */
int cli_parse_net(const char *arg, struct vm_config *cfg)
{
    if (cfg->nnets == VM_MAX_NETS) return cli_usage_error("--net %s: too many NICs", arg);
    struct vm_net *n = &cfg->nets[cfg->nnets];
    memset(n, 0, sizeof(*n));
    size_t used = 0;
    for (const char *p = arg; *p;) {
        size_t len = strcspn(p, ",");
        if (len > 4 && !strncmp(p, "mac=", 4)) {
            if (parse_mac(p + 4, len - 4, n->mac))
                return cli_usage_error("--net %s: bad mac (want a unicast xx:xx:xx:xx:xx:xx)", arg);
            n->has_mac = true;
        } else if (len > 4 && !strncmp(p, "mtu=", 4)) {
            char num[8] = "", *end;
            memcpy(num, p + 4, len - 4 < sizeof(num) - 1 ? len - 4 : sizeof(num) - 1);
            long v = strtol(num, &end, 10);
            if (len - 4 >= sizeof(num) || *end || v < 68 || v > 65535)
                return cli_usage_error("--net %s: mtu must be from 68 to 65535", arg);
            n->mtu = (uint16_t)v;
        } else if ((len > 4 && !strncmp(p, "bps=", 4)) || (len > 4 && !strncmp(p, "pps=", 4))) {
            char val[32], msg[256];
            snprintf(val, sizeof(val), "%.*s", (int)(len - 4 < 31 ? len - 4 : 31), p + 4);
            struct ratelimit_bucket_config *bk = p[0] == 'b' ? &n->rx_rl.bandwidth : &n->rx_rl.ops;
            if (cli_parse_rate("--net", p[0] == 'b' ? "bps" : "pps", val, bk, msg, sizeof(msg)))
                return cli_usage_error("%s", msg);
            n->tx_rl = n->rx_rl; /* each way alike */
        } else {
            if (used + len + 2 > sizeof(n->spec)) return cli_usage_error("--net %s: too long", arg);
            if (used) n->spec[used++] = ',';
            memcpy(n->spec + used, p, len);
            used += len;
            n->spec[used] = 0;
        }
        p += len;
        if (*p == ',') p++;
    }
    if (!used) return cli_usage_error("--net %s: give user or tap", arg);
    _Static_assert(NET_SLIRP_MTU_MAX == 65521, "the message below names the limit");
    if (n->mtu > NET_SLIRP_MTU_MAX && (!strncmp(n->spec, "user,", 5) || !strcmp(n->spec, "user")))
        return cli_usage_error("--net %s: user-mode NAT takes an mtu of at most 65521 "
                               "(libslirp's limit)",
                               arg);
    snprintf(n->id, sizeof(n->id), "net%u", cfg->nnets);
    cfg->nnets++;
    return 0;
}

/* The command line's debugger options. */
