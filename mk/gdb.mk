# The bare-metal program the GDB stub's tests debug (tests/gdb/prog.S), built
# like the ISA tests (M-mode, 0x8000_0000) with debug info for gdb's line
# and symbol lookups. tests/gdb/gdb_test.py runs gdb-multiarch on it against
# rvmm and QEMU; tests/gdb/framing_test.py talks to the stub byte by byte.

GDB_PROG := $(BUILD)/gdb/prog.elf

$(GDB_PROG): tests/gdb/prog.S tests/isa/link.ld
	@mkdir -p $(dir $@)
	$(ISA_CC) $(ISA_CFLAGS) -g -o $@ $<

.PHONY: gdb-tests
gdb-tests: $(GDB_PROG) $(BUILD)/rvmm $(BUILD)/rvmm-asan
	RVMM=$(BUILD)/rvmm RVMM_ASAN=$(BUILD)/rvmm-asan BUILD=$(BUILD) TEST_LAYERS=gdb sh tests/run.sh
