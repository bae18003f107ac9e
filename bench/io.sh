#!/bin/sh
# Disk (raw and qcow2 virtio-blk) and TCP (virtio-net through user-mode NAT)
# throughput of rvmm and qemu-system-riscv64 on the same guest, BENCH_ROUNDS
# times each (default 3), with rvmm/QEMU ratios. The logic is in io.py;
# this wrapper runs it from the repository root.
set -e
cd "$(dirname "$0")/.."
exec python3 bench/io.py "$@"
