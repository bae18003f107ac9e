/* Live migration (pre-copy), as front ends drive it: the source sends a
 * running VM's RAM in rounds of the pages dirtied meanwhile, pauses it when
 * the rest fits the downtime limit, and sends the last pages with the
 * device, hart, clock and configuration state; the destination checks the
 * stream (magic, version, CPU model, configuration before any memory; a
 * CRC per section), builds the VM and answers, and only then does the
 * source end (Completed; the VM's run ends with VM_STOP_MIGRATED). Any
 * failure before that answer leaves the source running. The stream is
 * not encrypted: across hosts, use an SSH tunnel or a trusted network. */
#ifndef RVMM_VMM_MIGRATION_H
#define RVMM_VMM_MIGRATION_H

#include "vmm/vm.h"

enum mig_state { MIG_IDLE, MIG_ACTIVE, MIG_COMPLETED, MIG_FAILED, MIG_CANCELLED };
enum mig_timeout_strategy { MIG_TIMEOUT_CANCEL, MIG_TIMEOUT_SWITCHOVER };
/* How PAGE frames travel; the destination learns it from the hello. */
enum mig_compression { MIG_COMPRESS_NONE, MIG_COMPRESS_ZSTD, MIG_COMPRESS_LZ4, MIG_COMPRESS_COUNT };

#define MIG_DEFAULT_DOWNTIME_MS 300

struct mig_params {
    const char *url;       /* "unix:PATH" or "tcp:HOST:PORT" */
    uint32_t downtime_ms;  /* the pause the switch-over may take; 0 = 300 */
    uint32_t timeout_s;    /* give up converging after this long; 0 = never */
    int timeout_strategy;  /* enum mig_timeout_strategy */
    bool no_auto_converge; /* never throttle the vCPUs */
    int compression;       /* enum mig_compression */
};

/* What GET /migration shows (both sides; rates in bytes per second). */
struct mig_status {
    int state; /* enum mig_state */
    unsigned round;
    uint64_t bytes_sent, bytes_remaining, dirty_rate, bandwidth;
    uint64_t expected_downtime_ms, downtime_ms, total_ms;
    uint64_t source_downtime_us; /* the pause until the last byte left (QEMU's measure) */
    unsigned throttle_pct;       /* how much of the vCPUs' time auto-converge takes */
    char error[256];
};

const char *mig_state_name(enum mig_state s);
/* "none", "zstd" or "lz4" (any case): the enum value, or -EINVAL. */
int mig_compression_parse(const char *name);
const char *mig_compression_name(int c);
/* "unix:PATH" or "tcp:HOST:PORT" with a port in 1..65535: 0, or -EINVAL
 * with one line in err. */
int mig_url_check(const char *url, char *err, size_t errlen);

/* Source: connects, has the destination check the VM's CPU model and
 * configuration, then sends in the background; returns 0 once the
 * migration runs (GET it with mig_status_get), or a negative errno with one
 * line in err (nothing changed: not running, already migrating, refused).
 * A running VM, or a paused one: that one is sent as it stands (a resume
 * is refused until the migration ends), arrives paused, and stays paused
 * here if the migration fails. */
int mig_send_start(struct vm *vm, const struct mig_params *p, char *err, size_t errlen);
/* The VM's last or current migration (state MIG_IDLE if none). */
void mig_status_get(struct vm *vm, struct mig_status *out);
/* Cancels an active migration: the VM runs on. 0, or -EINVAL if none is
 * active (or it is past the point of no return). */
int mig_cancel(struct vm *vm);

/* Destination. */
struct mig_incoming;
/* Binds url (the listener is ready when this returns): 0 or a negative
 * errno with one line in err. overrides as for vm_restore (drives' images,
 * nets' backends by id; the engine is always the destination's). */
int mig_incoming_listen(struct mig_incoming **out, const char *url,
                        const struct vm_config *overrides, char *err, size_t errlen);
/* Accepts one source and receives its VM: returns a paused VM (vm_run()
 * then starts with the vCPUs parked, vm_resume() lets it run), or a
 * negative errno with one line in err. Blocks. */
int mig_incoming_run(struct mig_incoming *in, struct vm **out, char *err, size_t errlen);
void mig_incoming_status(struct mig_incoming *in, struct mig_status *out);
/* After mig_incoming_run: whether the VM was paused on the source (then it
 * stays paused unless the user resumes it). */
bool mig_incoming_source_paused(const struct mig_incoming *in);
/* Shows the bytes received so far on stderr, on one line rewritten in
 * place (for a terminal). */
void mig_incoming_progress(struct mig_incoming *in, bool on);
void mig_incoming_free(struct mig_incoming *in);

#endif
