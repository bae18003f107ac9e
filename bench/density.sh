#!/bin/sh
# N idle 256 MiB guests: total PSS and host CPU share, cold boots, snapshot
# clones, free page reporting and KSM, rvmm against qemu-system-riscv64
# (see bench/density.py and README.md).
set -e
cd "$(dirname "$0")/.."
exec python3 bench/density.py "$@"
