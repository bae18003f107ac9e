#!/bin/sh
# Restore against cold boot, and the memory of 1 and 10 restored clones,
# rvmm against qemu-system-riscv64 (see bench/lifecycle.py and README.md).
set -e
cd "$(dirname "$0")/.."
exec python3 bench/lifecycle.py "$@"
