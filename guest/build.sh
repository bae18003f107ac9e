#!/bin/sh
# Builds the rvmm guest: kernel Image, busybox rootfs, initramfs, ext4 root disk.
# GUEST_LINUX=6.12 builds the kernel from linux-source-6.12 as Image-6.12
# instead of the default 6.1 Image (guest/build-kernel.sh); the rest is shared.
# Results go to $RVMM_CACHE/guest (default ${XDG_CACHE_HOME:-$HOME/.cache}/rvmm/guest).
# Each step is idempotent; rerunning does only what changed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

"$here/build-kernel.sh"
"$here/build-busybox.sh"
"$here/build-initramfs.sh"
"$here/build-rootdisk.sh"

case ${GUEST_LINUX:-6.1} in
6.1) echo "GUEST_KERNEL=$GUEST_DIR/Image" ;;
*) echo "GUEST_KERNEL=$GUEST_DIR/Image-$GUEST_LINUX" ;;
esac
echo "GUEST_INITRD=$GUEST_DIR/initramfs.cpio.gz"
echo "GUEST_ROOTFS=$GUEST_DIR/rootfs"
echo "GUEST_ROOTDISK=$GUEST_DIR/rootfs.ext4"
