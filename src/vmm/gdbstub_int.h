/* Shared by gdbstub.c (socket, thread, run control), gdbstub_cmd.c
 * (packet handlers) and gdbstub_regs.c (registers, target description):
 * the stub's state. Only the stub's thread touches it,
 * except `dbg`, which harts read while they run and the stub changes only
 * while every hart is parked. */
#ifndef RVMM_VMM_GDBSTUB_INT_H
#define RVMM_VMM_GDBSTUB_INT_H

#include "cpu/hart_debug.h"
#include "vmm/gdbstub.h"
#include "vmm/gdbstub_proto.h"
#include "vmm/vm.h"
#include "vmm/vm_impl.h"

#include <pthread.h>

/* What a packet handler asks of the connection besides its reply. */
enum gdb_action {
    GDB_REPLY,  /* send the reply */
    GDB_RESUME, /* send nothing now: resume (step_hart >= 0: step it) */
    GDB_DETACH, /* send the reply, then resume and drop the connection */
    GDB_KILL,   /* no reply: end the VM and drop the connection */
};

struct gdbstub {
    struct vm *vm;
    int listen_fd, client_fd, wake_fd;
    pthread_t thread;
    bool thread_started;
    int quit; /* atomic: destroy asked the thread to end */
    int exit_status;
    char unix_path[108];
    struct hart_debug dbg;
    /* Connection state. */
    struct gdb_rx rx;
    bool noack;
    bool running;  /* resumed on gdb's request: a stop reply is owed */
    int g_hart;    /* Hg: hart for registers and memory */
    int c_hart;    /* Hc: hart for c/s without vCont */
    int step_hart; /* with GDB_RESUME: the hart to single-step, or -1 */
    char reply[GDB_PACKET_MAX + 1];
    size_t reply_len;
    char frame[2 * GDB_PACKET_MAX + 8];
    size_t frame_len; /* the last frame sent, for a '-' */
    char *xml;        /* target.xml */
    size_t xml_len;
};

/* gdb's register number of the pc (x0-x31 come before it). */
#define GDB_REG_PC 32

/* gdbstub_cmd.c */
enum gdb_action gdb_handle_packet(struct gdbstub *g, const char *pkt, size_t len);
/* Formats the reply into g->reply. */
void gdb_reply(struct gdbstub *g, const char *fmt, ...);
/* The hart Hg selected (registers and memory). */
struct rv_hart *gdb_cur_hart(struct gdbstub *g);
/* gdbstub_regs.c */
int gdb_build_xml(struct gdbstub *g);
/* g, G, p and P. */
enum gdb_action gdb_regs_packet(struct gdbstub *g, const char *pkt);
/* Writes register n (gdb's numbering) of hart h: 0 or -EINVAL. */
int gdb_reg_set(struct rv_hart *h, unsigned n, uint64_t v);
/* The stop reply for a hart's debug_stop (or a signal when 0) into g->reply. */
void gdb_stop_reply(struct gdbstub *g, unsigned hart, int signal);
/* gdbstub.c: sends an O (console output) packet to the debugger. */
void gdb_send_output(struct gdbstub *g, const char *text);
/* The harts of the current board (the VM is paused when handlers run). */
struct rv_hart *gdb_hart(struct gdbstub *g, unsigned k);
unsigned gdb_nharts(struct gdbstub *g);

#endif
