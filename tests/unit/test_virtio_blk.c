/* Unit tests for virtio-blk behind the virtio-mmio transport, with a fake
 * ring in guest RAM and a raw image in a temporary file: config space and
 * features, good requests (read, write, flush, get-id, discard, write
 * zeroes) and hostile ones (no writable status byte, sectors past the end,
 * short header, sizes that are not whole sectors or far too big, unknown
 * types, writes to a read-only drive). Requests are served by calling
 * virtio_blk_drain() as the I/O thread would, and once through a running
 * I/O thread. */
#include "machine/virtio/virtio_blk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ut.h"
#include "virtio_regs.h"

UT_MAIN_STATE

#define BASE    0x80000000ULL
#define SIZE    (1ULL << 20)
#define DESC    (BASE + 0x1000)
#define AVAIL   (BASE + 0x2000)
#define USED    (BASE + 0x3000)
#define HDR     (BASE + 0x8000)
#define STATUS  (BASE + 0x9000)
#define DATA    (BASE + 0x10000)
#define NUM     8
#define SECTORS 2048 /* 1 MiB disk */

struct rig {
    struct guest_ram ram;
    struct ioloop *loop;
    struct blockdev *bd;
    struct virtio_blk *blk;
    struct virtio_mmio *t;
    char path[64];
    uint16_t avail_idx;
    int level;
};

static void fake_set(void *opaque, unsigned n, int level)
{
    struct rig *r = opaque;
    r->level = level;
}

static void *at(struct rig *r, gpa_t pa)
{
    return r->ram.host + (pa - BASE);
}

static uint32_t rd(struct rig *r, uint64_t off)
{
    return vt_read(r->t, off);
}

/* Not served until the test drains the queue. */
static void wr(struct rig *r, uint64_t off, uint32_t v)
{
    vt_write(r->t, NULL, off, v);
}

/* The disk starts as bytes (offset * 7) & 0xff, so reads are recognisable. */
static uint8_t disk_byte(uint64_t off)
{
    return (uint8_t)(off * 7);
}

static void rig_init(struct rig *r, bool readonly)
{
    memset(r, 0, sizeof(*r));
    UT_EQ(ram_create(&r->ram, BASE, SIZE), 0);
    UT_EQ(ioloop_create(&r->loop), 0);
    strcpy(r->path, "/tmp/rvmm-blk-XXXXXX");
    int fd = mkstemp(r->path);
    UT_CHECK(fd >= 0);
    static uint8_t img[SECTORS * 512];
    for (size_t k = 0; k < sizeof(img); k++)
        img[k] = disk_byte(k);
    UT_EQ(write(fd, img, sizeof(img)), (ssize_t)sizeof(img));
    close(fd);
    char err[256];
    UT_EQ(blockdev_open(&r->bd, r->path, BLOCKDEV_RAW, readonly, err, sizeof(err)), 0);
    UT_EQ(virtio_blk_create(&r->blk, r->bd, readonly, "drive0", r->loop), 0);
    struct irq_line l = {.set = fake_set, .opaque = r, .n = 1};
    UT_EQ(virtio_mmio_create(&r->t, &r->ram, &l, virtio_blk_ops(r->blk), r->blk), 0);
    virtio_blk_attach(r->blk, r->t);
}

static void rig_fini(struct rig *r)
{
    virtio_blk_destroy(r->blk);
    virtio_mmio_destroy(r->t);
    blockdev_close(r->bd);
    ioloop_destroy(r->loop);
    unlink(r->path);
    ram_destroy(&r->ram);
}

/* Linux's probe: accepts every feature offered, one queue of NUM entries. */
static void bring_up(struct rig *r)
{
    vt_accept_features(r->t, NULL);
    vt_queue_setup(r->t, NULL, 0, NUM, DESC, AVAIL, USED);
    wr(r, 0x70, 0xf);
    UT_EQ(rd(r, 0x70), 0xf);
}

/* Puts the chain bufs[0..n) in descriptors 0..n-1 and makes it available. */
static void post(struct rig *r, const struct vt_buf *bufs, unsigned n)
{
    vt_chain(at(r, DESC), at(r, AVAIL), &r->avail_idx, NUM, bufs, n);
    wr(r, 0x50, 0);
}

static void header(struct rig *r, uint32_t type, uint64_t sector)
{
    uint8_t *h = at(r, HDR);
    memset(h, 0, 16);
    memcpy(h, &type, 4);
    memcpy(h + 8, &sector, 8);
}

/* The used ring's entry for the last request: its length, or -1 if the
 * request was not completed. */
static int64_t used_len(struct rig *r)
{
    uint16_t idx = *(uint16_t *)at(r, USED + 2);
    if (idx != r->avail_idx) return -1;
    uint32_t len;
    memcpy(&len, (uint8_t *)at(r, USED + 4 + 8 * ((idx - 1) % NUM)) + 4, 4);
    return len;
}

static uint8_t status(struct rig *r)
{
    return *(uint8_t *)at(r, STATUS);
}

/* A request: header, optional data (readable for OUT-like, writable for
 * IN-like), status byte. Served at once; returns the used length. */
static int64_t request(struct rig *r, uint32_t type, uint64_t sector, uint32_t len, bool data_in)
{
    header(r, type, sector);
    *(uint8_t *)at(r, STATUS) = 0xee;
    struct vt_buf b[3] = {{HDR, 16, false}, {DATA, len, data_in}, {STATUS, 1, true}};
    if (len)
        post(r, b, 3);
    else
        post(r, (struct vt_buf[]){b[0], b[2]}, 2);
    virtio_blk_drain(r->blk);
    return used_len(r);
}

static uint64_t cfg_read(struct rig *r, uint64_t off, unsigned size)
{
    uint64_t v = 0;
    UT_EQ(virtio_mmio_ops.read(r->t, 0x100 + off, size, &v), 0);
    return v;
}

static void file_read(struct rig *r, uint64_t off, void *buf, size_t len)
{
    FILE *f = fopen(r->path, "rb");
    UT_CHECK(f != NULL);
    if (!f) return;
    fseek(f, (long)off, SEEK_SET);
    UT_EQ(fread(buf, 1, len, f), len);
    fclose(f);
}

static void test_config(void)
{
    struct rig r;
    rig_init(&r, false);
    UT_EQ(rd(&r, 0x008), VIRTIO_ID_BLOCK);
    wr(&r, 0x14, 0);
    uint32_t f = rd(&r, 0x10);
    UT_EQ(f & (1u << VIRTIO_BLK_F_SEG_MAX | 1u << VIRTIO_BLK_F_BLK_SIZE | 1u << VIRTIO_BLK_F_FLUSH |
               1u << VIRTIO_BLK_F_DISCARD | 1u << VIRTIO_BLK_F_WRITE_ZEROES),
          1u << VIRTIO_BLK_F_SEG_MAX | 1u << VIRTIO_BLK_F_BLK_SIZE | 1u << VIRTIO_BLK_F_FLUSH |
              1u << VIRTIO_BLK_F_DISCARD | 1u << VIRTIO_BLK_F_WRITE_ZEROES);
    UT_EQ(f & (1u << VIRTIO_BLK_F_RO), 0);
    UT_EQ(cfg_read(&r, 0, 4), SECTORS);
    UT_EQ(cfg_read(&r, 4, 4), 0);
    UT_EQ(cfg_read(&r, 12, 4), VIRTIO_BLK_SEG_MAX);
    UT_EQ(cfg_read(&r, 20, 4), 512);
    UT_EQ(cfg_read(&r, 40, 4), VIRTIO_BLK_MAX_RANGES);
    UT_EQ(cfg_read(&r, 56, 1), 1);
    rig_fini(&r);

    rig_init(&r, true);
    wr(&r, 0x14, 0);
    f = rd(&r, 0x10);
    UT_EQ(f & (1u << VIRTIO_BLK_F_RO), 1u << VIRTIO_BLK_F_RO);
    UT_EQ(f & (1u << VIRTIO_BLK_F_DISCARD | 1u << VIRTIO_BLK_F_WRITE_ZEROES), 0);
    rig_fini(&r);
}

static void test_read(void)
{
    struct rig r;
    rig_init(&r, false);
    bring_up(&r);
    UT_EQ(request(&r, VIRTIO_BLK_T_IN, 3, 1024, true), 1025);
    UT_EQ(status(&r), VIRTIO_BLK_S_OK);
    const uint8_t *d = at(&r, DATA);
    bool same = true;
    for (unsigned k = 0; k < 1024; k++)
        same &= d[k] == disk_byte(3 * 512 + k);
    UT_CHECK(same);
    UT_EQ(r.level, 1);
    /* the last sector is inside */
    UT_EQ(request(&r, VIRTIO_BLK_T_IN, SECTORS - 1, 512, true), 513);
    UT_EQ(status(&r), VIRTIO_BLK_S_OK);
    rig_fini(&r);
}

static void test_write_flush(void)
{
    struct rig r;
    rig_init(&r, false);
    bring_up(&r);
    memset(at(&r, DATA), 0x5a, 4096);
    UT_EQ(request(&r, VIRTIO_BLK_T_OUT, 100, 4096, false), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_OK);
    UT_EQ(request(&r, VIRTIO_BLK_T_FLUSH, 0, 0, false), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_OK);
    uint8_t buf[4096 + 1];
    file_read(&r, 100 * 512, buf, sizeof(buf));
    uint8_t want[4096];
    memset(want, 0x5a, sizeof(want));
    UT_CHECK(memcmp(buf, want, 4096) == 0);
    UT_EQ(buf[4096], disk_byte(100 * 512 + 4096)); /* the next sector untouched */
    UT_EQ(virtio_blk_stats(r.blk)->flushes, 1);
    rig_fini(&r);
}

static void test_get_id(void)
{
    struct rig r;
    rig_init(&r, false);
    bring_up(&r);
    memset(at(&r, DATA), 0xff, 32);
    UT_EQ(request(&r, VIRTIO_BLK_T_GET_ID, 0, VIRTIO_BLK_ID_BYTES, true), VIRTIO_BLK_ID_BYTES + 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_OK);
    uint8_t want[VIRTIO_BLK_ID_BYTES] = "drive0";
    UT_CHECK(memcmp(at(&r, DATA), want, sizeof(want)) == 0);
    rig_fini(&r);
}

/* One discard / write-zeroes range at DATA. */
static void range(struct rig *r, unsigned k, uint64_t sector, uint32_t n, uint32_t flags)
{
    uint8_t *p = (uint8_t *)at(r, DATA) + 16 * k;
    memcpy(p, &sector, 8);
    memcpy(p + 8, &n, 4);
    memcpy(p + 12, &flags, 4);
}

static void test_discard_write_zeroes(void)
{
    struct rig r;
    rig_init(&r, false);
    bring_up(&r);
    range(&r, 0, 8, 8, 0);
    range(&r, 1, 40, 1, 1); /* unmap */
    UT_EQ(request(&r, VIRTIO_BLK_T_WRITE_ZEROES, 0, 32, false), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_OK);
    uint8_t buf[4096], zero[4096] = {0};
    file_read(&r, 8 * 512, buf, 4096);
    UT_CHECK(memcmp(buf, zero, 4096) == 0);
    file_read(&r, 40 * 512, buf, 512);
    UT_CHECK(memcmp(buf, zero, 512) == 0);
    file_read(&r, 41 * 512, buf, 1);
    UT_EQ(buf[0], disk_byte(41 * 512));
    range(&r, 0, 64, 8, 0);
    UT_EQ(request(&r, VIRTIO_BLK_T_DISCARD, 0, 16, false), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_OK);
    /* discard takes no unmap flag (5.2.6.2) */
    range(&r, 0, 64, 8, 1);
    UT_EQ(request(&r, VIRTIO_BLK_T_DISCARD, 0, 16, false), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_UNSUPP);
    rig_fini(&r);
}

static void test_hostile_requests(void)
{
    struct rig r;
    rig_init(&r, false);
    bring_up(&r);
    /* past the end, by one sector and by overflowing sector * 512 */
    UT_EQ(request(&r, VIRTIO_BLK_T_IN, SECTORS - 1, 1024, true), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_IOERR);
    UT_EQ(request(&r, VIRTIO_BLK_T_OUT, 1ULL << 55, 512, false), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_IOERR);
    UT_EQ(request(&r, VIRTIO_BLK_T_IN, UINT64_MAX, 512, true), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_IOERR);
    /* not whole sectors */
    UT_EQ(request(&r, VIRTIO_BLK_T_IN, 0, 100, true), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_IOERR);
    UT_EQ(request(&r, VIRTIO_BLK_T_OUT, 0, 513, false), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_IOERR);
    /* unknown type */
    UT_EQ(request(&r, 99, 0, 0, false), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_UNSUPP);
    /* short header: 8 readable bytes */
    *(uint8_t *)at(&r, STATUS) = 0xee;
    post(&r, (struct vt_buf[]){{HDR, 8, false}, {STATUS, 1, true}}, 2);
    virtio_blk_drain(r.blk);
    UT_EQ(used_len(&r), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_IOERR);
    /* discard: a range past the end, a huge range, too many ranges, flags */
    range(&r, 0, SECTORS - 4, 8, 0);
    UT_EQ(request(&r, VIRTIO_BLK_T_DISCARD, 0, 16, false), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_IOERR);
    range(&r, 0, 0, 0xffffffff, 0);
    UT_EQ(request(&r, VIRTIO_BLK_T_WRITE_ZEROES, 0, 16, false), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_IOERR);
    for (unsigned k = 0; k <= VIRTIO_BLK_MAX_RANGES; k++)
        range(&r, k, k, 1, 0);
    UT_EQ(request(&r, VIRTIO_BLK_T_WRITE_ZEROES, 0, 16 * (VIRTIO_BLK_MAX_RANGES + 1), false), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_IOERR);
    range(&r, 0, 0, 1, 2);
    UT_EQ(request(&r, VIRTIO_BLK_T_WRITE_ZEROES, 0, 16, false), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_UNSUPP);
    UT_EQ(request(&r, VIRTIO_BLK_T_DISCARD, 0, 12, false), 1); /* not whole ranges */
    UT_EQ(status(&r), VIRTIO_BLK_S_IOERR);
    /* none of that wrote anything */
    uint8_t buf[16];
    file_read(&r, 0, buf, sizeof(buf));
    UT_EQ(buf[1], disk_byte(1));
    UT_EQ(virtio_blk_stats(r.blk)->written_bytes, 0);
    UT_EQ(rd(&r, 0x70) & VIRTIO_STATUS_DEVICE_NEEDS_RESET, 0);

    /* the status byte is not writable: the chain cannot be completed */
    header(&r, VIRTIO_BLK_T_IN, 0);
    post(&r, (struct vt_buf[]){{HDR, 16, false}, {DATA, 512, false}, {STATUS, 1, false}}, 3);
    virtio_blk_drain(r.blk);
    UT_EQ(used_len(&r), -1);
    UT_EQ(rd(&r, 0x70) & VIRTIO_STATUS_DEVICE_NEEDS_RESET, VIRTIO_STATUS_DEVICE_NEEDS_RESET);
    UT_EQ(rd(&r, 0x60) & 2, 2); /* configuration change interrupt */
    rig_fini(&r);

    /* a huge buffer (past RAM) breaks the ring */
    rig_init(&r, false);
    bring_up(&r);
    header(&r, VIRTIO_BLK_T_IN, 0);
    post(&r, (struct vt_buf[]){{HDR, 16, false}, {DATA, 0xfffffff0u, true}, {STATUS, 1, true}}, 3);
    virtio_blk_drain(r.blk);
    UT_EQ(used_len(&r), -1);
    UT_EQ(rd(&r, 0x70) & VIRTIO_STATUS_DEVICE_NEEDS_RESET, VIRTIO_STATUS_DEVICE_NEEDS_RESET);
    /* and a reset brings the device back */
    r.avail_idx = 0;
    bring_up(&r);
    UT_EQ(request(&r, VIRTIO_BLK_T_IN, 0, 512, true), 513);
    UT_EQ(status(&r), VIRTIO_BLK_S_OK);
    rig_fini(&r);
}

static void test_readonly(void)
{
    struct rig r;
    rig_init(&r, true);
    bring_up(&r);
    memset(at(&r, DATA), 0x11, 512);
    UT_EQ(request(&r, VIRTIO_BLK_T_OUT, 0, 512, false), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_IOERR);
    range(&r, 0, 0, 8, 0);
    UT_EQ(request(&r, VIRTIO_BLK_T_WRITE_ZEROES, 0, 16, false), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_IOERR);
    UT_EQ(request(&r, VIRTIO_BLK_T_IN, 0, 512, true), 513);
    UT_EQ(status(&r), VIRTIO_BLK_S_OK);
    UT_EQ(((uint8_t *)at(&r, DATA))[5], disk_byte(5));
    rig_fini(&r);
}

/* PATCH /drives: a new medium of another size behind the same device. The
 * driver sees the new capacity, a bumped ConfigGeneration and a config
 * change interrupt, and reads the new bytes; a read-only image cannot
 * replace a writable drive (the driver negotiated discard and writes). */
static void test_set_backend(void)
{
    struct rig r;
    rig_init(&r, false);
    bring_up(&r);
    char path[64] = "/tmp/rvmm-blk2-XXXXXX", err[256];
    int fd = mkstemp(path);
    UT_CHECK(fd >= 0);
    static uint8_t img[2 * SECTORS * 512];
    memset(img, 0x5a, sizeof(img));
    UT_EQ(write(fd, img, sizeof(img)), (ssize_t)sizeof(img));
    close(fd);
    struct blockdev *ro, *rw;
    UT_EQ(blockdev_open(&ro, path, BLOCKDEV_RAW, true, err, sizeof(err)), 0);
    UT_EQ(virtio_blk_set_backend(r.blk, ro), -EINVAL);
    UT_EQ(cfg_read(&r, 0, 4), SECTORS); /* unchanged */
    blockdev_close(ro);
    uint32_t gen = rd(&r, 0xfc);
    wr(&r, 0x64, rd(&r, 0x60)); /* ack what is pending */
    UT_EQ(blockdev_open(&rw, path, BLOCKDEV_RAW, false, err, sizeof(err)), 0);
    UT_EQ(virtio_blk_set_backend(r.blk, rw), 0);
    UT_EQ(cfg_read(&r, 0, 4), 2 * SECTORS);
    UT_CHECK(rd(&r, 0xfc) != gen);
    UT_EQ(rd(&r, 0x60) & 2, 2); /* VIRTIO_MMIO_INT_CONFIG */
    UT_EQ(r.level, 1);
    UT_EQ(request(&r, VIRTIO_BLK_T_IN, 2 * SECTORS - 1, 512, true), 513);
    UT_EQ(status(&r), VIRTIO_BLK_S_OK);
    UT_EQ(((uint8_t *)at(&r, DATA))[7], 0x5a);
    UT_EQ(request(&r, VIRTIO_BLK_T_IN, 2 * SECTORS, 512, true), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_IOERR); /* past the new end */
    blockdev_close(r.bd);
    r.bd = rw; /* rig_fini closes the device's current backend */
    unlink(path);
    rig_fini(&r);
}

/* The real path: notify posts an event, the I/O thread serves it. */
static void test_io_thread(void)
{
    struct rig r;
    rig_init(&r, false);
    bring_up(&r);
    UT_EQ(ioloop_start(r.loop), 0);
    memset(at(&r, DATA), 0x77, 512);
    header(&r, VIRTIO_BLK_T_OUT, 7);
    post(&r, (struct vt_buf[]){{HDR, 16, false}, {DATA, 512, false}, {STATUS, 1, true}}, 3);
    for (int k = 0; k < 5000 && used_len(&r) < 0; k++)
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    UT_EQ(used_len(&r), 1);
    UT_EQ(status(&r), VIRTIO_BLK_S_OK);
    uint8_t b;
    file_read(&r, 7 * 512 + 100, &b, 1);
    UT_EQ(b, 0x77);
    rig_fini(&r);
}

/* A disk whose reads wait until the test releases them. */
struct slowdisk {
    struct blockdev bd;
    int entered, release;
};

static int slow_read(struct blockdev *bd, uint64_t off, void *buf, size_t len)
{
    struct slowdisk *d = (struct slowdisk *)bd;
    __atomic_store_n(&d->entered, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&d->release, __ATOMIC_ACQUIRE))
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    memset(buf, 0xab, len);
    return 0;
}

static void noop(void *opaque) {}

/* The driver resets the device while a request is at the backend: the
 * transport stays usable meanwhile (its mutex is not held over I/O), and the
 * late completion is dropped instead of landing in the new rings. */
static void test_reset_during_request(void)
{
    static const struct blockdev_ops slow_ops = {.name = "slow", .read = slow_read};
    struct slowdisk disk = {.bd = {.ops = &slow_ops, .size = SECTORS * 512}};
    struct rig r;
    memset(&r, 0, sizeof(r));
    UT_EQ(ram_create(&r.ram, BASE, SIZE), 0);
    UT_EQ(ioloop_create(&r.loop), 0);
    UT_EQ(virtio_blk_create(&r.blk, &disk.bd, false, NULL, r.loop), 0);
    struct irq_line l = {.set = fake_set, .opaque = &r, .n = 1};
    UT_EQ(virtio_mmio_create(&r.t, &r.ram, &l, virtio_blk_ops(r.blk), r.blk), 0);
    virtio_blk_attach(r.blk, r.t);
    UT_EQ(ioloop_start(r.loop), 0);
    bring_up(&r);
    header(&r, VIRTIO_BLK_T_IN, 0);
    post(&r, (struct vt_buf[]){{HDR, 16, false}, {DATA, 512, true}, {STATUS, 1, true}}, 3);
    for (int k = 0; k < 5000 && !__atomic_load_n(&disk.entered, __ATOMIC_ACQUIRE); k++)
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    UT_EQ(disk.entered, 1);
    /* the driver resets and sets the queue up again while the read waits */
    wr(&r, 0x70, 0);
    UT_EQ(rd(&r, 0x70), 0);
    memset(at(&r, AVAIL), 0, 0x1000);
    memset(at(&r, USED), 0, 0x1000);
    r.avail_idx = 0;
    bring_up(&r);
    __atomic_store_n(&disk.release, 1, __ATOMIC_RELEASE);
    ioloop_run_sync(r.loop, noop, NULL); /* the read's callback has ended */
    UT_EQ(*(uint16_t *)at(&r, USED + 2), 0);
    UT_EQ(rd(&r, 0x70), 0xf);
    /* the new rings work */
    header(&r, VIRTIO_BLK_T_IN, 0);
    post(&r, (struct vt_buf[]){{HDR, 16, false}, {DATA, 512, true}, {STATUS, 1, true}}, 3);
    for (int k = 0; k < 5000 && used_len(&r) < 0; k++)
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    UT_EQ(used_len(&r), 513);
    UT_EQ(((uint8_t *)at(&r, DATA))[0], 0xab);
    virtio_blk_destroy(r.blk);
    virtio_mmio_destroy(r.t);
    ioloop_destroy(r.loop);
    ram_destroy(&r.ram);
}

int main(void)
{
    ut_run("virtio_blk_config", test_config);
    ut_run("virtio_blk_read", test_read);
    ut_run("virtio_blk_write_flush", test_write_flush);
    ut_run("virtio_blk_get_id", test_get_id);
    ut_run("virtio_blk_discard_write_zeroes", test_discard_write_zeroes);
    ut_run("virtio_blk_hostile_requests", test_hostile_requests);
    ut_run("virtio_blk_readonly", test_readonly);
    ut_run("virtio_blk_set_backend", test_set_backend);
    ut_run("virtio_blk_io_thread", test_io_thread);
    ut_run("virtio_blk_reset_during_request", test_reset_during_request);
    return ut_exit();
}
