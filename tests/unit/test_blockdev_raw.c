/* Unit tests for raw images through blockdev.c: a disk whose format was
 * guessed as raw must not let the guest write a qcow2 header into sector 0
 * (the next open would guess qcow2 and follow a backing path the guest
 * chose); an explicit format=raw allows it. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/block/blockdev.h"
#include "ut.h"

UT_MAIN_STATE

static void make_image(char *path)
{
    strcpy(path, "/tmp/rvmm-rawXXXXXX");
    int fd = mkstemp(path);
    UT_CHECK(fd >= 0);
    UT_EQ(ftruncate(fd, 1 << 20), 0);
    close(fd);
}

static void test_probed_raw_keeps_its_format(void)
{
    char path[64], err[256];
    make_image(path);
    uint8_t sector[512] = {'Q', 'F', 'I', 0xfb, 0, 0, 0, 3};
    struct blockdev *bd;
    UT_EQ(blockdev_open(&bd, path, BLOCKDEV_AUTO, false, err, sizeof(err)), 0);
    UT_EQ(blockdev_write(bd, 0, sector, sizeof(sector)), -EPERM);
    UT_EQ(blockdev_write(bd, 512, sector, sizeof(sector)), 0);
    uint8_t plain[512] = {1, 2, 3, 4};
    UT_EQ(blockdev_write(bd, 0, plain, sizeof(plain)), 0);
    blockdev_close(bd);
    /* Still probes as raw, and sector 0 holds the plain bytes. */
    UT_EQ(blockdev_open(&bd, path, BLOCKDEV_AUTO, true, err, sizeof(err)), 0);
    uint8_t back[512];
    UT_EQ(blockdev_read(bd, 0, back, sizeof(back)), 0);
    UT_CHECK(memcmp(back, plain, sizeof(plain)) == 0);
    blockdev_close(bd);
    /* The user said raw: the guest owns every byte. */
    UT_EQ(blockdev_open(&bd, path, BLOCKDEV_RAW, false, err, sizeof(err)), 0);
    UT_EQ(blockdev_write(bd, 0, sector, sizeof(sector)), 0);
    blockdev_close(bd);
    unlink(path);
}

int main(void)
{
    ut_run("blockdev_probed_raw_keeps_its_format", test_probed_raw_keeps_its_format);
    return ut_exit();
}
