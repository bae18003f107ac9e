/* A KVM VM and its vCPUs: creating the VM with guest RAM as one user memory
 * region (whose dirty log feeds the RAM's dirty bitmap), giving each hart a vCPU (the run structure
 * mapped, the ISA checked against the CPU model, the kernel's registers read as the first shadow),
 * and taking them down again. The run loop is kvm_run.c's, the register transfer kvm_regs.c's. On
 * hosts that are not riscv64 the entry points report that KVM cannot run RISC-V guests here. */
#include "cpu/kvm/kvm_impl.h"

#include "common/errmsg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__riscv) && __riscv_xlen == 64

#include <asm/kvm.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

/* A kick is this signal: it ends a KVM_RUN in progress with EINTR. Its
 * handler does nothing; installed once per process, without SA_RESTART. */
#define KVM_KICK_SIGNAL SIGUSR1

static void kick_handler(int sig)
{
    (void)sig;
}

/* Guest RAM is memory slot 0, with dirty logging on or off. */
static int set_region(struct kvm_vm *kvm, bool log)
{
    struct guest_ram *ram = kvm->ram;
    struct kvm_userspace_memory_region mr = {.slot = 0,
                                             .flags = log ? KVM_MEM_LOG_DIRTY_PAGES : 0,
                                             .guest_phys_addr = ram->base,
                                             .memory_size = ram->size,
                                             .userspace_addr = (uint64_t)(uintptr_t)ram->host};
    return ioctl(kvm->vm_fd, KVM_SET_USER_MEMORY_REGION, &mr) < 0 ? -errno : 0;
}

/* RAM's dirty_ops: the vCPUs write guest RAM behind rvmm's back, so its
 * dirty bitmap (Diff snapshots, migration) takes KVM's log of the slot. */
static int log_set(void *opaque, bool on)
{
    struct kvm_vm *kvm = opaque;
    pthread_mutex_lock(&kvm->log_lock);
    int rc = 0;
    if (on != kvm->logging && !(rc = set_region(kvm, on))) kvm->logging = on;
    pthread_mutex_unlock(&kvm->log_lock);
    return rc;
}

static void log_collect(void *opaque, uint64_t *bits)
{
    struct kvm_vm *kvm = opaque;
    size_t words = (kvm->ram->npages + 63) / 64;
    pthread_mutex_lock(&kvm->log_lock);
    struct kvm_dirty_log log = {.slot = 0, .dirty_bitmap = kvm->log_buf};
    /* KVM's bitmap has one bit per page of the slot in 64-bit words, page k
     * at word k / 64, bit k % 64: rvmm's layout. It is cleared as read. */
    if (kvm->logging && ioctl(kvm->vm_fd, KVM_GET_DIRTY_LOG, &log) == 0) {
        for (size_t w = 0; w < words; w++)
            if (kvm->log_buf[w]) __atomic_fetch_or(&bits[w], kvm->log_buf[w], __ATOMIC_RELAXED);
    } else if (kvm->logging) {
        /* Unknown: every page counts as written, which is safe. */
        unsigned tail = (unsigned)(kvm->ram->npages % 64);
        for (size_t w = 0; w < words; w++)
            __atomic_store_n(&bits[w], w + 1 == words && tail ? (1ULL << tail) - 1 : ~0ULL,
                             __ATOMIC_RELAXED);
    }
    pthread_mutex_unlock(&kvm->log_lock);
}

static const struct ram_dirty_ops kvm_dirty_ops = {.set_logging = log_set, .collect = log_collect};

int kvm_vm_create(struct kvm_vm **out, struct guest_ram *ram, char *err, size_t errlen)
{
    struct kvm_vm *kvm = calloc(1, sizeof(*kvm));
    if (!kvm) return errmsg_set(err, errlen, -ENOMEM, "out of memory");
    kvm->vm_fd = -1;
    kvm->ram = ram;
    pthread_mutex_init(&kvm->log_lock, NULL);
    kvm->log_buf = calloc((ram->npages + 63) / 64, sizeof(uint64_t));
    if (!kvm->log_buf) {
        free(kvm);
        return errmsg_set(err, errlen, -ENOMEM, "out of memory");
    }
    int rc = kvm->kvm_fd = kvm_engine_open(err, errlen);
    if (rc < 0) goto fail;
    kvm->vm_fd = ioctl(kvm->kvm_fd, KVM_CREATE_VM, 0);
    if (kvm->vm_fd < 0) {
        rc = errmsg_set(err, errlen, -errno, "--engine kvm: KVM_CREATE_VM: %s", strerror(errno));
        goto fail;
    }
    int size = ioctl(kvm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (size < (int)sizeof(struct kvm_run)) {
        rc = errmsg_set(err, errlen, -EINVAL, "--engine kvm: KVM_GET_VCPU_MMAP_SIZE: %s",
                        size < 0 ? strerror(errno) : "too small");
        goto fail;
    }
    kvm->run_size = (size_t)size;
    if ((rc = set_region(kvm, false))) {
        errmsg_set(err, errlen, rc,
                   "--engine kvm: KVM_SET_USER_MEMORY_REGION (%llu MiB of guest RAM): %s",
                   (unsigned long long)(ram->size >> 20), strerror(-rc));
        goto fail;
    }
    struct sigaction sa = {.sa_handler = kick_handler};
    sigemptyset(&sa.sa_mask);
    if (sigaction(KVM_KICK_SIGNAL, &sa, NULL) < 0) {
        rc = errmsg_set(err, errlen, -errno, "--engine kvm: sigaction: %s", strerror(errno));
        goto fail;
    }
    ram->dirty_ops = &kvm_dirty_ops;
    ram->dirty_opaque = kvm;
    *out = kvm;
    return 0;
fail:
    kvm_vm_destroy(kvm);
    return rc;
}

void kvm_vm_destroy(struct kvm_vm *kvm)
{
    if (!kvm) return;
    if (kvm->ram->dirty_opaque == kvm) {
        kvm->ram->dirty_ops = NULL;
        kvm->ram->dirty_opaque = NULL;
    }
    if (kvm->vm_fd >= 0) close(kvm->vm_fd);
    if (kvm->kvm_fd >= 0) close(kvm->kvm_fd);
    pthread_mutex_destroy(&kvm->log_lock);
    free(kvm->log_buf);
    free(kvm);
}

/* misa's letter bits (bit k is 'a' + k) as KVM's config isa reports them:
 * the extensions, not the S and U modes misa also names. */
#define ISA_LETTERS (((1ULL << 26) - 1) & ~(1ULL << ('s' - 'a')) & ~(1ULL << ('u' - 'a')))

static int check_isa(struct kvm_vcpu_ctx *c, struct rv_hart *h, char *err, size_t errlen)
{
    uint64_t id =
        KVM_REG_RISCV | KVM_REG_SIZE_U64 | KVM_REG_RISCV_CONFIG | KVM_REG_RISCV_CONFIG_REG(isa);
    uint64_t isa = 0;
    int rc = kvm_get_reg(c->fd, id, &isa);
    if (rc)
        return errmsg_set(err, errlen, rc, "--engine kvm: reading the vCPU's ISA: %s",
                          strerror(-rc));
    uint64_t want = cpu_model_misa(&h->cpu) & ISA_LETTERS;
    uint64_t missing = want & ~isa;
    if (missing) {
        char letters[27];
        unsigned n = 0;
        for (unsigned k = 0; k < 26; k++)
            if (missing >> k & 1) letters[n++] = (char)('a' + k);
        letters[n] = 0;
        return errmsg_set(err, errlen, -ENOTSUP,
                          "--engine kvm: KVM does not offer the extension(s) \"%s\" the CPU model "
                          "asks for (see --cpu)",
                          letters);
    }
    /* Exactly the model's letters: the guest sees what the device tree says. */
    rc = kvm_set_reg(c->fd, id, &want);
    if (rc)
        return errmsg_set(err, errlen, rc, "--engine kvm: setting the vCPU's ISA: %s",
                          strerror(-rc));
    uint64_t freq = 0;
    rc = kvm_get_reg(c->fd,
                     KVM_REG_RISCV | KVM_REG_SIZE_U64 | KVM_REG_RISCV_TIMER |
                         KVM_REG_RISCV_TIMER_REG(frequency),
                     &freq);
    if (rc)
        return errmsg_set(err, errlen, rc, "--engine kvm: reading the timer: %s", strerror(-rc));
    if (freq != CLOCK_TIMEBASE_HZ)
        return errmsg_set(err, errlen, -ENOTSUP,
                          "--engine kvm: the host's timebase is %llu Hz; rvmm's board has %llu Hz",
                          (unsigned long long)freq, (unsigned long long)CLOCK_TIMEBASE_HZ);
    c->has_fp = cpu_model_has(&h->cpu, CPU_EXT_d);
    return 0;
}

int kvm_vcpu_attach(struct kvm_vm *kvm, struct rv_hart *h, char *err, size_t errlen)
{
    struct kvm_vcpu_ctx *c = calloc(1, sizeof(*c));
    if (!c) return errmsg_set(err, errlen, -ENOMEM, "out of memory");
    c->vm = kvm;
    c->run = MAP_FAILED;
    pthread_mutex_init(&c->irq_lock, NULL);
    int rc;
    c->fd = ioctl(kvm->vm_fd, KVM_CREATE_VCPU, (unsigned long)h->mhartid);
    if (c->fd < 0) {
        rc = errmsg_set(err, errlen, -errno, "--engine kvm: KVM_CREATE_VCPU %llu: %s",
                        (unsigned long long)h->mhartid, strerror(errno));
        goto fail;
    }
    c->run = mmap(NULL, kvm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
    if (c->run == MAP_FAILED) {
        rc = errmsg_set(err, errlen, -errno, "--engine kvm: mapping the vCPU's run area: %s",
                        strerror(errno));
        goto fail;
    }
    rc = check_isa(c, h, err, errlen);
    if (rc) goto fail;
    c->mp_pending = -1;
    rc = kvm_regs_read_shadow(c);
    if (!rc) rc = kvm_mp_read(c); /* KVM powers every vCPU but the first off */
    if (rc) {
        errmsg_set(err, errlen, rc, "--engine kvm: reading the vCPU's registers: %s",
                   strerror(-rc));
        goto fail;
    }
    h->kvm_cpu = c;
    return hart_set_engine(h, HART_ENGINE_KVM, NULL);
fail:
    if (c->run != MAP_FAILED) munmap(c->run, kvm->run_size);
    if (c->fd >= 0) close(c->fd);
    pthread_mutex_destroy(&c->irq_lock);
    free(c);
    return rc;
}

void kvm_vcpu_detach(struct rv_hart *h)
{
    struct kvm_vcpu_ctx *c = h->kvm_cpu;
    if (!c) return;
    h->kvm_cpu = NULL;
    if (h->engine == HART_ENGINE_KVM) h->engine = HART_ENGINE_INTERP;
    munmap(c->run, c->vm->run_size);
    close(c->fd);
    pthread_mutex_destroy(&c->irq_lock);
    free(c);
}

void kvm_hart_kick(struct rv_hart *h)
{
    struct kvm_vcpu_ctx *c = h->kvm_cpu;
    if (!c) return;
    /* Before the signal: a vCPU about to enter KVM_RUN returns at once. */
    __atomic_store_n(&c->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&c->thread_known, __ATOMIC_ACQUIRE) &&
        !pthread_equal(c->thread, pthread_self()))
        pthread_kill(c->thread, KVM_KICK_SIGNAL);
}

bool kvm_hart_stopped(const struct rv_hart *h)
{
    return h->kvm_cpu && h->kvm_cpu->stopped;
}

void kvm_hart_set_stopped(struct rv_hart *h, bool stopped)
{
    struct kvm_vcpu_ctx *c = h->kvm_cpu;
    if (!c) return;
    __atomic_store_n(&c->mp_pending, stopped ? KVM_MP_STATE_STOPPED : KVM_MP_STATE_RUNNABLE,
                     __ATOMIC_RELEASE);
    c->stopped = stopped;
}

#else /* not a riscv64 host */

bool kvm_hart_stopped(const struct rv_hart *h)
{
    (void)h;
    return false;
}

void kvm_hart_set_stopped(struct rv_hart *h, bool stopped)
{
    (void)h;
    (void)stopped;
}

int kvm_vm_create(struct kvm_vm **out, struct guest_ram *ram, char *err, size_t errlen)
{
    (void)ram;
    *out = NULL;
    int fd = kvm_engine_open(err, errlen); /* names what is missing */
    if (fd >= 0) close(fd);
    return fd < 0 ? fd : -ENOTSUP;
}

void kvm_vm_destroy(struct kvm_vm *kvm)
{
    (void)kvm;
}

int kvm_vcpu_attach(struct kvm_vm *kvm, struct rv_hart *h, char *err, size_t errlen)
{
    (void)kvm;
    (void)h;
    return errmsg_set(err, errlen, -ENOTSUP, "--engine kvm: not available on this host");
}

void kvm_vcpu_detach(struct rv_hart *h)
{
    (void)h;
}

void kvm_hart_kick(struct rv_hart *h)
{
    (void)h;
}

#endif
