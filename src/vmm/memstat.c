/* The memory split of vm_memory_read(): one pass over /proc/self/smaps,
 * each mapping counted by what it is. Guest RAM is the board's RAM range
 * (one mapping, or several after the balloon mapped anonymous pages over a
 * snapshot file); its "Anonymous" pages are the VM's own, the rest of its
 * Rss is the file's page cache shared with other clones (or, on fresh
 * RAM, the kernel and initrd files' pages ram_share_file mapped). Translated code is
 * the JIT's anonymous executable mappings. Knows no device internals: the
 * balloon's numbers come through vm_balloon_info(). */
#include "vmm/memstat.h"

#include "vmm/balloon.h"

#include "vmm/vm_impl.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

enum memstat_kind { MS_OTHER, MS_RAM, MS_JIT };

int vm_memory_read(struct vm *vm, struct vm_memory *out)
{
    memset(out, 0, sizeof(*out));
    uintptr_t lo = 0, hi = 0;
    bool file_backed = false;
    pthread_mutex_lock(&vm->lock);
    if (vm->board) {
        lo = (uintptr_t)vm->board->ram.host;
        hi = lo + vm->board->ram.size;
        file_backed = vm->board->ram.file_backed;
        out->discarded_kib = vm->board->ram.discarded_pages * (RAM_PAGE_SIZE >> 10);
        out->ram_kib = vm->board->ram.size >> 10;
        out->mem_merge = vm->board->ram.mergeable;
    }
    pthread_mutex_unlock(&vm->lock);
    struct virtio_balloon_info bi;
    if (!vm_balloon_info(vm, &bi)) {
        out->balloon_kib = bi.inflated_pages * (RAM_PAGE_SIZE >> 10);
        out->reported_kib = bi.reported_pages * (RAM_PAGE_SIZE >> 10);
    }
    FILE *f = fopen("/proc/self/smaps", "re");
    if (!f) return -errno;
    char line[512];
    enum memstat_kind kind = MS_OTHER;
    uint64_t rss = 0;
    while (fgets(line, sizeof(line), f)) {
        uintptr_t a, b;
        char perms[8];
        int path_at = 0;
        if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %7s %*s %*s %*s %n", &a, &b, perms, &path_at) ==
                3 &&
            path_at > 0) {
            bool anon = line[path_at] == '\n' || line[path_at] == 0;
            kind = a >= lo && b <= hi && lo != hi       ? MS_RAM
                   : anon && strchr(perms, 'x') != NULL ? MS_JIT
                                                        : MS_OTHER;
            continue;
        }
        unsigned long long kib;
        if (sscanf(line, "Rss: %llu kB", &kib) == 1) {
            rss = kib;
            out->rss_kib += kib;
            if (kind == MS_RAM) out->guest_ram_kib += kib;
            if (kind == MS_JIT) out->jit_code_kib += kib;
        } else if (sscanf(line, "Pss: %llu kB", &kib) == 1) {
            out->pss_kib += kib;
        } else if (kind == MS_RAM && sscanf(line, "Anonymous: %llu kB", &kib) == 1) {
            /* The rest of a RAM mapping's Rss is its file's page cache:
             * the snapshot's, or an image's (ram_share_file). */
            *(file_backed ? &out->snapshot_shared_kib : &out->image_shared_kib) +=
                rss > kib ? rss - kib : 0;
        }
    }
    fclose(f);
    out->vmm_kib = out->rss_kib - out->guest_ram_kib - out->jit_code_kib;
    return 0;
}

void vm_memory_print(struct vm *vm, FILE *f)
{
    struct vm_memory m;
    if (vm_memory_read(vm, &m)) return;
    fprintf(f,
            "  memory (MiB): rss=%.1f pss=%.1f guest_ram=%.1f snapshot_shared=%.1f "
            "image_shared=%.1f jit_code=%.1f vmm=%.1f balloon=%.1f reported=%.1f discarded=%.1f "
            "mem_merge=%s\n",
            m.rss_kib / 1024.0, m.pss_kib / 1024.0, m.guest_ram_kib / 1024.0,
            m.snapshot_shared_kib / 1024.0, m.image_shared_kib / 1024.0, m.jit_code_kib / 1024.0,
            m.vmm_kib / 1024.0, m.balloon_kib / 1024.0, m.reported_kib / 1024.0,
            m.discarded_kib / 1024.0, m.mem_merge ? "on" : "off");
}
