/* Unit tests for the qcow2 backend (src/backend/block/qcow2*.c) through
 * blockdev_open: images made by qemu-img in a temporary directory, and a
 * model of the disk in memory that every operation is also applied to.
 * Patterns at cluster boundaries, partial clusters, runs across L2
 * tables, discard and write-zeroes, copy-on-write from a backing file,
 * reopening, and qemu-img check finding the result clean. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/block/blockdev.h"
#include "ut.h"

UT_MAIN_STATE

static char dir[64];
static char path[128];

static int sh(const char *fmt, const char *arg)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "cd %s && ", dir);
    size_t n = strlen(cmd);
    snprintf(cmd + n, sizeof(cmd) - n, fmt, arg);
    return system(cmd);
}

static struct blockdev *open_image(const char *name, bool ro)
{
    struct blockdev *bd = NULL;
    char err[256] = "";
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    int rc = blockdev_open(&bd, path, BLOCKDEV_AUTO, ro, err, sizeof(err));
    if (rc) fprintf(stderr, "  open %s: %s\n", path, err);
    UT_EQ(rc, 0);
    return rc ? NULL : bd;
}

/* The model: what the disk must read as. */
struct model {
    uint8_t *bytes;
    uint64_t size, cluster;
};

static bool same(struct blockdev *bd, const struct model *m)
{
    uint8_t *buf = malloc(m->size);
    bool ok = buf && blockdev_read(bd, 0, buf, m->size) == 0 && !memcmp(buf, m->bytes, m->size);
    if (buf && !ok) {
        for (uint64_t i = 0; i < m->size; i++)
            if (buf[i] != m->bytes[i]) {
                fprintf(stderr, "  first difference at 0x%llx: 0x%02x, want 0x%02x\n",
                        (unsigned long long)i, buf[i], m->bytes[i]);
                break;
            }
    }
    free(buf);
    return ok;
}

static void model_write(struct blockdev *bd, struct model *m, uint64_t off, uint64_t len, uint8_t v)
{
    uint8_t *buf = malloc(len);
    memset(buf, v, len);
    UT_EQ(blockdev_write(bd, off, buf, len), 0);
    memset(m->bytes + off, v, len);
    free(buf);
}

static void model_zero(struct blockdev *bd, struct model *m, uint64_t off, uint64_t len, bool unmap)
{
    UT_EQ(blockdev_write_zeroes(bd, off, len, unmap), 0);
    memset(m->bytes + off, 0, len);
}

/* Discard only promises that whole clusters may read as zeroes; this
 * backend makes them zeroes without a backing file, and leaves partial
 * clusters alone. */
static void model_discard(struct blockdev *bd, struct model *m, uint64_t off, uint64_t len)
{
    UT_EQ(blockdev_discard(bd, off, len), 0);
    uint64_t first = (off + m->cluster - 1) / m->cluster * m->cluster;
    uint64_t end = (off + len) / m->cluster * m->cluster;
    if (off + len == m->size) end = m->size;
    if (end > first) memset(m->bytes + first, 0, end - first);
}

static bool check_clean(const char *name)
{
    return sh("qemu-img check -q %s >/dev/null 2>&1", name) == 0;
}

/* Random operations of every kind against the model, then a reopen. */
static void random_ops_size(const char *opts, unsigned seed, uint64_t size)
{
    struct model m = {.size = size};
    m.bytes = calloc(1, m.size);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "qemu-img create -q -f qcow2 -o %s r.qcow2 %llu", opts,
             (unsigned long long)size);
    UT_EQ(sh("%s", cmd), 0);
    struct blockdev *bd = open_image("r.qcow2", false);
    if (!bd) return;
    m.cluster = strstr(opts, "cluster_size=512")    ? 512
                : strstr(opts, "cluster_size=4096") ? 4096
                                                    : 65536;
    srand(seed);
    for (int i = 0; i < 300; i++) {
        /* Offsets near cluster boundaries more often than not. */
        uint64_t off = (uint64_t)rand() % m.size;
        if (rand() % 2) off = off / m.cluster * m.cluster + (uint64_t)(rand() % 3) - 1;
        if (off >= m.size) off = m.size - 1;
        uint64_t len = 1 + (uint64_t)rand() % (rand() % 4 ? 3 * m.cluster : 200000);
        if (len > m.size - off) len = m.size - off;
        switch (rand() % 8) {
        case 0: model_zero(bd, &m, off, len, true); break;
        case 1: model_zero(bd, &m, off, len, false); break;
        case 2: model_discard(bd, &m, off, len); break;
        default: model_write(bd, &m, off, len, (uint8_t)(1 + rand() % 255)); break;
        }
        if (i % 50 == 0) UT_CHECK(same(bd, &m));
    }
    UT_CHECK(same(bd, &m));
    UT_EQ(blockdev_flush(bd), 0);
    blockdev_close(bd);
    UT_CHECK(check_clean("r.qcow2"));
    bd = open_image("r.qcow2", true);
    if (bd) UT_CHECK(same(bd, &m));
    blockdev_close(bd);
    free(m.bytes);
}

static void random_ops(const char *opts, unsigned seed)
{
    random_ops_size(opts, seed, 8 << 20);
}

static void test_random_64k(void)
{
    random_ops("cluster_size=65536", 1);
}
static void test_random_512(void)
{
    random_ops("cluster_size=512", 2);
}
static void test_random_v2(void)
{
    random_ops("compat=0.10,cluster_size=4096", 3);
}
/* The last cluster is partly past the end of the disk. */
static void test_random_odd_size(void)
{
    random_ops_size("cluster_size=65536", 5, (8 << 20) - 3 * 512);
}
static void test_random_refcount1(void)
{
    random_ops("refcount_bits=1,cluster_size=4096", 4);
}

/* Writes at exact boundaries: last byte of a cluster, first of the next,
 * a run spanning two L2 tables (512-byte clusters: 32 KiB per table). */
static void test_boundaries(void)
{
    UT_EQ(sh("qemu-img create -q -f qcow2 -o cluster_size=512 %s 1M", "b.qcow2"), 0);
    struct blockdev *bd = open_image("b.qcow2", false);
    if (!bd) return;
    struct model m = {.size = 1 << 20, .cluster = 512};
    m.bytes = calloc(1, m.size);
    model_write(bd, &m, 511, 1, 0xa1);
    model_write(bd, &m, 512, 1, 0xa2);
    model_write(bd, &m, 32768 - 700, 1400, 0xa3);     /* across two L2 tables */
    model_write(bd, &m, 65536 - 512, 512 * 70, 0xa4); /* three tables */
    model_write(bd, &m, m.size - 1, 1, 0xa5);         /* the very last byte */
    UT_CHECK(same(bd, &m));
    uint8_t b;
    UT_EQ(blockdev_read(bd, m.size, &b, 1), -ERANGE);
    UT_EQ(blockdev_write(bd, m.size - 1, "ab", 2), -ERANGE);
    blockdev_close(bd);
    UT_CHECK(check_clean("b.qcow2"));
    free(m.bytes);
}

/* A raw base under an overlay: partial writes copy the rest of the cluster
 * from the base; the base never changes; discard and zeroes hide it. */
static void test_backing_cow(void)
{
    UT_EQ(sh("head -c 2097152 /dev/urandom > %s", "base.raw"), 0);
    UT_EQ(
        sh("qemu-img create -q -f qcow2 -o cluster_size=4096 -b base.raw -F raw %s 3M", "ov.qcow2"),
        0);
    UT_EQ(sh("sha256sum base.raw > %s", "base.sum"), 0);
    struct model m = {.size = 3 << 20, .cluster = 4096};
    m.bytes = calloc(1, m.size);
    FILE *f = fopen(strcat(strcpy(path, dir), "/base.raw"), "rb");
    UT_EQ(fread(m.bytes, 1, 2 << 20, f), 2 << 20);
    fclose(f);
    struct blockdev *bd = open_image("ov.qcow2", false);
    if (!bd) return;
    UT_CHECK(same(bd, &m));
    model_write(bd, &m, 100, 10, 0x11);           /* head and tail from the base */
    model_write(bd, &m, 8191, 2, 0x22);           /* two clusters, a byte each */
    model_write(bd, &m, (2 << 20) - 5, 10, 0x33); /* half base, half past its end */
    model_zero(bd, &m, 40960, 8192, true);        /* zero clusters hide the base */
    model_zero(bd, &m, 50000, 100, false);
    UT_CHECK(same(bd, &m));
    blockdev_close(bd);
    bd = open_image("ov.qcow2", false);
    if (bd) UT_CHECK(same(bd, &m));
    blockdev_close(bd);
    UT_EQ(sh("sha256sum -c --quiet %s", "base.sum"), 0);
    UT_CHECK(check_clean("ov.qcow2"));
    free(m.bytes);
}

/* A second writable open fails while the first holds the image; a
 * read-only open refuses writes. */
static void test_locking_readonly(void)
{
    UT_EQ(sh("qemu-img create -q -f qcow2 %s 1M", "l.qcow2"), 0);
    struct blockdev *a = open_image("l.qcow2", false), *b = NULL;
    char err[256] = "";
    UT_EQ(blockdev_open(&b, path, BLOCKDEV_AUTO, false, err, sizeof(err)), -EBUSY);
    UT_CHECK(strstr(err, "l.qcow2: image is in use by another process") != NULL);
    blockdev_close(a);
    b = open_image("l.qcow2", true);
    if (b) {
        UT_EQ(blockdev_write(b, 0, "x", 1), -EROFS);
        UT_EQ(blockdev_flush(b), 0);
    }
    blockdev_close(b);
}

int main(void)
{
    strcpy(dir, "/tmp/rvmm-qcow2-XXXXXX");
    if (!mkdtemp(dir)) return 1;
    ut_run("qcow2_boundaries", test_boundaries);
    ut_run("qcow2_random_64k", test_random_64k);
    ut_run("qcow2_random_512", test_random_512);
    ut_run("qcow2_random_v2", test_random_v2);
    ut_run("qcow2_random_refcount_bits_1", test_random_refcount1);
    ut_run("qcow2_random_odd_size", test_random_odd_size);
    ut_run("qcow2_backing_cow", test_backing_cow);
    ut_run("qcow2_locking_readonly", test_locking_readonly);
    sh("rm -rf %s", dir);
    return ut_exit();
}
