/* The --engine option (see cli_engine.h). */
#include "cli/cli_engine.h"

#include "common/errmsg.h"
#include "cpu/jit/jit.h"
#include "cpu/kvm/kvm.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

int cli_parse_engine(const char *arg, int *engine, char *msg, size_t msglen)
{
    if (!strcmp(arg, "interp")) {
        *engine = HART_ENGINE_INTERP;
        return 0;
    }
    if (!strcmp(arg, "jit")) {
        if (!jit_available())
            return errmsg_set(
                msg, msglen, -ENOTSUP,
                "--engine jit: the JIT runs on x86-64 hosts only (use interp or kvm)");
        *engine = HART_ENGINE_JIT;
        return 0;
    }
    if (!strcmp(arg, "kvm")) {
        int fd = kvm_engine_open(msg, msglen);
        if (fd < 0) return fd;
        close(fd);
        *engine = HART_ENGINE_KVM;
        return 0;
    }
    return errmsg_set(msg, msglen, -EINVAL,
                      "--engine %s: unknown engine (available: jit, interp, kvm)", arg);
}

int cli_engine_check(struct board_config *b, char *msg, size_t msglen)
{
    /* The model is resolved here so a snapshot records the one that ran. */
    if (b->engine == HART_ENGINE_KVM && !b->cpu.ext) kvm_engine_default_model(&b->cpu);
    if (b->engine == HART_ENGINE_KVM && !b->sbi_builtin)
        return errmsg_set(msg, msglen, -EINVAL,
                          "--engine kvm runs the kernel in S-mode under the built-in SBI: drop "
                          "--bios (or give --bios builtin)");
    return 0;
}
