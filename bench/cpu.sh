#!/bin/sh
# CPU benchmark: in-guest CPU-bound workloads and boot time under rvmm (JIT
# and interpreter), qemu-system-riscv64 and natively on the host, in one run,
# with ratios. The logic is in cpu.py; this wrapper runs it from the
# repository root.
set -e
cd "$(dirname "$0")/.."
exec python3 bench/cpu.py "$@"
