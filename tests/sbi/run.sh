#!/bin/sh
# Builds the SBI probe (tests/sbi/probe.c + start.S, linked at 0x8000_0000)
# into ${BUILD:-build}/sbi/probe.elf and runs it under rvmm's builtin SBI
# with two harts, in the modes listed below. Prints "PASS sbi/probe-MODE"
# when rvmm exits 0 (the probe ends with SRST shutdown), else
# "FAIL sbi/probe-MODE (exit N)", N being the failed
# check's code from the test finisher (see probe.c), 124 on timeout. Then
# pmusnap.c across a snapshot and restore (pmusnap_test.py, needs snapdrv).
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

# With --bios builtin and with no --bios at all (builtin SBI is the default
# when no firmware is given), and on a hart with and without the H
# extension: the probe says which it found, and that must be the one asked
# for, so the hypervisor checks cannot be left out unnoticed.
status=0
for mode in builtin default h-on h-off; do
    want=""
    case $mode in
    builtin) set -- --bios builtin ;;
    default) set -- ;;
    h-on)
        set -- --bios builtin --cpu rv64,h=on
        want=present
        ;;
    h-off)
        set -- --bios builtin --cpu rv64,h=off
        want=absent
        ;;
    esac
    timeout -k 2 30 "$rvmm" "$@" --kernel "$elf" -m 128M --smp 2 </dev/null >"$log" 2>&1
    rc=$?
    if [ $rc -eq 0 ] && grep -q "all checks passed" "$log" &&
        { [ -z "$want" ] || grep -q "H extension $want" "$log"; }; then
        echo "PASS sbi/probe-$mode"
        continue
    fi
    echo "FAIL sbi/probe-$mode (exit $rc${want:+, H extension should be $want})"
    sed 's/^/    /' "$log" | tail -n 5
    status=1
done

# The PMU extension's counters across a snapshot and restore
# (tests/sbi/pmusnap_test.py; snapdrv takes the snapshot).
pelf=$dir/pmusnap.elf
if ! "$cc" -march=rv64gc -mabi=lp64d -mcmodel=medany -O2 -Wall -Wextra -ffreestanding \
    -fno-tree-loop-distribute-patterns -nostdlib -nostartfiles -static \
    -T "$here/link.ld" -o "$pelf" "$here/pmusnap.c" >"$dir/build.log" 2>&1; then
    cat "$dir/build.log" >&2
    echo "FAIL sbi/pmusnap (build)"
    exit 1
fi
snapdrv=${SNAPDRV:-${BUILD:-build}/tests/snapdrv}
if [ ! -x "$snapdrv" ]; then
    echo "FAIL sbi/pmusnap ($snapdrv missing: make ${BUILD:-build}/tests/snapdrv)"
    exit 1
fi
RVMM=$rvmm SNAPDRV=$snapdrv PMUSNAP_ELF=$pelf python3 "$here/pmusnap_test.py" || status=1
exit $status
