/* A virtual machine: the board, its clock and console, and the loop that
 * runs the harts and serves their exits. The embedding API for front ends
 * (CLI now, the control API later). */
#ifndef RVMM_VMM_VM_H
#define RVMM_VMM_VM_H

#include "common/clock.h"
#include "machine/board.h"
#include "vmm/console.h"

#include <stdio.h>

struct vm_config {
    struct board_config board;
    bool stats;
};

struct vm_totals {
    struct hart_stats hart;
    uint64_t instret;
    uint64_t mmio_reads[BUS_MAX_REGIONS], mmio_writes[BUS_MAX_REGIONS];
    const char *mmio_names[BUS_MAX_REGIONS];
    int nregions;
};

struct vm {
    struct vm_config cfg;
    struct board *board;
    struct vclock clock;
    struct console console;
    bool waiting[BOARD_MAX_HARTS]; /* hart is in WFI */
    uint64_t start_ns;
    uint64_t resets;
    struct vm_totals totals;
};

int vm_create(struct vm **out, const struct vm_config *cfg, char *err, size_t errlen);
void vm_destroy(struct vm *vm);
/* Runs until the guest powers off or fails, or the user quits. Returns the
 * process exit status: 0 for poweroff, the guest's code for a failure, or a
 * negative errno for an internal error. */
int vm_run(struct vm *vm);
void vm_print_stats(struct vm *vm, FILE *f);

#endif
