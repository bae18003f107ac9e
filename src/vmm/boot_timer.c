/* The VMM's side of Firecracker's boot timer (--boot-timer): when the
 * guest writes the magic byte (machine/boot_timer.c), the time since the VM
 * was created, wall clock and this process's CPU, goes to the front end's
 * hook, which logs Firecracker's "Guest-boot-time" line. The times are
 * taken on the vCPU at the write; the hook runs on the I/O thread, because
 * a logger does what a vCPU's seccomp list does not allow (the thread's
 * name is a prctl: the vCPU was killed there). */
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

struct vm_boot_report {
    struct vm *vm;
    uint64_t wall_us, cpu_us;
};

/* On the I/O thread, for the vCPU that wrote. */
static void vm_boot_report(void *opaque)
{
    struct vm_boot_report *r = opaque;
    pthread_mutex_lock(&r->vm->lock);
    void (*fn)(void *, uint64_t, uint64_t) = r->vm->boot_fn;
    void *arg = r->vm->boot_opaque;
    pthread_mutex_unlock(&r->vm->lock);
    if (fn) fn(arg, r->wall_us, r->cpu_us);
}

/* board_io.boot_done: on the vCPU thread that wrote. It waits for the
 * report, so the line is out before the guest's store completes (as on
 * Firecracker, which logs on the vCPU). The I/O thread cannot be parked
 * meanwhile: a pause parks it only once every vCPU has parked. */
void vm_boot_done(void *opaque)
{
    struct vm *vm = opaque;
    struct vm_boot_report r = {vm, (clock_host_ns() - vm->boot_start_ns) / 1000,
                               (process_cpu_ns() - vm->boot_start_cpu_ns) / 1000};
    ioloop_run_sync(vm->loop, vm_boot_report, &r);
}

void vm_set_boot_timer_hook(struct vm *vm, void (*fn)(void *opaque, uint64_t us, uint64_t cpu_us),
                            void *opaque)
{
    pthread_mutex_lock(&vm->lock);
    vm->boot_fn = fn;
    vm->boot_opaque = opaque;
    pthread_mutex_unlock(&vm->lock);
}
