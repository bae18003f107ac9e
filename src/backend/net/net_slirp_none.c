/* The user-mode NAT backend in a build without libslirp (the riscv64 build,
 * whose sysroot has no GLib): `--net user` is refused with a message naming
 * what is missing, never silently dropped. Compiled only when RVMM_NO_SLIRP
 * is defined (mk/riscv64.mk), in place of net_slirp.c. */
#include "backend/net/netdev.h"

#include "common/errmsg.h"

#include <errno.h>

#if defined(RVMM_NO_SLIRP)
int net_slirp_open(struct netdev **out, const char *opts, unsigned mtu, struct ioloop *loop,
                   char *err, size_t errlen)
{
    (void)out;
    (void)opts;
    (void)mtu;
    (void)loop;
    return errmsg_set(err, errlen, -ENOTSUP,
                      "--net user: this rvmm was built without libslirp (use --net tap)");
}

int net_slirp_check_hostfwd(const char *rule, char *err, size_t errlen)
{
    (void)rule;
    return errmsg_set(err, errlen, -ENOTSUP,
                      "hostfwd: this rvmm was built without libslirp (no --net user)");
}
#endif
