#!/bin/sh
# Translations shared by the harts of a VM (src/cpu/block_cache.h):
# share.elf's two harts run the same 24 blocks; --stats must show the JIT
# translated at least 24 fewer blocks with sharing (the default) than with
# RVMM_SHARED_BLOCKS=0, and the program must pass both ways. Every block is
# translated on its first run (RVMM_JIT_TRANSLATE_AFTER=0), so the counts
# do not depend on how the two harts interleave.
# Env: BUILD, RVMM. Prints PASS/FAIL lines; exits 1 on a failure.
set -u
BUILD=${BUILD:-build}
RVMM=${RVMM:-$BUILD/rvmm-asan}
elf=$BUILD/jit/smp/share.elf
status=0
if [ ! -f "$elf" ]; then
    echo "FAIL jit/smp/share: $elf missing (make jit-tests)"
    exit 1
fi
run() { # name, RVMM_SHARED_BLOCKS value
    log=$BUILD/jit/smp/share.$1.log
    RVMM_SHARED_BLOCKS=$2 RVMM_JIT_TRANSLATE_AFTER=0 timeout -k 2 60 "$RVMM" --bios none \
        --kernel "$elf" -m 128M --smp 2 --engine jit --stats </dev/null >"$log" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL jit/smp/share_$1: exit status $rc (log $log)" >&2
        return 1
    fi
    sed -n 's/.*jit: blocks=\([0-9]*\) .*/\1/p' "$log"
}
shared=$(run shared 1) || status=1
private=$(run private 0) || status=1
if [ -n "$shared" ] && [ -n "$private" ] && [ "$((private - shared))" -ge 24 ]; then
    echo "PASS jit/smp/share (the harts' common blocks translated once: $shared blocks shared, $private private)"
else
    echo "FAIL jit/smp/share: ${shared:-?} blocks translated shared, ${private:-?} private (want at least 24 fewer; logs $BUILD/jit/smp/)"
    status=1
fi
exit $status
