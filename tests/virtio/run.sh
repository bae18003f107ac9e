#!/bin/sh
# Builds the hostile virtio guest (tests/virtio/hostile.c + start.S, linked
# at 0x8000_0000 by tests/sbi/link.ld) into ${BUILD:-build}/virtio/ and runs
# it under rvmm (normally the sanitizer build) with --bios none, 2 harts and every
# virtio device rvmm has (console, a 1 MiB disk of zeros, user-mode net, rng,
# balloon). Prints "PASS virtio/hostile" when rvmm exits 0,
# every case reported "ok" on the virtio-console and rvmm printed no
# sanitizer report; else "FAIL virtio/hostile (...)" with the failed case
# number (the guest's exit code) and the guest's last words.
# Env: RVMM (default build/rvmm-asan), BUILD, CC (default riscv64-unknown-elf-gcc).
set -u
here=$(cd "$(dirname "$0")" && pwd)
dir=${BUILD:-build}/virtio
rvmm=${RVMM:-build/rvmm-asan}
cc=${CC:-riscv64-unknown-elf-gcc}
mkdir -p "$dir"
elf=$dir/hostile.elf
log=$dir/hostile.log

if ! "$cc" -march=rv64gc -mabi=lp64d -mcmodel=medany -O2 -Wall -Wextra -ffreestanding \
    -fno-tree-loop-distribute-patterns -nostdlib -nostartfiles -static \
    -T "$here/../sbi/link.ld" -o "$elf" "$here/start.S" "$here/hostile.c" >"$dir/build.log" 2>&1; then
    cat "$dir/build.log" >&2
    echo "FAIL virtio/hostile (build)"
    exit 1
fi

disk=$dir/zeros.raw
rm -f "$disk"
truncate -s 1M "$disk"

# stdin: "ping" for the console's receive check, then a dot every 0.2 s so
# the device always has input for the receive chains the attacks post.
{
    printf ping
    while sleep 0.2; do printf . || exit 0; done
} | timeout -k 2 300 "$rvmm" --bios none --kernel "$elf" -m 64M --smp 2 --console virtio --rng \
    --drive "file=$disk,format=raw" --net user --balloon >"$log" 2>&1
rc=$?
ok=$(grep -c ': ok: ' "$log")
total=$(sed -n 's/^hostile: all \([0-9]*\) cases passed.*/\1/p' "$log")
if [ $rc -eq 0 ] && [ -n "$total" ] && [ "$ok" -eq "$total" ] &&
    ! grep -q 'Sanitizer\|runtime error' "$log"; then
    echo "PASS virtio/hostile ($total cases)"
    exit 0
fi
echo "FAIL virtio/hostile (exit $rc, case $((rc)), $ok cases ok)"
tail -n 5 "$log" | sed 's/^/    /'
exit 1
