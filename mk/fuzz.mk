# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang straight from
# the sources they need (not from librvmm, which is built by $(CC) without
# coverage instrumentation). `make fuzz` builds them; `make fuzz-smoke` runs
# each for FUZZ_TIME seconds on its seed corpus (tests/fuzz/corpus/NAME,
# read-only; new inputs go to $(BUILD)/fuzz/work/NAME) and prints one line
# per target, PASS fuzz/NAME or FAIL fuzz/NAME. Crashes are saved as
# $(BUILD)/fuzz/NAME-crash-* and the run's output as $(BUILD)/fuzz/NAME.log.
# Long runs: $(BUILD)/fuzz/NAME $(BUILD)/fuzz/work/NAME tests/fuzz/corpus/NAME

FUZZ_CC     ?= clang
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
               -std=c17 -D_GNU_SOURCE -Isrc -Wall -Wextra -Wno-unused-parameter
FUZZ_TIME   ?= 5
FUZZ_NAMES  := fuzz_decode fuzz_loader fuzz_stream fuzz_guest fuzz_virtqueue fuzz_qcow2 \
               fuzz_virtio_blk fuzz_virtio_net fuzz_snapshot
FUZZ_BINS   := $(FUZZ_NAMES:%=$(BUILD)/fuzz/%)

# What each target links: the CPU core needs ram and the stream code, and
# nothing from the board or the VMM.
FUZZ_COMMON    := $(wildcard src/common/*.c)
FUZZ_CORE_SRCS := $(wildcard src/cpu/*.c src/cpu/jit/*.c src/cpu/kvm/*.c) src/mem/ram.c $(FUZZ_COMMON)
FUZZ_SRCS_fuzz_decode := src/cpu/decode.c src/cpu/rvc.c
FUZZ_SRCS_fuzz_loader := src/machine/loader.c src/mem/ram.c $(FUZZ_COMMON)
FUZZ_SRCS_fuzz_stream := $(FUZZ_CORE_SRCS)
FUZZ_SRCS_fuzz_guest  := $(FUZZ_CORE_SRCS)
FUZZ_SRCS_fuzz_virtqueue := src/machine/virtio/virtqueue.c src/mem/ram.c $(FUZZ_COMMON)
FUZZ_SRCS_fuzz_qcow2 := $(wildcard src/backend/block/*.c) $(FUZZ_COMMON)
FUZZ_SRCS_fuzz_virtio_blk := $(addprefix src/machine/virtio/,virtio_blk.c virtio_mmio.c virtqueue.c) \
                             src/mem/ram.c $(wildcard src/backend/block/*.c) $(FUZZ_COMMON)
FUZZ_SRCS_fuzz_virtio_net := $(addprefix src/machine/virtio/,virtio_net.c virtio_mmio.c virtqueue.c) \
                             src/mem/ram.c src/backend/net/netdev.c $(FUZZ_COMMON)
FUZZ_NAMES += fuzz_virtio_balloon
FUZZ_BINS += $(BUILD)/fuzz/fuzz_virtio_balloon
FUZZ_SRCS_fuzz_virtio_balloon := $(addprefix src/machine/virtio/,virtio_balloon.c virtio_mmio.c \
                                 virtqueue.c) src/mem/ram.c $(FUZZ_COMMON)
FUZZ_LIBS_fuzz_virtio_balloon := -lpthread
# The board with every device, and the snapshot configuration parser.
FUZZ_SRCS_fuzz_snapshot := $(wildcard src/machine/*.c src/machine/virtio/*.c src/backend/*/*.c) \
                           src/vmm/snapshot_config.c $(FUZZ_CORE_SRCS)
FUZZ_LIBS_fuzz_snapshot := -lfdt -lslirp -lpthread

# virtio-vsock's packet parser and its host side (real unix sockets).
FUZZ_NAMES += fuzz_virtio_vsock
FUZZ_BINS += $(BUILD)/fuzz/fuzz_virtio_vsock
FUZZ_SRCS_fuzz_virtio_vsock := $(addprefix src/machine/virtio/,virtio_vsock.c virtio_mmio.c \
                               virtqueue.c) src/mem/ram.c src/backend/vsock/vsock_mux.c $(FUZZ_COMMON)
FUZZ_LIBS_fuzz_virtio_vsock := -lpthread

# The GDB stub's framing and hex parsing.
FUZZ_NAMES += fuzz_gdbstub
FUZZ_BINS += $(BUILD)/fuzz/fuzz_gdbstub
FUZZ_SRCS_fuzz_gdbstub := src/vmm/gdbstub_proto.c

# The API's request path, with the VMM left out (the harness builds no VM).
FUZZ_NAMES += fuzz_api
FUZZ_BINS += $(BUILD)/fuzz/fuzz_api
FUZZ_SRCS_fuzz_api := $(wildcard src/api/*.c) src/vmm/migration_stream.c src/common/errmsg.c src/common/safe_open.c \
                      src/common/ratelimit.c src/common/ioloop.c \
                      src/common/stream.c src/cpu/cpu_model.c src/cpu/decode.c src/cpu/rvc.c \
                      src/cpu/kvm/kvm_probe.c
FUZZ_LIBS_fuzz_api := -lmicrohttpd -ljson-c -lpthread -lz

# --seccomp-filter FILE's parser (Firecracker's seccompiler-bin output).
FUZZ_NAMES += fuzz_seccomp_file
FUZZ_BINS += $(BUILD)/fuzz/fuzz_seccomp_file
FUZZ_SRCS_fuzz_seccomp_file := src/vmm/seccomp_file.c src/common/safe_open.c src/common/errmsg.c

define FUZZ_RULE
$(BUILD)/fuzz/$(1): tests/fuzz/$(1).c $(FUZZ_SRCS_$(1)) $(wildcard src/*/*.h src/*/*/*.h tests/fuzz/*.h)
	@mkdir -p $$(dir $$@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $$@ $$< $(FUZZ_SRCS_$(1)) $(FUZZ_LIBS_$(1)) -lm
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call FUZZ_RULE,$(n))))

.PHONY: fuzz fuzz-smoke
fuzz: $(FUZZ_BINS)

fuzz-smoke: $(FUZZ_BINS)
	@status=0; \
	for n in $(FUZZ_NAMES); do \
	    mkdir -p $(BUILD)/fuzz/work/$$n; \
	    if $(BUILD)/fuzz/$$n -max_total_time=$(FUZZ_TIME) -rss_limit_mb=2048 -timeout=10 \
	        -artifact_prefix=$(BUILD)/fuzz/$$n- $(BUILD)/fuzz/work/$$n tests/fuzz/corpus/$$n \
	        >$(BUILD)/fuzz/$$n.log 2>&1; then \
	        echo "PASS fuzz/$$n"; \
	    else \
	        echo "FAIL fuzz/$$n (see $(BUILD)/fuzz/$$n.log)"; status=1; \
	    fi; \
	done; \
	exit $$status
