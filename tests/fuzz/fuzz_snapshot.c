/* libFuzzer target for the snapshot restore parsers a state file feeds:
 * the configuration section (snap_config_load in src/vmm/snapshot_config.c)
 * and the board section (board_restore in src/machine/board_save.c, with
 * every device's restore behind it: harts, PLIC, CLINT, UART, RTC, the
 * virtio-mmio transport and virtio-rng; with bit 1 of the first byte, on a
 * board that also has a virtio-console and a virtio-net over a loopback
 * netdev with kept frames). Bit 0 of the first byte picks the parser.
 * A state file's CRC stops accidental damage, not a crafted file: these
 * must refuse anything malformed without hurting the host, and a restored
 * board must then save again. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/net/netdev.h"
#include "common/ioloop.h"
#include "machine/virtio/virtio_console.h"
#include "vmm/snapshot.h"

#define RAM (16ULL << 20)

static void tx(void *opaque, uint8_t byte) {}

static size_t con_write(void *opaque, const uint8_t *buf, size_t n)
{
    return n;
}

static int lo_send(struct netdev *nd, const uint8_t *frame, size_t len)
{
    return 0;
}

static void lo_close(struct netdev *nd) {}

static const struct netdev_ops lo_ops = {.name = "loop", .send = lo_send, .close = lo_close};

/* Boards are built once: devices (virtio-console and virtio-net) or not. */
static struct board *fixture(bool devices)
{
    static struct board *b[2];
    static struct vclock clock;
    static struct netdev nd = {.ops = &lo_ops};
    static const struct virtio_console_host con = {.write = con_write};
    if (b[devices]) return b[devices];
    char path[] = "/tmp/rvmm-fuzz-snapshot-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || ftruncate(fd, RAM)) abort();
    close(fd);
    struct board_config cfg = {
        .ram_size = RAM, .nharts = 2, .sbi_builtin = true, .rng = true, .ram_file = path};
    struct ioloop *loop; /* not started: the devices' events just queue */
    if (ioloop_create(&loop)) abort();
    struct board_io io = {.console_tx = tx, .loop = loop, .console_host = &con};
    if (devices) {
        nd.loop = loop;
        cfg.virtio_console = true;
        cfg.nets[0] = (struct board_net){.dev = &nd, .mac = {0x52, 0x54, 0, 0x12, 0x34, 0x56}};
        cfg.nnets = 1;
    }
    char err[256];
    if (board_create(&b[devices], &cfg, &io, &clock, err, sizeof(err))) abort();
    unlink(path); /* the mapping keeps it */
    return b[devices];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    /* An exact-size copy, so ASan flags any read past the end. */
    uint8_t *copy = malloc(size - 1 ? size - 1 : 1);
    if (!copy) abort();
    memcpy(copy, data + 1, size - 1);
    struct stream s;
    stream_init_reader(&s, copy, size - 1);
    if (data[0] & 1) {
        struct vm_config cfg;
        char *strings, err[256];
        if (snap_config_load(&s, &cfg, &strings, err, sizeof(err)) == 0) {
            if (cfg.board.nharts < 1 || cfg.board.nharts > BOARD_MAX_HARTS) abort();
            free(strings);
        }
    } else {
        struct board *b = fixture(data[0] & 2);
        if (board_restore(b, &s) == 0) {
            struct stream out;
            stream_init_writer(&out);
            if (board_save(b, &out)) abort();
            stream_free(&out);
        }
    }
    free(copy);
    return 0;
}
