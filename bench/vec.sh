#!/bin/sh
# Vector workload benchmark: bench/vec.S (the strip-mined integer loops
# gcc emits for rv64gcv, at VLEN 128) under rvmm's JIT with its native
# vector code (src/cpu/jit/jit_emit_vec.c; AVX2 where the host has it, and
# again with SSE only), under rvmm's JIT with every
# vector instruction through its interpreter handler (the native code
# hidden by RVMM_JIT_HOST_FEATURES), and under qemu-system-riscv64 -cpu
# rv64,v=true. Each run prints the loops' own time (CLINT ticks, 10 MHz);
# the table gives the medians in seconds and qemu/rvmm per rvmm row (above
# 1: rvmm faster).
# Env: RVMM (default build/rvmm), QEMU (default qemu-system-riscv64), BUILD
# (default build), BENCH_ROUNDS (default 3), VEC_ITERS (passes, default 1000).
# Exit status: 0, 1 when a run fails or its check is wrong, 2 when a tool is
# missing.
set -u
cd "$(dirname "$0")/.." || exit 2
. bench/bare.sh
bench_bare_init vec VEC_ITERS 1000
"$CC" -march=rv64gcv -mabi=lp64d -mcmodel=medany -static -nostdlib -nostartfiles \
    -T tests/isa/link.ld -DITERS="$ITERS" -o "$out/vec.elf" bench/vec.S || exit 1

# run WHAT: prints the loops' ticks, or fails the benchmark. rvmm-sse hides
# X64_HAS_AVX2 (128: 16-byte chunks only); rvmm-helpers also X64_HAS_SSE2
# (64), which the JIT's vector code needs.
run() {
    log=$out/vec-$1.log
    case $1 in
    rvmm-native)
        timeout -k 2 600 "$RVMM" --bios none --kernel "$out/vec.elf" -m 128M \
            --cpu rv64,v=on --engine jit </dev/null >"$log" 2>&1
        ;;
    rvmm-sse)
        RVMM_JIT_HOST_FEATURES=0x7f timeout -k 2 600 "$RVMM" --bios none --kernel "$out/vec.elf" \
            -m 128M --cpu rv64,v=on --engine jit </dev/null >"$log" 2>&1
        ;;
    rvmm-helpers)
        RVMM_JIT_HOST_FEATURES=0x3f timeout -k 2 600 "$RVMM" --bios none --kernel "$out/vec.elf" \
            -m 128M --cpu rv64,v=on --engine jit </dev/null >"$log" 2>&1
        ;;
    qemu)
        timeout -k 2 600 "$QEMU" -M virt -m 128M -nographic -bios none -cpu rv64,v=true \
            -kernel "$out/vec.elf" </dev/null >"$log" 2>&1
        ;;
    esac
    rc=$?
    ticks=$(sed -n 's/.*vec ticks 0x\([0-9a-f]*\).*/\1/p' "$log")
    if [ $rc -ne 0 ] || [ -z "$ticks" ]; then
        echo "bench/vec: $1 failed (exit $rc, log $log)" >&2
        exit 1
    fi
    echo $((0x$ticks))
}

echo "bench/vec: $ROUNDS rounds, $ITERS passes; $RVMM vs $QEMU"
results=""
r=1
while [ $r -le "$ROUNDS" ]; do
    for what in rvmm-native rvmm-sse rvmm-helpers qemu; do
        t=$(run $what) || exit 1
        echo "round $r $what $(echo "$t $TIMEBASE" | awk '{printf "%.3f s", $1 / $2}')"
        results="$results $what:$t"
    done
    r=$((r + 1))
done

# shellcheck disable=SC2086 # one word per run
python3 - "$TIMEBASE" $results <<'PY'
import statistics, sys
tb = float(sys.argv[1])
runs = {}
for item in sys.argv[2:]:
    what, t = item.split(":")
    runs.setdefault(what, []).append(int(t) / tb)
med = {k: statistics.median(x) for k, x in runs.items()}
q = med["qemu"]
print()
print("%-34s %9s | %9s" % ("medians", "seconds", "qemu/rvmm"))
print("%-34s %9.3f | %9.2f" % ("rvmm jit, native vector code", med["rvmm-native"], q / med["rvmm-native"]))
print("%-34s %9.3f | %9.2f" % ("rvmm jit, native, SSE only", med["rvmm-sse"], q / med["rvmm-sse"]))
print("%-34s %9.3f | %9.2f" % ("rvmm jit, vector through handlers", med["rvmm-helpers"], q / med["rvmm-helpers"]))
print("%-34s %9.3f |" % ("qemu -cpu rv64,v=true", q))
PY
