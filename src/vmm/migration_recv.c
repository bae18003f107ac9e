/* A migration's destination: listens, accepts one source, checks its
 * hello (magic, version, CPU model, configuration against this host)
 * before it takes any memory, receives pages into an anonymous mapping,
 * and on the final state builds the VM around that memory (drives and
 * nets opened only now, after the source flushed its disks), restores
 * clock, vCPUs and devices, and answers DONE. The VM comes back paused;
 * the caller resumes it. Every page index and length from the stream is
 * checked; a bad CRC, a short stream or a cancel is an error with one
 * line, and nothing is built. */
#include "vmm/migration_impl.h"
#include "vmm/snapshot.h"
#include "vmm/vm_impl.h"

#include "common/errmsg.h"
#include "common/ioloop.h"
#include "cpu/cpu_model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define VCLK_TAG STREAM_TAG('V', 'C', 'L', 'K')

struct mig_incoming {
    int lfd, fd;
    struct vm_config over;
    bool has_over;
    pthread_mutex_t lock; /* guards st */
    struct mig_status st;
    uint64_t t0;
    uint8_t *buf;
    size_t cap;
    bool src_paused;        /* the hello's MIG_HELO_PAUSED */
    struct mig_codec codec; /* the hello's compression */
    uint8_t *plain;         /* a compressed PAGE payload unpacked */
    bool progress;          /* a progress line on stderr (a terminal) */
    uint64_t progress_ns;   /* when it was last written */
};

void mig_incoming_progress(struct mig_incoming *in, bool on)
{
    in->progress = on;
}

int mig_incoming_listen(struct mig_incoming **out, const char *url,
                        const struct vm_config *overrides, char *err, size_t errlen)
{
    struct mig_incoming *in = calloc(1, sizeof(*in));
    if (!in) return errmsg_set(err, errlen, -ENOMEM, "out of memory");
    in->fd = -1;
    pthread_mutex_init(&in->lock, NULL);
    if (overrides) {
        in->over = *overrides;
        in->has_over = true;
    }
    int rc = mig_listen(url, &in->lfd, err, errlen);
    if (rc) {
        pthread_mutex_destroy(&in->lock);
        free(in);
        return rc;
    }
    *out = in;
    return 0;
}

void mig_incoming_status(struct mig_incoming *in, struct mig_status *out)
{
    pthread_mutex_lock(&in->lock);
    *out = in->st;
    if (out->state == MIG_ACTIVE) out->total_ms = clock_host_ns() / 1000000 - in->t0;
    pthread_mutex_unlock(&in->lock);
}

bool mig_incoming_source_paused(const struct mig_incoming *in)
{
    return in->src_paused;
}

void mig_incoming_free(struct mig_incoming *in)
{
    if (!in) return;
    if (in->lfd >= 0) close(in->lfd);
    if (in->fd >= 0) close(in->fd);
    free(in->buf);
    free(in->plain);
    mig_codec_free(&in->codec);
    pthread_mutex_destroy(&in->lock);
    free(in);
}

static void mig_in_received(struct mig_incoming *in, uint64_t n, bool round_end)
{
    pthread_mutex_lock(&in->lock);
    in->st.bytes_sent += n;
    uint64_t total = in->st.bytes_sent;
    pthread_mutex_unlock(&in->lock);
    uint64_t now = clock_host_ns();
    if (in->progress && now - in->progress_ns >= 500000000ULL) {
        in->progress_ns = now;
        fprintf(stderr, "\rrvmm: incoming migration: %llu MiB received",
                (unsigned long long)(total >> 20));
    }
}

/* The hello: everything the VM needs that does not change while it runs,
 * checked against this host before any memory is accepted. */
static int mig_in_hello(struct mig_incoming *in, size_t len, struct vm_config *cfg, char **strings,
                        char *err, size_t errlen)
{
    struct stream s;
    stream_init_reader(&s, in->buf, len);
    char magic[8], cpu[512], ver[64];
    stream_get(&s, magic, sizeof(magic));
    uint32_t version = stream_get_u32(&s);
    if (s.err || memcmp(magic, MIG_MAGIC, 8))
        return errmsg_set(err, errlen, -EINVAL, "the peer is not an rvmm migration source");
    if (version != MIG_VERSION)
        return errmsg_set(err, errlen, -EINVAL,
                          "the source speaks migration version %u, this rvmm version %u", version,
                          MIG_VERSION);
    mig_get_str(&s, cpu, sizeof(cpu));
    mig_get_str(&s, ver, sizeof(ver));
    uint64_t ram_size = stream_get_u64(&s);
    uint32_t flags = stream_get_u32(&s), comp = stream_get_u32(&s);
    if (s.err) return errmsg_set(err, errlen, -EINVAL, "malformed migration hello");
    if (flags & ~MIG_HELO_PAUSED)
        return errmsg_set(err, errlen, -EINVAL, "the source asks for unknown features (0x%x)",
                          flags);
    if (comp >= MIG_COMPRESS_COUNT)
        return errmsg_set(err, errlen, -EINVAL, "the source's compression %u is unknown", comp);
    in->src_paused = flags & MIG_HELO_PAUSED;
    if (mig_codec_init(&in->codec, (int)comp) ||
        (comp != MIG_COMPRESS_NONE && !(in->plain = malloc(MIG_PAGE_MAX))))
        return errmsg_set(err, errlen, -ENOMEM, "out of memory");
    /* The configuration carries the CPU model: a model this rvmm cannot
     * give (an extension it does not know) fails to load. */
    char why[512];
    int rc = snap_config_load(&s, cfg, strings, why, sizeof(why));
    if (rc) return errmsg_set(err, errlen, rc, "the source's configuration: %s", why);
    if (s.pos != s.len || cfg->board.ram_size != ram_size)
        return errmsg_set(err, errlen, -EINVAL, "malformed migration hello");
    if ((rc = snap_config_override(cfg, in->has_over ? &in->over : NULL, err, errlen))) return rc;
    char isa[512];
    struct cpu_model model = cfg->board.cpu;
    if (!model.ext) cpu_model_default(&model);
    cpu_model_isa_string(&model, isa, sizeof(isa));
    if (strcmp(cpu, isa))
        return errmsg_set(err, errlen, -EINVAL, "the source's CPU model %s is not this VM's %s",
                          cpu, isa);
    return snap_check_host(cfg, err, errlen);
}

/* A PAGE frame into ram (size bytes), unpacked first if compressed. */
static int mig_in_pages(struct mig_incoming *in, size_t len, uint8_t *ram, uint64_t size)
{
    const uint8_t *payload = in->buf;
    if (in->codec.alg != MIG_COMPRESS_NONE) {
        int rc = mig_codec_unpack(&in->codec, in->buf, len, in->plain, MIG_PAGE_MAX, &len);
        if (rc) return rc;
        payload = in->plain;
    }
    struct stream s;
    stream_init_reader(&s, payload, len);
    uint32_t count = stream_get_u32(&s);
    if (count > MIG_BATCH) return -EBADMSG;
    for (uint32_t k = 0; k < count && !s.err; k++) {
        uint64_t e = stream_get_u64(&s);
        uint64_t page = e >> 1;
        if (s.err || page >= size >> RAM_PAGE_SHIFT) return -EBADMSG;
        uint8_t *dst = ram + (page << RAM_PAGE_SHIFT);
        if (e & 1)
            memset(dst, 0, RAM_PAGE_SIZE);
        else if (stream_get(&s, dst, RAM_PAGE_SIZE))
            return -EBADMSG;
    }
    return s.err || s.pos != s.len ? -EBADMSG : 0;
}

/* The final state into the prepared VM, its board built around ram (the
 * VM's from here); the VM is destroyed on failure. */
static int mig_in_build(struct mig_incoming *in, size_t len, const struct vm_config *cfg,
                        struct vm *vm, void *ram, struct vm **out, char *err, size_t errlen)
{
    struct stream s;
    stream_init_reader(&s, in->buf, len);
    size_t end;
    uint64_t ticks = 0;
    struct snap_vcpu sv[BOARD_MAX_HARTS] = {0};
    int rc = stream_open_section(&s, VCLK_TAG, 1, NULL, &end);
    if (!rc) {
        ticks = stream_get_u64(&s);
        rc = stream_close_section(&s, end);
    }
    if (!rc) rc = snap_vcpus_load(&s, cfg->board.nharts, sv);
    if (rc) {
        munmap(ram, cfg->board.ram_size);
        vm_destroy(vm);
        return errmsg_set(err, errlen, -EINVAL, "malformed VM state from the source");
    }
    if ((rc = vm_incoming_finish(vm, ram, err, errlen))) {
        vm_destroy(vm);
        return rc;
    }
    rc = snap_apply_paused(vm, &s, ticks, sv);
    if (rc) {
        errmsg_set(err, errlen, rc, "the source's device state does not fit this VM (%s)",
                   strerror(-rc));
        vm_destroy(vm);
        return rc;
    }
    *out = vm;
    return 0;
}

static const char *mig_in_why(int rc)
{
    switch (rc) {
    case -EPIPE: return "the connection to the source was lost";
    case -EBADMSG:
        return "the migration stream is corrupt (a checksum, a length or compressed data)";
    case -ECANCELED: return "the source cancelled the migration";
    default: return strerror(-rc);
    }
}

static void mig_in_end(struct mig_incoming *in, int state, const char *error)
{
    if (in->progress && in->progress_ns) fprintf(stderr, "\n"); /* ends the progress line */
    pthread_mutex_lock(&in->lock);
    in->st.state = state;
    if (error) snprintf(in->st.error, sizeof(in->st.error), "%.255s", error);
    in->st.total_ms = clock_host_ns() / 1000000 - in->t0;
    pthread_mutex_unlock(&in->lock);
}

int mig_incoming_run(struct mig_incoming *in, struct vm **out, char *err, size_t errlen)
{
    int fd;
    do
        fd = accept4(in->lfd, NULL, NULL, SOCK_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) return errmsg_set(err, errlen, -errno, "accept: %s", strerror(errno));
    in->fd = fd;
    close(in->lfd); /* one source only */
    in->lfd = -1;
    pthread_mutex_lock(&in->lock);
    in->st.state = MIG_ACTIVE;
    in->t0 = clock_host_ns() / 1000000;
    pthread_mutex_unlock(&in->lock);

    struct vm_config cfg;
    char *strings = NULL;
    struct vm *vm = NULL;
    uint8_t *ram = MAP_FAILED;
    uint32_t tag;
    size_t len;
    int rc = mig_recv_frame(fd, &tag, &in->buf, &in->cap, &len);
    if (!rc && tag != MIG_TAG_HELO) rc = -EBADMSG;
    if (rc) {
        errmsg_set(err, errlen, rc, "%s", mig_in_why(rc));
        goto fail;
    }
    mig_in_received(in, len + 12, false);
    rc = mig_in_hello(in, len, &cfg, &strings, err, errlen);
    if (!rc) {
        ram = mmap(NULL, cfg.board.ram_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (ram == MAP_FAILED)
            rc = errmsg_set(err, errlen, -ENOMEM, "cannot allocate %llu MiB of guest RAM",
                            (unsigned long long)(cfg.board.ram_size >> 20));
    }
    /* What needs neither RAM nor backends is made now, not in the pause. */
    if (!rc) {
        rc = vm_incoming_prepare(&vm, &cfg, strings, err, errlen);
        strings = NULL; /* the VM's, or freed */
    }
    mig_send_status(fd, MIG_TAG_RPLY, rc ? 1 : 0, rc ? err : "");
    if (rc) goto fail;
    for (;;) {
        rc = mig_recv_frame(fd, &tag, &in->buf, &in->cap, &len);
        if (!rc && tag == MIG_TAG_CANC) rc = -ECANCELED;
        if (!rc && tag == MIG_TAG_PAGE)
            rc = mig_in_pages(in, len, ram, cfg.board.ram_size);
        else if (!rc && tag == MIG_TAG_SYNC) /* all pages before it are in */
            rc = len ? -EBADMSG : mig_send_frame(fd, MIG_TAG_SYNC, NULL, 0);
        else if (!rc && tag != MIG_TAG_STAT)
            rc = -EBADMSG;
        if (rc) {
            errmsg_set(err, errlen, rc, "%s", mig_in_why(rc));
            goto fail;
        }
        mig_in_received(in, len + 12, false);
        if (tag == MIG_TAG_STAT) break;
    }
    /* The VM owns ram from here, and is gone on failure. */
    rc = mig_in_build(in, len, &cfg, vm, ram, out, err, errlen);
    vm = NULL;
    ram = MAP_FAILED;
    if (rc) {
        mig_send_status(fd, MIG_TAG_DONE, 1, err);
        goto fail;
    }
    if ((rc = mig_send_status(fd, MIG_TAG_DONE, 0, ""))) {
        /* The source cannot learn that we have the VM: it keeps its own. */
        vm_destroy(*out);
        *out = NULL;
        errmsg_set(err, errlen, rc, "%s", mig_in_why(rc));
        goto fail;
    }
    /* The guest is ours: tell the network before it runs. */
    vm_announce(*out);
    mig_in_end(in, MIG_COMPLETED, NULL);
    return 0;
fail:
    if (vm) vm_destroy(vm);
    if (ram != MAP_FAILED) munmap(ram, cfg.board.ram_size);
    free(strings);
    mig_in_end(in, rc == -ECANCELED ? MIG_CANCELLED : MIG_FAILED, err);
    return rc;
}
