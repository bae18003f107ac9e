/* Host memory policy: balloon pages are returned to the host the moment the
 * guest gives them up (ram_discard: MADV_DONTNEED, or anonymous pages over a
 * snapshot's shared memory file), and guest RAM is marked mergeable for KSM
 * only when the user asked (--mem-merge on: merging is a side channel
 * between tenants, so it is off by default). Reaches the device only
 * through its functions, under vm->lock so a reboot cannot swap the board
 * meanwhile. */
#include "vmm/balloon.h"

#include "vmm/vm_impl.h"

#include <errno.h>
#include <stdio.h>

/* On the I/O thread, with the balloon's transport locked. */
static void vm_balloon_discard(void *opaque, struct guest_ram *ram, gpa_t gpa, uint64_t len)
{
    int rc = ram_discard(ram, gpa, len);
    if (rc && rc != -ENOMEM)
        fprintf(stderr, "rvmm: balloon: cannot discard %llu KiB at 0x%llx: error %d\n",
                (unsigned long long)(len >> 10), (unsigned long long)gpa, rc);
}

void vm_balloon_host_init(struct vm *vm)
{
    vm->balloon_host = (struct virtio_balloon_host){.discard = vm_balloon_discard, .opaque = vm};
}

int vm_memory_setup(struct vm *vm, struct board *b)
{
    return vm->cfg.mem_merge ? ram_set_mergeable(&b->ram, true) : 0;
}

int vm_balloon_set_target(struct vm *vm, uint32_t pages)
{
    pthread_mutex_lock(&vm->lock);
    int rc = -ENODEV;
    if (vm->board && vm->board->balloon) rc = virtio_balloon_set_target(vm->board->balloon, pages);
    if (!rc) vm->cfg.board.balloon_cfg.target_pages = pages;
    pthread_mutex_unlock(&vm->lock);
    return rc;
}

int vm_balloon_set_stats_interval(struct vm *vm, uint32_t seconds)
{
    pthread_mutex_lock(&vm->lock);
    int rc = -ENODEV;
    if (vm->board && vm->board->balloon)
        rc = virtio_balloon_set_stats_interval(vm->board->balloon, seconds);
    if (!rc) vm->cfg.board.balloon_cfg.stats_interval_s = seconds;
    pthread_mutex_unlock(&vm->lock);
    return rc;
}

int vm_balloon_info(struct vm *vm, struct virtio_balloon_info *out)
{
    pthread_mutex_lock(&vm->lock);
    int rc = -ENODEV;
    if (vm->board && vm->board->balloon) {
        virtio_balloon_info(vm->board->balloon, out);
        rc = 0;
    }
    pthread_mutex_unlock(&vm->lock);
    return rc;
}
