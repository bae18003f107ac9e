#!/bin/sh
# Runs the built ISA tests ($BUILD/isa/*.elf, BUILD defaults to build) under
# QEMU (the reference) or rvmm and prints one line per test:
#   PASS isa/NAME   or   FAIL isa/NAME (exit N)
# Usage: tests/isa/run.sh qemu|rvmm [NAME...]
# rvmm is ${RVMM:-build/rvmm}; $ENGINE_ARGS is appended to its command line.
# With ENGINE=jit|interp rvmm runs that engine and the lines read
# isa/ENGINE/NAME, so one run.sh call per engine keeps the names apart.
# Each run has 10 s (timeout exit 124); its console output goes to
# $BUILD/isa/NAME.KIND.log. Exit status: 0 when every test passed.
# A source whose first line is "/* cpu: MODEL" runs on that CPU model
# (rvmm --cpu MODEL; QEMU -cpu MODEL with on/off spelled true/false).
# A line " * qemu: none (REASON)" in its opening comment keeps it from QEMU.
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
engine=${ENGINE:-}
prefix=isa
[ -n "$engine" ] && prefix=isa/$engine
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
    log=$dir/$name.$kind${engine:+.$engine}.log
    if [ ! -f "$elf" ]; then
        echo "FAIL $prefix/$name (exit 127)"
        status=1
        continue
    fi
    cpu=$(sed -n '1s|^/\* cpu: *\([^ ]*\).*|\1|p' "tests/isa/$name.S" 2>/dev/null)
    # " * qemu: none (REASON)" in the opening comment: QEMU 7.2 lacks what
    # the test covers, so only rvmm runs it (said, not silently skipped).
    noq=$(sed -n 's|^ \* qemu: none *\(.*\)|\1|p' "tests/isa/$name.S" 2>/dev/null)
    if [ "$kind" = qemu ] && [ -n "$noq" ]; then
        echo "INFO $prefix/$name: not run under QEMU $noq"
        continue
    fi
    case $kind in
    qemu)
        qcpu=$(echo "$cpu" | sed 's/=on/=true/g; s/=off/=false/g')
        timeout -k 2 10 qemu-system-riscv64 -M virt -m 128M -nographic -bios none \
            ${qcpu:+-cpu $qcpu} -kernel "$elf" </dev/null >"$log" 2>&1
        ;;
    rvmm)
        # shellcheck disable=SC2086 # ENGINE_ARGS is a list of words
        timeout -k 2 10 "${RVMM:-build/rvmm}" --bios none --kernel "$elf" -m 128M \
            ${cpu:+--cpu $cpu} ${engine:+--engine $engine} ${ENGINE_ARGS:-} </dev/null >"$log" 2>&1
        ;;
    esac
    rc=$?
    if [ $rc -eq 0 ]; then
        echo "PASS $prefix/$name"
    else
        echo "FAIL $prefix/$name (exit $rc)"
        status=1
    fi
done
exit $status
