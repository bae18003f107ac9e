/* A migration's source: the handshake (the destination checks the CPU
 * model and configuration before any memory), then a thread that sends
 * every page while the guest runs, then in rounds the pages the dirty log
 * caught, until what is left can be sent within the downtime limit. Then
 * the switch-over: the VM pauses, the disks are flushed, the last pages
 * and the snapshot sections (clock, vCPUs, board) go out, and once the
 * destination answers that it built the VM, this one ends. A failure or a
 * cancel before that answer resumes the guest here, as if nothing
 * happened. When the guest dirties memory faster than the link carries it,
 * auto-converge takes a growing share of the vCPUs' time (as QEMU does). */
#include "vmm/migration_impl.h"
#include "vmm/snapshot.h"
#include "vmm/vm_impl.h"

#include "backend/block/blockdev.h"
#include "common/errmsg.h"
#include "common/version.h"
#include "cpu/cpu_model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define VCLK_TAG STREAM_TAG('V', 'C', 'L', 'K')
/* Auto-converge, as QEMU's defaults: the first step and each next one. */
#define MIG_THROTTLE_FIRST 20
#define MIG_THROTTLE_STEP  10
#define MIG_THROTTLE_MAX   99
/* Pages per /proc/self/pagemap read in the first pass. */
#define MIG_CORE_CHUNK 512
/* The handshake's answer comes at once from a live destination. */
#define MIG_HELLO_TIMEOUT_S 30

struct mig {
    struct vm *vm;
    pthread_t thread;
    bool joinable;
    pthread_mutex_t lock; /* guards st */
    struct mig_status st;
    uint32_t downtime_ms, timeout_s;
    int strategy;
    bool auto_converge;
    struct mig_policy pol; /* kept across the rounds */
    unsigned round;        /* the next pre-copy round (0: the whole RAM) */
    uint64_t bandwidth;    /* the last round's, bytes per second */
    bool src_paused;       /* the VM was paused when it began: it is sent as it stands */
    int log_rc;            /* ram_dirty_log_start's result (the KVM engine's log can fail) */
    struct mig_codec codec;
    uint8_t *packed; /* a compressed PAGE payload */
    int fd;
    bool cancel;    /* PATCH /migration asked to stop (set under lock, read atomically) */
    bool committed; /* under lock: the last state is on its way, no cancel */
    struct board *board;
    uint64_t *bits;
    uint8_t *frame;
    uint64_t t0;
};

static void mig_update(struct mig *m, void (*fn)(struct mig_status *, const void *), const void *a)
{
    pthread_mutex_lock(&m->lock);
    fn(&m->st, a);
    pthread_mutex_unlock(&m->lock);
}

static void st_add_sent(struct mig_status *st, const void *a)
{
    st->bytes_sent += *(const uint64_t *)a;
}

static bool mig_page_zero(const uint8_t *p)
{
    const uint64_t *w = (const uint64_t *)p;
    for (unsigned k = 0; k < 4096 / 8; k++)
        if (w[k]) return false;
    return true;
}

static int mig_flush_batch(struct mig *m, size_t len, uint32_t count)
{
    for (int k = 0; k < 4; k++)
        m->frame[k] = (uint8_t)(count >> (8 * k));
    const uint8_t *payload = m->frame;
    if (m->codec.alg != MIG_COMPRESS_NONE) {
        size_t cap = mig_codec_bound(m->codec.alg, MIG_PAGE_MAX);
        int rc = mig_codec_pack(&m->codec, m->frame, len, m->packed, cap, &len);
        if (rc) return rc;
        payload = m->packed;
    }
    int rc = mig_send_frame(m->fd, MIG_TAG_PAGE, payload, len);
    uint64_t n = len + 12;
    if (!rc) mig_update(m, st_add_sent, &n);
    return rc;
}

/* Sends the pages whose bit is set in m->bits, or every non-zero page
 * (the first round: the destination's RAM starts zeroed). Stops early on a
 * cancel or a change of the VM's state unless paused (the switch-over). */
static int mig_send_pages(struct mig *m, bool first, bool paused)
{
    const struct guest_ram *ram = &m->board->ram;
    size_t len = 4;
    uint32_t count = 0;
    uint64_t map[MIG_CORE_CHUNK];
    /* The first pass skips pages anonymous RAM never had: neither in
     * memory nor swapped out (/proc/self/pagemap), they are zero, and
     * reading them would only fault the zero page in, page by page. */
    int pagemap =
        first && !ram->file_backed ? open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC) : -1;
    for (uint64_t p = 0; p < ram->npages; p++) {
        if (!first && !(m->bits[p / 64] & (1ULL << (p % 64)))) {
            if (!m->bits[p / 64]) p |= 63; /* skip a clean word */
            continue;
        }
        if (pagemap >= 0) {
            if (p % MIG_CORE_CHUNK == 0) {
                uint64_t n = ram->npages - p < MIG_CORE_CHUNK ? ram->npages - p : MIG_CORE_CHUNK;
                off_t at = (off_t)((uintptr_t)(ram->host + (p << RAM_PAGE_SHIFT)) >> 12) * 8;
                if (pread(pagemap, map, n * 8, at) != (ssize_t)(n * 8))
                    memset(map, 0xff, sizeof(map)); /* unknown: look at every page */
            }
            /* Bit 63: present, bit 62: swapped. A page of an image file
             * mapped into RAM shows the file's bytes either way. */
            if (!(map[p % MIG_CORE_CHUNK] >> 62) && !ram_page_on_file(ram, p)) continue;
        }
        const uint8_t *src = ram->host + (p << RAM_PAGE_SHIFT);
        bool zero = mig_page_zero(src);
        if (first && zero) continue;
        uint64_t e = p << 1 | zero;
        memcpy(m->frame + len, &e, 8); /* little-endian host (x86-64) */
        len += 8;
        if (!zero) {
            memcpy(m->frame + len, src, RAM_PAGE_SIZE);
            len += RAM_PAGE_SIZE;
        }
        if (++count == MIG_BATCH) {
            int rc = mig_flush_batch(m, len, count);
            if (rc) {
                if (pagemap >= 0) close(pagemap);
                return rc;
            }
            len = 4;
            count = 0;
            /* A paused VM stays PAUSED (resumes are refused); a
             * running one MIGRATING. */
            enum vm_state want = m->src_paused ? VM_STATE_PAUSED : VM_STATE_MIGRATING;
            int stop = __atomic_load_n(&m->cancel, __ATOMIC_ACQUIRE) ? -ECANCELED
                       : !paused && vm_state(m->vm) != want          ? -ESTALE
                                                                     : 0;
            if (stop) {
                if (pagemap >= 0) close(pagemap);
                return stop;
            }
        }
    }
    if (pagemap >= 0) close(pagemap);
    return count ? mig_flush_batch(m, len, count) : 0;
}

/* The last state, as a snapshot has it: guest time at the pause, the
 * vCPUs' HSM state, the board (harts, devices). */
static int mig_send_state(struct mig *m)
{
    struct vm *vm = m->vm;
    struct stream s;
    stream_init_writer(&s);
    size_t mark = stream_begin_section(&s, VCLK_TAG, 1);
    stream_put_u64(&s, vm->paused_ticks);
    stream_end_section(&s, mark);
    snap_vcpus_save(vm, &s);
    int rc = board_save(vm->board, &s);
    if (!rc) rc = s.err;
    if (!rc) rc = mig_send_frame(m->fd, MIG_TAG_STAT, s.buf, s.len);
    uint64_t n = s.len + 12;
    if (!rc) mig_update(m, st_add_sent, &n);
    stream_free(&s);
    return rc;
}

static int mig_recv_status(int fd, uint32_t want, char *msg, size_t msglen)
{
    uint8_t *buf = NULL;
    size_t cap = 0, len;
    uint32_t tag;
    int rc = mig_recv_frame(fd, &tag, &buf, &cap, &len);
    if (!rc && tag != want) rc = -EBADMSG;
    if (!rc) {
        struct stream s;
        stream_init_reader(&s, buf, len);
        int status = (int)stream_get_u32(&s);
        mig_get_str(&s, msg, msglen);
        rc = s.err ? -EBADMSG : status ? -EREMOTEIO : 0;
    }
    free(buf);
    return rc;
}

static uint64_t mig_now_ms(void)
{
    return clock_host_ns() / 1000000;
}

struct round_figures {
    unsigned round;
    uint64_t remaining, dirty_rate, bandwidth, expected_ms;
    unsigned throttle;
};

static void st_round(struct mig_status *st, const void *a)
{
    const struct round_figures *f = a;
    st->round = f->round;
    st->bytes_remaining = f->remaining;
    st->dirty_rate = f->dirty_rate;
    st->bandwidth = f->bandwidth;
    st->expected_downtime_ms = f->expected_ms;
    st->throttle_pct = f->throttle;
}

bool mig_policy_round(struct mig_policy *p, struct mig_round *r)
{
    uint64_t ns = r->ns < 1000 ? 1000 : r->ns;
    r->bandwidth = (uint64_t)((double)r->sent * 1e9 / (double)ns);
    r->dirty_rate = (uint64_t)((double)r->dirty * 1e9 / (double)ns);
    if (r->bandwidth < 1) r->bandwidth = 1;
    r->expected_ms = (uint64_t)((double)r->dirty * 1000.0 / (double)r->bandwidth);
    if (p->auto_converge && r->round && r->dirty_rate * 2 > r->bandwidth) {
        if (++p->slow_rounds >= 2 && p->throttle < MIG_THROTTLE_MAX) {
            p->throttle = p->throttle ? p->throttle + MIG_THROTTLE_STEP : MIG_THROTTLE_FIRST;
            if (p->throttle > MIG_THROTTLE_MAX) p->throttle = MIG_THROTTLE_MAX;
            p->slow_rounds = 0;
        }
    } else {
        p->slow_rounds = 0;
    }
    return r->expected_ms <= p->downtime_ms;
}

/* The pre-copy rounds: 0 when it is time to switch over, or an error. */
static int mig_precopy(struct mig *m)
{
    struct vm *vm = m->vm;
    struct mig_policy *pol = &m->pol;
    for (;;) {
        unsigned round = m->round;
        uint64_t t = clock_host_ns();
        uint64_t sent0;
        pthread_mutex_lock(&m->lock);
        sent0 = m->st.bytes_sent;
        pthread_mutex_unlock(&m->lock);
        if (round) ram_dirty_take(&m->board->ram, m->bits);
        int rc = mig_send_pages(m, round == 0, false);
        if (rc) return rc;
        struct mig_round r = {.round = round, .ns = clock_host_ns() - t};
        pthread_mutex_lock(&m->lock);
        r.sent = m->st.bytes_sent - sent0;
        pthread_mutex_unlock(&m->lock);
        r.dirty = ram_dirty_count(&m->board->ram) << RAM_PAGE_SHIFT;
        bool done = mig_policy_round(pol, &r);
        m->round++;
        m->bandwidth = r.bandwidth;
        __atomic_store_n(&vm->throttle_pct, pol->throttle, __ATOMIC_RELAXED);
        struct round_figures f = {.round = round + 1,
                                  .remaining = r.dirty,
                                  .dirty_rate = r.dirty_rate,
                                  .bandwidth = r.bandwidth,
                                  .expected_ms = r.expected_ms,
                                  .throttle = pol->throttle};
        mig_update(m, st_round, &f);
        if (done) return 0;
        if (m->timeout_s && mig_now_ms() - m->t0 >= (uint64_t)m->timeout_s * 1000)
            return m->strategy == MIG_TIMEOUT_SWITCHOVER ? 0 : -ETIMEDOUT;
    }
}

/* The dirty log goes on for a VM that tracks pages for Diff snapshots. */
static void mig_log_stop(struct mig *m)
{
    if (!m->vm->cfg.track_dirty) ram_dirty_log_stop(&m->board->ram);
}

static void mig_start_logging(void *opaque)
{
    struct mig *m = opaque;
    struct vm *vm = m->vm;
    m->board = vm_board_pin(vm);
    m->log_rc = ram_dirty_log_start(&m->board->ram);
    vm->diff_base = false; /* the log restarts: a Diff needs a Full snapshot again */
    /* A write TLB entry filled before would bypass the log. */
    for (unsigned k = 0; k < m->board->nharts; k++)
        hart_post_flush(&m->board->harts[k]);
}

struct mig_end {
    int state;
    const char *error;
    uint64_t downtime_ms, source_us;
};

static void st_end(struct mig_status *st, const void *a)
{
    const struct mig_end *e = a;
    st->state = e->state;
    if (e->error) snprintf(st->error, sizeof(st->error), "%.255s", e->error);
    st->downtime_ms = e->downtime_ms; /* throttle_pct keeps the last step taken */
    st->source_downtime_us = e->source_us;
    st->total_ms = mig_now_ms() - st->total_ms; /* total_ms held the start */
    if (e->state == MIG_COMPLETED) st->bytes_remaining = 0;
}

static const char *mig_why(int rc)
{
    switch (rc) {
    case -EPIPE: return "the connection to the destination was lost";
    case -ESTALE: return "the guest stopped or reset during the migration";
    case -ETIMEDOUT: return "the migration did not converge within its timeout";
    case -EBADMSG: return "the destination sent a malformed answer";
    default: return strerror(-rc);
    }
}

/* Waits, the guest still running, until the destination has taken in
 * every page sent so far: the socket buffers on the way hold megabytes,
 * which would otherwise drain during the pause. */
static int mig_sync(struct mig *m)
{
    int rc = mig_send_frame(m->fd, MIG_TAG_SYNC, NULL, 0);
    uint8_t *buf = NULL;
    size_t cap = 0, len = 0;
    uint32_t tag = 0;
    if (!rc) rc = mig_recv_frame(m->fd, &tag, &buf, &cap, &len);
    if (!rc && (tag != MIG_TAG_SYNC || len)) rc = -EBADMSG;
    free(buf);
    return rc;
}

static void *mig_thread(void *arg)
{
    struct mig *m = arg;
    struct vm *vm = m->vm;
    char msg[256] = "";
    /* Converged: let the destination catch up, then look again: what the
     * guest dirtied meanwhile may not fit the limit any more (a few tries,
     * then the switch-over takes it). */
    int rc = mig_precopy(m);
    for (int tries = 0; !rc; tries++) {
        rc = mig_sync(m);
        uint64_t left = ram_dirty_count(&m->board->ram) << RAM_PAGE_SHIFT;
        if (rc || tries == 2 || left * 1000 / (m->bandwidth ? m->bandwidth : 1) <= m->downtime_ms)
            break;
        rc = mig_precopy(m);
    }
    bool paused = false;
    uint64_t t_pause = 0, t_sent = 0;
    if (!rc) {
        t_pause = clock_host_ns();
        rc = vm_migration_switchover(vm);
        if (rc) rc = -ESTALE;
        paused = !rc;
    }
    bool released = false;
    if (paused) {
        /* Shared storage: what the guest wrote is on the disks, and their
         * locks let go, before the destination opens them (as QEMU
         * inactivates its images at the switch). */
        for (unsigned k = 0; k < VM_MAX_DRIVES && !rc; k++)
            if (vm->drives[k] && blockdev_flush(vm->drives[k])) rc = -EIO;
        for (unsigned k = 0; k < VM_MAX_DRIVES && !rc; k++)
            if (vm->drives[k]) blockdev_release(vm->drives[k]);
        released = !rc;
        if (!rc) {
            ram_dirty_take(&m->board->ram, m->bits);
            rc = mig_send_pages(m, false, true);
        }
        if (!rc) {
            pthread_mutex_lock(&m->lock); /* a cancel from now on is refused */
            if (m->cancel)
                rc = -ECANCELED;
            else
                m->committed = true;
            pthread_mutex_unlock(&m->lock);
        }
        if (!rc) rc = mig_send_state(m);
        t_sent = clock_host_ns();
        /* The destination answers once it built the VM; from then on the
         * guest is its. Waits as long as it takes: a timeout here could
         * leave the guest running on both sides. */
        if (!rc) rc = mig_recv_status(m->fd, MIG_TAG_DONE, msg, sizeof(msg));
    }
    mig_log_stop(m);
    __atomic_store_n(&vm->throttle_pct, 0, __ATOMIC_RELAXED);
    for (unsigned k = 0; k < VM_MAX_DRIVES && released && rc; k++) {
        char lerr[256];
        if (vm->drives[k] &&
            blockdev_reacquire(vm->drives[k], vm->cfg.drives[k].path, lerr, sizeof(lerr)))
            fprintf(stderr, "rvmm: after the failed migration: %s\n", lerr);
    }
    if (rc && __atomic_load_n(&m->cancel, __ATOMIC_ACQUIRE)) rc = -ECANCELED;
    struct mig_end e = {.state = MIG_COMPLETED};
    char why[320];
    if (rc) {
        if (rc == -ECANCELED) {
            e.state = MIG_CANCELLED;
            e.error = "cancelled";
        } else {
            e.state = MIG_FAILED;
            if (rc == -EREMOTEIO)
                snprintf(why, sizeof(why), "the destination failed: %s", msg);
            else
                snprintf(why, sizeof(why), "%s", mig_why(rc));
            e.error = why;
        }
        /* Best effort: a destination still listening drops what it got. */
        if (rc != -EPIPE && rc != -EREMOTEIO) mig_send_frame(m->fd, MIG_TAG_CANC, NULL, 0);
    } else {
        e.downtime_ms = (clock_host_ns() - t_pause) / 1000000;
        e.source_us = (t_sent - t_pause) / 1000;
    }
    shutdown(m->fd, SHUT_RDWR);
    vm_board_unpin(vm);
    mig_update(m, st_end, &e);
    if (paused)
        vm_migration_finish(vm, rc == 0);
    else
        vm_migration_abort(vm);
    if (rc == 0) {
        struct mig_status st;
        mig_status_get(vm, &st);
        fprintf(stderr,
                "rvmm: migration completed: %u rounds, %llu MiB sent, downtime %llu ms, "
                "total %llu ms, throttle %u%% (source side of the downtime %.1f ms)\n",
                st.round, (unsigned long long)(st.bytes_sent >> 20),
                (unsigned long long)st.downtime_ms, (unsigned long long)st.total_ms,
                st.throttle_pct, st.source_downtime_us / 1000.0);
    }
    return NULL;
}

/* The handshake: the destination checks what it is sent before any
 * memory, and says no with a reason. */
static int mig_hello(struct mig *m, char *err, size_t errlen)
{
    struct vm *vm = m->vm;
    struct stream s;
    stream_init_writer(&s);
    stream_put(&s, MIG_MAGIC, 8);
    stream_put_u32(&s, MIG_VERSION);
    char isa[512];
    struct cpu_model model = vm->cfg.board.cpu;
    if (!model.ext) cpu_model_default(&model);
    cpu_model_isa_string(&model, isa, sizeof(isa));
    mig_put_str(&s, isa);
    mig_put_str(&s, RVMM_VERSION);
    stream_put_u64(&s, vm->cfg.board.ram_size);
    stream_put_u32(&s, m->src_paused ? MIG_HELO_PAUSED : 0);
    stream_put_u32(&s, (uint32_t)m->codec.alg);
    snap_config_save(&vm->cfg, &s);
    int rc = s.err ? s.err : mig_send_frame(m->fd, MIG_TAG_HELO, s.buf, s.len);
    uint64_t n = s.len + 12;
    stream_free(&s);
    if (rc) return errmsg_set(err, errlen, rc, "%s", mig_why(rc));
    mig_update(m, st_add_sent, &n);
    struct timeval tv = {.tv_sec = MIG_HELLO_TIMEOUT_S};
    setsockopt(m->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    char msg[256] = "";
    rc = mig_recv_status(m->fd, MIG_TAG_RPLY, msg, sizeof(msg));
    tv.tv_sec = 0;
    setsockopt(m->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    if (rc == -EREMOTEIO) return errmsg_set(err, errlen, rc, "the destination refused: %s", msg);
    if (rc == -EAGAIN) return errmsg_set(err, errlen, -ETIMEDOUT, "the destination did not answer");
    if (rc) return errmsg_set(err, errlen, rc, "%s", mig_why(rc));
    return 0;
}

static void mig_reset(struct mig *m)
{
    if (m->joinable) pthread_join(m->thread, NULL);
    m->joinable = false;
    if (m->fd >= 0) close(m->fd);
    m->fd = -1;
    free(m->bits);
    free(m->frame);
    free(m->packed);
    mig_codec_free(&m->codec);
    m->bits = NULL;
    m->frame = NULL;
    m->packed = NULL;
}

int mig_send_start(struct vm *vm, const struct mig_params *p, char *err, size_t errlen)
{
    if (!vm->mig) {
        struct mig *m = calloc(1, sizeof(*m));
        if (!m) return errmsg_set(err, errlen, -ENOMEM, "out of memory");
        m->vm = vm;
        m->fd = -1;
        pthread_mutex_init(&m->lock, NULL);
        vm->mig = m;
    }
    struct mig *m = vm->mig;
    pthread_mutex_lock(&m->lock);
    bool active = m->st.state == MIG_ACTIVE;
    pthread_mutex_unlock(&m->lock);
    if (active) return errmsg_set(err, errlen, -EBUSY, "a migration is already in progress");
    enum vm_state vs = vm_state(vm);
    if (vs != VM_STATE_RUNNING && vs != VM_STATE_PAUSED)
        return errmsg_set(err, errlen, -EINVAL, "the VM is not running or paused (it is %s)",
                          vm_state_name(vs));
    if (p->compression < 0 || p->compression >= MIG_COMPRESS_COUNT)
        return errmsg_set(err, errlen, -EINVAL, "unknown compression %d", p->compression);
    mig_reset(m);
    pthread_mutex_lock(&m->lock);
    memset(&m->st, 0, sizeof(m->st));
    m->st.state = MIG_IDLE;
    pthread_mutex_unlock(&m->lock);
    m->downtime_ms = p->downtime_ms ? p->downtime_ms : MIG_DEFAULT_DOWNTIME_MS;
    m->timeout_s = p->timeout_s;
    m->strategy = p->timeout_strategy;
    m->auto_converge = !p->no_auto_converge;
    m->pol = (struct mig_policy){.downtime_ms = m->downtime_ms, .auto_converge = m->auto_converge};
    m->round = 0;
    m->bandwidth = 0;
    m->cancel = m->committed = false;
    m->t0 = mig_now_ms();
    uint64_t npages = vm->cfg.board.ram_size >> RAM_PAGE_SHIFT;
    m->bits = calloc((npages + 63) / 64, sizeof(uint64_t));
    m->frame = malloc(MIG_PAGE_MAX);
    if (p->compression != MIG_COMPRESS_NONE)
        m->packed = malloc(mig_codec_bound(p->compression, MIG_PAGE_MAX));
    if (!m->bits || !m->frame || mig_codec_init(&m->codec, p->compression) ||
        (p->compression != MIG_COMPRESS_NONE && !m->packed)) {
        mig_reset(m);
        return errmsg_set(err, errlen, -ENOMEM, "out of memory");
    }
    /* Whether it is sent running or as it stands: the hello tells the
     * destination. A resume or pause between here and the begin below
     * makes the begin fail (the state is checked again under ctl_lock). */
    m->src_paused = vs == VM_STATE_PAUSED;
    int rc = mig_connect(p->url, &m->fd, err, errlen);
    if (!rc) rc = mig_hello(m, err, errlen);
    bool began_paused = false;
    if (!rc && (rc = vm_migration_begin_paused(vm, mig_start_logging, m, &began_paused)))
        errmsg_set(err, errlen, rc, "the VM is not running");
    if (!rc && began_paused != m->src_paused) {
        /* Paused or resumed meanwhile: the hello said otherwise. */
        rc = errmsg_set(err, errlen, -EAGAIN, "the VM was paused or resumed meanwhile: try again");
        if (m->board) {
            mig_log_stop(m);
            vm_board_unpin(vm);
            m->board = NULL;
        }
        vm_migration_abort(vm);
    }
    if (!rc && m->log_rc) { /* a migration without the log would lose pages */
        rc = errmsg_set(err, errlen, m->log_rc, "cannot log dirty pages: %s", strerror(-m->log_rc));
        vm_migration_abort(vm);
    }
    if (rc) {
        pthread_mutex_lock(&m->lock); /* GET /migration says why */
        m->st.state = MIG_FAILED;
        snprintf(m->st.error, sizeof(m->st.error), "%.255s", err);
        pthread_mutex_unlock(&m->lock);
        if (m->board) {
            mig_log_stop(m);
            vm_board_unpin(vm);
            m->board = NULL;
        }
        if (m->fd >= 0) mig_send_frame(m->fd, MIG_TAG_CANC, NULL, 0);
        mig_reset(m);
        return rc;
    }
    pthread_mutex_lock(&m->lock);
    m->st.state = MIG_ACTIVE;
    m->st.total_ms = m->t0; /* until the end, when it becomes the duration */
    pthread_mutex_unlock(&m->lock);
    if (pthread_create(&m->thread, NULL, mig_thread, m)) {
        mig_log_stop(m);
        vm_board_unpin(vm);
        vm_migration_abort(vm);
        mig_reset(m);
        pthread_mutex_lock(&m->lock);
        m->st.state = MIG_FAILED;
        pthread_mutex_unlock(&m->lock);
        return errmsg_set(err, errlen, -EAGAIN, "cannot start the migration thread");
    }
    m->joinable = true;
    return 0;
}

void mig_status_get(struct vm *vm, struct mig_status *out)
{
    memset(out, 0, sizeof(*out));
    struct mig *m = vm->mig;
    if (!m) return;
    pthread_mutex_lock(&m->lock);
    *out = m->st;
    if (out->state == MIG_ACTIVE) out->total_ms = mig_now_ms() - m->t0;
    pthread_mutex_unlock(&m->lock);
}

int mig_cancel(struct vm *vm)
{
    struct mig *m = vm->mig;
    if (!m) return -EINVAL;
    pthread_mutex_lock(&m->lock);
    int rc = m->st.state == MIG_ACTIVE && !m->committed ? 0 : -EINVAL;
    if (!rc) {
        __atomic_store_n(&m->cancel, true, __ATOMIC_RELEASE);
        /* A send blocked on a link that does not drain returns now; the
         * destination sees the stream end and discards what it got. */
        shutdown(m->fd, SHUT_RDWR);
    }
    pthread_mutex_unlock(&m->lock);
    return rc;
}

void mig_free(struct vm *vm)
{
    struct mig *m = vm->mig;
    if (!m) return;
    mig_reset(m);
    pthread_mutex_destroy(&m->lock);
    free(m);
    vm->mig = NULL;
}
