/* SIGTERM, SIGINT and SIGHUP stop rvmm cleanly, as Ctrl-A x does: the VM
 * stops, the disks are flushed, the terminal is restored and the API socket
 * removed; the exit status is then 128 + the signal's number, as a shell
 * reports a process killed by it. The signals are blocked in every thread
 * and taken by one thread of their own with sigwaitinfo, so no handler
 * runs in the middle of guest code or a lock. SIGPIPE is ignored: a closed
 * stdout is an error on the write, not the end of the VM. */
#ifndef RVMM_CLI_SIGNALS_H
#define RVMM_CLI_SIGNALS_H

#include <pthread.h>
#include <stdbool.h>

struct api_server;
struct vm;

struct cli_signals {
    pthread_mutex_t lock;
    pthread_t thread;
    bool started;
    int signo;              /* the first stop signal taken, 0 if none */
    struct vm *vm;          /* stopped by a signal once set */
    struct api_server *api; /* its wait for a VM ends on a signal */
};

/* Blocks the stop signals in the calling thread: call before any other
 * thread exists, so all inherit the mask. */
void cli_signals_block(void);
/* Starts the thread that takes them. */
int cli_signals_start(struct cli_signals *s);
/* What a signal stops from now on (either may be NULL). A signal taken
 * before is applied at once. */
void cli_signals_watch(struct cli_signals *s, struct vm *vm, struct api_server *api);
/* The exit status a signal asks for (128 + signo), or status if none came. */
int cli_signals_status(struct cli_signals *s, int status);

#endif
