/* The backend-independent half of a netdev: opening by spec, the receiver,
 * flow control (the blocked state and the queue of kept frames) and the
 * counters. Knows no backend's host side and no NIC. */
#include "backend/net/netdev.h"

#include "common/errmsg.h"
#include "common/ioloop.h"
#include "common/stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int netdev_open(struct netdev **out, const char *spec, unsigned mtu, struct ioloop *loop, char *err,
                size_t errlen)
{
    size_t n = strcspn(spec, ",");
    const char *opts = spec[n] ? spec + n + 1 : "";
    int rc;
    if (n == 4 && !strncmp(spec, "user", 4))
        rc = net_slirp_open(out, opts, mtu, loop, err, errlen);
    else if (n == 3 && !strncmp(spec, "tap", 3))
        rc = net_tap_open(out, opts, loop, err, errlen);
    else
        return errmsg_set(err, errlen, -EINVAL, "--net %s: unknown backend (use user or tap)",
                          spec);
    if (rc) return rc;
    (*out)->loop = loop;
    return 0;
}

static void netdev_queue_clear(struct netdev *nd)
{
    while (nd->qlen) {
        free(nd->queue[nd->qhead].data);
        nd->qhead = (nd->qhead + 1) % NETDEV_QUEUE_MAX;
        nd->qlen--;
    }
}

/* On the I/O thread: from here on frames are dropped, none are kept. */
static void netdev_shut(void *opaque)
{
    struct netdev *nd = opaque;
    nd->closing = true;
    nd->receive = NULL;
    netdev_queue_clear(nd);
}

void netdev_close(struct netdev *nd)
{
    if (!nd) return;
    ioloop_run_sync(nd->loop, netdev_shut, nd);
    nd->ops->close(nd);
}

struct netdev_attach_req {
    struct netdev *nd;
    netdev_receive_fn fn;
    void *opaque;
};

static void netdev_attach_sync(void *opaque)
{
    struct netdev_attach_req *r = opaque;
    r->nd->receive = r->fn;
    r->nd->rx_opaque = r->opaque;
    if (r->fn) netdev_rx_ready(r->nd);
}

void netdev_attach(struct netdev *nd, netdev_receive_fn fn, void *opaque)
{
    struct netdev_attach_req r = {nd, fn, opaque};
    ioloop_run_sync(nd->loop, netdev_attach_sync, &r);
}

int netdev_send(struct netdev *nd, const uint8_t *frame, size_t len)
{
    int rc = len > NETDEV_MAX_FRAME ? -EMSGSIZE : nd->ops->send(nd, frame, len);
    if (rc) {
        nd->stats.tx_dropped++;
        return rc;
    }
    nd->stats.tx_frames++;
    nd->stats.tx_bytes += len;
    return 0;
}

/* Offers one frame to the receiver: 1 taken (or dropped for lack of a
 * receiver), 0 no room. */
static int netdev_offer(struct netdev *nd, const uint8_t *frame, size_t len)
{
    if (!nd->receive) {
        nd->stats.rx_dropped++;
        return 1;
    }
    int r = nd->receive(nd->rx_opaque, frame, len);
    if (r == 0) return 0;
    if (r < 0) {
        nd->stats.rx_dropped++;
    } else {
        nd->stats.rx_frames++;
        nd->stats.rx_bytes += len;
    }
    return 1;
}

static void netdev_keep(struct netdev *nd, const uint8_t *frame, size_t len)
{
    uint8_t *copy = nd->qlen < NETDEV_QUEUE_MAX ? malloc(len ? len : 1) : NULL;
    if (!copy) {
        nd->stats.rx_dropped++;
        return;
    }
    memcpy(copy, frame, len);
    nd->queue[(nd->qhead + nd->qlen) % NETDEV_QUEUE_MAX] = (struct netdev_frame){len, copy};
    nd->qlen++;
}

bool netdev_deliver(struct netdev *nd, const uint8_t *frame, size_t len)
{
    if (len > NETDEV_MAX_FRAME || nd->closing) {
        nd->stats.rx_dropped++;
        return !nd->blocked;
    }
    if (!nd->blocked) {
        if (netdev_offer(nd, frame, len)) return true;
        nd->blocked = true;
    }
    netdev_keep(nd, frame, len);
    return false;
}

void netdev_rx_ready(struct netdev *nd)
{
    while (nd->qlen) {
        struct netdev_frame *f = &nd->queue[nd->qhead];
        if (netdev_offer(nd, f->data, f->len) == 0) return;
        free(f->data);
        nd->qhead = (nd->qhead + 1) % NETDEV_QUEUE_MAX;
        nd->qlen--;
    }
    if (nd->blocked) {
        nd->blocked = false;
        if (nd->ops->resume) nd->ops->resume(nd);
    }
}

struct netdev_stats_req {
    const struct netdev *nd;
    struct netdev_stats *out;
};

static void netdev_stats_sync(void *opaque)
{
    struct netdev_stats_req *r = opaque;
    *r->out = r->nd->stats;
}

void netdev_get_stats(struct netdev *nd, struct netdev_stats *out)
{
    struct netdev_stats_req r = {nd, out};
    ioloop_run_sync(nd->loop, netdev_stats_sync, &r);
}

#define NETDEV_SAVE_TAG     STREAM_TAG('N', 'D', 'E', 'V')
#define NETDEV_SAVE_VERSION 1

static void netdev_stats_put(struct stream *s, const struct netdev_stats *st)
{
    const uint64_t v[] = {st->rx_frames, st->rx_bytes, st->rx_dropped,
                          st->tx_frames, st->tx_bytes, st->tx_dropped};
    for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++)
        stream_put_u64(s, v[k]);
}

static void netdev_stats_get(struct stream *s, struct netdev_stats *st)
{
    uint64_t *v[] = {&st->rx_frames, &st->rx_bytes, &st->rx_dropped,
                     &st->tx_frames, &st->tx_bytes, &st->tx_dropped};
    for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++)
        *v[k] = stream_get_u64(s);
}

void netdev_save(const struct netdev *nd, struct stream *s)
{
    size_t mark = stream_begin_section(s, NETDEV_SAVE_TAG, NETDEV_SAVE_VERSION);
    netdev_stats_put(s, &nd->stats);
    stream_put_u32(s, nd->qlen);
    for (unsigned k = 0; k < nd->qlen; k++) {
        const struct netdev_frame *f = &nd->queue[(nd->qhead + k) % NETDEV_QUEUE_MAX];
        stream_put_u32(s, (uint32_t)f->len);
        stream_put(s, f->data, f->len);
    }
    stream_end_section(s, mark);
}

int netdev_restore(struct netdev *nd, struct stream *s)
{
    size_t end;
    int rc = stream_open_section(s, NETDEV_SAVE_TAG, NETDEV_SAVE_VERSION, NULL, &end);
    if (rc) return rc;
    struct netdev_stats st;
    netdev_stats_get(s, &st);
    uint32_t n = stream_get_u32(s);
    if (s->err) return s->err;
    if (n > NETDEV_QUEUE_MAX) return -EINVAL;
    struct netdev_frame f[NETDEV_QUEUE_MAX] = {0};
    unsigned got = 0;
    for (; got < n && !rc; got++) {
        f[got].len = stream_get_u32(s);
        if (s->err || f[got].len > NETDEV_MAX_FRAME) {
            rc = s->err ? s->err : -EINVAL;
        } else if (!(f[got].data = malloc(f[got].len ? f[got].len : 1))) {
            rc = -ENOMEM;
        } else {
            rc = stream_get(s, f[got].data, f[got].len);
        }
    }
    if (!rc) rc = stream_close_section(s, end);
    if (rc) {
        for (unsigned k = 0; k < got; k++)
            free(f[k].data);
        return rc;
    }
    netdev_queue_clear(nd);
    nd->qhead = 0;
    for (unsigned k = 0; k < n; k++)
        nd->queue[k] = f[k];
    nd->qlen = n;
    /* Kept frames go to the guest before anything the new backend brings. */
    if (n) nd->blocked = true;
    nd->stats = st;
    return 0;
}
