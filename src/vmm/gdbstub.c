/* The GDB stub's connection and run control: the listening socket (TCP or
 * unix), one debugger at a time (a second connection is closed at once),
 * the stub thread's poll loop, acknowledgements, and all-stop execution:
 * gdb's attach, Ctrl-C, a breakpoint, watchpoint or finished step on any
 * hart pause the whole VM (vm_pause: guest time stands still and the API
 * shows Paused); continue and step resume it. A dropped connection or a
 * detach clears every breakpoint and lets the VM run on. Packet contents
 * are gdbstub_cmd.c's; framing is gdbstub_proto.c's. */
#include "vmm/gdbstub_int.h"

#include "common/ioloop.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* Splits "tcp:[HOST]:PORT" / "unix:PATH"; host gets "" when empty. */
static int parse_spec(const char *spec, bool *is_unix, char *host, size_t hostlen, char *port,
                      size_t portlen, char *err, size_t errlen)
{
    if (!strncmp(spec, "unix:", 5)) {
        const char *path = spec + 5;
        if (!*path || strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
            snprintf(err, errlen, "--gdb %.200s: unix:PATH needs a path of 1 to 107 bytes", spec);
            return -EINVAL;
        }
        *is_unix = true;
        snprintf(host, hostlen, "%s", path);
        return 0;
    }
    const char *colon = strncmp(spec, "tcp:", 4) ? NULL : strrchr(spec + 4, ':');
    if (!colon) {
        snprintf(err, errlen, "--gdb %.200s: expected tcp:[HOST]:PORT or unix:PATH", spec);
        return -EINVAL;
    }
    size_t hl = (size_t)(colon - (spec + 4));
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || p < 1 || p > 65535 || hl >= hostlen) {
        snprintf(err, errlen, "--gdb %.200s: the port must be a number from 1 to 65535", spec);
        return -EINVAL;
    }
    *is_unix = false;
    memcpy(host, spec + 4, hl);
    host[hl] = '\0';
    snprintf(port, portlen, "%ld", p);
    return 0;
}

int gdbstub_check_spec(const char *spec, char *err, size_t errlen)
{
    bool u;
    char host[256], port[16];
    return parse_spec(spec, &u, host, sizeof(host), port, sizeof(port), err, errlen);
}

static int listen_on(struct gdbstub *g, const char *spec, char *err, size_t errlen)
{
    bool is_unix;
    char host[256], port[16];
    int rc = parse_spec(spec, &is_unix, host, sizeof(host), port, sizeof(port), err, errlen);
    if (rc) return rc;
    int fd = -1;
    if (is_unix) {
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        memcpy(a.sun_path, host, strlen(host) + 1); /* parse_spec checked the length */
        struct stat st;
        /* A socket left by an earlier run is replaced; any other file is not. */
        if (!stat(host, &st) && S_ISSOCK(st.st_mode)) unlink(host);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 2)) goto fail;
        memcpy(g->unix_path, a.sun_path, sizeof(g->unix_path));
    } else {
        struct addrinfo hints = {.ai_family = AF_UNSPEC,
                                 .ai_socktype = SOCK_STREAM,
                                 .ai_flags = AI_NUMERICSERV | (host[0] ? 0 : AI_PASSIVE)};
        struct addrinfo *res;
        /* An empty HOST is loopback, as QEMU's -s: the stub can write guest
         * memory, so it is not offered to the network unless asked. */
        int gai = getaddrinfo(host[0] ? host : "127.0.0.1", port, &hints, &res);
        if (gai) {
            snprintf(err, errlen, "--gdb %.200s: %s", spec, gai_strerror(gai));
            return -EINVAL;
        }
        fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        bool ok = fd >= 0 && !bind(fd, res->ai_addr, res->ai_addrlen) && !listen(fd, 2);
        freeaddrinfo(res);
        if (!ok) goto fail;
    }
    g->listen_fd = fd;
    return 0;
fail:
    rc = -errno;
    if (fd >= 0) close(fd);
    snprintf(err, errlen, "--gdb %.200s: cannot listen: %s", spec, strerror(-rc));
    return rc;
}

struct rv_hart *gdb_hart(struct gdbstub *g, unsigned k)
{
    return &g->vm->board->harts[k];
}

unsigned gdb_nharts(struct gdbstub *g)
{
    return g->vm->board->nharts;
}

void gdbstub_board_built(struct gdbstub *g, struct board *b)
{
    for (unsigned k = 0; k < b->nharts; k++)
        b->harts[k].debug = &g->dbg;
}

void gdbstub_hart_stopped(struct gdbstub *g, unsigned hart)
{
    (void)hart; /* the stub finds it by its debug_stop */
    if (!g) return;
    vm_pause_request(g->vm);
    uint64_t one = 1;
    if (write(g->wake_fd, &one, sizeof(one)) < 0) { /* the counter cannot overflow here */
    }
}

/* Sends a whole buffer; false when the debugger is gone. */
static bool send_all(struct gdbstub *g, const char *buf, size_t len)
{
    while (len) {
        ssize_t n = send(g->client_fd, buf, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

static void send_packet(struct gdbstub *g, const char *payload, size_t len)
{
    g->frame_len = gdb_frame(g->frame, sizeof(g->frame), payload, len);
    if (!g->frame_len) g->frame_len = gdb_frame(g->frame, sizeof(g->frame), "E01", 3);
    send_all(g, g->frame, g->frame_len);
}

void gdb_send_output(struct gdbstub *g, const char *text)
{
    char buf[GDB_PACKET_MAX + 1];
    size_t n = strlen(text);
    while (n) {
        size_t chunk = n > (GDB_PACKET_MAX - 1) / 2 ? (GDB_PACKET_MAX - 1) / 2 : n;
        buf[0] = 'O';
        gdb_bytes_to_hex((const uint8_t *)text, chunk, buf + 1);
        send_packet(g, buf, 1 + 2 * chunk);
        text += chunk;
        n -= chunk;
    }
}

/* Stops the VM for the debugger: 0 once every hart is parked (a VM not
 * yet running pauses at once and starts parked). */
static int stop_vm(struct gdbstub *g)
{
    if (vm_pause(g->vm) == 0) return 0;
    return vm_state(g->vm) == VM_STATE_PAUSED ? 0 : -EINVAL;
}

/* A hart with a stop to report, preferring `first`; -1 if none. */
static int pending_stop(struct gdbstub *g, int first)
{
    unsigned n = gdb_nharts(g);
    if (first >= 0 && (unsigned)first < n && gdb_hart(g, (unsigned)first)->debug_stop) return first;
    for (unsigned k = 0; k < n; k++)
        if (gdb_hart(g, k)->debug_stop) return (int)k;
    return -1;
}

/* The VM is stopped: report why (signal for Ctrl-C when no hart stopped). */
static void report_stop(struct gdbstub *g, int hart, int signal)
{
    g->running = false;
    for (unsigned k = 0; k < gdb_nharts(g); k++)
        gdb_hart(g, k)->debug_step = 0; /* a step cut short by another stop */
    if (hart < 0) hart = g->c_hart >= 0 ? g->c_hart : 0;
    g->g_hart = hart; /* gdb reads the registers of the thread that stopped */
    gdb_stop_reply(g, (unsigned)hart, signal);
    gdb_hart(g, (unsigned)hart)->debug_stop = HART_STOP_NONE;
    send_packet(g, g->reply, g->reply_len);
}

static void resume_vm(struct gdbstub *g)
{
    /* A hart that stopped while another was being reported goes first. */
    int pend = pending_stop(g, -1);
    if (pend >= 0) {
        report_stop(g, pend, 0);
        return;
    }
    if (g->step_hart >= 0 && (unsigned)g->step_hart < gdb_nharts(g))
        gdb_hart(g, (unsigned)g->step_hart)->debug_step = 1;
    g->running = true;
    vm_resume(g->vm);
}

/* Clears every breakpoint, watchpoint, step and unreported stop; the VM
 * is stopped (the table changes only while every hart is parked). */
static void clear_debug(struct gdbstub *g)
{
    hart_debug_clear(&g->dbg);
    for (unsigned k = 0; k < gdb_nharts(g); k++) {
        gdb_hart(g, k)->debug_step = 0;
        gdb_hart(g, k)->debug_stop = HART_STOP_NONE;
    }
}

/* The debugger is gone or detached: nothing of its stays behind (a
 * breakpoint left in a running VM would stop it with nobody to tell). */
static void drop_client(struct gdbstub *g, bool resume)
{
    if (g->client_fd < 0) return;
    close(g->client_fd);
    g->client_fd = -1;
    g->running = false;
    if (stop_vm(g)) return; /* the VM has ended */
    clear_debug(g);
    if (resume) vm_resume(g->vm);
}

static void on_connect(struct gdbstub *g)
{
    int fd = accept4(g->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) return;
    if (g->client_fd >= 0) { /* one debugger at a time */
        close(fd);
        return;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)); /* fails on unix: fine */
    g->client_fd = fd;
    gdb_rx_init(&g->rx);
    g->noack = false;
    g->running = false;
    g->g_hart = g->c_hart = 0;
    g->frame_len = 0;
    /* As QEMU: a debugger that attaches finds the VM stopped. */
    if (stop_vm(g)) drop_client(g, false);
}

/* The VM was resumed for gdb and a hart reported a stop. */
static void on_wake(struct gdbstub *g)
{
    uint64_t v;
    if (read(g->wake_fd, &v, sizeof(v)) < 0) return;
    if (!g->running || g->client_fd < 0) {
        /* A stop nobody waits for (the debugger left, or the VM was
         * resumed by the API meanwhile): the vCPUs were asked to park;
         * let them run on. */
        if (vm_state(g->vm) == VM_STATE_PAUSED) return; /* held: reported on resume */
        if (!stop_vm(g)) {
            for (unsigned k = 0; k < gdb_nharts(g); k++)
                gdb_hart(g, k)->debug_stop = HART_STOP_NONE;
            vm_resume(g->vm);
        }
        return;
    }
    if (stop_vm(g)) return;
    int hart = pending_stop(g, g->step_hart);
    if (hart < 0) { /* nothing to report after all: run on */
        resume_vm(g);
        return;
    }
    report_stop(g, hart, 0);
}

static void on_packet(struct gdbstub *g)
{
    if (!g->noack && !send_all(g, "+", 1)) return;
    g->reply_len = 0;
    g->step_hart = -1;
    enum gdb_action a = gdb_handle_packet(g, g->rx.buf, g->rx.len);
    switch (a) {
    case GDB_REPLY: send_packet(g, g->reply, g->reply_len); break;
    case GDB_RESUME: resume_vm(g); break;
    case GDB_DETACH:
        send_packet(g, g->reply, g->reply_len);
        drop_client(g, true);
        break;
    case GDB_KILL:
        /* The stop releases the parked vCPUs, which end; the resume lets
         * the I/O thread finish too. */
        vm_request_stop(g->vm, VM_STOP_QUIT, 0);
        drop_client(g, true);
        break;
    }
}

static void on_input(struct gdbstub *g)
{
    uint8_t buf[4096];
    ssize_t n = recv(g->client_fd, buf, sizeof(buf), 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) {
        drop_client(g, true);
        return;
    }
    for (ssize_t k = 0; k < n && g->client_fd >= 0; k++) {
        switch (gdb_rx_byte(&g->rx, buf[k])) {
        case GDB_RX_PACKET: on_packet(g); break;
        case GDB_RX_BAD:
        case GDB_RX_TOO_LONG:
            if (!g->noack) send_all(g, "-", 1);
            break;
        case GDB_RX_NACK:
            if (g->frame_len) send_all(g, g->frame, g->frame_len);
            break;
        case GDB_RX_INTERRUPT:
            if (g->running && !stop_vm(g)) report_stop(g, pending_stop(g, -1), 2);
            break;
        default: break;
        }
    }
}

static void *gdb_thread(void *arg)
{
    struct gdbstub *g = arg;
    while (!__atomic_load_n(&g->quit, __ATOMIC_ACQUIRE)) {
        struct pollfd p[3] = {{.fd = g->listen_fd, .events = POLLIN},
                              {.fd = g->wake_fd, .events = POLLIN},
                              {.fd = g->client_fd, .events = POLLIN}};
        if (poll(p, g->client_fd >= 0 ? 3 : 2, -1) < 0) continue;
        if (__atomic_load_n(&g->quit, __ATOMIC_ACQUIRE)) break;
        if (p[1].revents) on_wake(g);
        if (g->client_fd >= 0 && p[2].revents) on_input(g);
        if (p[0].revents) on_connect(g);
    }
    return NULL;
}

int gdbstub_create(struct gdbstub **out, struct vm *vm, const char *spec, char *err, size_t errlen)
{
    struct gdbstub *g = calloc(1, sizeof(*g));
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    g->vm = vm;
    g->listen_fd = g->client_fd = -1;
    g->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    int rc = g->wake_fd < 0 ? -errno : gdb_build_xml(g);
    if (rc) {
        snprintf(err, errlen, "--gdb: %s", strerror(-rc));
        gdbstub_destroy(g, 0);
        return rc;
    }
    rc = listen_on(g, spec, err, errlen);
    if (rc) {
        gdbstub_destroy(g, 0);
        return rc;
    }
    vm->gdb = g;
    if (vm->board) gdbstub_board_built(g, vm->board);
    if (pthread_create(&g->thread, NULL, gdb_thread, g)) {
        snprintf(err, errlen, "--gdb: cannot start its thread");
        vm->gdb = NULL;
        gdbstub_destroy(g, 0);
        return -EAGAIN;
    }
    g->thread_started = true;
    *out = g;
    return 0;
}

void gdbstub_destroy(struct gdbstub *g, int status)
{
    if (!g) return;
    if (g->thread_started) {
        __atomic_store_n(&g->quit, 1, __ATOMIC_RELEASE);
        uint64_t one = 1;
        if (write(g->wake_fd, &one, sizeof(one)) < 0) {
        }
        pthread_join(g->thread, NULL);
    }
    if (g->client_fd >= 0) {
        /* As gdb expects of a process that ended: W and its exit status. */
        char w[8];
        int n = snprintf(w, sizeof(w), "W%02x", status & 0xff);
        send_packet(g, w, (size_t)n);
        close(g->client_fd);
    }
    if (g->listen_fd >= 0) close(g->listen_fd);
    if (g->unix_path[0]) unlink(g->unix_path);
    if (g->wake_fd >= 0) close(g->wake_fd);
    if (g->vm && g->vm->gdb == g) {
        g->vm->gdb = NULL;
        for (unsigned k = 0; g->vm->board && k < g->vm->board->nharts; k++)
            g->vm->board->harts[k].debug = NULL;
    }
    free(g->xml);
    free(g);
}
