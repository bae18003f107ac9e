# Test binaries and the `make test` entry point. Unit tests link the sanitizer
# build of the library; tests/run.sh runs every layer and prints the totals.

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/librvmm-asan.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -O1 -o $@ $< $(BUILD)/librvmm-asan.a $(LDLIBS)

# The API's unit test also links the API's objects (they are not in the library).
API_ASAN_OBJS := $(filter $(ASAN)/src/api/%,$(CLI_ASAN_OBJS))
$(BUILD)/tests/test_api_routes: tests/unit/test_api_routes.c $(API_ASAN_OBJS) $(BUILD)/librvmm-asan.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -O1 -o $@ $< $(API_ASAN_OBJS) $(BUILD)/librvmm-asan.a $(LDLIBS) $(API_LDLIBS)

-include mk/isa.mk
-include mk/diff.mk
-include mk/fuzz.mk
-include mk/jit.mk
-include mk/block.mk
-include mk/gdb.mk

.PHONY: test unit-tests
unit-tests: $(UNIT_BINS)

test: deps all asan $(UNIT_BINS) $(BUILD)/tests/snapdrv $(BLKCHECK) $(ISA_TESTS) $(JIT_LOCKSTEP) $(JIT_TESTS) $(JIT_SMP_TESTS) \
      $(GDB_PROG) \
      $(GUEST_KERNEL) $(GUEST_INITRD) $(GUEST_ROOTDISK) $(GUEST_KERNEL_612) nested-rootdisk
	RVMM=$(BUILD)/rvmm RVMM_ASAN=$(BUILD)/rvmm-asan BUILD=$(BUILD) GUEST_KERNEL=$(GUEST_KERNEL) \
	GUEST_KERNEL_612=$(GUEST_KERNEL_612) \
	GUEST_INITRD=$(GUEST_INITRD) GUEST_ROOTDISK=$(GUEST_ROOTDISK) RVMM_RISCV64=$(RV64_BUILD)/rvmm \
	NESTED_ROOTDISK=$(NESTED_ROOTDISK) sh tests/run.sh

# The nested layer's image needs the guest's (mk/riscv64.mk has the rule).
nested-rootdisk: $(GUEST_KERNEL) $(GUEST_INITRD) $(GUEST_ROOTDISK)

.PHONY: deps
deps:
	@sh scripts/install-deps.sh >/dev/null

# The snapshot tests' driver: the embedding API (vmm/vm.h) on the optimized
# library, since it runs a whole guest.
$(BUILD)/tests/snapdrv: tests/snapshot/snapdrv.c $(BUILD)/librvmm.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/librvmm.a $(LDLIBS)
