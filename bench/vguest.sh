#!/bin/sh
# V=1 workload benchmark: bench/vguest.S (a tiny M-mode hypervisor stub and
# a memory-bound workload over 1024 pages of 4 KiB) run as a guest (VS-mode,
# VS-stage Sv39 over G-stage Sv39x4) and natively (S-mode, Sv39), under
# rvmm's JIT (--cpu rv64,h=on) and qemu-system-riscv64 -cpu rv64,h=true.
# Each run prints the workload's own time (CLINT ticks, 10 MHz, from entering
# the workload to its last ecall); the table gives the medians in seconds,
# qemu/rvmm per mode (above 1: rvmm faster) and V=1/V=0 per emulator (the
# cost of two-stage translation).
# Env: RVMM (default build/rvmm), QEMU (default qemu-system-riscv64), BUILD
# (default build), BENCH_ROUNDS (default 3), VGUEST_ITERS (passes over the
# pages, default 2000).
# Exit status: 0, 1 when a run fails or its checksum is wrong, 2 when a tool
# is missing.
set -u
cd "$(dirname "$0")/.." || exit 2
. bench/bare.sh
bench_bare_init vguest VGUEST_ITERS 2000
for v in 0 1; do
    "$CC" -march=rv64gc -mabi=lp64d -mcmodel=medany -static -nostdlib -nostartfiles \
        -T tests/isa/link.ld -DVIRT=$v -DITERS="$ITERS" -o "$out/vguest$v.elf" bench/vguest.S ||
        exit 1
done

# run EMU V: prints the workload's ticks, or fails the benchmark.
run() {
    log=$out/vguest-$1-v$2.log
    case $1 in
    rvmm)
        timeout -k 2 300 "$RVMM" --bios none --kernel "$out/vguest$2.elf" -m 128M \
            --cpu rv64,h=on --engine jit </dev/null >"$log" 2>&1
        ;;
    qemu)
        timeout -k 2 300 "$QEMU" -M virt -m 128M -nographic -bios none -cpu rv64,h=true \
            -kernel "$out/vguest$2.elf" </dev/null >"$log" 2>&1
        ;;
    esac
    rc=$?
    ticks=$(sed -n 's/.*vguest ticks 0x\([0-9a-f]*\).*/\1/p' "$log")
    if [ $rc -ne 0 ] || [ -z "$ticks" ]; then
        echo "bench/vguest: $1 V=$2 failed (exit $rc, log $log)" >&2
        exit 1
    fi
    echo $((0x$ticks))
}

echo "bench/vguest: $ROUNDS rounds, $ITERS passes over 1024 pages; $RVMM vs $QEMU"
results=""
r=1
while [ $r -le "$ROUNDS" ]; do
    for emu in rvmm qemu; do
        for v in 1 0; do
            t=$(run $emu $v) || exit 1
            echo "round $r $emu V=$v $(echo "$t $TIMEBASE" | awk '{printf "%.3f s", $1 / $2}')"
            results="$results $emu:$v:$t"
        done
    done
    r=$((r + 1))
done

# shellcheck disable=SC2086 # one word per run
python3 - "$TIMEBASE" $results <<'EOF'
import statistics, sys
tb = float(sys.argv[1])
runs = {}
for item in sys.argv[2:]:
    emu, v, t = item.split(":")
    runs.setdefault((emu, v), []).append(int(t) / tb)
med = {k: statistics.median(x) for k, x in runs.items()}
print()
print("%-18s %8s %8s | %9s" % ("medians (s)", "rvmm", "qemu", "qemu/rvmm"))
for v, label in (("1", "V=1 (VS, 2-stage)"), ("0", "V=0 (S, Sv39)")):
    r, q = med[("rvmm", v)], med[("qemu", v)]
    print("%-18s %8.3f %8.3f | %9.2f" % (label, r, q, q / r))
for emu in ("rvmm", "qemu"):
    print("%s V=1/V=0: %.2f" % (emu, med[(emu, "1")] / med[(emu, "0")]))
EOF
