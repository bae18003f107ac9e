/* Finding KVM: opening the device and checking, before any VM exists, the
 * API version and the capabilities the engine relies on, so that a missing
 * one is one line naming it (the CLI turns it into exit status 2). Builds
 * on every host: on one that is not riscv64 the answer is that KVM cannot
 * run RISC-V guests there. Owns no state. */
#include "cpu/kvm/kvm.h"

#include "common/errmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static const char *const exit_stat_names[HART_KVM_STAT_COUNT] = {
    "mmio_read", "mmio_write", "sbi", "system_event", "signal", "other"};

const char *kvm_exit_stat_name(unsigned k)
{
    return k < HART_KVM_STAT_COUNT ? exit_stat_names[k] : "?";
}

/* What the engine needs from the kernel, checked in this order. */
static const struct {
    int cap;
    const char *name;
} needed_caps[] = {
    {KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY"},
    {KVM_CAP_ONE_REG, "KVM_CAP_ONE_REG"},
    {KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT"},
    {KVM_CAP_MP_STATE, "KVM_CAP_MP_STATE"},
};

int kvm_engine_open(char *err, size_t errlen)
{
    int fd = open(KVM_ENGINE_DEVICE, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return errmsg_set(err, errlen, -e, "--engine kvm: cannot open %s: %s", KVM_ENGINE_DEVICE,
                          strerror(e));
    }
    int rc;
    int ver = ioctl(fd, KVM_GET_API_VERSION, 0);
    if (ver != KVM_API_VERSION) {
        rc = errmsg_set(err, errlen, -ENOTSUP,
                        "--engine kvm: %s is not a KVM device with API version %d (it answered %d)",
                        KVM_ENGINE_DEVICE, KVM_API_VERSION, ver);
        goto fail;
    }
#if !defined(__riscv) || __riscv_xlen != 64
    rc = errmsg_set(err, errlen, -ENOTSUP,
                    "--engine kvm: KVM runs RISC-V guests only on a riscv64 host (use --engine jit "
                    "or interp here)");
    goto fail;
#endif
    for (size_t k = 0; k < sizeof(needed_caps) / sizeof(needed_caps[0]); k++) {
        if (ioctl(fd, KVM_CHECK_EXTENSION, needed_caps[k].cap) <= 0) {
            rc = errmsg_set(err, errlen, -ENOTSUP, "--engine kvm: %s lacks %s", KVM_ENGINE_DEVICE,
                            needed_caps[k].name);
            goto fail;
        }
    }
    return fd;
fail:
    close(fd);
    return rc;
}

void kvm_engine_default_model(struct cpu_model *m)
{
    cpu_model_default(m);
    m->ext &= ~CPU_X(h);
}

bool kvm_engine_available(void)
{
#if defined(__riscv) && __riscv_xlen == 64
    char err[256];
    int fd = kvm_engine_open(err, sizeof(err));
    if (fd < 0) return false;
    close(fd);
    return true;
#else
    return false;
#endif
}
