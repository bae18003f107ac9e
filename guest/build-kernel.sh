#!/bin/sh
# Builds an rvmm guest kernel (riscv64) from Debian's kernel source:
#   GUEST_LINUX=6.1 (the default): $RVMM_CACHE/guest/Image from
#     /usr/src/linux-source-6.1.tar.xz with guest/linux.config;
#   GUEST_LINUX=6.12: $RVMM_CACHE/guest/Image-6.12 from
#     /usr/src/linux-source-6.12.tar.xz with guest/linux-6.12.config.
# Each version has its own source tree, stamp, log and lock, so the two live
# side by side in the cache and can build at the same time.
#
# Unpacks the tarball into the cache, configures it as tinyconfig + the
# fragment, checks the result, builds Image. Idempotent: does nothing when
# the Image exists and neither the fragment, this script nor the source
# tarball changed; otherwise rebuilds incrementally in the same tree.
set -eu
. "$(dirname "$0")/lib.sh"

GUEST_LINUX=${GUEST_LINUX:-6.1}
# Options the guest cannot do without (on top of every line of the fragment,
# which is checked as well). CLINT_TIMER is absent: 6.1 offers it only to
# M-mode kernels; ARCH_VIRT is called SOC_VIRT in 6.1.
REQUIRED="64BIT MMU SMP NONPORTABLE RISCV_ISA_C FPU RISCV_SBI
 RISCV_SBI_V01 SERIAL_EARLYCON_RISCV_SBI HVC_RISCV_SBI SERIAL_8250
 SERIAL_8250_CONSOLE SERIAL_OF_PLATFORM RISCV_TIMER SIFIVE_PLIC PRINTK TTY
 BLK_DEV_INITRD RD_GZIP BINFMT_ELF BINFMT_SCRIPT DEVTMPFS DEVTMPFS_MOUNT
 PROC_FS SYSFS TMPFS FUTEX EPOLL UNIX98_PTYS VIRTIO_MMIO VIRTIO_BLK VIRTIO_NET
 VIRTIO_CONSOLE VIRTIO_BALLOON HW_RANDOM_VIRTIO EXT4_FS NET INET UNIX PACKET
 RTC_DRV_GOLDFISH POWER_RESET_SYSCON POWER_RESET_SYSCON_POWEROFF
 VIRTUALIZATION KVM HOTPLUG_CPU MULTIUSER SHMEM FILE_LOCKING POSIX_TIMERS"
case $GUEST_LINUX in
6.1)
    KSRC_TAR=${KSRC_TAR:-/usr/src/linux-source-6.1.tar.xz}
    FRAGMENT=$GUEST_SRC/linux.config
    KDIR=$WORK_DIR/linux
    IMAGE=$GUEST_DIR/Image
    KLOG=kernel
    REQUIRED="$REQUIRED SOC_VIRT"
    ;;
6.12)
    KSRC_TAR=${KSRC_TAR:-/usr/src/linux-source-6.12.tar.xz}
    FRAGMENT=$GUEST_SRC/linux-6.12.config
    KDIR=$WORK_DIR/linux-6.12
    IMAGE=$GUEST_DIR/Image-6.12
    KLOG=kernel-6.12
    # What 6.12 does with the extensions rvmm offers (--cpu rva23).
    REQUIRED="$REQUIRED ARCH_VIRT RISCV_ISA_V RISCV_ISA_V_DEFAULT_ENABLE
 RISCV_ISA_ZBB RISCV_ISA_ZICBOM RISCV_ISA_ZICBOZ RISCV_ISA_SVNAPOT
 RISCV_ISA_SVPBMT PERF_EVENTS RISCV_PMU_SBI VSOCKETS VIRTIO_VSOCKETS"
    ;;
*)
    msg "GUEST_LINUX=$GUEST_LINUX: unknown version (6.1 or 6.12)"
    exit 2
    ;;
esac
STAMP=$IMAGE.stamp
lock "$KLOG"

[ -f "$KSRC_TAR" ] || die "$KSRC_TAR missing; run scripts/install-deps.sh (linux-source-$GUEST_LINUX)"
need "${CROSS_COMPILE}gcc" make tar xz flex bison bc

src_id=$(stat -c '%n %s %Y' "$KSRC_TAR")
stamp=$(printf '%s\n%s\n' "$src_id" "$(hash_files "$FRAGMENT" "$0")")

if [ -f "$IMAGE" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$stamp" ]; then
    msg "up to date: $IMAGE"
    exit 0
fi

# --- unpack (only when missing or the tarball changed) -----------------------
if [ ! -f "$KDIR/.rvmm-src" ] || [ "$(cat "$KDIR/.rvmm-src")" != "$src_id" ]; then
    msg "unpacking $KSRC_TAR"
    rm -rf "$KDIR" "$KDIR.tmp"
    mkdir -p "$KDIR.tmp"
    run "$KLOG" tar -C "$KDIR.tmp" -xf "$KSRC_TAR"
    top=$(ls "$KDIR.tmp")
    [ -f "$KDIR.tmp/$top/Makefile" ] || die "unexpected layout in $KSRC_TAR"
    mv "$KDIR.tmp/$top" "$KDIR"
    rmdir "$KDIR.tmp"
    printf '%s\n' "$src_id" >"$KDIR/.rvmm-src"
fi

# KBUILD_BUILD_USER/HOST keep this machine's names out of the version string.
kmake() {
    run "$KLOG" make -C "$KDIR" ARCH=riscv CROSS_COMPILE="$CROSS_COMPILE" \
        KBUILD_BUILD_USER=rvmm KBUILD_BUILD_HOST=rvmm "$@"
}

# --- configure ---------------------------------------------------------------
msg "configuring Linux $GUEST_LINUX (tinyconfig + guest/${FRAGMENT##*/})"
kmake tinyconfig
(cd "$KDIR" && run "$KLOG" env ARCH=riscv ./scripts/kconfig/merge_config.sh -m .config "$FRAGMENT")
kmake olddefconfig

# --- check: olddefconfig drops options silently -------------------------------
missing=""
for opt in $REQUIRED; do
    grep -q "^CONFIG_$opt=y\$" "$KDIR/.config" || missing="$missing CONFIG_$opt"
done
# Every line of the fragment must have survived as written.
while IFS= read -r line; do
    case $line in
    CONFIG_*=*)
        grep -qxF "$line" "$KDIR/.config" || missing="$missing $line"
        ;;
    "# CONFIG_"*" is not set")
        opt=${line#\# }
        opt=${opt%% *}
        if grep -q "^$opt=" "$KDIR/.config"; then missing="$missing !$opt"; fi
        ;;
    esac
done <"$FRAGMENT"
if [ -n "$missing" ]; then
    msg "the merged .config ($KDIR/.config) does not match guest/${FRAGMENT##*/}:"
    for m in $missing; do msg "    missing/wrong: $m"; done
    die "kernel configuration check failed (a dependency is probably unmet)"
fi

# --- build -------------------------------------------------------------------
msg "building Image with $JOBS jobs (log: $LOG_DIR/$KLOG.log)"
start=$(date +%s)
kmake -j"$JOBS" Image
[ -f "$KDIR/arch/riscv/boot/Image" ] || die "no arch/riscv/boot/Image after build"
cp "$KDIR/arch/riscv/boot/Image" "$IMAGE.tmp"
mv "$IMAGE.tmp" "$IMAGE"
printf '%s\n' "$stamp" >"$STAMP"
msg "built $IMAGE ($(make -s -C "$KDIR" ARCH=riscv kernelrelease 2>/dev/null), $(($(date +%s) - start)) s)"
