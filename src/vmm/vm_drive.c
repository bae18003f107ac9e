/* Changing the medium of a running VM's drive (Firecracker's PATCH
 * /drives/{id} with a new path_on_host): the new image is opened as the
 * drive was (format, read-only), swapped in on the I/O thread between two
 * requests, and the guest is told through the configuration change
 * interrupt. The drive's path in the VM's configuration follows, so a
 * reboot, a snapshot and GET /vm/config see the new medium. */
#include "vmm/vm.h"

#include "backend/block/blockdev.h"
#include "common/ioloop.h"

#include <errno.h>
#include <string.h>

struct vm_swap {
    struct vm *vm;
    unsigned k;
    struct blockdev *bd;
    int rc;
};

/* On the I/O thread (or with it parked): no request is half served. */
static void vm_swap_on_loop(void *opaque)
{
    struct vm_swap *w = opaque;
    struct board *b = w->vm->board;
    /* Between the boards of a reboot there is no device: the next board
     * is built from cfg.board.drives, which the caller updates. */
    w->rc = b && b->blk[w->k] ? virtio_blk_set_backend(b->blk[w->k], w->bd) : 0;
}

int vm_drive_swap(struct vm *vm, const char *id, const char *path, char *err, size_t errlen)
{
    unsigned k = 0;
    while (k < vm->cfg.ndrives && strcmp(vm->cfg.drives[k].id, id) != 0)
        k++;
    if (k == vm->cfg.ndrives) {
        snprintf(err, errlen, "no drive `%.64s` in the running microVM", id);
        return -ENOENT;
    }
    if (strlen(path) >= sizeof(vm->cfg.drives[k].path)) {
        snprintf(err, errlen, "path_on_host is too long");
        return -ENAMETOOLONG;
    }
    const struct vm_drive *d = &vm->cfg.drives[k];
    struct vm_swap w = {.vm = vm, .k = k};
    int rc = blockdev_open(&w.bd, path, (enum blockdev_format)d->format, d->readonly, err, errlen);
    if (rc) return rc;
    pthread_mutex_lock(&vm->ctl_lock); /* not during a snapshot or a pause */
    pthread_mutex_lock(&vm->lock);     /* the board stays while we swap */
    if (!vm->started || vm->finished) {
        snprintf(err, errlen, "the microVM is not running");
        w.rc = -EINVAL;
    } else {
        /* vm->lock is never taken on the I/O thread: waiting is safe. */
        ioloop_run_sync(vm->loop, vm_swap_on_loop, &w);
        if (w.rc)
            snprintf(err, errlen, "%s: a read-only image cannot replace a writable drive", path);
    }
    struct blockdev *old = w.bd;
    if (!w.rc) {
        old = vm->drives[k];
        vm->drives[k] = w.bd;
        vm->cfg.board.drives[k].bd = w.bd;
        snprintf(vm->cfg.drives[k].path, sizeof(vm->cfg.drives[k].path), "%s", path);
    }
    pthread_mutex_unlock(&vm->lock);
    pthread_mutex_unlock(&vm->ctl_lock);
    blockdev_close(old);
    return w.rc;
}
