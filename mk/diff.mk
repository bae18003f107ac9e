# Differential test against QEMU (tests/diff/): random RV64GC programs from
# gen.py plus the directed programs in tests/diff/directed/, built under
# $(BUILD)/diff/ and run in QEMU (cached oracle) and in rvmm by run.py, which
# owns the build rules and flags so that `make` and a direct run agree.
#   make diff-build                 generate and build the programs
#   make diff-test                  compare build/rvmm with QEMU
#   make diff-selftest              compare QEMU with itself, uncached (harness check)
# Knobs: DIFF_PROGRAMS, DIFF_SEED, DIFF_JOBS, DIFF_ONLY, DIFF_RVMM_ARGS, RVMM_CACHE.

BUILD         ?= build
DIFF_RVMM     ?= $(BUILD)/rvmm
DIFF_PROGRAMS ?= 200
DIFF_SEED     ?= 1
DIFF_ENV       = BUILD=$(BUILD) DIFF_PROGRAMS=$(DIFF_PROGRAMS) DIFF_SEED=$(DIFF_SEED)

.PHONY: diff-build diff-test diff-selftest
diff-build:
	$(DIFF_ENV) python3 tests/diff/run.py --build-only

diff-test: $(filter $(BUILD)/rvmm,$(DIFF_RVMM))
	$(DIFF_ENV) RVMM=$(DIFF_RVMM) python3 tests/diff/run.py

diff-selftest:
	$(DIFF_ENV) RVMM=tests/diff/qemu-rvmm.sh DIFF_NOCACHE=1 DIFF_IGNORE_XFAIL=1 python3 tests/diff/run.py
