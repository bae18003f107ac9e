/* The stop-signal thread (signals.h). */
#include "cli/signals.h"

#include "api/api.h"
#include "vmm/vm.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static void stop_set(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGHUP);
}

void cli_signals_block(void)
{
    sigset_t set;
    stop_set(&set);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* Under s->lock: stops what is watched. */
static void apply(struct cli_signals *s)
{
    if (!s->signo) return;
    if (s->vm) vm_request_quit(s->vm);
    if (s->api) api_server_cancel_wait(s->api);
}

static void *signal_thread(void *opaque)
{
    struct cli_signals *s = opaque;
    sigset_t set;
    stop_set(&set);
    for (;;) {
        siginfo_t si;
        int sig = sigwaitinfo(&set, &si);
        if (sig < 0) continue;
        pthread_mutex_lock(&s->lock);
        if (!s->signo) {
            s->signo = sig;
            fprintf(stderr, "rvmm: terminating on signal %d (%s)\n", sig, strsignal(sig));
        }
        apply(s);
        pthread_mutex_unlock(&s->lock);
    }
    return NULL;
}

int cli_signals_start(struct cli_signals *s)
{
    memset(s, 0, sizeof(*s));
    pthread_mutex_init(&s->lock, NULL);
    int rc = pthread_create(&s->thread, NULL, signal_thread, s);
    if (rc) return -rc;
    /* It runs until the process exits: nothing waits for it. */
    pthread_detach(s->thread);
    s->started = true;
    return 0;
}

void cli_signals_watch(struct cli_signals *s, struct vm *vm, struct api_server *api)
{
    if (!s->started) return;
    pthread_mutex_lock(&s->lock);
    s->vm = vm;
    s->api = api;
    apply(s);
    pthread_mutex_unlock(&s->lock);
}

int cli_signals_status(struct cli_signals *s, int status)
{
    if (!s->started) return status;
    pthread_mutex_lock(&s->lock);
    int sig = s->signo;
    s->vm = NULL;
    s->api = NULL;
    pthread_mutex_unlock(&s->lock);
    return sig ? 128 + sig : status;
}
