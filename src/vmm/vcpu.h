/* A vCPU: one host thread running one hart through hart_run(), sleeping on
 * WFI until an interrupt line rises or a timer is due, and carrying the SBI
 * HSM state the VMM serves. */
#ifndef RVMM_VMM_VCPU_H
#define RVMM_VMM_VCPU_H

#include "vmm/sbi_pmu.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

/* SBI HSM states (SBI spec 2.0, chapter 9, table "HSM Hart States"). */
enum vcpu_hsm {
    VCPU_STARTED = 0,
    VCPU_STOPPED = 1,
    VCPU_START_PENDING = 2,
    VCPU_STOP_PENDING = 3,
    VCPU_SUSPENDED = 4,
};

struct vm;

struct vcpu {
    struct vm *vm;
    unsigned id;
    pthread_t thread;
    bool thread_running;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int hsm;        /* enum vcpu_hsm, under lock */
    bool start_req; /* HSM hart_start posted, under lock */
    uint64_t start_addr, start_arg;
    /* While hsm is VCPU_SUSPENDED: the hart_suspend call being served (a
     * snapshot completes it as a wake-up on restore). */
    uint32_t susp_type;
    uint64_t susp_addr, susp_arg;
    bool sleeping;      /* in WFI or suspend, under lock */
    bool parked;        /* held by vm_pause(), under lock */
    uint32_t wake_word; /* a WFI sleep's futex word (common/futex.h) */
    /* Idle coalescing (vcpu_idle.h). Under lock: */
    bool borrowed;    /* the idle server's thread runs this hart now */
    bool borrow_wait; /* this thread waits on cond for the borrowed run to end */
    int handback;     /* an exit a borrowed run left for this thread, + 1 (0: none) */
    /* Under the VM's idle lock: */
    bool idle_served;       /* asleep in WFI, its timer watched by the server */
    uint64_t idle_deadline; /* when its timer is due, host ns (while served) */
    uint64_t sbi_calls;
    struct sbi_pmu_hart pmu; /* the built-in SBI's PMU extension (vmm/sbi_pmu.c) */
};

#endif
