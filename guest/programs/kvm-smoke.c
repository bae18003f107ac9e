/* kvm-smoke: the smallest KVM user of all, run inside an rvmm guest whose
 * virtual hart has the H extension. Opens /dev/kvm, makes a VM with one
 * vCPU and 64 KiB of memory at guest physical 0x8000_0000
 * (KVM_SET_USER_MEMORY_REGION), copies a few instructions there, sets the
 * pc through KVM_SET_ONE_REG and runs them. The guest code does an MMIO
 * store, an SBI call in the experimental extension range (which KVM hands
 * to user space), and two more stores of the values the call returned.
 * Each KVM_RUN exit is checked: KVM_EXIT_MMIO with the address, length,
 * direction and data, KVM_EXIT_RISCV_SBI with the extension, function and
 * six arguments; the returned a0/a1 must reach the guest. Prints one line,
 * "kvm-smoke: PASS ..." or "kvm-smoke: FAIL ...", and exits non-zero on
 * any mismatch, error or a 60 s timeout. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define GUEST_RAM  0x80000000UL
#define RAM_SIZE   0x10000UL
#define MMIO_ADDR  0x10000000UL /* no memory slot there: stores exit */
#define SBI_EID    0x08000001UL /* experimental range: forwarded to user space */
#define SBI_FID    7UL
#define SBI_RET_A0 0UL
#define SBI_RET_A1 0xfeedf00d5eedUL
#define STORE_DATA 0x1234abcdUL

/* The guest: position independent, entered in VS-mode with translation off. */
__asm__(".section .rodata\n"
        ".balign 4\n"
        "guest_code:\n"
        "    li t0, 0x10000000\n"
        "    li t1, 0x1234abcd\n"
        "    sw t1, 0(t0)\n"
        "    li a0, 0x11\n"
        "    li a1, 0x22\n"
        "    li a2, 0x33\n"
        "    li a3, 0x44\n"
        "    li a4, 0x55\n"
        "    li a5, 0x66\n"
        "    li a6, 7\n"
        "    li a7, 0x08000001\n"
        "    ecall\n"
        "    sd a1, 8(t0)\n"
        "    sd a0, 16(t0)\n"
        "1:  j 1b\n"
        "guest_code_end:\n"
        ".previous\n");
extern const char guest_code[], guest_code_end[];

static void __attribute__((noreturn)) fail(const char *what, unsigned long got)
{
    printf("kvm-smoke: FAIL %s (got 0x%lx)\n", what, got);
    fflush(stdout);
    exit(1);
}

static void __attribute__((noreturn)) fail_errno(const char *what)
{
    printf("kvm-smoke: FAIL %s: %s\n", what, strerror(errno));
    fflush(stdout);
    exit(1);
}

static void on_alarm(int sig)
{
    static const char msg[] = "kvm-smoke: FAIL timeout: KVM_RUN did not come back\n";
    (void)sig;
    if (write(1, msg, sizeof(msg) - 1) < 0) _exit(3);
    _exit(2);
}

static void run(int vcpu, struct kvm_run *r, unsigned want, const char *step)
{
    if (ioctl(vcpu, KVM_RUN, 0) < 0) fail_errno(step);
    if (r->exit_reason != want) fail(step, r->exit_reason);
}

static void expect_store(int vcpu, struct kvm_run *r, unsigned long addr, unsigned len,
                         uint64_t data, const char *step)
{
    run(vcpu, r, KVM_EXIT_MMIO, step);
    if (!r->mmio.is_write) fail("mmio direction", r->mmio.is_write);
    if (r->mmio.phys_addr != addr) fail("mmio address", r->mmio.phys_addr);
    if (r->mmio.len != len) fail("mmio length", r->mmio.len);
    uint64_t got = 0;
    memcpy(&got, r->mmio.data, len);
    if (got != data) fail("mmio data", got);
}

int main(void)
{
    signal(SIGALRM, on_alarm);
    alarm(60);
    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0) fail_errno("open /dev/kvm");
    int api = ioctl(kvm, KVM_GET_API_VERSION, 0);
    if (api != KVM_API_VERSION) fail("KVM_GET_API_VERSION", (unsigned long)api);
    int vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm < 0) fail_errno("KVM_CREATE_VM");

    void *mem = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) fail_errno("mmap guest memory");
    memcpy(mem, guest_code, (size_t)(guest_code_end - guest_code));
    struct kvm_userspace_memory_region region = {
        .slot = 0,
        .guest_phys_addr = GUEST_RAM,
        .memory_size = RAM_SIZE,
        .userspace_addr = (uintptr_t)mem,
    };
    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
        fail_errno("KVM_SET_USER_MEMORY_REGION");

    int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
    if (vcpu < 0) fail_errno("KVM_CREATE_VCPU");
    int size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (size < (int)sizeof(struct kvm_run)) fail("KVM_GET_VCPU_MMAP_SIZE", (unsigned long)size);
    struct kvm_run *r = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (r == MAP_FAILED) fail_errno("mmap kvm_run");

    unsigned long pc = GUEST_RAM;
    struct kvm_one_reg reg = {
        .id =
            KVM_REG_RISCV | KVM_REG_SIZE_U64 | KVM_REG_RISCV_CORE | KVM_REG_RISCV_CORE_REG(regs.pc),
        .addr = (uintptr_t)&pc,
    };
    if (ioctl(vcpu, KVM_SET_ONE_REG, &reg) < 0) fail_errno("KVM_SET_ONE_REG pc");
    unsigned long back = 0;
    reg.addr = (uintptr_t)&back;
    if (ioctl(vcpu, KVM_GET_ONE_REG, &reg) < 0) fail_errno("KVM_GET_ONE_REG pc");
    if (back != pc) fail("pc read back", back);

    expect_store(vcpu, r, MMIO_ADDR, 4, STORE_DATA, "first KVM_RUN");

    run(vcpu, r, KVM_EXIT_RISCV_SBI, "second KVM_RUN");
    if (r->riscv_sbi.extension_id != SBI_EID) fail("sbi extension", r->riscv_sbi.extension_id);
    if (r->riscv_sbi.function_id != SBI_FID) fail("sbi function", r->riscv_sbi.function_id);
    for (unsigned k = 0; k < 6; k++)
        if (r->riscv_sbi.args[k] != 0x11UL * (k + 1)) fail("sbi argument", r->riscv_sbi.args[k]);
    r->riscv_sbi.ret[0] = SBI_RET_A0;
    r->riscv_sbi.ret[1] = SBI_RET_A1;

    expect_store(vcpu, r, MMIO_ADDR + 8, 8, SBI_RET_A1, "third KVM_RUN (sbi a1)");
    expect_store(vcpu, r, MMIO_ADDR + 16, 8, SBI_RET_A0, "fourth KVM_RUN (sbi a0)");

    printf("kvm-smoke: PASS mmio store 0x%lx/4 = 0x%lx, sbi ext 0x%lx fid %lu args 0x11..0x66, "
           "ret a0/a1 back in the guest\n",
           MMIO_ADDR, STORE_DATA, SBI_EID, SBI_FID);
    return 0;
}
