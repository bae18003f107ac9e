/* A tap device (/dev/net/tun, IFF_TAP | IFF_NO_PI): frames go to and come
 * from a host interface the user set up (bridge, addresses). The fd is read
 * on the I/O thread while the receiver has room; while it is blocked the
 * watch is disarmed, so unread frames wait in the kernel's queue. Must not
 * know the NIC. */
#include "backend/net/netdev.h"

#include "common/errmsg.h"
#include "common/ioloop.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define TAP_DEV "/dev/net/tun"
/* Frames read per callback, so one busy tap does not starve the loop. */
#define TAP_BURST 64

struct net_tap {
    struct netdev nd; /* first: the netdev handed out is this */
    struct ioloop *loop;
    int fd;
    bool watched;
    uint8_t buf[NETDEV_MAX_FRAME];
};

static void tap_readable(void *opaque, uint32_t events)
{
    struct net_tap *t = opaque;
    (void)events;
    for (int k = 0; k < TAP_BURST; k++) {
        ssize_t n = read(t->fd, t->buf, sizeof(t->buf));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        if (!netdev_deliver(&t->nd, t->buf, (size_t)n)) {
            ioloop_mod_fd(t->loop, t->fd, 0);
            return;
        }
    }
}

static void tap_resume(struct netdev *nd)
{
    struct net_tap *t = (struct net_tap *)nd;
    ioloop_mod_fd(t->loop, t->fd, EPOLLIN);
}

static int tap_send(struct netdev *nd, const uint8_t *frame, size_t len)
{
    struct net_tap *t = (struct net_tap *)nd;
    for (;;) {
        ssize_t n = write(t->fd, frame, len);
        if (n >= 0) return 0;
        if (errno != EINTR) return -errno; /* EAGAIN: the host queue is full, drop */
    }
}

static void tap_unwatch(void *opaque)
{
    struct net_tap *t = opaque;
    ioloop_del_fd(t->loop, t->fd);
}

static void tap_close(struct netdev *nd)
{
    struct net_tap *t = (struct net_tap *)nd;
    /* On the loop thread, so no callback still runs on t afterwards. */
    if (t->watched) ioloop_run_sync(t->loop, tap_unwatch, t);
    if (t->fd >= 0) close(t->fd);
    free(t);
}

static const struct netdev_ops net_tap_ops = {
    .name = "tap",
    .send = tap_send,
    .resume = tap_resume,
    .close = tap_close,
};

int net_tap_open(struct netdev **out, const char *opts, struct ioloop *loop, char *err,
                 size_t errlen)
{
    char ifname[IFNAMSIZ] = "";
    for (const char *p = opts; *p;) {
        size_t n = strcspn(p, ",");
        if (n > 7 && !strncmp(p, "ifname=", 7)) {
            if (n - 7 >= IFNAMSIZ)
                return errmsg_set(err, errlen, -EINVAL, "--net tap: ifname '%.*s' too long",
                                  (int)(n - 7), p + 7);
            memcpy(ifname, p + 7, n - 7);
            ifname[n - 7] = 0;
        } else {
            return errmsg_set(err, errlen, -EINVAL, "--net tap: unknown option '%.*s'", (int)n, p);
        }
        p += n;
        if (*p == ',') p++;
    }
    if (!ifname[0]) return errmsg_set(err, errlen, -EINVAL, "--net tap: needs ifname=NAME");
    struct net_tap *t = calloc(1, sizeof(*t));
    if (!t) return errmsg_set(err, errlen, -ENOMEM, "out of memory");
    t->nd.ops = &net_tap_ops;
    t->nd.loop = loop;
    t->loop = loop;
    int rc;
    t->fd = open(TAP_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (t->fd < 0) {
        rc = errmsg_set(err, errlen, -errno, "--net tap,ifname=%s: cannot open " TAP_DEV ": %s",
                        ifname, strerror(errno));
        goto fail;
    }
    struct ifreq ifr = {.ifr_flags = IFF_TAP | IFF_NO_PI};
    memcpy(ifr.ifr_name, ifname, sizeof(ifname));
    if (ioctl(t->fd, TUNSETIFF, &ifr) < 0) {
        rc = errmsg_set(err, errlen, -errno, "--net tap,ifname=%s: cannot attach: %s", ifname,
                        strerror(errno));
        goto fail;
    }
    if ((rc = ioloop_add_fd(loop, t->fd, EPOLLIN, tap_readable, t))) {
        errmsg_set(err, errlen, rc, "--net tap,ifname=%s: %s", ifname, strerror(-rc));
        goto fail;
    }
    t->watched = true;
    *out = &t->nd;
    return 0;
fail:
    tap_close(&t->nd);
    return rc;
}
