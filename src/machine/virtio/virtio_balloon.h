/* virtio memory balloon (virtio 1.x section 5.5, device id 5): the guest
 * gives pages to the host (inflate queue), takes them back (deflate queue),
 * reports its memory statistics (stats queue) and reports free pages
 * (free page reporting queue). The device keeps the target, the driver's
 * actual count and which pages are given up; what "given up" does to host
 * memory is the host's policy (struct virtio_balloon_host, the VMM's).
 * Queues are served on the I/O thread: a notify only posts an event. */
#ifndef RVMM_MACHINE_VIRTIO_VIRTIO_BALLOON_H
#define RVMM_MACHINE_VIRTIO_VIRTIO_BALLOON_H

#include "machine/virtio/virtio_mmio.h"

#define VIRTIO_ID_BALLOON 5

/* Feature bits (5.5.3). */
#define VIRTIO_BALLOON_F_MUST_TELL_HOST 0
#define VIRTIO_BALLOON_F_STATS_VQ       1
#define VIRTIO_BALLOON_F_DEFLATE_ON_OOM 2
#define VIRTIO_BALLOON_F_REPORTING      5

/* Statistics tags (5.5.6.3), Linux 6.1's ten. */
enum virtio_balloon_stat {
    VIRTIO_BALLOON_S_SWAP_IN = 0,
    VIRTIO_BALLOON_S_SWAP_OUT,
    VIRTIO_BALLOON_S_MAJFLT,
    VIRTIO_BALLOON_S_MINFLT,
    VIRTIO_BALLOON_S_MEMFREE,
    VIRTIO_BALLOON_S_MEMTOT,
    VIRTIO_BALLOON_S_AVAIL,
    VIRTIO_BALLOON_S_CACHES,
    VIRTIO_BALLOON_S_HTLB_PGALLOC,
    VIRTIO_BALLOON_S_HTLB_PGFAIL,
    VIRTIO_BALLOON_S_NR
};

/* Most seconds between statistics requests. */
#define VIRTIO_BALLOON_MAX_INTERVAL 3600

/* What the device is built with (the CLI's --balloon, PUT /balloon). */
struct virtio_balloon_config {
    uint32_t target_pages; /* 4 KiB pages the host asks the guest to give up */
    bool deflate_on_oom;
    bool free_page_reporting;
    /* Seconds between statistics requests; 0: no stats queue offered. */
    uint32_t stats_interval_s;
};

/* The host's side: what giving a page up means for host memory. */
struct virtio_balloon_host {
    /* [gpa, gpa+len) of ram, whole pages, holds nothing the guest needs:
     * return it to the host. It must read as zeroes afterwards. */
    void (*discard)(void *opaque, struct guest_ram *ram, gpa_t gpa, uint64_t len);
    void *opaque;
};

/* What a front end reads (GET /balloon, GET /balloon/statistics). */
struct virtio_balloon_info {
    uint32_t target_pages;
    uint32_t actual_pages;   /* what the driver says it holds */
    uint64_t inflated_pages; /* pages given up and not taken back */
    uint64_t reported_pages; /* free pages reported (and discarded), in total */
    uint64_t ignored_pfns;   /* hostile or stale page numbers ignored */
    uint32_t stats_interval_s;
    bool deflate_on_oom, free_page_reporting; /* as created */
    bool stats_valid[VIRTIO_BALLOON_S_NR];    /* the guest sent this statistic */
    uint64_t stats[VIRTIO_BALLOON_S_NR];
};

struct ioloop;
struct virtio_balloon;

/* ram, loop and host must outlive the device; host is copied. -EINVAL if
 * the target exceeds RAM or the interval is too long. */
int virtio_balloon_create(struct virtio_balloon **out, const struct virtio_balloon_config *cfg,
                          struct guest_ram *ram, struct ioloop *loop,
                          const struct virtio_balloon_host *host);
/* Waits for a running I/O-thread callback of the device to finish. */
void virtio_balloon_destroy(struct virtio_balloon *b);
/* The transport the device sits behind (after board_add_virtio). */
void virtio_balloon_attach(struct virtio_balloon *b, struct virtio_mmio *t);
/* Device callbacks for virtio_mmio_create(); features follow the config. */
const struct virtio_dev_ops *virtio_balloon_ops(const struct virtio_balloon *b);

/* Any thread. A new target (config change interrupt): -EINVAL above RAM. */
int virtio_balloon_set_target(struct virtio_balloon *b, uint32_t pages);
/* A new statistics interval: -EINVAL if the stats queue was not offered
 * (interval 0 at creation) or for 0 or too long. */
int virtio_balloon_set_stats_interval(struct virtio_balloon *b, uint32_t seconds);
void virtio_balloon_info(struct virtio_balloon *b, struct virtio_balloon_info *out);
/* Serves every queue now on the calling thread, as a notify would (and,
 * with stats_request, as a statistics timer tick would). For tests and
 * fuzzing without a running I/O thread. */
void virtio_balloon_drain(struct virtio_balloon *b, bool stats_request);

#endif
