/* --vsock cid=N,uds=PATH: a virtio-vsock device whose host side is
 * Firecracker's (host clients connect to PATH and write "CONNECT <port>\n";
 * guest connections to host port P reach a listener at PATH_P). The same
 * checks as PUT /vsock: a CID from 3 and a unix socket path with room for
 * the "_<port>" suffix. */
#include "cli/opt_vsock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_parse_vsock(const char *arg, struct vm_vsock *v, char *msg, size_t msglen)
{
    char buf[512];
    bool have_cid = false;
    if (snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf)) goto bad;
    *v = (struct vm_vsock){0};
    for (char *save = NULL, *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        if (strncmp(kv, "cid=", 4) == 0) {
            char *end;
            errno = 0;
            unsigned long long cid = strtoull(kv + 4, &end, 10);
            if (errno || *end || kv[4] < '0' || kv[4] > '9' || cid < 3 || cid > 0xfffffffeULL) {
                snprintf(msg, msglen, "--vsock %s: cid must be from 3 to 4294967294", kv + 4);
                return -EINVAL;
            }
            v->cid = (uint32_t)cid;
            have_cid = true;
        } else if (strncmp(kv, "uds=", 4) == 0) {
            size_t n = strlen(kv + 4);
            if (n == 0 || n + 12 > sizeof(v->uds_path)) {
                snprintf(msg, msglen, "--vsock uds=%.200s: a socket path of 1 to %zu characters",
                         kv + 4, sizeof(v->uds_path) - 12);
                return -EINVAL;
            }
            memcpy(v->uds_path, kv + 4, n + 1);
        } else {
            snprintf(msg, msglen, "--vsock: unknown key '%.100s' (keys: cid, uds)", kv);
            return -EINVAL;
        }
    }
    if (!have_cid || !v->uds_path[0]) goto bad;
    v->on = true;
    return 0;
bad:
    snprintf(msg, msglen, "--vsock %.200s: give cid=N,uds=PATH", arg);
    return -EINVAL;
}
