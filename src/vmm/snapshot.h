/* Snapshot files, the pieces vm_snapshot_create() and vm_restore() (vm.h)
 * are made of. A snapshot is two files:
 *  - the state file: a header (magic, format version, rvmm version, body
 *    length), a body of sections (configuration, memory-file identity, guest
 *    clock, vCPU HSM states, the board) and a CRC-32 over everything before
 *    it. Read whole and checked before anything is built.
 *  - the memory file: guest RAM as raw bytes, sparse where a page is zero,
 *    followed by one trailer page naming the snapshot it belongs to, so a
 *    restore can map it copy-on-write without reading it.
 * Every failure comes with one line in err naming the file and the reason. */
#ifndef RVMM_VMM_SNAPSHOT_H
#define RVMM_VMM_SNAPSHOT_H

#include "common/stream.h"
#include "mem/ram.h"
#include "vmm/sbi_pmu.h"
#include "vmm/vm.h"

#include <sys/types.h>

#define SNAP_FORMAT_VERSION 1
#define SNAP_ID_LEN         16
/* The largest state file a restore reads (it is a few hundred KiB). */
#define SNAP_STATE_MAX (64u << 20)

/* Writes header + body + CRC to path atomically (a temporary file renamed
 * over it), so a failed write never leaves a half snapshot under the name. */
int snap_state_write(const char *path, const struct stream *body, char *err, size_t errlen);
/* Reads path and checks magic, versions, length and CRC; on success body
 * is a reader over the sections (stream_free it). */
int snap_state_read(const char *path, struct stream *body, char *err, size_t errlen);

/* Both files are written through safe_tmp_create/safe_tmp_commit
 * (common/safe_open.h): a fresh random name beside the target, renamed
 * over it when complete. Before either is written, snap_check_targets
 * refuses targets that exist and are not regular files, that are one of
 * the VM's disks or backing files, or that are the same file twice. */
int snap_check_targets(struct vm *vm, const char *state_path, const char *mem_path, char *err,
                       size_t errlen);
/* pwrite of all n bytes at off (retrying short writes); 0 or -errno. */
int snap_pwrite_all(int fd, const void *p, size_t n, off_t off);

/* Writes guest RAM and the trailer to path (atomically, as above): only the
 * non-zero pages are written, the rest stays a hole. */
int snap_mem_write(const struct guest_ram *ram, const char *path, const uint8_t id[SNAP_ID_LEN],
                   char *err, size_t errlen);
/* A Diff snapshot's memory file: only the pages whose bit is set in dirty
 * ((npages + 63) / 64 words), zero or not, then the trailer and the bitmap. */
int snap_mem_write_diff(const struct guest_ram *ram, const char *path,
                        const uint8_t id[SNAP_ID_LEN], const uint64_t *dirty, char *err,
                        size_t errlen);
#define SNAP_MEM_TRAILER RAM_PAGE_SIZE
/* The bitmap's room after a Diff file's trailer: whole pages. */
#define SNAP_MEM_DIFF_MAP(npages)                                                                  \
    ((((npages) + 63) / 64 * 8 + RAM_PAGE_SIZE - 1) & ~(uint64_t)(RAM_PAGE_SIZE - 1))
/* Fills the trailer page t. */
void snap_mem_trailer(uint8_t *t, uint64_t ram_size, const uint8_t id[SNAP_ID_LEN], bool diff);
/* Writes a Diff snapshot's memory file over its base's, in place (as
 * Firecracker's rebase-snap): the base then is the Diff snapshot's full
 * memory file, and its state file restores from it. The base's trailer is
 * invalidated first and written last, so a merge cut short leaves a file
 * no snapshot accepts. 0 or a negative errno with one line in err. */
int snap_mem_merge(const char *base, const char *diff, char *err, size_t errlen);
/* Checks that path is the memory file of snapshot id with ram_size bytes
 * of RAM (size and trailer only: the RAM itself is not read). */
int snap_mem_check(const char *path, uint64_t ram_size, const uint8_t id[SNAP_ID_LEN], char *err,
                   size_t errlen);

/* The VM configuration as saved in the state file. The loaded paths point
 * into *strings (one allocation the caller frees). */
void snap_config_save(const struct vm_config *cfg, struct stream *s);
int snap_config_load(struct stream *s, struct vm_config *cfg, char **strings, char *err,
                     size_t errlen);
/* Applies what a restore may change (drives' images, nets' backends, stats)
 * and rejects what it may not (RAM size, hart count, unknown drives). An
 * override replaces the snapshot's device of the same id; one with the
 * command line's positional id ("drive<k>", "net<k>", the k-th option)
 * that the snapshot lacks replaces the k-th device; two overrides of one
 * device are refused. The device keeps the snapshot's id (the serial the
 * guest reads). */
int snap_config_override(struct vm_config *cfg, const struct vm_config *over, char *err,
                         size_t errlen);

/* What the VMM keeps per vCPU beyond the hart: its SBI HSM state and
 * what the SBI PMU extension handed out (zero from a version 1 section,
 * which did not have it). */
struct snap_vcpu {
    uint8_t hsm;
    bool start_req;
    uint64_t start_addr, start_arg;
    uint32_t susp_type;
    uint64_t susp_addr, susp_arg;
    struct sbi_pmu_hart pmu;
};
/* The VCPU section (snapshots and migration): save from a paused VM, load
 * and check into sv[nharts], apply to a VM built from the same config (a
 * hart saved in SBI suspend wakes, as it may on any interrupt). */
void snap_vcpus_save(struct vm *vm, struct stream *s);
int snap_vcpus_load(struct stream *s, unsigned nharts, struct snap_vcpu *sv);
void snap_vcpus_apply(struct vm *vm, const struct snap_vcpu *sv);
/* Devices from s, the clock and the harts into a VM built for a restore or
 * an incoming migration, which is left paused; 0 or a negative errno (the
 * caller names the source and destroys the VM). */
int snap_apply_paused(struct vm *vm, struct stream *s, uint64_t ticks, const struct snap_vcpu *sv);
/* The host must still have what the configuration's devices use (each
 * drive's image, readable, and writable unless read-only). */
int snap_check_host(const struct vm_config *cfg, char *err, size_t errlen);

/* For snapshot.c: a VM built like vm_create() but with guest RAM mapped from
 * a snapshot memory file and no image loaded; cfg's strings are owned by
 * the VM from then on (even on failure). */
int vm_create_restoring(struct vm **out, const struct vm_config *cfg, char *strings,
                        const char *ram_file, char *err, size_t errlen);

#endif
