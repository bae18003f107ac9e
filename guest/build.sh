#!/bin/sh
# Builds the rvmm guest: kernel Image, busybox rootfs, initramfs, ext4 root disk.
# Results go to $RVMM_CACHE/guest (default ${XDG_CACHE_HOME:-$HOME/.cache}/rvmm/guest).
# Each step is idempotent; rerunning does only what changed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

"$here/build-kernel.sh"
"$here/build-busybox.sh"
"$here/build-initramfs.sh"
"$here/build-rootdisk.sh"

echo "GUEST_KERNEL=$GUEST_DIR/Image"
echo "GUEST_INITRD=$GUEST_DIR/initramfs.cpio.gz"
echo "GUEST_ROOTFS=$GUEST_DIR/rootfs"
echo "GUEST_ROOTDISK=$GUEST_DIR/rootfs.ext4"
