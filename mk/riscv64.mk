# The riscv64 build of rvmm: `make riscv64` cross-compiles build-riscv64/rvmm,
# a static binary to run inside a RISC-V Linux (with /dev/kvm: --engine kvm).
# Its libraries come from $(RV64_SYSROOT), built by
# scripts/build-riscv64-sysroot.sh from Debian's source packages. The x86-64
# JIT, libslirp and the x86-64 seccomp lists are left out (jit_none.c,
# net_slirp_none.c, seccomp_none.c say so at run time). Included before mk/sources.mk: the sub-make sets RVMM_TARGET.

RV64_CROSS   ?= riscv64-linux-gnu-
RV64_BUILD   := build-riscv64
RV64_SYSROOT ?= $(or $(RVMM_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/rvmm)/riscv64-sysroot

.PHONY: riscv64 riscv64-sysroot
riscv64-sysroot:
	scripts/build-riscv64-sysroot.sh $(RV64_SYSROOT)

riscv64: riscv64-sysroot
	$(MAKE) RVMM_TARGET=riscv64 BUILD=$(RV64_BUILD) CC=$(RV64_CROSS)gcc AR=$(RV64_CROSS)ar \
	    RV64_SYSROOT=$(RV64_SYSROOT) $(RV64_BUILD)/rvmm

ifeq ($(RVMM_TARGET),riscv64)
LIB_EXCLUDE := $(filter-out src/cpu/jit/jit_none.c,$(wildcard src/cpu/jit/*.c)) \
               src/backend/net/net_slirp.c src/vmm/seccomp.c
CFLAGS  += -I$(RV64_SYSROOT)/include -DRVMM_NO_SLIRP -DRVMM_NO_SECCOMP
LDFLAGS += -static -L$(RV64_SYSROOT)/lib
LDLIBS  := -lfdt -lz -lzstd -llz4 -lm -lpthread
# Sub-word atomics (__atomic_exchange_1) are calls into libatomic on riscv64.
override API_LDLIBS = -lmicrohttpd -ljson-c -lm -lpthread -latomic
endif

# The nested guest image (issue 12 item 4): the root disk `make run` boots,
# plus /usr/bin/rvmm (this build) and /nested/{Image,initramfs.cpio.gz}.
# It lives in the cache beside the base, rebuilt only when an input
# changed (the script keys it by their digests).
NESTED_ROOTDISK = $(GUEST_DIR)/rootfs-nested.ext4
.PHONY: nested-rootdisk
nested-rootdisk: riscv64
	scripts/build-nested-rootdisk.sh $(NESTED_ROOTDISK) $(RV64_BUILD)/rvmm \
	    $(GUEST_KERNEL) $(GUEST_INITRD) $(GUEST_ROOTDISK)

# The nested layer alone (tests/nested; also part of `make test`): rvmm on
# KVM inside rvmm and QEMU, and QEMU booting the root disk.
.PHONY: test-nested
test-nested: nested-rootdisk $(BUILD)/rvmm
	RVMM=$(BUILD)/rvmm BUILD=$(BUILD) RVMM_RISCV64=$(RV64_BUILD)/rvmm GUEST_KERNEL=$(GUEST_KERNEL) \
	    GUEST_INITRD=$(GUEST_INITRD) NESTED_ROOTDISK=$(NESTED_ROOTDISK) \
	    TEST_LAYERS=nested sh tests/run.sh
