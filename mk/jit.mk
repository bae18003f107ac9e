# JIT tests (tests/jit/): the lockstep harness (two boards, interp vs jit,
# compared at every common instruction count), the directed bare-metal
# programs (tests/jit/*.S, run under both engines with the test finisher) and
# the generated lockstep programs (tests/diff/gen.py, built by run.sh).
#   make jit-tests     build the harness and the directed programs
#   make jit-test      run the layer (tests/jit/run.sh)
# Until src/cpu/hart.h has the engine seam (hart_set_engine), the harness
# compares the interpreter with itself.

JIT_DEFS    := $(if $(shell grep -l hart_set_engine src/cpu/hart.h 2>/dev/null),-DHAVE_HART_ENGINE)
JIT_SRCS    := $(sort $(wildcard tests/jit/*.S))
JIT_TESTS   := $(JIT_SRCS:tests/jit/%.S=$(BUILD)/jit/%.elf)
JIT_LOCKSTEP := $(BUILD)/tests/lockstep

$(JIT_LOCKSTEP): tests/jit/lockstep.c $(BUILD)/librvmm-asan.a src/cpu/hart.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) $(JIT_DEFS) -O1 -o $@ $< $(BUILD)/librvmm-asan.a $(LDLIBS)

$(BUILD)/jit/%.elf: tests/jit/%.S $(wildcard tests/isa/*.h tests/jit/*.h) tests/isa/link.ld
	@mkdir -p $(dir $@)
	$(ISA_CC) $(ISA_CFLAGS) -I tests/isa -o $@ $<

.PHONY: jit-tests jit-test
jit-tests: $(JIT_LOCKSTEP) $(JIT_TESTS)

jit-test: jit-tests $(BUILD)/rvmm-asan $(ISA_TESTS)
	BUILD=$(BUILD) RVMM=$(BUILD)/rvmm-asan sh tests/jit/run.sh

# tests/jit/smp/: programs for several harts, run by tests/jit/smp/run.sh
# (not by the lockstep, which runs one hart).
JIT_SMP_TESTS := $(patsubst tests/jit/smp/%.S,$(BUILD)/jit/smp/%.elf,$(wildcard tests/jit/smp/*.S))
$(BUILD)/jit/smp/%.elf: tests/jit/smp/%.S tests/isa/link.ld
	@mkdir -p $(dir $@)
	$(ISA_CC) $(ISA_CFLAGS) -o $@ $<
jit-tests: $(JIT_SMP_TESTS)
