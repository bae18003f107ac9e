#!/bin/sh
# Boots the guest in rvmm and in qemu-system-riscv64, BENCH_ROUNDS times each
# (default 5), and prints boot time, in-guest workload times and peak RSS.
# The logic is in boot.py; this wrapper runs it from the repository root.
set -e
cd "$(dirname "$0")/.."
exec python3 bench/boot.py "$@"
