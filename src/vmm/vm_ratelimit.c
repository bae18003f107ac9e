/* Changing a running VM's rate limiters (Firecracker's PATCH /drives/{id}
 * and PATCH /network-interfaces/{id} with rate_limiter objects): the new
 * limits go into the VM's configuration, so a guest reboot builds its
 * devices with them, and into the running devices on the I/O thread, where
 * the limiters live. Buckets start full, as Firecracker's do after an
 * update. */
#include "vmm/vm_impl.h"

#include "common/ioloop.h"
#include "machine/virtio/virtio_net.h"

#include <errno.h>
#include <string.h>

struct vm_rl_change {
    struct vm *vm;
    bool net;
    unsigned k;
    const struct ratelimit_config *a, *b; /* drive: a; net: rx a, tx b (NULL: keep) */
    int rc;
};

/* On the I/O thread (or with it parked). While a reboot swaps boards
 * (io.board NULL) only the configuration changes: the next board is built
 * from it. */
static void vm_rl_on_loop(void *opaque)
{
    struct vm_rl_change *w = opaque;
    struct vm *vm = w->vm;
    struct board *b = vm->io.board;
    if (!w->net) {
        vm->cfg.drives[w->k].rl = *w->a;
        vm->cfg.board.drives[w->k].rl = *w->a;
        if (b && b->blk[w->k]) w->rc = virtio_blk_set_ratelimit(b->blk[w->k], w->a);
        return;
    }
    struct vm_net *n = &vm->cfg.nets[w->k];
    struct board_net *bn = &vm->cfg.board.nets[w->k];
    if (w->a) n->rx_rl = bn->rx_rl = *w->a;
    if (w->b) n->tx_rl = bn->tx_rl = *w->b;
    if (b && b->net[w->k]) w->rc = virtio_net_set_ratelimit(b->net[w->k], &bn->rx_rl, &bn->tx_rl);
}

static int vm_rl_apply(struct vm *vm, struct vm_rl_change *w, char *err, size_t errlen)
{
    const char *why = NULL;
    if ((w->a && ratelimit_config_check(w->a, &why)) ||
        (w->b && ratelimit_config_check(w->b, &why))) {
        snprintf(err, errlen, "%s", why);
        return -EINVAL;
    }
    pthread_mutex_lock(&vm->ctl_lock); /* not during a pause, a resume or a snapshot */
    enum vm_state st = vm_state(vm);
    if (st == VM_STATE_STOPPING || st == VM_STATE_FINISHED) {
        snprintf(err, errlen, "the microVM is %s", vm_state_name(st));
        w->rc = -EINVAL;
    } else {
        ioloop_run_sync(vm->loop, vm_rl_on_loop, w);
        if (w->rc) snprintf(err, errlen, "cannot set the limiter: %s", strerror(-w->rc));
    }
    pthread_mutex_unlock(&vm->ctl_lock);
    return w->rc;
}

int vm_drive_set_ratelimit(struct vm *vm, const char *id, const struct ratelimit_config *c,
                           char *err, size_t errlen)
{
    int k = vm_drive_index(vm, id, err, errlen);
    if (k < 0) return k;
    struct vm_rl_change w = {.vm = vm, .k = (unsigned)k, .a = c};
    return vm_rl_apply(vm, &w, err, errlen);
}

int vm_net_set_ratelimit(struct vm *vm, const char *id, const struct ratelimit_config *rx,
                         const struct ratelimit_config *tx, char *err, size_t errlen)
{
    unsigned k = 0;
    while (k < vm->cfg.nnets && strcmp(vm->cfg.nets[k].id, id) != 0)
        k++;
    if (k == vm->cfg.nnets) {
        snprintf(err, errlen, "no network interface `%.64s` in the running microVM", id);
        return -ENOENT;
    }
    struct vm_rl_change w = {.vm = vm, .net = true, .k = k, .a = rx, .b = tx};
    return vm_rl_apply(vm, &w, err, errlen);
}
