/* --seccomp-filter FILE (see opt_seccomp.h). The file is read while the
 * options are parsed, before a jail or any thread, so a bad file is a
 * usage error and the path is resolved where the user gave it. */
#include "cli/opt_seccomp.h"

#include <stdio.h>

#include "vmm/seccomp.h"
#include "vmm/seccomp_file.h"

int cli_seccomp_filter(const char *path, char *msg, size_t msglen)
{
    struct seccomp_filters *f;
    char why[384];
    int rc = seccomp_file_load(path, &f, why, sizeof(why));
    if (rc) {
        snprintf(msg, msglen, "--seccomp-filter: %s", why);
        return rc;
    }
    seccomp_use_filters(f); /* kept for the process's life: threads confine later */
    return 0;
}
