/* Idle coalescing: one vCPU thread wakes for the timers of every idle
 * hart of the VM, instead of one thread per hart. A guest with a periodic
 * tick (nohz=off, 250 Hz) arms the same deadline on every hart; on hosts
 * where a thread's wake-up costs ~30 us of CPU (a futex timeout, the
 * context switch) that alone is 0.75% of a core per hart. The thread that
 * holds the role (the "server") sleeps until the earliest deadline of the
 * idle harts and runs each due hart's tick itself, up to its next wfi,
 * while that hart's own thread sleeps on. Only a hart asleep in WFI (HSM
 * started) is served; its own thread still wakes for anything else (an
 * interrupt line, an IPI, a pause or stop) and waits until a borrowed run
 * ends before it touches the hart. An exit other than wfi that a borrowed
 * run reaches (an SBI call, the budget, a kick) goes back to the owner to
 * serve. Owns no hart state; the state below is the VM's (vm_impl.h). */
#ifndef RVMM_VMM_VCPU_IDLE_H
#define RVMM_VMM_VCPU_IDLE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

/* Instructions a hart runs before its thread looks at timers and requests:
 * bounds timer latency to well under a millisecond. */
#define VCPU_SLICE 50000

struct vm;
struct vcpu;
struct rv_hart;

struct vcpu_idle {
    pthread_mutex_t lock; /* guards what follows and each vCPU's idle_* fields */
    int server;           /* the vCPU whose thread watches idle harts' timers, or -1 (atomic
                             reads outside the lock) */
    bool server_asleep;   /* the server sleeps until server_deadline */
    uint64_t server_deadline;
    bool off; /* RVMM_IDLE_COALESCE=0: each thread wakes for its own hart (to measure) */
};

void vcpu_idle_init(struct vm *vm);
void vcpu_idle_destroy(struct vm *vm);
/* A new board: no server, no hart served or borrowed. */
void vcpu_idle_reset(struct vm *vm);
/* When hart h's next timer (its own or the CLINT's) is due, host ns. */
uint64_t vcpu_idle_deadline_ns(struct vm *vm, struct rv_hart *h);
/* v's thread goes to sleep in WFI (eligible: HSM started) with its own
 * deadline; returns what to sleep until: the earliest of the served harts'
 * for the server, none (UINT64_MAX) for a hart the server watches. */
uint64_t vcpu_idle_sleep_begin(struct vcpu *v, uint64_t own, bool eligible);
/* v's thread woke (any reason): its hart is no longer served. */
void vcpu_idle_sleep_end(struct vcpu *v);
/* The server runs every served hart whose timer is due, each to its next
 * wfi. Does nothing on another thread. */
void vcpu_idle_serve(struct vcpu *v);
/* v's thread has other work than sleeping (its hart runs on, or stopped):
 * if it is the server, it gives the role up and wakes the served harts'
 * threads, which watch their own timers again. */
void vcpu_idle_release(struct vcpu *v);

#endif
