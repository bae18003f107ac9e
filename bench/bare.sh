# Shared start of the bare-metal benchmarks (bench/vec.sh, bench/vguest.sh),
# sourced by them: the emulators, build directory and round count from the
# environment, the tools and rvmm checked (exit 2 when one is missing), the
# pass count checked, the output directory made. TIMEBASE is the CLINT
# frequency the guests' tick counts are in.
# bench_bare_init NAME ITERS_VAR DEFAULT_ITERS
bench_bare_init() {
    NAME=$1
    RVMM=${RVMM:-build/rvmm}
    QEMU=${QEMU:-qemu-system-riscv64}
    BUILD=${BUILD:-build}
    ROUNDS=${BENCH_ROUNDS:-3}
    CC=${ISA_CC:-riscv64-unknown-elf-gcc}
    TIMEBASE=10000000
    eval "ITERS=\${$2:-$3}"
    for tool in "$CC" "$QEMU" python3; do
        command -v "$tool" >/dev/null 2>&1 || {
            echo "bench/$NAME: $tool not found: run scripts/install-deps.sh" >&2
            exit 2
        }
    done
    [ -x "$RVMM" ] || {
        echo "bench/$NAME: $RVMM not found: run make first (or set RVMM)" >&2
        exit 2
    }
    case $ITERS in '' | *[!0-9]*)
        echo "bench/$NAME: $2 must be a number, not '$ITERS'" >&2
        exit 2
        ;;
    esac
    out=$BUILD/bench
    mkdir -p "$out"
}
