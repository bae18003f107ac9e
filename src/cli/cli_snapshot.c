/* --snapshot-merge: parses base=PATH,diff=PATH and merges the diff onto
 * the base in place (vmm/snapshot.h snap_mem_merge does the checks and the
 * writing). Runs alone: no VM is built. */
#include "cli/cli_snapshot.h"

#include "vmm/snapshot.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

int cli_snapshot_merge(const char *arg)
{
    char base[PATH_MAX] = "", diff[PATH_MAX] = "", err[1024];
    const char *p = arg;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char *dst = !strncmp(p, "base=", 5) ? base : !strncmp(p, "diff=", 5) ? diff : NULL;
        if (!dst || n - 5 == 0 || n - 5 >= PATH_MAX || *dst) {
            fprintf(stderr,
                    "rvmm: --snapshot-merge %.200s: expected base=BASE.mem,diff=DIFF.mem (each "
                    "once)\n",
                    arg);
            return 2;
        }
        memcpy(dst, p + 5, n - 5);
        dst[n - 5] = '\0';
        p += n + (comma != NULL);
    }
    if (!base[0] || !diff[0]) {
        fprintf(stderr, "rvmm: --snapshot-merge %.200s: expected base=BASE.mem,diff=DIFF.mem\n",
                arg);
        return 2;
    }
    if (snap_mem_merge(base, diff, err, sizeof(err))) {
        fprintf(stderr, "rvmm: --snapshot-merge: %s\n", err);
        return 2;
    }
    fprintf(stderr, "rvmm: merged %s onto %s: it is now the memory file of the Diff snapshot\n",
            diff, base);
    return 0;
}
