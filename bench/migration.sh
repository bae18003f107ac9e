#!/bin/sh
# Live migration downtime and total time, idle and dirtying guest, rvmm
# against qemu-system-riscv64 (see bench/migration.py and README.md).
set -e
cd "$(dirname "$0")/.."
exec python3 bench/migration.py "$@"
