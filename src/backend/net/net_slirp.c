/* User-mode NAT through libslirp: the guest sees 10.0.2.0/24 with the
 * gateway (and the host's loopback) at 10.0.2.2, DNS at 10.0.2.3 and DHCP
 * leases from 10.0.2.15, as QEMU's -netdev user; hostfwd= forwards host
 * ports to the guest. Runs slirp on the I/O thread: a prepare hook finishes
 * the previous poll round (slirp_pollfds_poll with the events epoll
 * reported), fires due timers, then starts the next round
 * (slirp_pollfds_fill), mirroring slirp's fd set into ioloop watches and
 * bounding the wait by slirp's timeout. An idle slirp has no timers due and
 * no readable fd, so the loop sleeps. Must not know the NIC. */
#include "backend/net/netdev.h"

#include "common/clock.h"
#include "common/errmsg.h"
#include "common/ioloop.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include <slirp/libslirp.h>

/* One fd slirp asked to watch; the ioloop watch's opaque. Slots keep their
 * index while in use: the index is what add_poll returned and get_revents
 * receives. */
struct slirp_watch {
    struct net_slirp *s;
    int fd;
    uint32_t want;    /* epoll events asked for this round */
    uint32_t armed;   /* epoll events the ioloop watch has */
    uint32_t revents; /* epoll events seen since the round began */
    bool used;        /* asked for in this round */
    bool registered;
};

struct slirp_timer {
    SlirpTimerId id;
    void *cb_opaque;
    int64_t expire_ms; /* -1: not armed */
    struct slirp_timer *next;
};

struct net_slirp {
    struct netdev nd; /* first: the netdev handed out is this */
    Slirp *slirp;
    struct ioloop *loop;
    struct slirp_watch **w; /* NULL: free slot */
    unsigned nw;
    bool round; /* a fill happened: poll is due before the next fill */
    bool hooked;
    struct slirp_timer *timers;
};

static int64_t ns_clock(void *opaque)
{
    (void)opaque;
    return (int64_t)clock_host_ns();
}

static ssize_t ns_send(const void *buf, size_t len, void *opaque)
{
    struct net_slirp *s = opaque;
    netdev_deliver(&s->nd, buf, len);
    return (ssize_t)len;
}

static void ns_guest_error(const char *msg, void *opaque)
{
    (void)msg;
    (void)opaque; /* a hostile guest could flood the log: ignore */
}

static void *ns_timer_new(SlirpTimerId id, void *cb_opaque, void *opaque)
{
    struct net_slirp *s = opaque;
    struct slirp_timer *t = calloc(1, sizeof(*t));
    if (!t) return NULL;
    *t = (struct slirp_timer){.id = id, .cb_opaque = cb_opaque, .expire_ms = -1, .next = s->timers};
    s->timers = t;
    return t;
}

static void ns_timer_free(void *timer, void *opaque)
{
    struct net_slirp *s = opaque;
    for (struct slirp_timer **pp = &s->timers; *pp; pp = &(*pp)->next) {
        if (*pp == timer) {
            *pp = (*pp)->next;
            free(timer);
            return;
        }
    }
}

static void ns_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
    (void)opaque;
    ((struct slirp_timer *)timer)->expire_ms = expire_ms;
}

static void ns_register_fd(int fd, void *opaque)
{
    (void)fd;
    (void)opaque; /* watched from the next fill on */
}

static void ns_forget(struct net_slirp *s, unsigned k)
{
    struct slirp_watch *w = s->w[k];
    if (w->registered) ioloop_del_fd(s->loop, w->fd);
    free(w);
    s->w[k] = NULL;
}

/* slirp closes fd next: forget it before the number can be reused. */
static void ns_unregister_fd(int fd, void *opaque)
{
    struct net_slirp *s = opaque;
    for (unsigned k = 0; k < s->nw; k++)
        if (s->w[k] && s->w[k]->fd == fd) ns_forget(s, k);
}

static void ns_notify(void *opaque)
{
    (void)opaque; /* slirp runs on the loop thread: the next prepare sees it */
}

static const SlirpCb ns_callbacks = {
    .send_packet = ns_send,
    .guest_error = ns_guest_error,
    .clock_get_ns = ns_clock,
    .timer_free = ns_timer_free,
    .timer_mod = ns_timer_mod,
    .register_poll_fd = ns_register_fd,
    .unregister_poll_fd = ns_unregister_fd,
    .notify = ns_notify,
    .timer_new_opaque = ns_timer_new,
};

static int ns_add_poll(int fd, int events, void *opaque)
{
    struct net_slirp *s = opaque;
    uint32_t want = ((events & SLIRP_POLL_IN) ? EPOLLIN : 0) |
                    ((events & SLIRP_POLL_OUT) ? EPOLLOUT : 0) |
                    ((events & SLIRP_POLL_PRI) ? EPOLLPRI : 0);
    /* Back-pressure: while the guest cannot take frames, read no socket. */
    if (s->nd.blocked) want &= ~(uint32_t)(EPOLLIN | EPOLLPRI);
    unsigned k, free_slot = s->nw;
    for (k = 0; k < s->nw; k++) {
        if (s->w[k] && s->w[k]->fd == fd) break;
        if (!s->w[k] && free_slot == s->nw) free_slot = k;
    }
    if (k == s->nw) {
        k = free_slot;
        if (k == s->nw) {
            struct slirp_watch **nw = realloc(s->w, (s->nw + 1) * sizeof(*nw));
            if (!nw) return -1;
            s->w = nw;
            s->w[s->nw++] = NULL;
        }
        s->w[k] = calloc(1, sizeof(**s->w));
        if (!s->w[k]) return -1;
        *s->w[k] = (struct slirp_watch){.s = s, .fd = fd};
    }
    s->w[k]->want |= want;
    s->w[k]->used = true;
    return (int)k;
}

static int ns_get_revents(int idx, void *opaque)
{
    struct net_slirp *s = opaque;
    if (idx < 0 || (unsigned)idx >= s->nw || !s->w[idx]) return 0;
    uint32_t e = s->w[idx]->revents;
    return ((e & EPOLLIN) ? SLIRP_POLL_IN : 0) | ((e & EPOLLOUT) ? SLIRP_POLL_OUT : 0) |
           ((e & EPOLLPRI) ? SLIRP_POLL_PRI : 0) | ((e & EPOLLERR) ? SLIRP_POLL_ERR : 0) |
           ((e & EPOLLHUP) ? SLIRP_POLL_HUP : 0);
}

/* Only notes the events: slirp handles them in the next prepare, which the
 * loop runs right after this batch of callbacks. */
static void ns_fd_ready(void *opaque, uint32_t events)
{
    struct slirp_watch *w = opaque;
    w->revents |= events;
}

/* Mirrors this round's fd set into ioloop watches. A watch slirp did not ask
 * for this round is dropped; one whose events changed is modified. */
static void ns_sync_watches(struct net_slirp *s)
{
    for (unsigned k = 0; k < s->nw; k++) {
        struct slirp_watch *w = s->w[k];
        if (!w) continue;
        if (!w->used) {
            ns_forget(s, k);
            continue;
        }
        if (!w->registered) {
            if (ioloop_add_fd(s->loop, w->fd, w->want, ns_fd_ready, w)) continue;
            w->registered = true;
        } else if (w->armed != w->want) {
            ioloop_mod_fd(s->loop, w->fd, w->want);
        }
        w->armed = w->want;
    }
}

static void ns_run_timers(struct net_slirp *s, int64_t now_ms)
{
    for (bool again = true; again;) {
        again = false;
        for (struct slirp_timer *t = s->timers; t; t = t->next) {
            if (t->expire_ms >= 0 && t->expire_ms <= now_ms) {
                t->expire_ms = -1;
                /* The handler may free or re-arm timers: rescan. */
                slirp_handle_timer(s->slirp, t->id, t->cb_opaque);
                again = true;
                break;
            }
        }
    }
}

static void ns_prepare(void *opaque, int *timeout_ms)
{
    struct net_slirp *s = opaque;
    if (s->round) slirp_pollfds_poll(s->slirp, 0, ns_get_revents, s);
    int64_t now_ms = (int64_t)(clock_host_ns() / 1000000);
    ns_run_timers(s, now_ms);
    for (unsigned k = 0; k < s->nw; k++) {
        if (!s->w[k]) continue;
        s->w[k]->want = s->w[k]->revents = 0;
        s->w[k]->used = false;
    }
    uint32_t t = UINT32_MAX;
    slirp_pollfds_fill(s->slirp, &t, ns_add_poll, s);
    s->round = true;
    ns_sync_watches(s);
    for (struct slirp_timer *tm = s->timers; tm; tm = tm->next)
        if (tm->expire_ms >= 0) {
            int64_t d = tm->expire_ms - now_ms;
            uint32_t dm = d <= 0 ? 0 : d > INT32_MAX ? INT32_MAX : (uint32_t)d;
            if (dm < t) t = dm;
        }
    if (t != UINT32_MAX && (*timeout_ms < 0 || t < (uint32_t)*timeout_ms))
        *timeout_ms = t > INT32_MAX ? INT32_MAX : (int)t;
}

static int ns_send_frame(struct netdev *nd, const uint8_t *frame, size_t len)
{
    struct net_slirp *s = (struct net_slirp *)nd;
    slirp_input(s->slirp, frame, (int)len);
    return 0;
}

static void ns_resume(struct netdev *nd)
{
    (void)nd; /* the next fill, right after this callback, asks for reads again */
}

static void ns_teardown(void *opaque)
{
    struct net_slirp *s = opaque;
    if (s->hooked) ioloop_del_prepare(s->loop, ns_prepare, s);
    if (s->slirp) slirp_cleanup(s->slirp);
    for (unsigned k = 0; k < s->nw; k++)
        if (s->w[k]) ns_forget(s, k);
    free(s->w);
    while (s->timers) {
        struct slirp_timer *t = s->timers;
        s->timers = t->next;
        free(t);
    }
}

static void ns_close(struct netdev *nd)
{
    struct net_slirp *s = (struct net_slirp *)nd;
    ioloop_run_sync(s->loop, ns_teardown, s);
    free(s);
}

static const struct netdev_ops net_slirp_ops = {
    .name = "user",
    .send = ns_send_frame,
    .resume = ns_resume,
    .close = ns_close,
};

/* A port 1..65535, the whole of [p, p+n). */
static int parse_port(const char *p, size_t n)
{
    if (n == 0 || n > 5) return -1;
    int v = 0;
    for (size_t k = 0; k < n; k++) {
        if (p[k] < '0' || p[k] > '9') return -1;
        v = v * 10 + (p[k] - '0');
    }
    return v >= 1 && v <= 65535 ? v : -1;
}

/* An IPv4 address in [p, p+n), or dflt when empty. */
static int parse_addr(const char *p, size_t n, struct in_addr dflt, struct in_addr *out)
{
    char buf[INET_ADDRSTRLEN];
    if (n == 0) {
        *out = dflt;
        return 0;
    }
    if (n >= sizeof(buf)) return -1;
    memcpy(buf, p, n);
    buf[n] = 0;
    return inet_pton(AF_INET, buf, out) == 1 ? 0 : -1;
}

struct ns_fwd {
    bool udp;
    struct in_addr haddr, gaddr;
    int hport, gport;
};

/* hostfwd=[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT, as QEMU's. */
static int ns_parse_hostfwd(const char *v, size_t n, struct ns_fwd *f, char *err, size_t errlen)
{
    char rule[256];
    if (n >= sizeof(rule))
        return errmsg_set(err, errlen, -EINVAL, "--net user: hostfwd rule too long");
    memcpy(rule, v, n);
    rule[n] = 0;
    const char *p = rule;
    bool udp = false;
    if (!strncmp(p, "tcp:", 4)) {
        p += 4;
    } else if (!strncmp(p, "udp:", 4)) {
        udp = true;
        p += 4;
    } else if (*p != ':') {
        goto bad;
    } else {
        p++;
    }
    const char *colon = strchr(p, ':'), *dash = colon ? strchr(colon, '-') : NULL;
    const char *gcolon = dash ? strchr(dash, ':') : NULL;
    if (!colon || !dash || !gcolon) goto bad;
    struct in_addr any = {.s_addr = htonl(INADDR_ANY)}, guest_dflt, haddr, gaddr;
    inet_pton(AF_INET, "10.0.2.15", &guest_dflt);
    int hport = parse_port(colon + 1, (size_t)(dash - colon - 1));
    int gport = parse_port(gcolon + 1, strlen(gcolon + 1));
    if (parse_addr(p, (size_t)(colon - p), any, &haddr) ||
        parse_addr(dash + 1, (size_t)(gcolon - dash - 1), guest_dflt, &gaddr))
        return errmsg_set(err, errlen, -EINVAL, "--net user: hostfwd=%s: bad IPv4 address", rule);
    if (hport < 0 || gport < 0)
        return errmsg_set(err, errlen, -EINVAL, "--net user: hostfwd=%s: ports must be 1 to 65535",
                          rule);
    *f = (struct ns_fwd){udp, haddr, gaddr, hport, gport};
    return 0;
bad:
    return errmsg_set(
        err, errlen, -EINVAL,
        "--net user: hostfwd=%s: expected [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT",
        rule);
}

int net_slirp_check_hostfwd(const char *rule, char *err, size_t errlen)
{
    struct ns_fwd f;
    return ns_parse_hostfwd(rule, strlen(rule), &f, err, errlen);
}

static int ns_hostfwd(struct net_slirp *s, const char *v, size_t n, char *err, size_t errlen)
{
    struct ns_fwd f;
    int rc = ns_parse_hostfwd(v, n, &f, err, errlen);
    if (rc) return rc;
    errno = 0;
    if (slirp_add_hostfwd(s->slirp, f.udp, f.haddr, f.hport, f.gaddr, f.gport) < 0) {
        int e = errno ? errno : EADDRINUSE;
        return errmsg_set(err, errlen, -EADDRINUSE,
                          "--net user: hostfwd=%.*s: cannot listen on port %d: %s", (int)n, v,
                          f.hport, strerror(e));
    }
    return 0;
}

int net_slirp_open(struct netdev **out, const char *opts, unsigned mtu, struct ioloop *loop,
                   char *err, size_t errlen)
{
    /* slirp_new would return NULL with a GLib warning: say why instead. */
    if (mtu && (mtu < NET_SLIRP_MTU_MIN || mtu > NET_SLIRP_MTU_MAX))
        return errmsg_set(err, errlen, -EINVAL,
                          "--net user: mtu %u is outside user-mode NAT's %d to %d", mtu,
                          NET_SLIRP_MTU_MIN, NET_SLIRP_MTU_MAX);
    struct net_slirp *s = calloc(1, sizeof(*s));
    if (!s) return errmsg_set(err, errlen, -ENOMEM, "out of memory");
    s->nd.ops = &net_slirp_ops;
    s->nd.loop = loop;
    s->loop = loop;
    /* if_mtu and if_mru are in SlirpConfig from version 1 on (Debian's
     * libslirp 4.7 takes up to 4). Both follow the MTU the guest is offered:
     * slirp then sends IP packets up to it (fragmenting bigger ones), and
     * its TCP offers and uses MSS = mtu - 40 each way, so a guest at 9000
     * gets 9000-byte packets and one at 576 never gets more. 0: 1500. */
    SlirpConfig cfg = {
        .version = 4,
        .in_enabled = true,
        .vhostname = "rvmm",
        .if_mtu = mtu,
        .if_mru = mtu,
    };
    inet_pton(AF_INET, "10.0.2.0", &cfg.vnetwork);
    inet_pton(AF_INET, "255.255.255.0", &cfg.vnetmask);
    inet_pton(AF_INET, "10.0.2.2", &cfg.vhost);
    inet_pton(AF_INET, "10.0.2.15", &cfg.vdhcp_start);
    inet_pton(AF_INET, "10.0.2.3", &cfg.vnameserver);
    int rc = 0;
    s->slirp = slirp_new(&cfg, &ns_callbacks, s);
    if (!s->slirp) {
        rc = errmsg_set(err, errlen, -ENOMEM, "--net user: cannot start slirp");
        goto fail;
    }
    /* Options: comma-separated key=value. */
    for (const char *p = opts; *p;) {
        size_t n = strcspn(p, ",");
        if (n > 8 && !strncmp(p, "hostfwd=", 8)) {
            if ((rc = ns_hostfwd(s, p + 8, n - 8, err, errlen))) goto fail;
        } else {
            rc = errmsg_set(err, errlen, -EINVAL, "--net user: unknown option '%.*s'", (int)n, p);
            goto fail;
        }
        p += n;
        if (*p == ',') p++;
    }
    if ((rc = ioloop_add_prepare(loop, ns_prepare, s))) {
        errmsg_set(err, errlen, rc, "--net user: %s", strerror(-rc));
        goto fail;
    }
    s->hooked = true;
    *out = &s->nd;
    return 0;
fail:
    ns_close(&s->nd);
    return rc;
}
