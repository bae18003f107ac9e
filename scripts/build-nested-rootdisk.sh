#!/bin/sh
# Builds the nested guest image: the guest's ext4 root disk (the one `make
# run` boots) plus /usr/bin/rvmm (the static riscv64 build) and /nested/Image
# and /nested/initramfs.cpio.gz (the same Linux, with the small initramfs),
# so that inside a guest with the hypervisor extension
#   rvmm --engine kvm --kernel /nested/Image --initrd /nested/initramfs.cpio.gz
# boots a nested Linux. debugfs writes the files into a copy of the base, so
# neither root nor loop devices are needed; the result is read-only like the
# base (boot it through a qcow2 overlay, or QEMU's snapshot=on). It is
# rebuilt only when one of its inputs changed (OUT.key).
#
# Usage: scripts/build-nested-rootdisk.sh OUT RVMM_RISCV64 KERNEL INITRD BASE
set -eu
[ $# -eq 5 ] || { echo "usage: $0 OUT RVMM_RISCV64 KERNEL INITRD BASE" >&2; exit 2; }
out=$1 rvmm=$2 kernel=$3 initrd=$4 base=$5
for f in "$rvmm" "$kernel" "$initrd" "$base"; do
    [ -f "$f" ] || { echo "build-nested-rootdisk: $f missing (make riscv64; make guest)" >&2; exit 1; }
done
for t in debugfs e2fsck; do
    command -v $t >/dev/null || { echo "build-nested-rootdisk: $t missing (apt-get install e2fsprogs)" >&2; exit 1; }
done
# Keyed by its inputs: the same rvmm, kernel, initramfs, base and script
# give the image already there (OUT.key holds their digests), so a
# `make test` after no change to them costs a checksum, not a rebuild.
key=$(sha256sum "$0" "$rvmm" "$kernel" "$initrd" "$base" | cut -d' ' -f1 | sha256sum | cut -d' ' -f1)
if [ -f "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ]; then
    echo "build-nested-rootdisk: $out is up to date"
    exit 0
fi
rm -f "$out.tmp" "$out.key"
cp "$base" "$out.tmp"
chmod 644 "$out.tmp"
cmds=$(mktemp)
trap 'rm -f "$cmds" "$out.tmp"' EXIT
# The directory first: debugfs 1.47 made no /nested after a write elsewhere.
cat >"$cmds" <<EOC
cd /
mkdir nested
cd /nested
write $kernel Image
write $initrd initramfs.cpio.gz
cd /usr/bin
write $rvmm rvmm
sif /usr/bin/rvmm mode 0100755
EOC
debugfs -w -f "$cmds" "$out.tmp" >/dev/null 2>&1
debugfs -R "ls -l /nested" "$out.tmp" 2>/dev/null | grep -q initramfs.cpio.gz ||
    { echo "build-nested-rootdisk: debugfs did not write the files (is the base full?)" >&2; exit 1; }
e2fsck -fn "$out.tmp" >/dev/null
chmod 444 "$out.tmp"
mv -f "$out.tmp" "$out"
echo "$key" >"$out.key"
echo "build-nested-rootdisk: built $out"
