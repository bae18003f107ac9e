/* The VMM's side of Firecracker's boot timer (--boot-timer): when the
 * guest writes the magic byte (machine/boot_timer.c), the time since the VM
 * was created, wall clock and this process's CPU, goes to the front end's
 * hook, which logs Firecracker's "Guest-boot-time" line. */
#include "vmm/vm_impl.h"

#include <time.h>

static uint64_t process_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void vm_boot_timer_start(struct vm *vm)
{
    vm->boot_start_ns = clock_host_ns();
    vm->boot_start_cpu_ns = process_cpu_ns();
}

/* board_io.boot_done: on the vCPU thread that wrote. */
void vm_boot_done(void *opaque)
{
    struct vm *vm = opaque;
    uint64_t wall = (clock_host_ns() - vm->boot_start_ns) / 1000;
    uint64_t cpu = (process_cpu_ns() - vm->boot_start_cpu_ns) / 1000;
    pthread_mutex_lock(&vm->lock);
    void (*fn)(void *, uint64_t, uint64_t) = vm->boot_fn;
    void *arg = vm->boot_opaque;
    pthread_mutex_unlock(&vm->lock);
    if (fn) fn(arg, wall, cpu);
}

void vm_set_boot_timer_hook(struct vm *vm, void (*fn)(void *opaque, uint64_t us, uint64_t cpu_us),
                            void *opaque)
{
    pthread_mutex_lock(&vm->lock);
    vm->boot_fn = fn;
    vm->boot_opaque = opaque;
    pthread_mutex_unlock(&vm->lock);
}
