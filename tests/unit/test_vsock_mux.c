/* Unit tests for the vsock multiplexer (backend/vsock/vsock_mux.c) without
 * a guest: the test plays the driver, handing it packets and taking the
 * ones it owes, on the I/O thread (ioloop_run_sync) as the device does,
 * while real unix sockets play the host side. Header encoding; a host
 * CONNECT (REQUEST, then OK after RESPONSE, then bytes both ways); a bad
 * command line; credit: nothing is read from the host beyond the guest's
 * window, a credit update opens it, the host sends a credit update after
 * forwarding a quarter of its window, and a guest overrunning its credit
 * gets the connection reset; guest-initiated connections to uds_path_PORT
 * (and an RST with no listener); RST for packets of no connection; a
 * guest close (SHUTDOWN both) ends in EOF for the host and an RST. */
#include "backend/vsock/vsock_mux.h"

#include "common/ioloop.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ut.h"

UT_MAIN_STATE

#define CID 42

struct rig {
    struct ioloop *loop;
    struct vsock_mux *m;
    char path[108];
    unsigned wakes;
};

struct call {
    struct rig *r;
    struct vsock_pkt p;
    uint8_t data[VSOCK_MAX_PAYLOAD];
    uint32_t cap;
    int got;
};

static void wake(void *opaque)
{
    __atomic_add_fetch(&((struct rig *)opaque)->wakes, 1, __ATOMIC_RELAXED);
}

static void do_send(void *opaque)
{
    struct call *c = opaque;
    vsock_mux_send(c->r->m, &c->p, c->data);
}

static void do_recv(void *opaque)
{
    struct call *c = opaque;
    c->got = vsock_mux_recv(c->r->m, &c->p, c->data, c->cap);
}

static struct call *call_new(struct rig *r)
{
    struct call *c = calloc(1, sizeof(*c));
    c->r = r;
    return c;
}

/* A guest packet to host port `local` from guest port `peer`. */
static void guest_send(struct rig *r, uint32_t local, uint32_t peer, uint16_t op, uint32_t flags,
                       uint32_t buf_alloc, uint32_t fwd, const void *data, uint32_t len)
{
    struct call *c = call_new(r);
    c->p = (struct vsock_pkt){.src_cid = CID,
                              .dst_cid = VSOCK_HOST_CID,
                              .src_port = peer,
                              .dst_port = local,
                              .len = len,
                              .type = VSOCK_TYPE_STREAM,
                              .op = op,
                              .flags = flags,
                              .buf_alloc = buf_alloc,
                              .fwd_cnt = fwd};
    if (len) memcpy(c->data, data, len);
    ioloop_run_sync(r->loop, do_send, c);
    free(c);
}

/* The next packet the mux owes the guest, waiting up to 5 s for host
 * events to reach it (an fd callback on the I/O thread); 0 if none came. */
static int guest_recv(struct rig *r, struct vsock_pkt *p, uint8_t *buf, uint32_t cap, int wait)
{
    struct call *c = call_new(r);
    c->cap = cap;
    for (int tries = 0; tries < (wait ? 500 : 1); tries++) {
        ioloop_run_sync(r->loop, do_recv, c);
        if (c->got) break;
        if (wait) nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
    int got = c->got;
    *p = c->p;
    if (got && buf) memcpy(buf, c->data, p->len);
    free(c);
    return got;
}

static void rig_open(struct rig *r)
{
    memset(r, 0, sizeof(*r));
    snprintf(r->path, sizeof(r->path), "/tmp/rvmm-ut-vsock-%d", (int)getpid());
    unlink(r->path);
    UT_EQ(ioloop_create(&r->loop), 0);
    UT_EQ(ioloop_start(r->loop), 0);
    char err[256];
    UT_EQ(vsock_mux_open(&r->m, CID, r->path, r->loop, err, sizeof(err)), 0);
    vsock_mux_attach(r->m, wake, r);
}

static void rig_close(struct rig *r)
{
    vsock_mux_close(r->m);
    ioloop_destroy(r->loop);
    UT_CHECK(access(r->path, F_OK) != 0); /* the socket file is removed */
}

static void set_path(struct sockaddr_un *sa, const char *path)
{
    size_t n = strlen(path);
    if (n >= sizeof(sa->sun_path)) abort();
    memcpy(sa->sun_path, path, n + 1);
}

static int unix_connect(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    set_path(&sa, path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
        close(fd);
        return -1;
    }
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return fd;
}

static int unix_listen(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    set_path(&sa, path);
    unlink(path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 4)) return -1;
    return fd;
}

static void test_header(void)
{
    struct vsock_pkt
        p = {0x1122334455667788ULL, 2, 0xa1a2a3a4, 0xb1b2b3b4, 5, 1, 7, 3, 0x40000, 0x12345678},
        q;
    uint8_t b[VSOCK_HDR_SIZE];
    vsock_pkt_encode(&p, b);
    UT_EQ(b[0], 0x88);
    UT_EQ(b[8], 2);
    UT_EQ(b[16], 0xa4);
    UT_EQ(b[24], 5);
    UT_EQ(b[28], 1);
    UT_EQ(b[30], 7);
    UT_EQ(b[40], 0x78);
    vsock_pkt_decode(&q, b);
    UT_CHECK(memcmp(&p, &q, sizeof(p)) == 0);
}

/* Host CONNECT to guest port 52, accepted; returns the client fd and the
 * host port in *local. */
static int host_connect(struct rig *r, uint32_t *local)
{
    int fd = unix_connect(r->path);
    UT_CHECK(fd >= 0);
    UT_EQ(write(fd, "CONNECT 52\n", 11), 11);
    struct vsock_pkt p;
    UT_EQ(guest_recv(r, &p, NULL, 0, 1), 1);
    UT_EQ(p.op, VSOCK_OP_REQUEST);
    UT_EQ(p.dst_port, 52);
    UT_EQ(p.dst_cid, CID);
    UT_EQ(p.src_cid, VSOCK_HOST_CID);
    UT_EQ(p.buf_alloc, VSOCK_MUX_BUF_ALLOC);
    *local = p.src_port;
    guest_send(r, p.src_port, 52, VSOCK_OP_RESPONSE, 0, 65536, 0, NULL, 0);
    return fd;
}

static void test_host_connect(void)
{
    struct rig r;
    rig_open(&r);
    uint32_t local;
    int fd = host_connect(&r, &local);
    UT_EQ(local, VSOCK_MUX_FIRST_LOCAL_PORT);
    char line[32] = {0};
    UT_EQ(read(fd, line, sizeof(line) - 1), 14);
    UT_CHECK(strcmp(line, "OK 1073741824\n") == 0);
    /* host -> guest */
    UT_EQ(write(fd, "hello", 5), 5);
    struct vsock_pkt p;
    uint8_t buf[64];
    UT_EQ(guest_recv(&r, &p, buf, sizeof(buf), 1), 1);
    UT_EQ(p.op, VSOCK_OP_RW);
    UT_EQ(p.len, 5);
    UT_CHECK(memcmp(buf, "hello", 5) == 0);
    /* guest -> host */
    guest_send(&r, local, 52, VSOCK_OP_RW, 0, 65536, 5, "world", 5);
    char got[8] = {0};
    UT_EQ(read(fd, got, 5), 5);
    UT_CHECK(strcmp(got, "world") == 0);
    /* The host half-closes: the guest hears SHUTDOWN(send). */
    shutdown(fd, SHUT_WR);
    UT_EQ(guest_recv(&r, &p, buf, sizeof(buf), 1), 1);
    UT_EQ(p.op, VSOCK_OP_SHUTDOWN);
    UT_EQ(p.flags, VSOCK_SHUTDOWN_SEND);
    /* The guest closes: the host sees EOF, the guest gets the RST. */
    guest_send(&r, local, 52, VSOCK_OP_SHUTDOWN, 3, 65536, 5, NULL, 0);
    UT_EQ(read(fd, got, sizeof(got)), 0);
    UT_EQ(guest_recv(&r, &p, NULL, 0, 1), 1);
    UT_EQ(p.op, VSOCK_OP_RST);
    close(fd);
    struct vsock_mux_stats st;
    vsock_mux_get_stats(r.m, &st);
    UT_EQ(st.conns_host, 1);
    UT_EQ(st.rx_bytes, 5);
    UT_EQ(st.tx_bytes, 5);
    rig_close(&r);
}

static void test_bad_command(void)
{
    struct rig r;
    rig_open(&r);
    static const char *const bad[] = {"CONNECT x\n", "connect 5\n", "CONNECT 99999999999\n",
                                      "CONNECT 5 6\n", "CONNECT 123456789012345678901234567890\n"};
    for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        int fd = unix_connect(r.path);
        UT_EQ(write(fd, bad[k], strlen(bad[k])), (ssize_t)strlen(bad[k]));
        char c;
        /* Closed, nothing said (ECONNRESET when the line was cut short
         * and bytes were left unread). */
        errno = 0;
        UT_CHECK(read(fd, &c, 1) <= 0);
        UT_CHECK(errno != EAGAIN);
        close(fd);
    }
    struct vsock_pkt p;
    UT_EQ(guest_recv(&r, &p, NULL, 0, 0), 0); /* the guest heard of none */
    /* A client that has not sent its line yet has no ports: a guest packet
     * for ports 0/0 is one of no connection, and the client goes on. */
    int fd = unix_connect(r.path);
    UT_EQ(write(fd, "CONN", 4), 4);
    guest_send(&r, 0, 0, VSOCK_OP_RW, 0, 65536, 0, "x", 1);
    UT_EQ(guest_recv(&r, &p, NULL, 0, 1), 1);
    UT_EQ(p.op, VSOCK_OP_RST);
    UT_EQ(write(fd, "ECT 9\n", 6), 6);
    UT_EQ(guest_recv(&r, &p, NULL, 0, 1), 1);
    UT_EQ(p.op, VSOCK_OP_REQUEST);
    UT_EQ(p.dst_port, 9);
    close(fd);
    rig_close(&r);
}

static void test_credit(void)
{
    struct rig r;
    rig_open(&r);
    uint32_t local;
    int fd = host_connect(&r, &local);
    char line[32];
    UT_EQ(read(fd, line, 14), 14);
    /* The guest's window is 4 bytes: only 4 of 10 go. */
    guest_send(&r, local, 52, VSOCK_OP_CREDIT_UPDATE, 0, 4, 0, NULL, 0);
    UT_EQ(write(fd, "0123456789", 10), 10);
    struct vsock_pkt p;
    uint8_t buf[64];
    UT_EQ(guest_recv(&r, &p, buf, sizeof(buf), 1), 1);
    UT_EQ(p.op, VSOCK_OP_RW);
    UT_EQ(p.len, 4);
    UT_EQ(guest_recv(&r, &p, buf, sizeof(buf), 0), 0); /* window full */
    /* The guest consumed them and opens 100 more. */
    guest_send(&r, local, 52, VSOCK_OP_CREDIT_UPDATE, 0, 100, 4, NULL, 0);
    UT_EQ(guest_recv(&r, &p, buf, sizeof(buf), 1), 1);
    UT_EQ(p.len, 6);
    UT_CHECK(memcmp(buf, "456789", 6) == 0);
    /* A quarter of the host's window forwarded: a credit update follows. */
    static uint8_t big[VSOCK_MAX_PAYLOAD];
    uint32_t fwd_seen = 0;
    for (unsigned k = 0; k < VSOCK_MUX_BUF_ALLOC / 4 / VSOCK_MAX_PAYLOAD; k++) {
        guest_send(&r, local, 52, VSOCK_OP_RW, 0, 100, 10, big, VSOCK_MAX_PAYLOAD);
        for (uint32_t got = 0; got < VSOCK_MAX_PAYLOAD;) {
            ssize_t n = read(fd, big, VSOCK_MAX_PAYLOAD - got);
            UT_CHECK(n > 0);
            if (n <= 0) break;
            got += (uint32_t)n;
        }
    }
    while (guest_recv(&r, &p, NULL, 0, 1) && p.op != VSOCK_OP_CREDIT_UPDATE) {
    }
    UT_EQ(p.op, VSOCK_OP_CREDIT_UPDATE);
    fwd_seen = p.fwd_cnt;
    UT_EQ(fwd_seen, VSOCK_MUX_BUF_ALLOC / 4);
    /* Overrunning the window (the host reads nothing): reset. */
    bool reset = false;
    for (unsigned k = 0; k < 200 && !reset; k++) {
        guest_send(&r, local, 52, VSOCK_OP_RW, 0, 100, 10, big, VSOCK_MAX_PAYLOAD);
        while (guest_recv(&r, &p, NULL, 0, 0))
            reset |= p.op == VSOCK_OP_RST;
    }
    UT_CHECK(reset);
    close(fd);
    rig_close(&r);
}

static void test_guest_connect(void)
{
    struct rig r;
    rig_open(&r);
    struct vsock_pkt p;
    uint8_t buf[64];
    /* No listener at path_77: RST. */
    guest_send(&r, 77, 1234, VSOCK_OP_REQUEST, 0, 65536, 0, NULL, 0);
    UT_EQ(guest_recv(&r, &p, NULL, 0, 1), 1);
    UT_EQ(p.op, VSOCK_OP_RST);
    UT_EQ(p.src_port, 77);
    UT_EQ(p.dst_port, 1234);
    char lpath[128];
    snprintf(lpath, sizeof(lpath), "%s_77", r.path);
    int lfd = unix_listen(lpath);
    UT_CHECK(lfd >= 0);
    guest_send(&r, 77, 1234, VSOCK_OP_REQUEST, 0, 65536, 0, NULL, 0);
    UT_EQ(guest_recv(&r, &p, NULL, 0, 1), 1);
    UT_EQ(p.op, VSOCK_OP_RESPONSE);
    int fd = accept(lfd, NULL, NULL);
    UT_CHECK(fd >= 0);
    guest_send(&r, 77, 1234, VSOCK_OP_RW, 0, 65536, 0, "ping", 4);
    char got[8] = {0};
    UT_EQ(read(fd, got, 4), 4);
    UT_CHECK(strcmp(got, "ping") == 0);
    UT_EQ(write(fd, "pong", 4), 4);
    UT_EQ(guest_recv(&r, &p, buf, sizeof(buf), 1), 1);
    UT_EQ(p.op, VSOCK_OP_RW);
    UT_CHECK(p.len == 4 && memcmp(buf, "pong", 4) == 0);
    /* Packets of no connection get an RST; an RST of none gets nothing. */
    guest_send(&r, 78, 1234, VSOCK_OP_RW, 0, 65536, 0, "x", 1);
    UT_EQ(guest_recv(&r, &p, NULL, 0, 1), 1);
    UT_EQ(p.op, VSOCK_OP_RST);
    UT_EQ(p.src_port, 78);
    guest_send(&r, 79, 1234, VSOCK_OP_RST, 0, 65536, 0, NULL, 0);
    UT_EQ(guest_recv(&r, &p, NULL, 0, 0), 0);
    /* A second REQUEST on a live connection resets it. */
    guest_send(&r, 77, 1234, VSOCK_OP_REQUEST, 0, 65536, 0, NULL, 0);
    UT_EQ(guest_recv(&r, &p, NULL, 0, 1), 1);
    UT_EQ(p.op, VSOCK_OP_RST);
    UT_EQ(read(fd, got, 1), 0);
    close(fd);
    close(lfd);
    unlink(lpath);
    /* The path must not exist already (Firecracker's rule too). */
    char err[256];
    struct vsock_mux *m2;
    UT_EQ(vsock_mux_open(&m2, CID, r.path, r.loop, err, sizeof(err)), -EADDRINUSE);
    UT_CHECK(strstr(err, "exists") != NULL);
    rig_close(&r);
}

int main(void)
{
    ut_run("vsock_mux/header", test_header);
    ut_run("vsock_mux/host_connect", test_host_connect);
    ut_run("vsock_mux/bad_command", test_bad_command);
    ut_run("vsock_mux/credit", test_credit);
    ut_run("vsock_mux/guest_connect", test_guest_connect);
    return ut_exit();
}
