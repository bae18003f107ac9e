/* Idle coalescing (see vcpu_idle.h): which thread watches the idle harts'
 * timers, and the server's borrowed runs of another vCPU's hart. Locks are
 * never nested: the VM's idle lock and a vCPU's lock are each taken alone,
 * so vcpu_wake() (a vCPU's lock) may be called from anywhere. */
#include "vmm/vcpu_idle.h"

#include "vmm/vm_impl.h"

#include "common/futex.h"
#include "machine/clint.h"

#include <stdlib.h>
#include <string.h>

void vcpu_idle_init(struct vm *vm)
{
    struct vcpu_idle *s = &vm->idle;
    pthread_mutex_init(&s->lock, NULL);
    s->server = -1;
    const char *env = getenv("RVMM_IDLE_COALESCE");
    s->off = env && !strcmp(env, "0");
}

void vcpu_idle_destroy(struct vm *vm)
{
    pthread_mutex_destroy(&vm->idle.lock);
}

void vcpu_idle_reset(struct vm *vm)
{
    struct vcpu_idle *s = &vm->idle;
    pthread_mutex_lock(&s->lock);
    __atomic_store_n(&s->server, -1, __ATOMIC_RELEASE);
    s->server_asleep = false;
    for (unsigned k = 0; k < vm->nvcpus; k++) {
        struct vcpu *v = &vm->vcpus[k];
        v->idle_served = false;
        v->borrowed = v->borrow_wait = false;
        v->handback = 0;
    }
    pthread_mutex_unlock(&s->lock);
}

/* Off where another thread must not run a hart: the KVM engine (a vCPU fd
 * belongs to its thread), a debugger (it stops harts by their threads). */
static bool idle_on(const struct vm *vm)
{
    return !vm->idle.off && vm->board->nharts > 1 && !vm->gdb &&
           vm->cfg.board.engine != HART_ENGINE_KVM;
}

uint64_t vcpu_idle_deadline_ns(struct vm *vm, struct rv_hart *h)
{
    uint64_t deadline = clint_next_deadline_ns(vm->board->clint);
    uint64_t own = hart_timer_deadline_ns(h);
    return own < deadline ? own : deadline;
}

uint64_t vcpu_idle_sleep_begin(struct vcpu *v, uint64_t own, bool eligible)
{
    struct vm *vm = v->vm;
    struct vcpu_idle *s = &vm->idle;
    if (!idle_on(vm)) return own;
    if (!eligible) { /* an SBI suspend may be long: others watch their own */
        vcpu_idle_release(v);
        return own;
    }
    int wake = -1;
    uint64_t until = own;
    pthread_mutex_lock(&s->lock);
    v->idle_served = true;
    v->idle_deadline = own;
    if (s->server < 0) __atomic_store_n(&s->server, (int)v->id, __ATOMIC_RELEASE);
    if (s->server == (int)v->id) {
        for (unsigned k = 0; k < vm->board->nharts; k++) {
            const struct vcpu *o = &vm->vcpus[k];
            if (o != v && o->idle_served && o->idle_deadline < until) until = o->idle_deadline;
        }
        s->server_asleep = true;
        s->server_deadline = until;
    } else {
        /* The server computed its sleep before this hart was served: it
         * must look again if this deadline comes first. */
        until = UINT64_MAX;
        if (s->server_asleep && own < s->server_deadline) {
            s->server_deadline = own;
            wake = s->server;
        }
    }
    pthread_mutex_unlock(&s->lock);
    if (wake >= 0) futex_word_wake(&vm->vcpus[wake].wake_word);
    return until;
}

void vcpu_idle_sleep_end(struct vcpu *v)
{
    struct vm *vm = v->vm;
    struct vcpu_idle *s = &vm->idle;
    if (!idle_on(vm)) return;
    pthread_mutex_lock(&s->lock);
    v->idle_served = false;
    if (s->server == (int)v->id) s->server_asleep = false;
    pthread_mutex_unlock(&s->lock);
}

void vcpu_idle_release(struct vcpu *v)
{
    struct vm *vm = v->vm;
    struct vcpu_idle *s = &vm->idle;
    if (__atomic_load_n(&s->server, __ATOMIC_ACQUIRE) != (int)v->id) return;
    uint64_t wake = 0;
    pthread_mutex_lock(&s->lock);
    if (s->server == (int)v->id) {
        __atomic_store_n(&s->server, -1, __ATOMIC_RELEASE);
        s->server_asleep = false;
        for (unsigned k = 0; k < vm->board->nharts; k++)
            if (vm->vcpus[k].idle_served && k != v->id) wake |= 1ULL << k;
    }
    pthread_mutex_unlock(&s->lock);
    for (unsigned k = 0; k < vm->nvcpus; k++)
        if (wake & (1ULL << k)) futex_word_wake(&vm->vcpus[k].wake_word);
}

/* Runs o's hart, asleep in WFI with its timer due, up to its next wfi on
 * the calling (server) thread, then gives it back: still served with its
 * new deadline, or with the exit to serve and its thread woken. */
static void run_borrowed(struct vm *vm, struct vcpu *o)
{
    struct rv_hart *h = &vm->board->harts[o->id];
    pthread_mutex_lock(&o->lock);
    bool ok = o->sleeping && !o->borrowed && !o->handback && o->hsm == VCPU_STARTED &&
              !vm_pausing(vm) && !vm_stopping(vm);
    if (ok) o->borrowed = true;
    pthread_mutex_unlock(&o->lock);
    int handback = 0;
    bool served = false;
    uint64_t next = UINT64_MAX;
    if (ok) {
        clint_update(vm->board->clint);
        hart_update_timer(h);
        if (hart_wfi_wakeup(h)) {
            enum hart_exit e = hart_run(h, VCPU_SLICE);
            clint_update(vm->board->clint);
            hart_update_timer(h);
            if (e != HART_EXIT_WFI || vm->board->request) handback = (int)e + 1;
        }
        /* A line that rose since the wfi is the owner's to take. */
        if (!handback && !hart_wfi_wakeup(h)) {
            served = true;
            next = vcpu_idle_deadline_ns(vm, h);
        }
    }
    pthread_mutex_lock(&vm->idle.lock);
    o->idle_served = served;
    o->idle_deadline = next;
    pthread_mutex_unlock(&vm->idle.lock);
    if (ok) {
        pthread_mutex_lock(&o->lock);
        o->borrowed = false;
        o->handback = handback;
        if (o->borrow_wait) pthread_cond_broadcast(&o->cond);
        pthread_mutex_unlock(&o->lock);
    }
    /* Not served any more (an exit handed back, a wake-up pending, or the
     * owner was not asleep): its thread looks again. */
    if (!served) futex_word_wake(&o->wake_word);
}

void vcpu_idle_serve(struct vcpu *v)
{
    struct vm *vm = v->vm;
    struct vcpu_idle *s = &vm->idle;
    if (__atomic_load_n(&s->server, __ATOMIC_ACQUIRE) != (int)v->id) return;
    /* Each pass serves one hart or ends; a hart's deadline that rounding
     * left a hair early ends it too (the sleep after is as short). */
    for (unsigned pass = 0; pass < 2 * vm->board->nharts; pass++) {
        int due = -1;
        uint64_t now = clock_host_ns();
        pthread_mutex_lock(&s->lock);
        if (s->server == (int)v->id) {
            for (unsigned k = 0; k < vm->board->nharts && due < 0; k++) {
                const struct vcpu *o = &vm->vcpus[k];
                if (o != v && o->idle_served && o->idle_deadline <= now) due = (int)k;
            }
        }
        pthread_mutex_unlock(&s->lock);
        if (due < 0) return;
        run_borrowed(vm, &vm->vcpus[due]);
    }
}
