/* The host's side of guest memory: what happens to pages the guest gives up
 * through the balloon (discarded at once), whether guest RAM is offered to
 * the host's KSM (--mem-merge), and the balloon's controls for the front
 * ends (target, statistics interval, what the device reports). The device
 * (machine/virtio/virtio_balloon.c) knows none of this policy. */
#ifndef RVMM_VMM_BALLOON_H
#define RVMM_VMM_BALLOON_H

#include "vmm/vm.h"

/* Fills vm->balloon_host, which every board's balloon is given. */
void vm_balloon_host_init(struct vm *vm);
/* Applies the memory policy to a freshly built board's RAM (mem-merge). */
int vm_memory_setup(struct vm *vm, struct board *b);

/* Any thread, while the VM exists. -ENODEV without a balloon, -EINVAL for
 * a target above RAM or a bad interval (see virtio_balloon_set_*). The new
 * values also hold for the boards that guest reboots build. */
int vm_balloon_set_target(struct vm *vm, uint32_t pages);
int vm_balloon_set_stats_interval(struct vm *vm, uint32_t seconds);
int vm_balloon_info(struct vm *vm, struct virtio_balloon_info *out);

#endif
