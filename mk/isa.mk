# Bare-metal ISA test programs (tests/isa/*.S): one M-mode ELF per source,
# linked at 0x8000_0000 for the QEMU virt layout, reporting through the
# sifive test finisher. `make isa-qemu` validates them against QEMU (the
# reference); `make isa-rvmm` runs them under build/rvmm (ENGINE_ARGS is
# passed through, e.g. ENGINE_ARGS="--engine interp").

ISA_CC     := riscv64-unknown-elf-gcc
ISA_CFLAGS := -march=rv64gc -mabi=lp64d -mcmodel=medany -static -nostdlib -nostartfiles \
              -T tests/isa/link.ld
ISA_SRCS   := $(sort $(wildcard tests/isa/*.S))
ISA_TESTS  := $(ISA_SRCS:tests/isa/%.S=$(BUILD)/isa/%.elf)

$(BUILD)/isa/%.elf: tests/isa/%.S $(wildcard tests/isa/*.h) tests/isa/link.ld
	@mkdir -p $(dir $@)
	$(ISA_CC) $(ISA_CFLAGS) -o $@ $<

.PHONY: isa isa-qemu isa-rvmm
isa: $(ISA_TESTS)

isa-qemu: $(ISA_TESTS)
	BUILD=$(BUILD) sh tests/isa/run.sh qemu

isa-rvmm: $(ISA_TESTS) $(BUILD)/rvmm
	BUILD=$(BUILD) RVMM=$(BUILD)/rvmm sh tests/isa/run.sh rvmm
