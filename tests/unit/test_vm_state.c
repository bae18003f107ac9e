/* The VM state machine (vmm/vm.h) on tiny bare-metal guests under the
 * builtin SBI: the states a front end sees through pause, resume, stop,
 * a guest poweroff and guest resets, and the requests refused in each. */
#include "ut.h"

#include "vmm/vm.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

UT_MAIN_STATE

static char dir[] = "/tmp/rvmm-ut-vmstateXXXXXX";

/* addi a0,a0,1; j .-4: counts forever. */
static const uint32_t prog_count[] = {0x00150513, 0xffdff06f};
/* The test finisher at 0x100000: 0x7777 resets the machine, 0x5555 powers
 * it off; then j . (never reached). */
static const uint32_t prog_reset[] = {0x00100537, 0x000075b7, 0x77758593, 0x00b52023, 0x0000006f};
static const uint32_t prog_poweroff[] = {0x00100537, 0x000055b7, 0x55558593, 0x00b52023,
                                         0x0000006f};

struct runner {
    pthread_t tid;
    struct vm *vm;
    int status;
};

static void *run_thread(void *arg)
{
    struct runner *r = arg;
    r->status = vm_run(r->vm);
    return NULL;
}

static struct vm *vm_with(const uint32_t *prog, size_t len, const char *name, unsigned nharts)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s.bin", dir, name);
    FILE *f = fopen(path, "wb");
    UT_CHECK(f && fwrite(prog, 1, len, f) == len);
    if (f) fclose(f);
    struct vm_config cfg = {.board = {.ram_size = 16ULL << 20,
                                      .nharts = nharts,
                                      .sbi_builtin = true,
                                      .kernel = path,
                                      .append = ""}};
    struct vm *vm = NULL;
    char err[256];
    int rc = vm_create(&vm, &cfg, err, sizeof(err));
    if (rc) fprintf(stderr, "  vm_create: %s\n", err);
    UT_EQ(rc, 0);
    return vm;
}

static uint64_t instret(struct vm *vm)
{
    struct vm_totals *t = malloc(sizeof(*t));
    vm_stats_read(vm, t);
    uint64_t n = t->instret;
    free(t);
    return n;
}

static void test_pause_resume_stop(void)
{
    struct vm *vm = vm_with(prog_count, sizeof(prog_count), "count", 2);
    if (!vm) return;
    UT_EQ(vm_state(vm), VM_STATE_CREATED);
    UT_CHECK(!strcmp(vm_state_name(VM_STATE_CREATED), "Created"));
    UT_EQ(vm_resume(vm), -EINVAL); /* nothing to resume */
    struct runner r = {.vm = vm};
    pthread_create(&r.tid, NULL, run_thread, &r);
    vm_wait_started(vm);
    UT_EQ(vm_state(vm), VM_STATE_RUNNING);
    for (int k = 0; k < 20; k++) {
        UT_EQ(vm_pause(vm), 0);
        UT_EQ(vm_state(vm), VM_STATE_PAUSED);
        /* Parked: not one more instruction until resumed. */
        uint64_t a = instret(vm);
        UT_EQ(vm_pause(vm), -EINVAL);
        UT_EQ(instret(vm), a);
        UT_EQ(vm_resume(vm), 0);
        UT_EQ(vm_resume(vm), -EINVAL);
    }
    /* The asynchronous form, as a debugger uses it. */
    UT_EQ(vm_pause_request(vm), 0);
    /* Again: still pausing, no error; already paused, not running. */
    int again = vm_pause_request(vm);
    UT_CHECK(again == 0 || (again == -EINVAL && vm_state(vm) == VM_STATE_PAUSED));
    UT_EQ(vm_wait_paused(vm), 0);
    UT_EQ(vm_wait_state(vm, VM_STATE_BIT(VM_STATE_PAUSED), 0), VM_STATE_PAUSED);
    /* A timed wait for a state that does not come returns the current one. */
    UT_EQ(vm_wait_state(vm, VM_STATE_BIT(VM_STATE_FINISHED), 20000000), VM_STATE_PAUSED);
    UT_EQ(vm_stop_reason(vm), VM_STOP_NONE);
    /* A stop ends a paused VM too. */
    vm_request_stop(vm, VM_STOP_QUIT, 0);
    UT_EQ(vm_wait_state(vm, VM_STATE_BIT(VM_STATE_FINISHED), 0), VM_STATE_FINISHED);
    pthread_join(r.tid, NULL);
    UT_EQ(r.status, 0);
    UT_EQ(vm_stop_reason(vm), VM_STOP_QUIT);
    UT_EQ(vm_pause(vm), -EINVAL);
    UT_EQ(vm_pause_request(vm), -EINVAL);
    UT_EQ(vm_resume(vm), -EINVAL);
    vm_destroy(vm);
}

static void test_paused_before_run(void)
{
    struct vm *vm = vm_with(prog_count, sizeof(prog_count), "count", 1);
    if (!vm) return;
    UT_EQ(vm_pause(vm), 0); /* as a debugger's "start stopped" */
    UT_EQ(vm_state(vm), VM_STATE_PAUSED);
    struct runner r = {.vm = vm};
    pthread_create(&r.tid, NULL, run_thread, &r);
    vm_wait_started(vm);
    UT_EQ(vm_state(vm), VM_STATE_PAUSED);
    UT_EQ(instret(vm), 0); /* not one instruction ran */
    UT_EQ(vm_resume(vm), 0);
    /* Resumed, it runs: wait for its first instructions (the bound only
     * turns a hang into a failure). */
    for (int ms = 0; ms < 10000 && !instret(vm); ms++)
        usleep(1000);
    UT_CHECK(instret(vm) > 0);
    vm_request_stop(vm, VM_STOP_QUIT, 0);
    pthread_join(r.tid, NULL);
    UT_EQ(vm_state(vm), VM_STATE_FINISHED);
    vm_destroy(vm);
}

static void test_guest_poweroff(void)
{
    struct vm *vm = vm_with(prog_poweroff, sizeof(prog_poweroff), "poweroff", 1);
    if (!vm) return;
    UT_EQ(vm_run(vm), 0);
    UT_EQ(vm_state(vm), VM_STATE_FINISHED);
    UT_EQ(vm_stop_reason(vm), VM_STOP_POWEROFF);
    vm_destroy(vm);
}

/* A guest that resets at once, over and over: a pause lands in RUNNING or
 * in a reset's STOPPING, and in both the rebuilt board's vCPUs park. */
static void test_pause_across_resets(void)
{
    struct vm *vm = vm_with(prog_reset, sizeof(prog_reset), "reset", 2);
    if (!vm) return;
    struct runner r = {.vm = vm};
    pthread_create(&r.tid, NULL, run_thread, &r);
    vm_wait_started(vm);
    for (int k = 0; k < 50; k++) {
        UT_EQ(vm_pause(vm), 0);
        UT_EQ(vm_state(vm), VM_STATE_PAUSED);
        UT_EQ(vm_resume(vm), 0);
    }
    /* A loaded host may run the guest too little between the pauses to
     * reset: wait for a reset (the guest does nothing else), then quit. */
    struct vm_totals *t = malloc(sizeof(*t));
    for (int ms = 0; ms < 120000; ms += 10) {
        vm_stats_read(vm, t);
        if (t->reboots > 0) break;
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    vm_request_stop(vm, VM_STOP_QUIT, 0);
    pthread_join(r.tid, NULL);
    vm_stats_read(vm, t);
    UT_CHECK(t->reboots > 0);
    free(t);
    UT_EQ(vm_stop_reason(vm), VM_STOP_QUIT);
    vm_destroy(vm);
}

int main(void)
{
    if (!mkdtemp(dir)) return 1;
    ut_run("vm_state_pause_resume_stop", test_pause_resume_stop);
    ut_run("vm_state_paused_before_run", test_paused_before_run);
    ut_run("vm_state_guest_poweroff", test_guest_poweroff);
    ut_run("vm_state_pause_across_resets", test_pause_across_resets);
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd)) return 1;
    return ut_exit();
}
