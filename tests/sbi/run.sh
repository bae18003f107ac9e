#!/bin/sh
# Builds the SBI probe (tests/sbi/probe.c + start.S, linked at 0x8000_0000)
# into ${BUILD:-build}/sbi/probe.elf and runs it under rvmm's builtin SBI
# with two harts. Prints "PASS sbi/probe" when rvmm exits 0 (the probe ends
# with SRST shutdown), else "FAIL sbi/probe (exit N)", N being the failed
# check's code from the test finisher (see probe.c), 124 on timeout.
# Env: RVMM (default build/rvmm), BUILD, CC (default riscv64-unknown-elf-gcc).
set -u
here=$(cd "$(dirname "$0")" && pwd)
dir=${BUILD:-build}/sbi
rvmm=${RVMM:-build/rvmm}
cc=${CC:-riscv64-unknown-elf-gcc}
mkdir -p "$dir"
elf=$dir/probe.elf
log=$dir/probe.log

if ! "$cc" -march=rv64gc -mabi=lp64d -mcmodel=medany -O2 -Wall -Wextra -ffreestanding \
    -fno-tree-loop-distribute-patterns -nostdlib -nostartfiles -static \
    -T "$here/link.ld" -o "$elf" "$here/start.S" "$here/probe.c" >"$dir/build.log" 2>&1; then
    cat "$dir/build.log" >&2
    echo "FAIL sbi/probe (build)"
    exit 1
fi

# Once with --bios builtin, once with no --bios at all: builtin SBI is the
# default when no firmware is given.
status=0
for mode in builtin default; do
    set -- --bios builtin
    [ "$mode" = default ] && set --
    timeout -k 2 30 "$rvmm" "$@" --kernel "$elf" -m 128M --smp 2 </dev/null >"$log" 2>&1
    rc=$?
    if [ $rc -eq 0 ] && grep -q "all checks passed" "$log"; then
        echo "PASS sbi/probe-$mode"
        continue
    fi
    echo "FAIL sbi/probe-$mode (exit $rc)"
    sed 's/^/    /' "$log" | tail -n 5
    status=1
done
exit $status
