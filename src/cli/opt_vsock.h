/* --vsock cid=N,uds=PATH: Firecracker's PUT /vsock on the command line. */
#ifndef RVMM_CLI_OPT_VSOCK_H
#define RVMM_CLI_OPT_VSOCK_H

#include "vmm/vm.h"

/* 0, or -EINVAL with one line in msg. */
int cli_parse_vsock(const char *arg, struct vm_vsock *v, char *msg, size_t msglen);

#endif
