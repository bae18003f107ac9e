#!/bin/sh
# Nested benchmark: rvmm --engine kvm inside a guest of rvmm (JIT) against
# inside a guest of QEMU TCG (h=true), boot and CPU workload, and the nested
# tax; the logic is in nested.py. Needs `make`, `make riscv64`, `make guest`.
set -e
cd "$(dirname "$0")/.."
exec python3 bench/nested.py "$@"
