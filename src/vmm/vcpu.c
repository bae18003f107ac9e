/* The vCPU threads: each calls hart_run() and serves its exits (WFI sleeps,
 * SBI calls, shutdown requests), like a KVM_RUN loop, and parks at an
 * instruction boundary while the VM is pausing or paused. A vCPU reads the
 * VM's state (vm_impl.h) but never changes it except through
 * vm_request_stop(); the pause bookkeeping is vm.c's. */
#include "vmm/vm_impl.h"

#include "vmm/gdbstub.h"
#include "vmm/seccomp.h"

#include "common/futex.h"
#include "machine/clint.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The longest a sleeping vCPU waits before looking again. */
#define VCPU_MAX_SLEEP_NS 100000000ULL

void vcpu_wake(struct vcpu *v)
{
    pthread_mutex_lock(&v->lock);
    bool sleeping = v->sleeping;
    if (sleeping || v->hsm == VCPU_STOPPED) pthread_cond_signal(&v->cond);
    pthread_mutex_unlock(&v->lock);
    /* A WFI sleep is on the futex word (vcpu_suspend); it saw sleeping set
     * under the lock after it read the word, so the bump reaches it. */
    if (sleeping) futex_word_wake(&v->wake_word);
}

/* Holds the calling vCPU while the VM is pausing or paused. It is at an
 * instruction boundary (between slices, or asleep in WFI/suspend/HSM stop)
 * and holds no lock, so the VM's state is still while every vCPU is here.
 * The last one to park wakes the main thread, which parks the I/O thread
 * and makes the VM PAUSED. */
static void vcpu_park(struct vcpu *v)
{
    struct vm *vm = v->vm;
    if (!vm_pausing(vm)) return;
    pthread_mutex_lock(&v->lock);
    v->parked = true; /* a remote fence does not wait for a parked hart */
    pthread_mutex_unlock(&v->lock);
    pthread_mutex_lock(&vm->lock);
    vm->parked++;
    pthread_cond_broadcast(&vm->cond);
    while (vm->state == VM_STATE_PAUSING || vm->state == VM_STATE_PAUSED)
        pthread_cond_wait(&vm->cond, &vm->lock);
    vm->parked--;
    pthread_mutex_unlock(&vm->lock);
    pthread_mutex_lock(&v->lock);
    v->parked = false;
    pthread_mutex_unlock(&v->lock);
}

static void board_stop_request(struct vm *vm)
{
    struct board *b = vm->board;
    int r = __atomic_load_n(&b->request, __ATOMIC_ACQUIRE);
    if (r == BOARD_POWEROFF)
        vm_request_stop(vm, VM_STOP_POWEROFF, 0);
    else if (r == BOARD_RESET)
        vm_request_stop(vm, VM_STOP_RESET, 0);
    else if (r == BOARD_FAIL)
        vm_request_stop(vm, VM_STOP_FAIL, b->request_code);
}

static void abs_deadline(struct timespec *ts, uint64_t host_ns)
{
    ts->tv_sec = (time_t)(host_ns / 1000000000ULL);
    ts->tv_nsec = (long)(host_ns % 1000000000ULL);
}

/* Sleeps until the hart has an interrupt to take (WFI, 3.3.3) or a timer
 * is due. Timers are re-evaluated without the vCPU lock held, because
 * raising a line calls vcpu_wake(), which takes it. The thread that holds
 * the idle server's role also runs the other idle harts' due ticks here
 * (vcpu_idle.h). */
int vcpu_suspend(struct vcpu *v, struct rv_hart *h)
{
    struct vm *vm = v->vm;
    for (;;) {
        /* Read before the checks: a waker that changes what they look at
         * afterwards also changes the word, and the sleep below ends. */
        uint32_t seen = futex_word_read(&v->wake_word);
        vcpu_idle_serve(v);
        clint_update(vm->board->clint);
        hart_update_timer(h);
        uint64_t deadline = vcpu_idle_deadline_ns(vm, h);
        uint64_t cap = clock_host_ns() + VCPU_MAX_SLEEP_NS;
        pthread_mutex_lock(&v->lock);
        /* Wakers change what is checked here (a line, a posted IPI, the
         * VM's state) before they signal under this lock, so no wake-up is
         * lost and none returns early: WFI and SBI suspend both rely on it. */
        int handback = v->handback;
        v->handback = 0;
        if (handback || hart_wfi_wakeup(h) || vm_stopping(vm) || vm->board->request) {
            pthread_mutex_unlock(&v->lock);
            return handback;
        }
        if (vm_pausing(vm)) { /* parks asleep: resumes sleeping afterwards */
            pthread_mutex_unlock(&v->lock);
            vcpu_park(v);
            continue;
        }
        v->sleeping = true;
        bool eligible = v->hsm == VCPU_STARTED; /* in WFI, not an SBI suspend */
        pthread_mutex_unlock(&v->lock);
        deadline = vcpu_idle_sleep_begin(v, deadline, eligible);
        if (deadline > cap) deadline = cap;
        /* On the futex word, not v->cond: a timer tick ends this sleep
         * hundreds of times a second, and this way each costs one system
         * call (common/futex.h). */
        futex_sleep_until(&v->wake_word, seen, deadline);
        pthread_mutex_lock(&v->lock);
        while (v->borrowed) { /* the server runs this hart: wait for it */
            v->borrow_wait = true;
            pthread_cond_wait(&v->cond, &v->lock);
        }
        v->borrow_wait = false;
        v->sleeping = false;
        pthread_mutex_unlock(&v->lock);
        vcpu_idle_sleep_end(v);
    }
}

/* A stopped hart (HSM) waits for hart_start or the end of the VM. */
static void vcpu_wait_started(struct vcpu *v, struct rv_hart *h)
{
    pthread_mutex_lock(&v->lock);
    while (v->hsm == VCPU_STOPPED && !v->start_req && !vm_stopping(v->vm)) {
        if (vm_pausing(v->vm)) {
            pthread_mutex_unlock(&v->lock);
            vcpu_park(v);
            pthread_mutex_lock(&v->lock);
            continue;
        }
        pthread_cond_wait(&v->cond, &v->lock);
    }
    if (v->start_req) {
        sbi_hart_enter(h, v->start_addr, v->start_arg);
        v->start_req = false;
        v->hsm = VCPU_STARTED;
    }
    pthread_mutex_unlock(&v->lock);
}

/* Auto-converge: a migration that cannot keep up with the guest's writes
 * takes pct% of the vCPU's time, by sleeping after each slice in
 * proportion to the time the slice ran. A pause or stop cuts the sleep
 * short (the switch-over must not wait for it); interrupts do not. */
static void vcpu_throttle(struct vcpu *v, unsigned pct, uint64_t ran_ns)
{
    struct vm *vm = v->vm;
    uint64_t until = clock_host_ns() + ran_ns * pct / (100 - pct);
    struct timespec ts;
    abs_deadline(&ts, until);
    pthread_mutex_lock(&v->lock);
    v->sleeping = true;
    while (clock_host_ns() < until && !vm_pausing(vm) && !vm_stopping(vm))
        pthread_cond_timedwait(&v->cond, &v->lock, &ts);
    v->sleeping = false;
    pthread_mutex_unlock(&v->lock);
}

/* Serves an exit of hart_run(). A WFI sleep may end with an exit the idle
 * server's run of this hart reached (vcpu_idle.h), served the same way. */
static void vcpu_serve_exit(struct vcpu *v, struct rv_hart *h, enum hart_exit e)
{
    struct vm *vm = v->vm;
    for (;;) {
        /* The hart runs on (or stops): other idle harts' timers need
         * their own threads. An SBI call is over in microseconds. */
        if (e != HART_EXIT_WFI && e != HART_EXIT_SBI) vcpu_idle_release(v);
        switch (e) {
        case HART_EXIT_WFI: {
            if (h->debug_stop) return; /* a single step ends past the wfi */
            int handback = vcpu_suspend(v, h);
            if (!handback) return;
            e = (enum hart_exit)(handback - 1);
            if (vm->board->request) return; /* the caller stops the VM */
            clint_update(vm->board->clint);
            hart_update_timer(h);
            continue;
        }
        case HART_EXIT_SBI: sbi_handle(vm, v, h); return;
        case HART_EXIT_FATAL:
            fprintf(stderr, "rvmm: hart %u stopped on a fatal error at pc 0x%llx\n", v->id,
                    (unsigned long long)h->pc);
            vm_request_stop(vm, VM_STOP_FATAL, 0);
            return;
        default: return;
        }
    }
}

void *vcpu_thread(void *arg)
{
    struct vcpu *v = arg;
    struct vm *vm = v->vm;
    struct rv_hart *h = &vm->board->harts[v->id];
    /* A vCPU is set up before its thread starts: from here it only runs
     * guest code on memory and fds that are open already. */
    int rc = seccomp_confine_thread(SECCOMP_KIND_VCPU, vm->seccomp);
    if (rc) {
        fprintf(stderr, "rvmm: vCPU %u: cannot install the seccomp filter: %s\n", v->id,
                strerror(-rc));
        vm_request_stop(vm, VM_STOP_FATAL, 0);
        return NULL;
    }
    seccomp_selftest_vcpu();
    while (!vm_stopping(vm)) {
        vcpu_park(v);
        if (vm_stopping(vm)) break;
        if (__atomic_load_n(&v->hsm, __ATOMIC_ACQUIRE) == VCPU_STOPPED) {
            vcpu_idle_release(v);
            vcpu_wait_started(v, h);
            continue;
        }
        unsigned throttle = __atomic_load_n(&vm->throttle_pct, __ATOMIC_RELAXED);
        uint64_t t0 = throttle ? clock_host_ns() : 0;
        enum hart_exit e = hart_run(h, VCPU_SLICE);
        if (throttle && throttle < 100) vcpu_throttle(v, throttle, clock_host_ns() - t0);
        /* A device request (poweroff, reset) comes before the exit: the
         * guest may have written the finisher and then executed wfi. */
        if (vm->board->request) {
            board_stop_request(vm);
            break;
        }
        clint_update(vm->board->clint);
        hart_update_timer(h);
        vcpu_serve_exit(v, h, e);
        if (vm->board->request) board_stop_request(vm);
        if (unlikely(h->debug_stop)) gdbstub_hart_stopped(vm->gdb, v->id);
    }
    vcpu_idle_release(v);
    return NULL;
}
