#!/bin/sh
# Builds $RVMM_CACHE/guest/rootfs.ext4: the guest's root file system as a raw
# ext4 disk image, for booting with `root=/dev/vda rw` and no initrd. It holds
# the same tree as the initramfs ($RVMM_CACHE/guest/rootfs, completed by
# build-initramfs.sh). `mke2fs -d` fills the file system from the folder, so
# neither root nor loop devices are needed; debugfs then makes every file
# 0:0 and gives /root and /tmp their modes, as the initramfs list does.
#
# The image is a base: it is made read-only (mode 444), and VMs write to a
# copy or to a qcow2 overlay on top of it. It is only replaced when the tree
# or this script changed, so overlays made on it stay valid.
set -eu
. "$(dirname "$0")/lib.sh"
lock rootdisk

ROOTFS=$GUEST_DIR/rootfs
OUT=$GUEST_DIR/rootfs.ext4
STAMP=$GUEST_DIR/rootfs.ext4.stamp
SIZE=${ROOTDISK_SIZE:-256M}

need mke2fs debugfs e2fsck find sort sha256sum
[ -x "$ROOTFS/bin/busybox" ] || die "$ROOTFS/bin/busybox missing; run guest/build.sh"
[ -x "$ROOTFS/init" ] || die "$ROOTFS is not complete; run guest/build-initramfs.sh"

# What the image is made of: every path with its type, mode and link target,
# every file's content, the size and this script.
stamp=$(
    cd "$ROOTFS"
    {
        find . -printf '%y %P %m %l\n' | sort
        find . -type f -print0 | sort -z | xargs -0 sha256sum
        echo "$SIZE"
        cat "$GUEST_SRC/build-rootdisk.sh"
    } | sha256sum | cut -d' ' -f1
)
if [ -f "$OUT" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$stamp" ]; then
    msg "up to date: $OUT"
    exit 0
fi

rm -f "$OUT.tmp"
run rootdisk mke2fs -q -t ext4 -b 4096 -L rvmm-root -E root_owner=0:0 -d "$ROOTFS" "$OUT.tmp" "$SIZE"
# Ownership and modes, one debugfs session for the whole tree.
{
    (cd "$ROOTFS" && find . -mindepth 1 -printf '%P\n') | while IFS= read -r p; do
        printf 'sif "/%s" uid 0\nsif "/%s" gid 0\n' "$p" "$p"
    done
    echo 'sif /root mode 040700'
    echo 'sif /tmp mode 041777'
} >"$WORK_DIR/rootdisk.debugfs"
run rootdisk debugfs -w -f "$WORK_DIR/rootdisk.debugfs" "$OUT.tmp"
run rootdisk e2fsck -fn "$OUT.tmp"
chmod 444 "$OUT.tmp"
mv -f "$OUT.tmp" "$OUT"
printf '%s\n' "$stamp" >"$STAMP"
msg "built $OUT ($SIZE, $(du -k "$OUT" | cut -f1) KiB used)"
