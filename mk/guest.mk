# Guest images (Linux kernel, busybox initramfs, ext4 root disk) built by guest/build.sh into
# the cache, outside the tree. Included by the top-level Makefile.
#
#   make guest    build or refresh everything (cheap when up to date)
#   make guest GUEST_LINUX=6.12
#                 the same with the kernel from Debian's linux-source-6.12
#                 ($(GUEST_DIR)/Image-6.12, beside the default 6.1 Image)
#
# The file targets rebuild when anything under guest/ changes; the scripts
# themselves decide what actually needs redoing.

RVMM_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/rvmm
GUEST_DIR := $(RVMM_CACHE)/guest
GUEST_KERNEL := $(GUEST_DIR)/Image
# The guest kernel `make guest` builds: 6.1 (Image, the default) or 6.12
# (Image-6.12, guest/linux-6.12.config). The test layer boots both.
GUEST_LINUX ?= 6.1
GUEST_KERNEL_612 := $(GUEST_DIR)/Image-6.12
GUEST_INITRD := $(GUEST_DIR)/initramfs.cpio.gz
GUEST_ROOTFS := $(GUEST_DIR)/rootfs
# The same tree as a raw ext4 image (read-only base), and the disk `make run`
# boots: an overlay on it that keeps the guest's files across runs and is
# made again only when the base changes.
GUEST_ROOTDISK := $(GUEST_DIR)/rootfs.ext4
GUEST_RUNDISK := $(GUEST_DIR)/run-root.qcow2
# Debian's OpenSBI (package opensbi), the firmware `make run` boots through.
OPENSBI_FW ?= /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin

GUEST_SRCS := $(filter-out %.md,$(shell find guest -type f 2>/dev/null))
GUEST_ENV := RVMM_CACHE='$(RVMM_CACHE)'

.PHONY: guest guest-check-qemu
guest:
	$(GUEST_ENV) GUEST_LINUX='$(GUEST_LINUX)' guest/build.sh

$(GUEST_KERNEL): guest/linux.config guest/build-kernel.sh
	$(GUEST_ENV) GUEST_LINUX=6.1 guest/build-kernel.sh
	@touch $@

$(GUEST_KERNEL_612): guest/linux-6.12.config guest/build-kernel.sh
	$(GUEST_ENV) GUEST_LINUX=6.12 guest/build-kernel.sh
	@touch $@

$(GUEST_INITRD): $(GUEST_KERNEL) $(GUEST_SRCS)
	$(GUEST_ENV) GUEST_LINUX=6.1 guest/build.sh
	@touch $@

$(GUEST_ROOTDISK): $(GUEST_INITRD) guest/build-rootdisk.sh
	$(GUEST_ENV) guest/build-rootdisk.sh

# The backing file is named relative to the overlay, so the cache can move.
$(GUEST_RUNDISK): $(GUEST_ROOTDISK)
	rm -f $@
	cd $(GUEST_DIR) && qemu-img create -q -f qcow2 -b $(notdir $<) -F raw $(notdir $@)

# Boots the guest in QEMU and checks the shell works (the reference run).
guest-check-qemu: $(GUEST_KERNEL) $(GUEST_INITRD)
	$(GUEST_ENV) guest/check-qemu.sh
	$(GUEST_ENV) guest/check-qemu.sh --smp 2
