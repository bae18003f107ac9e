/* qcow2 version 3 images (QEMU docs/interop/qcow2.txt). Only detection is
 * here so far; opening reports that the format is not supported yet. */
#include "backend/block/blockdev.h"

#include "common/errmsg.h"

#include <errno.h>

bool qcow2_probe(const uint8_t *buf, size_t len)
{
    return len >= 4 && buf[0] == 'Q' && buf[1] == 'F' && buf[2] == 'I' && buf[3] == 0xfb;
}

int qcow2_open(struct blockdev **out, const char *path, bool readonly, char *err, size_t errlen)
{
    (void)out, (void)readonly;
    return errmsg_set(err, errlen, -ENOTSUP, "%s: qcow2 images are not supported yet", path);
}
