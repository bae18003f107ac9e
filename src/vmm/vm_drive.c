/* Changing the medium of a running VM's drive (Firecracker's PATCH
 * /drives/{id} with a new path_on_host): the new image is opened as the
 * drive was (format, read-only), swapped in on the I/O thread between two
 * requests, and the guest is told through the configuration change
 * interrupt. The drive's path in the VM's configuration follows, so a
 * reboot, a snapshot and GET /vm/config see the new medium. */
#include "vmm/vm_impl.h"

#include "backend/block/blockdev.h"
#include "common/ioloop.h"

#include <errno.h>
#include <string.h>

struct vm_swap {
    struct vm *vm;
    unsigned k;
    const char *path;
    struct blockdev *bd; /* in: the new image; out: the one to close */
    int rc;
};

/* On the I/O thread (or with it parked): no request is half served, and
 * io.board is the board whose devices the loop serves. It is NULL only
 * while a reboot swaps boards; the next board is built from cfg.board
 * after that, so the swap either lands before (and the new board takes
 * the new image) or is refused. */
static void vm_swap_on_loop(void *opaque)
{
    struct vm_swap *w = opaque;
    struct vm *vm = w->vm;
    struct board *b = vm->io.board;
    if (!b) {
        w->rc = -EAGAIN;
        return;
    }
    w->rc = b->blk[w->k] ? virtio_blk_set_backend(b->blk[w->k], w->bd) : -ENODEV;
    if (w->rc) return;
    struct blockdev *old = vm->drives[w->k];
    vm->drives[w->k] = w->bd;
    vm->cfg.board.drives[w->k].bd = w->bd;
    snprintf(vm->cfg.drives[w->k].path, sizeof(vm->cfg.drives[w->k].path), "%s", w->path);
    w->bd = old; /* the caller closes it */
}

int vm_drive_index(const struct vm *vm, const char *id, char *err, size_t errlen)
{
    for (unsigned k = 0; k < vm->cfg.ndrives; k++)
        if (!strcmp(vm->cfg.drives[k].id, id)) return (int)k;
    snprintf(err, errlen, "no drive `%.64s` in the running microVM", id);
    return -ENOENT;
}

int vm_drive_swap(struct vm *vm, const char *id, const char *path, char *err, size_t errlen)
{
    int k = vm_drive_index(vm, id, err, errlen);
    if (k < 0) return k;
    if (strlen(path) >= sizeof(vm->cfg.drives[k].path)) {
        snprintf(err, errlen, "path_on_host is too long");
        return -ENAMETOOLONG;
    }
    const struct vm_drive *d = &vm->cfg.drives[k];
    struct vm_swap w = {.vm = vm, .k = (unsigned)k, .path = path};
    int rc = blockdev_open(&w.bd, path, (enum blockdev_format)d->format, d->readonly, err, errlen);
    if (rc) return rc;
    pthread_mutex_lock(&vm->ctl_lock); /* not during a pause, a resume or a snapshot */
    enum vm_state st = vm_state(vm);
    if (st != VM_STATE_RUNNING && st != VM_STATE_PAUSED) {
        snprintf(err, errlen, "the microVM is %s", vm_state_name(st));
        w.rc = -EINVAL;
    } else {
        /* Nobody holds vm->lock here: the I/O thread may need it. */
        ioloop_run_sync(vm->loop, vm_swap_on_loop, &w);
        if (w.rc == -EAGAIN)
            snprintf(err, errlen, "the guest is rebooting; try again");
        else if (w.rc)
            snprintf(err, errlen, "%s: a read-only image cannot replace a writable drive", path);
    }
    pthread_mutex_unlock(&vm->ctl_lock);
    blockdev_close(w.bd); /* the old image, or the new one if refused */
    return w.rc;
}
