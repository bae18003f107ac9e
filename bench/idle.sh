#!/bin/sh
# An idle 2-vCPU guest with a periodic tick (nohz=off): host CPU share of
# rvmm (JIT, OpenSBI, interpreter) against qemu-system-riscv64 TCG, side
# by side, with the ratio per window (see bench/idle.py and README.md).
set -e
cd "$(dirname "$0")/.."
exec python3 bench/idle.py "$@"
