/* The I/O thread's epoll loop. The loop thread holds `lock` while it
 * dispatches a batch of callbacks, so another thread that changes the
 * registrations waits for the batch to end: a watch it deletes is never
 * called afterwards and its memory is not freed under a running callback.
 * The loop thread itself changes registrations without taking the lock
 * (it already holds it); watches it deletes mid-batch are only marked dead
 * and freed when the batch ends. */
#include "common/ioloop.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define IOLOOP_BATCH 64

struct watch {
    int fd;
    bool dead;
    ioloop_fd_fn fn;
    void *opaque;
    struct watch *next;
};

struct ioloop_event {
    struct ioloop *loop;
    int fd; /* eventfd */
    ioloop_fn fn;
    void *opaque;
};

struct prepare {
    ioloop_prepare_fn fn;
    void *opaque;
    struct prepare *next;
};

struct sync_req {
    ioloop_fn fn;
    void *opaque;
    bool done;
    struct sync_req *next;
};

struct ioloop {
    int epfd;
    int wake_fd; /* eventfd: stop and run_sync requests */
    pthread_t thread;
    bool running;
    bool stop;
    pthread_mutex_t lock; /* registrations; held by the loop while dispatching */
    pthread_mutex_t sync_lock;
    pthread_cond_t sync_cond;
    struct sync_req *sync_head;
    struct sync_req park_req; /* queued by ioloop_pause */
    bool pause_req;           /* under sync_lock */
    bool park_queued;         /* under sync_lock: park_req is in sync_head's list */
    bool parked;              /* under sync_lock: the loop waits in park() */
    bool holds_lock;          /* loop thread only: it runs sync requests holding lock */
    struct watch *watches;
    struct prepare *prepares;
};

/* The loop thread's identity: registrations made on it skip the lock. */
static _Thread_local const struct ioloop *current_loop;

bool ioloop_in_thread(const struct ioloop *l)
{
    return current_loop == l;
}

static void reg_lock(struct ioloop *l)
{
    if (!ioloop_in_thread(l)) pthread_mutex_lock(&l->lock);
}

static void reg_unlock(struct ioloop *l)
{
    if (!ioloop_in_thread(l)) pthread_mutex_unlock(&l->lock);
}

static void wake(int fd)
{
    uint64_t one = 1;
    /* EAGAIN means the counter is already non-zero: the wake-up is pending. */
    ssize_t n = write(fd, &one, sizeof(one));
    (void)n;
}

static void drain(int fd)
{
    uint64_t v;
    ssize_t n = read(fd, &v, sizeof(v));
    (void)n;
}

int ioloop_create(struct ioloop **out)
{
    struct ioloop *l = calloc(1, sizeof(*l));
    if (!l) return -ENOMEM;
    l->epfd = epoll_create1(EPOLL_CLOEXEC);
    l->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    pthread_mutex_init(&l->lock, NULL);
    pthread_mutex_init(&l->sync_lock, NULL);
    pthread_cond_init(&l->sync_cond, NULL);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    if (l->epfd < 0 || l->wake_fd < 0 || epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->wake_fd, &ev)) {
        int rc = -errno;
        ioloop_destroy(l);
        return rc;
    }
    *out = l;
    return 0;
}

static void run_sync_requests(struct ioloop *l)
{
    pthread_mutex_lock(&l->sync_lock);
    while (l->sync_head) {
        struct sync_req *r = l->sync_head;
        l->sync_head = r->next;
        pthread_mutex_unlock(&l->sync_lock);
        r->fn(r->opaque);
        pthread_mutex_lock(&l->sync_lock);
        r->done = true;
    }
    pthread_cond_broadcast(&l->sync_cond);
    pthread_mutex_unlock(&l->sync_lock);
}

static void free_dead_watches(struct ioloop *l)
{
    struct watch **pp = &l->watches;
    while (*pp) {
        struct watch *w = *pp;
        if (w->dead) {
            *pp = w->next;
            free(w);
        } else {
            pp = &w->next;
        }
    }
}

static int prepare_timeout(struct ioloop *l)
{
    int timeout = -1;
    for (struct prepare *p = l->prepares; p; p = p->next)
        p->fn(p->opaque, &timeout);
    return timeout;
}

static void *ioloop_thread(void *arg)
{
    struct ioloop *l = arg;
    current_loop = l;
    struct epoll_event evs[IOLOOP_BATCH];
    pthread_mutex_lock(&l->lock);
    while (!__atomic_load_n(&l->stop, __ATOMIC_ACQUIRE)) {
        int timeout = prepare_timeout(l);
        pthread_mutex_unlock(&l->lock);
        int n = epoll_wait(l->epfd, evs, IOLOOP_BATCH, timeout);
        pthread_mutex_lock(&l->lock);
        for (int k = 0; k < n; k++) {
            struct watch *w = evs[k].data.ptr;
            if (!w) {
                drain(l->wake_fd);
                continue;
            }
            if (!w->dead) w->fn(w->opaque, evs[k].events);
        }
        free_dead_watches(l);
        l->holds_lock = true;
        run_sync_requests(l);
        l->holds_lock = false;
    }
    pthread_mutex_unlock(&l->lock);
    run_sync_requests(l);
    return NULL;
}

int ioloop_start(struct ioloop *l)
{
    if (l->running) return 0;
    int rc = pthread_create(&l->thread, NULL, ioloop_thread, l);
    if (rc) return -rc;
    l->running = true;
    return 0;
}

void ioloop_destroy(struct ioloop *l)
{
    if (!l) return;
    if (l->running) {
        ioloop_resume(l);
        __atomic_store_n(&l->stop, true, __ATOMIC_RELEASE);
        wake(l->wake_fd);
        pthread_join(l->thread, NULL);
    }
    while (l->watches) {
        struct watch *w = l->watches;
        l->watches = w->next;
        free(w);
    }
    while (l->prepares) {
        struct prepare *p = l->prepares;
        l->prepares = p->next;
        free(p);
    }
    if (l->epfd >= 0) close(l->epfd);
    if (l->wake_fd >= 0) close(l->wake_fd);
    pthread_mutex_destroy(&l->lock);
    pthread_mutex_destroy(&l->sync_lock);
    pthread_cond_destroy(&l->sync_cond);
    free(l);
}

static struct watch *find_watch(struct ioloop *l, int fd)
{
    for (struct watch *w = l->watches; w; w = w->next)
        if (w->fd == fd && !w->dead) return w;
    return NULL;
}

int ioloop_add_fd(struct ioloop *l, int fd, uint32_t events, ioloop_fd_fn fn, void *opaque)
{
    struct watch *w = calloc(1, sizeof(*w));
    if (!w) return -ENOMEM;
    *w = (struct watch){.fd = fd, .fn = fn, .opaque = opaque};
    reg_lock(l);
    struct epoll_event ev = {.events = events, .data.ptr = w};
    int rc = epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
    if (rc) {
        free(w);
    } else {
        w->next = l->watches;
        l->watches = w;
    }
    reg_unlock(l);
    return rc;
}

int ioloop_mod_fd(struct ioloop *l, int fd, uint32_t events)
{
    reg_lock(l);
    struct watch *w = find_watch(l, fd);
    int rc = -ENOENT;
    if (w) {
        struct epoll_event ev = {.events = events, .data.ptr = w};
        rc = epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) ? -errno : 0;
    }
    reg_unlock(l);
    return rc;
}

void ioloop_del_fd(struct ioloop *l, int fd)
{
    reg_lock(l);
    struct watch *w = find_watch(l, fd);
    if (w) {
        epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
        w->dead = true;
        if (!ioloop_in_thread(l)) free_dead_watches(l);
    }
    reg_unlock(l);
}

static void event_fire(void *opaque, uint32_t events)
{
    (void)events;
    struct ioloop_event *e = opaque;
    drain(e->fd);
    e->fn(e->opaque);
}

int ioloop_event_new(struct ioloop *l, ioloop_fn fn, void *opaque, struct ioloop_event **out)
{
    struct ioloop_event *e = calloc(1, sizeof(*e));
    if (!e) return -ENOMEM;
    *e = (struct ioloop_event){.loop = l, .fn = fn, .opaque = opaque};
    e->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    int rc = e->fd < 0 ? -errno : ioloop_add_fd(l, e->fd, EPOLLIN, event_fire, e);
    if (rc) {
        if (e->fd >= 0) close(e->fd);
        free(e);
        return rc;
    }
    *out = e;
    return 0;
}

void ioloop_event_post(struct ioloop_event *e)
{
    wake(e->fd);
}

void ioloop_event_free(struct ioloop_event *e)
{
    if (!e) return;
    ioloop_del_fd(e->loop, e->fd);
    close(e->fd);
    free(e);
}

int ioloop_add_prepare(struct ioloop *l, ioloop_prepare_fn fn, void *opaque)
{
    struct prepare *p = calloc(1, sizeof(*p));
    if (!p) return -ENOMEM;
    *p = (struct prepare){.fn = fn, .opaque = opaque};
    reg_lock(l);
    p->next = l->prepares;
    l->prepares = p;
    reg_unlock(l);
    wake(l->wake_fd); /* the new hook may want a shorter timeout */
    return 0;
}

void ioloop_del_prepare(struct ioloop *l, ioloop_prepare_fn fn, void *opaque)
{
    reg_lock(l);
    for (struct prepare **pp = &l->prepares; *pp; pp = &(*pp)->next) {
        if ((*pp)->fn == fn && (*pp)->opaque == opaque) {
            struct prepare *p = *pp;
            *pp = p->next;
            free(p);
            break;
        }
    }
    reg_unlock(l);
}

void ioloop_run_sync(struct ioloop *l, ioloop_fn fn, void *opaque)
{
    if (!l->running || ioloop_in_thread(l)) {
        fn(opaque);
        return;
    }
    struct sync_req r = {.fn = fn, .opaque = opaque};
    pthread_mutex_lock(&l->sync_lock);
    if (l->parked) {
        /* The loop is parked between callbacks: running here is as safe as
         * running there, and waiting for it would wait for the resume. */
        pthread_mutex_unlock(&l->sync_lock);
        fn(opaque);
        return;
    }
    r.next = l->sync_head;
    l->sync_head = &r;
    wake(l->wake_fd);
    while (!r.done)
        pthread_cond_wait(&l->sync_cond, &l->sync_lock);
    pthread_mutex_unlock(&l->sync_lock);
}

/* Runs on the loop thread as a sync request: holds it until resumed. */
static void park(void *opaque)
{
    struct ioloop *l = opaque;
    /* No callback runs while parked: let other threads register and
     * deregister meanwhile (a VM stopped while paused closes its console),
     * which a sync request they run inline may do. */
    bool held = l->holds_lock;
    if (held) pthread_mutex_unlock(&l->lock);
    pthread_mutex_lock(&l->sync_lock);
    l->park_queued = false;
    l->parked = true;
    pthread_cond_broadcast(&l->sync_cond);
    while (l->pause_req)
        pthread_cond_wait(&l->sync_cond, &l->sync_lock);
    l->parked = false;
    pthread_mutex_unlock(&l->sync_lock);
    if (held) pthread_mutex_lock(&l->lock);
}

void ioloop_pause(struct ioloop *l)
{
    if (!l->running || ioloop_in_thread(l)) return;
    pthread_mutex_lock(&l->sync_lock);
    if (!l->pause_req) {
        l->pause_req = true;
        /* A resume followed at once by a pause can find park_req still
         * queued: queueing it again would link it to itself and spin the
         * loop thread in run_sync_requests for ever. The queued one parks. */
        if (!l->park_queued) {
            l->park_req = (struct sync_req){.fn = park, .opaque = l, .next = l->sync_head};
            l->sync_head = &l->park_req;
            l->park_queued = true;
        }
        wake(l->wake_fd);
    }
    while (!l->parked)
        pthread_cond_wait(&l->sync_cond, &l->sync_lock);
    pthread_mutex_unlock(&l->sync_lock);
}

void ioloop_resume(struct ioloop *l)
{
    pthread_mutex_lock(&l->sync_lock);
    l->pause_req = false;
    pthread_cond_broadcast(&l->sync_cond);
    pthread_mutex_unlock(&l->sync_lock);
}
