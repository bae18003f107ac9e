/* Where a VM's host memory goes, as the operator sees it (--stats, GET
 * /stats): the process's resident memory split into guest RAM the guest
 * touched (of it, what is still shared with a snapshot's memory file or
 * with the kernel and initrd files it was booted from),
 * translated code, and the VMM's own; beside it what the balloon gave back.
 * Read from /proc/self/smaps, so it is what the kernel charges. */
#ifndef RVMM_VMM_MEMSTAT_H
#define RVMM_VMM_MEMSTAT_H

#include "vmm/vm.h"

struct vm_memory {
    uint64_t rss_kib;             /* the whole process */
    uint64_t pss_kib;             /* proportional: shared pages split among their users */
    uint64_t guest_ram_kib;       /* resident guest RAM */
    uint64_t snapshot_shared_kib; /* of it, pages still the snapshot file's (page cache) */
    uint64_t image_shared_kib;    /* of it, pages still a kernel/initrd file's (page cache) */
    uint64_t jit_code_kib;        /* resident translated code */
    uint64_t vmm_kib;             /* the rest: rvmm itself, its heap and stacks, libraries */
    uint64_t balloon_kib;         /* held by the balloon now (given back) */
    uint64_t reported_kib;        /* freed by the guest and returned, in total */
    uint64_t discarded_kib;       /* every page returned to the host, in total */
    uint64_t ram_kib;             /* the guest's RAM size */
    bool mem_merge;               /* RAM offered to KSM */
};

/* Any thread while the VM exists. 0, or a negative errno (smaps unreadable). */
int vm_memory_read(struct vm *vm, struct vm_memory *out);
/* One --stats line. */
void vm_memory_print(struct vm *vm, FILE *f);

#endif
