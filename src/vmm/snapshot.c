/* vm_snapshot_create() and vm_restore(): the order of a snapshot's
 * sections and the checks a restore makes before it builds anything
 * (format, checksum, configuration against the host and the overrides, the
 * memory file's size and identity). The file envelope, the memory file and
 * the configuration encoding are in snapshot_*.c.
 *
 * Time: the snapshot records guest time (mtime) at the pause; a restored VM
 * resumes from that value, so its timers neither fire en masse nor run
 * backwards, however long the snapshot sat on disk. The RTC keeps its
 * offset from the host's wall clock, so guest wall-clock time stays right. */
#include "vmm/snapshot.h"
#include "vmm/vm_impl.h"

#include "common/errmsg.h"
#include "common/ioloop.h"
#include "cpu/kvm/kvm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#define MEMF_TAG     STREAM_TAG('M', 'E', 'M', 'F')
#define VCLK_TAG     STREAM_TAG('V', 'C', 'L', 'K')
#define VCPU_TAG     STREAM_TAG('V', 'C', 'P', 'U')
#define SECT_VERSION 1
/* VCPU 2 adds the SBI PMU state after each vCPU's HSM state; 1 loads with
 * none handed out, as before. */
#define VCPU_VERSION 2

void snap_vcpus_save(struct vm *vm, struct stream *s)
{
    size_t mark = stream_begin_section(s, VCPU_TAG, VCPU_VERSION);
    stream_put_u32(s, vm->board->nharts);
    for (unsigned k = 0; k < vm->board->nharts; k++) {
        struct vcpu *v = &vm->vcpus[k];
        const struct rv_hart *h = &vm->board->harts[k];
        pthread_mutex_lock(&v->lock);
        /* Under KVM the kernel serves HSM: its power state is the hart's
         * (the VMM keeps every KVM vCPU STARTED, i.e. in KVM_RUN). */
        int hsm = h->engine == HART_ENGINE_KVM && kvm_hart_stopped(h) ? VCPU_STOPPED : v->hsm;
        stream_put_u8(s, (uint8_t)hsm);
        stream_put_u8(s, v->start_req);
        stream_put_u64(s, v->start_addr);
        stream_put_u64(s, v->start_arg);
        stream_put_u32(s, v->susp_type);
        stream_put_u64(s, v->susp_addr);
        stream_put_u64(s, v->susp_arg);
        sbi_pmu_save(&v->pmu, s);
        pthread_mutex_unlock(&v->lock);
    }
    stream_end_section(s, mark);
}

int snap_vcpus_load(struct stream *s, unsigned nharts, struct snap_vcpu *out)
{
    size_t end;
    uint32_t version;
    int rc = stream_open_section(s, VCPU_TAG, VCPU_VERSION, &version, &end);
    if (rc) return rc;
    if (stream_get_u32(s) != nharts && !s->err) s->err = -EINVAL;
    for (unsigned k = 0; k < nharts && !s->err; k++) {
        struct snap_vcpu *v = &out[k];
        v->hsm = stream_get_u8(s);
        uint8_t req = stream_get_u8(s);
        v->start_req = req != 0;
        v->start_addr = stream_get_u64(s);
        v->start_arg = stream_get_u64(s);
        v->susp_type = stream_get_u32(s);
        v->susp_addr = stream_get_u64(s);
        v->susp_arg = stream_get_u64(s);
        memset(&v->pmu, 0, sizeof(v->pmu));
        if (version >= 2) sbi_pmu_load(&v->pmu, s);
        bool ok = (v->hsm == VCPU_STARTED || v->hsm == VCPU_STOPPED || v->hsm == VCPU_SUSPENDED) &&
                  req <= 1 && (!req || v->hsm == VCPU_STOPPED) &&
                  (v->hsm != VCPU_SUSPENDED || v->susp_type == SBI_SUSPEND_RETENTIVE ||
                   v->susp_type == SBI_SUSPEND_NON_RETENTIVE);
        if (!ok && !s->err) s->err = -EINVAL;
    }
    return stream_close_section(s, end);
}

/* Under KVM the kernel's HSM holds a stopped hart (KVM_SET_MP_STATE) and
 * the vCPU thread waits in KVM_RUN; a hart_start the built-in SBI had
 * posted but not yet served is served now. Without this, a restored
 * secondary hart would stay as KVM creates it: powered off. */
static void snap_vcpu_to_kvm(struct vcpu *v, struct rv_hart *h)
{
    if (v->hsm == VCPU_STOPPED && v->start_req) {
        sbi_hart_enter(h, v->start_addr, v->start_arg);
        v->hsm = VCPU_STARTED;
    }
    kvm_hart_set_stopped(h, v->hsm == VCPU_STOPPED);
    v->hsm = VCPU_STARTED;
    v->start_req = false;
}

/* A hart saved asleep in SBI hart_suspend wakes on restore, as it may on
 * any interrupt: the call returns (retentive) or the hart enters its
 * resume address (non-retentive). */
void snap_vcpus_apply(struct vm *vm, const struct snap_vcpu *sv)
{
    for (unsigned k = 0; k < vm->board->nharts; k++) {
        struct vcpu *v = &vm->vcpus[k];
        struct rv_hart *h = &vm->board->harts[k];
        v->hsm = sv[k].hsm;
        v->start_req = sv[k].start_req;
        v->start_addr = sv[k].start_addr;
        v->start_arg = sv[k].start_arg;
        v->pmu = sv[k].pmu;
        if (v->hsm == VCPU_SUSPENDED) {
            v->hsm = VCPU_STARTED;
            if (sv[k].susp_type == SBI_SUSPEND_NON_RETENTIVE) {
                sbi_hart_enter(h, sv[k].susp_addr, sv[k].susp_arg);
            } else {
                h->x[10] = 0;
                h->x[11] = 0;
            }
        }
        if (h->engine == HART_ENGINE_KVM) snap_vcpu_to_kvm(v, h);
    }
}

/* The rest of a restore or an incoming migration, once the VM is built
 * around its RAM: the devices from s (which must end there), the clock
 * and the harts, and the VM left paused, I/O thread included, so that
 * vm_run() starts parked and requests found in the rings are served only
 * once it resumes. */
int snap_apply_paused(struct vm *vm, struct stream *s, uint64_t ticks, const struct snap_vcpu *sv)
{
    ioloop_pause(vm->loop);
    vclock_set(&vm->clock, ticks);
    int rc = board_restore(vm->board, s);
    if (!rc && s->pos != s->len) rc = -EINVAL;
    if (rc) return rc;
    snap_vcpus_apply(vm, sv);
    pthread_mutex_lock(&vm->lock);
    vm_transition(vm, VM_EV_PAUSE); /* CREATED to PAUSED */
    vm->paused_ticks = ticks;
    vm->io_parked = true;
    pthread_mutex_unlock(&vm->lock);
    return 0;
}

/* The device id of the first virtio device without a save hook. */
static unsigned unsaveable_device(const struct board *b)
{
    for (unsigned k = 0; k < b->nvirtio; k++)
        if (!b->virtio[k].ops->save) return b->virtio[k].ops->device_id;
    return 0;
}

int vm_snapshot_create(struct vm *vm, const char *state_path, const char *mem_path, char *err,
                       size_t errlen)
{
    return vm_snapshot_create_type(vm, state_path, mem_path, false, err, errlen);
}

int vm_snapshot_create_type(struct vm *vm, const char *state_path, const char *mem_path, bool diff,
                            char *err, size_t errlen)
{
    pthread_mutex_lock(&vm->ctl_lock); /* no resume until the files are written */
    int rc = 0;
    uint64_t *dirty = NULL;
    if (vm_state(vm) != VM_STATE_PAUSED) {
        rc = errmsg_set(err, errlen, -EINVAL, "the VM is not paused");
        goto out;
    }
    if (diff && !vm->cfg.track_dirty) {
        rc = errmsg_set(err, errlen, -EINVAL,
                        "a Diff snapshot needs track_dirty_pages (machine-config, before the "
                        "start, or the snapshot load's)");
        goto out;
    }
    if (diff && !vm->diff_base) {
        rc = errmsg_set(err, errlen, -EINVAL,
                        "a Diff snapshot needs a base: take a Full snapshot first (there was none "
                        "since the boot, the last reset or a migration attempt)");
        goto out;
    }
    /* Checked before anything is written: a refused target leaves both
     * files as they were. */
    if ((rc = snap_check_targets(vm, state_path, mem_path, err, errlen))) goto out;
    uint8_t id[SNAP_ID_LEN];
    if (getrandom(id, sizeof(id), 0) != (ssize_t)sizeof(id)) {
        rc = errmsg_set(err, errlen, -EIO, "getrandom failed");
        goto out;
    }
    struct stream s;
    stream_init_writer(&s);
    snap_config_save(&vm->cfg, &s);
    size_t mark = stream_begin_section(&s, MEMF_TAG, SECT_VERSION);
    stream_put_u64(&s, vm->board->ram.size);
    stream_put(&s, id, sizeof(id));
    stream_end_section(&s, mark);
    mark = stream_begin_section(&s, VCLK_TAG, SECT_VERSION);
    stream_put_u64(&s, vm->paused_ticks);
    stream_end_section(&s, mark);
    snap_vcpus_save(vm, &s);
    rc = board_save(vm->board, &s);
    if (rc == -ENOTSUP)
        errmsg_set(err, errlen, rc,
                   "this VM has a device that cannot be snapshotted yet (virtio device id %u)",
                   unsaveable_device(vm->board));
    else if (rc)
        errmsg_set(err, errlen, rc, "cannot encode the VM state: %s", strerror(-rc));
    /* The memory file first: the state file names it, so a state file on
     * disk always has its memory file. */
    /* Paused, I/O thread parked: nothing writes RAM meanwhile, so the
     * log read here is exactly what changed since the base. */
    struct guest_ram *ram = &vm->board->ram;
    size_t words = (ram->npages + 63) / 64;
    if (!rc && vm->cfg.track_dirty && !(dirty = malloc(words * 8)))
        rc = errmsg_set(err, errlen, -ENOMEM, "out of memory");
    if (dirty) ram_dirty_sync(ram); /* the pages KVM logged, under --engine kvm */
    if (dirty)
        for (size_t w = 0; w < words; w++)
            dirty[w] = __atomic_load_n(&ram->dirty[w], __ATOMIC_RELAXED);
    if (!rc) rc = snap_mem_write_diff(ram, mem_path, id, diff ? dirty : NULL, err, errlen);
    if (!rc) rc = snap_state_write(state_path, &s, err, errlen);
    stream_free(&s);
    if (!rc && dirty) { /* this snapshot is the next one's base */
        ram_dirty_take(ram, dirty);
        vm->diff_base = true;
    }
out:
    free(dirty);
    pthread_mutex_unlock(&vm->ctl_lock);
    return rc;
}

int snap_check_host(const struct vm_config *cfg, char *err, size_t errlen)
{
    for (unsigned k = 0; k < cfg->ndrives; k++) {
        const struct vm_drive *d = &cfg->drives[k];
        if (access(d->path, d->readonly ? R_OK : R_OK | W_OK))
            return errmsg_set(err, errlen, -errno, "drive '%s': %s: %s", d->id, d->path,
                              strerror(errno));
    }
    return 0;
}

/* Reads the sections up to the board's and checks them and the memory
 * file; nothing is built yet. */
static int restore_check(struct stream *body, const struct vm_config *over, const char *state_path,
                         const char *mem_path, struct vm_config *cfg, char **strings,
                         uint64_t *ticks, struct snap_vcpu *sv, char *err, size_t errlen)
{
    char why[512];
    int rc = snap_config_load(body, cfg, strings, why, sizeof(why));
    if (rc) return errmsg_set(err, errlen, rc, "%s: %s", state_path, why);
    size_t end;
    uint8_t id[SNAP_ID_LEN];
    uint64_t ram_size = 0;
    if (!(rc = stream_open_section(body, MEMF_TAG, SECT_VERSION, NULL, &end))) {
        ram_size = stream_get_u64(body);
        stream_get(body, id, sizeof(id));
        rc = stream_close_section(body, end);
    }
    if (!rc && ram_size != cfg->board.ram_size) rc = -EINVAL;
    if (!rc && !(rc = stream_open_section(body, VCLK_TAG, SECT_VERSION, NULL, &end))) {
        *ticks = stream_get_u64(body);
        rc = stream_close_section(body, end);
    }
    if (!rc) rc = snap_vcpus_load(body, cfg->board.nharts, sv);
    if (rc) return errmsg_set(err, errlen, -EINVAL, "%s: malformed snapshot state", state_path);
    if ((rc = snap_config_override(cfg, over, err, errlen))) return rc;
    if ((rc = snap_check_host(cfg, err, errlen))) return rc;
    return snap_mem_check(mem_path, ram_size, id, err, errlen);
}

int vm_restore(struct vm **out, const struct vm_config *overrides, const char *state_path,
               const char *mem_path, char *err, size_t errlen)
{
    struct stream body;
    int rc = snap_state_read(state_path, &body, err, errlen);
    if (rc) return rc;
    struct vm_config cfg;
    char *strings = NULL;
    uint64_t ticks = 0;
    struct snap_vcpu sv[BOARD_MAX_HARTS] = {0};
    struct vm *vm = NULL;
    rc = restore_check(&body, overrides, state_path, mem_path, &cfg, &strings, &ticks, sv, err,
                       errlen);
    if (rc) {
        free(strings);
        goto out;
    }
    rc = vm_create_restoring(&vm, &cfg, strings, mem_path, err, errlen);
    if (rc) goto out;
    rc = snap_apply_paused(vm, &body, ticks, sv);
    if (rc) {
        errmsg_set(err, errlen, rc,
                   "%s: the saved device state does not fit this VM (%s; a drive image of "
                   "another size?)",
                   state_path, strerror(-rc));
        vm_destroy(vm);
        goto out;
    }
    *out = vm;
out:
    stream_free(&body);
    return rc;
}
