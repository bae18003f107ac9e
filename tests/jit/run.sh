#!/bin/sh
# The "jit" test layer: the lockstep harness (interp vs jit, or interp vs
# interp until the JIT is built in) on its self-check, the ISA programs, the
# directed JIT programs and the generated programs of tests/diff/gen.py
# (plain and with resumable traps); then the directed JIT programs
# (tests/jit/*.S) under every engine rvmm has, through the test finisher.
# Prints PASS/FAIL lines; exits 1 on any failure.
# Env: BUILD, RVMM (default $BUILD/rvmm-asan), JIT_PROGRAMS (generated
# programs of each kind, default 100), JIT_SEED (default 1).
set -u
# Every block translated on its first run (not after 32 interpreted ones,
# the default): these programs run most of their code once, and it is the
# translator they test. The ISA and guest layers run the default, where
# blocks go from the interpreter to native code mid-run.
RVMM_JIT_TRANSLATE_AFTER=${RVMM_JIT_TRANSLATE_AFTER:-0}
export RVMM_JIT_TRANSLATE_AFTER
BUILD=${BUILD:-build}
RVMM=${RVMM:-$BUILD/rvmm-asan}
LOCKSTEP=$BUILD/tests/lockstep
status=0

engines=$(sh tests/jit/engines.sh "$RVMM")
pair=interp,jit
case $engines in
*jit*) ;;
*)
    echo "INFO jit: $RVMM has no JIT engine (not built in, or not an x86-64 host): lockstep compares interp with interp"
    pair=interp,interp
    ;;
esac

# The generated programs, under their own directory so the diff layer's
# knobs do not change what this layer runs.
gen=$BUILD/jit/gen
nprog=${JIT_PROGRAMS:-100}
seed=${JIT_SEED:-1}
BUILD=$gen DIFF_PROGRAMS=$nprog DIFF_TRAP_PROGRAMS=$nprog DIFF_ZB_PROGRAMS=$nprog \
    DIFF_VIRT_PROGRAMS=$nprog DIFF_SEED=$seed python3 tests/diff/run.py --build-only >"$BUILD/jit/gen.log" 2>&1 || {
    echo "FAIL jit/gen: cannot build the generated programs (see $BUILD/jit/gen.log)"
    status=1
}

"$LOCKSTEP" --engines $pair --self-check "$BUILD/isa/alu.elf" >"$BUILD/jit/selfcheck.log" 2>&1 || status=1
grep -E '^(PASS|FAIL|lockstep:)' "$BUILD/jit/selfcheck.log"

# Programs whose result depends on host time (mtime, the CLINT timer) cannot
# run in lockstep: the two boards read the clock at different moments.
timed="csr interrupts tsr_tw_tvm timer_loop loop_irq hext_irq hext_hstimer h_irq"
progs=""
# This run's generated programs only (earlier runs may have left more).
rand=$(for i in $(seq 0 $((nprog - 1))); do
    n=$(printf %04d "$i")
    echo "$gen/diff/rand/rand_s${seed}_$n.elf $gen/diff/rand/rand_t${seed}_$n.elf"
    echo "$gen/diff/rand/rand_sb${seed}_$n.elf"
done)
# ISA programs that ask for a CPU model ("/* cpu: MODEL" first line, as
# tests/isa/run.sh reads it) run on that model, each in its own call.
# A directed diff program asks with a "# cpu: MODEL" line (tests/diff/run.py).
model_of() {
    case $1 in
    */diff/directed/*) sed -n 's|^# cpu: *\([^ ]*\).*|\1|p' "tests/diff/directed/$(basename "$1" .elf).S" 2>/dev/null ;;
    *) sed -n '1s|^/\* cpu: *\([^ ]*\).*|\1|p' "tests/isa/$(basename "$1" .elf).S" 2>/dev/null ;;
    esac
}
modeled=""
for elf in "$BUILD"/isa/*.elf "$BUILD"/jit/*.elf "$gen"/diff/directed/*.elf $rand; do
    [ -f "$elf" ] || continue
    case " $timed " in *" $(basename "$elf" .elf) "*) continue ;; esac
    # "# lockstep: no (REASON)" in a directed diff program: the diff layer only
    case $elf in */diff/directed/*) grep -q '^# lockstep: no' "tests/diff/directed/$(basename "$elf" .elf).S" && continue ;; esac
    if [ -n "$(model_of "$elf")" ]; then
        modeled="$modeled $elf"
        continue
    fi
    progs="$progs $elf"
done
for elf in $modeled; do
    cpu=$(model_of "$elf")
    log=$BUILD/jit/modeled.log
    "$LOCKSTEP" --engines $pair --cpu "$cpu" "$elf" >"$log" 2>&1 || status=1
    grep -v '^lockstep: ' "$log"
    "$LOCKSTEP" --engines $pair --coarse 64 --cpu "$cpu" "$elf" >"$log" 2>&1 || status=1
    grep -v '^lockstep: ' "$log" | sed 's|jit/lockstep/|jit/lockstep-chained/|'
done
# The vector loops the JIT runs natively (src/cpu/jit/jit_emit_vec.c) once
# more without AVX2 (RVMM_JIT_HOST_FEATURES=0x7f: 16-byte chunks only) and
# with only SSE2 (0x40: no SSE4.1 either, whose operations then go to their
# handlers), so each kind of code is compared.
for mask in 0x7f 0x40; do
    for elf in "$gen/diff/directed/vloop128.elf" "$gen/diff/directed/vloop512.elf" "$BUILD/jit/vloop_trap.elf"; do
        case $elf in */diff/directed/*) cpu=$(model_of "$elf") ;; *) cpu=rv64,v=on ;; esac
        log=$BUILD/jit/vmask.log
        RVMM_JIT_HOST_FEATURES=$mask "$LOCKSTEP" --engines $pair --coarse 64 --cpu "$cpu" "$elf" \
            >"$log" 2>&1 || status=1
        grep -v '^lockstep: ' "$log" | sed "s|jit/lockstep/|jit/lockstep-features$mask/|"
    done
done
# The generated VS-mode programs (gen.py --virt: V=1 over two-stage
# translation) on a CPU with the H extension, block by block and chained.
vrand=$(for i in $(seq 0 $((nprog - 1))); do
    printf '%s/diff/rand/rand_vt%s_%04d.elf\n' "$gen" "$seed" "$i"
done)
# shellcheck disable=SC2086 # a list of paths without spaces
"$LOCKSTEP" --engines $pair --cpu rv64,h=on $vrand >"$BUILD/jit/virt.log" 2>&1 || status=1
sed 's|jit/lockstep/|jit/lockstep-virt/|' "$BUILD/jit/virt.log"
# shellcheck disable=SC2086
"$LOCKSTEP" --engines $pair --coarse 64 --cpu rv64,h=on $vrand >"$BUILD/jit/virt.log" 2>&1 ||
    status=1
sed 's|jit/lockstep/|jit/lockstep-virt-chained/|' "$BUILD/jit/virt.log"
# Block by block, then with the second engine running 64 instructions per
# call so its chained native jumps between blocks run as well.
# shellcheck disable=SC2086 # a list of paths without spaces
"$LOCKSTEP" --engines $pair $progs || status=1
# shellcheck disable=SC2086
"$LOCKSTEP" --engines $pair --coarse 64 $progs >"$BUILD/jit/chained.log" 2>&1 || status=1
sed 's|jit/lockstep/|jit/lockstep-chained/|' "$BUILD/jit/chained.log"

# A program whose source starts with "/* cpu: MODEL" (as in tests/isa)
# runs on that model, in lockstep too; bitmanip.S again with the JIT's use
# of BMI1/BMI2/LZCNT/POPCNT masked off, so its fallbacks are compared.
for elf in "$BUILD"/jit/*.elf; do
    name=$(basename "$elf" .elf)
    cpu=$(sed -n '1s|^/\* cpu: *\([^ ]*\).*|\1|p' "tests/jit/$name.S" 2>/dev/null)
    [ -n "$cpu" ] || continue
    log=$BUILD/jit/$name.lockstep.log
    "$LOCKSTEP" --engines $pair --cpu "$cpu" "$elf" >"$log" 2>&1 || status=1
    sed "s|jit/lockstep/|jit/lockstep-cpu/|" "$log"
    RVMM_JIT_HOST_FEATURES=0 "$LOCKSTEP" --engines $pair --cpu "$cpu" "$elf" >"$log" 2>&1 ||
        status=1
    sed "s|jit/lockstep/|jit/lockstep-nobmi/|" "$log"
done

for e in $engines; do
    for elf in "$BUILD"/jit/*.elf; do
        name=$(basename "$elf" .elf)
        log=$BUILD/jit/$name.$e.log
        cpu=$(sed -n '1s|^/\* cpu: *\([^ ]*\).*|\1|p' "tests/jit/$name.S" 2>/dev/null)
        if timeout -k 2 30 "$RVMM" --bios none --kernel "$elf" -m 128M --engine "$e" \
            ${cpu:+--cpu "$cpu"} </dev/null >"$log" 2>&1; then
            echo "PASS jit/$e/$name"
        else
            echo "FAIL jit/$e/$name (exit $?, log $log)"
            status=1
        fi
    done
done
# tlb_rows.S keeps two read, two write and two fetch pages hot in one row
# of the software TLB: with its two ways each engine walks a few dozen
# times (39 when written); one way per row walked about 60000 times.
for e in $engines; do
    log=$BUILD/jit/tlb_rows.stats.$e.log
    timeout -k 2 30 "$RVMM" --bios none --kernel "$BUILD/jit/tlb_rows.elf" -m 128M --engine "$e" \
        --stats </dev/null >"$log" 2>&1
    walks=$(sed -n 's/.*tlb: misses=\([0-9]*\).*/\1/p' "$log")
    if [ -n "$walks" ] && [ "$walks" -le 100 ]; then
        echo "PASS jit/tlb_rows_misses/$e ($walks TLB misses)"
    else
        echo "FAIL jit/tlb_rows_misses/$e: ${walks:-no} TLB misses, at most 100 expected (log $log)"
        status=1
    fi
done
# The loops of loops.S must run as regions (jit_region.h), or the region
# code the lockstep runs above was never exercised: --stats counts them,
# and --perf-map must name them (and the blocks) for perf.
case $engines in
*jit*)
    log=$BUILD/jit/regions.log
    # Run directly (not under timeout) so $! is rvmm's pid, the map's name.
    "$RVMM" --bios none --kernel "$BUILD/jit/loops.elf" -m 128M --engine jit --stats \
        --perf-map </dev/null >"$log" 2>&1 &
    pid=$!
    (sleep 30 && kill -9 $pid) >/dev/null 2>&1 &
    dog=$!
    wait $pid
    kill $dog 2>/dev/null
    regions=$(sed -n 's/.*jit: .* regions=\([0-9]*\).*/\1/p' "$log")
    if [ "${regions:-0}" -ge 5 ]; then
        echo "PASS jit/regions ($regions loops translated as regions)"
    else
        echo "FAIL jit/regions: loops.elf made ${regions:-no} regions (log $log)"
        status=1
    fi
    # Most block-to-block jumps of hot loops stay native: chained (or
    # jump-table) hits must outnumber entries through the run loop.
    hits=$(sed -n 's/.*jit: .* chain_hits=\([0-9]*\).*/\1/p' "$log")
    misses=$(sed -n 's/.*jit: .* chain_misses=\([0-9]*\).*/\1/p' "$log")
    if [ "${hits:-0}" -gt "${misses:-0}" ] && [ "${misses:-0}" -gt 0 ]; then
        echo "PASS jit/chain_stats ($hits native jumps, $misses through the run loop)"
    else
        echo "FAIL jit/chain_stats: chain_hits=${hits:-?} chain_misses=${misses:-?} (log $log)"
        status=1
    fi
    map=/tmp/perf-$pid.map
    named=$(grep -cE '^[0-9a-f]+ [0-9a-f]+ region_[0-9a-f]+_n[0-9]+$' "$map" 2>/dev/null)
    if [ "${named:-0}" -eq "${regions:-0}" ] && grep -qE '^[0-9a-f]+ [0-9a-f]+ block_' "$map"; then
        echo "PASS jit/perf_map"
    else
        echo "FAIL jit/perf_map: $map names ${named:-no} regions of ${regions:-0}"
        status=1
    fi
    rm -f "$map"
    # The harts of a VM share their translations.
    BUILD="$BUILD" RVMM="$RVMM" sh tests/jit/smp/run.sh || status=1
    ;;
esac
exit $status
