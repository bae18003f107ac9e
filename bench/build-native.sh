#!/bin/sh
# Builds the x86-64 twins of the guest's CPU workloads for bench/cpu.sh (the
# physical limit): busybox from the same source tree and .config the guest
# was built from (guest/build-busybox.sh), and guest/programs/coremark.c,
# both with the host gcc. Results go to $RVMM_CACHE/bench/native; busybox is
# built once; BUSYBOX_TREE names another configured tree (default: the one
# under $RVMM_CACHE/guest/work). Run from the repository root.
set -eu
cache=${RVMM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rvmm}
out=$cache/bench/native
mkdir -p "$out"
gcc -O2 -Wall -static -o "$out/coremark" guest/programs/coremark.c
[ -x "$out/busybox" ] && exit 0

tree=${BUSYBOX_TREE:-}
[ -n "$tree" ] || for d in "$cache"/guest/work/busybox-src/busybox-*/; do
    [ -f "$d/.config" ] && tree=${d%/}
done
if [ -z "$tree" ]; then
    echo "bench/build-native: no configured busybox tree under $cache/guest/work: run make guest" >&2
    exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -a "$tree" "$tmp/bb"
make -s -C "$tmp/bb" mrproper >/dev/null
cp "$tree/.config" "$tmp/bb/.config"
yes "" | make -s -C "$tmp/bb" oldconfig >/dev/null
make -s -C "$tmp/bb" -j2 busybox >"$tmp/build.log" 2>&1 || {
    tail -20 "$tmp/build.log" >&2
    exit 1
}
cp "$tmp/bb/busybox" "$out/busybox.tmp"
mv "$out/busybox.tmp" "$out/busybox"
echo "bench/build-native: built $out/busybox and $out/coremark"
