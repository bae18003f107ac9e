/* Test driver for pause/resume and snapshots through the embedding API
 * (vmm/vm.h), the way a front end uses it: it boots a guest on a thread,
 * watches the console output for a marker, then pauses and resumes the VM
 * many times (--pause-cycles; with --until, on until a second marker shows,
 * which lets a test reboot the guest meanwhile) and/or pauses it and writes a snapshot
 * (--snapshot STATE MEM) and quits. Console output still reaches stdout
 * (through a pipe the driver reads) and stdin still reaches the guest.
 *
 * usage: snapdrv --kernel K [--initrd I] [--smp N] [-m MIB] [--rng] [--drive IMG]
 *                [--console uart|virtio] [--append STR]
 *                --marker TEXT [--pause-cycles N [--until TEXT]] [--snapshot STATE MEM] */
#include "vmm/snapshot.h"
#include "vmm/vm.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

struct tee {
    int in, out;
    const char *marker[2]; /* the start marker, and the optional --until one */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    /* Held from a read to the end of its copy, so tee_flushed() can tell
     * that nothing the VM wrote is still on its way to stdout. */
    pthread_mutex_t copy_lock;
    bool seen[2], eof;
};

/* Scans a window of recent output for a marker that may span reads. */
struct scan {
    char win[8192];
    size_t len;
};

static bool scan_feed(struct scan *sc, const char *marker, const char *buf, size_t n)
{
    size_t mlen = strlen(marker);
    bool hit = false;
    for (size_t k = 0; k < n; k++) {
        if (sc->len == sizeof(sc->win) - 1) { /* keep a marker's worth */
            size_t keep = mlen < sc->len ? mlen : sc->len;
            memmove(sc->win, sc->win + sc->len - keep, keep);
            sc->len = keep;
        }
        sc->win[sc->len++] = buf[k];
        sc->win[sc->len] = 0;
        if (sc->len >= mlen && !memcmp(sc->win + sc->len - mlen, marker, mlen)) hit = true;
    }
    return hit;
}

/* Copies the console pipe to the real stdout and notes the marker. */
static void *tee_thread(void *arg)
{
    struct tee *t = arg;
    struct scan sc[2] = {0};
    for (;;) {
        char buf[4096];
        struct pollfd p = {.fd = t->in, .events = POLLIN};
        if (poll(&p, 1, -1) < 0 && errno != EINTR) break;
        pthread_mutex_lock(&t->copy_lock);
        ssize_t n = read(t->in, buf, sizeof(buf));
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(t->out, buf + off, (size_t)(n - off));
            if (w <= 0) break;
            off += w;
        }
        pthread_mutex_unlock(&t->copy_lock);
        if (n <= 0) break;
        for (int m = 0; m < 2; m++) {
            if (!t->marker[m] || !scan_feed(&sc[m], t->marker[m], buf, (size_t)n)) continue;
            pthread_mutex_lock(&t->lock);
            t->seen[m] = true;
            pthread_cond_broadcast(&t->cond);
            pthread_mutex_unlock(&t->lock);
        }
    }
    pthread_mutex_lock(&t->lock);
    t->eof = true;
    pthread_cond_broadcast(&t->cond);
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

/* True once every byte in the pipe has been copied: the tee reads only
 * under copy_lock, so an empty pipe seen under it means none is in flight. */
static bool tee_flushed(struct tee *t)
{
    pthread_mutex_lock(&t->copy_lock);
    int pending = 0;
    bool empty = ioctl(t->in, FIONREAD, &pending) == 0 && pending == 0;
    pthread_mutex_unlock(&t->copy_lock);
    return empty;
}

struct runner {
    struct vm *vm;
    int status;
    bool done;
};

static void *run_thread(void *arg)
{
    struct runner *r = arg;
    r->status = vm_run(r->vm);
    fflush(stdout);
    __atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
    return NULL;
}

static void sleep_us(unsigned us)
{
    struct timespec ts = {us / 1000000, (long)(us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

static int fail(const char *what, int rc)
{
    fprintf(stderr, "snapdrv: %s failed (%d)\n", what, rc);
    return 1;
}

int main(int argc, char **argv)
{
    struct vm_config cfg = {
        .board = {
            .ram_size = 256ULL << 20, .nharts = 1, .sbi_builtin = true, .append = "console=ttyS0"}};
    const char *marker = NULL, *until = NULL, *state = NULL, *mem = NULL;
    long cycles = 0;
    for (int k = 1; k < argc; k++) {
        const char *a = argv[k], *v = k + 1 < argc ? argv[k + 1] : NULL;
        if (!strcmp(a, "--rng")) {
            cfg.board.rng = true;
            continue;
        }
        if (!v) {
            fprintf(stderr, "snapdrv: %s needs an argument\n", a);
            return 2;
        }
        k++;
        if (!strcmp(a, "--kernel"))
            cfg.board.kernel = v;
        else if (!strcmp(a, "--initrd"))
            cfg.board.initrd = v;
        else if (!strcmp(a, "--append"))
            cfg.board.append = v;
        else if (!strcmp(a, "--smp"))
            cfg.board.nharts = (unsigned)atoi(v);
        else if (!strcmp(a, "-m"))
            cfg.board.ram_size = strtoull(v, NULL, 10) << 20;
        else if (!strcmp(a, "--drive") && cfg.ndrives < VM_MAX_DRIVES) {
            /* ids as the command line gives them: drive0, drive1, ... */
            struct vm_drive *d = &cfg.drives[cfg.ndrives];
            snprintf(d->id, sizeof(d->id), "drive%u", cfg.ndrives++);
            snprintf(d->path, sizeof(d->path), "%s", v);
        } else if (!strcmp(a, "--console"))
            cfg.console = strcmp(v, "virtio") ? VM_CONSOLE_UART : VM_CONSOLE_VIRTIO;
        else if (!strcmp(a, "--marker"))
            marker = v;
        else if (!strcmp(a, "--pause-cycles"))
            cycles = atol(v);
        else if (!strcmp(a, "--until"))
            until = v;
        else if (!strcmp(a, "--snapshot") && k + 1 < argc) {
            state = v;
            mem = argv[++k];
        } else {
            fprintf(stderr, "snapdrv: unknown option %s\n", a);
            return 2;
        }
    }
    if ((marker && strlen(marker) > 256) || (until && strlen(until) > 256)) {
        fprintf(stderr, "snapdrv: markers are at most 256 bytes\n");
        return 2;
    }
    if (!cfg.board.kernel || !marker) {
        fprintf(stderr, "snapdrv: --kernel and --marker are required\n");
        return 2;
    }

    int fds[2];
    if (pipe(fds)) return fail("pipe", -1);
    struct tee tee = {.in = fds[0], .out = dup(STDOUT_FILENO), .marker = {marker, until}};
    pthread_mutex_init(&tee.lock, NULL);
    pthread_mutex_init(&tee.copy_lock, NULL);
    pthread_cond_init(&tee.cond, NULL);
    fflush(stdout);
    dup2(fds[1], STDOUT_FILENO);
    close(fds[1]);
    pthread_t tee_tid, run_tid;
    pthread_create(&tee_tid, NULL, tee_thread, &tee);

    struct vm *vm;
    char err[512];
    int rc = vm_create(&vm, &cfg, err, sizeof(err));
    if (rc) {
        fprintf(stderr, "snapdrv: %s\n", err);
        return 2;
    }
    struct runner r = {.vm = vm};
    pthread_create(&run_tid, NULL, run_thread, &r);

    pthread_mutex_lock(&tee.lock);
    while (!tee.seen[0] && !tee.eof)
        pthread_cond_wait(&tee.cond, &tee.lock);
    bool seen = tee.seen[0];
    pthread_mutex_unlock(&tee.lock);
    if (!seen) return fail("waiting for the marker", -1);

    unsigned seed = (unsigned)time(NULL);
    long c = 0;
    for (; c < cycles || (until && !__atomic_load_n(&tee.seen[1], __ATOMIC_ACQUIRE)); c++) {
        if (__atomic_load_n(&r.done, __ATOMIC_ACQUIRE))
            return fail("the guest ended while cycling", 0);
        if ((rc = vm_pause(vm))) return fail("vm_pause", rc);
        if (vm_state(vm) != VM_STATE_PAUSED) return fail("state after pause", vm_state(vm));
        if (vm_pause(vm) != -EINVAL) return fail("a second vm_pause", 0);
        sleep_us((unsigned)rand_r(&seed) % 3000);
        if ((rc = vm_resume(vm))) return fail("vm_resume", rc);
        /* The vCPUs run at once: a reboot the guest was about to do (the
         * test reboots it while the cycles go on) may already have been
         * requested when this thread looks, on a loaded host. */
        enum vm_state st = vm_state(vm);
        if (st != VM_STATE_RUNNING &&
            !(st == VM_STATE_STOPPING && vm_stop_reason(vm) == VM_STOP_RESET))
            return fail("state after resume", st);
        sleep_us((unsigned)rand_r(&seed) % 20000);
    }
    if (cycles) fprintf(stderr, "snapdrv: %ld pause/resume cycles done\n", c);

    if (state) {
        if ((rc = vm_pause(vm))) return fail("vm_pause", rc);
        rc = vm_snapshot_create(vm, state, mem, err, sizeof(err));
        if (rc) {
            fprintf(stderr, "snapdrv: %s\n", err);
            return 1;
        }
        /* The pause drained the console into the pipe: let all of it reach
         * stdout first, so a test that kills us on this line has seen
         * every byte the guest wrote before the snapshot. */
        fflush(stdout);
        while (!tee_flushed(&tee))
            sleep_us(1000);
        fprintf(stderr, "snapdrv: snapshot written\n");
        vm_request_stop(vm, VM_STOP_QUIT, 0);
    }
    pthread_join(run_tid, NULL);
    vm_destroy(vm);
    fflush(stdout);
    dup2(tee.out, STDOUT_FILENO); /* ends the tee: the pipe's last writer closes */
    pthread_join(tee_tid, NULL);
    return r.status < 0 ? 1 : r.status;
}
