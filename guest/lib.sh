# Shared settings for the guest/ build scripts. Sourced, not executed.
# shellcheck shell=sh

# The cache holds everything built; nothing is written into the repository.
RVMM_CACHE=${RVMM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rvmm}
GUEST_DIR=$RVMM_CACHE/guest
WORK_DIR=$GUEST_DIR/work
LOG_DIR=$GUEST_DIR/logs
# shellcheck disable=SC2034 # used by the scripts that source this file
GUEST_SRC=$(cd "$(dirname "$0")" && pwd)

CROSS_COMPILE=${CROSS_COMPILE:-riscv64-linux-gnu-}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
export LC_ALL=C
umask 022

mkdir -p "$GUEST_DIR" "$WORK_DIR" "$LOG_DIR"

msg() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { msg "ERROR: $*"; exit 1; }

# run LOGNAME CMD...: runs CMD with its output appended to $LOG_DIR/LOGNAME.log;
# on failure prints the tail of the log and exits.
run() {
    _log=$LOG_DIR/$1.log
    shift
    printf '\n+ %s\n' "$*" >>"$_log"
    if ! "$@" >>"$_log" 2>&1; then
        msg "FAILED: $*"
        msg "last lines of $_log:"
        tail -n 60 "$_log" >&2
        exit 1
    fi
}

# lock NAME: serialises concurrent runs of the same step.
lock() {
    if command -v flock >/dev/null 2>&1; then
        exec 9>"$GUEST_DIR/.$1.lock"
        flock 9
    fi
}

need() {
    for _t in "$@"; do
        command -v "$_t" >/dev/null 2>&1 ||
            die "'$_t' not found; run scripts/install-deps.sh"
    done
}

hash_files() { cat "$@" | sha256sum | cut -d' ' -f1; }
