/* The vsock multiplexer: AF_UNIX sockets on the host side of virtio-vsock,
 * Firecracker's way (vsock_mux.h). Owns the listening socket, the table of
 * connections, each one's state and credit, and the packets owed to the
 * guest. Must not touch guest memory or know the virtio transport: the
 * device hands it checked headers and copies its packets to the rings. */
#include "backend/vsock/vsock_mux.h"

#include "common/errmsg.h"
#include "common/ioloop.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

enum conn_state {
    CONN_FREE = 0,
    CONN_HOST_CMD,    /* host accepted: reading its "CONNECT <port>\n" */
    CONN_LOCAL_INIT,  /* REQUEST owed or sent to the guest, awaiting RESPONSE */
    CONN_ESTABLISHED, /* bytes flow both ways */
    CONN_CLOSE_DRAIN, /* the guest closed: forward what is left, then RST */
};

/* Control packets owed to the guest, by priority. */
#define OWE_RST      1u
#define OWE_RESPONSE 2u
#define OWE_REQUEST  4u
#define OWE_CREDIT   8u
#define OWE_SHUTDOWN 16u

#define CMD_MAX  32 /* "CONNECT 4294967295\n" fits */
#define RST_RING 64 /* RSTs for packets of no connection, pending */

struct vsock_mux;

struct vsock_conn {
    struct vsock_mux *mux; /* the table's owner, for fd callbacks */
    enum conn_state state;
    int fd;
    uint32_t local_port, peer_port; /* host side, guest side */
    unsigned owe;
    bool readable;                  /* the host socket may have bytes */
    bool host_eof;                  /* the host socket sent EOF (SHUTDOWN owed or sent) */
    bool peer_no_rcv, peer_no_send; /* the guest's SHUTDOWN flags */
    bool wr_shut;                   /* shutdown(SHUT_WR) done */
    uint32_t watched;               /* the epoll events registered, 0: none */
    /* Credit (virtio 1.2 section 5.10.6.3). */
    uint32_t peer_buf_alloc, peer_fwd_cnt, rx_cnt; /* guest's window, bytes sent to it */
    uint32_t fwd_cnt, fwd_told;                    /* bytes written to the host, last told */
    /* Guest bytes the host socket has not taken yet (a ring). */
    uint8_t *buf;
    uint32_t head, fill;
    char cmd[CMD_MAX];
    unsigned cmdlen;
};

struct vsock_rst {
    uint32_t local_port, peer_port;
};

struct vsock_mux {
    struct ioloop *loop;
    uint64_t cid;
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    int lfd;
    pthread_mutex_t attach_lock; /* fn/opaque against a concurrent attach */
    void (*rx_fn)(void *);
    void *rx_opaque;
    struct vsock_conn conns[VSOCK_MUX_MAX_CONNS];
    unsigned cursor; /* round-robin start of the next recv scan */
    uint32_t next_port;
    struct vsock_rst rst[RST_RING];
    unsigned rst_head, rst_len;
    struct vsock_mux_stats stats;
};

static void put_le(uint8_t *b, uint64_t v, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        b[k] = (uint8_t)(v >> (8 * k));
}

static uint64_t get_le(const uint8_t *b, unsigned n)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < n; k++)
        v |= (uint64_t)b[k] << (8 * k);
    return v;
}

void vsock_pkt_decode(struct vsock_pkt *p, const uint8_t b[VSOCK_HDR_SIZE])
{
    p->src_cid = get_le(b, 8);
    p->dst_cid = get_le(b + 8, 8);
    p->src_port = (uint32_t)get_le(b + 16, 4);
    p->dst_port = (uint32_t)get_le(b + 20, 4);
    p->len = (uint32_t)get_le(b + 24, 4);
    p->type = (uint16_t)get_le(b + 28, 2);
    p->op = (uint16_t)get_le(b + 30, 2);
    p->flags = (uint32_t)get_le(b + 32, 4);
    p->buf_alloc = (uint32_t)get_le(b + 36, 4);
    p->fwd_cnt = (uint32_t)get_le(b + 40, 4);
}

void vsock_pkt_encode(const struct vsock_pkt *p, uint8_t b[VSOCK_HDR_SIZE])
{
    put_le(b, p->src_cid, 8);
    put_le(b + 8, p->dst_cid, 8);
    put_le(b + 16, p->src_port, 4);
    put_le(b + 20, p->dst_port, 4);
    put_le(b + 24, p->len, 4);
    put_le(b + 28, p->type, 2);
    put_le(b + 30, p->op, 2);
    put_le(b + 32, p->flags, 4);
    put_le(b + 36, p->buf_alloc, 4);
    put_le(b + 40, p->fwd_cnt, 4);
}

static void mux_wake(struct vsock_mux *m)
{
    pthread_mutex_lock(&m->attach_lock);
    if (m->rx_fn) m->rx_fn(m->rx_opaque);
    pthread_mutex_unlock(&m->attach_lock);
}

static void conn_fd_event(void *opaque, uint32_t events);

/* Registers the events the connection's state needs now: input while the
 * CONNECT line is read or bytes may flow to the guest, output while guest
 * bytes wait. With none, the fd leaves epoll (a hung-up socket would
 * otherwise report EPOLLHUP on every wait). */
static void conn_watch(struct vsock_mux *m, struct vsock_conn *c)
{
    uint32_t want = 0;
    if (c->state == CONN_HOST_CMD ||
        (c->state == CONN_ESTABLISHED && !c->readable && !c->host_eof && !c->peer_no_rcv))
        want |= EPOLLIN;
    if (c->fill) want |= EPOLLOUT;
    if (want == c->watched) return;
    if (!want)
        ioloop_del_fd(m->loop, c->fd);
    else if (!c->watched)
        ioloop_add_fd(m->loop, c->fd, want, conn_fd_event, c);
    else
        ioloop_mod_fd(m->loop, c->fd, want);
    c->watched = want;
}

static void conn_free(struct vsock_mux *m, struct vsock_conn *c)
{
    if (c->watched) ioloop_del_fd(m->loop, c->fd);
    if (c->fd >= 0) close(c->fd);
    free(c->buf);
    memset(c, 0, sizeof(*c));
    c->mux = m;
    c->fd = -1;
}

/* Tells the guest the connection is gone and forgets it once the RST is
 * out (recv frees it). */
static void conn_reset(struct vsock_mux *m, struct vsock_conn *c)
{
    if (c->watched) ioloop_del_fd(m->loop, c->fd);
    c->watched = 0;
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    c->owe = OWE_RST;
    mux_wake(m);
}

static struct vsock_conn *conn_find(struct vsock_mux *m, uint32_t local, uint32_t peer)
{
    for (unsigned k = 0; k < VSOCK_MUX_MAX_CONNS; k++) {
        struct vsock_conn *c = &m->conns[k];
        /* A host client still typing its CONNECT line has no ports yet:
         * no guest packet may reach it. */
        if (c->state != CONN_FREE && c->state != CONN_HOST_CMD && c->local_port == local &&
            c->peer_port == peer)
            return c;
    }
    return NULL;
}

static struct vsock_conn *conn_new(struct vsock_mux *m, int fd)
{
    for (unsigned k = 0; k < VSOCK_MUX_MAX_CONNS; k++) {
        struct vsock_conn *c = &m->conns[k];
        if (c->state != CONN_FREE) continue;
        memset(c, 0, sizeof(*c));
        c->mux = m;
        c->fd = fd;
        return c;
    }
    return NULL;
}

static uint32_t peer_credit(const struct vsock_conn *c)
{
    uint32_t in_flight = c->rx_cnt - c->peer_fwd_cnt;
    return in_flight >= c->peer_buf_alloc ? 0 : c->peer_buf_alloc - in_flight;
}

/* Writes what the ring holds to the host socket; -1 when the socket is
 * broken. Forwarded bytes count toward fwd_cnt, and the guest hears of
 * them once a quarter of the window is free again. */
static int conn_flush(struct vsock_mux *m, struct vsock_conn *c)
{
    while (c->fill) {
        uint32_t run = VSOCK_MUX_BUF_ALLOC - c->head;
        if (run > c->fill) run = c->fill;
        ssize_t n = send(c->fd, c->buf + c->head, run, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (n <= 0) return -1;
        c->head = (c->head + (uint32_t)n) % VSOCK_MUX_BUF_ALLOC;
        c->fill -= (uint32_t)n;
        c->fwd_cnt += (uint32_t)n;
        m->stats.tx_bytes += (uint64_t)n;
    }
    if (c->fwd_cnt - c->fwd_told >= VSOCK_MUX_BUF_ALLOC / 4 && !(c->owe & OWE_RST)) {
        c->owe |= OWE_CREDIT;
        mux_wake(m);
    }
    return 0;
}

/* After a flush: the guest's half-close reaches the host socket once its
 * bytes did, and a closing guest gets its RST once nothing is left. */
static void conn_after_flush(struct vsock_mux *m, struct vsock_conn *c)
{
    if (c->fill) return;
    if (c->state == CONN_CLOSE_DRAIN) {
        conn_reset(m, c);
        return;
    }
    if (c->peer_no_send && !c->wr_shut) {
        shutdown(c->fd, SHUT_WR);
        c->wr_shut = true;
    }
}

/* Guest bytes of an RW packet: straight to the socket when nothing waits,
 * the rest into the ring (which the credit the guest was given bounds). */
static int conn_take(struct vsock_mux *m, struct vsock_conn *c, const uint8_t *data, uint32_t len)
{
    if (len > VSOCK_MUX_BUF_ALLOC - c->fill) return -1; /* more than its credit */
    if (!c->buf && !(c->buf = malloc(VSOCK_MUX_BUF_ALLOC))) return -1;
    for (uint32_t done = 0; done < len;) {
        uint32_t tail = (c->head + c->fill) % VSOCK_MUX_BUF_ALLOC;
        uint32_t run = VSOCK_MUX_BUF_ALLOC - tail;
        if (run > len - done) run = len - done;
        memcpy(c->buf + tail, data + done, run);
        c->fill += run;
        done += run;
    }
    return conn_flush(m, c);
}

/* "CONNECT <port>\n" from a host client, a byte at a time so nothing after
 * the line is consumed before the guest accepted. */
static void conn_read_cmd(struct vsock_mux *m, struct vsock_conn *c)
{
    for (;;) {
        char ch;
        ssize_t n = recv(c->fd, &ch, 1, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        if (n <= 0 || c->cmdlen == CMD_MAX - 1) goto bad;
        if (ch != '\n') {
            c->cmd[c->cmdlen++] = ch;
            continue;
        }
        c->cmd[c->cmdlen] = 0;
        char *end;
        if (strncmp(c->cmd, "CONNECT ", 8) != 0 || c->cmd[8] < '0' || c->cmd[8] > '9') goto bad;
        errno = 0;
        unsigned long port = strtoul(c->cmd + 8, &end, 10);
        if (*end || errno || port > UINT32_MAX) goto bad;
        uint32_t local;
        do {
            local = m->next_port++;
            if (m->next_port == 0) m->next_port = VSOCK_MUX_FIRST_LOCAL_PORT;
        } while (conn_find(m, local, (uint32_t)port));
        c->local_port = local;
        c->peer_port = (uint32_t)port;
        c->state = CONN_LOCAL_INIT;
        c->owe = OWE_REQUEST;
        conn_watch(m, c);
        m->stats.conns_host++;
        mux_wake(m);
        return;
    }
bad:
    conn_free(m, c); /* not a connection yet: the guest never heard of it */
}

static void conn_fd_event(void *opaque, uint32_t events)
{
    struct vsock_conn *c = opaque;
    struct vsock_mux *m = c->mux;
    if (c->state == CONN_HOST_CMD) {
        conn_read_cmd(m, c);
        return;
    }
    if (events & EPOLLOUT || (events & (EPOLLERR | EPOLLHUP) && c->fill)) {
        if (conn_flush(m, c)) {
            conn_reset(m, c);
            return;
        }
        conn_after_flush(m, c);
        if (c->state == CONN_FREE || c->owe & OWE_RST) return;
    }
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP) && c->state == CONN_ESTABLISHED) {
        c->readable = true;
        mux_wake(m);
    }
    conn_watch(m, c);
}

static void mux_accept(void *opaque, uint32_t events)
{
    struct vsock_mux *m = opaque;
    for (;;) {
        int fd = accept4(m->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) return;
        struct vsock_conn *c = conn_new(m, fd);
        if (!c) {
            close(fd); /* table full: the client sees EOF */
            continue;
        }
        c->state = CONN_HOST_CMD;
        conn_watch(m, c);
    }
}

/* The guest connects to host port `port`: the host listener at
 * "<uds_path>_<port>". */
static int mux_connect_host(struct vsock_mux *m, uint32_t port)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (snprintf(sa.sun_path, sizeof(sa.sun_path), "%s_%u", m->path, port) >=
        (int)sizeof(sa.sun_path))
        return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    /* A unix stream connect completes at once or fails (EAGAIN: the
     * listener's backlog is full): the I/O thread never waits. */
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void mux_owe_rst(struct vsock_mux *m, uint32_t local, uint32_t peer)
{
    if (m->rst_len == RST_RING) return; /* dropped, as a lossy link would */
    m->rst[(m->rst_head + m->rst_len++) % RST_RING] = (struct vsock_rst){local, peer};
    mux_wake(m);
}

void vsock_mux_send(struct vsock_mux *m, const struct vsock_pkt *p, const uint8_t *data)
{
    uint32_t local = p->dst_port, peer = p->src_port;
    struct vsock_conn *c = conn_find(m, local, peer);
    if (c && c->owe & OWE_RST) return; /* being reset: the guest hears so next */
    if (!c) {
        if (p->op == VSOCK_OP_RST) return;
        if (p->op != VSOCK_OP_REQUEST) {
            mux_owe_rst(m, local, peer);
            return;
        }
        int fd = mux_connect_host(m, local);
        if (fd < 0 || !(c = conn_new(m, fd))) {
            if (fd >= 0) close(fd);
            mux_owe_rst(m, local, peer);
            return;
        }
        c->local_port = local;
        c->peer_port = peer;
        c->state = CONN_ESTABLISHED;
        c->owe = OWE_RESPONSE;
        c->peer_buf_alloc = p->buf_alloc;
        c->peer_fwd_cnt = p->fwd_cnt;
        m->stats.conns_guest++;
        conn_watch(m, c);
        mux_wake(m);
        return;
    }
    bool had_credit = peer_credit(c) > 0;
    c->peer_buf_alloc = p->buf_alloc;
    c->peer_fwd_cnt = p->fwd_cnt;
    switch (p->op) {
    case VSOCK_OP_RESPONSE:
        if (c->state != CONN_LOCAL_INIT || c->owe & OWE_REQUEST) goto reset;
        c->state = CONN_ESTABLISHED;
        char ok[32];
        int n = snprintf(ok, sizeof(ok), "OK %u\n", c->local_port);
        if (send(c->fd, ok, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) != n) goto reset;
        break;
    case VSOCK_OP_RW:
        if (c->state != CONN_ESTABLISHED || c->peer_no_send) goto reset;
        if (conn_take(m, c, data, p->len)) goto reset;
        conn_after_flush(m, c);
        break;
    case VSOCK_OP_CREDIT_REQUEST:
        c->owe |= OWE_CREDIT;
        mux_wake(m);
        break;
    case VSOCK_OP_CREDIT_UPDATE: break;
    case VSOCK_OP_SHUTDOWN:
        if (c->state != CONN_ESTABLISHED) goto reset;
        c->peer_no_rcv |= (p->flags & VSOCK_SHUTDOWN_RCV) != 0;
        c->peer_no_send |= (p->flags & VSOCK_SHUTDOWN_SEND) != 0;
        if (c->peer_no_rcv && c->peer_no_send) c->state = CONN_CLOSE_DRAIN;
        conn_after_flush(m, c);
        break;
    case VSOCK_OP_RST: conn_free(m, c); return;
    default: /* REQUEST on a live connection, or no op at all */ goto reset;
    }
    if (c->state == CONN_FREE || c->owe & OWE_RST) return;
    if (!had_credit && peer_credit(c) > 0 && c->readable) mux_wake(m);
    conn_watch(m, c);
    return;
reset:
    m->stats.resets++;
    conn_reset(m, c);
}

static void pkt_for(const struct vsock_mux *m, struct vsock_conn *c, struct vsock_pkt *p,
                    uint16_t op)
{
    *p = (struct vsock_pkt){.src_cid = VSOCK_HOST_CID,
                            .dst_cid = m->cid,
                            .src_port = c->local_port,
                            .dst_port = c->peer_port,
                            .type = VSOCK_TYPE_STREAM,
                            .op = op,
                            .buf_alloc = VSOCK_MUX_BUF_ALLOC,
                            .fwd_cnt = c->fwd_cnt};
    c->fwd_told = c->fwd_cnt;
}

/* The next packet of one connection, or 0. */
static int conn_recv(struct vsock_mux *m, struct vsock_conn *c, struct vsock_pkt *p, uint8_t *buf,
                     uint32_t cap)
{
    if (c->owe & OWE_RST) {
        pkt_for(m, c, p, VSOCK_OP_RST);
        conn_free(m, c);
        return 1;
    }
    static const struct {
        unsigned bit;
        uint16_t op;
    } ctl[] = {{OWE_RESPONSE, VSOCK_OP_RESPONSE},
               {OWE_REQUEST, VSOCK_OP_REQUEST},
               {OWE_CREDIT, VSOCK_OP_CREDIT_UPDATE}};
    for (unsigned k = 0; k < sizeof(ctl) / sizeof(ctl[0]); k++) {
        if (!(c->owe & ctl[k].bit)) continue;
        c->owe &= ~ctl[k].bit;
        pkt_for(m, c, p, ctl[k].op);
        return 1;
    }
    if (c->owe & OWE_SHUTDOWN) {
        c->owe &= ~OWE_SHUTDOWN;
        pkt_for(m, c, p, VSOCK_OP_SHUTDOWN);
        p->flags = VSOCK_SHUTDOWN_SEND;
        return 1;
    }
    if (c->state != CONN_ESTABLISHED || !c->readable || c->host_eof || c->peer_no_rcv) return 0;
    uint32_t room = peer_credit(c);
    if (room == 0) return 0; /* the guest's next credit update wakes us */
    if (room > cap) room = cap;
    ssize_t n;
    do {
        n = recv(c->fd, buf, room, MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        c->readable = false;
        conn_watch(m, c);
        return 0;
    }
    if (n < 0) {
        m->stats.resets++;
        pkt_for(m, c, p, VSOCK_OP_RST);
        conn_free(m, c);
        return 1;
    }
    if (n == 0) { /* the host will send no more: a half-close */
        c->host_eof = true;
        c->readable = false;
        conn_watch(m, c);
        pkt_for(m, c, p, VSOCK_OP_SHUTDOWN);
        p->flags = VSOCK_SHUTDOWN_SEND;
        return 1;
    }
    pkt_for(m, c, p, VSOCK_OP_RW);
    p->len = (uint32_t)n;
    c->rx_cnt += (uint32_t)n;
    m->stats.rx_bytes += (uint64_t)n;
    return 1;
}

int vsock_mux_recv(struct vsock_mux *m, struct vsock_pkt *p, uint8_t *buf, uint32_t cap)
{
    if (m->rst_len) {
        struct vsock_rst r = m->rst[m->rst_head];
        m->rst_head = (m->rst_head + 1) % RST_RING;
        m->rst_len--;
        m->stats.resets++;
        *p = (struct vsock_pkt){.src_cid = VSOCK_HOST_CID,
                                .dst_cid = m->cid,
                                .src_port = r.local_port,
                                .dst_port = r.peer_port,
                                .type = VSOCK_TYPE_STREAM,
                                .op = VSOCK_OP_RST};
        return 1;
    }
    /* Round robin, so one busy stream does not starve the others. */
    for (unsigned k = 0; k < VSOCK_MUX_MAX_CONNS; k++) {
        unsigned i = (m->cursor + k) % VSOCK_MUX_MAX_CONNS;
        struct vsock_conn *c = &m->conns[i];
        if (c->state == CONN_FREE || c->state == CONN_HOST_CMD) continue;
        if (c->state == CONN_LOCAL_INIT && !(c->owe & (OWE_REQUEST | OWE_RST))) continue;
        if (conn_recv(m, c, p, buf, cap)) {
            m->cursor = (i + 1) % VSOCK_MUX_MAX_CONNS;
            return 1;
        }
    }
    return 0;
}

static void mux_drop_all(void *opaque)
{
    struct vsock_mux *m = opaque;
    for (unsigned k = 0; k < VSOCK_MUX_MAX_CONNS; k++)
        if (m->conns[k].state != CONN_FREE) conn_free(m, &m->conns[k]);
    m->rst_len = 0;
}

void vsock_mux_reset(struct vsock_mux *m)
{
    mux_drop_all(m);
}

struct mux_attach {
    struct vsock_mux *m;
    void (*fn)(void *);
    void *opaque;
};

static void mux_attach_sync(void *opaque)
{
    struct mux_attach *a = opaque;
    mux_drop_all(a->m);
    pthread_mutex_lock(&a->m->attach_lock);
    a->m->rx_fn = a->fn;
    a->m->rx_opaque = a->opaque;
    pthread_mutex_unlock(&a->m->attach_lock);
}

void vsock_mux_attach(struct vsock_mux *m, void (*fn)(void *), void *opaque)
{
    struct mux_attach a = {m, fn, opaque};
    /* On the I/O thread, so no fd callback is half way through a
     * connection the new device will not know. */
    ioloop_run_sync(m->loop, mux_attach_sync, &a);
}

uint64_t vsock_mux_guest_cid(const struct vsock_mux *m)
{
    return m->cid;
}

void vsock_mux_get_stats(const struct vsock_mux *m, struct vsock_mux_stats *out)
{
    *out = m->stats;
}

int vsock_mux_open(struct vsock_mux **out, uint64_t guest_cid, const char *uds_path,
                   struct ioloop *loop, char *err, size_t errlen)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    /* "<path>_<port>" must fit too, for guest-initiated connections. */
    if (!uds_path[0] || strlen(uds_path) + 11 >= sizeof(sa.sun_path))
        return errmsg_set(err, errlen, -ENAMETOOLONG,
                          "vsock uds_path '%.200s' must be 1 to %zu characters", uds_path,
                          sizeof(sa.sun_path) - 12);
    struct vsock_mux *m = calloc(1, sizeof(*m));
    if (!m) return errmsg_set(err, errlen, -ENOMEM, "out of memory");
    m->loop = loop;
    m->cid = guest_cid;
    m->next_port = VSOCK_MUX_FIRST_LOCAL_PORT;
    pthread_mutex_init(&m->attach_lock, NULL);
    for (unsigned k = 0; k < VSOCK_MUX_MAX_CONNS; k++) {
        m->conns[k].mux = m;
        m->conns[k].fd = -1;
    }
    snprintf(m->path, sizeof(m->path), "%s", uds_path);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", uds_path);
    int rc;
    m->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m->lfd < 0) {
        rc = -errno;
        goto fail;
    }
    if (bind(m->lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(m->lfd, 64) < 0) {
        rc = -errno;
        if (rc == -EADDRINUSE)
            errmsg_set(err, errlen, rc, "vsock uds_path %.200s exists; remove it first", uds_path);
        else
            errmsg_set(err, errlen, rc, "vsock uds_path %.200s: %s", uds_path, strerror(-rc));
        goto fail_bound;
    }
    if ((rc = ioloop_add_fd(loop, m->lfd, EPOLLIN, mux_accept, m))) {
        errmsg_set(err, errlen, rc, "vsock: %s", strerror(-rc));
        unlink(uds_path);
        goto fail_bound;
    }
    *out = m;
    return 0;
fail:
    errmsg_set(err, errlen, rc, "vsock: %s", strerror(-rc));
fail_bound:
    if (m->lfd >= 0) close(m->lfd);
    pthread_mutex_destroy(&m->attach_lock);
    free(m);
    return rc;
}

static void mux_close_sync(void *opaque)
{
    struct vsock_mux *m = opaque;
    mux_drop_all(m);
    ioloop_del_fd(m->loop, m->lfd);
}

void vsock_mux_close(struct vsock_mux *m)
{
    if (!m) return;
    ioloop_run_sync(m->loop, mux_close_sync, m);
    close(m->lfd);
    unlink(m->path);
    pthread_mutex_destroy(&m->attach_lock);
    free(m);
}
