#!/bin/sh
# Runs the built ISA tests ($BUILD/isa/*.elf, BUILD defaults to build) under
# QEMU (the reference) or rvmm and prints one line per test:
#   PASS isa/NAME   or   FAIL isa/NAME (exit N)
# Usage: tests/isa/run.sh qemu|rvmm [NAME...]
# rvmm is ${RVMM:-build/rvmm}; $ENGINE_ARGS is appended to its command line.
# Each run has 10 s (timeout exit 124); its console output goes to
# $BUILD/isa/NAME.KIND.log. Exit status: 0 when every test passed.
set -u

kind=${1:-}
case $kind in
qemu | rvmm) shift ;;
*)
    echo "usage: $0 qemu|rvmm [NAME...]" >&2
    exit 2
    ;;
esac

dir=${BUILD:-build}/isa
if [ $# -gt 0 ]; then
    elfs=""
    for n in "$@"; do elfs="$elfs $dir/$n.elf"; done
else
    elfs=$(ls "$dir"/*.elf 2>/dev/null)
fi
if [ -z "$elfs" ]; then
    echo "$0: no ISA tests in $dir (make isa)" >&2
    exit 2
fi

status=0
for elf in $elfs; do
    name=$(basename "$elf" .elf)
    log=$dir/$name.$kind.log
    if [ ! -f "$elf" ]; then
        echo "FAIL isa/$name (exit 127)"
        status=1
        continue
    fi
    case $kind in
    qemu)
        timeout -k 2 10 qemu-system-riscv64 -M virt -m 128M -nographic -bios none \
            -kernel "$elf" </dev/null >"$log" 2>&1
        ;;
    rvmm)
        # shellcheck disable=SC2086 # ENGINE_ARGS is a list of words
        timeout -k 2 10 "${RVMM:-build/rvmm}" --bios none --kernel "$elf" -m 128M \
            ${ENGINE_ARGS:-} </dev/null >"$log" 2>&1
        ;;
    esac
    rc=$?
    if [ $rc -eq 0 ]; then
        echo "PASS isa/$name"
    else
        echo "FAIL isa/$name (exit $rc)"
        status=1
    fi
done
exit $status
