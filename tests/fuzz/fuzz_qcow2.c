/* libFuzzer target for the qcow2 backend's parser and metadata walks
 * (src/backend/block/qcow2*.c): arbitrary bytes as an image file, opened
 * writable, then reads, writes, write-zeroes and discards over it. The
 * backend must never touch memory it does not own (ASan) and must keep its
 * contract: an open either succeeds or leaves the file as it was with a
 * message set; requests return 0 or a negative errno. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/block/blockdev.h"

static char img[64];

static char dir[] = "/tmp/fuzz-qcow2-XXXXXX";

static void cleanup(void)
{
    unlink(img);
    rmdir(dir);
}

static void setup(void)
{
    if (img[0]) return;
    if (!mkdtemp(dir)) abort();
    snprintf(img, sizeof(img), "%s/img.qcow2", dir);
    atexit(cleanup);
}

static bool file_is(const uint8_t *data, size_t size)
{
    int fd = open(img, O_RDONLY);
    uint8_t *buf = malloc(size + 1);
    ssize_t n = fd >= 0 && buf ? read(fd, buf, size + 1) : -1;
    bool same = n == (ssize_t)size && memcmp(buf, data, size) == 0;
    free(buf);
    if (fd >= 0) close(fd);
    return same;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    int fd = open(img, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size) abort();
    close(fd);

    struct blockdev *bd = NULL;
    char err[256] = "";
    int rc = qcow2_open(&bd, img, false, err, sizeof(err));
    if (rc) {
        if (rc >= 0 || !err[0] || !file_is(data, size)) abort();
        return 0;
    }
    static uint8_t buf[65536];
    uint64_t size_bd = bd->size;
    /* Offsets from the input's tail so the fuzzer can steer them. */
    uint64_t pick = 0;
    if (size >= 8) memcpy(&pick, data + size - 8, 8);
    uint64_t offs[4] = {0, size_bd / 2, pick % (size_bd + 1), size_bd > 4096 ? size_bd - 4096 : 0};
    for (int i = 0; i < 4; i++) {
        uint64_t off = offs[i], len = sizeof(buf);
        if (off > size_bd) continue;
        if (len > size_bd - off) len = size_bd - off;
        rc = blockdev_read(bd, off, buf, len);
        if (rc > 0) abort();
        memset(buf, 0x5a, len);
        rc = blockdev_write(bd, off, buf, len / 2 + 1 > len ? len : len / 2 + 1);
        if (rc > 0) abort();
        if (blockdev_write_zeroes(bd, off, len / 3, i & 1) > 0) abort();
        if (blockdev_discard(bd, off, len / 4) > 0) abort();
        if (blockdev_read(bd, off, buf, len) > 0) abort();
    }
    if (blockdev_flush(bd) > 0) abort();
    blockdev_close(bd);
    return 0;
}
