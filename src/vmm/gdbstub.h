/* A GDB remote stub for one VM (QEMU's -s/-gdb): listens on a TCP or unix
 * socket, serves one debugger at a time on its own thread, and drives the
 * VM through vm_pause()/vm_resume() (all-stop: every hart stops together)
 * and the CPU's debug table (cpu/hart_debug.h). One gdb thread per hart. */
#ifndef RVMM_VMM_GDBSTUB_H
#define RVMM_VMM_GDBSTUB_H

#include <stdbool.h>
#include <stddef.h>

struct gdbstub;
struct vm;
struct board;

/* Checks a --gdb spec: "tcp:[HOST]:PORT" (loopback when HOST is empty) or
 * "unix:PATH". 0, or -EINVAL with one line in err. */
int gdbstub_check_spec(const char *spec, char *err, size_t errlen);
/* Listens on spec and starts serving; the VM's harts get the debug table.
 * Call before vm_run(). 0, or a negative errno with one line in err. */
int gdbstub_create(struct gdbstub **out, struct vm *vm, const char *spec, char *err, size_t errlen);
/* After vm_run() returned: tells an attached debugger the VM exited with
 * `status` (W packet), stops the thread, closes the sockets. NULL is fine. */
void gdbstub_destroy(struct gdbstub *g, int status);

/* From a vCPU thread: its hart stopped for the debugger (h->debug_stop is
 * set). Asks every vCPU to park and wakes the stub, which reports it. */
void gdbstub_hart_stopped(struct gdbstub *g, unsigned hart);
/* A board (re)built: its harts get the debug table. */
void gdbstub_board_built(struct gdbstub *g, struct board *b);

#endif
