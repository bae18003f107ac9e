/* The I/O thread: one epoll loop that serves the block and network backends
 * and the console, so that a vCPU never blocks on host I/O. A vCPU that
 * needs I/O (a virtqueue notify) posts an event and returns to the guest;
 * the loop thread does the host I/O and raises the interrupt.
 *
 * Callbacks run on the loop thread, one at a time. Registration and posting
 * may be done from any thread. */
#ifndef RVMM_COMMON_IOLOOP_H
#define RVMM_COMMON_IOLOOP_H

#include <stdbool.h>
#include <stdint.h>

struct ioloop;
struct ioloop_event;

/* events: the EPOLLIN/EPOLLOUT/EPOLLERR/EPOLLHUP bits that fired. */
typedef void (*ioloop_fd_fn)(void *opaque, uint32_t events);
typedef void (*ioloop_fn)(void *opaque);
/* Called before every wait; may lower *timeout_ms (-1 = no limit), e.g. for
 * a backend's timers. */
typedef void (*ioloop_prepare_fn)(void *opaque, int *timeout_ms);

int ioloop_create(struct ioloop **out);
/* Starts the loop thread. Before that, nothing runs and run_sync is inline. */
int ioloop_start(struct ioloop *l);
/* Stops and joins the thread, then frees everything still registered. */
void ioloop_destroy(struct ioloop *l);
bool ioloop_in_thread(const struct ioloop *l);

/* Watches fd for `events` (EPOLLIN, EPOLLOUT, ...), level-triggered. */
int ioloop_add_fd(struct ioloop *l, int fd, uint32_t events, ioloop_fd_fn fn, void *opaque);
int ioloop_mod_fd(struct ioloop *l, int fd, uint32_t events);
/* After it returns on the loop thread, fn is not called again for fd; from
 * another thread, a callback already running may still finish. */
void ioloop_del_fd(struct ioloop *l, int fd);

/* An event is a wake-up any thread can post without blocking (an eventfd):
 * posts made before the loop gets to it coalesce into one call of fn. */
int ioloop_event_new(struct ioloop *l, ioloop_fn fn, void *opaque, struct ioloop_event **out);
void ioloop_event_post(struct ioloop_event *e);
void ioloop_event_free(struct ioloop_event *e);

int ioloop_add_prepare(struct ioloop *l, ioloop_prepare_fn fn, void *opaque);
void ioloop_del_prepare(struct ioloop *l, ioloop_prepare_fn fn, void *opaque);

/* Runs fn(opaque) on the loop thread between callbacks and waits for it:
 * when it returns, no callback is running. Used to quiesce devices (pause,
 * snapshot). Inline when called on the loop thread or before start. */
void ioloop_run_sync(struct ioloop *l, ioloop_fn fn, void *opaque);

/* Parks the loop thread between callbacks until ioloop_resume(): while a VM
 * is paused no backend may touch guest RAM or device state (a frame that
 * arrives stays in the host socket). Returns once the loop is parked. While
 * parked, ioloop_run_sync() runs fn on the caller's thread, which is safe
 * because no callback can run, and watches may be added and removed from
 * any thread. Not from the loop thread; does not nest. */
void ioloop_pause(struct ioloop *l);
void ioloop_resume(struct ioloop *l);

#endif
