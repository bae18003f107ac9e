/* Where a snapshot may be written: snap_check_targets runs before either
 * file is written and refuses, with nothing written, a target that exists
 * and is not a regular file (a device node, a FIFO, a symlink, a
 * directory), that is one of the VM's disks or their backing files, or a
 * state file and memory file that are one file. The write itself
 * (safe_tmp_create) never follows what is planted at the temporary name. */
#include "vmm/snapshot.h"
#include "vmm/vm_impl.h"

#include "backend/block/blockdev.h"
#include "common/errmsg.h"
#include "common/safe_open.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

int snap_check_targets(struct vm *vm, const char *state_path, const char *mem_path, char *err,
                       size_t errlen)
{
    const char *path[2] = {state_path, mem_path};
    struct stat st[2];
    bool exists[2];
    char canon[2][PATH_MAX];
    for (int k = 0; k < 2; k++) {
        int rc = safe_check_target(path[k], &exists[k], &st[k], err, errlen);
        if (rc) return rc;
        rc = safe_canonical(path[k], canon[k], sizeof(canon[k]));
        if (rc) return errmsg_set(err, errlen, rc, "%s: %s", path[k], strerror(-rc));
        for (unsigned d = 0; exists[k] && d < vm->cfg.ndrives; d++)
            if (blockdev_uses_file(vm->drives[d], &st[k]))
                return errmsg_set(err, errlen, -EINVAL,
                                  "%s is the image (or a backing file) of drive '%s'", path[k],
                                  vm->cfg.drives[d].id);
    }
    if (!strcmp(canon[0], canon[1]) ||
        (exists[0] && exists[1] && st[0].st_dev == st[1].st_dev && st[0].st_ino == st[1].st_ino))
        return errmsg_set(err, errlen, -EINVAL,
                          "the state file and the memory file are the same file (%s)", path[0]);
    return 0;
}
