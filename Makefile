# rvmm top-level build. Fragments in mk/ hold the per-area rules.
# `make` builds build/rvmm; `make test` runs every test; `make run` boots the guest.

CC      ?= gcc
CSTD    := -std=c17
WARN    := -Wall -Wextra -Werror -Wno-unused-parameter
OPT     ?= -O2 -g
DEFS    := -D_GNU_SOURCE
INCS    := -Isrc -Iinclude
PKGS    := libfdt
CFLAGS  += $(CSTD) $(WARN) $(OPT) $(DEFS) $(INCS) -MMD -MP
LDLIBS  += -lfdt -lslirp -lz -lzstd -llz4 -lm -lpthread

BUILD   := build

.PHONY: all run
all: $(BUILD)/rvmm

include mk/riscv64.mk
include mk/sources.mk
include mk/guest.mk
include mk/tests.mk

# After the includes: the prerequisites name files the fragments define.
# Installs what is missing, builds rvmm and the guest, boots it to a shell
# through Debian's OpenSBI (rvmm's own default is --bios builtin), with the
# ext4 root disk as /dev/vda: files written in the guest stay for the next run.
run: deps $(BUILD)/rvmm $(GUEST_KERNEL) $(GUEST_RUNDISK)
	$(BUILD)/rvmm --bios $(OPENSBI_FW) --kernel $(GUEST_KERNEL) --drive file=$(GUEST_RUNDISK) \
	    --append "console=ttyS0 root=/dev/vda rw"

# Every object's header dependencies, at any depth under build/ (src/cpu/jit,
# src/machine/virtio and src/backend/* are one level deeper than the rest: a
# shallower pattern left their objects stale when a header changed).
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
